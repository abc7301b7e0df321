package dev.keydb.server.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.server.RawConnection;
import dev.keydb.server.RealRedis;
import dev.keydb.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AOF end to end: a workload touching every propagation rewrite, then a restart from the
 * AOF directory gives the same DEBUG DIGEST; Redis's redis-check-aof accepts our files; a real
 * redis-server 7.0 loads our directory and we load its; BGREWRITEAOF under writes; CONFIG SET
 * appendonly at run time; torn tails with aof-load-truncated yes and no.
 */
class AofTest {
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("aof-test");
    }

    @AfterEach
    void tearDown() throws IOException {
        delete(dir);
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private TestServer start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes", "--enable-debug-command", "yes"));
        args.addAll(List.of(extra));
        return TestServer.start(args.toArray(String[]::new));
    }

    private static void ok(RawConnection c, String... command) throws IOException {
        assertThat(c.call(command)).as(String.join(" ", command)).doesNotStartWith("-");
    }

    /**
     * Writes through every command Redis rewrites for propagation, in several databases; with
     * {@code keydb} also KeyDB's own (EXPIREMEMBER, which Redis lacks); with {@code streams} the
     * stream commands (XADD *, approximate trims, XREADGROUP, XCLAIM, XAUTOCLAIM).
     */
    static void workload(RawConnection c, boolean keydb, boolean streams) throws Exception {
        ok(c, "SET", "plain", "v");
        ok(c, "SET", "ex", "v", "EX", "1000");
        ok(c, "SET", "px", "v", "PX", "1000000", "GET");
        ok(c, "SET", "keep", "v", "GET");
        ok(c, "SETEX", "setex", "1000", "v");
        ok(c, "PSETEX", "psetex", "1000000", "v");
        ok(c, "SET", "gone", "v", "PX", "1");
        ok(c, "EXPIRE", "plain", "5000");
        ok(c, "PEXPIRE", "keep", "5000000");
        ok(c, "EXPIREAT", "setex", "4102444800");
        ok(c, "SET", "todel", "v");
        ok(c, "EXPIRE", "todel", "-5");
        ok(c, "SET", "getex", "v");
        ok(c, "GETEX", "getex", "EX", "700");
        ok(c, "SET", "getexp", "v", "EX", "100");
        ok(c, "GETEX", "getexp", "PERSIST");
        ok(c, "INCRBYFLOAT", "float", "10.5");
        ok(c, "INCRBYFLOAT", "float", "0.1");
        ok(c, "HINCRBYFLOAT", "hash", "f", "3.3");
        ok(c, "HSET", "hash", "a", "1", "b", "2");
        ok(c, "SADD", "set", "a", "b", "c", "d", "e", "f", "1", "2");
        ok(c, "SPOP", "set");
        ok(c, "SPOP", "set", "3");
        ok(c, "SADD", "set2", "x", "y");
        ok(c, "SPOP", "set2", "10");
        ok(c, "RPUSH", "list", "a", "b", "c", "d", "e", "f");
        ok(c, "BLPOP", "list", "0");
        ok(c, "BRPOP", "list", "0");
        ok(c, "BLMOVE", "list", "list2", "LEFT", "RIGHT", "0");
        ok(c, "BRPOPLPUSH", "list", "list2", "0");
        ok(c, "LMPOP", "1", "list", "LEFT", "COUNT", "1");
        ok(c, "BLMPOP", "0", "1", "list2", "RIGHT");
        ok(c, "ZADD", "zset", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        ok(c, "BZPOPMIN", "zset", "0");
        ok(c, "BZPOPMAX", "zset", "0");
        ok(c, "ZMPOP", "1", "zset", "MIN");
        ok(c, "BZMPOP", "0", "1", "zset", "MAX", "COUNT", "1");
        ok(c, "MULTI");
        ok(c, "INCR", "counter");
        ok(c, "GET", "counter");
        ok(c, "SET", "inmulti", "v", "EX", "1000");
        ok(c, "SELECT", "5");
        ok(c, "SET", "db5", "v");
        ok(c, "EXEC");
        ok(c, "SELECT", "0");
        ok(c, "EVAL", "redis.call('set', KEYS[1], 'x', 'PX', 1000000); redis.call('select', 3);"
                + " redis.call('lpush', 'l3', 'a', 'b'); redis.call('spop', 'nothing'); return 1", "1", "scripted");
        ok(c, "SET", "dumped", "payload");
        ok(c, "EVAL", "return redis.call('restore', 'restored', 100000, redis.call('dump', KEYS[1]))", "1", "dumped");
        ok(c, "HSET", "members", "f1", "v", "f2", "v");
        if (keydb) {
            ok(c, "EXPIREMEMBER", "members", "f1", "1000");
        }
        if (streams) {
            streams(c);
        }
        ok(c, "SELECT", "9");
        ok(c, "SET", "db9", "v");
        ok(c, "SET", "shortlived", "v", "PX", "1");
        Thread.sleep(5);
        ok(c, "GET", "shortlived"); // expired on access: propagated as DEL
        ok(c, "SELECT", "0");
        ok(c, "GET", "gone");
    }

    private static void streams(RawConnection c) throws Exception {
        ok(c, "XADD", "stream", "*", "f", "v");
        ok(c, "XADD", "stream", "*", "f", "v2");
        for (int i = 0; i < 50; i++) {
            ok(c, "XADD", "stream", "MAXLEN", "~", "20", "*", "n", Integer.toString(i));
        }
        ok(c, "XGROUP", "CREATE", "stream", "grp", "0");
        ok(c, "XREADGROUP", "GROUP", "grp", "alice", "COUNT", "3", "STREAMS", "stream", ">");
        ok(c, "XREADGROUP", "GROUP", "grp", "bob", "NOACK", "COUNT", "2", "STREAMS", "stream", ">");
        ok(c, "XCLAIM", "stream", "grp", "carol", "0", "0-1");
        ok(c, "XAUTOCLAIM", "stream", "grp", "dave", "0", "0", "COUNT", "1");
    }

    @Test
    void restartFromTheAofGivesTheSameDataset() throws Exception {
        String digest;
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            workload(c, true, true);
            digest = digest(c);
            assertThat(digest).startsWith("+");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:1", "aof_last_write_status:ok", "aof_current_size:");
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("INFO", "commandstats")).doesNotContain("cmdstat_set:");
            assertThat(digest(c)).isEqualTo(digest);
            assertThat(c.call("HGET", "hash", "f")).isEqualTo("$3\r\n3.3\r\n");
            assertThat(c.call("GET", "float")).isEqualTo("$4\r\n10.6\r\n");
            ok(c, "SET", "after", "restart");
            digest = digest(c);
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(digest);
        }
    }

    /** Deterministic commands whose propagated forms Redis rewrites (random choices made moot). */
    private static final String[][] SAME_AS_REDIS = {
        {"SET", "a", "1", "EX", "1000"}, {"SET", "b", "1", "PX", "1000000", "GET"}, {"SET", "c", "1", "GET"},
        {"SETEX", "d", "100", "v"}, {"PSETEX", "e", "100000", "v"}, {"SET", "f", "v", "KEEPTTL", "XX"},
        {"EXPIRE", "a", "500"}, {"PEXPIRE", "a", "900000", "GT"}, {"EXPIREAT", "c", "4102444800"}, {"PERSIST", "c"},
        {"SET", "g", "v"}, {"EXPIRE", "g", "-1"}, {"SET", "h", "v"}, {"GETEX", "h", "EX", "100"}, {"GETEX", "h", "PERSIST"},
        {"GETEX", "h", "PX", "-5"}, {"INCRBYFLOAT", "fl", "1.5"}, {"INCRBYFLOAT", "fl", "0.25"}, {"HINCRBYFLOAT", "hf", "x", "1.5"},
        {"SADD", "s1", "only"}, {"SPOP", "s1"}, {"SADD", "s2", "a", "b"}, {"SPOP", "s2", "5"},
        {"RPUSH", "l", "a", "b", "c", "d", "e"}, {"BLPOP", "l", "0"}, {"BRPOP", "nothing", "l", "0"},
        {"BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"}, {"BRPOPLPUSH", "l", "l2", "0"}, {"LMPOP", "2", "none", "l2", "LEFT", "COUNT", "9"},
        {"BLMPOP", "0", "1", "l", "RIGHT"}, {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}, {"BZPOPMIN", "z", "0"},
        {"BZPOPMAX", "z", "0"}, {"ZMPOP", "1", "z", "MIN", "COUNT", "7"}, {"MULTI"}, {"SET", "m", "1"}, {"EXEC"},
        {"MULTI"}, {"INCR", "m"}, {"GET", "m"}, {"SELECT", "4"}, {"INCR", "m"}, {"EXEC"}, {"SELECT", "0"},
        {"EVAL", "redis.call('set', KEYS[1], 'x'); redis.call('select', 3); redis.call('lpush', 'l3', 'a'); return 1", "1", "sc"},
        {"EVAL", "redis.call('incr', KEYS[1]); return 1", "1", "sc2"},
        {"XADD", "x", "1-1", "f", "v"}, {"XADD", "x", "1-*", "f", "v"}, {"XGROUP", "CREATE", "x", "g", "0"},
        {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "x", ">"},
        {"XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "x", ">"}, {"XCLAIM", "x", "g", "carol", "0", "1-1"},
        {"SET", "short", "v", "PX", "1"}, {"SLEEP"}, {"GET", "short"}, {"FLUSHDB"}, {"SET", "end", "v"},
        {"PFADD", "hll", "a", "b", "c"}, {"PFCOUNT", "hll"}, {"PFCOUNT", "hll"}, {"SETNX", "end", "x"}, {"MSETNX", "n1", "1", "n2", "2"},
        {"COPY", "n1", "n3"}, {"RENAME", "n3", "n4"}, {"MOVE", "n4", "2"}, {"SWAPDB", "1", "2"}, {"APPEND", "n1", "x"},
        {"SETRANGE", "n1", "5", "y"}, {"GETDEL", "n2"}, {"GETSET", "n1", "z"}, {"INCRBY", "cnt", "5"}, {"DECR", "cnt"},
        {"MULTI"}, {"INCR", "cnt"}, {"LPUSH", "cnt", "x"}, {"INCR", "cnt"}, {"EXEC"},
        {"XADD", "big", "MAXLEN", "~", "3", "1-1", "f", "v"}, {"XADD", "big", "2-1", "f", "v"}, {"XTRIM", "big", "MAXLEN", "=", "1"},
        {"XADD", "big", "*", "f", "v"}, {"XDEL", "big", "2-1"}, {"XSETID", "big", "99999999999999-0"},
        {"XGROUP", "CREATECONSUMER", "big", "nogroup", "c"}, {"XGROUP", "CREATE", "big", "g2", "$", "MKSTREAM"},
        {"XGROUP", "SETID", "big", "g2", "0"}, {"XGROUP", "CREATECONSUMER", "big", "g2", "dan"}, {"XGROUP", "DELCONSUMER", "big", "g2", "dan"},
        {"XACK", "big", "g2", "1-1"}, {"XGROUP", "DESTROY", "big", "g2"},
        {"FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function(keys, args) return redis.call('incr', keys[1]) end)"},
        {"FCALL", "f", "1", "fc"}, {"FUNCTION", "DELETE", "lib"}, {"PUBLISH", "chan", "msg"},
        {"SORT", "l3", "ALPHA", "STORE", "sorted"}, {"GEOADD", "geo", "13.361389", "38.115556", "Palermo"},
        {"ZADD", "z2", "1", "a"}, {"ZINCRBY", "z2", "2.5", "a"}, {"ZUNIONSTORE", "z3", "1", "z2"}, {"HSETNX", "hf", "y", "2"},
        {"LSET", "l2", "0", "q"}, {"LTRIM", "l2", "0", "0"}, {"FLUSHALL"}, {"FLUSHALL"}, {"FLUSHDB", "ASYNC"},
    };

    /** The incr file we write for {@link #SAME_AS_REDIS} is the one redis-server 7.0 writes, timestamps aside. */
    @Test
    void weWriteWhatRedisWrites() throws Exception {
        Path redisDir = Files.createTempDirectory("redis-aof");
        try {
            String theirs;
            try (RealRedis redis = RealRedis.start("--appendonly", "yes", "--dir", redisDir.toString(), "--appendfsync", "always");
                 RawConnection c = new RawConnection(redis.port())) {
                sameAsRedis(c);
                theirs = Files.readString(redisDir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
            }
            String ours;
            try (TestServer s = start("--appendfsync", "always"); RawConnection c = new RawConnection(s.port())) {
                sameAsRedis(c);
                ours = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
            }
            java.util.function.UnaryOperator<String> mask = t -> t.replaceAll("\\$13\r\n\\d{13}", "\\$13\r\nT")
                    .replaceAll("\\$15\r\n\\d{13}-\\d", "\\$15\r\nT-0").replace("\r\n", " ");
            assertThat(mask.apply(ours)).isEqualTo(mask.apply(theirs));
        } finally {
            delete(redisDir);
        }
    }

    /** Blocked clients served by a later write: the served pops as redis-server 7.0 writes them. */
    @Test
    void servedBlockedClientsWriteWhatRedisWrites() throws Exception {
        Path redisDir = Files.createTempDirectory("redis-aof");
        try {
            String theirs;
            try (RealRedis redis = RealRedis.start("--appendonly", "yes", "--dir", redisDir.toString(), "--appendfsync", "always")) {
                blockedWorkload(redis.port());
                theirs = Files.readString(redisDir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
            }
            String ours;
            try (TestServer s = start("--appendfsync", "always")) {
                blockedWorkload(s.port());
                ours = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
            }
            java.util.function.UnaryOperator<String> mask = t -> t.replaceAll("\\$13\r\n\\d{13}", "\\$13\r\nT")
                    .replace("\r\n", " ");
            assertThat(mask.apply(ours)).isEqualTo(mask.apply(theirs));
        } finally {
            delete(redisDir);
        }
    }

    private static void blockedWorkload(int port) throws Exception {
        String[][] waits = {
            {"BLPOP", "l1", "0"}, {"BRPOPLPUSH", "l2", "d2", "0"}, {"BLMOVE", "l3", "d3", "RIGHT", "LEFT", "0"},
            {"BLMPOP", "0", "2", "x", "l4", "LEFT", "COUNT", "5"}, {"BZPOPMAX", "z1", "0"}, {"BZMPOP", "0", "1", "z2", "MIN", "COUNT", "2"},
            {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"},
        };
        String[][] feeds = {
            {"RPUSH", "l1", "a", "b"}, {"RPUSH", "l2", "a", "b"}, {"RPUSH", "l3", "a", "b"}, {"RPUSH", "l4", "a", "b", "c"},
            {"ZADD", "z1", "1", "a", "2", "b"}, {"ZADD", "z2", "1", "a", "2", "b", "3", "c"}, {"XADD", "s", "5-1", "f", "v"},
        };
        try (RawConnection c = new RawConnection(port); RawConnection w = new RawConnection(port)) {
            ok(c, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            for (int i = 0; i < waits.length; i++) {
                w.command(waits[i]);
                Thread.sleep(50);
                ok(c, feeds[i]);
                assertThat(w.readReply()).doesNotStartWith("-");
            }
        }
    }

    private static void sameAsRedis(RawConnection c) throws Exception {
        for (String[] cmd : SAME_AS_REDIS) {
            if (cmd[0].equals("SLEEP")) {
                Thread.sleep(10);
            } else {
                c.call(cmd);
            }
        }
    }

    @Test
    void debugLoadAofReloadsTheDataset() throws Exception {
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            workload(c, true, true);
            String digest = digest(c);
            long size = Files.size(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"));
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo("+OK\r\n");
            assertThat(digest(c)).isEqualTo(digest);
            assertThat(Files.size(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"))).isEqualTo(size);
        }
    }

    @Test
    void redisCheckAofAcceptsOurFilesAndRedisLoadsThem() throws Exception {
        String digest;
        try (TestServer s = start("--aof-timestamp-enabled", "yes"); RawConnection c = new RawConnection(s.port())) {
            workload(c, false, true);
            digest = digest(c);
        }
        Path manifest = dir.resolve("appendonlydir").resolve("appendonly.aof.manifest");
        assertThat(Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1))
                .startsWith("#TS:");
        String out = run("redis-check-aof", manifest.toString());
        assertThat(out).contains("AOF analyzed").contains("is valid");
        try (RealRedis redis = RealRedis.start("--appendonly", "yes", "--dir", dir.toString());
             RawConnection c = new RawConnection(redis.port())) {
            assertThat(digest(c)).isEqualTo(digest);
        }
    }

    @Test
    void weLoadTheAofRedisWrote() throws Exception {
        String digest;
        Path redisDir = Files.createTempDirectory("redis-aof");
        try {
            try (RealRedis redis = RealRedis.start("--appendonly", "yes", "--dir", redisDir.toString(), "--appendfsync", "always");
                 RawConnection c = new RawConnection(redis.port())) {
                workload(c, false, true);
                digest = digest(c);
            }
            copyDir(redisDir.resolve("appendonlydir"), dir.resolve("appendonlydir"));
            try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
                assertThat(digest(c)).isEqualTo(digest);
            }
        } finally {
            delete(redisDir);
        }
    }

    @Test
    void rewriteWhileWritingKeepsEveryWrite() throws Exception {
        String digest;
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            workload(c, true, false); // streams: not yet RDB-serializable (storage/rdb)
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try (RawConnection w = new RawConnection(s.port())) {
                    for (int i = 0; !stop.get() || i < 200; i++) {
                        w.call("INCR", "ticks");
                        w.call("RPUSH", "log", Integer.toString(i));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            for (int round = 0; round < 3; round++) {
                Thread.sleep(30);
                assertThat(c.call("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
                waitForRewrite(c);
            }
            stop.set(true);
            writer.join();
            String info = c.call("INFO", "persistence");
            assertThat(info).contains("aof_rewrites:3", "aof_last_bgrewrite_status:ok", "aof_rewrite_in_progress:0");
            digest = digest(c);
        }
        Path aofDir = dir.resolve("appendonlydir");
        try (Stream<Path> files = Files.list(aofDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("appendonly.aof.4.base.rdb", "appendonly.aof.4.incr.aof", "appendonly.aof.manifest");
        }
        assertThat(run("redis-check-aof", aofDir.resolve("appendonly.aof.manifest").toString())).contains("is valid");
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(digest);
        }
    }

    @Test
    void rewriteWithoutRdbPreambleWritesCommands() throws Exception {
        String digest;
        try (TestServer s = start("--aof-use-rdb-preamble", "no"); RawConnection c = new RawConnection(s.port())) {
            workload(c, false, false);
            ok(c, "BGREWRITEAOF");
            waitForRewrite(c);
            digest = digest(c);
        }
        Path base = dir.resolve("appendonlydir").resolve("appendonly.aof.2.base.aof");
        assertThat(Files.readString(base, StandardCharsets.ISO_8859_1)).startsWith("*2\r\n$6\r\nSELECT\r\n");
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(digest);
        }
        try (RealRedis redis = RealRedis.start("--appendonly", "yes", "--dir", dir.toString());
             RawConnection c = new RawConnection(redis.port())) {
            assertThat(digest(c)).isEqualTo(digest);
        }
    }

    @Test
    void configSetAppendonlyAtRunTime() throws Exception {
        String digest;
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes"); RawConnection c = new RawConnection(s.port())) {
            ok(c, "SET", "before", "1");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:0");
            ok(c, "CONFIG", "SET", "appendonly", "yes");
            ok(c, "SET", "during", "2");
            waitForRewrite(c);
            ok(c, "SET", "after", "3");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:1", "aof_rewrites:1");
            digest = digest(c);
            ok(c, "CONFIG", "SET", "appendonly", "no");
            ok(c, "SET", "notlogged", "4");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:0");
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(digest);
            assertThat(c.call("EXISTS", "notlogged")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void bgrewriteaofWithTheAofOffWritesABaseOnly() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString()); RawConnection c = new RawConnection(s.port())) {
            ok(c, "SET", "k", "v");
            ok(c, "BGREWRITEAOF");
            waitForRewrite(c);
            ok(c, "SET", "notlogged", "v");
            assertThat(c.call("INFO", "persistence")).contains("aof_enabled:0", "aof_rewrites:1");
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest"))).isEqualTo("file appendonly.aof.1.base.rdb seq 1 type b\n");
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("EXISTS", "k", "notlogged")).isEqualTo(":1\r\n");
        }
    }

    @Test
    void aFailedFirstRewriteLeavesTheAofOff() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString()); RawConnection c = new RawConnection(s.port())) {
            ok(c, "SET", "before", "v");
            // The base cannot be written: a directory stands where its temp file goes.
            Files.createDirectories(dir.resolve("appendonlydir").resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof")
                    .resolve("blocker"));
            ok(c, "CONFIG", "SET", "appendonly", "yes");
            waitForRewrite(c);
            assertThat(c.call("INFO", "persistence")).contains("aof_last_bgrewrite_status:err", "aof_rewrites_consecutive_failures:1");
            ok(c, "SET", "k", "v");
        }
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            // No manifest naming a base that was never written, no orphan incr file.
            assertThat(files.map(p -> p.getFileName().toString()).toList()).allMatch(n -> n.startsWith("temp-rewriteaof-bg-"));
        }
    }

    @Test
    void autoRewriteOnGrowth() throws Exception {
        try (TestServer s = start("--auto-aof-rewrite-percentage", "100", "--auto-aof-rewrite-min-size", "1");
             RawConnection c = new RawConnection(s.port())) {
            for (int i = 0; i < 200; i++) {
                ok(c, "SET", "k" + i, "x".repeat(100));
            }
            assertThat(awaitInfo(c, "aof_rewrites:1")).contains("aof_rewrites:1");
        }
    }

    @Test
    void bgrewriteaofInsideMultiIsScheduled() throws Exception {
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            ok(c, "MULTI");
            ok(c, "BGREWRITEAOF");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n+Background append only file rewriting scheduled\r\n");
            assertThat(awaitInfo(c, "aof_rewrites:1")).contains("aof_rewrites:1");
        }
    }

    @Test
    void tornTailIsCutWithAofLoadTruncatedAndFatalWithout() throws Exception {
        try (TestServer s = start("--appendfsync", "always"); RawConnection c = new RawConnection(s.port())) {
            ok(c, "SET", "a", "1");
            ok(c, "MULTI");
            ok(c, "SET", "m1", "1");
            ok(c, "SET", "m2", "2");
            ok(c, "EXEC");
            ok(c, "SET", "b", "2");
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        long full = Files.size(incr);
        try (var ch = java.nio.channels.FileChannel.open(incr, StandardOpenOption.WRITE)) {
            ch.truncate(full - 3); // inside the last SET
        }
        assertThatThrownBy(() -> start("--aof-load-truncated", "no")).hasMessageContaining("Unexpected end of file");
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("MGET", "a", "m1", "m2", "b")).isEqualTo("*4\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
        }
        assertThat(Files.readString(incr, StandardCharsets.ISO_8859_1)).endsWith("EXEC\r\n");
        // A MULTI without its EXEC at the end is torn too: the whole transaction goes.
        String text = Files.readString(incr, StandardCharsets.ISO_8859_1);
        Files.writeString(incr, text + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n", StandardCharsets.ISO_8859_1);
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("EXISTS", "x", "a")).isEqualTo(":1\r\n");
        }
        assertThat(Files.readString(incr, StandardCharsets.ISO_8859_1)).isEqualTo(text);
    }

    @Test
    void oldSingleFileAofIsMovedIntoTheDirectoryAsTheBase() throws Exception {
        // A Redis 6 style appendonly.aof: an RDB preamble, then commands.
        byte[] rdb;
        try (TestServer s = TestServer.start("--dir", dir.toString()); RawConnection c = new RawConnection(s.port())) {
            ok(c, "SET", "fromrdb", "1");
            ok(c, "SAVE");
            rdb = Files.readAllBytes(dir.resolve("dump.rdb"));
        }
        Files.delete(dir.resolve("dump.rdb"));
        byte[] tail = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$7\r\nfromaof\r\n$1\r\n2\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] old = java.util.Arrays.copyOf(rdb, rdb.length + tail.length);
        System.arraycopy(tail, 0, old, rdb.length, tail.length);
        Files.write(dir.resolve("appendonly.aof"), old);
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("MGET", "fromrdb", "fromaof")).isEqualTo("*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
            ok(c, "SET", "new", "3");
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertThat(Files.exists(dir.resolve("appendonly.aof"))).isFalse();
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("MGET", "fromrdb", "fromaof", "new")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
        }
        assertThat(run("redis-check-aof", aofDir.resolve("appendonly.aof.manifest").toString())).contains("All AOF files and manifest are valid");
    }

    @Test
    void unknownCommandsAndBadFormatStopTheLoad() throws Exception {
        Path aofDir = Files.createDirectories(dir.resolve("appendonlydir"));
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        Files.writeString(aofDir.resolve("appendonly.aof.1.incr.aof"), "*2\r\n$4\r\nNOPE\r\n$1\r\nx\r\n");
        assertThatThrownBy(() -> start()).hasMessageContaining("Unknown command 'NOPE' reading the append only file");
        Files.writeString(aofDir.resolve("appendonly.aof.1.incr.aof"), "SET x 1\r\n");
        assertThatThrownBy(() -> start()).hasMessageContaining("Bad file format reading the append only file");
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        Files.writeString(aofDir.resolve("appendonly.aof.1.incr.aof"), "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r");
        Files.writeString(aofDir.resolve("appendonly.aof.2.incr.aof"), "");
        assertThatThrownBy(() -> start()).hasMessageContaining("the truncated file is not the last file");
    }

    /** DEBUG DIGEST, which must be enabled and not the empty dataset's. */
    static String digest(RawConnection c) throws IOException {
        String d = c.call("DEBUG", "DIGEST");
        assertThat(d).startsWith("+").isNotEqualTo("+0000000000000000000000000000000000000000\r\n");
        return d;
    }

    static void waitForRewrite(RawConnection c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (c.call("INFO", "persistence").contains("aof_rewrite_in_progress:1") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(c.call("INFO", "persistence")).contains("aof_rewrite_in_progress:0");
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** INFO persistence once it contains {@code field} (or after 10 s, whatever it says then). */
    private static String awaitInfo(RawConnection c, String field) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String info;
        while (!(info = c.call("INFO", "persistence")).contains(field) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return info;
    }
}
