package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CLIENT over the wire: Redis 7 line format, KILL, REPLY, PAUSE (with real holding of commands). */
class ClientCommandsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;
    final List<RawConnection> others = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @AfterEach
    void disconnect() throws Exception {
        c.call("CLIENT", "UNPAUSE");
        c.close();
        for (RawConnection o : others) {
            o.close();
        }
    }

    private RawConnection other() throws Exception {
        RawConnection o = new RawConnection(server.port());
        others.add(o);
        return o;
    }

    /** The text of a bulk or verbatim reply. */
    private static String text(String reply) {
        String body = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
        return reply.startsWith("=") ? body.substring(4) : body;
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.trim().split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static long id(RawConnection conn) throws Exception {
        String r = conn.call("CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    @Test
    void infoLineHasRedis7FieldsInOrder() throws Exception {
        assertThat(c.call("CLIENT", "SETNAME", "worker-1")).isEqualTo("+OK\r\n");
        assertThat(c.call("SELECT", "3")).isEqualTo("+OK\r\n");
        assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "jedis")).isEqualTo("+OK\r\n");
        String reply = c.call("CLIENT", "INFO");
        assertThat(reply).startsWith("$").endsWith("\n\r\n");
        Map<String, String> f = fields(text(reply));
        assertThat(f.keySet()).containsExactly("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub",
                "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
                "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver");
        assertThat(f.get("id")).isEqualTo(Long.toString(id(c)));
        assertThat(f.get("name")).isEqualTo("worker-1");
        assertThat(f.get("db")).isEqualTo("3");
        assertThat(f.get("flags")).isEqualTo("N");
        assertThat(f.get("cmd")).isEqualTo("client|info");
        assertThat(f.get("argv-mem")).isEqualTo("10");
        assertThat(f.get("user")).isEqualTo("default");
        assertThat(f.get("resp")).isEqualTo("2");
        assertThat(f.get("lib-name")).isEqualTo("jedis");
        assertThat(f.get("lib-ver")).isEmpty();
        assertThat(f.get("laddr")).isEqualTo("127.0.0.1:" + server.port());

        // After HELLO 3 the reply is verbatim text and the line says resp=3.
        c.call("HELLO", "3");
        String v = c.call("CLIENT", "INFO");
        assertThat(v).startsWith("=");
        assertThat(v.substring(v.indexOf("\r\n") + 2)).startsWith("txt:id=");
        assertThat(fields(text(v)).get("resp")).isEqualTo("3");
    }

    @Test
    void listShowsEveryClientAndFilters() throws Exception {
        RawConnection d = other();
        d.call("CLIENT", "SETNAME", "other");
        long dId = id(d);
        String all = text(c.call("CLIENT", "LIST"));
        String[] lines = all.split("\n");
        assertThat(lines.length).isGreaterThanOrEqualTo(2);
        assertThat(all).contains("id=" + dId + " ").contains(" name=other ").contains(" cmd=client|list ");
        assertThat(text(c.call("CLIENT", "LIST", "ID", Long.toString(dId), "999999")))
                .startsWith("id=" + dId + " ").endsWith("\n").doesNotContain("\nid=");
        assertThat(text(c.call("CLIENT", "LIST", "TYPE", "normal")).split("\n").length).isEqualTo(lines.length);
        assertThat(c.call("CLIENT", "LIST", "TYPE", "pubsub")).isEqualTo("$0\r\n\r\n");
        assertThat(c.call("CLIENT", "LIST", "TYPE", "bogus")).isEqualTo("-ERR Unknown client type 'bogus'\r\n");
        assertThat(c.call("CLIENT", "LIST", "ID", "x")).isEqualTo("-ERR Invalid client ID\r\n");
        assertThat(c.call("CLIENT", "LIST", "bogus")).isEqualTo("-ERR syntax error\r\n");
    }

    @Test
    void namesAndSmallSubcommands() throws Exception {
        assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(c.call("CLIENT", "SETNAME", "a b"))
                .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
        assertThat(c.call("CLIENT", "SETNAME", "abc")).isEqualTo("+OK\r\n");
        assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$3\r\nabc\r\n");
        assertThat(c.call("CLIENT", "SETNAME", "")).isEqualTo("+OK\r\n");
        assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(c.call("CLIENT", "SETNAME")).isEqualTo("-ERR wrong number of arguments for 'client|setname' command\r\n");
        assertThat(c.call("CLIENT", "NO-EVICT", "on")).isEqualTo("+OK\r\n");
        assertThat(fields(text(c.call("CLIENT", "INFO"))).get("flags")).isEqualTo("e");
        assertThat(c.call("CLIENT", "NO-EVICT", "maybe")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("CLIENT", "SETINFO", "lib-color", "x")).isEqualTo("-ERR Unrecognized option 'lib-color'\r\n");
        assertThat(c.call("CLIENT", "SETINFO", "lib-ver", "1 2"))
                .isEqualTo("-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n");
        assertThat(c.call("CLIENT", "BOGUS")).isEqualTo("-ERR unknown subcommand 'BOGUS'. Try CLIENT HELP.\r\n");
        assertThat(c.call("CLIENT", "HELP")).startsWith("*").contains("+PAUSE <timeout> [WRITE|ALL]\r\n");
    }

    @Test
    void killById() throws Exception {
        RawConnection d = other();
        long dId = id(d);
        assertThat(c.call("CLIENT", "KILL", "ID", Long.toString(dId))).isEqualTo(":1\r\n");
        assertThat(d.isClosedByPeer()).isTrue();
        assertThat(c.call("CLIENT", "KILL", "ID", Long.toString(dId))).isEqualTo(":0\r\n");
        assertThat(c.call("CLIENT", "KILL", "ID", "0")).isEqualTo("-ERR client-id should be greater than 0\r\n");
        // SKIPME defaults to yes: the caller survives a filter that matches it.
        assertThat(c.call("CLIENT", "KILL", "ID", Long.toString(id(c)))).isEqualTo(":0\r\n");
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void killByAddrNewAndOldForm() throws Exception {
        RawConnection d = other();
        String dAddr = fields(text(d.call("CLIENT", "INFO"))).get("addr");
        assertThat(c.call("CLIENT", "KILL", "ADDR", dAddr, "SKIPME", "yes")).isEqualTo(":1\r\n");
        assertThat(d.isClosedByPeer()).isTrue();

        RawConnection e = other();
        String eAddr = fields(text(e.call("CLIENT", "INFO"))).get("addr");
        assertThat(c.call("CLIENT", "KILL", eAddr)).isEqualTo("+OK\r\n");
        assertThat(e.isClosedByPeer()).isTrue();
        assertThat(c.call("CLIENT", "KILL", eAddr)).isEqualTo("-ERR No such client\r\n");
        assertThat(c.call("CLIENT", "KILL", "USER", "nobody")).isEqualTo("-ERR No such user 'nobody'\r\n");
        assertThat(c.call("CLIENT", "KILL", "ID", "1", "SKIPME")).isEqualTo("-ERR syntax error\r\n");
    }

    @Test
    void killSelfRepliesThenCloses() throws Exception {
        RawConnection d = other();
        String dAddr = fields(text(d.call("CLIENT", "INFO"))).get("addr");
        assertThat(d.call("CLIENT", "KILL", dAddr)).isEqualTo("+OK\r\n");
        assertThat(d.isClosedByPeer()).isTrue();
    }

    @Test
    void replyOffAndSkip() throws Exception {
        c.command("CLIENT", "REPLY", "OFF");
        c.command("SET", "a", "1");
        c.command("GET", "a");
        assertThat(c.call("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
        assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n"); // the SET ran while replies were off

        c.command("CLIENT", "REPLY", "SKIP");
        c.command("SET", "b", "2"); // runs, reply skipped
        assertThat(c.call("PING", "after")).isEqualTo("$5\r\nafter\r\n");
        assertThat(c.call("GET", "b")).isEqualTo("$1\r\n2\r\n");
        assertThat(c.call("CLIENT", "REPLY", "MAYBE")).isEqualTo("-ERR syntax error\r\n");
    }

    @Test
    void pauseWriteHoldsWritesUntilUnpauseWhileReadsAnswer() throws Exception {
        RawConnection writer = other();
        RawConnection reader = other();
        long writerId = id(writer);
        assertThat(c.call("CLIENT", "PAUSE", "5000", "WRITE")).isEqualTo("+OK\r\n");
        writer.command("SET", "k", "v");
        writer.command("PING");
        Thread.sleep(200);
        // The SET is held: not executed (so not answered), while reads are served.
        assertThat(reader.call("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(reader.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(fields(text(reader.call("CLIENT", "LIST", "ID", Long.toString(writerId)))).get("flags")).isEqualTo("b");
        // Errors are answered at once, as Redis checks them before the pause.
        assertThat(reader.call("SET", "k")).isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
        long t0 = System.nanoTime();
        assertThat(c.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
        assertThat(writer.readReply()).isEqualTo("+OK\r\n");
        assertThat(writer.readReply()).isEqualTo("+PONG\r\n");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
        assertThat(reader.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(writer.call("SET", "k", "w")).isEqualTo("+OK\r\n"); // reading resumed
    }

    @Test
    void pauseAllHoldsEverythingUntilTheDeadline() throws Exception {
        RawConnection d = other();
        long t0 = System.nanoTime();
        assertThat(c.call("CLIENT", "PAUSE", "400", "ALL")).isEqualTo("+OK\r\n");
        assertThat(d.call("PING")).isEqualTo("+PONG\r\n");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(waitedMs).isBetween(300L, 4000L);
        assertThat(c.call("CLIENT", "PAUSE", "x")).isEqualTo("-ERR timeout is not an integer or out of range\r\n");
        assertThat(c.call("CLIENT", "PAUSE", "-1")).isEqualTo("-ERR timeout is negative\r\n");
        assertThat(c.call("CLIENT", "PAUSE", "10", "READ")).isEqualTo("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
    }

    @Test
    void pipelinedCommandsAfterAHeldOneKeepTheirOrder() throws Exception {
        RawConnection d = other();
        assertThat(c.call("CLIENT", "PAUSE", "5000", "WRITE")).isEqualTo("+OK\r\n");
        d.command("INCR", "n");
        d.command("GET", "n"); // a read, but after a held write: must wait and see the write
        Thread.sleep(150);
        c.call("CLIENT", "UNPAUSE");
        assertThat(d.readReply()).isEqualTo(":1\r\n");
        assertThat(d.readReply()).isEqualTo("$1\r\n1\r\n");
    }
}
