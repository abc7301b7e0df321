package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DEBUG: the enable-debug-command gate, and DIGEST compared with a real redis-server. */
class DebugCommandsTest {
    static final String REFUSED = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration file, "
            + "and then restart the server.\r\n";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--enable-debug-command", "yes");
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @AfterEach
    void disconnect() throws Exception {
        c.close();
    }

    @Test
    void refusedByDefaultAllowedLocallyWithLocal() throws Exception {
        try (TestServer plain = TestServer.start(); RawConnection p = new RawConnection(plain.port())) {
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo(REFUSED);
            assertThat(p.call("DEBUG")).isEqualTo("-ERR wrong number of arguments for 'debug' command\r\n");
        }
        try (TestServer local = TestServer.start("--enable-debug-command", "local");
                RawConnection p = new RawConnection(local.port())) {
            assertThat(p.call("DEBUG", "DIGEST")).isEqualTo("+0000000000000000000000000000000000000000\r\n");
        }
        assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("+0000000000000000000000000000000000000000\r\n");
    }

    @Test
    void populateAndDbsize() throws Exception {
        assertThat(c.call("SET", "key:1", "mine")).isEqualTo("+OK\r\n");
        assertThat(c.call("DEBUG", "POPULATE", "100")).isEqualTo("+OK\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":100\r\n");
        assertThat(c.call("GET", "key:0")).isEqualTo("$7\r\nvalue:0\r\n");
        assertThat(c.call("GET", "key:1")).isEqualTo("$4\r\nmine\r\n"); // existing keys are kept
        assertThat(c.call("DEBUG", "POPULATE", "3", "p", "2")).isEqualTo("+OK\r\n");
        assertThat(c.call("GET", "p:2")).isEqualTo("$2\r\nva\r\n");
        assertThat(c.call("DEBUG", "POPULATE", "2", "q", "10")).isEqualTo("+OK\r\n");
        assertThat(c.call("GET", "q:1")).isEqualTo("$10\r\nvalue:1\0\0\0\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":105\r\n");
        assertThat(c.call("DEBUG", "POPULATE", "-1")).isEqualTo("-ERR value is out of range, must be positive\r\n");
    }

    @Test
    void objectProtocolAndMisc() throws Exception {
        c.call("SET", "s", "bar");
        c.call("SET", "n", "123");
        assertThat(c.call("DEBUG", "OBJECT", "s"))
                .matches("\\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:4 lru:\\d+ lru_seconds_idle:\\d+\r\n");
        assertThat(c.call("DEBUG", "OBJECT", "n")).contains(" refcount:2147483647 encoding:int serializedlength:2 ");
        assertThat(c.call("DEBUG", "OBJECT", "nosuch")).isEqualTo("-ERR no such key\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "bignum")).isEqualTo("$37\r\n1234567999999999999999999999999999999\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "push")).isEqualTo("-ERR RESP2 is not supported by this command\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "map")).isEqualTo("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
        c.call("HELLO", "3");
        assertThat(c.call("DEBUG", "PROTOCOL", "bignum")).isEqualTo("(1234567999999999999999999999999999999\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "double")).isEqualTo(",3.141\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "map")).isEqualTo("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
        c.command("DEBUG", "PROTOCOL", "attrib"); // the attribute, then the real reply
        assertThat(c.readReply()).isEqualTo("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n");
        assertThat(c.readReply()).isEqualTo("$39\r\nSome real reply following the attribute\r\n");
        c.command("DEBUG", "PROTOCOL", "push");
        assertThat(c.readReply()).isEqualTo(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n");
        assertThat(c.readReply()).isEqualTo("$40\r\nSome real reply following the push reply\r\n");
        assertThat(c.call("DEBUG", "PROTOCOL", "verbatim")).isEqualTo("=29\r\ntxt:This is a verbatim\nstring\r\n");
        assertThat(c.call("DEBUG", "SLEEP", "0.05")).isEqualTo("+OK\r\n");
        assertThat(c.call("DEBUG", "RELOAD", "FAST")).isEqualTo("-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n");
        String replid = server.server().replId();
        assertThat(c.call("DEBUG", "CHANGE-REPL-ID")).isEqualTo("+OK\r\n");
        assertThat(server.server().replId()).hasSize(40).isNotEqualTo(replid);
        assertThat(c.call("DEBUG", "NOSUCH"))
                .isEqualTo("-ERR unknown subcommand or wrong number of arguments for 'NOSUCH'. Try DEBUG HELP.\r\n");
        assertThat(c.call("DEBUG", "STRINGMATCH-TEST")).isEqualTo("+Apparently Redis did not crash: test passed\r\n");
        assertThat(c.call("DEBUG", "HELP")).contains("+DIGEST-VALUE <key> [<key> ...]\r\n");
    }

    @Test
    void setActiveExpireStopsOnlyTheBackgroundCycle() throws Exception {
        try {
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("+OK\r\n");
            c.call("SET", "gone", "x", "PX", "20");
            Thread.sleep(400); // several cron cycles
            assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n"); // not expired in the background
            assertThat(c.call("GET", "gone")).isEqualTo("$-1\r\n"); // but lazily on access
            assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
        } finally {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    // ---- DIGEST against a real redis-server -------------------------------------------------

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static RawConnection connectWithin(int port, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try {
                return new RawConnection(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** The same commands on both servers; every reply must be identical. */
    private static void both(RawConnection a, RawConnection b, String... cmd) throws IOException {
        assertThat(b.call(cmd)).as(String.join(" ", cmd)).isEqualTo(a.call(cmd));
    }

    @Test
    void digestMatchesRealRedis() throws Exception {
        assumeTrue(onPath("redis-server"), "redis-server is not installed");
        int port = freePort();
        Path dir = Files.createTempDirectory("redis-digest");
        Process redis = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try (RawConnection real = connectWithin(port, 5000)) {
            both(real, c, "FLUSHALL");
            both(real, c, "DEBUG", "DIGEST");
            both(real, c, "SET", "plain", "hello world");
            both(real, c, "SET", "int", "12345");
            both(real, c, "SET", "negative", "-7");
            both(real, c, "SET", "big", "9223372036854775807");
            both(real, c, "SET", "long", "x".repeat(100));
            both(real, c, "APPEND", "appended", "abc");
            both(real, c, "APPEND", "appended", "def");
            both(real, c, "SET", "empty", "");
            both(real, c, "DEBUG", "DIGEST");
            // Keys with a TTL mix in Redis's expire marker; different TTLs give the same digest there.
            both(real, c, "SET", "ttl1", "v", "EX", "1000");
            both(real, c, "SET", "ttl2", "12", "PX", "5000000");
            both(real, c, "SETEX", "ttl3", "77", "x".repeat(50));
            both(real, c, "DEBUG", "DIGEST");
            both(real, c, "DEBUG", "DIGEST-VALUE", "plain", "int", "ttl1", "ttl3", "missing");
            // Another database changes the digest (its index is mixed in).
            both(real, c, "SELECT", "5");
            both(real, c, "SET", "plain", "hello world");
            both(real, c, "DEBUG", "POPULATE", "50");
            both(real, c, "DEBUG", "DIGEST");
            both(real, c, "DEL", "key:7");
            both(real, c, "DEBUG", "DIGEST");
            both(real, c, "DEBUG", "DIGEST-VALUE", "plain", "key:1");
            both(real, c, "FLUSHALL");
            both(real, c, "DEBUG", "DIGEST");
        } finally {
            redis.destroy();
            if (!redis.waitFor(5, TimeUnit.SECONDS)) {
                redis.destroyForcibly();
            }
            Files.deleteIfExists(dir.resolve("redis.log"));
            Files.deleteIfExists(dir);
        }
    }
}
