package dev.keydb.server.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The request parser on its own: RESP multibulk, inline commands, limits and Redis's error texts. */
class RequestParserTest {

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(byte[][] argv) {
        List<String> out = new ArrayList<>();
        for (byte[] a : argv) {
            out.add(text(a));
        }
        return out;
    }

    /** Every complete command in the input, empty commands included, as ClientHandler drains a read. */
    private static List<List<String>> all(RequestParser p, ByteBuf in) throws ProtocolException {
        List<List<String>> out = new ArrayList<>();
        byte[][] argv;
        while ((argv = p.next(in)) != null) {
            out.add(strings(argv));
        }
        return out;
    }

    private static List<List<String>> all(String input) throws ProtocolException {
        return all(new RequestParser(), buf(input));
    }

    private static List<String> one(String input) throws ProtocolException {
        ByteBuf in = buf(input);
        byte[][] argv = new RequestParser().next(in);
        assertThat(argv).as("a complete command in %s", input).isNotNull();
        assertThat(in.isReadable()).as("the whole input consumed").isFalse();
        return strings(argv);
    }

    private static String error(String input) {
        return error(new RequestParser(), input);
    }

    private static String error(RequestParser p, String input) {
        ByteBuf in = buf(input);
        try {
            while (p.next(in) != null) {
                // drain the commands before the error
            }
        } catch (ProtocolException e) {
            return e.getMessage();
        }
        throw new AssertionError("no protocol error for " + input.substring(0, Math.min(60, input.length())));
    }

    // ---------------------------------------------------------------- multibulk

    @Test
    void multibulk() throws Exception {
        assertThat(one("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n")).containsExactly("SET", "k", "hello");
        assertThat(one("*1\r\n$4\r\nPING\r\n")).containsExactly("PING");
        assertThat(one("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")).containsExactly("ECHO", "");
    }

    @Test
    void bulkIsBinarySafe() throws Exception {
        assertThat(one("*2\r\n$4\r\nECHO\r\n$6\r\na\r\n\0\"b\r\n")).containsExactly("ECHO", "a\r\n\0\"b");
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        ByteBuf in = buf("*1\r\n$256\r\n");
        in.writeBytes(all).writeBytes(new byte[] {'\r', '\n'});
        assertThat(new RequestParser().next(in)[0]).isEqualTo(all);
    }

    @Test
    void pipelineOfMultibulks() throws Exception {
        assertThat(all("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n"))
                .containsExactly(List.of("PING"), List.of("GET", "a"), List.of("PING"));
    }

