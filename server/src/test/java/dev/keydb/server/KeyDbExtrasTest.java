package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FunctionRestorePolicy;
import redis.clients.jedis.exceptions.JedisDataException;

/** KeyDB's extras (OBJECT LASTMODIFIED, nested hashes, KEYDB.CRON) and FUNCTION DUMP/RESTORE, on the wire. */
class KeyDbExtrasTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--lastmodified-tracking", "yes");

    private static final String LIB = "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return args[1] end)";
    private static final String LIB2 = "#!lua name=lib2\nredis.register_function('f2', function(keys, args) return 2 end)";

    @Test
    void objectLastmodifiedCountsSecondsSinceTheLastWrite() throws Exception {
        try (RawConnection c = server.connectFlushed()) {
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isEqualTo("$-1\r\n");
            c.call("SET", "k", "v");
            c.call("RPUSH", "l", "a");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isEqualTo(":0\r\n");
            Thread.sleep(2100);
            // Reads do not count as writes.
            c.call("GET", "k");
            c.call("LRANGE", "l", "0", "-1");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isIn(":2\r\n", ":3\r\n");
            c.call("APPEND", "k", "w");
            c.call("LPUSH", "l", "b");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isEqualTo(":0\r\n");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "l")).isEqualTo(":0\r\n");
            assertThat(c.call("OBJECT", "LASTMODIFIED")).isEqualTo("-ERR wrong number of arguments for 'object|lastmodified' command\r\n");
            c.call("FLUSHALL");
            c.call("SET", "k", "v");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).as("tables made by FLUSHALL keep tracking").isEqualTo(":0\r\n");
        }
    }

    @Test
    void objectLastmodifiedIsOptIn() throws Exception {
        try (TestServer s = TestServer.start(); RawConnection c = new RawConnection(s.port())) {
            c.call("SET", "k", "v");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).startsWith("-ERR OBJECT LASTMODIFIED needs per-key write times");
            assertThat(c.call("CONFIG", "SET", "lastmodified-tracking", "yes")).contains("can't set immutable config");
        }
    }

    @Test
    void functionDumpRestoresOnARealRedisAndBack() throws Exception {
        try (RealRedis redis = RealRedis.start();
             Jedis real = new Jedis("127.0.0.1", redis.port());
             Jedis ours = new Jedis("127.0.0.1", server.port())) {
            ours.functionFlush();
            real.functionLoad(LIB);
            byte[] fromRedis = real.functionDump();
            ours.functionLoad(LIB);
            // Same bytes: same RDB string encoding (LZF included), version and CRC64.
            assertThat(ours.functionDump()).isEqualTo(fromRedis);

            ours.functionFlush();
            assertThat(ours.functionRestore(fromRedis)).isEqualTo("OK");
            assertThat(ours.fcall("f1", java.util.List.of(), java.util.List.of("hi"))).isEqualTo("hi");

            ours.functionLoad(LIB2);
            byte[] fromUs = ours.functionDump();
            real.functionFlush();
            assertThat(real.functionRestore(fromUs)).isEqualTo("OK");
            assertThat(real.fcall("f2", java.util.List.of(), java.util.List.of())).isEqualTo(2L);
            assertThat(real.functionList()).hasSize(2);
        }
    }

    @Test
    void functionRestorePolicies() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.functionFlush();
            j.functionLoad(LIB);
            byte[] one = j.functionDump();
            // APPEND (the default) refuses a library that exists; nothing changes.
            assertThatThrownBy(() -> j.functionRestore(one)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR Library lib1 already exists");
            assertThat(j.functionRestore(one, FunctionRestorePolicy.REPLACE)).isEqualTo("OK");
            j.functionLoad(LIB2);
            assertThat(j.functionRestore(one, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
            assertThat(j.functionList()).hasSize(1);
            assertThat(j.fcall("f1", java.util.List.of(), java.util.List.of("x"))).isEqualTo("x");
            // A library whose function name is taken by another library collides.
            j.functionFlush();
            j.functionLoad("#!lua name=other\nredis.register_function('f1', function() return 0 end)");
            assertThatThrownBy(() -> j.functionRestore(one, FunctionRestorePolicy.REPLACE)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR Function f1 already exists");
            assertThat(j.fcall("f1", java.util.List.of(), java.util.List.of())).isEqualTo(0L);
            // An empty payload under FLUSH deletes everything.
            j.functionFlush();
            byte[] empty = j.functionDump();
            assertThat(empty).hasSize(10);
            j.functionLoad(LIB);
            assertThat(j.functionRestore(empty, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
            assertThat(j.functionList()).isEmpty();
            // A key's DUMP payload is not a function payload.
            j.set("k", "v");
            byte[] keyDump = j.dump("k");
            assertThatThrownBy(() -> j.functionRestore(keyDump)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR given type is not a function");
        }
    }

    @Test
    void nestedHashesSetAndGetByDottedPath() throws Exception {
        try (RawConnection c = server.connectFlushed()) {
            assertThat(c.call("KEYDB.NHSET", "a.b.c", "v1")).isEqualTo(":0\r\n");
            assertThat(c.call("KEYDB.NHSET", "a.b.c", "v2")).isEqualTo(":1\r\n");
            assertThat(c.call("KEYDB.NHGET", "a.b.c")).isEqualTo("$2\r\nv2\r\n");
            // A bucket of one child is the [name, value] pair alone.
            assertThat(c.call("KEYDB.NHGET", "a.b")).isEqualTo("*2\r\n$1\r\nc\r\n$2\r\nv2\r\n");
            assertThat(c.call("KEYDB.NHGET", "a")).isEqualTo("*2\r\n$1\r\nb\r\n*2\r\n$1\r\nc\r\n$2\r\nv2\r\n");
            assertThat(c.call("KEYDB.NHSET", "a.b.list", "x", "y")).isEqualTo(":0\r\n");
            assertThat(c.call("KEYDB.NHGET", "a.b.list")).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
            // A bucket of several children is an array of pairs.
            String b = c.call("KEYDB.NHGET", "RESP", "a.b");
            assertThat(b).startsWith("*2\r\n*2\r\n").contains("$1\r\nc\r\n$2\r\nv2\r\n")
                    .contains("$4\r\nlist\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
            assertThat(c.call("KEYDB.NHGET", "json", "a.b.c")).isEqualTo("$4\r\n\"v2\"\r\n");
            assertThat(c.call("KEYDB.NHGET", "JSON", "a.b.list")).isEqualTo("$9\r\n[\"x\",\"y\"]\r\n");
            c.call("KEYDB.NHSET", "j.q", "say \"hi\"\\");
            assertThat(c.call("KEYDB.NHGET", "json", "j")).isEqualTo("$22\r\n{\"q\" : \"say \\\"hi\\\"\\\\\"}\r\n");
            // Errors: missing segments, paths past a string, empty segments, bad format word.
            assertThat(c.call("KEYDB.NHGET", "a.nope")).isEqualTo("-ERR no such key\r\n");
            assertThat(c.call("KEYDB.NHGET", "nokey")).isEqualTo("-ERR no such key\r\n");
            assertThat(c.call("KEYDB.NHGET", "a.b.c.d")).isEqualTo("-ERR no such key\r\n");
            assertThat(c.call("KEYDB.NHGET", "a..b")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("KEYDB.NHSET", "a.", "v")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("KEYDB.NHGET", "xml", "a")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("KEYDB.NHGET", "json", "a", "b")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("KEYDB.NHGET")).isEqualTo("-ERR wrong number of arguments for 'keydb.nhget' command\r\n");
            assertThat(c.call("KEYDB.NHSET", "a")).isEqualTo("-ERR wrong number of arguments for 'keydb.nhset' command\r\n");
            // The key is the first segment: TYPE unknown, encoding raw, as KeyDB's OBJ_NESTEDHASH.
            assertThat(c.call("TYPE", "a")).isEqualTo("+unknown\r\n");
            assertThat(c.call("OBJECT", "ENCODING", "a")).isEqualTo("$3\r\nraw\r\n");
            assertThat(c.call("EXISTS", "a")).isEqualTo(":1\r\n");
            assertThat(c.call("GET", "a")).startsWith("-WRONGTYPE");
            assertThat(c.call("COPY", "a", "a2")).isEqualTo(":1\r\n");
            c.call("KEYDB.NHSET", "a2.b.c", "changed");
            assertThat(c.call("KEYDB.NHGET", "a.b.c")).isEqualTo("$2\r\nv2\r\n");
            assertThat(c.call("KEYDB.NHGET", "a2.b.c")).isEqualTo("$7\r\nchanged\r\n");
            // Our own RDB type (KeyDB has none): DUMP and SAVE work, see KeyDbPersistenceTest.
            assertThat(c.call("DUMP", "a")).startsWith("$");
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            assertThat(c.call("EXPIRE", "a", "100")).isEqualTo(":1\r\n");
            c.call("KEYDB.NHSET", "a.z", "1");
            assertThat(c.call("TTL", "a")).isNotEqualTo(":-1\r\n");
            assertThat(c.call("DEL", "a", "a2", "j")).isEqualTo(":3\r\n");
            // A one-segment path sets a plain string or list key; a longer one replaces a plain value with a bucket.
            assertThat(c.call("KEYDB.NHSET", "s", "hello")).isEqualTo(":0\r\n");
            assertThat(c.call("GET", "s")).isEqualTo("$5\r\nhello\r\n");
            assertThat(c.call("KEYDB.NHSET", "l", "1", "2", "3")).isEqualTo(":0\r\n");
            assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
            assertThat(c.call("KEYDB.NHGET", "l")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
            assertThat(c.call("KEYDB.NHSET", "s.x", "y")).isEqualTo(":0\r\n");
            assertThat(c.call("TYPE", "s")).isEqualTo("+unknown\r\n");
            c.call("HSET", "h", "f", "v");
            assertThat(c.call("KEYDB.NHGET", "h")).startsWith("-WRONGTYPE");
            c.call("HELLO", "3");
            assertThat(c.call("KEYDB.NHGET", "s")).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
            assertThat(c.call("KEYDB.NHGET", "nokey")).isEqualTo("-ERR no such key\r\n");
            c.call("HELLO", "2");
            // Nesting is bounded (buckets are walked recursively): 1000 buckets deep works end to end.
            String deepest = "deep" + ".a".repeat(999) + ".leaf";
            assertThat(c.call("KEYDB.NHSET", deepest, "v")).isEqualTo(":0\r\n");
            assertThat(c.call("KEYDB.NHGET", deepest)).isEqualTo("$1\r\nv\r\n");
            assertThat(c.call("KEYDB.NHGET", "json", "deep")).startsWith("$").contains("\"leaf\" : \"v\"");
            assertThat(c.call("MEMORY", "USAGE", "deep")).startsWith(":");
            assertThat(c.call("COPY", "deep", "deep2")).isEqualTo(":1\r\n");
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            assertThat(c.call("KEYDB.NHGET", "deep2" + ".a".repeat(999) + ".leaf")).isEqualTo("$1\r\nv\r\n");
            assertThat(c.call("KEYDB.NHSET", "deep" + ".a".repeat(1000) + ".leaf", "v"))
                    .isEqualTo("-ERR nested hash path deeper than 1000 levels\r\n");
        }
    }

    private static void awaitReply(RawConnection c, String expected, String... command) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        String got = c.call(command);
        while (!got.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            got = c.call(command);
        }
        assertThat(got).isEqualTo(expected);
    }

    /** Polls until the reply (an integer, or a bulk holding one) reaches {@code min}. */
    private static void awaitAtLeast(RawConnection c, long min, String... command) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        long n = -1;
        while (System.currentTimeMillis() < deadline) {
            Object v = RespValue.parse(c.call(command));
            n = v instanceof Long l ? l : v instanceof String str ? Long.parseLong(str) : -1;
            if (n >= min) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(n).as(String.join(" ", command)).isGreaterThanOrEqualTo(min);
    }

    @Test
    void cronRunsASingleShotScriptThenDeletesItsKey() throws Exception {
        try (RawConnection c = server.connectFlushed()) {
            assertThat(c.call("KEYDB.CRON", "job", "single", "100", "redis.call('incr', KEYS[1]) redis.call('set', KEYS[2], ARGV[1])",
                    "2", "counter", "last", "hello")).isEqualTo("+OK\r\n");
            assertThat(c.call("TYPE", "job")).isEqualTo("+unknown\r\n");
            assertThat(c.call("OBJECT", "ENCODING", "job")).isEqualTo("$3\r\nraw\r\n");
            assertThat(c.call("TTL", "job")).isEqualTo(":-1\r\n");
            awaitReply(c, ":0\r\n", "EXISTS", "job");
            assertThat(c.call("GET", "counter")).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("GET", "last")).isEqualTo("$5\r\nhello\r\n");
        }
    }

    @Test
    void cronRepeatsUntilItsKeyIsDeleted() throws Exception {
        try (RawConnection c = server.connectFlushed(); RawConnection sub = new RawConnection(server.port())) {
            c.call("CONFIG", "SET", "notify-keyspace-events", "E");
            sub.call("SUBSCRIBE", "__keyevent@0__:CRON Executed");
            c.call("SELECT", "0");
            assertThat(c.call("KEYDB.CRON", "tick", "REPEAT", "100", "redis.call('rpush', KEYS[1], ARGV[1])", "1", "l", "x"))
                    .isEqualTo("+OK\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$28\r\n__keyevent@0__:CRON Executed\r\n$4\r\ntick\r\n");
            awaitAtLeast(c, 3, "LLEN", "l");
            assertThat(c.call("DEL", "tick")).isEqualTo(":1\r\n");
            String len = c.call("LLEN", "l");
            Thread.sleep(400);
            assertThat(c.call("LLEN", "l")).isEqualTo(len);
            assertThat(server.server().cronJobs().size()).isZero();
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
            // A start far ahead: nothing runs yet; the key is replaced like any SET.
            long later = System.currentTimeMillis() + 3_600_000;
            assertThat(c.call("KEYDB.CRON", "late", "repeat", Long.toString(later), "100", "redis.call('incr', 'late-ran')"))
                    .isEqualTo("+OK\r\n");
            Thread.sleep(300);
            assertThat(c.call("EXISTS", "late-ran")).isEqualTo(":0\r\n");
            // MOVE takes the job along: it still runs in its new database.
            assertThat(c.call("KEYDB.CRON", "mover", "repeat", "100", "redis.call('incr', 'moved-ran')")).isEqualTo("+OK\r\n");
            assertThat(c.call("MOVE", "mover", "5")).isEqualTo(":1\r\n");
            c.call("SELECT", "5");
            awaitAtLeast(c, 2, "GET", "moved-ran");
            c.call("DEL", "mover");
            c.call("SELECT", "0");
            c.call("SET", "late", "plain");
            assertThat(c.call("GET", "late")).isEqualTo("$5\r\nplain\r\n");
        }
    }

    @Test
    void cronErrors() throws Exception {
        try (RawConnection c = server.connectFlushed()) {
            assertThat(c.call("KEYDB.CRON", "j", "often", "100", "return 1")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "soon", "return 1")).isEqualTo("-ERR missing expire time\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "0", "return 1")).isEqualTo("-ERR interval must be positive\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "5", "-1", "return 1")).isEqualTo("-ERR interval must be positive\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "100", "return 1", "2", "k")).isEqualTo("-ERR Missing arguments or numkeys is too big\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "100", "return 1", "x"))
                    .isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "100")).isEqualTo("-ERR wrong number of arguments for 'keydb.cron' command\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "100", "200")).isEqualTo("-ERR wrong number of arguments for 'keydb.cron' command\r\n");
            assertThat(c.call("EXISTS", "j")).isEqualTo(":0\r\n");
            assertThat(c.call("KEYDB.CRON", "j", "single", "100000", "return 1")).isEqualTo("+OK\r\n");
            assertThat(c.call("TYPE", "j")).isEqualTo("+unknown\r\n");
            assertThat(c.call("DUMP", "j")).startsWith("$"); // KeyDB's RDB type 64, see KeyDbPersistenceTest
        }
    }

    @Test
    void aRunawayCronScriptIsAnsweredBusyAndKilled() throws Exception {
        try (RawConnection c = server.connectFlushed(); RawConnection other = new RawConnection(server.port())) {
            c.call("CONFIG", "SET", "busy-reply-threshold", "100");
            try {
                assertThat(c.call("KEYDB.CRON", "spin", "single", "50", "while true do end")).isEqualTo("+OK\r\n");
                long deadline = System.currentTimeMillis() + 5000;
                String reply = other.call("PING");
                while (!reply.startsWith("-BUSY") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                    reply = other.call("PING");
                }
                assertThat(reply).startsWith("-BUSY Redis is busy running a script.");
                assertThat(other.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
                awaitReply(other, "+PONG\r\n", "PING");
                // The single-shot job ran (and was killed): its key is gone.
                assertThat(other.call("EXISTS", "spin")).isEqualTo(":0\r\n");
            } finally {
                c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            }
        }
    }
}
