package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DEBUG HTSTATS, HTSTATS-KEY, LISTPACK, QUICKLIST, LEAK, PAUSE-CRON, AOF-FLUSH-SLEEP and the crash commands. */
class DebugInspectionTest {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void tableStatisticsInRedisForm() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RawConnection c = new RawConnection(s.port())) {
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + i, "v");
            }
            c.call("EXPIRE", "k1", "100");
            String stats = c.call("DEBUG", "HTSTATS", "0");
            assertThat(stats).startsWith("$").contains("[Dictionary HT]\nHash table 0 stats (main hash table):\n table size: ")
                    .contains(" number of elements: 100\n").contains("[Expires HT]\nHash table 0 stats (main hash table):\n")
                    .contains(" number of elements: 1\n").contains(" Chain length distribution:\n   0: ");
            assertThat(c.call("DEBUG", "HTSTATS", "1")).contains("No stats available for empty dictionaries\n");
            assertThat(c.call("DEBUG", "HTSTATS", "16")).isEqualTo("-ERR Out of range database\r\n");
            assertThat(c.call("DEBUG", "HTSTATS", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            c.call("HSET", "small", "f", "v");
            for (int i = 0; i < 600; i++) { // past hash-max-listpack-entries (512)
                c.call("HSET", "big", "f" + i, "v");
            }
            assertThat(c.call("OBJECT", "ENCODING", "big")).isEqualTo("$9\r\nhashtable\r\n");
            assertThat(c.call("DEBUG", "HTSTATS-KEY", "big")).contains(" number of elements: 600\n");
            assertThat(c.call("DEBUG", "HTSTATS-KEY", "small"))
                    .isEqualTo("-ERR The value stored at the specified key is not represented using an hash table\r\n");
            assertThat(c.call("DEBUG", "HTSTATS-KEY", "none")).isEqualTo("-ERR no such key\r\n");
            assertThat(c.call("DEBUG", "LISTPACK", "small")).isEqualTo("+Listpack structure printed on stdout\r\n");
            assertThat(c.call("DEBUG", "LISTPACK", "big")).isEqualTo("-ERR Not a listpack encoded object.\r\n");
            c.call("RPUSH", "list", "a", "b");
            assertThat(c.call("DEBUG", "QUICKLIST", "list")).isEqualTo("+Quicklist structure printed on stdout\r\n");
            assertThat(c.call("DEBUG", "QUICKLIST", "small")).isEqualTo("-ERR Not a quicklist encoded object.\r\n");
            assertThat(c.call("DEBUG", "LEAK", "abc")).isEqualTo("+OK\r\n");
            assertThat(c.call("DEBUG", "AOF-FLUSH-SLEEP", "0")).isEqualTo("+OK\r\n");
        }
    }

    /** SET-SKIP-CHECKSUM-VALIDATION lets RESTORE take a payload whose CRC64 is wrong; SDSLEN describes a string's bytes. */
    @Test
    void checksumValidationCanBeSkippedAndStringsDescribed() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes");
                redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", s.port())) {
            j.set("src", "value");
            byte[] payload = j.dump("src");
            payload[payload.length - 1] ^= 0x55; // the last byte of the CRC64
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.restore("dst", 0, payload))
                    .hasMessageContaining("DUMP payload version or checksum are wrong");
            assertThat(j.sendCommand(DEBUG, "SET-SKIP-CHECKSUM-VALIDATION", "1"))
                    .isEqualTo("OK".getBytes());
            assertThat(j.restore("dst", 0, payload)).isEqualTo("OK");
            assertThat(j.get("dst")).isEqualTo("value");
            j.sendCommand(DEBUG, "SET-SKIP-CHECKSUM-VALIDATION", "0");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.restore("dst2", 0, payload))
                    .hasMessageContaining("checksum");
            assertThat(new String((byte[]) j.sendCommand(DEBUG, "SDSLEN", "src")))
                    .isEqualTo("key_sds_len:3, key_sds_avail:0, key_zmalloc: 24, val_sds_len:5, val_sds_avail:0, val_zmalloc: 24");
        }
    }

    /** PAUSE-CRON stops the active expiry: an expired key stays counted until the cron runs again. */
    @Test
    @Timeout(20)
    void pauseCronStopsActiveExpiry() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--hz", "100"); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("DEBUG", "PAUSE-CRON", "1")).isEqualTo("+OK\r\n");
            c.call("SET", "short", "v", "PX", "50");
            Thread.sleep(500);
            assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n"); // expired, but nobody reclaimed it
            assertThat(c.call("DEBUG", "PAUSE-CRON", "0")).isEqualTo("+OK\r\n");
            assertThat(PubSubTest.waitFor(() -> c.call("DBSIZE").equals(":0\r\n"))).isTrue();
        }
    }

    /** SEGFAULT (and PANIC, ASSERT, OOM) end the process at once, with a crash report in the log. */
    @Test
    @Timeout(60)
    void crashCommandsEndTheProcess(@TempDir Path dir) throws Exception {
        try (ChildServer child = ChildServer.start(dir, "--enable-debug-command", "yes");
                RawConnection c = new RawConnection(child.port())) {
            c.command("DEBUG", "SEGFAULT");
            Integer status = child.awaitExit(20_000);
            assertThat(status).isNotNull().isNotZero();
            assertThat(Files.readString(child.log())).contains("BUG REPORT START").contains("Crashed by DEBUG SEGFAULT");
        }
    }
}
