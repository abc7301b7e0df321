package dev.keydb.storage.rdb;

/**
 * LZF (liblzf's format, as Redis stores compressed RDB strings). A control byte below 32 starts
 * a run of that many plus one literals; otherwise its top three bits are a match length minus
 * two (7 = an extra length byte follows) and its low five bits the high bits of the distance
 * minus one, whose low byte follows.
 */
public final class Lzf {
    private static final int HLOG = 14;
    private static final int MAX_LIT = 32;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private static final ThreadLocal<int[]> TABLE = ThreadLocal.withInitial(() -> new int[1 << HLOG]);

    private Lzf() {}

    /**
     * Compresses {@code in[inOff, inOff+inLen)} into {@code out[outOff, outOff+outLen)}; returns
     * the compressed length, or 0 when it does not fit (the caller stores the data as it is).
     */
    public static int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (inLen == 0 || outLen < 2) {
            return 0;
        }
        // Reused without clearing, as liblzf does: a stale entry is only a candidate, checked
        // against the current input (it must point before ip and match three bytes).
        int[] htab = TABLE.get();
        int ip = inOff, inEnd = inOff + inLen;
        int op = outOff, outEnd = outOff + outLen;
        int lit = 0;
        op++; // control byte of the first literal run
        while (ip + 2 < inEnd) {
            int v = ((in[ip] & 0xff) << 16) | ((in[ip + 1] & 0xff) << 8) | (in[ip + 2] & 0xff);
            int h = ((v * 0x9E3779B1) >>> (32 - HLOG));
            int ref = htab[h];
            htab[h] = ip;
            int off;
            if (ref >= inOff && ref < ip && (off = ip - ref - 1) < MAX_OFF
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int maxLen = Math.min(MAX_REF, inEnd - ip);
                int len = 3;
                while (len < maxLen && in[ref + len] == in[ip + len]) {
                    len++;
                }
                if (op + 3 + 1 > outEnd) {
                    return 0;
                }
                if (lit > 0) {
                    out[op - lit - 1] = (byte) (lit - 1);
                } else {
                    op--; // no literals: drop the reserved control byte
                }
                int l = len - 2;
                if (l < 7) {
                    out[op++] = (byte) ((l << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (l - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // control byte of the next literal run
                ip += len;
                // Index the positions inside the match cheaply: the last two only.
                for (int p = Math.max(ip - 2, ref + 1); p < ip && p + 2 < inEnd; p++) {
                    int w = ((in[p] & 0xff) << 16) | ((in[p + 1] & 0xff) << 8) | (in[p + 2] & 0xff);
                    htab[(w * 0x9E3779B1) >>> (32 - HLOG)] = p;
                }
                continue;
            }
            if (op + 1 >= outEnd) {
                return 0;
            }
            out[op++] = in[ip++];
            if (++lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (MAX_LIT - 1);
                lit = 0;
                op++;
            }
        }
        while (ip < inEnd) {
            if (op + 1 >= outEnd) {
                return 0;
            }
            out[op++] = in[ip++];
            if (++lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (MAX_LIT - 1);
                lit = 0;
                op++;
            }
        }
        if (lit > 0) {
            out[op - lit - 1] = (byte) (lit - 1);
        } else {
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
