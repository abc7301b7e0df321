package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** EVAL and SCRIPT on the real Lua 5.1 engine: conversions, sandbox, busy scripts and SCRIPT KILL. */
class ScriptingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("--busy-reply-threshold", "300");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String call(String... args) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            return c.call(args);
        }
    }

    @Test
    void conversions() throws Exception {
        assertThat(call("eval", "return 1", "0")).isEqualTo(":1\r\n");
        assertThat(call("eval", "return 3.99", "0")).isEqualTo(":3\r\n");
        assertThat(call("eval", "return 'x'", "0")).isEqualTo("$1\r\nx\r\n");
        assertThat(call("eval", "return {1,2,{3,'a'},nil,5}", "0")).isEqualTo("*3\r\n:1\r\n:2\r\n*2\r\n:3\r\n$1\r\na\r\n");
        assertThat(call("eval", "return true", "0")).isEqualTo(":1\r\n");
        assertThat(call("eval", "return false", "0")).isEqualTo("$-1\r\n");
        assertThat(call("eval", "return {ok='fine'}", "0")).isEqualTo("+fine\r\n");
        assertThat(call("eval", "return {err='MY bad'}", "0")).isEqualTo("-MY bad\r\n");
        assertThat(call("eval", "return KEYS[1]..ARGV[2]", "1", "k", "a", "b")).isEqualTo("$2\r\nkb\r\n");
        assertThat(call("eval", "redis.call('set', KEYS[1], '\\0\\200\\255') return #redis.call('get', KEYS[1])", "1", "bin"))
                .isEqualTo(":3\r\n");
    }

    @Test
    void binaryStringsRoundTrip() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            byte[] payload = new byte[256];
            for (int i = 0; i < 256; i++) {
                payload[i] = (byte) i;
            }
            c.call("set", "binkey", "x");
            java.io.ByteArrayOutputStream cmd = new java.io.ByteArrayOutputStream();
            String body = "return redis.call('set', KEYS[1], ARGV[1]) and #ARGV[1] or false";
            cmd.write(("*5\r\n$4\r\neval\r\n$" + body.length() + "\r\n" + body + "\r\n$1\r\n1\r\n$6\r\nbinkey\r\n$256\r\n").getBytes());
            cmd.write(payload);
            cmd.write("\r\n".getBytes());
            c.send(cmd.toByteArray());
            assertThat(c.readReply()).isEqualTo(":256\r\n");
            assertThat(c.call("strlen", "binkey")).isEqualTo(":256\r\n");
            assertThat(c.call("eval", "local s = redis.call('get', KEYS[1]) local t = 0 for i = 1, #s do t = t + s:byte(i) end return t", "1", "binkey"))
                    .isEqualTo(":32640\r\n");
        }
    }

    @Test
    void sandbox() throws Exception {
        assertThat(call("eval", "return os.execute('ls')", "0")).startsWith("-ERR user_script:1: Script attempted to access nonexistent global variable 'os'");
        assertThat(call("eval", "return io.open('/etc/passwd')", "0")).startsWith("-ERR user_script:1: Script attempted to access nonexistent global variable 'io'");
        assertThat(call("eval", "return loadfile('/etc/passwd')", "0")).contains("nonexistent global variable 'loadfile'");
        assertThat(call("eval", "return require('x')", "0")).contains("nonexistent global variable 'require'");
        assertThat(call("eval", "return java", "0")).contains("nonexistent global variable 'java'");
        assertThat(call("eval", "a = 1", "0")).startsWith("-ERR user_script:1: Attempt to modify a readonly table");
        assertThat(call("eval", "redis.call = nil", "0")).startsWith("-ERR user_script:1: Attempt to modify a readonly table");
        assertThat(call("eval", "return loadstring(string.dump(function() end))", "0")).isEqualTo("$-1\r\n");
    }

    @Test
    void scriptCache() throws Exception {
        String sha = call("script", "load", "return 'cached'").split("\r\n")[1];
        assertThat(call("evalsha", sha, "0")).isEqualTo("$6\r\ncached\r\n");
        assertThat(call("evalsha", sha.toUpperCase(), "0")).isEqualTo("$6\r\ncached\r\n");
        assertThat(call("script", "exists", sha, "0000000000000000000000000000000000000000")).isEqualTo("*2\r\n:1\r\n:0\r\n");
        assertThat(call("evalsha", "0000000000000000000000000000000000000000", "0")).isEqualTo("-NOSCRIPT No matching script. Please use EVAL.\r\n");
    }

    @Test
    @Timeout(10)
    void busyScriptIsKilled() throws Exception {
        try (RawConnection runner = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            runner.command("eval", "while true do end", "0");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String reply;
            do {
                Thread.sleep(50);
                reply = other.call("ping");
            } while (!reply.startsWith("-BUSY") && System.nanoTime() < deadline);
            assertThat(reply).isEqualTo("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("script", "kill")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL...");
            assertThat(other.call("ping")).isEqualTo("+PONG\r\n");
            assertThat(runner.call("eval", "return 1", "0")).isEqualTo(":1\r\n");
            assertThat(other.call("script", "kill")).isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");
        }
    }

    /**
     * With one serving event loop, the connections made while a script runs land on a standby
     * loop: they get -BUSY and can SCRIPT KILL it (connections already on the busy loop wait).
     */
    @Test
    @Timeout(15)
    void aSingleEventLoopServerCanStillKillABusyScript() throws Exception {
        try (TestServer single = TestServer.start("--server-threads", "1", "--busy-reply-threshold", "200");
                RawConnection runner = new RawConnection(single.port())) {
            runner.command("eval", "while true do end", "0");
            Thread.sleep(400);
            try (RawConnection other = new RawConnection(single.port())) {
                assertThat(other.call("ping")).startsWith("-BUSY Redis is busy running a script.");
                assertThat(other.call("script", "kill")).isEqualTo("+OK\r\n");
            }
            assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL...");
            assertThat(runner.call("ping")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    @Timeout(10)
    void writingScriptIsUnkillable() throws Exception {
        try (RawConnection runner = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            runner.command("eval", "redis.call('set','w','1') local t = redis.call('time')[1] + 1 "
                    + "while tonumber(redis.call('time')[1]) <= tonumber(t) do end return 'done'", "0");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String reply;
            do {
                Thread.sleep(50);
                reply = other.call("script", "kill");
            } while (reply.startsWith("-NOTBUSY") && System.nanoTime() < deadline);
            assertThat(reply).startsWith("-UNKILLABLE Sorry the script already executed write commands");
            assertThat(runner.readReply()).isEqualTo("$4\r\ndone\r\n");
        }
    }

    @Test
    @Timeout(10)
    void busyFunctionIsKilledByFunctionKill() throws Exception {
        try (RawConnection runner = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            assertThat(runner.call("function", "load", "replace", "#!lua name=spin\nredis.register_function('spin', function() while true do end end)"))
                    .isEqualTo("$4\r\nspin\r\n");
            runner.command("fcall", "spin", "0");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String reply;
            do {
                Thread.sleep(50);
                reply = other.call("get", "x");
            } while (!reply.startsWith("-BUSY") && System.nanoTime() < deadline);
            assertThat(reply).isEqualTo("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("script", "kill")).isEqualTo("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("function", "kill")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.");
            assertThat(runner.call("fcall", "spin", "-1")).isEqualTo("-ERR Number of keys can't be negative\r\n");
        }
    }
}
