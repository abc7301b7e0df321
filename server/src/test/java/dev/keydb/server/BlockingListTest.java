package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** BLPOP and friends over real connections: wake-ups, FIFO fairness, timeouts, MULTI, disconnects. */
class BlockingListTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @BeforeEach
    void flush() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("FLUSHALL");
        }
    }

    @Test
    void popsAtOnceWhenDataIsThere() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("RPUSH", "l", "a", "b");
            assertThat(c.call("BLPOP", "none", "l", "0")).isEqualTo("*2\r\n$1\r\nl\r\n$1\r\na\r\n");
            assertThat(c.call("BRPOP", "l", "0")).isEqualTo("*2\r\n$1\r\nl\r\n$1\r\nb\r\n");
            assertThat(c.call("EXISTS", "l")).isEqualTo(":0\r\n");
        }
    }

    /** CLIENT UNBLOCK ends a wait as its timeout would, or with Redis's UNBLOCKED error; what was pipelined after resumes. */
    @Test
    void clientUnblockEndsAWaitAsATimeoutOrAnError() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection admin = new RawConnection(server.port())) {
            String id = waiter.call("CLIENT", "ID").substring(1).trim();
            assertThat(admin.call("CLIENT", "UNBLOCK", id)).isEqualTo(":0\r\n"); // not blocked
            waiter.send(RawConnection.resp("BLPOP", "nothing", "0") + RawConnection.resp("PING"));
            assertThat(PubSubTest.waitFor(() -> admin.call("CLIENT", "LIST").contains("cmd=blpop"))).isTrue();
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "TIMEOUT")).isEqualTo(":1\r\n");
            assertThat(waiter.readReply()).isEqualTo("*-1\r\n");
            assertThat(waiter.readReply()).isEqualTo("+PONG\r\n");
            waiter.command("BZPOPMIN", "nothing", "0");
            assertThat(PubSubTest.waitFor(() -> admin.call("CLIENT", "LIST").contains("cmd=bzpopmin"))).isTrue();
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "error")).isEqualTo(":1\r\n");
            assertThat(waiter.readReply()).isEqualTo("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "now")).isEqualTo("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", "999999")).isEqualTo(":0\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "timeout", "x"))
                    .isEqualTo("-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.\r\n");
            assertThat(waiter.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void blockedClientIsServedByAPushFromAnotherClientAndItsPipelineResumes() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection pusher = new RawConnection(server.port())) {
            // BLPOP then a pipelined PING: the PING must wait behind the blocked BLPOP.
            waiter.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n5\r\n*1\r\n$4\r\nPING\r\n");
            assertThat(PubSubTest.waitFor(() -> pusher.call("CLIENT", "LIST").contains("cmd=blpop"))).isTrue();
            assertThat(pusher.call("RPUSH", "q", "job")).isEqualTo(":1\r\n");
            assertThat(waiter.readReply()).isEqualTo("*2\r\n$1\r\nq\r\n$3\r\njob\r\n");
            assertThat(waiter.readReply()).isEqualTo("+PONG\r\n");
            assertThat(pusher.call("EXISTS", "q")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() throws Exception {
        try (RawConnection first = new RawConnection(server.port()); RawConnection second = new RawConnection(server.port());
             RawConnection pusher = new RawConnection(server.port())) {
            first.command("BLPOP", "fifo", "5");
            assertThat(PubSubTest.waitFor(() -> pusher.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            second.command("BLPOP", "fifo", "5");
            assertThat(PubSubTest.waitFor(() -> pusher.call("INFO", "clients").contains("blocked_clients:2"))).isTrue();
            pusher.call("RPUSH", "fifo", "one", "two");
            assertThat(first.readReply()).isEqualTo("*2\r\n$4\r\nfifo\r\n$3\r\none\r\n");
            assertThat(second.readReply()).isEqualTo("*2\r\n$4\r\nfifo\r\n$3\r\ntwo\r\n");
        }
    }

    @Test
    void timeoutRepliesNullAndBadTimeoutsAreRefused() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            long t0 = System.nanoTime();
            assertThat(c.call("BLPOP", "empty", "0.2")).isEqualTo("*-1\r\n");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(150_000_000L);
            assertThat(c.call("BLMOVE", "empty", "dst", "LEFT", "RIGHT", "0.1")).isEqualTo("*-1\r\n");
            assertThat(c.call("BLPOP", "empty", "abc")).isEqualTo("-ERR timeout is not a float or out of range\r\n");
            assertThat(c.call("BLPOP", "empty", "-1")).isEqualTo("-ERR timeout is negative\r\n");
            c.call("HELLO", "3");
            assertThat(c.call("BLPOP", "empty", "0.1")).isEqualTo("_\r\n");
        }
    }

    @Test
    void pushInsideMultiWakesTheWaiterAfterExec() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection tx = new RawConnection(server.port())) {
            waiter.command("BRPOPLPUSH", "src", "dst", "5");
            assertThat(PubSubTest.waitFor(() -> tx.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            tx.call("MULTI");
            tx.call("LPUSH", "src", "x");
            assertThat(tx.call("EXEC")).isEqualTo("*1\r\n:1\r\n");
            assertThat(waiter.readReply()).isEqualTo("$1\r\nx\r\n");
            assertThat(tx.call("LRANGE", "dst", "0", "-1")).isEqualTo("*1\r\n$1\r\nx\r\n");
        }
    }

    @Test
    void blockingCommandInsideMultiDoesNotBlock() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("MULTI");
            c.call("BLPOP", "nothing", "0");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n*-1\r\n");
        }
    }

    @Test
    void blmpopAndDisconnectWhileBlockedLeaksNothing() throws Exception {
        try (RawConnection c = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            c.call("RPUSH", "b", "1", "2", "3");
            assertThat(c.call("BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"))
                    .isEqualTo("*2\r\n$1\r\nb\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n");
            RawConnection gone = new RawConnection(server.port());
            gone.command("BLPOP", "never", "0");
            assertThat(PubSubTest.waitFor(() -> other.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            gone.close();
            assertThat(PubSubTest.waitFor(() -> other.call("INFO", "clients").contains("blocked_clients:0"))).isTrue();
            assertThat(other.call("RPUSH", "never", "v")).isEqualTo(":1\r\n");
            assertThat(other.call("LLEN", "never")).isEqualTo(":1\r\n");
        }
    }

    @Test
    void aKeyOfAnotherTypeDoesNotWakeTheWaiter() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            waiter.command("BLPOP", "typed", "5");
            assertThat(PubSubTest.waitFor(() -> other.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            other.call("SET", "typed", "a string");
            assertThat(other.call("INFO", "clients")).contains("blocked_clients:1");
            other.call("DEL", "typed");
            other.call("RPUSH", "typed", "v");
            assertThat(waiter.readReply()).isEqualTo("*2\r\n$5\r\ntyped\r\n$1\r\nv\r\n");
        }
    }

    @Test
    void pushFromAScriptWakesTheWaiter() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection scripter = new RawConnection(server.port())) {
            waiter.command("BLPOP", "fromlua", "5");
            assertThat(PubSubTest.waitFor(() -> scripter.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            assertThat(scripter.call("EVAL", "return redis.call('RPUSH', KEYS[1], 'x')", "1", "fromlua")).isEqualTo(":1\r\n");
            assertThat(waiter.readReply()).isEqualTo("*2\r\n$7\r\nfromlua\r\n$1\r\nx\r\n");
        }
    }
}
