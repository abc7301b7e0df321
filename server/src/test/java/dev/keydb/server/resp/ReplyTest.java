package dev.keydb.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The reply writer: each shape as RESP2 and as RESP3, byte for byte as Redis writes it. */
class ReplyTest {
    private final List<String> errors = new ArrayList<>();

    private String render(int protocol, Consumer<Reply> body) {
        Reply r = new Reply(errors::add);
        r.protocol(protocol);
        ByteBuf out = Unpooled.buffer(4);
        r.target(out);
        body.accept(r);
        String s = out.toString(StandardCharsets.ISO_8859_1);
        out.release();
        return s;
    }

    private String resp2(Consumer<Reply> body) {
        return render(2, body);
    }

    private String resp3(Consumer<Reply> body) {
        return render(3, body);
    }

    @Test
    void protocolVersion() {
        Reply r = new Reply(errors::add);
        assertThat(r.protocol()).isEqualTo(2);
        assertThat(r.resp3()).isFalse();
        r.protocol(3);
        assertThat(r.resp3()).isTrue();
    }

    @Test
    void simpleStringsAndOk() {
        assertThat(resp2(Reply::ok)).isEqualTo("+OK\r\n");
        assertThat(resp3(Reply::ok)).isEqualTo("+OK\r\n");
        assertThat(resp2(r -> r.simple("PONG"))).isEqualTo("+PONG\r\n");
    }

    @Test
    void errorsAreCountedAndKeptOnOneLine() {
        assertThat(resp2(r -> r.error("ERR syntax error"))).isEqualTo("-ERR syntax error\r\n");
        assertThat(resp3(r -> r.error("WRONGTYPE Operation against a key"))).isEqualTo("-WRONGTYPE Operation against a key\r\n");
        assertThat(resp2(r -> r.error("ERR bad\r\nthing\n"))).isEqualTo("-ERR bad  thing \r\n");
        assertThat(errors).containsExactly("ERR syntax error", "WRONGTYPE Operation against a key", "ERR bad\r\nthing\n");
    }

