package dev.keydb.server.aof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.server.ChildServer;
import dev.keydb.server.RawConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 under appendfsync always: a child server takes writes from several clients and is
 * killed while they go on; restarted on the same AOF, it still holds every write that was
 * acknowledged before the kill.
 */
class AofCrashTest {
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("aof-crash");
    }

    @AfterEach
    void tearDown() throws IOException {
        AofTest.delete(dir);
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        int writers = 3;
        AtomicLongArray acked = new AtomicLongArray(writers); // the last i each writer saw acknowledged
        AtomicBoolean stop = new AtomicBoolean();
        try (ChildServer child = ChildServer.start(dir, "--appendonly", "yes", "--appendfsync", "always")) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    try (RawConnection c = new RawConnection(child.port())) {
                        for (long i = 1; !stop.get() && i < 1_000_000; i++) {
                            String reply = c.call("SET", "w" + id + ":" + i, Long.toString(i));
                            if (!reply.equals("+OK\r\n")) {
                                return;
                            }
                            c.call("INCR", "count:" + id);
                            acked.set(id, i);
                        }
                    } catch (IOException killed) {
                        // the server died mid-call: that write was not acknowledged
                    }
                });
                t.start();
                threads.add(t);
            }
            Thread.sleep(1500);
            child.kill();
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        for (int w = 0; w < writers; w++) {
            assertThat(acked.get(w)).as("writer %d made progress", w).isGreaterThan(10);
        }
        try (ChildServer child = ChildServer.start(dir, "--appendonly", "yes");
             RawConnection c = new RawConnection(child.port())) {
            for (int w = 0; w < writers; w++) {
                long last = acked.get(w);
                for (long i = 1; i <= last; i++) {
                    assertThat(c.call("GET", "w" + w + ":" + i)).as("w%d:%d", w, i).isEqualTo("$" + Long.toString(i).length() + "\r\n" + i + "\r\n");
                }
                String count = c.call("GET", "count:" + w);
                assertThat(Long.parseLong(count.substring(count.indexOf('\n') + 1).trim())).isGreaterThanOrEqualTo(last);
            }
        }
    }
}
