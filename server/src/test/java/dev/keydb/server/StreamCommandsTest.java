package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stream commands over the wire: blocking reads, PEL bookkeeping, keyspace events, large streams. */
class StreamCommandsTest {
    static TestServer server;
    RawConnection c;
    RawConnection other;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        c = new RawConnection(server.port());
        other = new RawConnection(server.port());
        c.call("FLUSHALL");
    }

    @AfterEach
    void close() throws Exception {
        c.close();
        other.close();
    }

    @Test
    void xreadBlockIsServedByXaddAfterTheIdSeenWhenBlocking() throws Exception {
        c.call("XADD", "s", "1-1", "a", "1");
        c.command("XREAD", "BLOCK", "5000", "STREAMS", "s", "$");
        Thread.sleep(100);
        other.call("XADD", "other", "1-1", "x", "1");
        assertThat(other.call("XADD", "s", "2-1", "b", "2")).isEqualTo("$3\r\n2-1\r\n");
        assertThat(c.readReply()).isEqualTo("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
        // the connection goes on normally afterwards
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void xreadBlockOnMissingKeyAndMultiEntryExec() throws Exception {
        c.command("XREAD", "BLOCK", "5000", "COUNT", "10", "STREAMS", "nokey", "s", "$", "$");
        Thread.sleep(100);
        other.call("MULTI");
        other.call("XADD", "s", "1-1", "a", "1");
        other.call("XADD", "s", "1-2", "a", "2");
        other.call("EXEC");
        String reply = c.readReply();
        assertThat(reply).startsWith("*1\r\n*2\r\n$1\r\ns\r\n*2\r\n").contains("1-1").contains("1-2");
    }

    @Test
    void xreadBlockTimesOutWithNullArray() throws Exception {
        c.call("XADD", "s", "1-1", "a", "1");
        long t0 = System.nanoTime();
        assertThat(c.call("XREAD", "BLOCK", "200", "STREAMS", "s", "$")).isEqualTo("*-1\r\n");
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(150);
        c.call("HELLO", "3");
        assertThat(c.call("XREAD", "BLOCK", "100", "STREAMS", "s", "$")).isEqualTo("_\r\n");
    }

    @Test
    void blockedXreadIgnoresOtherTypesOnTheKey() throws Exception {
        c.command("XREAD", "BLOCK", "5000", "STREAMS", "k", "0");
        Thread.sleep(100);
        other.call("LPUSH", "k", "x");
        other.call("DEL", "k");
        other.call("XADD", "k", "3-3", "f", "v");
        assertThat(c.readReply()).contains("3-3");
    }

    @Test
    void blockInsideMultiDoesNotBlock() throws Exception {
        c.call("MULTI");
        c.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        c.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
        String exec = c.call("EXEC");
        assertThat(exec).startsWith("*2\r\n*-1\r\n-NOGROUP");
    }

    @Test
    void xreadgroupBlockIsServedAndRecordsPending() throws Exception {
        c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        c.command("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "5000", "STREAMS", "s", ">");
        Thread.sleep(100);
        other.call("XADD", "s", "5-1", "f", "v");
        assertThat(c.readReply()).isEqualTo("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
        assertThat(c.call("XPENDING", "s", "g")).isEqualTo(
                "*4\r\n:1\r\n$3\r\n5-1\r\n$3\r\n5-1\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n");
        // a second blocked reader is not served by an entry that the first already consumed
        c.command("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "300", "STREAMS", "s", ">");
        assertThat(c.readReply()).isEqualTo("*-1\r\n");
    }

    @Test
    void destroyingTheGroupUnblocksWithNogroup() throws Exception {
        c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        c.command("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
        Thread.sleep(100);
        assertThat(other.call("XGROUP", "DESTROY", "s", "g")).isEqualTo(":1\r\n");
        assertThat(c.readReply()).isEqualTo("-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
    }

    @Test
    void unservedBlockedClientStaysBlocked() throws Exception {
        c.call("XADD", "s", "9-9", "a", "1");
        c.command("XREAD", "BLOCK", "400", "STREAMS", "s", "9-9");
        Thread.sleep(100);
        other.call("XDEL", "s", "9-9");
        other.call("XGROUP", "CREATE", "s", "g", "0"); // no signal, no reply
        assertThat(c.readReply()).isEqualTo("*-1\r\n");
    }

    @Test
    void deliveryCountsAndClaimIdle() throws Exception {
        c.call("XADD", "s", "1-1", "a", "1");
        c.call("XADD", "s", "2-1", "b", "2");
        c.call("XGROUP", "CREATE", "s", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
        c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0");
        assertThat(c.call("XPENDING", "s", "g", "-", "+", "10")).contains("$2\r\nc1\r\n").endsWith(":2\r\n");
        // a huge min-idle claims nothing; IDLE sets the idle time
        assertThat(c.call("XCLAIM", "s", "g", "c2", "3600000", "1-1")).isEqualTo("*0\r\n");
        assertThat(c.call("XCLAIM", "s", "g", "c2", "0", "1-1", "IDLE", "500000", "JUSTID")).isEqualTo("*1\r\n$3\r\n1-1\r\n");
        String p = c.call("XPENDING", "s", "g", "IDLE", "400000", "-", "+", "10");
        assertThat(p).startsWith("*1\r\n*4\r\n$3\r\n1-1\r\n$2\r\nc2\r\n").endsWith(":2\r\n");
        assertThat(c.call("XAUTOCLAIM", "s", "g", "c3", "400000", "0", "JUSTID"))
                .isEqualTo("*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n1-1\r\n*0\r\n");
        assertThat(c.call("XINFO", "CONSUMERS", "s", "g")).contains("c1").contains("c2").contains("c3");
    }

    @Test
    void keyspaceEvents() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEt");
        try {
            other.call("PSUBSCRIBE", "__keyevent@0__:*");
            c.call("XADD", "s", "MAXLEN", "1", "1-1", "a", "1");
            c.call("XADD", "s", "MAXLEN", "1", "2-1", "a", "1");
            c.call("XGROUP", "CREATE", "s", "g", "0");
            c.call("XGROUP", "CREATECONSUMER", "s", "g", "c");
            c.call("XGROUP", "SETID", "s", "g", "0");
            c.call("XGROUP", "DELCONSUMER", "s", "g", "c");
            c.call("XGROUP", "DESTROY", "s", "g");
            c.call("XDEL", "s", "2-1");
            c.call("XSETID", "s", "5-5");
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                String m = other.readReply();
                int at = m.lastIndexOf("__:");
                events.append(m, at + 3, m.indexOf("\r\n", at)).append(" ");
            }
            assertThat(events.toString().trim()).isEqualTo(
                    "xadd xadd xtrim xgroup-create xgroup-createconsumer xgroup-setid xgroup-delconsumer xgroup-destroy xdel xsetid");
        } finally {
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void largeStreamRangesAndTrimming() throws Exception {
        StringBuilder pipe = new StringBuilder();
        int n = 5000;
        for (int i = 1; i <= n; i++) {
            pipe.append("XADD big ").append(i).append("-0 field ").append(i).append("\r\n");
        }
        c.send(pipe.toString());
        for (int i = 1; i <= n; i++) {
            c.readReply();
        }
        assertThat(c.call("XLEN", "big")).isEqualTo(":5000\r\n");
        assertThat(c.call("XRANGE", "big", "2500", "2500")).contains("2500-0");
        assertThat(c.call("XREVRANGE", "big", "+", "-", "COUNT", "1")).contains("5000-0");
        assertThat(c.call("XTRIM", "big", "MAXLEN", "~", "1000")).isEqualTo(":4000\r\n");
        assertThat(c.call("XTRIM", "big", "MAXLEN", "999")).isEqualTo(":1\r\n");
        assertThat(c.call("XRANGE", "big", "-", "+", "COUNT", "1")).contains("4002-0");
        assertThat(c.call("OBJECT", "ENCODING", "big")).isEqualTo("$6\r\nstream\r\n");
        assertThat(c.call("TYPE", "big")).isEqualTo("+stream\r\n");
        // COPY keeps an independent stream
        c.call("XGROUP", "CREATE", "big", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "5", "STREAMS", "big", ">");
        if (c.call("COPY", "big", "big2").equals(":1\r\n")) {
            c.call("XDEL", "big2", "4002-0");
            c.call("XACK", "big2", "g", "4002-0");
            assertThat(c.call("XLEN", "big")).isEqualTo(":999\r\n");
            assertThat(c.call("XPENDING", "big", "g")).startsWith("*4\r\n:5\r\n");
            assertThat(c.call("XPENDING", "big2", "g")).startsWith("*4\r\n:4\r\n");
        }
    }

    @Test
    void getkeysForXread() throws Exception {
        assertThat(c.call("COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"))
                .isEqualTo("*2\r\n$1\r\na\r\n$1\r\nb\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", ">"))
                .isEqualTo("*1\r\n$1\r\na\r\n");
    }
}
