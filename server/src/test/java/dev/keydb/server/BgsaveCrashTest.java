package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server process killed outright during BGSAVE, and stopped by SIGTERM, on real processes. */
class BgsaveCrashTest {
    @TempDir
    Path dir;

    private static String digestOf(Path dir) throws IOException {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
                RawConnection c = new RawConnection(s.port())) {
            return c.call("DEBUG", "DIGEST");
        }
    }

    /** SIGKILL in the middle of a BGSAVE leaves the previous RDB file whole and loadable. */
    @Test
    void aKillDuringBgsaveLeavesThePreviousFileLoadable() throws Exception {
        String saved;
        try (ChildServer child = ChildServer.start(dir, "--enable-debug-command", "yes", "--save", "",
                "--rdb-key-save-delay", "2000"); RawConnection c = new RawConnection(child.port())) {
            for (int i = 0; i < 300; i++) {
                c.call("RPUSH", "list" + i, "a", "b");
                c.call("SET", "str" + i, "v" + i);
            }
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            saved = c.call("DEBUG", "DIGEST");
            for (int i = 0; i < 300; i++) {
                c.call("RPUSH", "list" + i, "c");
                c.call("SET", "more" + i, "x");
            }
            assertThat(c.call("DEBUG", "DIGEST")).isNotEqualTo(saved);
            // 900 keys at 2 ms each: the save runs for almost two seconds.
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            Thread.sleep(300);
            assertThat(BgsaveTest.info(c, "rdb_bgsave_in_progress")).isEqualTo("1");
            child.kill();
        }
        assertThat(digestOf(dir)).isEqualTo(saved);
    }

    /** SIGTERM with save points configured (Redis's defaults) saves before exiting, as Redis. */
    @Test
    void sigtermSavesWhenSavePointsAreSet() throws Exception {
        String before;
        try (ChildServer child = ChildServer.start(dir, "--enable-debug-command", "yes");
                RawConnection c = new RawConnection(child.port())) {
            c.call("SET", "k", "v");
            c.call("HSET", "h", "f", "v");
            before = c.call("DEBUG", "DIGEST");
            child.close(); // SIGTERM
        }
        assertThat(dir.resolve("dump.rdb")).exists();
        assertThat(digestOf(dir)).isEqualTo(before);
    }
}
