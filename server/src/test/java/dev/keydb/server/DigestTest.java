package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DEBUG DIGEST and DIGEST-VALUE for every type and encoding, compared with a real
 * redis-server holding the same dataset: lists (one node and many), sets (intset and
 * hashtable), hashes and sorted sets (listpack and hashtable/skiplist), with TTLs, scores
 * that exercise "%.17g" and several databases.
 */
class DigestTest {
    static RealRedis redis;
    static TestServer ours;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        ours = TestServer.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        redis.close();
        ours.close();
    }

    /** Runs a command on both servers and requires the same reply. */
    private static String both(RawConnection real, RawConnection mine, String... cmd) throws IOException {
        String expected = real.call(cmd);
        assertThat(mine.call(cmd)).as(String.join(" ", cmd)).isEqualTo(expected);
        return expected;
    }

    private static String[] cmd(String name, String key, List<String> args) {
        List<String> all = new ArrayList<>(List.of(name, key));
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    @Test
    void everyTypeAndEncodingDigestsAsRedis() throws Exception {
        try (RawConnection r = new RawConnection(redis.port()); RawConnection o = new RawConnection(ours.port())) {
            both(r, o, "FLUSHALL");
            List<String> keys = new ArrayList<>();
            // Lists: small, integer elements, many elements over several nodes, a long element.
            both(r, o, "RPUSH", "list:small", "a", "b", "c", "");
            both(r, o, "RPUSH", "list:ints", "1", "-2", "300000", "9223372036854775807", "007");
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                many.add(i % 3 == 0 ? Integer.toString(i) : "element-" + i);
            }
            both(r, o, cmd("RPUSH", "list:many", many));
            both(r, o, "LPUSH", "list:long", "y".repeat(5000), "z");
            keys.addAll(List.of("list:small", "list:ints", "list:many", "list:long"));
            // Sets: intset, hashtable by content, hashtable by size.
            both(r, o, "SADD", "set:ints", "1", "2", "3", "-100", "65536", "4294967296");
            both(r, o, "SADD", "set:strs", "a", "b", "1", "hello world");
            List<String> bigInts = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                bigInts.add(Integer.toString(i * 7));
            }
            both(r, o, cmd("SADD", "set:bigints", bigInts));
            keys.addAll(List.of("set:ints", "set:strs", "set:bigints"));
            // Hashes: listpack, hashtable by value length, hashtable by size.
            both(r, o, "HSET", "hash:small", "f1", "v1", "f2", "2", "3", "three", "", "empty");
            both(r, o, "HSET", "hash:longval", "f", "v".repeat(100), "g", "1");
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                fields.add("field" + i);
                fields.add(Integer.toString(i * 3));
            }
            both(r, o, cmd("HSET", "hash:big", fields));
            both(r, o, "HINCRBYFLOAT", "hash:small", "float", "1.1");
            keys.addAll(List.of("hash:small", "hash:longval", "hash:big"));
            // Sorted sets: listpack and skiplist, with scores that need %.17g.
            List<String> scored = List.of("1", "one", "0.1", "tenth", "-0", "negzero", "1e300", "huge", "-inf", "minf",
                    "inf", "pinf", "3.14159265358979", "pi", "123456789012345678", "bigint", "-2.5e-10", "tiny",
                    "1e15", "e15", "1e16", "e16", "0.30000000000000004", "sum", "5", "5");
            both(r, o, cmd("ZADD", "zset:small", scored));
            both(r, o, cmd("ZADD", "zset:long", scored));
            both(r, o, "ZADD", "zset:long", "7", "m".repeat(100));
            List<String> manyScores = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                manyScores.add(Double.toString(i / 3.0));
                manyScores.add("member" + i);
            }
            both(r, o, cmd("ZADD", "zset:big", manyScores));
            both(r, o, "ZINCRBY", "zset:small", "0.7", "one");
            keys.addAll(List.of("zset:small", "zset:long", "zset:big"));
            both(r, o, "SET", "string", "value");
            keys.add("string");
            for (String k : keys) {
                both(r, o, "OBJECT", "ENCODING", k);
            }
            both(r, o, "DEBUG", "DIGEST");
            List<String> dv = new ArrayList<>(List.of("DEBUG", "DIGEST-VALUE"));
            dv.addAll(keys);
            dv.add("missing");
            both(r, o, dv.toArray(String[]::new));

            // TTLs add the expire marker to collections too.
            both(r, o, "EXPIRE", "list:many", "1000");
            both(r, o, "PEXPIRE", "zset:big", "5000000");
            both(r, o, "EXPIRE", "set:ints", "1000");
            both(r, o, "DEBUG", "DIGEST-VALUE", "list:many", "zset:big", "set:ints");
            both(r, o, "DEBUG", "DIGEST");

            // Sets digest independently of insertion order and encoding history.
            both(r, o, "SADD", "set:a", "x", "y", "z", "1");
            both(r, o, "SADD", "set:b", "1", "z", "y", "x");
            String a = both(r, o, "DEBUG", "DIGEST-VALUE", "set:a");
            assertThat(both(r, o, "DEBUG", "DIGEST-VALUE", "set:b")).isEqualTo(a);
            both(r, o, "SREM", "set:bigints", "0");
            both(r, o, "SPOP", "set:strs", "0");

            // Changes after modification: pops, removals, other databases.
            both(r, o, "LPOP", "list:many", "10");
            both(r, o, "ZREM", "zset:small", "pi");
            both(r, o, "HDEL", "hash:big", "field3");
            both(r, o, "SELECT", "3");
            both(r, o, "RPUSH", "l", "x");
            both(r, o, "HSET", "h", "a", "b");
            both(r, o, "ZADD", "z", "2", "x");
            both(r, o, "SADD", "s", "1");
            both(r, o, "DEBUG", "DIGEST");
            both(r, o, "SELECT", "0");
            both(r, o, "DEBUG", "DIGEST");
            both(r, o, "FLUSHALL");
            both(r, o, "DEBUG", "DIGEST");
        }
    }
}
