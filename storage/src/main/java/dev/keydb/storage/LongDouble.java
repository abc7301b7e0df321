package dev.keydb.storage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Emulates the x87 80-bit {@code long double} arithmetic that Redis uses for INCRBYFLOAT and
 * HINCRBYFLOAT on x86-64, so results print digit for digit as Redis prints them: values are
 * exact binary fractions with a 64-bit significand, held as exact {@link BigDecimal}s, rounded
 * half-even after parsing and after every addition, and printed as {@code %.17Lf} with trailing
 * zeros removed (Redis's ld2string human mode).
 */
public final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;
    /** Largest binary exponent of the format; anything at or beyond 2^16384 is infinite. */
    private static final int MAX_EXPONENT = 16384;
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS - 1);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS);
    private static final double LOG2_10 = Math.log(10) / Math.log(2);

    private LongDouble() {}

    /**
     * Parses as Redis's string2ld (strtold): decimal or exponent notation, no surrounding
     * spaces. Returns null for anything else, including NaN and infinities (which the callers
     * reject as "would produce NaN or Infinity" separately via {@link #isInfinity}).
     */
    public static BigDecimal parse(byte[] s) {
        Double check = Numbers.parseDoubleOrNull(s);
        if (check == null || check.isInfinite()) {
            return null;
        }
        try {
            return round(new BigDecimal(new String(s, StandardCharsets.US_ASCII)));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Whether the text is an infinity strtold accepts ("inf", "-infinity", ...). */
    public static boolean isInfinity(byte[] s) {
        Double d = Numbers.parseDoubleOrNull(s);
        return d != null && d.isInfinite();
    }

    /** The sum rounded to the format, or null when it overflows to infinity. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return round(a.add(b));
    }

    /** Rounds an exact value to the nearest 64-bit-significand binary value; null if it overflows. */
    static BigDecimal round(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal a = x.abs();
        int e = (int) Math.floor((a.unscaledValue().bitLength() - a.scale() * LOG2_10)) - SIGNIFICAND_BITS;
        BigInteger m;
        while (true) {
            BigDecimal scaled = scaleByPowerOfTwo(a, -e);
            m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            if (m.compareTo(TWO_64) >= 0) {
                e++;
            } else if (m.compareTo(TWO_63) < 0 && scaled.compareTo(new BigDecimal(TWO_63)) < 0) {
                e--;
            } else {
                break;
            }
        }
        if (e + SIGNIFICAND_BITS > MAX_EXPONENT) {
            return null;
        }
        BigDecimal r = scaleByPowerOfTwo(new BigDecimal(m), e);
        return x.signum() < 0 ? r.negate() : r;
    }

    /** x * 2^p, exactly (division by a power of two always terminates in decimal). */
    private static BigDecimal scaleByPowerOfTwo(BigDecimal x, int p) {
        if (p >= 0) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(p)));
        }
        // 2^-n = 5^n / 10^n
        return x.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-p))).scaleByPowerOfTen(p);
    }

    /** {@code %.17Lf} with trailing zeros and a trailing point removed; "-0" becomes "0". */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }
}
