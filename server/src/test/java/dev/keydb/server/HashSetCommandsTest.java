package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hash and set commands over the wire: RESP3 shapes, the large encodings (which the
 * differential scripts can only compare loosely, since their order differs from Redis), and
 * the encoding thresholds read from the configuration.
 */
class HashSetCommandsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--hash-max-listpack-entries", "4", "--hash-max-ziplist-value", "8",
                "--set-max-intset-entries", "3");
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    private String encoding(String key) {
        server.server().lock().lock();
        try {
            Object v = server.server().keyspace().db(0).lookupNoTouch(key.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            return v == null ? null : ValueType.encodingOf(v);
        } finally {
            server.server().lock().unlock();
        }
    }

    /** The bulk strings of a flat reply (skips aggregate headers and integers). */
    private static List<String> bulks(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("$") && !lines[i].equals("$-1")) {
                out.add(lines[++i]);
            }
        }
        return out;
    }

    @Test
    void hashThresholdsComeFromTheConfig() throws Exception {
        assertThat(c.call("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4")).isEqualTo(":4\r\n");
        assertThat(encoding("h")).isEqualTo("listpack");
        assertThat(c.call("HGETALL", "h")).isEqualTo("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
        c.call("HSET", "h", "e", "5");
        assertThat(encoding("h")).isEqualTo("hashtable");
        c.call("HSET", "v", "a", "123456789");
        assertThat(encoding("v")).isEqualTo("hashtable");
        c.call("HSET", "w", "a", "12345678");
        assertThat(encoding("w")).isEqualTo("listpack");
        c.call("HINCRBYFLOAT", "w", "a", "0.5");
        assertThat(encoding("w")).isEqualTo("hashtable");
        assertThat(c.call("HGET", "w", "a")).isEqualTo("$10\r\n12345678.5\r\n");
        c.call("HSETNX", "x", "a", "1");
        c.call("HSETNX", "x", "a", "123456789");
        assertThat(encoding("x")).isEqualTo("listpack");
    }

    @Test
    void largeHashScanAndRandom() throws Exception {
        for (int i = 0; i < 500; i++) {
            c.call("HSET", "big", "f" + i, "v" + i);
        }
        assertThat(c.call("HLEN", "big")).isEqualTo(":500\r\n");
        Set<String> fields = new HashSet<>();
        String cursor = "0";
        do {
            String r = c.call("HSCAN", "big", cursor, "COUNT", "7");
            List<String> b = bulks(r);
            cursor = b.get(0);
            for (int i = 1; i < b.size(); i += 2) {
                assertThat(b.get(i + 1)).isEqualTo("v" + b.get(i).substring(1));
                fields.add(b.get(i));
            }
        } while (!cursor.equals("0"));
        assertThat(fields).hasSize(500);
        List<String> matched = bulks(c.call("HSCAN", "big", "0", "MATCH", "f1?", "COUNT", "10000"));
        assertThat(matched.subList(1, matched.size())).hasSize(20);
        List<String> rnd = bulks(c.call("HRANDFIELD", "big", "10"));
        assertThat(new HashSet<>(rnd)).hasSize(10);
        rnd = bulks(c.call("HRANDFIELD", "big", "400"));
        assertThat(new HashSet<>(rnd)).hasSize(400);
        rnd = bulks(c.call("HRANDFIELD", "big", "-1000", "WITHVALUES"));
        assertThat(rnd).hasSize(2000);
        for (int i = 0; i < rnd.size(); i += 2) {
            assertThat(rnd.get(i + 1)).isEqualTo("v" + rnd.get(i).substring(1));
        }
        assertThat(bulks(c.call("HKEYS", "big"))).hasSize(500);
        assertThat(c.call("HGETALL", "big")).startsWith("*1000\r\n");
    }

    @Test
    void hashResp3Shapes() throws Exception {
        c.call("HELLO", "3");
        c.call("HSET", "h", "a", "1");
        assertThat(c.call("HGETALL", "h")).isEqualTo("%1\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(c.call("HGETALL", "nokey")).isEqualTo("%0\r\n");
        assertThat(c.call("HKEYS", "nokey")).isEqualTo("*0\r\n");
        assertThat(c.call("HGET", "nokey", "a")).isEqualTo("_\r\n");
        assertThat(c.call("HRANDFIELD", "h", "1", "WITHVALUES")).isEqualTo("*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(c.call("HRANDFIELD", "h", "-2", "WITHVALUES")).isEqualTo("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(c.call("HRANDFIELD", "nokey")).isEqualTo("_\r\n");
    }

    @Test
    void setThresholdsAndLargeSets() throws Exception {
        c.call("SADD", "s", "3", "1", "2");
        assertThat(encoding("s")).isEqualTo("intset");
        assertThat(c.call("SMEMBERS", "s")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
        c.call("SADD", "s", "4");
        assertThat(encoding("s")).isEqualTo("hashtable");
        c.call("SADD", "t", "1", "x");
        assertThat(encoding("t")).isEqualTo("hashtable");
        for (int i = 0; i < 300; i++) {
            c.call("SADD", "big", "m" + i);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            List<String> b = bulks(c.call("SSCAN", "big", cursor, "COUNT", "5"));
            cursor = b.get(0);
            seen.addAll(b.subList(1, b.size()));
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(300);
        assertThat(new HashSet<>(bulks(c.call("SRANDMEMBER", "big", "20")))).hasSize(20);
        assertThat(new HashSet<>(bulks(c.call("SRANDMEMBER", "big", "250")))).hasSize(250);
        assertThat(bulks(c.call("SRANDMEMBER", "big", "-500"))).hasSize(500);
        Set<String> popped = new HashSet<>(bulks(c.call("SPOP", "big", "100")));
        assertThat(popped).hasSize(100);
        assertThat(c.call("SCARD", "big")).isEqualTo(":200\r\n");
        for (String p : popped) {
            assertThat(c.call("SISMEMBER", "big", p)).isEqualTo(":0\r\n");
        }
        c.call("SINTERSTORE", "d", "s", "s");
        assertThat(encoding("d")).isEqualTo("hashtable");
        c.call("SADD", "i1", "1", "2");
        c.call("SUNIONSTORE", "d", "i1");
        assertThat(encoding("d")).isEqualTo("intset");
    }

    @Test
    void setResp3Shapes() throws Exception {
        c.call("HELLO", "3");
        c.call("SADD", "s", "1", "2");
        assertThat(c.call("SMEMBERS", "s")).isEqualTo("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
        assertThat(c.call("SMEMBERS", "nokey")).isEqualTo("~0\r\n");
        assertThat(c.call("SPOP", "nokey", "2")).isEqualTo("~0\r\n");
        assertThat(c.call("SRANDMEMBER", "nokey", "2")).isEqualTo("*0\r\n");
        assertThat(c.call("SRANDMEMBER", "s", "5")).isEqualTo("*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
        assertThat(c.call("SUNION", "s", "nokey")).isEqualTo("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
        assertThat(c.call("SPOP", "s", "5")).isEqualTo("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
        assertThat(c.call("EXISTS", "s")).isEqualTo(":0\r\n");
    }
}