    @Test
    void integers() {
        assertThat(resp2(r -> r.integer(0))).isEqualTo(":0\r\n");
        assertThat(resp2(r -> r.integer(9999))).isEqualTo(":9999\r\n");
        assertThat(resp2(r -> r.integer(10000))).isEqualTo(":10000\r\n");
        assertThat(resp2(r -> r.integer(-1))).isEqualTo(":-1\r\n");
        assertThat(resp2(r -> r.integer(-10))).isEqualTo(":-10\r\n");
        assertThat(resp2(r -> r.integer(1234567890123L))).isEqualTo(":1234567890123\r\n");
        assertThat(resp3(r -> r.integer(Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
        assertThat(resp3(r -> r.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
        assertThat(resp2(r -> r.integer(Long.MIN_VALUE + 1))).isEqualTo(":-9223372036854775807\r\n");
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 7; v = v * 7 + 3) {
            long x = v;
            assertThat(resp2(r -> r.integer(x))).isEqualTo(":" + x + "\r\n");
            assertThat(resp2(r -> r.integer(-x))).isEqualTo(":" + -x + "\r\n");
        }
    }

    @Test
    void bulkStrings() {
        assertThat(resp2(r -> r.bulk("hello"))).isEqualTo("$5\r\nhello\r\n");
        assertThat(resp2(r -> r.bulk(new byte[0]))).isEqualTo("$0\r\n\r\n");
        assertThat(resp2(r -> r.bulk("a\r\nb".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("$4\r\na\r\nb\r\n");
        assertThat(resp2(r -> r.bulk("xhellox".getBytes(StandardCharsets.US_ASCII), 1, 5))).isEqualTo("$5\r\nhello\r\n");
        assertThat(resp2(r -> r.bulk(-42L))).isEqualTo("$3\r\n-42\r\n");
        assertThat(resp2(r -> r.bulk("é"))).isEqualTo("$2\r\n\u00c3\u00a9\r\n");
        String big = "x".repeat(100_000);
        assertThat(resp3(r -> r.bulk(big))).isEqualTo("$100000\r\n" + big + "\r\n");
    }

    @Test
    void nulls() {
        assertThat(resp2(Reply::nullBulk)).isEqualTo("$-1\r\n");
        assertThat(resp2(Reply::nullArray)).isEqualTo("*-1\r\n");
        assertThat(resp2(r -> r.bulk((byte[]) null))).isEqualTo("$-1\r\n");
        assertThat(resp3(Reply::nullBulk)).isEqualTo("_\r\n");
        assertThat(resp3(Reply::nullArray)).isEqualTo("_\r\n");
        assertThat(resp3(r -> r.bulk((byte[]) null))).isEqualTo("_\r\n");
    }

    @Test
    void arrays() {
        assertThat(resp2(r -> {
            r.array(2);
            r.bulk("a");
            r.integer(1);
        })).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
        assertThat(resp3(r -> r.array(0))).isEqualTo("*0\r\n");
    }

    @Test
    void maps() {
        Consumer<Reply> body = r -> {
            r.map(2);
            r.bulk("a");
            r.integer(1);
            r.bulk("b");
            r.nullBulk();
        };
        assertThat(resp2(body)).isEqualTo("*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$-1\r\n");
        assertThat(resp3(body)).isEqualTo("%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n_\r\n");
        assertThat(resp2(r -> r.map(0))).isEqualTo("*0\r\n");
        assertThat(resp3(r -> r.map(0))).isEqualTo("%0\r\n");
    }

    @Test
    void sets() {
        Consumer<Reply> body = r -> {
            r.set(2);
            r.bulk("x");
            r.bulk("y");
        };
        assertThat(resp2(body)).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
        assertThat(resp3(body)).isEqualTo("~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    }

    @Test
    void pushes() {
        Consumer<Reply> body = r -> {
            r.push(3);
            r.bulk("message");
            r.bulk("ch");
            r.bulk("hi");
        };
        assertThat(resp2(body)).isEqualTo("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        assertThat(resp3(body)).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    }

    @Test
    void doubles() {
        assertThat(resp2(r -> r.doubleValue(1.5))).isEqualTo("$3\r\n1.5\r\n");
        assertThat(resp3(r -> r.doubleValue(1.5))).isEqualTo(",1.5\r\n");
        assertThat(resp2(r -> r.doubleValue(3))).isEqualTo("$1\r\n3\r\n");
        assertThat(resp3(r -> r.doubleValue(3))).isEqualTo(",3\r\n");
        assertThat(resp3(r -> r.doubleValue(-0.25))).isEqualTo(",-0.25\r\n");
        assertThat(resp2(r -> r.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo("$3\r\ninf\r\n");
        assertThat(resp2(r -> r.doubleValue(Double.NEGATIVE_INFINITY))).isEqualTo("$4\r\n-inf\r\n");
        assertThat(resp3(r -> r.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo(",inf\r\n");
        assertThat(resp3(r -> r.doubleValue(Double.NEGATIVE_INFINITY))).isEqualTo(",-inf\r\n");
        assertThat(resp3(r -> r.doubleValue(Double.NaN))).isEqualTo(",nan\r\n");
        assertThat(resp3(r -> r.doubleValue(1e20))).isEqualTo(",1e+20\r\n");
        // Redis 7.0 prints %.17g, binary residue included.
        assertThat(resp2(r -> r.doubleValue(1.5e-7))).isEqualTo("$22\r\n1.4999999999999999e-07\r\n");
    }

    @Test
    void booleans() {
        assertThat(resp2(r -> r.bool(true))).isEqualTo(":1\r\n");
        assertThat(resp2(r -> r.bool(false))).isEqualTo(":0\r\n");
        assertThat(resp3(r -> r.bool(true))).isEqualTo("#t\r\n");
        assertThat(resp3(r -> r.bool(false))).isEqualTo("#f\r\n");
    }

    @Test
    void verbatim() {
        assertThat(resp2(r -> r.verbatim("a\r\nb"))).isEqualTo("$4\r\na\r\nb\r\n");
        assertThat(resp3(r -> r.verbatim("a\r\nb"))).isEqualTo("=8\r\ntxt:a\r\nb\r\n");
        assertThat(resp3(r -> r.verbatim(""))).isEqualTo("=4\r\ntxt:\r\n");
    }

    @Test
    void rawBytesPassThrough() {
        assertThat(resp3(r -> r.raw("+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("+QUEUED\r\n");
    }

    @Test
    void protocolSwitchTakesEffectForTheNextReply() {
        assertThat(render(3, r -> {
            r.nullBulk();
            r.protocol(2);
            r.nullBulk();
        })).isEqualTo("_\r\n$-1\r\n");
    }
}
