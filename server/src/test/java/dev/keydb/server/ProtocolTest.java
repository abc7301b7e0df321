package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The protocol over real sockets: errors, pipelining, big arguments, inline, RESP3, AUTH, QUIT. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolTest {
    static TestServer server;
    static RawConnection bystander;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        bystander = new RawConnection(server.port());
    }

    @AfterAll
    static void stop() throws IOException {
        bystander.close();
        server.close();
    }

    @BeforeEach
    void flush() throws IOException {
        assertThat(bystander.call("FLUSHALL")).isEqualTo("+OK\r\n");
    }

    private static void assertServing() throws IOException {
        assertThat(bystander.call("PING")).isEqualTo("+PONG\r\n");
        try (RawConnection fresh = new RawConnection(server.port())) {
            assertThat(fresh.call("ECHO", "alive")).isEqualTo("$5\r\nalive\r\n");
        }
    }

    /** Sends the bytes on a fresh connection, expects the error reply and then the close. */
    private static void assertProtocolError(String input, String expected) throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(input);
            assertThat(c.readReply()).as("reply to %s", input).isEqualTo("-ERR Protocol error: " + expected + "\r\n");
            assertThat(c.isClosedByPeer()).as("closed after %s", input).isTrue();
        }
        assertServing();
    }

    // ------------------------------------------------------------------ protocol errors

    @Test
    void protocolErrorsCloseTheConnection() throws IOException {
        assertProtocolError("*x\r\n", "invalid multibulk length");
        assertProtocolError("*9999999999999999999\r\n$4\r\nPING\r\n", "invalid multibulk length");
        assertProtocolError("*1\r\n$-1\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$abc\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$536870913\r\n", "invalid bulk length");
        assertProtocolError("*2\r\n$3\r\nGET\r\nx\r\n", "expected '$', got 'x'");
        assertProtocolError("*1\r\n\r\n", "expected '$', got ' '"); // the CR, blanked as Redis does
        assertProtocolError("SET a \"b\r\n", "unbalanced quotes in request");
        assertProtocolError("SET a 'b'c\r\n", "unbalanced quotes in request");
        assertProtocolError("a".repeat(64 * 1024 + 1), "too big inline request");
        assertProtocolError("*" + "1".repeat(64 * 1024 + 1), "too big mbulk count string");
        assertProtocolError("*1\r\n$" + "1".repeat(64 * 1024 + 1), "too big bulk count string");
    }

    @Test
    void aProtocolErrorCountsAsOneErrorReply() throws IOException {
        ServerStats stats = server.server().stats();
        long before = stats.totalErrorReplies;
        long errBefore = stats.errorCounts().getOrDefault("ERR", 0L);
        assertProtocolError("*x\r\n", "invalid multibulk length");
        assertThat(stats.totalErrorReplies - before).isEqualTo(1);
        assertThat(stats.errorCounts().getOrDefault("ERR", 0L) - errBefore).isEqualTo(1);
    }

    @Test
    void commandsBeforeTheErrorAreExecuted() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("SET before 1\r\n*1\r\n$3\r\nGET\r\n*x\r\nSET after 1\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(bystander.call("EXISTS", "before", "after")).isEqualTo(":1\r\n");
    }

    @Test
    void emptyMultibulksAreIgnored() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void unknownCommand() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.call("foo", "a", "b")).isEqualTo("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
            assertThat(c.call("foo")).isEqualTo("-ERR unknown command 'foo', with args beginning with: \r\n");
            c.send("bar x\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR unknown command 'bar', with args beginning with: 'x' \r\n");
            assertThat(c.call("PING")).as("an unknown command is not a protocol error").isEqualTo("+PONG\r\n");
        }
    }

    // ------------------------------------------------------------------ pipelining

    @Test
    void deepPipeline() throws Exception {
        int n = 10_000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> b.append(resp("SET", "k" + i, "v" + i));
                case 1 -> b.append(resp("INCR", "counter"));
                default -> b.append(resp("GET", "k" + (i - 2)));
            }
        }
        byte[] all = b.toString().getBytes(StandardCharsets.US_ASCII);
        try (RawConnection c = new RawConnection(server.port())) {
            // Written from another thread so that a full socket buffer cannot deadlock the test.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    c.send(all);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long counter = 0;
            for (int i = 0; i < n; i++) {
                String expected = switch (i % 3) {
                    case 0 -> "+OK\r\n";
                    case 1 -> ":" + ++counter + "\r\n";
                    default -> "$" + ("v" + (i - 2)).length() + "\r\nv" + (i - 2) + "\r\n";
                };
                assertThat(c.readReply()).as("reply %d", i).isEqualTo(expected);
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(c.call("DBSIZE")).isEqualTo(":" + (n / 3 + 2) + "\r\n");
        }
    }

    @Test
    void pipelinedInlineCommands() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("INCR n\r\n".repeat(1000));
            for (int i = 1; i <= 1000; i++) {
                assertThat(c.readReply()).isEqualTo(":" + i + "\r\n");
            }
        }
    }

    static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    @Test
    void aClientThatDoesNotReadIsNotReadFromAndLaterGetsEveryReply() throws Exception {
        byte[] value = pattern(10_000);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("*3\r\n$3\r\nSET\r\n$1\r\nv\r\n$10000\r\n").send(value).send("\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            int n = 3000; // 30 MB of replies, far past the socket buffers and the write high-water mark
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < n / 100; i++) {
                        c.send(resp("GET", "v").repeat(100));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // the writer blocks once the server stops reading
            assertServing();
            String expected = "$10000\r\n" + new String(value, StandardCharsets.US_ASCII) + "\r\n";
            for (int i = 0; i < n; i++) {
                assertThat(c.readReply()).as("reply %d", i).isEqualTo(expected);
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    // ------------------------------------------------------------------ big arguments

    static byte[] pattern(int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) "abcdefghij\r\nklmnopqrstuvwxyz0123456789".charAt((i * 7 + i / 13) % 38);
        }
        return v;
    }

    @Test
    void fourMegabyteBulkInSmallChunks() throws IOException {
        byte[] value = pattern(4 * 1024 * 1024);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + value.length + "\r\n");
            for (int off = 0; off < value.length; off += 1500) {
                c.send(java.util.Arrays.copyOfRange(value, off, Math.min(value.length, off + 1500)));
            }
            c.send("\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.call("STRLEN", "big")).isEqualTo(":" + value.length + "\r\n");
            String expected = "$" + value.length + "\r\n" + new String(value, StandardCharsets.US_ASCII) + "\r\n";
            assertThat(c.call("GET", "big")).isEqualTo(expected);
            // The connection is still in step after the big argument.
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void protoMaxBulkLen() throws IOException {
        try (TestServer small = TestServer.start("--proto-max-bulk-len", "1mb")) {
            try (RawConnection c = new RawConnection(small.port())) {
                c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n");
                assertThat(c.readReply()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
                assertThat(c.isClosedByPeer()).isTrue();
            }
            try (RawConnection c = new RawConnection(small.port())) {
                c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n").send(pattern(1048576)).send("\r\n");
                assertThat(c.readReply()).isEqualTo("+OK\r\n");
                assertThat(c.call("STRLEN", "k")).isEqualTo(":1048576\r\n");
            }
        }
    }

    @Test
    void clientQueryBufferLimit() throws IOException {
        try (TestServer small = TestServer.start("--client-query-buffer-limit", "1mb");
                RawConnection other = new RawConnection(small.port())) {
            assertThat(other.call("SET", "x", "1")).isEqualTo("+OK\r\n");
            try (RawConnection c = new RawConnection(small.port())) {
                boolean writeFailed = false;
                try {
                    c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000000\r\n");
                    byte[] chunk = pattern(64 * 1024);
                    for (int i = 0; i < 64; i++) { // 4 MB, never completing the 100 MB argument
                        c.send(chunk);
                    }
                } catch (IOException e) {
                    writeFailed = true; // reset by the server while writing: closed, as expected
                }
                assertThat(writeFailed || c.isClosedByPeer()).as("closed by the server").isTrue();
            }
            assertThat(small.server().stats().clientQueryBufferLimitDisconnections.get()).isEqualTo(1);
            assertThat(other.call("GET", "x")).isEqualTo("$1\r\n1\r\n");
            assertThat(other.call("EXISTS", "k")).isEqualTo(":0\r\n");
            try (RawConnection fresh = new RawConnection(small.port())) {
                assertThat(fresh.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    // ------------------------------------------------------------------ inline (telnet)

    @Test
    void inlineAsTelnetSendsIt() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("PING\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            c.send("SET a \"b c\"\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.send("GET a\r\n");
            assertThat(c.readReply()).isEqualTo("$3\r\nb c\r\n");
            c.send("\n");
            c.send("\r\n");
            c.send("   \r\n");
            c.send("ECHO 'x y' \"\\x41\\n\"\n");
            assertThat(c.readReply()).as("empty lines get no reply")
                    .isEqualTo("-ERR wrong number of arguments for 'echo' command\r\n");
            c.send("ECHO \"\\x41\\x42\"\n");
            assertThat(c.readReply()).isEqualTo("$2\r\nAB\r\n");
            // A command typed a few characters at a time.
            for (String part : List.of("SE", "T b", " 1", "\r", "\n")) {
                c.send(part);
            }
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
        }
    }

    // ------------------------------------------------------------------ RESP3 and HELLO

    /** HELLO's reply: a map of 7 in RESP3, a flat array of 14 in RESP2. */
    private static String helloPattern(int proto) {
        return Pattern.quote((proto == 3 ? "%7" : "*14") + "\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n")
                + "\\$\\d+\r\n[0-9.]+\r\n"
                + Pattern.quote("$5\r\nproto\r\n:" + proto + "\r\n$2\r\nid\r\n") + ":\\d+\r\n"
                + Pattern.quote("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");
    }

    @Test
    void resp3ViaHello() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.call("GET", "missing")).isEqualTo("$-1\r\n");
            assertThat(c.call("HELLO", "3")).matches(helloPattern(3));
            assertThat(c.call("GET", "missing")).isEqualTo("_\r\n");
            assertThat(c.call("MGET", "missing", "x")).isEqualTo("*2\r\n_\r\n_\r\n");
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(c.call("HELLO")).as("without a version: the current one").matches(helloPattern(3));
            assertThat(c.call("HELLO", "4")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(c.call("HELLO", "x")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            assertThat(c.call("HELLO", "3", "foo")).isEqualTo("-ERR Syntax error in HELLO option 'foo'\r\n");
            assertThat(c.call("HELLO", "2")).matches(helloPattern(2));
            assertThat(c.call("GET", "missing")).isEqualTo("$-1\r\n");
            assertThat(c.call("HELLO", "3")).matches(helloPattern(3));
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            c.send("HELLO 3\r\nGET missing\r\nHELLO 2\r\nGET missing\r\n");
            assertThat(c.readReply()).matches(helloPattern(3));
            assertThat(c.readReply()).as("a switch takes effect within a pipeline").isEqualTo("_\r\n");
            assertThat(c.readReply()).matches(helloPattern(2));
            assertThat(c.readReply()).isEqualTo("$-1\r\n");
            c.send("HELLO 3\r\n");
            c.readReply();
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(c.call("GET", "missing")).as("RESET goes back to RESP2").isEqualTo("$-1\r\n");
        }
    }

    @Test
    void helloSetname() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.call("HELLO", "3", "SETNAME", "conn1")).matches(helloPattern(3));
            assertThat(c.call("HELLO", "3", "SETNAME", "bad name"))
                    .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
        }
    }

    // ------------------------------------------------------------------ AUTH

    @Test
    void requirepass() throws IOException {
        try (TestServer secured = TestServer.start("--requirepass", "s3cret")) {
            try (RawConnection c = new RawConnection(secured.port())) {
                assertThat(c.call("GET", "k")).isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(c.call("HELLO", "3")).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
                assertThat(c.call("AUTH", "wrong")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                assertThat(c.call("AUTH", "nobody", "s3cret")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
                assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
                assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
                assertThat(c.call("GET", "k")).as("RESET deauthenticates").isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(c.call("AUTH", "default", "s3cret")).isEqualTo("+OK\r\n");
                assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            }
            try (RawConnection c = new RawConnection(secured.port())) {
                assertThat(c.call("HELLO", "3", "AUTH", "default", "wrong"))
                        .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
                assertThat(c.call("HELLO", "3", "AUTH", "default", "s3cret")).matches(helloPattern(3));
                assertThat(c.call("GET", "nothing")).isEqualTo("_\r\n");
            }
            try (RawConnection c = new RawConnection(secured.port())) {
                c.send("*11\r\n");
                assertThat(c.readReply()).isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
                assertThat(c.isClosedByPeer()).isTrue();
            }
            try (RawConnection c = new RawConnection(secured.port())) {
                c.send("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
                assertThat(c.readReply()).isEqualTo("-ERR Protocol error: unauthenticated bulk length\r\n");
                assertThat(c.isClosedByPeer()).isTrue();
            }
            try (RawConnection c = new RawConnection(secured.port())) {
                assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
                String[] args = new String[13];
                args[0] = "MSET";
                for (int i = 1; i < 13; i += 2) {
                    args[i] = "k" + i;
                    args[i + 1] = "x".repeat(20000);
                }
                // Past both unauthenticated limits once authenticated.
                assertThat(c.call(args)).isEqualTo("+OK\r\n");
            }
        }
    }

    @Test
    void authWithoutPassword() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.call("AUTH", "x")).isEqualTo("-ERR AUTH <password> called without any password configured "
                    + "for the default user. Are you sure your configuration is correct?\r\n");
            assertThat(c.call("AUTH", "default", "anything")).isEqualTo("+OK\r\n");
        }
    }

    // ------------------------------------------------------------------ QUIT

    @Test
    void quit() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.call("QUIT")).isEqualTo("+OK\r\n");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("SET q 1\r\nQUIT\r\nSET q 2\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.isClosedByPeer()).as("nothing after QUIT's reply").isTrue();
        }
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("QUIT\r\n*x\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.isClosedByPeer()).as("input after QUIT is not parsed, so no protocol error").isTrue();
        }
        assertThat(bystander.call("GET", "q")).as("commands after QUIT do not run").isEqualTo("$1\r\n1\r\n");
    }

    // ------------------------------------------------------------------ connections

    @Test
    void manyConnectionsOpenAndClose() throws IOException {
        List<RawConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                conns.add(new RawConnection(server.port()));
            }
            for (int i = 0; i < conns.size(); i++) {
                assertThat(conns.get(i).call("INCR", "c")).isEqualTo(":" + (i + 1) + "\r\n");
            }
        } finally {
            for (RawConnection c : conns) {
                c.close();
            }
        }
        // An abrupt disconnect mid-command leaves the server intact.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$100\r\nabc".getBytes(StandardCharsets.US_ASCII));
            s.setSoLinger(true, 0);
        }
        assertServing();
        assertThat(bystander.call("EXISTS", "z")).isEqualTo(":0\r\n");
    }
}
