package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.commands.ListCommands;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import dev.keydb.server.config.ConfigException;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.types.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;

/** List commands over the wire: reply shapes in RESP2 and RESP3, large lists, configuration. */
class ListCommandsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    private ListValue stored(String key) {
        server.server().lock().lock();
        try {
            return (ListValue) server.server().keyspace().db(0)
                    .lookupNoTouch(key.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        } finally {
            server.server().lock().unlock();
        }
    }

    @Test
    void nullShapesInResp2AndResp3() throws Exception {
        assertThat(c.call("LPOP", "missing")).isEqualTo("$-1\r\n");
        assertThat(c.call("LPOP", "missing", "1")).isEqualTo("*-1\r\n");
        assertThat(c.call("LMPOP", "1", "missing", "LEFT")).isEqualTo("*-1\r\n");
        assertThat(c.call("LRANGE", "missing", "0", "-1")).isEqualTo("*0\r\n");
        assertThat(c.call("LINDEX", "missing", "0")).isEqualTo("$-1\r\n");
        assertThat(c.call("LPOS", "missing", "a")).isEqualTo("$-1\r\n");
        assertThat(c.call("RPOPLPUSH", "missing", "d")).isEqualTo("$-1\r\n");
        c.call("HELLO", "3");
        assertThat(c.call("LPOP", "missing")).isEqualTo("_\r\n");
        assertThat(c.call("LPOP", "missing", "1")).isEqualTo("_\r\n");
        assertThat(c.call("LMPOP", "1", "missing", "LEFT")).isEqualTo("_\r\n");
        assertThat(c.call("RPUSH", "l", "a", "b")).isEqualTo(":2\r\n");
        assertThat(c.call("LPOP", "l", "0")).isEqualTo("*0\r\n");
        assertThat(c.call("LMPOP", "1", "l", "RIGHT", "COUNT", "5")).isEqualTo("*2\r\n$1\r\nl\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n");
        assertThat(c.call("EXISTS", "l")).isEqualTo(":0\r\n");
    }

    @Test
    void errorsAsRedis() throws Exception {
        c.call("RPUSH", "l", "a");
        assertThat(c.call("LPOP", "l", "-1")).isEqualTo("-ERR value is out of range, must be positive\r\n");
        assertThat(c.call("LPOS", "l", "a", "RANK", "0")).isEqualTo("-ERR RANK can't be zero: use 1 to start from the first match, "
                + "2 from the second ... or use negative to start from the end of the list\r\n");
        assertThat(c.call("LSET", "nokey", "0", "x")).isEqualTo("-ERR no such key\r\n");
        assertThat(c.call("LSET", "l", "5", "x")).isEqualTo("-ERR index out of range\r\n");
        assertThat(c.call("LPOP", "l", "1", "2")).isEqualTo("-ERR wrong number of arguments for 'lpop' command\r\n");
        c.call("SET", "s", "v");
        assertThat(c.call("LLEN", "s")).startsWith("-WRONGTYPE");
    }

    @Test
    void largeListAgainstAModel() throws Exception {
        Random rnd = new Random(42);
        List<String> model = new ArrayList<>();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int round = 0; round < 20; round++) {
                String[] batch = new String[500];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = "e" + rnd.nextInt(50) + (rnd.nextInt(20) == 0 ? "x".repeat(300) : "");
                }
                if (round % 2 == 0) {
                    j.rpush("big", batch);
                    Collections.addAll(model, batch);
                } else {
                    j.lpush("big", batch);
                    for (String b : batch) {
                        model.add(0, b);
                    }
                }
            }
            assertThat(j.llen("big")).isEqualTo(model.size());
            assertThat(stored("big").nodeCount()).isGreaterThan(5);
            for (int k = 0; k < 200; k++) {
                int i = rnd.nextInt(model.size());
                switch (k % 5) {
                    case 0 -> assertThat(j.lindex("big", i)).isEqualTo(model.get(i));
                    case 1 -> {
                        String v = "set" + k + "y".repeat(rnd.nextInt(500));
                        j.lset("big", i - model.size(), v);
                        model.set(i, v);
                    }
                    case 2 -> {
                        String pivot = model.get(i);
                        int at = model.indexOf(pivot);
                        j.linsert("big", ListPosition.AFTER, pivot, "ins" + k);
                        model.add(at + 1, "ins" + k);
                    }
                    case 3 -> {
                        String v = model.get(i);
                        long n = j.lrem("big", -2, v);
                        for (int r = 0, idx = model.size() - 1; r < 2 && idx >= 0; idx--) {
                            if (model.get(idx).equals(v)) {
                                model.remove(idx);
                                r++;
                            }
                        }
                        assertThat(n).isBetween(1L, 2L);
                    }
                    default -> assertThat(j.lpos("big", model.get(i))).isEqualTo((long) model.indexOf(model.get(i)));
                }
            }
            assertThat(j.lrange("big", 0, -1)).isEqualTo(model);
            assertThat(j.lrange("big", 1234, 4321)).isEqualTo(model.subList(1234, 4322));
            j.ltrim("big", 100, -100);
            model = new ArrayList<>(model.subList(100, model.size() - 99));
            assertThat(j.lpop("big", 3)).isEqualTo(model.subList(0, 3));
            assertThat(j.rpop("big", 3)).isEqualTo(List.of(model.get(model.size() - 1), model.get(model.size() - 2), model.get(model.size() - 3)));
            model = new ArrayList<>(model.subList(3, model.size() - 3));
            assertThat(j.lmove("big", "big", ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo(model.get(0));
            model.add(model.remove(0));
            assertThat(j.lrange("big", 0, -1)).isEqualTo(model);
            stored("big").verify();
        }
    }

    @Test
    void bigElements() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            String big = "b".repeat(100_000);
            j.rpush("l", "small", big, "small2");
            j.lpush("l", big + "2");
            assertThat(j.lindex("l", 2)).isEqualTo(big);
            assertThat(j.lpos("l", big)).isEqualTo(2L);
            assertThat(j.rpop("l", 2)).containsExactly("small2", big);
            assertThat(stored("l").size()).isEqualTo(2);
            stored("l").verify();
        }
    }

    @Test
    void nodeLimitFromConfiguration() {
        try (TestServer s = TestServer.start("--list-max-ziplist-size", "4");
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.rpush("l", "a", "b", "c", "d", "e", "f", "g", "h", "i");
            s.server().lock().lock();
            try {
                ListValue l = (ListValue) s.server().keyspace().db(0).lookupNoTouch("l".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
                assertThat(l.fill()).isEqualTo(4);
                assertThat(l.nodeCount()).isEqualTo(3);
                assertThat(l.encoding()).isEqualTo("quicklist");
            } finally {
                s.server().lock().unlock();
            }
        }
    }

    @Test
    void compressDepthOnlyAcceptsZero() throws Exception {
        ServerConfig config = new ServerConfig();
        assertThat(config.registry().find("list-compress-depth").get()).isEqualTo("0");
        config.registry().find("list-compress-depth").set(List.of("0"));
        assertThatThrownBy(() -> config.registry().find("list-compress-depth").set(List.of("1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> config.registry().find("list-compress-depth").set(List.of("-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 0 and");
        assertThatThrownBy(() -> config.registry().find("list-compress-depth").set(List.of("x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("integer");
        assertThat(config.registry().find("list-max-ziplist-size")).isSameAs(config.registry().find("list-max-listpack-size"));
        assertThat(config.registry().find("list-max-listpack-size").get()).isEqualTo("-2");
    }
}
