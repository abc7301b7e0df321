package dev.keydb.storage.types;

import dev.keydb.storage.RawString;
import java.nio.charset.StandardCharsets;

/**
 * Redis's HyperLogLog, byte for byte: a string value holding a 16-byte header ("HYLL", one
 * encoding byte, three unused bytes, the cached cardinality as a little-endian 64-bit integer
 * whose top bit marks it stale) followed by the registers, either sparse (run-length opcodes
 * ZERO {@code 00xxxxxx}, XZERO {@code 01xxxxxx yyyyyyyy}, VAL {@code 1vvvvvxx}) or dense
 * (16384 six-bit registers packed LSB first). Elements are hashed with Redis's MurmurHash64A
 * and seed 0xadc83b19, so the same PFADDs yield the same bytes as Redis, and a value written by
 * Redis counts the same here. The cardinality estimate is Ertl's improved estimator that Redis
 * uses since 5.0.
 *
 * <p>The functions work on a {@link RawString} that the caller owns (already copied from any
 * shared representation), as Redis's dbUnshareStringValue.
 */
public final class HyperLogLog {
    public static final int P = 14;
    public static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    private static final int P_MASK = REGISTERS - 1;
    private static final int BITS = 6;
    private static final int REGISTER_MAX = (1 << BITS) - 1;
    public static final int HDR_SIZE = 16;
    public static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    private static final int MAX_ENCODING = 1;
    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;
    private static final long SEED = 0xadc83b19L;

    /** Redis's default hll-sparse-max-bytes: past this size a sparse HLL is promoted to dense. */
    public static final long DEFAULT_SPARSE_MAX_BYTES = 3000;

    private HyperLogLog() {}

