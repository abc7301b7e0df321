package dev.keydb.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a raw RESP2 reply as returned by {@link RawConnection#readReply()} into Java values,
 * for tests whose reply order is unspecified (KEYS, SCAN): bulk and simple strings become
 * String, integers Long, arrays List, nulls null, errors an {@link Error} record.
 */
public final class RespValue {
    public record Error(String message) {}

    private final byte[] b;
    private int pos;

    private RespValue(String raw) {
        this.b = raw.getBytes(StandardCharsets.UTF_8);
    }

    public static Object parse(String raw) {
        RespValue p = new RespValue(raw);
        Object v = p.value();
        if (p.pos != p.b.length) {
            throw new IllegalArgumentException("trailing bytes after reply: " + raw);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(String raw) {
        return (List<Object>) parse(raw);
    }

    private String line() {
        int start = pos;
        while (!(b[pos] == '\r' && b[pos + 1] == '\n')) {
            pos++;
        }
        String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
        pos += 2;
        return s;
    }

    private Object value() {
        char type = (char) b[pos++];
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                String s = new String(b, pos, len, StandardCharsets.UTF_8);
                pos += len + 2;
                return s;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(value());
                }
                return out;
            }
            default:
                throw new IllegalArgumentException("unsupported RESP type " + type);
        }
    }
}
