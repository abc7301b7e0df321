package dev.keydb.server;

import static dev.keydb.server.RdbInteropTest.digest;
import static dev.keydb.server.RdbInteropTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Streams and member TTLs in RDB files, with a real redis-server 7.0: a dataset of streams
 * (several nodes, tombstones, consumer groups with pending entries, idle consumers, empty
 * streams, huge IDs) saved by Redis loads here with the same DEBUG DIGEST and XINFO STREAM
 * FULL; saved again here it passes redis-check-rdb and loads in Redis unchanged; DUMP payloads
 * of streams go both ways and are byte-identical to Redis's, LZF compression included. KeyDB member TTLs survive our SAVE and a restart, and the file they
 * are in still passes redis-check-rdb and loads in Redis (which ignores the aux fields).
 */
class RdbStreamInteropTest {
    static RealRedis redis;
    static Path scratch;

    static final String[] STREAMS = {"s", "big", "empty", "emptied", "ttl", "ints", "long", "huge"};

    @BeforeAll
    static void start() throws IOException {
        redis = RealRedis.start();
        scratch = Files.createTempDirectory("rdb-stream-interop");
    }

    @AfterAll
    static void stop() throws IOException {
        redis.close();
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Streams in every shape RDB has to carry. */
    static void populate(RawConnection c) throws IOException {
        ok(c, "FLUSHALL");
        ok(c, "XADD", "s", "1-1", "name", "alice", "age", "30");
        ok(c, "XADD", "s", "1-2", "name", "bob", "age", "25");
        ok(c, "XADD", "s", "2-1", "other", "field");
        ok(c, "XADD", "s", "2-2", "name", "carol", "age", "41");
        ok(c, "XADD", "s", "3-0", "name", "dave", "age", "12", "extra", "1");
        ok(c, "XADD", "s", "4-0", "name", "eve", "age", "-7");
        ok(c, "XDEL", "s", "1-2");
        ok(c, "XGROUP", "CREATE", "s", "g1", "0");
        ok(c, "XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "3");
        ok(c, "XGROUP", "CREATE", "s", "12345", "2-1");
        ok(c, "XGROUP", "CREATE", "s", "unknown-lag", "1-1", "ENTRIESREAD", "-1");
        ok(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "s", ">");
        ok(c, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "s", ">");
        ok(c, "XACK", "s", "g1", "1-1");
        ok(c, "XCLAIM", "s", "g1", "alice", "0", "2-2");
        ok(c, "XGROUP", "CREATECONSUMER", "s", "g1", "idle");
        ok(c, "XREADGROUP", "GROUP", "12345", "carol", "STREAMS", "s", ">");
        ok(c, "XDEL", "s", "3-0");
        List<String> cmd = new ArrayList<>();
        for (int i = 1; i <= 1500; i++) {
            cmd.clear();
            cmd.addAll(List.of("XADD", "big", i + "-" + (i % 7)));
            if (i % 100 == 0) {
                cmd.addAll(List.of("different", "fields", "here", Integer.toString(i)));
            } else {
                cmd.addAll(List.of("f", "v" + i, "n", Integer.toString(i * 31)));
            }
            ok(c, cmd.toArray(String[]::new));
        }
        for (int i = 10; i <= 1500; i += 97) {
            ok(c, "XDEL", "big", i + "-" + (i % 7));
        }
        ok(c, "XTRIM", "big", "MINID", "250");
        ok(c, "XGROUP", "CREATE", "big", "readers", "0");
        ok(c, "XREADGROUP", "GROUP", "readers", "r1", "COUNT", "150", "STREAMS", "big", ">");
        ok(c, "XGROUP", "CREATE", "empty", "g", "0", "MKSTREAM");
        ok(c, "XADD", "emptied", "7-7", "a", "b");
        ok(c, "XDEL", "emptied", "7-7");
        ok(c, "XADD", "ttl", "5-5", "a", "b");
        ok(c, "PEXPIRE", "ttl", "100000000");
        ok(c, "XADD", "ints", "1-0", "1", "2", "-3", "4", "9223372036854775807", "-9223372036854775808");
        ok(c, "XADD", "long", "1-0", "payload", "abc".repeat(500), "binary", "\u0001\u0002\u00ff");
        ok(c, "XADD", "huge", "18446744073709551614-5", "k", "v");
        ok(c, "XADD", "huge", "18446744073709551615-0", "k", "w");
        ok(c, "XSETID", "huge", "18446744073709551615-0", "ENTRIESADDED", "9", "MAXDELETEDID", "18446744073709551614-1");
    }

    static String xinfo(int port, String key) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            return c.call("XINFO", "STREAM", key, "FULL");
        }
    }

