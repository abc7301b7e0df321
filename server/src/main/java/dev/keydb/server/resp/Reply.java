package dev.keydb.server.resp;

import dev.keydb.storage.Numbers;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes replies in the client's protocol version. Commands describe the shape (map, set,
 * double, null) and this class renders it as RESP3 or as the RESP2 equivalent Redis sends
 * (maps flattened to arrays, doubles as bulk strings, null as {@code $-1} or {@code *-1}).
 */
public final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SHARED_INTS = 10000;
    private static final byte[][] INTS = new byte[SHARED_INTS][];

    static {
        for (int i = 0; i < SHARED_INTS; i++) {
            INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Receives every error reply, for INFO errorstats. */
    public interface ErrorSink {
        void error(String message);
    }

    private ByteBuf out;
    private int protocol = 2;
    private final ErrorSink errors;

    public Reply(ErrorSink errors) {
        this.errors = errors;
    }

    public void target(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf buffer() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    public void ok() {
        out.writeBytes(OK);
    }

    public void simple(String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** An error reply; {@code message} starts with its code, e.g. "ERR syntax error". */
    public void error(String message) {
        errors.error(message);
        out.writeByte('-');
        // Newlines would break the protocol; Redis replaces them with spaces.
        out.writeCharSequence(message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0
                ? message.replace('\r', ' ').replace('\n', ' ') : message, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    public void integer(long v) {
        if (v >= 0 && v < SHARED_INTS) {
            out.writeBytes(INTS[(int) v]);
            return;
        }
        out.writeByte(':');
        writeDecimal(v);
        out.writeBytes(CRLF);
    }

    public void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        bulk(b, 0, b.length);
    }

    public void bulk(byte[] b, int off, int len) {
        out.writeByte('$');
        writeDecimal(len);
        out.writeBytes(CRLF);
        out.writeBytes(b, off, len);
        out.writeBytes(CRLF);
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The decimal text of an integer as a bulk string (GET of an int-encoded value). */
    public void bulk(long v) {
        bulk(Numbers.toBytes(v));
    }

    public void nullBulk() {
        out.writeBytes(protocol >= 3 ? NULL3 : NULL_BULK);
    }

    public void nullArray() {
        out.writeBytes(protocol >= 3 ? NULL3 : NULL_ARRAY);
    }

    public void array(long n) {
        header('*', n);
    }

    /** A map of {@code n} pairs: RESP3 {@code %}, RESP2 an array of 2n. */
    public void map(long n) {
        if (protocol >= 3) {
            header('%', n);
        } else {
            header('*', n * 2);
        }
    }

    /** A set: RESP3 {@code ~}, RESP2 an array. */
    public void set(long n) {
        header(protocol >= 3 ? '~' : '*', n);
    }

    /** An out-of-band push (RESP3 {@code >}), an array in RESP2. */
    public void push(long n) {
        header(protocol >= 3 ? '>' : '*', n);
    }

    public void doubleValue(double d) {
        String s = Numbers.formatDouble(d);
        if (protocol >= 3) {
            out.writeByte(',');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(s);
        }
    }

    public void bool(boolean b) {
        if (protocol >= 3) {
            out.writeCharSequence(b ? "#t\r\n" : "#f\r\n", StandardCharsets.US_ASCII);
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** Verbatim text (INFO, CLIENT LIST in RESP3): {@code =len\r\ntxt:...}, a bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 3) {
            out.writeByte('=');
            writeDecimal(b.length + 4);
            out.writeBytes(CRLF);
            out.writeCharSequence("txt:", StandardCharsets.US_ASCII);
            out.writeBytes(b);
            out.writeBytes(CRLF);
        } else {
            bulk(b);
        }
    }

    /** A big number (RESP3 {@code (}), a bulk string of its digits in RESP2. */
    public void bigNumber(String digits) {
        if (protocol >= 3) {
            out.writeByte('(');
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(digits);
        }
    }

    /**
     * An attribute header of {@code n} pairs (RESP3 {@code |}), followed by the pairs and then
     * the real reply. RESP2 has no attributes: callers emit the pairs only when {@link #resp3()}.
     */
    public void attribute(long n) {
        if (protocol < 3) {
            throw new IllegalStateException("attributes need RESP3");
        }
        header('|', n);
    }

    /** Pre-rendered protocol bytes. */
    public void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    private void header(char type, long n) {
        out.writeByte(type);
        writeDecimal(n);
        out.writeBytes(CRLF);
    }

    private void writeDecimal(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
                return;
            }
            out.writeByte('-');
            v = -v;
        }
        if (v < 10) {
            out.writeByte((int) ('0' + v));
            return;
        }
        int digits = 1;
        for (long t = v / 10; t > 0; t /= 10) {
            digits++;
        }
        int pos = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = pos - 1; i >= pos - digits; i--) {
            out.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(pos);
    }
}
