package dev.keydb.server;

import static dev.keydb.server.RawConnection.resp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** EVAL and SCRIPT on the real Lua 5.1 engine: conversions, sandbox, busy scripts and SCRIPT KILL. */
class ScriptingTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--busy-reply-threshold", "300");

    private static String call(String... args) throws Exception {
        return server.call(args);
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
            killAndAwaitKilled(other, runner);
            assertThat(other.call("ping")).isEqualTo("+PONG\r\n");
            assertThat(runner.call("eval", "return 1", "0")).isEqualTo(":1\r\n");
            assertThat(other.call("script", "kill")).isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");
        }
    }

    /**
     * Scripts run on the script thread, never on an event loop: with one event loop, connections
     * it already served before the script started are answered -BUSY and can SCRIPT KILL it.
     */
    @Test
    @Timeout(10)
    void connectionsOnTheCallersOwnEventLoopGetBusyAndCanKill() throws Exception {
        try (TestServer single = singleLoopServer();
                RawConnection runner = new RawConnection(single.port());
                RawConnection other = new RawConnection(single.port())) {
            assertThat(other.call("ping")).isEqualTo("+PONG\r\n"); // connected and served before the script
            runner.command("eval", "while true do end", "0");
            String reply = awaitBusy(other);
            assertThat(reply).isEqualTo("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n");
            killAndAwaitKilled(other, runner);
            assertThat(runner.call("ping")).isEqualTo("+PONG\r\n");
            assertThat(other.call("ping")).isEqualTo("+PONG\r\n");
        }
    }

    /**
     * A script whose last run was short runs on the event loop; when a run turns long before it
     * changed anything, it moves to the script thread and starts again there, so clients of
     * that event loop still get -BUSY and can kill it.
     */
    @Test
    @Timeout(10)
    void aShortScriptThatTurnsLongMovesOffTheEventLoop() throws Exception {
        try (TestServer single = singleLoopServer();
                RawConnection runner = new RawConnection(single.port());
                RawConnection other = new RawConnection(single.port());
                RawConnection monitor = new RawConnection(single.port())) {
            String body = "if redis.call('get', KEYS[1]) == 'spin' then while true do end end return 'quick'";
            for (int i = 0; i < 3; i++) {
                assertThat(runner.call("eval", body, "1", "mode")).isEqualTo("$5\r\nquick\r\n");
            }
            assertThat(runner.call("set", "mode", "spin")).isEqualTo("+OK\r\n");
            assertThat(monitor.call("monitor")).isEqualTo("+OK\r\n");
            runner.command("eval", body, "1", "mode");
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            killAndAwaitKilled(other, runner);
            // MONITOR saw the EVAL once, though it started on the event loop and ran again on the script thread.
            assertThat(monitor.readReply()).contains("\"eval\"");
            assertThat(monitor.readReply()).contains("[0 lua] \"get\" \"mode\"");
            assertThat(monitor.readReply()).contains("[0 lua] \"get\" \"mode\"");
            other.call("set", "after", "1");
            assertThat(monitor.readReply()).contains("\"set\" \"after\" \"1\"");
        }
    }

    /** A run that already published stays where it is when it turns long: moving would publish twice. */
    @Test
    @Timeout(10)
    void aRunWithEffectsIsNeverStartedAgain() throws Exception {
        try (TestServer single = TestServer.start("--server-threads", "1");
                RawConnection runner = new RawConnection(single.port());
                RawConnection subscriber = new RawConnection(single.port())) {
            assertThat(subscriber.call("subscribe", "news")).startsWith("*3\r\n$9\r\nsubscribe\r\n");
            String body = "redis.call('publish', 'news', ARGV[1]) if redis.call('get', KEYS[1]) == 'slow' then "
                    + "local function now() local t = redis.call('time') return t[1] * 1000000 + t[2] end "
                    + "local t = now() while now() - t < 100000 do end end return 'sent'";
            assertThat(runner.call("eval", body, "1", "pace", "m1")).isEqualTo("$4\r\nsent\r\n");
            assertThat(runner.call("eval", body, "1", "pace", "m2")).isEqualTo("$4\r\nsent\r\n");
            assertThat(runner.call("set", "pace", "slow")).isEqualTo("+OK\r\n");
            assertThat(runner.call("eval", body, "1", "pace", "m3")).isEqualTo("$4\r\nsent\r\n");
            assertThat(runner.call("eval", body, "1", "pace", "m4")).isEqualTo("$4\r\nsent\r\n");
            assertThat(runner.call("publish", "news", "end")).isEqualTo(":1\r\n");
            StringBuilder got = new StringBuilder();
            for (String m : new String[] {"m1", "m2", "m3", "m4", "end"}) {
                String reply = subscriber.readReply();
                assertThat(reply).endsWith("$" + m.length() + "\r\n" + m + "\r\n");
                got.append(m).append(' ');
            }
            assertThat(got.toString()).isEqualTo("m1 m2 m3 m4 end ");
        }
    }

    /** A script that wrote cannot be killed; SHUTDOWN NOSAVE from a client of the same event loop still ends it and the server. */
    @Test
    @Timeout(15)
    void shutdownNosaveEndsAnUnkillableScript() throws Exception {
        try (TestServer single = singleLoopServer();
                RawConnection runner = new RawConnection(single.port());
                RawConnection other = new RawConnection(single.port())) {
            assertThat(other.call("ping")).isEqualTo("+PONG\r\n");
            runner.command("eval", "redis.call('set', KEYS[1], '1') while true do end", "1", "unkillable");
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            assertThat(other.call("script", "kill")).startsWith("-UNKILLABLE Sorry the script already executed write commands");
            other.command("shutdown", "nosave");
            assertThat(other.awaitClosedByPeer(5000)).isTrue();
            assertThat(runner.awaitClosedByPeer(5000)).isTrue();
        }
    }

    /**
     * While a script is busy, the allow_busy commands run as in Redis (QUIT, HELLO, AUTH, MULTI,
     * FUNCTION STATS on the event loop; WATCH, UNWATCH, DISCARD, RESET through the busy script's
     * hook, which holds the lock), others get -BUSY and doom an open MULTI.
     */
    @Test
    @Timeout(10)
    void allowBusyCommandsRunWhileAScriptIsBusy() throws Exception {
        try (RawConnection runner = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            runner.command("eval", "while true do end", "0");
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            assertThat(other.call("hello", "3")).startsWith("%7\r\n$6\r\nserver\r\n");
            assertThat(other.call("auth", "nopass")).startsWith("-ERR AUTH <password> called without any password configured");
            assertThat(other.call("function", "stats")).startsWith("%2\r\n$14\r\nrunning_script\r\n_\r\n"); // an EVAL, not a function
            assertThat(other.call("watch", "k")).isEqualTo("+OK\r\n");
            assertThat(other.call("unwatch")).isEqualTo("+OK\r\n");
            // A pipeline mixing both kinds keeps its order: WATCH (hook) then GET (-BUSY) then MULTI.
            other.send(resp("watch", "k") + resp("get", "k") + resp("multi"));
            assertThat(other.readReply()).isEqualTo("+OK\r\n");
            assertThat(other.readReply()).startsWith("-BUSY Redis is busy running a script.");
            assertThat(other.readReply()).isEqualTo("+OK\r\n");
            assertThat(other.call("multi")).isEqualTo("-ERR MULTI calls can not be nested\r\n");
            assertThat(other.call("set", "k", "v")).startsWith("-BUSY Redis is busy running a script.");
            assertThat(other.call("discard")).isEqualTo("+OK\r\n");
            assertThat(other.call("multi")).isEqualTo("+OK\r\n");
            assertThat(other.call("set", "k", "v")).startsWith("-BUSY");
            assertThat(other.call("shutdown")).startsWith("-BUSY");
            killAndAwaitKilled(other, runner);
            assertThat(other.call("exec")).startsWith("-EXECABORT Transaction discarded because of previous errors.");
            assertThat(other.call("reset")).isEqualTo("+RESET\r\n");
            assertThat(other.call("quit")).isEqualTo("+OK\r\n");
            assertThat(other.awaitClosedByPeer(5000)).isTrue();
        }
    }

    /** RESET during a busy script runs too (through the hook) and returns the connection to its defaults. */
    @Test
    @Timeout(10)
    void resetRunsWhileAScriptIsBusy() throws Exception {
        try (RawConnection runner = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            assertThat(other.call("select", "3")).isEqualTo("+OK\r\n");
            runner.command("eval", "while true do end", "0");
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            assertThat(other.call("reset")).isEqualTo("+RESET\r\n");
            killAndAwaitKilled(other, runner);
            assertThat(other.call("client", "info")).contains(" db=0 ");
        }
    }

    /**
     * Nothing an event loop does on its own waits behind a busy script: a subscriber that
     * disconnects and a BLPOP that times out meanwhile are dealt with after it, and the loop
     * goes on answering -BUSY.
     */
    @Test
    @Timeout(15)
    void disconnectsAndTimeoutsDuringABusyScriptNeverStallTheEventLoop() throws Exception {
        try (TestServer single = singleLoopServer();
                RawConnection runner = new RawConnection(single.port());
                RawConnection other = new RawConnection(single.port());
                RawConnection blocker = new RawConnection(single.port())) {
            RawConnection subscriber = new RawConnection(single.port());
            assertThat(subscriber.call("subscribe", "news")).startsWith("*3\r\n");
            blocker.command("blpop", "nothing", "0.5");
            runner.command("eval", "while true do end", "0");
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            subscriber.close();
            Thread.sleep(800); // the BLPOP's timeout passes while the script is busy
            for (int i = 0; i < 5; i++) {
                assertThat(other.call("ping")).startsWith("-BUSY");
            }
            killAndAwaitKilled(other, runner);
            assertThat(blocker.readReply()).isEqualTo("*-1\r\n");
            assertThat(PubSubTest.waitFor(() -> other.call("pubsub", "numsub", "news").endsWith(":0\r\n"))).isTrue();
        }
    }

    /** An infinite loop inside MULTI/EXEC is a busy script too. */
    @Test
    @Timeout(10)
    void busyScriptInsideExecIsKilled() throws Exception {
        try (TestServer single = singleLoopServer();
                RawConnection runner = new RawConnection(single.port());
                RawConnection other = new RawConnection(single.port())) {
            assertThat(runner.call("multi")).isEqualTo("+OK\r\n");
            assertThat(runner.call("set", "before", "1")).isEqualTo("+QUEUED\r\n");
            assertThat(runner.call("eval", "while true do end", "0")).isEqualTo("+QUEUED\r\n");
            runner.command("exec");
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            assertThat(other.call("script", "kill")).isEqualTo("+OK\r\n");
            assertThat(runner.readReply()).startsWith("*2\r\n+OK\r\n-ERR Script killed by user with SCRIPT KILL...");
            assertThat(other.call("get", "before")).isEqualTo("$1\r\n1\r\n");
        }
    }

    /** What a client pipelines around its scripts is answered in order, however the work is split between threads. */
    @Test
    @Timeout(20)
    void pipelinedCommandsAroundScriptsKeepTheirOrder() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            StringBuilder pipeline = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                pipeline.append(resp("set", "order", Integer.toString(i)));
                expected.append("+OK\r\n");
                pipeline.append(resp("eval", "return redis.call('incr', KEYS[1])", "1", "order"));
                expected.append(':').append(i + 1).append("\r\n");
                pipeline.append(resp("get", "order"));
                String v = Integer.toString(i + 1);
                expected.append('$').append(v.length()).append("\r\n").append(v).append("\r\n");
            }
            c.send(pipeline.toString());
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 600; i++) {
                got.append(c.readReply());
            }
            assertThat(got.toString()).isEqualTo(expected.toString());
        }
    }

    /** A blocking command pipelined after a script that ran on the script thread blocks, and is served, in order. */
    @Test
    @Timeout(10)
    void aBlockingCommandAfterAMovedScriptWaitsItsTurn() throws Exception {
        try (RawConnection c = new RawConnection(server.port()); RawConnection pusher = new RawConnection(server.port())) {
            // A script never run before starts on the script thread; BLPOP then blocks there.
            c.send(resp("eval", "return redis.call('incr', KEYS[1]) -- blpop-after", "1", "blpop-count")
                    + resp("blpop", "blpop-list", "0") + resp("get", "blpop-count"));
            assertThat(c.readReply()).isEqualTo(":1\r\n");
            assertThat(PubSubTest.waitFor(() -> pusher.call("client", "list").contains("cmd=blpop"))).isTrue();
            assertThat(pusher.call("rpush", "blpop-list", "v")).isEqualTo(":1\r\n");
            assertThat(c.readReply()).isEqualTo("*2\r\n$10\r\nblpop-list\r\n$1\r\nv\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("ping")).isEqualTo("+PONG\r\n");
        }
    }

    /** Input that arrives while the client's script runs elsewhere is read after what was held (here a BLPOP) is served. */
    @Test
    @Timeout(10)
    void inputSentWhileAScriptRunsIsServedAfterAHeldBlockingPop() throws Exception {
        try (RawConnection c = new RawConnection(server.port()); RawConnection pusher = new RawConnection(server.port())) {
            String slow = "local function now() local t = redis.call('time') return t[1] * 1000000 + t[2] end "
                    + "local t = now() while now() - t < 300000 do end return 'slow' -- late input";
            c.send(resp("eval", slow, "0") + resp("blpop", "late-input-list", "0"));
            Thread.sleep(100);
            c.send(resp("ping")); // while the script still runs
            assertThat(c.readReply()).isEqualTo("$4\r\nslow\r\n");
            assertThat(PubSubTest.waitFor(() -> pusher.call("client", "list").contains("cmd=blpop"))).isTrue();
            assertThat(pusher.call("rpush", "late-input-list", "x")).isEqualTo(":1\r\n");
            assertThat(c.readReply()).isEqualTo("*2\r\n$15\r\nlate-input-list\r\n$1\r\nx\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
        }
    }

    /** A protocol error sent after a script in the same write is answered after the script's reply. */
    @Test
    @Timeout(10)
    void protocolErrorAfterAScriptFollowsItsReply() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(resp("eval", "return 'first'", "0") + "*1\r\n$x\r\n");
            assertThat(c.readReply()).isEqualTo("$5\r\nfirst\r\n");
            assertThat(c.readReply()).startsWith("-ERR Protocol error: invalid bulk length");
            assertThat(c.awaitClosedByPeer(5000)).isTrue();
        }
    }

    /** CLIENT REPLY OFF holds for what runs on the script thread too. */
    @Test
    @Timeout(10)
    void clientReplyModesApplyToScripts() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(resp("client", "reply", "off") + resp("eval", "return 'hidden'", "0") + resp("client", "reply", "on"));
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.send(resp("client", "reply", "skip") + resp("eval", "return 'skipped'", "0") + resp("eval", "return 'shown'", "0"));
            assertThat(c.readReply()).isEqualTo("$5\r\nshown\r\n");
        }
    }

    /** SCRIPT KILL from {@code other} is accepted, and {@code runner} gets its script's kill error. */
    private static void killAndAwaitKilled(RawConnection other, RawConnection runner) throws Exception {
        assertThat(other.call("script", "kill")).isEqualTo("+OK\r\n");
        assertThat(runner.readReply()).startsWith("-ERR Script killed by user with SCRIPT KILL...");
    }

    /** One event loop (every connection shares the script caller's loop), -BUSY after 200 ms. */
    private static TestServer singleLoopServer() {
        return TestServer.start("--server-threads", "1", "--busy-reply-threshold", "200");
    }

    private static String awaitBusy(RawConnection other) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String reply;
        do {
            Thread.sleep(50);
            reply = other.call("ping");
        } while (!reply.startsWith("-BUSY") && System.nanoTime() < deadline);
        return reply;
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
