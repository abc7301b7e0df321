package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyspace notifications (notify-keyspace-events): the flag string as CONFIG SET takes it and
 * CONFIG GET answers it, the events every write command family publishes, expiry events from
 * lazy and active expiry, and the exact message sequence compared with a real redis-server.
 */
class KeyspaceNotificationsTest {
    /** Published after a command sequence so a subscriber knows it has seen every event. */
    private static final String FENCE = "fence";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--enable-debug-command", "yes");
    RawConnection c;
    RawConnection sub;

    @BeforeEach
    void connect() throws Exception {
        c = new RawConnection(server.port());
        c.call("FLUSHALL");
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        sub = subscriber(server.port());
    }

    @AfterEach
    void disconnect() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "");
        c.close();
        sub.close();
    }

    /** A connection subscribed to every keyspace/keyevent channel and to the fence channel. */
    static RawConnection subscriber(int port) throws IOException {
        RawConnection s = new RawConnection(port);
        assertThat(s.call("PSUBSCRIBE", "__key*__:*")).isEqualTo("*3\r\n$10\r\npsubscribe\r\n$10\r\n__key*__:*\r\n:1\r\n");
        assertThat(s.call("SUBSCRIBE", FENCE)).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$5\r\nfence\r\n:2\r\n");
        return s;
    }

    /** Publishes the fence through {@code pub} and returns every keyspace message {@code s} got before it, as "channel message". */
    @SuppressWarnings("unchecked")
    static List<String> drain(RawConnection pub, RawConnection s) throws IOException {
        pub.call("PUBLISH", FENCE, "x");
        List<String> out = new ArrayList<>();
        while (true) {
            List<Object> m = RespValue.array(s.readReply());
            if (m.get(0).equals("message")) {
                return out;
            }
            out.add(m.get(2) + " " + m.get(3));
        }
    }

    private List<String> events() throws IOException {
        return drain(c, sub);
    }

    /** The pair of messages one event publishes with K and E both on, in db 0. */
    private static List<String> ev(String event, String key) {
        return List.of("__keyspace@0__:" + key + " " + event, "__keyevent@0__:" + event + " " + key);
    }

    @SafeVarargs
    private static List<String> all(List<String>... events) {
        List<String> out = new ArrayList<>();
        for (List<String> e : events) {
            out.addAll(e);
        }
        return out;
    }

    @Test
    void flagStringsAreCanonicalisedAsRedisDoes() throws Exception {
        String[] inputs = {"", "K", "E", "KE", "g", "$", "l", "s", "h", "z", "x", "e", "t", "m", "d", "n",
            "A", "KEA", "AKE", "Elg", "glshz$xetd", "glshz$xet", "Kgx", "KEAm", "KEAn", "Amn", "gg", "AA", "KKEE",
            "lsh$", "Kzl", "Kn", "nE", "gn", "nm", "Em", "Adn", "dKE", "w", "KEw", "a", "k", " "};
        try (RealRedis redis = RealRedis.start(); RawConnection r = new RawConnection(redis.port())) {
            for (String in : inputs) {
                String expected = r.call("CONFIG", "SET", "notify-keyspace-events", in);
                assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", in)).as("CONFIG SET '%s'", in).isEqualTo(expected);
                assertThat(c.call("CONFIG", "GET", "notify-keyspace-events")).as("CONFIG GET after '%s'", in)
                        .isEqualTo(r.call("CONFIG", "GET", "notify-keyspace-events"));
            }
        }
    }

    @Test
    void onlyEnabledClassesAndChannelsArePublished() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "El");
        c.call("SET", "s", "v");
        c.call("RPUSH", "l", "a");
        c.call("SADD", "st", "a");
        assertThat(events()).containsExactly("__keyevent@0__:rpush l");
        c.call("CONFIG", "SET", "notify-keyspace-events", "Ks");
        c.call("RPUSH", "l", "b");
        c.call("SADD", "st", "b");
        assertThat(events()).containsExactly("__keyspace@0__:st sadd");
        c.call("CONFIG", "SET", "notify-keyspace-events", "A");
        c.call("SADD", "st", "c");
        assertThat(events()).isEmpty();
        c.call("SELECT", "3");
        c.call("CONFIG", "SET", "notify-keyspace-events", "E$");
        c.call("SET", "k", "v");
        assertThat(events()).containsExactly("__keyevent@3__:set k");
    }

    @Test
    void stringAndGenericEvents() throws Exception {
        c.call("SET", "a", "1");
        c.call("INCRBY", "a", "2");
        c.call("APPEND", "a", "x");
        c.call("EXPIRE", "a", "100");
        c.call("PERSIST", "a");
        c.call("RENAME", "a", "b");
        c.call("DEL", "b", "nosuch");
        assertThat(events()).containsExactlyElementsOf(all(ev("set", "a"), ev("incrby", "a"), ev("append", "a"),
                ev("expire", "a"), ev("persist", "a"), ev("rename_from", "a"), ev("rename_to", "b"), ev("del", "b")));
    }

    @Test
    void listEvents() throws Exception {
        c.call("RPUSH", "l", "a", "b", "c");
        c.call("LPUSH", "l", "z");
        c.call("LPUSHX", "nosuch", "x");
        c.call("LINSERT", "l", "BEFORE", "b", "ab");
        c.call("LINSERT", "l", "BEFORE", "nosuch", "x");
        c.call("LSET", "l", "0", "y");
        c.call("LREM", "l", "0", "nosuch");
        c.call("LREM", "l", "0", "ab");
        c.call("LTRIM", "l", "0", "-1");
        c.call("LPOP", "l");
        c.call("LMOVE", "l", "m", "RIGHT", "LEFT");
        c.call("RPOP", "l", "5");
        c.call("RPOPLPUSH", "m", "m");
        c.call("LTRIM", "m", "1", "0");
        assertThat(events()).containsExactlyElementsOf(all(ev("rpush", "l"), ev("lpush", "l"), ev("linsert", "l"),
                ev("lset", "l"), ev("lrem", "l"), ev("ltrim", "l"), ev("lpop", "l"),
                ev("lpush", "m"), ev("rpop", "l"),
                ev("rpop", "l"), ev("del", "l"),
                ev("lpush", "m"), ev("rpop", "m"),
                ev("ltrim", "m"), ev("del", "m")));
        c.call("RPUSH", "l", "a", "b");
        c.call("LMPOP", "2", "nosuch", "l", "LEFT", "COUNT", "5");
        assertThat(events()).containsExactlyElementsOf(all(ev("rpush", "l"), ev("lpop", "l"), ev("del", "l")));
    }

    @Test
    void hashEvents() throws Exception {
        c.call("HSET", "h", "f", "1", "g", "2");
        c.call("HSET", "h", "f", "1");
        c.call("HSETNX", "h", "f", "3");
        c.call("HSETNX", "h", "n", "3");
        c.call("HINCRBY", "h", "f", "5");
        c.call("HINCRBYFLOAT", "h", "f", "0.5");
        c.call("HDEL", "h", "nosuch");
        c.call("HDEL", "h", "f", "g");
        c.call("HDEL", "h", "n");
        c.call("HMSET", "h2", "a", "b");
        assertThat(events()).containsExactlyElementsOf(all(ev("hset", "h"), ev("hset", "h"), ev("hset", "h"),
                ev("hincrby", "h"), ev("hincrbyfloat", "h"), ev("hdel", "h"), ev("hdel", "h"), ev("del", "h"),
                ev("hset", "h2")));
    }

    @Test
    void setEvents() throws Exception {
        c.call("SADD", "s", "1", "2", "3");
        c.call("SADD", "s", "1");
        c.call("SREM", "s", "nosuch");
        c.call("SREM", "s", "3");
        c.call("SMOVE", "s", "t", "1");
        c.call("SMOVE", "s", "t", "nosuch");
        c.call("SADD", "t", "2");
        c.call("SMOVE", "s", "t", "2");
        c.call("SINTERSTORE", "i", "t", "nosuch");
        c.call("SUNIONSTORE", "u", "t");
        c.call("SDIFFSTORE", "u", "t", "t");
        c.call("SINTERSTORE", "i", "t", "t");
        c.call("SPOP", "i");
        c.call("SPOP", "i");
        c.call("SPOP", "t", "0");
        c.call("SPOP", "t", "10");
        assertThat(events()).containsExactlyElementsOf(all(ev("sadd", "s"), ev("srem", "s"),
                ev("srem", "s"), ev("sadd", "t"),
                ev("sadd", "t"),
                ev("srem", "s"), ev("del", "s"),
                ev("sunionstore", "u"), ev("del", "u"), ev("sinterstore", "i"),
                ev("spop", "i"), ev("spop", "i"), ev("del", "i"),
                ev("spop", "t"), ev("del", "t")));
    }

    @Test
    void zsetEvents() throws Exception {
        c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        c.call("ZADD", "z", "1", "a");
        c.call("ZADD", "z", "GT", "0", "a");
        c.call("ZADD", "z", "5", "a");
        c.call("ZINCRBY", "z", "0", "a");
        c.call("ZINCRBY", "z", "1", "a");
        c.call("ZADD", "z", "INCR", "1", "a");
        c.call("ZREM", "z", "nosuch");
        c.call("ZREM", "z", "a");
        c.call("ZREMRANGEBYRANK", "z", "5", "10");
        c.call("ZREMRANGEBYRANK", "z", "0", "0");
        c.call("ZREMRANGEBYSCORE", "z", "3", "3");
        c.call("ZADD", "z", "0", "x", "0", "y");
        c.call("ZREMRANGEBYLEX", "z", "[x", "[x");
        c.call("ZPOPMIN", "z");
        c.call("ZPOPMAX", "z", "0");
        c.call("ZPOPMAX", "z", "5");
        assertThat(events()).containsExactlyElementsOf(all(ev("zadd", "z"), ev("zadd", "z"), ev("zincr", "z"),
                ev("zincr", "z"), ev("zrem", "z"), ev("zremrangebyrank", "z"), ev("zremrangebyscore", "z"),
                ev("zadd", "z"), ev("zremrangebylex", "z"), ev("zpopmin", "z"), ev("zpopmax", "z"), ev("del", "z")));
        c.call("ZADD", "a", "1", "m", "2", "n");
        c.call("SADD", "s", "m");
        c.call("ZUNIONSTORE", "u", "2", "a", "s");
        c.call("ZINTERSTORE", "i", "2", "a", "s");
        c.call("ZDIFFSTORE", "d", "2", "a", "a");
        c.call("ZDIFFSTORE", "i", "2", "a", "a");
        c.call("ZRANGESTORE", "r", "a", "0", "0");
        c.call("ZRANGESTORE", "r", "nosuch", "0", "-1");
        c.call("ZMPOP", "1", "a", "MIN", "COUNT", "1");
        assertThat(events()).containsExactlyElementsOf(all(ev("zadd", "a"), ev("sadd", "s"), ev("zunionstore", "u"),
                ev("zinterstore", "i"), ev("del", "i"), ev("zrangestore", "r"), ev("del", "r"), ev("zpopmin", "a")));
    }

    @Test
    void expiredEventsFromLazyExpiry() throws Exception {
        c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            c.call("SET", "k", "v", "PX", "1");
            c.call("RPUSH", "l", "a");
            c.call("PEXPIRE", "l", "1");
            Thread.sleep(20);
            assertThat(events()).containsExactlyElementsOf(all(ev("set", "k"), ev("expire", "k"), ev("rpush", "l"), ev("expire", "l")));
            assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
            assertThat(c.call("LLEN", "l")).isEqualTo(":0\r\n");
            assertThat(events()).containsExactlyElementsOf(all(ev("expired", "k"), ev("expired", "l")));
        } finally {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void expiredEventsFromTheActiveCycle() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "Ex");
        c.call("HSET", "h", "f", "v");
        c.call("PEXPIRE", "h", "50");
        c.call("SET", "s", "v", "PX", "50");
        // No command touches the keys: only the active cycle can expire them; wait at most 5 s.
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            got.addAll(events());
        }
        assertThat(got).containsExactlyInAnyOrder("__keyevent@0__:expired h", "__keyevent@0__:expired s");
        assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
    }

    /**
     * The same commands on a real redis-server and on ours, each with its own subscriber: the
     * two sequences of keyspace messages must be identical, message for message.
     */
    @Test
    void sameMessagesAsRealRedis() throws Exception {
        String[][] script = {
            {"SET", "str", "1"}, {"SET", "str", "2", "EX", "100"}, {"SETNX", "str", "x"}, {"SETNX", "str2", "x"},
            {"INCR", "str2"}, {"INCRBY", "n", "5"}, {"DECR", "n"}, {"INCRBYFLOAT", "n", "1.5"}, {"APPEND", "str2", "y"},
            {"SETRANGE", "str2", "3", "zz"}, {"GETSET", "str2", "a"}, {"GETDEL", "str2"}, {"GETEX", "str", "PERSIST"},
            {"MSET", "m1", "a", "m2", "b"}, {"MSETNX", "m1", "c", "m3", "d"}, {"PSETEX", "p", "100000", "v"},
            {"EXPIRE", "m1", "100"}, {"PEXPIRE", "m1", "0"}, {"PERSIST", "m2"}, {"EXPIRE", "m2", "100"}, {"PERSIST", "m2"},
            {"RENAME", "m2", "m4"}, {"RENAMENX", "m4", "str"}, {"COPY", "str", "c1"}, {"COPY", "str", "c1", "REPLACE"},
            {"MOVE", "c1", "2"}, {"DEL", "m4", "nosuch", "p"}, {"UNLINK", "str"},
            {"RPUSH", "l", "a", "b", "c", "d", "e"}, {"LPUSH", "l", "0"}, {"RPUSHX", "l", "f"}, {"LPUSHX", "nol", "x"},
            {"LINSERT", "l", "AFTER", "c", "c2"}, {"LINSERT", "l", "AFTER", "zz", "c2"}, {"LSET", "l", "1", "A"},
            {"LREM", "l", "1", "zz"}, {"LREM", "l", "-1", "c2"}, {"LTRIM", "l", "0", "100"}, {"LTRIM", "l", "1", "-1"},
            {"LPOP", "l"}, {"RPOP", "l", "2"}, {"LPOP", "l", "0"}, {"LMOVE", "l", "l2", "LEFT", "RIGHT"},
            {"RPOPLPUSH", "l", "l2"}, {"LMOVE", "l", "l", "LEFT", "LEFT"}, {"LMPOP", "2", "l", "l2", "RIGHT", "COUNT", "10"},
            {"RPOPLPUSH", "l2", "l3"}, {"LPOP", "l3", "1"}, {"RPUSH", "lt", "x"}, {"LTRIM", "lt", "5", "10"},
            {"HSET", "h", "a", "1", "b", "2", "c", "3"}, {"HMSET", "h", "a", "1"}, {"HSETNX", "h", "a", "9"},
            {"HSETNX", "h", "d", "4"}, {"HINCRBY", "h", "a", "10"}, {"HINCRBYFLOAT", "h", "b", "1.25"},
            {"HDEL", "h", "zz"}, {"HDEL", "h", "a", "b"}, {"HDEL", "h", "c", "d", "zz"}, {"HINCRBY", "h2", "x", "1"},
            {"SADD", "s", "1", "2", "3", "4"}, {"SADD", "s", "1"}, {"SADD", "sx", "a", "b", "c"}, {"SREM", "s", "9"},
            {"SREM", "s", "4"}, {"SMOVE", "s", "s2", "3"}, {"SMOVE", "s", "s2", "9"}, {"SMOVE", "s", "s", "1"},
            {"SADD", "s2", "2"}, {"SMOVE", "s", "s2", "2"}, {"SINTERSTORE", "si", "s", "s2"}, {"SINTERSTORE", "si", "s2", "nosuch"},
            {"SINTERSTORE", "si", "s2", "nosuch"}, {"SUNIONSTORE", "su", "s", "s2", "sx"}, {"SDIFFSTORE", "sd", "sx", "s"},
            {"SDIFFSTORE", "sd", "sx", "sx"}, {"SPOP", "su", "0"}, {"SPOP", "su", "2"}, {"SPOP", "s"}, {"SPOP", "s"},
            {"SPOP", "su", "100"}, {"SINTERSTORE", "su", "sx", "sx"}, {"SREM", "su", "a", "b", "c"},
            {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}, {"ZADD", "z", "1", "a"}, {"ZADD", "z", "CH", "1", "a", "7", "b"},
            {"ZADD", "z", "NX", "1", "a"}, {"ZADD", "z", "XX", "1", "zz"}, {"ZADD", "z", "GT", "0", "a"}, {"ZADD", "z", "LT", "0", "a"},
            {"ZADD", "z", "INCR", "0", "a"}, {"ZADD", "z", "INCR", "2", "a"}, {"ZINCRBY", "z", "0", "a"}, {"ZINCRBY", "z", "1", "new"},
            {"ZADD", "zxx", "XX", "1", "a"}, {"ZREM", "z", "zz"}, {"ZREM", "z", "new"}, {"ZREMRANGEBYRANK", "z", "10", "20"},
            {"ZREMRANGEBYRANK", "z", "0", "0"}, {"ZREMRANGEBYSCORE", "z", "100", "200"}, {"ZREMRANGEBYSCORE", "z", "3", "3"},
            {"ZADD", "lex", "0", "a", "0", "b", "0", "c"}, {"ZREMRANGEBYLEX", "lex", "[x", "[z"}, {"ZREMRANGEBYLEX", "lex", "-", "+"},
            {"SADD", "zs", "d", "e", "q"}, {"ZUNIONSTORE", "zu", "2", "z", "zs"}, {"ZINTERSTORE", "zi", "2", "z", "zs"},
            {"ZINTERSTORE", "zi", "2", "z", "nosuch"}, {"ZINTERSTORE", "zi", "2", "z", "nosuch"}, {"ZDIFFSTORE", "zd", "2", "zs", "z"},
            {"ZDIFFSTORE", "zd", "1", "nosuch"}, {"ZRANGESTORE", "zr", "z", "0", "1"}, {"ZRANGESTORE", "zr", "z", "(9", "+inf", "BYSCORE"},
            {"ZPOPMIN", "zu"}, {"ZPOPMAX", "zu", "2"}, {"ZPOPMIN", "zu", "0"}, {"ZMPOP", "2", "nosuch", "zu", "MAX", "COUNT", "100"},
            {"ZPOPMIN", "zu"}, {"ZADD", "z", "XX", "INCR", "1", "zz"},
            {"SELECT", "1"}, {"SET", "db1", "x"}, {"SWAPDB", "0", "1"}, {"SELECT", "0"}, {"DEL", "db1"},
            {"FLUSHDB"}, {"SET", "after", "1"}, {"FLUSHALL"},
        };
        try (RealRedis redis = RealRedis.start(); RawConnection r = new RawConnection(redis.port());
                RawConnection rsub = subscriber(redis.port())) {
            r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            List<String> expectedReplies = new ArrayList<>();
            List<String> actualReplies = new ArrayList<>();
            for (String[] cmd : script) {
                expectedReplies.add(String.join(" ", cmd) + " -> " + normalize(cmd, r.call(cmd)));
                actualReplies.add(String.join(" ", cmd) + " -> " + normalize(cmd, c.call(cmd)));
            }
            assertThat(actualReplies).containsExactlyElementsOf(expectedReplies);
            List<String> expected = drain(r, rsub);
            List<String> actual = drain(c, sub);
            assertThat(expected).hasSizeGreaterThan(200);
            assertThat(actual).containsExactlyElementsOf(expected);
        }
    }

    /** Replies of random pops differ between servers: only their size is compared. */
    private static String normalize(String[] cmd, String reply) {
        if (cmd[0].equals("SPOP")) {
            return reply.startsWith("*") ? reply.substring(0, reply.indexOf('\r')) : reply.startsWith("$") ? "bulk" : reply;
        }
        return reply;
    }
}
