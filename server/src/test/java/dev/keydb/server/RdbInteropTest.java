package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * RDB interoperability with a real redis-server 7.0 and redis-check-rdb: a dataset of every
 * type and encoding saved by Redis loads here with the same DEBUG DIGEST; the same dataset
 * saved here passes redis-check-rdb and loads in Redis with the same digest; DUMP payloads go
 * both ways; corrupted files are refused at start-up with a clear message.
 */
class RdbInteropTest {
    static RealRedis redis;
    static Path scratch;

    @BeforeAll
    static void start() throws IOException {
        redis = RealRedis.start();
        scratch = Files.createTempDirectory("rdb-interop");
    }

    @AfterAll
    static void stop() throws IOException {
        redis.close();
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String[] cmd(String name, String key, List<String> args) {
        List<String> all = new ArrayList<>(List.of(name, key));
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    static void ok(RawConnection c, String... command) throws IOException {
        String reply = c.call(command);
        assertThat(reply).as(String.join(" ", command)).doesNotStartWith("-");
    }

    /** Every type and encoding Redis 7.0 has (streams aside), TTLs, several databases. */
    static void populate(RawConnection c) throws IOException {
        ok(c, "FLUSHALL");
        ok(c, "SET", "str:int", "12345");
        ok(c, "SET", "str:negint", "-987654321");
        ok(c, "SET", "str:bigint", "123456789012345678");
        ok(c, "SET", "str:embstr", "hello world");
        ok(c, "SET", "str:raw", "this string is longer than forty-four bytes, so it is raw: 0123456789");
        ok(c, "SET", "str:compressible", "abc".repeat(2000));
        ok(c, "SET", "str:empty", "");
        StringBuilder big = new StringBuilder();
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < 100_000; i++) {
            big.append((char) ('!' + rnd.nextInt(90)));
        }
        ok(c, "SET", "str:big", big.toString());
        ok(c, "SET", "str:appended", "start");
        ok(c, "APPEND", "str:appended", "-appended");
        ok(c, "SET", "str:binary", "\u0001\u0002\u00ff\u0000zz");
        ok(c, "SET", "str:ttl", "expiring", "PX", "100000000");
        ok(c, "PFADD", "hll", "a", "b", "c", "d");
        ok(c, "RPUSH", "list:small", "a", "b", "c", "", "1", "-2", "300000", "9223372036854775807", "007");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(i % 3 == 0 ? Integer.toString(i * 7919) : "element-" + i);
        }
        ok(c, cmd("RPUSH", "list:large", many));
        ok(c, "LPUSH", "list:longelement", "y".repeat(10000), "z");
        ok(c, "SADD", "set:intset", "1", "2", "3", "-100", "65536", "4294967296");
        ok(c, "SADD", "set:strings", "a", "b", "1", "hello world");
        List<String> bigInts = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            bigInts.add(Integer.toString(i * 7));
        }
        ok(c, cmd("SADD", "set:bigints", bigInts));
        ok(c, "HSET", "hash:listpack", "f1", "v1", "f2", "2", "3", "three", "", "empty", "neg", "-4097");
        ok(c, "HSET", "hash:longvalue", "f", "v".repeat(100), "g", "1");
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            fields.add("field" + i);
            fields.add(i % 2 == 0 ? Integer.toString(i * 3) : "value-" + i);
        }
        ok(c, cmd("HSET", "hash:big", fields));
        ok(c, "ZADD", "zset:listpack", "1", "a", "2.5", "b", "-3", "c", "0.1", "d", "inf", "e", "-inf", "f", "1e300", "g", "4503599627370496", "h");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            members.add(Double.toString(i * 1.5 - 77.25));
            members.add("member-" + i);
        }
        ok(c, cmd("ZADD", "zset:skiplist", members));
        ok(c, "ZADD", "zset:longmember", "1", "m".repeat(100), "2", "x");
        ok(c, "PEXPIRE", "list:small", "200000000");
        ok(c, "PEXPIRE", "zset:skiplist", "300000000");
        ok(c, "PEXPIRE", "hash:big", "300000000");
        ok(c, "SELECT", "3");
        ok(c, "SET", "db3:key", "in database three");
        ok(c, "SADD", "db3:set", "x", "y");
        ok(c, "SELECT", "15");
        ok(c, "HSET", "db15:hash", "a", "1");
        ok(c, "SELECT", "0");
    }

    static final String[] SPOT = {"str:int", "str:bigint", "str:compressible", "str:binary", "str:appended", "str:big", "hll", "list:small",
        "set:intset", "hash:listpack", "zset:listpack", "zset:longmember"};

    static String digest(int port) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            return c.call("DEBUG", "DIGEST");
        }
    }

    private static void assertSameSpotValues(int expectedPort, int actualPort) throws IOException {
        try (RawConnection e = new RawConnection(expectedPort); RawConnection a = new RawConnection(actualPort)) {
            for (String k : SPOT) {
                assertThat(a.call("DEBUG", "DIGEST-VALUE", k)).as(k).isEqualTo(e.call("DEBUG", "DIGEST-VALUE", k));
                assertThat(a.call("TYPE", k)).as(k).isEqualTo(e.call("TYPE", k));
            }
            assertThat(a.call("GET", "str:compressible")).isEqualTo(e.call("GET", "str:compressible"));
            assertThat(a.call("LRANGE", "list:small", "0", "-1")).isEqualTo(e.call("LRANGE", "list:small", "0", "-1"));
            assertThat(a.call("ZRANGE", "zset:listpack", "0", "-1", "WITHSCORES")).isEqualTo(e.call("ZRANGE", "zset:listpack", "0", "-1", "WITHSCORES"));
            assertThat(a.call("OBJECT", "ENCODING", "set:intset")).isEqualTo(e.call("OBJECT", "ENCODING", "set:intset"));
            assertThat(a.call("OBJECT", "ENCODING", "hash:big")).isEqualTo(e.call("OBJECT", "ENCODING", "hash:big"));
            assertThat(a.call("OBJECT", "ENCODING", "zset:skiplist")).isEqualTo(e.call("OBJECT", "ENCODING", "zset:skiplist"));
            long ttl = Long.parseLong(a.call("PTTL", "zset:skiplist").substring(1).trim());
            assertThat(ttl).isBetween(290_000_000L, 300_000_000L);
            assertThat(a.call("DBSIZE")).isEqualTo(e.call("DBSIZE"));
        }
    }

    private static Path copyTo(Path file, String dirName) throws IOException {
        Path d = scratch.resolve(dirName);
        Files.createDirectories(d);
        Files.copy(file, d.resolve("dump.rdb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return d;
    }

    @Test
    void redisFileLoadsHereAndOurFileLoadsInRedis() throws Exception {
        try (RawConnection r = new RawConnection(redis.port())) {
            populate(r);
            assertThat(r.call("SAVE")).isEqualTo("+OK\r\n");
        }
        String redisDigest = digest(redis.port());
        Path fromRedis = copyTo(redis.dir().resolve("dump.rdb"), "from-redis");
        // (a) Redis's file, loaded at our start-up.
        try (TestServer ours = TestServer.start("--enable-debug-command", "yes", "--dir", fromRedis.toString())) {
            assertThat(digest(ours.port())).isEqualTo(redisDigest);
            assertSameSpotValues(redis.port(), ours.port());
        }
        // (b) The same dataset written by us: redis-check-rdb accepts it and Redis loads it.
        for (String compression : new String[] {"yes", "no"}) {
            Path ourDir = scratch.resolve("ours-" + compression);
            Files.createDirectories(ourDir);
            try (TestServer ours = TestServer.start("--enable-debug-command", "yes", "--dir", ourDir.toString(),
                    "--rdbcompression", compression)) {
                try (RawConnection o = new RawConnection(ours.port())) {
                    populate(o);
                    assertThat(digest(ours.port())).isEqualTo(redisDigest);
                    assertThat(o.call("SAVE")).isEqualTo("+OK\r\n");
                }
            }
            Path file = ourDir.resolve("dump.rdb");
            assertThat(file).exists();
            Process check = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(out).isZero();
            assertThat(out).contains("RDB looks OK!").doesNotContainIgnoringCase("error").contains("redis-ver = '7.0.15'");
            try (RealRedis loaded = RealRedis.start("--dir", ourDir.toString(), "--dbfilename", "dump.rdb")) {
                assertThat(digest(loaded.port())).isEqualTo(redisDigest);
                assertSameSpotValues(redis.port(), loaded.port());
            }
            // And it loads back here.
            try (TestServer again = TestServer.start("--enable-debug-command", "yes", "--dir", ourDir.toString())) {
                assertThat(digest(again.port())).isEqualTo(redisDigest);
            }
        }
    }

    @Test
    void dumpPayloadsTravelBothWays() throws Exception {
        try (RawConnection r = new RawConnection(redis.port())) {
            populate(r);
        }
        String redisDigest = digest(redis.port());
        try (TestServer ours = TestServer.start("--enable-debug-command", "yes");
                Jedis real = new Jedis(new HostAndPort("127.0.0.1", redis.port()));
                Jedis mine = new Jedis(new HostAndPort("127.0.0.1", ours.port()))) {
            for (int db : new int[] {0, 3, 15}) {
                real.select(db);
                mine.select(db);
                for (String key : real.keys("*")) {
                    byte[] k = key.getBytes(StandardCharsets.UTF_8);
                    byte[] payload = real.dump(k);
                    long pttl = real.pttl(k);
                    assertThat(mine.restore(k, Math.max(pttl, 0), payload)).as(key).isEqualTo("OK");
                }
            }
            assertThat(digest(ours.port())).isEqualTo(redisDigest);
            // Now ours → Redis: dump everything here, flush Redis and restore it there.
            List<Object[]> dumps = new ArrayList<>();
            for (int db : new int[] {0, 3, 15}) {
                mine.select(db);
                for (String key : mine.keys("*")) {
                    byte[] k = key.getBytes(StandardCharsets.UTF_8);
                    dumps.add(new Object[] {db, k, mine.dump(k), mine.pttl(k)});
                }
            }
            real.flushAll();
            for (Object[] d : dumps) {
                real.select((Integer) d[0]);
                assertThat(real.restore((byte[]) d[1], Math.max((Long) d[3], 0), (byte[]) d[2]))
                        .as(new String((byte[]) d[1], StandardCharsets.UTF_8)).isEqualTo("OK");
            }
            assertThat(digest(redis.port())).isEqualTo(redisDigest);
        }
    }

    @Test
    void restoreErrorsMatchRedis() throws Exception {
        try (TestServer ours = TestServer.start();
                Jedis real = new Jedis(new HostAndPort("127.0.0.1", redis.port()));
                RawConnection r = new RawConnection(redis.port()); RawConnection o = new RawConnection(ours.port())) {
            real.flushAll();
            real.set("src", "value");
            byte[] payload = real.dump("src");
            String good = new String(payload, StandardCharsets.ISO_8859_1);
            for (RawConnection c : new RawConnection[] {r, o}) {
                c.call("FLUSHALL");
                c.call("SET", "busy", "1");
            }
            String[][] cases = {
                {"RESTORE", "busy", "0", "xx"},
                {"RESTORE", "k", "-1", "xx"},
                {"RESTORE", "k", "abc", "xx"},
                {"RESTORE", "k", "0", "not a payload"},
                {"RESTORE", "k", "0", "xx", "FOO"},
                {"RESTORE", "k", "0", "xx", "IDLETIME", "-1"},
                {"RESTORE", "k", "0", "xx", "FREQ", "256"},
                {"RESTORE", "k", "0", "xx", "IDLETIME", "5", "FREQ", "1"},
                {"RESTORE", "k"},
                {"DUMP", "missing"},
                {"DUMP"},
            };
            for (String[] cmd : cases) {
                assertThat(o.call(cmd)).as(String.join(" ", cmd)).isEqualTo(r.call(cmd));
            }
        }
        // The payload itself is binary: checked through Jedis in the other tests; here the flipped-byte case.
        try (TestServer ours = TestServer.start(); Jedis real = new Jedis(new HostAndPort("127.0.0.1", redis.port()));
                Jedis mine = new Jedis(new HostAndPort("127.0.0.1", ours.port()))) {
            real.set("src", "some value");
            byte[] p = real.dump("src");
            p[2] ^= 1;
            String expected = errorOf(() -> real.restore("dst", 0, p));
            assertThat(errorOf(() -> mine.restore("dst".getBytes(), 0, p))).isEqualTo(expected)
                    .isEqualTo("ERR DUMP payload version or checksum are wrong");
            byte[] ok = real.dump("src");
            assertThat(mine.restore("dst".getBytes(), 0, ok)).isEqualTo("OK");
            assertThat(errorOf(() -> mine.restore("dst".getBytes(), 0, ok))).isEqualTo(errorOf(() -> real.restore("src".getBytes(), 0, ok)))
                    .isEqualTo("BUSYKEY Target key name already exists.");
            assertThat(mine.get("dst")).isEqualTo("some value");
        }
    }

    private static String errorOf(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return e.getMessage();
        }
    }

    @Test
    void corruptFilesStopStartUpWithAClearMessage() throws Exception {
        try (RawConnection r = new RawConnection(redis.port())) {
            populate(r);
            assertThat(r.call("SAVE")).isEqualTo("+OK\r\n");
        }
        byte[] good = Files.readAllBytes(redis.dir().resolve("dump.rdb"));
        Path flippedDir = scratch.resolve("flipped");
        Files.createDirectories(flippedDir);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x01;
        Files.write(flippedDir.resolve("dump.rdb"), flipped);
        assertThatThrownBy(() -> TestServer.start("--dir", flippedDir.toString()).close())
                .hasMessageContaining("Fatal error loading the DB").hasMessageContaining(flippedDir.toString());
        Path truncDir = scratch.resolve("truncated");
        Files.createDirectories(truncDir);
        Files.write(truncDir.resolve("dump.rdb"), Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> TestServer.start("--dir", truncDir.toString()).close())
                .hasMessageContaining("Fatal error loading the DB").hasMessageContaining("truncated");
    }
}
