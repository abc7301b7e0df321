package dev.keydb.storage.geo;

/**
 * Redis's geohash arithmetic (geohash.c and geohash_helper.c), bit for bit: positions are
 * 52-bit interleaved hashes (26 bits of latitude in the even bits, 26 of longitude in the odd
 * ones) over the Web Mercator latitude range, stored as sorted set scores. Distances use the
 * haversine formula on a sphere of radius {@link #EARTH_RADIUS_IN_METERS}.
 *
 * <p>Hashes are {@code long} bit strings with a separate step (bits per coordinate); a
 * "zero" hash (Redis's GZERO) is step 0.
 */
public final class GeoHash {
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    /** Bits per coordinate of a stored position (52 bits in all). */
    public static final int STEP_MAX = 26;
    /** Earth's quadratic mean radius for WGS-84, as Redis. */
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoHash() {}

    static double degRad(double ang) {
        return ang * D_R;
    }

    static double radDeg(double ang) {
        return ang / D_R;
    }

    // ---------------------------------------------------------------- bit interleaving

    /** Spreads the 32 bits of {@code xlo} over the even bits and those of {@code ylo} over the odd ones. */
    static long interleave64(long xlo, long ylo) {
        long x = xlo & 0xFFFFFFFFL;
        long y = ylo & 0xFFFFFFFFL;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        y = (y | (y << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        y = (y | (y << 1)) & 0x5555555555555555L;
        return x | (y << 1);
    }

    /** The even bits compacted into the low 32 bits, the odd bits into the high 32. */
    static long deinterleave64(long interleaved) {
        long x = interleaved;
        long y = interleaved >>> 1;
        x = (x | (x >>> 0)) & 0x5555555555555555L;
        y = (y | (y >>> 0)) & 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        y = (y | (y >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
        return x | (y << 32);
    }

    /** C's {@code (uint32_t)} of a non-negative double below 2^32 (truncation). */
    private static long toUint32(double d) {
        return ((long) d) & 0xFFFFFFFFL;
    }

    /**
     * C's {@code (uint64_t)} of a double as gcc compiles it on x86-64 (cvttsd2si, with the
     * 2^63 adjustment): what Redis's decodeGeohash does with any zset score.
     */
    static long toUint64(double d) {
        final double two63 = 9223372036854775808.0;
        if (!(d >= two63)) { // also NaN: cvttsd2si answers the "integer indefinite" value
            if (Double.isNaN(d) || d <= -two63) {
                return Long.MIN_VALUE;
            }
            return (long) d;
        }
        double r = d - two63;
        long v = r >= two63 ? Long.MIN_VALUE : (long) r;
        return v ^ Long.MIN_VALUE;
    }

    // ---------------------------------------------------------------- encode / decode

    /**
     * geohashEncode: the {@code step}-bit-per-coordinate hash of a position within the given
     * ranges, or -1 when the position is outside them (or outside the Mercator limits).
     */
    static long encode(double longMin, double longMax, double latMin, double latMax,
                       double longitude, double latitude, int step) {
        if (step > 32 || step == 0) {
            return -1;
        }
        if (longitude > 180 || longitude < -180 || latitude > 85.05112878 || latitude < -85.05112878) {
            return -1;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return -1;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (1L << step);
        longOffset *= (1L << step);
        return interleave64(toUint32(latOffset), toUint32(longOffset));
    }

    /** geohashEncodeWGS84 over the Mercator ranges; -1 when out of range. */
    public static long encodeWGS84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** The score a position gets in the sorted set (geohashAlign52Bits of the 26-step hash). */
    public static long score(double longitude, double latitude) {
        return align52(encodeWGS84(longitude, latitude, STEP_MAX), STEP_MAX);
    }

    static long align52(long bits, int step) {
        return bits << (52 - step * 2);
    }

    /**
     * geohashDecode over the Mercator ranges: the cell {longMin, longMax, latMin, latMax} of
     * a hash. Returns false for the zero hash (bits 0, step 0).
     */
    static boolean decode(long bits, int step, double[] area) {
        if (bits == 0 && step == 0) {
            return false;
        }
        long sep = deinterleave64(bits);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double div = (double) (1L << step);
        area[2] = LAT_MIN + (ilato * 1.0 / div) * latScale;
        area[3] = LAT_MIN + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * latScale;
        area[0] = LONG_MIN + (ilono * 1.0 / div) * longScale;
        area[1] = LONG_MIN + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * longScale;
        return true;
    }

    /**
     * decodeGeohash: the position (longitude, latitude) a sorted set score stands for, the
     * centre of its cell clamped to the valid ranges. Always succeeds for a step-26 hash.
     */
    public static void decodeScore(double score, double[] xy) {
        long sep = deinterleave64(toUint64(score));
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double div = (double) (1L << STEP_MAX);
        double latMin = LAT_MIN + (ilato * 1.0 / div) * (LAT_MAX - LAT_MIN);
        double latMax = LAT_MIN + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * (LAT_MAX - LAT_MIN);
        double lonMin = LONG_MIN + (ilono * 1.0 / div) * (LONG_MAX - LONG_MIN);
        double lonMax = LONG_MIN + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * (LONG_MAX - LONG_MIN);
        double x = (lonMin + lonMax) / 2;
        if (x > LONG_MAX) {
            x = LONG_MAX;
        }
        if (x < LONG_MIN) {
            x = LONG_MIN;
        }
        double y = (latMin + latMax) / 2;
        if (y > LAT_MAX) {
            y = LAT_MAX;
        }
        if (y < LAT_MIN) {
            y = LAT_MIN;
        }
        xy[0] = x;
        xy[1] = y;
    }

    /**
     * The 11-character standard geohash of a stored score (GEOHASH): the decoded position
     * re-encoded over latitude -90..90, the 11th character always '0' as Redis.
     */
    public static byte[] geohashString(double score) {
        double[] xy = new double[2];
        decodeScore(score, xy);
        long bits = encode(-180, 180, -90, 90, xy[0], xy[1], 26);
        if (bits < 0) {
            bits = 0; // unreachable: a decoded position is always in range
        }
        byte[] out = new byte[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
            out[i] = (byte) ALPHABET.charAt(idx);
        }
        return out;
    }

    // ---------------------------------------------------------------- neighbours

    static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2));
        return x | y;
    }

    static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - step * 2));
        return x | y;
    }

    // ---------------------------------------------------------------- distances

    /**
     * Great-circle distance in meters (haversine), Redis 7.0's geohashGetDistance. The libm
     * calls are the ones nearest to glibc's (measured): HotSpot's sin/cos, and an arcsine
     * refined to the correctly rounded result (glibc's is correctly rounded in all but about
     * 0.1% of cases, fdlibm's misses about 3%), so distances match Redis's to the last bit in
     * nearly every case.
     */
    public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lat1r = degRad(lat1d);
        double lon1r = degRad(lon1d);
        double lat2r = degRad(lat2d);
        double lon2r = degRad(lon2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double v = Math.sin((lon2r - lon1r) / 2);
        return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
    }

    /**
     * {@link #distance} within a relative error of 1e-15 (the arcsine left unrefined): cheap
     * enough to reject the candidates of a search that lie clearly outside its area.
     */
    static double distanceApprox(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double v = Math.sin((degRad(lon2d) - degRad(lon1d)) / 2);
        return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
    }

    static double cos(double x) {
        return Math.cos(x);
    }

    // 1/(2k+1)! with alternating signs, as double-double (hi, lo) pairs: sin(y) = y * sum c_k y^2k.
    private static final double[] SIN_HI = new double[22];
    private static final double[] SIN_LO = new double[22];

    static {
        java.math.MathContext mc = new java.math.MathContext(60);
        java.math.BigDecimal f = java.math.BigDecimal.ONE;
        for (int k = 0; k < SIN_HI.length; k++) {
            if (k > 0) {
                f = f.multiply(java.math.BigDecimal.valueOf((2L * k) * (2L * k + 1)));
            }
            java.math.BigDecimal c = java.math.BigDecimal.ONE.divide(f, mc);
            if (k % 2 == 1) {
                c = c.negate();
            }
            double hi = c.doubleValue();
            SIN_HI[k] = hi;
            SIN_LO[k] = c.subtract(new java.math.BigDecimal(hi), mc).doubleValue();
        }
    }

    /**
     * Arcsine of x in [-1, 1], correctly rounded: fdlibm's result (within 1 ulp) refined by
     * one Newton step whose residual x - sin(y0) is evaluated in double-double arithmetic.
     */
    static double asin(double x) {
        double y0 = StrictMath.asin(x);
        if (x == 0 || Double.isNaN(y0)) {
            return y0;
        }
        // s = sin(y0) in double-double by Horner on y0^2.
        double zh = y0 * y0;
        double zl = Math.fma(y0, y0, -zh);
        // enough terms for y0^2n / (2n+1)! below 2^-110 relative
        int n = zh < 1e-4 ? 6 : zh < 1e-2 ? 9 : zh < 0.25 ? 13 : SIN_HI.length - 1;
        double ph = SIN_HI[n];
        double pl = SIN_LO[n];
        for (int k = n - 1; k >= 0; k--) {
            // p = p * z
            double mh = ph * zh;
            double ml = Math.fma(ph, zh, -mh) + (ph * zl + pl * zh);
            double th = mh + ml;
            ml = ml - (th - mh);
            mh = th;
            // p = p + c_k
            double sh = mh + SIN_HI[k];
            double bb = sh - mh;
            double sl = (mh - (sh - bb)) + (SIN_HI[k] - bb) + ml + SIN_LO[k];
            ph = sh + sl;
            pl = sl - (ph - sh);
        }
        // s = p * y0
        double sh = ph * y0;
        double sl = Math.fma(ph, y0, -sh) + pl * y0;
        double r = (x - sh) - sl;
        double d = r / Math.cos(y0);
        return y0 + d;
    }

    /** geohashEstimateStepsByRadius. */
    static int estimateStepsByRadius(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        if (step < 1) {
            step = 1;
        }
        if (step > 26) {
            step = 26;
        }
        return step;
    }
}