    @Test
    void manyArgumentsGrowTheArgumentArray() throws Exception {
        StringBuilder b = new StringBuilder("*3000\r\n");
        for (int i = 0; i < 3000; i++) {
            String a = Integer.toString(i);
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        List<String> argv = one(b.toString());
        assertThat(argv).hasSize(3000);
        assertThat(argv.get(2999)).isEqualTo("2999");
    }

    @Test
    void emptyAndNullMultibulkAreEmptyCommands() throws Exception {
        assertThat(all("*0\r\n")).containsExactly(List.of());
        assertThat(all("*-1\r\n")).containsExactly(List.of());
        assertThat(all("*-5\r\n*1\r\n$4\r\nPING\r\n")).containsExactly(List.of(), List.of("PING"));
    }

    @Test
    void incompleteInputWaitsAndKeepsFinishedArguments() throws Exception {
        RequestParser p = new RequestParser();
        ByteBuf in = Unpooled.buffer();
        for (String part : List.of("*", "3\r", "\n$3\r\nSET\r\n$1", "\r\nk\r\n$5\r\nhel", "lo\r", "\n")) {
            assertThat(p.next(in)).isNull();
            in.writeBytes(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(p.inProgress()).isTrue();
        assertThat(in.readerIndex()).as("SET and k were consumed").isGreaterThan(0);
        assertThat(strings(p.next(in))).containsExactly("SET", "k", "hello");
        assertThat(p.inProgress()).isFalse();
        assertThat(p.next(in)).isNull();
    }

    @Test
    void countLineNeedsItsLineFeedBeforeItIsRead() throws Exception {
        RequestParser p = new RequestParser();
        ByteBuf in = buf("*1\r");
        assertThat(p.next(in)).isNull();
        assertThat(in.readerIndex()).isZero();
        in.writeBytes("\n$4\r".getBytes(StandardCharsets.US_ASCII));
        assertThat(p.next(in)).isNull();
        in.writeBytes("\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(strings(p.next(in))).containsExactly("PING");
    }

    @Test
    void invalidMultibulkLength() {
        for (String count : List.of("x", "", "1x", "+1", "01", "-", "2147483648", "9999999999999999999",
                "99999999999999999999", "18446744073709551617", "1 ")) {
            assertThat(error("*" + count + "\r\n$4\r\nPING\r\n")).as("*%s", count).isEqualTo("invalid multibulk length");
        }
    }

    @Test
    void invalidBulkLength() {
        for (String len : List.of("-1", "-0", "x", "", "01", "+4", "4x", "9999999999999999999", "536870913")) {
            assertThat(error("*1\r\n$" + len + "\r\nPING\r\n")).as("$%s", len).isEqualTo("invalid bulk length");
        }
    }

    @Test
    void bulkLengthLimitIsConfigurable() throws Exception {
        RequestParser p = new RequestParser();
        p.setMaxBulkLen(1024 * 1024);
        assertThat(error(p, "*1\r\n$1048577\r\n")).isEqualTo("invalid bulk length");
        RequestParser q = new RequestParser();
        q.setMaxBulkLen(1024 * 1024);
        ByteBuf in = buf("*1\r\n$1048576\r\n");
        in.writeZero(1024 * 1024).writeBytes(new byte[] {'\r', '\n'});
        assertThat(q.next(in)[0]).hasSize(1024 * 1024);
    }

    @Test
    void expectedDollar() {
        assertThat(error("*1\r\nx\r\n")).isEqualTo("expected '$', got 'x'");
        assertThat(error("*2\r\n$3\r\nGET\r\n:1\r\n")).isEqualTo("expected '$', got ':'");
        assertThat(error("*1\r\n*1\r\n")).isEqualTo("expected '$', got '*'");
    }

    @Test
    void expectedDollarOnlyOnceTheLineIsComplete() throws Exception {
        RequestParser p = new RequestParser();
        ByteBuf in = buf("*1\r\nx");
        assertThat(p.next(in)).isNull();
        in.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> p.next(in)).isInstanceOf(ProtocolException.class).hasMessage("expected '$', got 'x'");
    }

    @Test
    void tooBigCountStrings() throws Exception {
        String digits = "1".repeat(RequestParser.INLINE_MAX + 1);
        assertThat(error("*" + digits)).isEqualTo("too big mbulk count string");
        assertThat(error("*1\r\n$" + digits)).isEqualTo("too big bulk count string");
        // Up to the limit the parser waits for the rest of the line.
        assertThat(new RequestParser().next(buf("*" + "1".repeat(RequestParser.INLINE_MAX - 1)))).isNull();
    }

    @Test
    void commandsBeforeAnErrorAreReturnedFirst() throws Exception {
        RequestParser p = new RequestParser();
        ByteBuf in = buf("*1\r\n$4\r\nPING\r\nPING\r\n*x\r\n");
        assertThat(strings(p.next(in))).containsExactly("PING");
        assertThat(strings(p.next(in))).containsExactly("PING");
        assertThatThrownBy(() -> p.next(in)).hasMessage("invalid multibulk length");
    }

    // ---------------------------------------------------------------- authentication limits

    @Test
    void unauthenticatedLimits() throws Exception {
        RequestParser p = new RequestParser();
        p.setAuthenticated(false);
        assertThat(error(p, "*11\r\n")).isEqualTo("unauthenticated multibulk length");

        RequestParser q = new RequestParser();
        q.setAuthenticated(false);
        assertThat(error(q, "*1\r\n$16385\r\n")).isEqualTo("unauthenticated bulk length");

        RequestParser r = new RequestParser();
        r.setAuthenticated(false);
        StringBuilder ten = new StringBuilder("*10\r\n");
        for (int i = 0; i < 10; i++) {
            ten.append("$1\r\nx\r\n");
        }
        assertThat(all(r, buf(ten.toString()))).hasSize(1);
        ByteBuf in = buf("*1\r\n$16384\r\n");
        in.writeZero(16384).writeBytes(new byte[] {'\r', '\n'});
        assertThat(r.next(in)[0]).hasSize(16384);

        RequestParser s = new RequestParser();
        s.setAuthenticated(false);
        s.setAuthenticated(true);
        assertThat(all(s, buf("*11\r\n" + "$1\r\nx\r\n".repeat(11)))).hasSize(1);
    }

    // ---------------------------------------------------------------- inline

    @Test
    void inlineCommands() throws Exception {
        assertThat(one("PING\r\n")).containsExactly("PING");
        assertThat(one("PING\n")).containsExactly("PING");
        assertThat(one("  SET   a\tb  \r\n")).containsExactly("SET", "a", "b");
        assertThat(one("SET a \"b c\"\r\n")).containsExactly("SET", "a", "b c");
        assertThat(one("SET a 'b c'\r\n")).containsExactly("SET", "a", "b c");
        assertThat(one("ECHO \"\"\r\n")).containsExactly("ECHO", "");
        assertThat(one("ECHO ''\r\n")).containsExactly("ECHO", "");
        assertThat(one("ECHO a\"b c\"\r\n")).as("a quote may open inside a word").containsExactly("ECHO", "ab c");
    }

    @Test
    void inlineEscapes() throws Exception {
        assertThat(one("ECHO \"\\x41\\x42\\x7a\"\r\n")).containsExactly("ECHO", "ABz");
        assertThat(one("ECHO \"\\xff\\x00\"\r\n")).containsExactly("ECHO", "\u00ff\0");
        assertThat(one("ECHO \"\\xZZ\"\r\n")).as("not hex: \\x is x").containsExactly("ECHO", "xZZ");
        assertThat(one("ECHO \"a\\nb\\rc\\td\\be\\af\"\r\n")).containsExactly("ECHO", "a\nb\rc\td\be\u0007f");
        assertThat(one("ECHO \"q\\\"q\" \"s\\\\s\"\r\n")).containsExactly("ECHO", "q\"q", "s\\s");
        assertThat(one("ECHO 'it\\'s' 'a\\nb'\r\n")).as("single quotes know only \\'").containsExactly("ECHO", "it's", "a\\nb");
        assertThat(one("ECHO a\\x41\r\n")).as("no escapes outside quotes").containsExactly("ECHO", "a\\x41");
    }

    @Test
    void unbalancedQuotes() {
        for (String line : List.of("ECHO \"abc", "ECHO 'abc", "ECHO \"a\"b", "ECHO 'a'b", "ECHO \"abc\\\"", "ECHO \"a\\")) {
            assertThat(error(line + "\r\n")).as(line).isEqualTo("unbalanced quotes in request");
        }
    }

    @Test
    void emptyInlineLinesAreEmptyCommands() throws Exception {
        assertThat(all("\n")).containsExactly(List.of());
        assertThat(all("\r\n")).containsExactly(List.of());
        assertThat(all("   \t \r\n\nPING\n")).containsExactly(List.of(), List.of(), List.of("PING"));
    }

    @Test
    void inlineWaitsForItsNewline() throws Exception {
        RequestParser p = new RequestParser();
        ByteBuf in = buf("SET a b\r");
        assertThat(p.next(in)).isNull();
        assertThat(in.readerIndex()).isZero();
        in.writeByte('\n');
        assertThat(strings(p.next(in))).containsExactly("SET", "a", "b");
    }

    @Test
    void tooBigInlineRequest() throws Exception {
        assertThat(error("a".repeat(RequestParser.INLINE_MAX + 1))).isEqualTo("too big inline request");
        assertThat(new RequestParser().next(buf("a".repeat(RequestParser.INLINE_MAX)))).isNull();
        // A long line is fine once its newline is there: the limit is on waiting without one.
        String arg = "b".repeat(RequestParser.INLINE_MAX * 2);
        assertThat(one("ECHO " + arg + "\r\n")).containsExactly("ECHO", arg);
    }

    @Test
    void mixedInlineAndMultibulk() throws Exception {
        assertThat(all("PING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO y\n"))
                .containsExactly(List.of("PING"), List.of("ECHO", "x"), List.of("ECHO", "y"));
    }

    @Test
    void splitArgsAsTheConfigReaderUsesIt() {
        List<byte[]> parts = RequestParser.splitArgs("save 900 1".getBytes(StandardCharsets.US_ASCII));
        assertThat(parts).extracting(RequestParserTest::text).containsExactly("save", "900", "1");
        assertThat(RequestParser.splitArgs(new byte[0])).isEmpty();
        assertThat(RequestParser.splitArgs("\"x".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    // ---------------------------------------------------------------- split input

    private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$8\r\nv\r\nal\0ue\r\n"
            + "PING\r\n"
            + "*0\r\n"
            + "SET a \"b \\x41c\" 'd e'\n"
            + "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
            + "\r\n"
            + "*-1\r\n"
            + "*1\r\n$0\r\n\r\n";

    /** Feeds the input in the given pieces, appending each to one buffer as ClientHandler does. */
    private static List<List<String>> feed(byte[] input, int[] cuts) throws ProtocolException {
        RequestParser p = new RequestParser();
        ByteBuf in = Unpooled.buffer();
        List<List<String>> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            in.writeBytes(input, from, cut - from);
            from = cut;
            out.addAll(all(p, in));
            in.discardSomeReadBytes();
        }
        in.writeBytes(input, from, input.length - from);
        out.addAll(all(p, in));
        assertThat(in.isReadable()).isFalse();
        assertThat(p.inProgress()).isFalse();
        return out;
    }

    @Test
    void everySplitPointYieldsTheSameCommands() throws Exception {
        byte[] input = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
        List<List<String>> expected = all(PIPELINE);
        assertThat(expected).containsExactly(List.of("SET", "key", "v\r\nal\0ue"), List.of("PING"), List.of(),
                List.of("SET", "a", "b Ac", "d e"), List.of("INCR", "n"), List.of(), List.of(), List.of(""));
        for (int i = 0; i <= input.length; i++) {
            assertThat(feed(input, new int[] {i})).as("split at %d", i).isEqualTo(expected);
        }
        for (int i = 0; i <= input.length; i++) {
            for (int j = i; j <= input.length; j++) {
                assertThat(feed(input, new int[] {i, j})).as("split at %d and %d", i, j).isEqualTo(expected);
            }
        }
    }

    @Test
    void byteByByte() throws Exception {
        byte[] input = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
        int[] cuts = new int[input.length];
        for (int i = 0; i < input.length; i++) {
            cuts[i] = i;
        }
        assertThat(feed(input, cuts)).isEqualTo(all(PIPELINE));
    }

    /** A command and whether to send it inline (only when its arguments survive inline quoting). */
    record Cmd(List<byte[]> args, boolean inline) {
        void encode(ByteArrayOutputStream out) {
            if (inline) {
                for (byte[] a : args) {
                    out.writeBytes("\"".getBytes(StandardCharsets.US_ASCII));
                    for (byte b : a) {
                        out.writeBytes(String.format("\\x%02x", b & 0xFF).getBytes(StandardCharsets.US_ASCII));
                    }
                    out.writeBytes("\" ".getBytes(StandardCharsets.US_ASCII));
                }
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) {
                out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(a);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Provide
    Arbitrary<List<Cmd>> pipelines() {
        Arbitrary<byte[]> arg = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of("\r\n", "*1\r\n", "$3\r\n", "\"", "'", "\\x41", "").map(s -> s.getBytes(StandardCharsets.US_ASCII)));
        Arbitrary<List<byte[]>> args = arg.list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(args, Arbitraries.of(true, false)).as(Cmd::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 300)
    void anySplitOfAPipelineYieldsTheSameCommands(@ForAll("pipelines") List<Cmd> commands,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 10_000) Integer> cutPoints) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<List<String>> expected = new ArrayList<>();
        for (Cmd c : commands) {
            c.encode(out);
            expected.add(c.args().stream().map(RequestParserTest::text).toList());
        }
        byte[] input = out.toByteArray();
        int[] cuts = cutPoints.stream().mapToInt(i -> i % (input.length + 1)).sorted().toArray();
        assertThat(feed(input, cuts)).isEqualTo(expected);
        assertThat(all(new RequestParser(), Unpooled.wrappedBuffer(Arrays.copyOf(input, input.length)))).isEqualTo(expected);
    }
}
