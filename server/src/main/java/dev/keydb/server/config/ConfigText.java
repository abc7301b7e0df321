package dev.keydb.server.config;

import dev.keydb.server.resp.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text helpers for redis.conf values: memory units, yes/no, quoting, splitting. */
public final class ConfigText {
    private ConfigText() {}

    /**
     * Parses a memory amount as Redis's memtoull: a number with an optional unit k, kb, m, mb,
     * g, gb (case-insensitive; k = 1000, kb = 1024). Negative allowed only when {@code allowNegative}.
     */
    public static long memory(String s, boolean allowNegative) throws ConfigException {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0]) && t.length() > u[0].length()) {
                mul = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v < 0 && !allowNegative) {
                throw new ConfigException("argument must be a memory value");
            }
            return Math.multiplyExact(v, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException("argument must be a memory value");
        }
    }

    /** {@link #memoryOrPercentValue} of a value {@link #memoryOrPercent} accepted. */
    public static long checkedMemoryOrPercent(String s) {
        try {
            return memoryOrPercentValue(s);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** A memory value in bytes, or a percentage as its negation (Redis's representation). */
    public static long memoryOrPercentValue(String s) throws ConfigException {
        if (s.endsWith("%")) {
            long pct;
            try {
                pct = Long.parseLong(s.substring(0, s.length() - 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("argument must be a memory or percent value");
            }
            if (pct < 0) {
                throw new ConfigException("argument must be a memory or percent value");
            }
            if (pct > 100) {
                throw new ConfigException("percentage argument must be less or equal to 100");
            }
            return -pct;
        }
        try {
            return memory(s, false);
        } catch (ConfigException e) {
            throw new ConfigException("argument must be a memory or percent value");
        }
    }

    public static boolean yesNo(String s) throws ConfigException {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "yes":
                return true;
            case "no":
                return false;
            default:
                throw new ConfigException("argument must be 'yes' or 'no'");
        }
    }

    /** Renders bytes with the largest exact unit, as CONFIG REWRITE does (1gb, 512mb, 100kb). */
    public static String memoryUnits(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "gb";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "mb";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "kb";
        }
        return Long.toString(bytes);
    }

    /** Words of a value written on one line (sdssplitargs rules); an empty list for "". */
    public static List<String> words(String value) {
        List<byte[]> parts = RequestParser.splitArgs(value.getBytes(StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        if (parts == null) {
            out.add(value);
            return out;
        }
        for (byte[] p : parts) {
            out.add(new String(p, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Quotes a value for a config file when it is empty or has spaces/quotes (sdscatrepr-like). */
    public static String quote(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '\\' || c > 126)) {
            return v;
        }
        return repr(v);
    }

    /** Always quotes, escaping as Redis's sdscatrepr, so that sdssplitargs reads back the same value. */
    public static String repr(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < ' ' || c == 127) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
