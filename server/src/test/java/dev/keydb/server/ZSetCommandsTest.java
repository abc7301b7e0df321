package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.ValueType;
import dev.keydb.storage.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sorted set commands over the wire, for what the differential test against Redis 7.0 cannot cover. */
class ZSetCommandsTest {
    // The thresholds belong to this server's configuration only (ZSetValue.Limits), so other
    // servers in the same JVM keep the defaults.
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--zset-max-ziplist-entries", "3", "--zset-max-listpack-value", "8");
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    private String encoding(String key) {
        server.server().lock().lock();
        try {
            Object v = server.server().keyspace().db(0).lookupNoTouch(key.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            return ValueType.encodingOf(v);
        } finally {
            server.server().lock().unlock();
        }
    }

    @Test
    void zrankWithScoreAsRedis72() throws Exception {
        c.call("ZADD", "z", "1.5", "a", "2", "b", "3", "c");
        assertThat(c.call("ZRANK", "z", "b", "WITHSCORE")).isEqualTo("*2\r\n:1\r\n$1\r\n2\r\n");
        assertThat(c.call("ZREVRANK", "z", "a", "WITHSCORE")).isEqualTo("*2\r\n:2\r\n$3\r\n1.5\r\n");
        assertThat(c.call("ZRANK", "z", "nosuch", "WITHSCORE")).isEqualTo("*-1\r\n");
        assertThat(c.call("ZRANK", "nokey", "a", "WITHSCORE")).isEqualTo("*-1\r\n");
        assertThat(c.call("ZRANK", "z", "nosuch")).isEqualTo("$-1\r\n");
        assertThat(c.call("ZRANK", "z", "a", "FOO")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("ZRANK", "z", "a", "WITHSCORE", "x")).isEqualTo("-ERR wrong number of arguments for 'zrank' command\r\n");
        c.call("HELLO", "3");
        assertThat(c.call("ZRANK", "z", "b", "WITHSCORE")).isEqualTo("*2\r\n:1\r\n,2\r\n");
        assertThat(c.call("ZRANK", "z", "nosuch", "WITHSCORE")).isEqualTo("_\r\n");
    }

    @Test
    void encodingsFollowTheConfiguredThresholds() throws Exception {
        c.call("ZADD", "small", "1", "a", "2", "b", "3", "c");
        assertThat(encoding("small")).isEqualTo("listpack");
        c.call("ZADD", "small", "4", "d");
        assertThat(encoding("small")).isEqualTo("skiplist");
        c.call("ZADD", "long", "1", "123456789");
        assertThat(encoding("long")).isEqualTo("skiplist");
        c.call("ZADD", "grow", "1", "a");
        c.call("ZADD", "grow", "1", "123456789");
        assertThat(encoding("grow")).isEqualTo("skiplist");
        // *STORE results are compacted when they fit
        assertThat(c.call("ZRANGESTORE", "dst", "small", "0", "1")).isEqualTo(":2\r\n");
        assertThat(encoding("dst")).isEqualTo("listpack");
        assertThat(c.call("ZUNIONSTORE", "u", "1", "small")).isEqualTo(":4\r\n");
        assertThat(encoding("u")).isEqualTo("skiplist");
        assertThat(c.call("ZINTERSTORE", "i", "2", "small", "dst")).isEqualTo(":2\r\n");
        assertThat(encoding("i")).isEqualTo("listpack");
        assertThat(c.call("ZRANGE", "small", "0", "-1", "WITHSCORES"))
                .isEqualTo("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    }

    @Test
    void scanOfSkiplistCoversEverythingWithCursors() throws Exception {
        String[] args = new String[2 + 2 * 200];
        args[0] = "ZADD";
        args[1] = "big";
        for (int i = 0; i < 200; i++) {
            args[2 + 2 * i] = Integer.toString(i);
            args[3 + 2 * i] = "m" + i;
        }
        assertThat(c.call(args)).isEqualTo(":200\r\n");
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        do {
            String reply = c.call("ZSCAN", "big", cursor, "COUNT", "7");
            String[] lines = reply.split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.length; i += 4) {
                seen.add(lines[i]);
            }
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(200);
    }

    @Test
    void negativeZeroAndNaN() throws Exception {
        c.call("ZADD", "z", "inf", "a");
        assertThat(c.call("ZINCRBY", "z", "-inf", "a")).isEqualTo("-ERR resulting score is not a number (NaN)\r\n");
        assertThat(c.call("ZSCORE", "z", "a")).isEqualTo("$3\r\ninf\r\n");
        c.call("ZADD", "z", "-0", "b");
        assertThat(c.call("ZSCORE", "z", "b")).isEqualTo("$1\r\n0\r\n");
    }
}