    static void assertSameStreams(int expectedPort, int actualPort) throws IOException {
        assertThat(digest(actualPort)).isEqualTo(digest(expectedPort));
        for (String k : STREAMS) {
            assertThat(xinfo(actualPort, k)).as(k).isEqualTo(xinfo(expectedPort, k));
        }
        try (RawConnection e = new RawConnection(expectedPort); RawConnection a = new RawConnection(actualPort)) {
            assertThat(a.call("DBSIZE")).isEqualTo(e.call("DBSIZE"));
            long ttl = Long.parseLong(a.call("PTTL", "ttl").substring(1).trim());
            assertThat(ttl).isBetween(90_000_000L, 100_000_000L);
            assertThat(a.call("XPENDING", "s", "g1")).isEqualTo(e.call("XPENDING", "s", "g1"));
            assertThat(a.call("XINFO", "GROUPS", "big")).isEqualTo(e.call("XINFO", "GROUPS", "big"));
        }
    }

    private static Path dirWith(Path file, String name) throws IOException {
        Path d = scratch.resolve(name);
        Files.createDirectories(d);
        Files.copy(file, d.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        return d;
    }

    private static void assertRedisCheckRdbAccepts(Path file) throws Exception {
        Process check = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(out).isZero();
        assertThat(out).contains("RDB looks OK!").doesNotContainIgnoringCase("error");
    }

    @Test
    void streamsTravelThroughFilesBothWays() throws Exception {
        try (RawConnection r = new RawConnection(redis.port())) {
            populate(r);
            assertThat(r.call("SAVE")).isEqualTo("+OK\r\n");
        }
        // Ours loads Redis's file, then saves over it (the copy in its own dir).
        Path oursDir = dirWith(redis.dir().resolve("dump.rdb"), "ours");
        try (TestServer ours = TestServer.start("--enable-debug-command", "yes", "--dir", oursDir.toString())) {
            assertSameStreams(redis.port(), ours.port());
            try (RawConnection o = new RawConnection(ours.port())) {
                assertThat(o.call("SAVE")).isEqualTo("+OK\r\n");
            }
        }
        Path file = oursDir.resolve("dump.rdb");
        assertRedisCheckRdbAccepts(file);
        try (RealRedis loaded = RealRedis.start("--dir", oursDir.toString(), "--dbfilename", "dump.rdb")) {
            assertSameStreams(redis.port(), loaded.port());
        }
        // And the file we wrote loads back here.
        try (TestServer again = TestServer.start("--enable-debug-command", "yes", "--dir", oursDir.toString())) {
            assertSameStreams(redis.port(), again.port());
        }
    }

    @Test
    void streamDumpPayloadsTravelBothWays() throws Exception {
        try (RawConnection r = new RawConnection(redis.port())) {
            populate(r);
        }
        try (TestServer ours = TestServer.start("--enable-debug-command", "yes");
                Jedis real = new Jedis(new HostAndPort("127.0.0.1", redis.port()));
                Jedis mine = new Jedis(new HostAndPort("127.0.0.1", ours.port()))) {
            for (String k : STREAMS) {
                byte[] key = k.getBytes(StandardCharsets.UTF_8);
                assertThat(mine.restore(key, Math.max(real.pttl(key), 0), real.dump(key))).as(k).isEqualTo("OK");
            }
            assertSameStreams(redis.port(), ours.port());
            // Byte for byte the payload Redis writes (same listpacks, flags, counters, LZF).
            for (String compression : new String[] {"no", "yes"}) {
                real.configSet("rdbcompression", compression);
                mine.configSet("rdbcompression", compression);
                for (String k : STREAMS) {
                    byte[] key = k.getBytes(StandardCharsets.UTF_8);
                    assertThat(mine.dump(key)).as(k + " compression " + compression).isEqualTo(real.dump(key));
                }
            }
            // Ours → Redis, under other names, then compared key by key.
            for (String k : STREAMS) {
                byte[] key = k.getBytes(StandardCharsets.UTF_8);
                byte[] copy = ("copy:" + k).getBytes(StandardCharsets.UTF_8);
                assertThat(real.restore(copy, Math.max(real.pttl(key), 0), mine.dump(key))).as(k).isEqualTo("OK");
                try (RawConnection r = new RawConnection(redis.port())) {
                    assertThat(r.call("DEBUG", "DIGEST-VALUE", "copy:" + k)).as(k).isEqualTo(r.call("DEBUG", "DIGEST-VALUE", k));
                    assertThat(xinfo(redis.port(), "copy:" + k)).as(k).isEqualTo(xinfo(redis.port(), k));
                }
            }
        }
    }

    @Test
    void memberTtlsSurviveSaveAndRedisIgnoresThem() throws Exception {
        Path dir = scratch.resolve("member-ttl");
        Files.createDirectories(dir);
        long at = System.currentTimeMillis() + 100_000_000L;
        try (TestServer ours = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString());
                RawConnection o = new RawConnection(ours.port())) {
            ok(o, "SADD", "set", "a", "b", "c");
            ok(o, "HSET", "hash", "f", "1", "g", "2");
            ok(o, "ZADD", "zset", "1", "m", "2", "n");
            ok(o, "SET", "plain", "v");
            assertThat(o.call("PEXPIREMEMBERAT", "set", "a", Long.toString(at))).isEqualTo(":1\r\n");
            assertThat(o.call("PEXPIREMEMBERAT", "hash", "g", Long.toString(at + 1))).isEqualTo(":1\r\n");
            assertThat(o.call("PEXPIREMEMBERAT", "zset", "n", Long.toString(at + 2))).isEqualTo(":1\r\n");
            assertThat(o.call("SAVE")).isEqualTo("+OK\r\n");
        }
        try (TestServer again = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString());
                RawConnection o = new RawConnection(again.port())) {
            long before = System.currentTimeMillis();
            assertThat(pttl(o, "set", "a")).isBetween(at - before - 60_000, at - before);
            assertThat(pttl(o, "hash", "g")).isPositive();
            assertThat(pttl(o, "zset", "n")).isPositive();
            assertThat(o.call("PTTL", "set", "b")).isEqualTo(":-1\r\n");
            assertThat(o.call("PTTL", "hash", "f")).isEqualTo(":-1\r\n");
        }
        Path file = dir.resolve("dump.rdb");
        assertRedisCheckRdbAccepts(file);
        try (RealRedis loaded = RealRedis.start("--dir", dir.toString(), "--dbfilename", "dump.rdb");
                RawConnection r = new RawConnection(loaded.port())) {
            assertThat(r.call("DBSIZE")).isEqualTo(":4\r\n");
            assertThat(r.call("SCARD", "set")).isEqualTo(":3\r\n");
            assertThat(r.call("HGET", "hash", "g")).isEqualTo("$1\r\n2\r\n");
            assertThat(r.call("ZSCORE", "zset", "n")).isEqualTo("$1\r\n2\r\n");
        }
    }

    private static long pttl(RawConnection c, String key, String member) throws IOException {
        String reply = c.call("PTTL", key, member);
        assertThat(reply).startsWith(":");
        return Long.parseLong(reply.substring(1).trim());
    }

    /** LZF is liblzf's as Redis builds it: compressed values come out byte for byte as Redis's. */
    @Test
    void compressedPayloadsAreByteIdenticalToRedis() throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        List<String> values = new ArrayList<>();
        values.add("abc".repeat(2000));
        values.add("x".repeat(100_000));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("word").append(rnd.nextInt(300)).append(i % 7 == 0 ? ". " : " ");
        }
        values.add(text.toString());
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            mixed.append((char) ('a' + (rnd.nextInt(4) == 0 ? rnd.nextInt(26) : i % 3)));
        }
        values.add(mixed.toString());
        try (TestServer ours = TestServer.start();
                Jedis real = new Jedis(new HostAndPort("127.0.0.1", redis.port()));
                Jedis mine = new Jedis(new HostAndPort("127.0.0.1", ours.port()))) {
            real.flushAll();
            for (int i = 0; i < values.size(); i++) {
                String k = "v" + i;
                real.set(k, values.get(i));
                mine.set(k, values.get(i));
                assertThat(mine.dump(k)).as(k).isEqualTo(real.dump(k));
            }
            real.rpush("list", values.toArray(String[]::new));
            mine.rpush("list", values.toArray(String[]::new));
            assertThat(mine.dump("list")).isEqualTo(real.dump("list"));
        }
    }
}