    /** A new empty HLL in the sparse encoding, as Redis's createHLLObject. */
    public static byte[] create() {
        int sparseLen = HDR_SIZE + ((REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
        byte[] s = new byte[sparseLen];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = SPARSE;
        int p = HDR_SIZE;
        int aux = REGISTERS;
        while (aux > 0) {
            int xzero = Math.min(SPARSE_XZERO_MAX_LEN, aux);
            setXZero(s, p, xzero);
            p += 2;
            aux -= xzero;
        }
        return s;
    }

    /** Redis's isHLLObjectOrReply checks: magic, a known encoding, and the exact dense size. */
    public static boolean isValid(byte[] a, int len) {
        if (len < HDR_SIZE) {
            return false;
        }
        if (a[0] != 'H' || a[1] != 'Y' || a[2] != 'L' || a[3] != 'L') {
            return false;
        }
        int enc = a[4] & 0xff;
        if (enc > MAX_ENCODING) {
            return false;
        }
        return enc != DENSE || len == DENSE_SIZE;
    }

    public static int encoding(RawString s) {
        return s.array()[4] & 0xff;
    }

    // ---------------------------------------------------------------- hashing

    /** Redis's MurmurHash64A (endian-neutral variant). */
    public static long murmurHash64A(byte[] key, int off, int len, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = seed ^ (len * m);
        int end = off + (len - (len & 7));
        int i = off;
        while (i != end) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16
                    | (key[i + 3] & 0xffL) << 24 | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40
                    | (key[i + 6] & 0xffL) << 48 | (key[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
            i += 8;
        }
        switch (len & 7) {
            case 7: h ^= (key[i + 6] & 0xffL) << 48; // fall through
            case 6: h ^= (key[i + 5] & 0xffL) << 40; // fall through
            case 5: h ^= (key[i + 4] & 0xffL) << 32; // fall through
            case 4: h ^= (key[i + 3] & 0xffL) << 24; // fall through
            case 3: h ^= (key[i + 2] & 0xffL) << 16; // fall through
            case 2: h ^= (key[i + 1] & 0xffL) << 8; // fall through
            case 1:
                h ^= key[i] & 0xffL;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /**
     * The register index (low 32 bits) and the length of the 000..1 pattern (high 32 bits) of
     * an element, as Redis's hllPatLen.
     */
    static long patLen(byte[] ele) {
        long hash = murmurHash64A(ele, 0, ele.length, SEED);
        long index = hash & P_MASK;
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return (long) count << 32 | index;
    }

    // ---------------------------------------------------------------- dense

    static int denseGet(byte[] a, int base, int regnum) {
        int bytePos = base + regnum * BITS / 8;
        int fb = regnum * BITS & 7;
        int fb8 = 8 - fb;
        int b0 = a[bytePos] & 0xff;
        int b1 = bytePos + 1 < a.length ? a[bytePos + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << fb8)) & REGISTER_MAX;
    }

    static void denseSetRaw(byte[] a, int base, int regnum, int val) {
        int bytePos = base + regnum * BITS / 8;
        int fb = regnum * BITS & 7;
        int fb8 = 8 - fb;
        a[bytePos] = (byte) ((a[bytePos] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (bytePos + 1 < base + DENSE_SIZE - HDR_SIZE) {
            a[bytePos + 1] = (byte) ((a[bytePos + 1] & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8));
        }
    }

    /** Sets a dense register to {@code count} if larger: 1 if changed, else 0. */
    static int denseSet(byte[] a, int index, int count) {
        if (count > denseGet(a, HDR_SIZE, index)) {
            denseSetRaw(a, HDR_SIZE, index, count);
            return 1;
        }
        return 0;
    }

    /** The value of register {@code regnum} of a dense HLL. */
    public static int denseRegister(RawString s, int regnum) {
        return denseGet(s.array(), HDR_SIZE, regnum);
    }

    // ---------------------------------------------------------------- sparse

    private static boolean isZero(byte b) {
        return (b & 0xc0) == 0;
    }

    private static boolean isXZero(byte b) {
        return (b & 0xc0) == 0x40;
    }

    private static boolean isVal(byte b) {
        return (b & 0x80) != 0;
    }

    private static int zeroLen(byte b) {
        return (b & 0x3f) + 1;
    }

    /**
     * The run length of the XZERO opcode at p. A truncated opcode (last byte of the value) reads
     * its second byte as 0, as Redis reads the sds string's terminating NUL.
     */
    private static int xzeroLen(byte[] a, int p, int end) {
        int lo = p + 1 < end ? a[p + 1] & 0xff : 0;
        return (((a[p] & 0x3f) << 8) | lo) + 1;
    }

    private static int valValue(byte b) {
        return ((b >> 2) & 0x1f) + 1;
    }

    private static int valLen(byte b) {
        return (b & 0x3) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (((value - 1) << 2 | (len - 1)) | 0x80);
    }

    private static void setXZero(byte[] a, int p, int len) {
        int l = len - 1;
        a[p] = (byte) ((l >> 8) | 0x40);
        a[p + 1] = (byte) (l & 0xff);
    }

    /** Converts a sparse HLL to dense in place; false if the sparse data is corrupt. */
    public static boolean sparseToDense(RawString s) {
        byte[] a = s.array();
        if ((a[4] & 0xff) == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(a, 0, dense, 0, HDR_SIZE);
        dense[4] = DENSE;
        int idx = 0;
        int p = HDR_SIZE, end = s.length();
        while (p < end) {
            byte op = a[p];
            if (isZero(op)) {
                idx += zeroLen(op);
                p++;
            } else if (isXZero(op)) {
                idx += xzeroLen(a, p, end);
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + idx > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    denseSetRaw(dense, HDR_SIZE, idx, regval);
                    idx++;
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        s.replace(dense);
        return true;
    }

    /**
     * Sets a sparse register to {@code count} if larger, as Redis's hllSparseSet: 1 if
     * changed, 0 if not, -1 if the representation is corrupt. May promote to dense.
     */
    static int sparseSet(RawString s, int index, int count, long sparseMaxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promote(s, index, count);
        }
        byte[] a = s.array();
        int sparse = HDR_SIZE;
        int p = sparse;
        int end = s.length();
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int oplen = 1;
            byte op = a[p];
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (isVal(op)) {
                span = valLen(op);
            } else {
                span = xzeroLen(a, p, end);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int next = isXZero(a[p]) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean isZero = false, isXZero = false, isVal = false;
        int runlen;
        if (isZero(a[p])) {
            isZero = true;
            runlen = zeroLen(a[p]);
        } else if (isXZero(a[p])) {
            isXZero = true;
            runlen = xzeroLen(a, p, end);
        } else {
            isVal = true;
            runlen = valLen(a[p]);
        }
        boolean updated = false;
        if (isVal) {
            int oldcount = valValue(a[p]);
            if (oldcount >= count) {
                return 0;
            }
            if (runlen == 1) {
                a[p] = val(count, 1);
                updated = true;
            }
        }
        if (!updated && isZero && runlen == 1) {
            a[p] = val(count, 1);
            updated = true;
        }
        if (!updated) {
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (isZero || isXZero) {
                if (index != first) {
                    int len = index - first;
                    if (len > SPARSE_ZERO_MAX_LEN) {
                        setXZero(seq, n, len);
                        n += 2;
                    } else {
                        seq[n++] = (byte) (len - 1);
                    }
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    int len = last - index;
                    if (len > SPARSE_ZERO_MAX_LEN) {
                        setXZero(seq, n, len);
                        n += 2;
                    } else {
                        seq[n++] = (byte) (len - 1);
                    }
                }
            } else {
                int curval = valValue(a[p]);
                if (index != first) {
                    seq[n++] = val(curval, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(curval, last - index);
                }
            }
            int oldlen = isXZero ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && (long) s.length() + delta > sparseMaxBytes) {
                return promote(s, index, count);
            }
            // A truncated last opcode may leave seq reaching past the new length: Redis writes
            // those bytes beyond the string's end, where they are not part of the value.
            int newLen = end + delta;
            s.ensureLength(Math.max(Math.max(end, newLen), p + n));
            a = s.array();
            if (next >= 0 && delta != 0) {
                System.arraycopy(a, next, a, next + delta, end - next);
            }
            System.arraycopy(seq, 0, a, p, n);
            s.truncate(newLen);
            end += delta;
        }
        // Merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev.
        p = prev >= 0 ? prev : sparse;
        int scanlen = 5;
        while (p < end && scanlen-- > 0) {
            if (isXZero(a[p])) {
                p += 2;
                continue;
            } else if (isZero(a[p])) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(a[p + 1])) {
                int v1 = valValue(a[p]);
                int v2 = valValue(a[p + 1]);
                if (v1 == v2) {
                    int len = valLen(a[p]) + valLen(a[p + 1]);
                    if (len <= SPARSE_VAL_MAX_LEN) {
                        a[p + 1] = val(v1, len);
                        System.arraycopy(a, p + 1, a, p, end - p - 1);
                        s.truncate(end - 1);
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache(s);
        return 1;
    }

    private static int promote(RawString s, int index, int count) {
        if (!sparseToDense(s)) {
            return -1;
        }
        int r = denseSet(s.array(), index, count);
        if (r != 1) {
            throw new IllegalStateException("dense set after promotion did not update");
        }
        return 1;
    }

    /** Adds an element: 1 if a register changed, 0 if not, -1 if the HLL is corrupt. */
    public static int add(RawString s, byte[] ele, long sparseMaxBytes) {
        long pl = patLen(ele);
        int index = (int) pl;
        int count = (int) (pl >>> 32);
        return set(s, index, count, sparseMaxBytes);
    }

    /**
     * Raises register {@code index} to {@code count} in either encoding (1, 0 or -1 as add); a
     * sparse HLL growing past {@code sparseMaxBytes} (hll-sparse-max-bytes) becomes dense.
     */
    public static int set(RawString s, int index, int count, long sparseMaxBytes) {
        return switch (encoding(s)) {
            case DENSE -> denseSet(s.array(), index, count);
            case SPARSE -> sparseSet(s, index, count, sparseMaxBytes);
            default -> -1;
        };
    }

    // ---------------------------------------------------------------- cache

    public static void invalidateCache(RawString s) {
        s.array()[15] |= (byte) 0x80;
    }

    public static boolean validCache(RawString s) {
        return (s.array()[15] & 0x80) == 0;
    }

    public static long cachedCardinality(RawString s) {
        byte[] a = s.array();
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = card << 8 | (a[8 + i] & 0xffL);
        }
        return card;
    }

    public static void storeCardinality(RawString s, long card) {
        byte[] a = s.array();
        for (int i = 0; i < 8; i++) {
            a[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ---------------------------------------------------------------- counting

    /** The register histogram of an HLL; false if sparse data does not cover all registers. */
    private static boolean histogram(RawString s, int[] reghisto) {
        byte[] a = s.array();
        if (encoding(s) == DENSE) {
            for (int j = 0; j < REGISTERS; j++) {
                reghisto[denseGet(a, HDR_SIZE, j)]++;
            }
            return true;
        }
        int idx = 0;
        int p = HDR_SIZE, end = s.length();
        while (p < end) {
            byte op = a[p];
            if (isZero(op)) {
                int runlen = zeroLen(op);
                idx += runlen;
                reghisto[0] += runlen;
                p++;
            } else if (isXZero(op)) {
                int runlen = xzeroLen(a, p, end);
                idx += runlen;
                reghisto[0] += runlen;
                p += 2;
            } else {
                int runlen = valLen(op);
                idx += runlen;
                reghisto[valValue(op)] += runlen;
                p++;
            }
        }
        return idx == REGISTERS;
    }

    /**
     * The estimated cardinality of one HLL (not using the cache), or -1 if the sparse data
     * is corrupt.
     */
    public static long count(RawString s) {
        int[] reghisto = new int[64];
        if (!histogram(s, reghisto)) {
            return -1;
        }
        return estimate(reghisto);
    }

    /** The estimated cardinality of raw registers, one byte each (PFCOUNT of several keys). */
    public static long countRaw(byte[] registers) {
        int[] reghisto = new int[64];
        for (byte r : registers) {
            reghisto[r & 63]++;
        }
        return estimate(reghisto);
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    private static long estimate(int[] reghisto) {
        double m = REGISTERS;
        double z = m * tau((m - reghisto[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += reghisto[j];
            z *= 0.5;
        }
        z += m * sigma(reghisto[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    /**
     * Merges an HLL into {@code max} (one byte per register, max[i] = MAX(max[i], reg[i])),
     * as Redis's hllMerge; false if the sparse data is corrupt.
     */
    public static boolean merge(byte[] max, RawString s) {
        byte[] a = s.array();
        if (encoding(s) == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(a, HDR_SIZE, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int i = 0;
        int p = HDR_SIZE, end = s.length();
        while (p < end) {
            byte op = a[p];
            if (isZero(op)) {
                int runlen = zeroLen(op);
                if (runlen + i > REGISTERS) {
                    return false;
                }
                i += runlen;
                p++;
            } else if (isXZero(op)) {
                int runlen = xzeroLen(a, p, end);
                if (runlen + i > REGISTERS) {
                    return false;
                }
                i += runlen;
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + i > REGISTERS) {
                    return false;
                }
                while (runlen-- > 0) {
                    if (regval > max[i]) {
                        max[i] = (byte) regval;
                    }
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /** PFDEBUG DECODE: the sparse opcodes as "z:len Z:len v:val,len", or null if dense. */
    public static String decode(RawString s) {
        if (encoding(s) != SPARSE) {
            return null;
        }
        byte[] a = s.array();
        StringBuilder sb = new StringBuilder();
        int p = HDR_SIZE, end = s.length();
        while (p < end) {
            byte op = a[p];
            if (isZero(op)) {
                sb.append("z:").append(zeroLen(op)).append(' ');
                p++;
            } else if (isXZero(op)) {
                int len = xzeroLen(a, p, end);
                sb.append("Z:").append(len).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
                p++;
            }
        }
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        return sb.substring(0, n);
    }

    /**
     * PFSELFTEST: register access on a dense array, then dense and sparse estimates checked
     * against each other and against the expected error. Null on success, else the failure text.
     */
    public static String selfTest(java.util.Random rnd, long sparseMaxBytes) {
        byte[] dense = new byte[DENSE_SIZE];
        int[] bytecounters = new int[REGISTERS];
        for (int j = 0; j < 1000; j++) {
            for (int i = 0; i < REGISTERS; i++) {
                int r = rnd.nextInt() & REGISTER_MAX;
                bytecounters[i] = r;
                denseSetRaw(dense, HDR_SIZE, i, r);
            }
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(dense, HDR_SIZE, i);
                if (v != bytecounters[i]) {
                    return "TESTFAILED Register " + i + " should be " + bytecounters[i] + " but is " + v;
                }
            }
        }
        java.util.Arrays.fill(dense, HDR_SIZE, DENSE_SIZE, (byte) 0);
        dense[0] = 'H';
        dense[1] = 'Y';
        dense[2] = 'L';
        dense[3] = 'L';
        RawString d = new RawString(dense);
        RawString o = new RawString(create());
        double relerr = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1;
        long seed = rnd.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000L; j++) {
            long e = j ^ seed;
            for (int b = 0; b < 8; b++) {
                ele[b] = (byte) (e >>> (8 * b));
            }
            add(d, ele, sparseMaxBytes);
            add(o, ele, sparseMaxBytes);
            if (j == checkpoint) {
                if (j < sparseMaxBytes / 2 && encoding(o) != SPARSE) {
                    return "TESTFAILED sparse encoding not used";
                }
                long dc = count(d);
                if (dc != count(o)) {
                    return "TESTFAILED dense/sparse disagree";
                }
                long abserr = Math.abs(checkpoint - dc);
                long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
                if (j == 10) {
                    maxerr = 1;
                }
                if (abserr > maxerr) {
                    return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
                }
                checkpoint *= 10;
            }
        }
        return null;
    }

    /** "HYLL" as bytes, for tests. */
    static final byte[] MAGIC = "HYLL".getBytes(StandardCharsets.US_ASCII);
}
