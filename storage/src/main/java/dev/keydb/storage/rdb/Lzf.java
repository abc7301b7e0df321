package dev.keydb.storage.rdb;

/**
 * LZF (liblzf's format, as Redis stores compressed RDB strings). A control byte below 32 starts
 * a run of that many plus one literals; otherwise its top three bits are a match length minus
 * two (7 = an extra length byte follows) and its low five bits the high bits of the distance
 * minus one, whose low byte follows.
 *
 * <p>The compressor is liblzf's lzf_compress as Redis builds it (lzfP.h: HLOG 16, VERY_FAST,
 * hash slots holding offsets from the input's start, the table not cleared between calls), so
 * for the same input it emits the same bytes as Redis: a stale slot from an earlier call is
 * only a candidate, verified against the current input, as in Redis, whose table lives on the
 * stack and keeps what the previous call left there.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private static final ThreadLocal<int[]> TABLE = ThreadLocal.withInitial(() -> new int[HSIZE]);

    private Lzf() {}

    /** liblzf's IDX for VERY_FAST: a multiplicative-style hash of the last four bytes seen. */
    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in[inOff, inOff+inLen)} into {@code out[outOff, outOff+outLen)}; returns
     * the compressed length, or 0 when it does not fit (the caller stores the data as it is).
     */
    public static int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (inLen == 0 || outLen == 0) {
            return 0;
        }
        int[] htab = TABLE.get();
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = outOff;
        int outEnd = outOff + outLen;
        int lit = 0;
        op++; // start run
        int hval = inLen >= 2 ? ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff) : 0;
        while (ip < inEnd - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xff);
            int slot = idx(hval);
            int ref = htab[slot] + inOff;
            htab[slot] = ip - inOff;
            long off = (long) ip - ref - 1;          // unsigned in liblzf: a ref at or after ip never qualifies
            if (off >= 0 && off < MAX_OFF && ref > inOff
                    && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxlen = Math.min(inEnd - ip - len, MAX_REF);
                if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) {
                    return 0;
                }
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                if (lit == 0) {
                    op--;                             // undo run if length is zero
                }
                // liblzf's unrolled comparison: up to 16 bytes before the bound is looked at
                boolean done = false;
                if (maxlen > 16) {
                    for (int k = 0; k < 16; k++) {
                        len++;
                        if (in[ref + len] != in[ip + len]) {
                            done = true;
                            break;
                        }
                    }
                }
                if (!done) {
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                // VERY_FAST: hash the two positions before the new one
                ip -= 2;
                hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                htab[idx(hval)] = ip - inOff;
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                htab[idx(hval)] = ip - inOff;
                ip++;
            } else {
                if (op >= outEnd) {
                    return 0;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1); // stop run
                    lit = 0;
                    op++; // start run
                }
            }
        }
        if (op + 3 > outEnd) { // at most 3 bytes can be missing here
            return 0;
        }
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        if (lit == 0) {
            op--;
        }
        return op - outOff;
    }

    /** Decompresses into a new array of exactly {@code outLen} bytes; throws on corrupt input. */
    public static byte[] decompress(byte[] in, int inOff, int inLen, int outLen) throws RdbException {
        byte[] out = new byte[outLen];
        int ip = inOff, inEnd = inOff + inLen, op = 0;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int n = ctrl + 1;
                if (op + n > outLen) {
                    throw new RdbException("LZF data expands past its declared length");
                }
                if (ip + n > inEnd) {
                    throw new RdbException("LZF literal run past the end of the compressed data");
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= inEnd) {
                        throw new RdbException("LZF back reference past the end of the compressed data");
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= inEnd) {
                    throw new RdbException("LZF back reference past the end of the compressed data");
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (op + len > outLen) {
                    throw new RdbException("LZF data expands past its declared length");
                }
                if (ref < 0) {
                    throw new RdbException("LZF back reference before the start of the data");
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new RdbException("LZF data is shorter than its declared length");
        }
        return out;
    }
}
