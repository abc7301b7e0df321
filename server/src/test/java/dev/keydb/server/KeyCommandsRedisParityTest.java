package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends the same keyspace and expiry commands to a real redis-server (Debian's 7.0) and to our
 * server and requires byte-identical replies. Only deterministic replies are compared (no
 * IDLETIME, RANDOMKEY or multi-key KEYS order). A missing redis-server fails the test.
 */
class KeyCommandsRedisParityTest {
    static TestServer ours;
    static Process redis;
    static int redisPort;
    static Path redisDir;

    @BeforeAll
    static void start() throws Exception {
        String binary = findOnPath("redis-server");
        if (binary == null) {
            fail("redis-server is not installed (Debian package redis-server); it is required to compare replies with Redis 7.0");
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            redisPort = s.getLocalPort();
        }
        redisDir = Files.createTempDirectory("redis-parity");
        redis = new ProcessBuilder(binary, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", redisDir.toString(), "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (RawConnection probe = new RawConnection(redisPort)) {
                if (probe.call("PING").equals("+PONG\r\n")) {
                    break;
                }
            } catch (IOException e) {
                if (!redis.isAlive() || System.nanoTime() > deadline) {
                    fail("redis-server did not start on port " + redisPort + ": " + Files.readString(redisDir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
        }
        ours = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly();
            }
        }
        if (redisDir != null) {
            try (var files = Files.walk(redisDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** Commands run on both servers whose replies legitimately differ (server identity). */
    private static final java.util.Set<String> IGNORED_REPLIES = java.util.Set.of("HELLO");

    /** Runs the script on both servers (each starting from FLUSHALL) and compares every reply. */
    private static void compare(String[]... script) throws IOException {
        try (RawConnection theirs = new RawConnection(redisPort); RawConnection mine = new RawConnection(ours.port())) {
            theirs.call("FLUSHALL");
            mine.call("FLUSHALL");
            List<String> mismatches = new ArrayList<>();
            for (String[] cmd : script) {
                String expected = theirs.call(cmd);
                String actual = mine.call(cmd);
                if (cmd.length > 0 && IGNORED_REPLIES.contains(cmd[0])) {
                    continue;
                }
                if (!expected.equals(actual)) {
                    mismatches.add(String.join(" ", cmd) + "\n  redis: " + printable(expected) + "\n  ours:  " + printable(actual));
                }
            }
            assertThat(mismatches).as("replies that differ from redis-server").isEmpty();
        }
    }

    private static String printable(String reply) {
        return reply.replace("\r\n", "\\r\\n");
    }

    private static String[] c(String... args) {
        return args;
    }

    @Test
    void genericCommands() throws IOException {
        compare(
                c("SET", "a", "1"), c("SET", "b", "hello"), c("SET", "n", "5"),
                c("EXISTS", "a", "a", "zz"), c("TYPE", "a"), c("TYPE", "zz"), c("DBSIZE"),
                c("DEL", "a", "zz", "a"), c("UNLINK", "b"), c("TOUCH", "n", "zz"), c("KEYS", "n*"), c("KEYS", "[^n]"),
                c("RENAME", "zz", "x"), c("RENAMENX", "zz", "x"), c("RENAME", "n", "n"), c("RENAMENX", "n", "n"),
                c("RENAME", "n", "m"), c("SET", "o", "x"), c("RENAMENX", "m", "o"), c("RENAMENX", "m", "p"),
                c("MOVE", "p", "0"), c("MOVE", "p", "16"), c("MOVE", "p", "x"), c("MOVE", "p", "4294967296"),
                c("MOVE", "p", "1"), c("MOVE", "p", "1"), c("SELECT", "1"), c("GET", "p"), c("SELECT", "0"),
                c("COPY", "o", "o"), c("COPY", "o", "q"), c("COPY", "o", "q"), c("COPY", "o", "q", "REPLACE"),
                c("COPY", "o", "o", "DB", "2"), c("COPY", "o", "q", "DB"), c("COPY", "o", "q", "DB", "99"),
                c("COPY", "o", "q", "DB", "x"), c("COPY", "o", "q", "BAR"), c("COPY", "zz", "q"),
                c("SWAPDB", "0", "2"), c("SWAPDB", "x", "1"), c("SWAPDB", "1", "y"), c("SWAPDB", "1", "99"),
                c("SWAPDB", "99999999999", "0"), c("GET", "o"), c("SWAPDB", "2", "0"), c("GET", "o"),
                c("DEL"), c("RENAME", "a"), c("MOVE", "a"), c("COPY", "a"), c("SWAPDB", "0"), c("KEYS"),
                c("RANDOMKEY", "x"), c("FLUSHDB", "x"), c("FLUSHALL", "ASYNC"), c("RANDOMKEY"), c("KEYS", "*"));
    }

    @Test
    void scanSyntax() throws IOException {
        compare(
                c("SCAN", "0"), c("SET", "k", "v"), c("SCAN", "0"), c("SCAN", "0", "MATCH", "k"),
                c("SCAN", "0", "MATCH", "x*"), c("SCAN", "0", "TYPE", "string"), c("SCAN", "0", "TYPE", "STRING"),
                c("SCAN", "0", "TYPE", "list"), c("SCAN", "0", "TYPE", "bogus"), c("SCAN", "0", "COUNT", "2"),
                c("SCAN", "0", "COUNT", "0"), c("SCAN", "0", "COUNT", "-5"), c("SCAN", "0", "COUNT", "x"),
                c("SCAN", "0", "MATCH"), c("SCAN", "0", "COUNT"), c("SCAN", "0", "FOO", "1"), c("SCAN", "x"),
                c("SCAN", " 1"), c("SCAN", "1 "), c("SCAN", "-"), c("SCAN", "+"), c("SCAN", "+0"), c("SCAN", ""),
                c("SCAN", "18446744073709551616"), c("SCAN", "0x1"), c("SCAN"));
    }

    @Test
    void objectCommand() throws IOException {
        compare(
                c("SET", "i", "12"), c("SET", "big", "123456789012"), c("SET", "e", "x".repeat(44)),
                c("SET", "r", "x".repeat(45)), c("SET", "ap", "a"), c("APPEND", "ap", "b"),
                c("OBJECT", "ENCODING", "i"), c("OBJECT", "ENCODING", "big"), c("OBJECT", "ENCODING", "e"),
                c("OBJECT", "ENCODING", "r"), c("OBJECT", "ENCODING", "ap"), c("OBJECT", "ENCODING", "zz"),
                c("OBJECT", "REFCOUNT", "i"), c("OBJECT", "REFCOUNT", "big"), c("OBJECT", "REFCOUNT", "e"),
                c("COPY", "i", "i2"), c("OBJECT", "REFCOUNT", "i2"), c("RENAME", "i", "i3"), c("OBJECT", "REFCOUNT", "i3"),
                c("OBJECT", "FREQ", "e"), c("OBJECT", "FREQ", "zz"), c("OBJECT", "IDLETIME", "zz"),
                c("OBJECT", "HELP"), c("object", "help"), c("OBJECT"), c("OBJECT", "ENCODING"),
                c("OBJECT", "HELP", "x"), c("OBJECT", "NOPE"), c("OBJECT", "NOPE", "x"), c("OBJECT", "REFCOUNT", "a", "b"));
    }

    @Test
    void expiryCommands() throws IOException {
        compare(
                c("SET", "k", "v"), c("TTL", "k"), c("PTTL", "k"), c("EXPIRETIME", "k"), c("PEXPIRETIME", "k"),
                c("TTL", "zz"), c("PTTL", "zz"), c("EXPIRETIME", "zz"), c("PEXPIRETIME", "zz"),
                c("EXPIRE", "k", "100", "XX"), c("EXPIRE", "k", "100", "GT"), c("EXPIRE", "k", "100", "NX"), c("TTL", "k"),
                c("EXPIRE", "k", "200", "NX"), c("EXPIRE", "k", "50", "GT"), c("EXPIRE", "k", "500", "GT"), c("TTL", "k"),
                c("EXPIRE", "k", "600", "LT"), c("EXPIRE", "k", "60", "LT"), c("TTL", "k"),
                c("EXPIREAT", "k", "2000000000"), c("EXPIRETIME", "k"), c("PEXPIRETIME", "k"),
                c("PEXPIREAT", "k", "2000000000499"), c("EXPIRETIME", "k"), c("PEXPIREAT", "k", "2000000000500"), c("EXPIRETIME", "k"),
                c("EXPIRE", "k", "10", "NX", "XX"), c("EXPIRE", "k", "10", "GT", "LT"), c("EXPIRE", "k", "10", "nx", "lt"),
                c("EXPIRE", "k", "10", "FOO"), c("EXPIRE", "k", "x", "FOO"), c("EXPIRE", "k", "x"), c("EXPIRE", "k", "1.5"),
                c("EXPIRE", "k", "9223372036854775807"), c("EXPIRE", "k", "-9223372036854776"), c("PEXPIRE", "k", "9223372036854775807"),
                c("EXPIREAT", "k", "9223372036854776"), c("EXPIRE", "zz", "9223372036854775807"), c("EXPIRE", "zz", "10"),
                c("PERSIST", "k"), c("PERSIST", "k"), c("PERSIST", "zz"), c("TTL", "k"),
                c("PEXPIREAT", "k", "9223372036854775807"), c("PEXPIRETIME", "k"),
                c("EXPIRE", "k", "-1"), c("EXISTS", "k"), c("SET", "k", "v"), c("PEXPIREAT", "k", "1"), c("TTL", "k"),
                c("SET", "k", "v"), c("EXPIRE", "k", "0"), c("GET", "k"),
                c("EXPIRE", "k"), c("TTL"), c("PERSIST"), c("EXPIRETIME", "a", "b"));
    }

    @Test
    void resp3Replies() throws IOException {
        compare(
                c("HELLO", "3"), c("RANDOMKEY"), c("OBJECT", "ENCODING", "zz"), c("SET", "k", "v"), c("SCAN", "0"),
                c("KEYS", "*"), c("TTL", "k"), c("TYPE", "k"), c("OBJECT", "HELP"), c("COPY", "k", "k2"));
    }

    @Test
    void keysGlobPatterns() throws IOException {
        String[][] cases = {
            {"h?llo", "hello"}, {"h?llo", "hllo"}, {"h*llo", "heeello"}, {"h[ae]llo", "hallo"}, {"h[^e]llo", "hello"},
            {"h[a-b]llo", "hbllo"}, {"h[b-a]llo", "hallo"}, {"h\\*llo", "h*llo"}, {"[\\]]", "]"}, {"[a-]", "-"},
            {"a[", "a["}, {"a[b", "ab"}, {"[abc", "a"}, {"[]", "x"}, {"a\\", "a\\"}, {"**a", "ba"},
            {"[^a-c]x", "bx"}, {"a*b*c", "aXbY"}, {"a*b*c", "aXbYc"}, {"\\a", "a"}, {"[\\a]", "a"}, {"a**", "a"},
            {"*", "x"}, {"**", "x"}, {"?*?", "ab"}, {"?*?", "a"}, {"[a-c][x-z]", "bz"}, {"[z-x]", "y"},
        };
        List<String[]> script = new ArrayList<>();
        for (String[] pk : cases) {
            script.add(c("FLUSHALL"));
            script.add(c("SET", pk[1], "1"));
            script.add(c("KEYS", pk[0]));
            script.add(c("SCAN", "0", "MATCH", pk[0]));
        }
        compare(script.toArray(new String[0][]));
    }
}
