package dev.keydb.server;

import static dev.keydb.server.RawConnection.resp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several connections pipeline scripts that flip between short and long runs (so they move
 * between the event loops and the script thread, and get stopped and started again there)
 * among plain commands, transactions and blocking pops, each on its own keys: every reply must
 * be exactly the one a serial run predicts, in order, and every script's write happens once.
 * Bounded: 6 connections x 40 pipelines of 8 commands, a 60 s limit.
 */
class ScriptPlacementStressTest {
    /** INCRs the key; first spins for ARGV[1] microseconds (no effects yet: such a run may be moved). */
    private static final String SPIN_THEN_INCR = "local function now() local t = redis.call('time') return t[1] * 1000000 + t[2] end "
            + "local n = tonumber(ARGV[1]) if n > 0 then local t = now() while now() - t < n do end end "
            + "return redis.call('incr', KEYS[1])";

    @Test
    @Timeout(60)
    void repliesStayInOrderAndWritesHappenOnceWhereverScriptsRun() throws Exception {
        try (TestServer server = TestServer.start("--server-threads", "2")) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<Long>> clients = new ArrayList<>();
                for (int c = 0; c < 6; c++) {
                    int id = c;
                    clients.add(pool.submit(() -> runClient(server.port(), id)));
                }
                long total = 0;
                for (Future<Long> f : clients) {
                    total += f.get(55, TimeUnit.SECONDS);
                }
                try (RawConnection check = new RawConnection(server.port())) {
                    long sum = 0;
                    for (int c = 0; c < 6; c++) {
                        String reply = check.call("get", "ctr:" + c);
                        sum += Long.parseLong(reply.split("\r\n")[1]);
                    }
                    assertThat(sum).isEqualTo(total);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Runs one connection's pipelines and checks each reply; returns how many increments it made. */
    private static long runClient(int port, int id) throws Exception {
        Random random = new Random(id);
        String counter = "ctr:" + id, string = "str:" + id, list = "list:" + id;
        long count = 0;
        try (RawConnection c = new RawConnection(port)) {
            for (int round = 0; round < 40; round++) {
                StringBuilder pipeline = new StringBuilder();
                List<String> expected = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    switch (random.nextInt(6)) {
                        case 0 -> {
                            String spin = random.nextInt(4) == 0 ? "15000" : "0"; // 15 ms: past the 10 ms of a short run
                            pipeline.append(resp("eval", SPIN_THEN_INCR, "1", counter, spin));
                            expected.add(":" + (++count) + "\r\n");
                        }
                        case 1 -> {
                            String v = "v" + round + "." + k;
                            pipeline.append(resp("set", string, v)).append(resp("get", string));
                            expected.add("+OK\r\n");
                            expected.add("$" + v.length() + "\r\n" + v + "\r\n");
                        }
                        case 2 -> {
                            pipeline.append(resp("multi")).append(resp("incr", counter))
                                    .append(resp("eval", SPIN_THEN_INCR, "1", counter, "0")).append(resp("exec"));
                            expected.add("+OK\r\n");
                            expected.add("+QUEUED\r\n");
                            expected.add("+QUEUED\r\n");
                            expected.add("*2\r\n:" + (count + 1) + "\r\n:" + (count + 2) + "\r\n");
                            count += 2;
                        }
                        case 3 -> {
                            pipeline.append(resp("rpush", list, "x")).append(resp("blpop", list, "1"));
                            expected.add(":1\r\n");
                            expected.add("*2\r\n$" + list.length() + "\r\n" + list + "\r\n$1\r\nx\r\n");
                        }
                        case 4 -> {
                            pipeline.append(resp("evalsha", "ffffffffffffffffffffffffffffffffffffffff", "0"));
                            expected.add("-NOSCRIPT No matching script. Please use EVAL.\r\n");
                        }
                        default -> {
                            pipeline.append(resp("ping"));
                            expected.add("+PONG\r\n");
                        }
                    }
                }
                c.send(pipeline.toString());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(c.readReply()).as("client %d round %d reply %d", id, round, i).isEqualTo(expected.get(i));
                }
            }
        }
        return count;
    }
}
