package dev.keydb.storage;

import java.nio.charset.StandardCharsets;

/** Redis's strict number parsing and formatting over byte strings (util.c's string2ll and friends). */
public final class Numbers {
    private Numbers() {}

    /** Sentinel for "not a valid integer" from {@link #parseLong}; check with {@link #isLong} first. */
    public static boolean isLong(byte[] s) {
        return parseLongOrNull(s) != null;
    }

    /**
     * Parses a signed 64-bit decimal exactly as Redis's string2ll: no spaces, no '+', no leading
     * zeros, at most 20 characters. Returns null when the bytes are not such a number.
     */
    public static Long parseLongOrNull(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 20) {
            return null;
        }
        if (len == 1 && s[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '-') {
            negative = true;
            i = 1;
            if (len == 1) {
                return null;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return null;
        }
        long v = 0; // accumulate as negative to reach Long.MIN_VALUE
        for (; i < len; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            return -v;
        }
        return v;
    }

    /** The decimal bytes of {@code v}. */
    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a float argument as Redis's string2ld/strtold accepts it: decimal or exponent
     * notation, "inf"/"-inf"; no surrounding spaces. Returns null if invalid. NaN is rejected.
     */
    public static Double parseDoubleOrNull(byte[] s) {
        if (s.length == 0 || s.length > 5000) {
            return null;
        }
        String t = new String(s, StandardCharsets.US_ASCII);
        if (Character.isWhitespace(t.charAt(0)) || Character.isWhitespace(t.charAt(t.length() - 1))) {
            return null;
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                return null;
            }
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Formats a double as Redis's RESP2 double replies and ZSCORE: "%.17g" shortened to the
     * shortest representation that round-trips, "inf"/"-inf", integers without a fraction.
     */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        // Java prints 1.0E20 style; Redis prints 1e+20 (%.17g style exponent).
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
