package dev.keydb.storage.rdb;

import dev.keydb.storage.Numbers;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Redis's listpack, as serialized in RDB files: a 6-byte header (total bytes, element count,
 * little endian; count 65535 = unknown), entries of [encoding+data][backlen], and a 0xFF
 * terminator. Strings that are canonical integers are stored in the narrowest integer encoding,
 * as lpAppend does.
 */
public final class Listpack {
    private static final int HEADER = 6;

    private byte[] buf = new byte[64];
    private int pos = HEADER;
    private int count;

    /** Bytes the listpack would take now (header, entries, terminator). */
    public int bytes() {
        return pos + 1;
    }

    public int count() {
        return count;
    }

    private void ensure(int n) {
        if (pos + n + 1 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n + 1));
        }
    }

    public void add(byte[] s) {
        add(s, 0, s.length);
    }

    public void add(byte[] s, int off, int len) {
        if (Numbers.isStrictLong(s, off, len)) {
            add(Numbers.parseDigits(s, off, len));
            return;
        }
        ensure(len + 10);
        int start = pos;
        if (len < 64) {
            buf[pos++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            buf[pos++] = (byte) (0xE0 | (len >>> 8));
            buf[pos++] = (byte) len;
        } else {
            buf[pos++] = (byte) 0xF0;
            putLe(len, 4);
        }
        System.arraycopy(s, off, buf, pos, len);
        pos += len;
        backlen(pos - start);
    }

    public void add(long v) {
        ensure(20);
        int start = pos;
        if (v >= 0 && v <= 127) {
            buf[pos++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1L << 13) + v : v;
            buf[pos++] = (byte) (0xC0 | (u >>> 8));
            buf[pos++] = (byte) u;
        } else if (v >= -32768 && v <= 32767) {
            buf[pos++] = (byte) 0xF1;
            putLe(v, 2);
        } else if (v >= -8388608 && v <= 8388607) {
            buf[pos++] = (byte) 0xF2;
            putLe(v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            buf[pos++] = (byte) 0xF3;
            putLe(v, 4);
        } else {
            buf[pos++] = (byte) 0xF4;
            putLe(v, 8);
        }
        backlen(pos - start);
    }

    private void putLe(long v, int n) {
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    /** lpEncodeBacklen: the entry length in 7-bit groups, most significant first, all but the first with bit 7 set. */
    private void backlen(int l) {
        count++;
        if (l <= 127) {
            buf[pos++] = (byte) l;
        } else if (l < 16383) {
            buf[pos++] = (byte) (l >>> 7);
            buf[pos++] = (byte) ((l & 127) | 128);
        } else if (l < 2097151) {
            buf[pos++] = (byte) (l >>> 14);
            buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
            buf[pos++] = (byte) ((l & 127) | 128);
        } else if (l < 268435455) {
            buf[pos++] = (byte) (l >>> 21);
            buf[pos++] = (byte) (((l >>> 14) & 127) | 128);
            buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
            buf[pos++] = (byte) ((l & 127) | 128);
        } else {
            buf[pos++] = (byte) (l >>> 28);
            buf[pos++] = (byte) (((l >>> 21) & 127) | 128);
            buf[pos++] = (byte) (((l >>> 14) & 127) | 128);
            buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
            buf[pos++] = (byte) ((l & 127) | 128);
        }
    }

    private static int backlenSize(int l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** Empties the listpack for reuse (the RDB writer encodes many values with one). */
    public void reset() {
        pos = HEADER;
        count = 0;
    }

    /**
     * Completes header and terminator in the internal buffer and returns the serialized length;
     * the bytes are {@link #buffer()}[0, length) until the next change.
     */
    public int finish() {
        ensure(0);
        buf[pos] = (byte) 0xFF;
        int total = pos + 1;
        for (int i = 0; i < 4; i++) {
            buf[i] = (byte) (total >>> (8 * i));
        }
        int n = Math.min(count, 65535);
        buf[4] = (byte) n;
        buf[5] = (byte) (n >>> 8);
        return total;
    }

    public byte[] buffer() {
        return buf;
    }

    /** The serialized listpack. */
    public byte[] toBytes() {
        byte[] out = Arrays.copyOf(buf, pos + 1);
        out[pos] = (byte) 0xFF;
        int total = pos + 1;
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (total >>> (8 * i));
        }
        int n = Math.min(count, 65535);
        out[4] = (byte) n;
        out[5] = (byte) (n >>> 8);
        return out;
    }

    @Override
    public String toString() {
        return "Listpack(" + count + " entries, " + bytes() + " bytes)";
    }

    /**
     * Visits every element of a serialized listpack as bytes (integers as their decimal
     * digits), validating the header, every entry's bounds and back-length, the terminator and
     * the element count. Returns the number of elements.
     */
    public static int forEach(byte[] lp, Consumer<byte[]> out) throws RdbException {
        if (lp.length < HEADER + 1) {
            throw new RdbException("listpack shorter than its header");
        }
        long total = le(lp, 0, 4);
        if (total != lp.length) {
            throw new RdbException("listpack header size " + total + " does not match its length " + lp.length);
        }
        int declared = (int) le(lp, 4, 2);
        int p = HEADER, n = 0, end = lp.length - 1;
        while (p < end) {
            int b = lp[p] & 0xff;
            int start = p;
            if ((b & 0x80) == 0) {
                out.accept(Numbers.toBytes(b));
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3F;
                p = string(lp, p + 1, len, end, out);
            } else if ((b & 0xE0) == 0xC0) {
                need(lp, p, 2, end);
                long v = ((b & 0x1F) << 8) | (lp[p + 1] & 0xff);
                if (v >= 1 << 12) {
                    v -= 1 << 13;
                }
                out.accept(Numbers.toBytes(v));
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(lp, p, 2, end);
                int len = ((b & 0x0F) << 8) | (lp[p + 1] & 0xff);
                p = string(lp, p + 2, len, end, out);
            } else if (b == 0xF0) {
                need(lp, p, 5, end);
                long len = le(lp, p + 1, 4);
                if (len > Integer.MAX_VALUE) {
                    throw new RdbException("listpack string too long");
                }
                p = string(lp, p + 5, (int) len, end, out);
            } else if (b >= 0xF1 && b <= 0xF4) {
                int w = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(lp, p, 1 + w, end);
                long v = le(lp, p + 1, w);
                if (w < 8) {
                    v = (v << (64 - 8 * w)) >> (64 - 8 * w);
                }
                out.accept(Numbers.toBytes(v));
                p += 1 + w;
            } else {
                throw new RdbException("listpack entry with invalid encoding byte 0x" + Integer.toHexString(b));
            }
            int l = p - start;
            int bl = backlenSize(l);
            need(lp, p, bl, end);
            if (decodeBacklen(lp, p, bl) != l) {
                throw new RdbException("listpack entry with a wrong back-length");
            }
            p += bl;
            n++;
        }
        if (p != end || (lp[end] & 0xff) != 0xFF) {
            throw new RdbException("listpack without its terminator");
        }
        if (declared != 65535 && declared != n) {
            throw new RdbException("listpack header count " + declared + " does not match its " + n + " entries");
        }
        return n;
    }

    private static long decodeBacklen(byte[] lp, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 7) | (lp[p + i] & 127);
        }
        return v;
    }

    private static int string(byte[] lp, int p, int len, int end, Consumer<byte[]> out) throws RdbException {
        if ((long) p + len > end) {
            throw new RdbException("listpack string past the end of the listpack");
        }
        out.accept(Arrays.copyOfRange(lp, p, p + len));
        return p + len;
    }

    private static void need(byte[] lp, int p, int n, int end) throws RdbException {
        if ((long) p + n > end) {
            throw new RdbException("listpack entry past the end of the listpack");
        }
    }

    static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
