package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BGSAVE on a forkless snapshot, save points, stop-writes-on-bgsave-error and DEBUG RELOAD,
 * over the wire. Every wait is bounded.
 */
class BgsaveTest {
    @TempDir
    Path dir;

    private TestServer start(String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "--dir";
        args[1] = dir.toString();
        args[2] = "--enable-debug-command";
        args[3] = "yes";
        System.arraycopy(more, 0, args, 4, more.length);
        return TestServer.start(args);
    }

    static String info(RawConnection c, String field) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + field + ":([^\\r\\n]*)").matcher(c.call("INFO", "persistence"));
        assertThat(m.find()).as(field).isTrue();
        return m.group(1);
    }

    static void awaitBgsaveDone(RawConnection c) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!info(c, "rdb_bgsave_in_progress").equals("0")) {
            assertThat(System.currentTimeMillis()).as("BGSAVE still running").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String digest(RawConnection c) throws IOException {
        return c.call("DEBUG", "DIGEST");
    }

    private static void populate(RawConnection c, int keys) throws IOException {
        for (int i = 0; i < keys; i++) {
            switch (i % 4) {
                case 0 -> c.call("SET", "s" + i, "value-" + i);
                case 1 -> c.call("RPUSH", "l" + i, "a", "b", "c");
                case 2 -> c.call("HSET", "h" + i, "f", "v", "g", "w");
                default -> c.call("ZADD", "z" + i, "1", "x", "2", "y");
            }
        }
        c.call("SET", "ttl", "v", "PX", "600000");
    }

    @Test
    void bgsaveWritesAFileThatLoadsBack() throws Exception {
        String before;
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            populate(c, 200);
            before = digest(c);
            long lastSave = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            assertThat(info(c, "rdb_changes_since_last_save")).isNotEqualTo("0");
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            awaitBgsaveDone(c);
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(info(c, "rdb_saves")).isEqualTo("1");
            assertThat(c.call("INFO", "stats")).contains("\r\ntotal_forks:1\r\n").containsPattern("\r\nlatest_fork_usec:\\d+\r\n");
            assertThat(Long.parseLong(c.call("LASTSAVE").substring(1).trim())).isGreaterThanOrEqualTo(lastSave);
            assertThat(c.call("BGSAVE", "NOW")).isEqualTo("-ERR syntax error\r\n");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb"); // no temp file left
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(before);
            assertThat(info(c, "rdb_last_load_keys_loaded")).isEqualTo("201");
        }
    }

    /** The file holds the dataset as it was when BGSAVE answered, whatever was written meanwhile. */
    @Test
    void theFileIsThePointInTimeOfTheCommand() throws Exception {
        String atBgsave;
        try (TestServer s = start("--rdb-key-save-delay", "200"); RawConnection c = new RawConnection(s.port())) {
            populate(c, 2000); // about 0.4 s of saving at 200 us a key
            atBgsave = digest(c);
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            assertThat(c.call("BGSAVE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(c.call("SAVE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(info(c, "rdb_bgsave_in_progress")).isEqualTo("1");
            // Writes go on while the save runs: in place (lists, hashes, APPEND), replacing, deleting, adding.
            for (int i = 0; i < 2000; i++) {
                switch (i % 5) {
                    case 0 -> c.call("APPEND", "s" + (i - i % 4), "-more");
                    case 1 -> c.call("RPUSH", "l" + i, "d");
                    case 2 -> c.call("HSET", "h" + i, "f", "changed");
                    case 3 -> c.call("DEL", "z" + i);
                    default -> c.call("SET", "new" + i, "x");
                }
            }
            c.call("EXPIRE", "s0", "100");
            String after = digest(c);
            assertThat(after).isNotEqualTo(atBgsave);
            assertThat(info(c, "rdb_bgsave_in_progress")).as("the save must still run during the writes").isEqualTo("1");
            awaitBgsaveDone(c);
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(Long.parseLong(info(c, "rdb_last_cow_size"))).isPositive();
            // The changes made during the save are not counted as saved.
            assertThat(Long.parseLong(info(c, "rdb_changes_since_last_save"))).isGreaterThanOrEqualTo(1000);
            assertThat(digest(c)).isEqualTo(after);
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(atBgsave);
        }
    }

    @Test
    void functionLibrariesAreSavedAndLoaded() throws Exception {
        String lib = "#!lua name=mylib\nredis.register_function('hello', function(keys, args) return 'hi ' .. args[1] end)";
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("FUNCTION", "LOAD", lib)).isEqualTo("$5\r\nmylib\r\n");
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            awaitBgsaveDone(c);
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("FCALL", "hello", "0", "you")).isEqualTo("$6\r\nhi you\r\n");
            c.call("FUNCTION", "FLUSH");
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo("+OK\r\n");
            assertThat(c.call("FCALL", "hello", "0", "again")).isEqualTo("$8\r\nhi again\r\n");
        }
    }

    /**
     * Every command family that changes values in place (lists, hashes, sets, sorted sets,
     * streams, bitmaps, HyperLogLogs, APPEND/SETRANGE, member TTLs, PFCOUNT's cache) running
     * during a BGSAVE: the file still holds the dataset as it was when BGSAVE answered.
     */
    @Test
    void inPlaceWritesOfEveryTypeNeverReachTheFile() throws Exception {
        String atBgsave;
        java.util.Random rnd = new java.util.Random(11);
        try (TestServer s = start("--rdb-key-save-delay", "3000"); RawConnection c = new RawConnection(s.port())) {
            for (int i = 0; i < 40; i++) {
                c.call("RPUSH", "l" + i, "a", "b", "c");
                c.call("HSET", "h" + i, "f", "1", "g", "2");
                c.call("SADD", "s" + i, "x", "y", "1");
                c.call("ZADD", "z" + i, "1", "a", "2", "b");
                c.call("XADD", "x" + i, "1-1", "f", "v");
                c.call("XGROUP", "CREATE", "x" + i, "g", "0");
                c.call("SETBIT", "b" + i, "7", "1");
                c.call("PFADD", "p" + i, "a", "b");
                c.call("APPEND", "r" + i, "raw");
                c.call("EXPIREMEMBER", "s" + i, "x", "1000");
            }
            atBgsave = digest(c);
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            for (int n = 0; n < 1500; n++) {
                int i = rnd.nextInt(40);
                String v = "v" + n;
                switch (rnd.nextInt(16)) {
                    case 0 -> c.call("LPUSH", "l" + i, v);
                    case 1 -> c.call("LSET", "l" + i, "0", v);
                    case 2 -> c.call("HSET", "h" + i, "f", v);
                    case 3 -> c.call("HINCRBY", "h" + i, "g", "1");
                    case 4 -> c.call("SADD", "s" + i, v);
                    case 5 -> c.call("SPOP", "s" + i);
                    case 6 -> c.call("ZINCRBY", "z" + i, "1", "a");
                    case 7 -> c.call("ZADD", "z" + i, "3", v);
                    case 8 -> c.call("XADD", "x" + i, "*", "f", v);
                    case 9 -> c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "x" + i, ">");
                    case 10 -> c.call("SETBIT", "b" + i, Integer.toString(rnd.nextInt(64)), "1");
                    case 11 -> c.call("PFADD", "p" + i, v);
                    case 12 -> c.call("PFCOUNT", "p" + i);
                    case 13 -> c.call("SETRANGE", "r" + i, "1", v);
                    case 14 -> c.call("EXPIREMEMBER", "h" + i, "f", "500");
                    default -> c.call("RPOP", "l" + i);
                }
            }
            assertThat(info(c, "rdb_bgsave_in_progress")).as("the save must outlast the writes").isEqualTo("1");
            awaitBgsaveDone(c);
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(digest(c)).isEqualTo(atBgsave);
        }
    }

    @Test
    void savePointsStartABackgroundSave() throws Exception {
        try (TestServer s = start("--save", "1 2"); RawConnection c = new RawConnection(s.port())) {
            c.call("SET", "a", "1");
            Thread.sleep(1500);
            assertThat(info(c, "rdb_saves")).as("one change is below the save point").isEqualTo("0");
            c.call("SET", "b", "2");
            long deadline = System.currentTimeMillis() + 10_000;
            while (info(c, "rdb_saves").equals("0")) {
                assertThat(System.currentTimeMillis()).as("save point not honoured").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(dir.resolve("dump.rdb")).exists();
            assertThat(c.call("CONFIG", "GET", "save")).isEqualTo("*2\r\n$4\r\nsave\r\n$3\r\n1 2\r\n");
        }
    }

    /** As Redis: one background job at a time; BGREWRITEAOF during a BGSAVE is scheduled and runs after it. */
    @Test
    void aRewriteRequestedDuringABgsaveRunsAfterIt() throws Exception {
        try (TestServer s = start("--rdb-key-save-delay", "1000"); RawConnection c = new RawConnection(s.port())) {
            populate(c, 300);
            String digest = digest(c);
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("+Background append only file rewriting scheduled\r\n");
            assertThat(info(c, "aof_rewrite_scheduled")).isEqualTo("1");
            assertThat(info(c, "aof_rewrite_in_progress")).isEqualTo("0");
            awaitBgsaveDone(c);
            long deadline = System.currentTimeMillis() + 20_000;
            while (!info(c, "aof_rewrites").equals("1") || !info(c, "aof_rewrite_in_progress").equals("0")) {
                assertThat(System.currentTimeMillis()).as("scheduled rewrite never ran").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(info(c, "aof_last_bgrewrite_status")).isEqualTo("ok");
            assertThat(digest(c)).isEqualTo(digest);
        }
    }

    @Test
    void bgsaveInsideMultiIsScheduled() throws Exception {
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            c.call("SET", "k", "v");
            c.call("MULTI");
            c.call("BGSAVE");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n+Background saving scheduled\r\n");
            long deadline = System.currentTimeMillis() + 10_000;
            while (info(c, "rdb_saves").equals("0")) {
                assertThat(System.currentTimeMillis()).as("scheduled BGSAVE never ran").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** A failed background save stops writes (MISCONF) while save points are set, as Redis. */
    @Test
    void aFailedBackgroundSaveStopsWrites() throws Exception {
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            Files.createDirectory(dir.resolve("dump.rdb")); // the rename over a directory fails
            c.call("SET", "k", "v");
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            awaitBgsaveDone(c);
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("err");
            assertThat(c.call("SET", "k", "w")).startsWith("-MISCONF Redis is configured to save RDB snapshots");
            assertThat(c.call("PING")).startsWith("-MISCONF");
            assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "k", "w")).isEqualTo("+OK\r\n");
            c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
            c.call("CONFIG", "SET", "save", "");
            assertThat(c.call("SET", "k", "x")).as("without save points nothing is refused").isEqualTo("+OK\r\n");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb"); // the temp file was removed
        }
    }

    @Test
    void debugReloadSavesAndLoadsBack() throws Exception {
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            populate(c, 40);
            c.call("SET", "n", "12345");
            String before = digest(c);
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
            assertThat(digest(c)).isEqualTo(before);
            assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo("$3\r\nint\r\n");
            // NOSAVE loads what is on disk: later writes are gone.
            c.call("SET", "later", "x");
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo("+OK\r\n");
            assertThat(c.call("EXISTS", "later")).isEqualTo(":0\r\n");
            assertThat(digest(c)).isEqualTo(before);
            // NOFLUSH without MERGE refuses keys that exist on both sides and leaves the data alone; MERGE replaces them.
            c.call("SET", "n", "changed");
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"))
                    .isEqualTo("-ERR Error trying to load the RDB dump, check server logs.\r\n");
            assertThat(c.call("GET", "n")).isEqualTo("$7\r\nchanged\r\n");
            c.call("SET", "only-here", "1");
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "n")).isEqualTo("$5\r\n12345\r\n");
            assertThat(c.call("GET", "only-here")).isEqualTo("$1\r\n1\r\n");
        }
    }

    @Test
    void shutdownDuringABackgroundSaveSavesSynchronously() throws Exception {
        try (TestServer s = start("--rdb-key-save-delay", "1000"); RawConnection c = new RawConnection(s.port())) {
            populate(c, 400); // 0.4 s of background saving
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            c.call("SET", "last", "write");
            c.command("SHUTDOWN");
            assertThat(c.awaitClosedByPeer(10_000)).as("SHUTDOWN closes the connection without a reply").isTrue();
        }
        try (TestServer s = start(); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("GET", "last")).isEqualTo("$5\r\nwrite\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":402\r\n");
        }
    }
}
