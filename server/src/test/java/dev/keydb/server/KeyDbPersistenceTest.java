package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.rdb.RdbReader;
import dev.keydb.storage.types.CronJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * KeyDB's values in RDB files and DUMP payloads, on the wire: KEYDB.CRON jobs (KeyDB's type 64)
 * and KEYDB.NHSET nested hashes (this server's type 65) survive SAVE + restart and DEBUG
 * RELOAD, BGSAVE works with them, and the scheduler follows jobs through RENAME, COPY, MOVE,
 * SWAPDB and RESTORE. Also: RESTORE of a list, sorted set or stream serves clients blocked on
 * the key, as Redis 7.0's dbAdd does.
 */
class KeyDbPersistenceTest {
    private static final String INCR = "redis.call('incr', KEYS[1])";

    /** Polls {@code probe} until it holds, for up to 5 seconds. */
    private static void await(String what, Callable<Boolean> probe) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (!probe.call()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static long number(RawConnection c, String... command) throws IOException {
        Object v = RespValue.parse(c.call(command));
        return v instanceof Long l ? l : v instanceof String s ? Long.parseLong(s) : 0;
    }

    /** Waits until {@code counter} (in the connection's database) grows past its current value. */
    private static void awaitGrowing(RawConnection c, String counter) throws Exception {
        long before = number(c, "GET", counter);
        await(counter + " growing past " + before, () -> number(c, "GET", counter) > before);
    }

    /** The keys keydb-check-rdb's check reads in a file (it throws on a file it rejects). */
    private static long checkedKeys(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return RdbReader.check(in, new RdbReader.CheckListener() { }, System.currentTimeMillis()).keys();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void nestedHashes(RawConnection c) throws IOException {
        assertThat(c.call("KEYDB.NHSET", "nh.a.b", "v1")).isEqualTo(":0\r\n");
        c.call("KEYDB.NHSET", "nh.a.list", "x", "y", "z");
        c.call("KEYDB.NHSET", "nh.top", "12345");
        c.call("KEYDB.NHSET", "nh.a.deep.er.still", "bottom");
        c.call("KEYDB.NHSET", "other.k", "v");
        c.call("EXPIRE", "other", "1000");
    }

    @Test
    void saveAndRestartKeepCronJobsRunningAndNestedHashesIntact() throws Exception {
        Path dir = Files.createTempDirectory("keydb-cron");
        try {
            String digest;
            String values;
            long late = System.currentTimeMillis() + 3_600_000;
            try (TestServer s = TestServer.start("--dir", dir.toString());
                 RawConnection c = new RawConnection(s.port())) {
                nestedHashes(c);
                // Jobs that do not run during the test, for the digest: repeating and single-shot.
                assertThat(c.call("KEYDB.CRON", "late", "repeat", Long.toString(late), "1000", "return 1", "1", "k", "a"))
                        .isEqualTo("+OK\r\n");
                c.call("KEYDB.CRON", "later", "single", Long.toString(late), "5", "return 2");
                digest = c.call("DEBUG", "DIGEST");
                values = c.call("DEBUG", "DIGEST-VALUE", "nh", "other", "late", "later");
                // A job that keeps running, in database 3.
                c.call("SELECT", "3");
                c.call("KEYDB.CRON", "ticker", "repeat", "50", INCR, "1", "ticks");
                awaitGrowing(c, "ticks");
                assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            }
            assertThat(checkedKeys(dir.resolve("dump.rdb"))).isEqualTo(6);
            try (TestServer s = TestServer.start("--dir", dir.toString());
                 RawConnection c = new RawConnection(s.port())) {
                assertThat(c.call("DEBUG", "DIGEST-VALUE", "nh", "other", "late", "later")).isEqualTo(values);
                // (children come back in hash-table order, which may differ, as in KeyDB's dict)
                assertThat(c.call("KEYDB.NHGET", "json", "nh.a.list")).isEqualTo("$13\r\n[\"x\",\"y\",\"z\"]\r\n");
                assertThat(c.call("KEYDB.NHGET", "nh.a.deep.er.still")).isEqualTo("$6\r\nbottom\r\n");
                assertThat(c.call("KEYDB.NHGET", "nh.top")).isEqualTo("$5\r\n12345\r\n");
                assertThat(c.call("TTL", "other")).isNotEqualTo(":-1\r\n");
                assertThat(c.call("TYPE", "late")).isEqualTo("+unknown\r\n");
                c.call("SELECT", "3");
                awaitGrowing(c, "ticks");
                // SINGLE and REPEAT survived (KeyDB's format alone would make both repeat).
                assertThat(((CronJob) s.server().keyspace().db(0).peek("later".getBytes())).singleShot()).isTrue();
                assertThat(((CronJob) s.server().keyspace().db(0).peek("late".getBytes())).singleShot()).isFalse();
                c.call("FLUSHDB");
                c.call("SELECT", "0");
                assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void debugReloadKeepsJobsScheduledAndValuesIdentical() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RawConnection c = new RawConnection(s.port())) {
            nestedHashes(c);
            c.call("KEYDB.CRON", "late", "repeat", Long.toString(System.currentTimeMillis() + 3_600_000), "1000", "return 1");
            String digest = c.call("DEBUG", "DIGEST");
            assertThat(digest).isNotEqualTo("$40\r\n" + "0".repeat(40) + "\r\n");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
            c.call("SELECT", "2");
            c.call("KEYDB.CRON", "ticker", "repeat", "50", INCR, "1", "ticks");
            awaitGrowing(c, "ticks");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
            awaitGrowing(c, "ticks");
        }
    }

    @Test
    void bgsaveWithACronJobSucceedsAndWritesGoOn() throws Exception {
        try (TestServer s = TestServer.start("--save", "1 1"); RawConnection c = new RawConnection(s.port())) {
            c.call("KEYDB.CRON", "ticker", "repeat", "50", INCR, "1", "ticks");
            c.call("KEYDB.NHSET", "nh.a", "b");
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            await("the background save", () -> c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:0"));
            assertThat(c.call("INFO", "persistence")).contains("rdb_last_bgsave_status:ok");
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(checkedKeys(s.dir().resolve("dump.rdb"))).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theSchedulerFollowsJobsThroughRenameCopyMoveSwapdbAndRestore() throws Exception {
        try (TestServer s = TestServer.start();
             RawConnection c = new RawConnection(s.port());
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            c.call("KEYDB.CRON", "job", "repeat", "50", INCR, "1", "ticks");
            awaitGrowing(c, "ticks");
            assertThat(c.call("RENAME", "job", "renamed")).isEqualTo("+OK\r\n");
            awaitGrowing(c, "ticks");
            // A copy is a job of its own: it runs after the original is gone.
            assertThat(c.call("COPY", "renamed", "copied")).isEqualTo(":1\r\n");
            assertThat(c.call("DEL", "renamed")).isEqualTo(":1\r\n");
            awaitGrowing(c, "ticks");
            // RESTORE of a DUMPed job (KeyDB's type 64 payload) schedules it.
            byte[] payload = j.dump("copied".getBytes());
            assertThat(payload[0]).isEqualTo((byte) 64);
            assertThat(c.call("DEL", "copied")).isEqualTo(":1\r\n");
            long stopped = number(c, "GET", "ticks");
            Thread.sleep(200);
            assertThat(number(c, "GET", "ticks")).isEqualTo(stopped);
            assertThat(j.restore("restored".getBytes(), 0, payload)).isEqualTo("OK");
            awaitGrowing(c, "ticks");
            // MOVE and SWAPDB: the job runs in the database it lands in.
            assertThat(c.call("MOVE", "restored", "4")).isEqualTo(":1\r\n");
            c.call("SELECT", "4");
            awaitGrowing(c, "ticks");
            assertThat(c.call("SWAPDB", "4", "6")).isEqualTo("+OK\r\n");
            c.call("SELECT", "4");
            c.call("DEL", "ticks");
            c.call("SELECT", "6");
            awaitGrowing(c, "ticks");
            c.call("FLUSHALL");
            await("the scheduler forgetting flushed jobs", () -> s.server().cronJobs().size() == 0);
        }
    }

    @Test
    void restoreServesClientsBlockedOnTheKey() throws Exception {
        try (TestServer s = TestServer.start();
             Jedis j = new Jedis("127.0.0.1", s.port());
             RawConnection blocked = new RawConnection(s.port());
             RawConnection c = new RawConnection(s.port())) {
            c.call("RPUSH", "srclist", "a", "b");
            c.call("ZADD", "srczset", "1", "m");
            c.call("XADD", "srcstream", "1-1", "f", "v");
            byte[] list = j.dump("srclist".getBytes());
            byte[] zset = j.dump("srczset".getBytes());
            byte[] stream = j.dump("srcstream".getBytes());

            blocked.command("BLPOP", "l", "0");
            await("BLPOP blocking", () -> s.server().blockedClients().count() == 1);
            j.restore("l".getBytes(), 0, list);
            assertThat(blocked.readReply()).isEqualTo("*2\r\n$1\r\nl\r\n$1\r\na\r\n");

            blocked.command("BZPOPMIN", "z", "0");
            await("BZPOPMIN blocking", () -> s.server().blockedClients().count() == 1);
            j.restore("z".getBytes(), 0, zset);
            assertThat(blocked.readReply()).isEqualTo("*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n1\r\n");

            blocked.command("XREAD", "BLOCK", "0", "STREAMS", "x", "0-0");
            await("XREAD blocking", () -> s.server().blockedClients().count() == 1);
            j.restore("x".getBytes(), 0, stream);
            assertThat(blocked.readReply())
                    .isEqualTo("*1\r\n*2\r\n$1\r\nx\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
        }
    }
}
