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
        return isStrictLong(s, 0, s.length) ? parseDigits(s, 0, s.length) : null;
    }

    /** Whether {@code s[off, off+len)} is a number {@link #parseLongOrNull} accepts (no allocation). */
    public static boolean isStrictLong(byte[] s, int off, int len) {
        if (len == 0 || len > 20) {
            return false;
        }
        if (len == 1 && s[off] == '0') {
            return true;
        }
        int i = off, end = off + len;
        boolean negative = false;
        if (s[i] == '-') {
            negative = true;
            i++;
            if (len == 1) {
                return false;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0; // accumulate as negative to reach Long.MIN_VALUE
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return negative || v != Long.MIN_VALUE;
    }

    /** The value of bytes {@link #isStrictLong} accepted. */
    public static long parseDigits(byte[] s, int off, int len) {
        int i = off, end = off + len;
        boolean negative = s[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        for (; i < end; i++) {
            v = v * 10 - (s[i] - '0');
        }
        return negative ? v : -v;
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
     * Formats a double as Redis 7.0's double replies and ZSCORE: C's {@code "%.17g"} (17
     * significant digits of the exact binary value, trailing zeros dropped, exponent form below
     * 1e-4 and from 1e17), "inf"/"-inf", "nan".
     */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        java.math.BigDecimal r = new java.math.BigDecimal(d).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().abs().toString();
        // Normalise to exactly 17 digits: value = 0.d1d2...d17 * 10^(exp+1).
        int exp = digits.length() - 1 - r.scale();
        if (digits.length() < 17) {
            digits = digits + "0".repeat(17 - digits.length());
        } else if (digits.length() > 17) {
            digits = digits.substring(0, 17);
        }
        StringBuilder sb = new StringBuilder(32);
        if (d < 0) {
            sb.append('-');
        }
        if (exp < -4 || exp >= 17) {
            String frac = stripZeros(digits.substring(1));
            sb.append(digits.charAt(0));
            if (!frac.isEmpty()) {
                sb.append('.').append(frac);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
        } else if (exp >= 0) {
            String intPart = digits.substring(0, exp + 1);
            String frac = stripZeros(digits.substring(exp + 1));
            sb.append(intPart);
            if (!frac.isEmpty()) {
                sb.append('.').append(frac);
            }
        } else {
            String frac = stripZeros("0".repeat(-exp - 1) + digits);
            sb.append("0.").append(frac);
        }
        return sb.toString();
    }

    private static String stripZeros(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == '0') {
            e--;
        }
        return s.substring(0, e);
    }
}
