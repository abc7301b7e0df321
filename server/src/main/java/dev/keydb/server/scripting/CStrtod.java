package dev.keydb.server.scripting;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} (glibc, "C" locale), for cjson's number tokens: the longest prefix that
 * forms a number (leading white space, a sign, then a decimal or {@code 0x} hexadecimal
 * float, {@code inf}/{@code infinity} or {@code nan}/{@code nan(chars)}, any case) and its value.
 * Lua-cjson reads numbers with strtod, so "0x10", "+1", "Infinity" and "1e" (which stops after
 * the 1) decode in Redis as they do here.
 */
final class CStrtod {
    private CStrtod() {
    }

    /** The number read and the index just past it; {@code end == start} when there is none. */
    record Result(double value, int end) { }

    static Result parse(byte[] s, int start) {
        int i = start;
        while (i < s.length && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        Result r = special(s, i);
        if (r == null && i + 1 < s.length && s[i] == '0' && (s[i + 1] | 0x20) == 'x') {
            r = hex(s, i + 2);
        }
        if (r == null) {
            r = decimal(s, i);
        }
        if (r == null) {
            return new Result(0, start);
        }
        return new Result(negative ? -r.value : r.value, r.end);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean startsWithIgnoreCase(byte[] s, int i, String word) {
        if (i + word.length() > s.length) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((s[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** inf, infinity, nan and nan(n-char-sequence). */
    private static Result special(byte[] s, int i) {
        if (startsWithIgnoreCase(s, i, "infinity")) {
            return new Result(Double.POSITIVE_INFINITY, i + 8);
        }
        if (startsWithIgnoreCase(s, i, "inf")) {
            return new Result(Double.POSITIVE_INFINITY, i + 3);
        }
        if (!startsWithIgnoreCase(s, i, "nan")) {
            return null;
        }
        int end = i + 3;
        if (end < s.length && s[end] == '(') {
            int k = end + 1;
            while (k < s.length && (Character.isLetterOrDigit(s[k]) && s[k] > 0 || s[k] == '_')) {
                k++;
            }
            if (k < s.length && s[k] == ')') {
                end = k + 1;
            }
        }
        return new Result(Double.NaN, end);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHexDigit(byte b) {
        return isDigit(b) || ((b | 0x20) >= 'a' && (b | 0x20) <= 'f');
    }

    /** Digits with at most one point (at least one digit), then an exponent only if digits follow its letter. */
    private static Result decimal(byte[] s, int i) {
        int k = i;
        int digits = 0;
        while (k < s.length && isDigit(s[k])) {
            k++;
            digits++;
        }
        if (k < s.length && s[k] == '.') {
            k++;
            while (k < s.length && isDigit(s[k])) {
                k++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        k = exponent(s, k, 'e');
        return new Result(Double.parseDouble(new String(s, i, k - i, StandardCharsets.ISO_8859_1)), k);
    }

    /** After "0x": hex digits with at most one point, then a binary exponent; just "0" when no digit follows. */
    private static Result hex(byte[] s, int i) {
        int k = i;
        StringBuilder mantissa = new StringBuilder("0x");
        int digits = 0;
        while (k < s.length && isHexDigit(s[k])) {
            mantissa.append((char) s[k++]);
            digits++;
        }
        if (k < s.length && s[k] == '.') {
            mantissa.append('.');
            k++;
            while (k < s.length && isHexDigit(s[k])) {
                mantissa.append((char) s[k++]);
                digits++;
            }
        }
        if (digits == 0) {
            return new Result(0, i - 1); // "0x" alone reads as the 0
        }
        int end = exponent(s, k, 'p');
        String exp = end > k ? clamp(new String(s, k + 1, end - k - 1, StandardCharsets.ISO_8859_1)) : "0";
        if (mantissa.charAt(mantissa.length() - 1) == '.') {
            mantissa.append('0');
        }
        if (mantissa.charAt(2) == '.') {
            mantissa.insert(2, '0');
        }
        return new Result(Double.parseDouble(mantissa + "p" + exp), end);
    }

    /** A binary exponent too long for Java's parser, as one that over- or underflows all the same. */
    private static String clamp(String exp) {
        String digits = exp.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
        return digits.length() <= 6 ? exp : exp.startsWith("-") ? "-999999" : "999999";
    }

    /** The index past an exponent (letter, optional sign, digits) at {@code k}, or k when there is none. */
    private static int exponent(byte[] s, int k, char letter) {
        if (k >= s.length || (s[k] | 0x20) != letter) {
            return k;
        }
        int e = k + 1;
        if (e < s.length && (s[e] == '+' || s[e] == '-')) {
            e++;
        }
        if (e >= s.length || !isDigit(s[e])) {
            return k;
        }
        while (e < s.length && isDigit(s[e])) {
            e++;
        }
        return e;
    }
}
