package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.RestoreParams;

/** SAVE, LASTSAVE, loading at start-up, SHUTDOWN SAVE, DUMP and RESTORE on our server alone. */
class PersistenceCommandsTest {
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void saveThenRestartLoadsTheData() throws Exception {
        Path dir = Files.createTempDirectory("persist");
        try {
            try (TestServer s = TestServer.start("--dir", dir.toString(), "--dbfilename", "my.rdb");
                    RawConnection c = new RawConnection(s.port())) {
                long before = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
                assertThat(before).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
                c.call("SET", "a", "1");
                c.call("RPUSH", "l", "x", "y");
                c.call("SET", "t", "v", "EX", "1000");
                c.call("SELECT", "2");
                c.call("HSET", "h", "f", "v");
                assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
                assertThat(dir.resolve("my.rdb")).exists();
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(p -> p.getFileName().toString())).containsExactly("my.rdb");
                }
                assertThat(Long.parseLong(c.call("LASTSAVE").substring(1).trim())).isGreaterThanOrEqualTo(before);
                assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
                assertThat(c.call("SAVE")).isEqualTo("-ERR Command not allowed inside a transaction\r\n");
                c.call("DISCARD");
            }
            try (TestServer s = TestServer.start("--dir", dir.toString(), "--dbfilename", "my.rdb");
                    RawConnection c = new RawConnection(s.port())) {
                assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n");
                assertThat(c.call("OBJECT", "ENCODING", "a")).isEqualTo("$3\r\nint\r\n");
                assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
                assertThat(c.call("TTL", "t")).matches(":(99\\d|1000)\\r\\n");
                c.call("SELECT", "2");
                assertThat(c.call("HGET", "h", "f")).isEqualTo("$1\r\nv\r\n");
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void shutdownSavesOnlyWhenAsked() throws Exception {
        Path dir = Files.createTempDirectory("persist");
        try {
            TestServer s = TestServer.start("--dir", dir.toString(), "--save", "");
            try (RawConnection c = new RawConnection(s.port())) {
                c.call("SET", "k", "v");
                assertThat(c.call("SHUTDOWN", "SAVE", "NOSAVE")).isEqualTo("-ERR syntax error\r\n");
                c.command("SHUTDOWN"); // no save points configured: no save
                waitClosed(c);
            }
            s.close();
            assertThat(dir.resolve("dump.rdb")).doesNotExist();
            s = TestServer.start("--dir", dir.toString()); // Redis's default save points
            try (RawConnection c = new RawConnection(s.port())) {
                c.call("SET", "k", "v");
                c.command("SHUTDOWN", "NOSAVE");
                waitClosed(c);
            }
            s.close();
            assertThat(dir.resolve("dump.rdb")).doesNotExist();
            s = TestServer.start("--dir", dir.toString());
            try (RawConnection c = new RawConnection(s.port())) {
                c.call("SET", "k", "by-save-points");
                c.command("SHUTDOWN"); // save points configured: saves
                waitClosed(c);
            }
            s.close();
            assertThat(dir.resolve("dump.rdb")).exists();
            try (TestServer again = TestServer.start("--dir", dir.toString()); RawConnection c = new RawConnection(again.port())) {
                assertThat(c.call("GET", "k")).isEqualTo("$14\r\nby-save-points\r\n");
            }
            s = TestServer.start("--dir", dir.toString());
            try (RawConnection c = new RawConnection(s.port())) {
                c.call("SET", "k", "saved");
                c.command("SHUTDOWN", "SAVE");
                waitClosed(c);
            }
            s.close();
            assertThat(dir.resolve("dump.rdb")).exists();
            try (TestServer again = TestServer.start("--dir", dir.toString()); RawConnection c = new RawConnection(again.port())) {
                assertThat(c.call("GET", "k")).isEqualTo("$5\r\nsaved\r\n");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void waitClosed(RawConnection c) throws Exception {
        c.awaitClosedByPeer(2000);
    }

    @Test
    void saveFailureAnswersBareErr() throws Exception {
        try (TestServer s = TestServer.start(); RawConnection c = new RawConnection(s.port())) {
            c.call("SET", "k", "v");
            deleteTree(s.dir());
            assertThat(c.call("SAVE")).isEqualTo("-ERR\r\n");
            assertThat(c.call("SHUTDOWN", "SAVE")).isEqualTo("-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void dumpAndRestoreOptions() throws Exception {
        try (TestServer s = TestServer.start("--notify-keyspace-events", "KEA");
                Jedis j = new Jedis(new HostAndPort("127.0.0.1", s.port()))) {
            assertThat(j.dump("missing")).isNull();
            j.zadd("z", 1.5, "a");
            j.zadd("z", 2, "b");
            byte[] payload = j.dump("z".getBytes());
            assertThat(payload[payload.length - 10]).isEqualTo((byte) 10);
            assertThat(j.restore("z2".getBytes(), 0, payload)).isEqualTo("OK");
            assertThat(j.zrangeWithScores("z2", 0, -1).toString()).isEqualTo(j.zrangeWithScores("z", 0, -1).toString());
            assertThat(j.ttl("z2")).isEqualTo(-1);
            // relative TTL
            assertThat(j.restore("r".getBytes(), 50_000, payload)).isEqualTo("OK");
            assertThat(j.pttl("r")).isBetween(40_000L, 50_000L);
            // ABSTTL
            long at = System.currentTimeMillis() + 100_000;
            assertThat(j.restore("abs".getBytes(), at, payload, RestoreParams.restoreParams().absTtl())).isEqualTo("OK");
            assertThat(j.pttl("abs")).isBetween(90_000L, 100_000L);
            // an absolute TTL in the past: OK, no key; with REPLACE the old key goes away
            assertThat(j.restore("past".getBytes(), 1, payload, RestoreParams.restoreParams().absTtl())).isEqualTo("OK");
            assertThat(j.exists("past")).isFalse();
            assertThat(j.restore("z2".getBytes(), 1, payload, RestoreParams.restoreParams().absTtl().replace())).isEqualTo("OK");
            assertThat(j.exists("z2")).isFalse();
            // REPLACE over a different type, IDLETIME
            j.set("s", "string");
            assertThat(j.restore("s".getBytes(), 0, payload, RestoreParams.restoreParams().replace().idleTime(1000))).isEqualTo("OK");
            assertThat(j.type("s")).isEqualTo("zset");
            assertThat(j.objectIdletime("s")).isBetween(999L, 1001L);
            byte[] strPayload = j.dump("s".getBytes());
            assertThat(new String(j.dump("z".getBytes()), StandardCharsets.ISO_8859_1)).isEqualTo(new String(strPayload, StandardCharsets.ISO_8859_1));
        }
    }
}
