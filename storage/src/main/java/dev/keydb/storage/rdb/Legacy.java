package dev.keydb.storage.rdb;

import dev.keydb.storage.Numbers;
import java.util.Arrays;
import java.util.function.Consumer;

/** Readers of the encodings older RDB versions store: ziplist, zipmap and intset blobs. */
final class Legacy {
    private Legacy() {}

    /** Visits every element of a ziplist (integers as decimal digits); returns the count. */
    static int ziplist(byte[] zl, Consumer<byte[]> out) throws RdbException {
        if (zl.length < 11) {
            throw new RdbException("ziplist shorter than its header");
        }
        if (Listpack.le(zl, 0, 4) != zl.length) {
            throw new RdbException("ziplist header size does not match its length");
        }
        int declared = (int) Listpack.le(zl, 8, 2);
        int p = 10, end = zl.length - 1, n = 0;
        while (p < end) {
            // prevlen
            int first = zl[p] & 0xff;
            p += first < 254 ? 1 : 5;
            if (p >= end) {
                throw new RdbException("ziplist entry past the end of the ziplist");
            }
            int b = zl[p] & 0xff;
            switch (b >>> 6) {
                case 0 -> p = string(zl, p + 1, b & 0x3F, end, out);
                case 1 -> {
                    check(p, 2, end);
                    p = string(zl, p + 2, ((b & 0x3F) << 8) | (zl[p + 1] & 0xff), end, out);
                }
                case 2 -> {
                    check(p, 5, end);
                    long len = ((long) (zl[p + 1] & 0xff) << 24) | ((zl[p + 2] & 0xff) << 16) | ((zl[p + 3] & 0xff) << 8) | (zl[p + 4] & 0xff);
                    if (len > Integer.MAX_VALUE) {
                        throw new RdbException("ziplist string too long");
                    }
                    p = string(zl, p + 5, (int) len, end, out);
                }
                default -> {
                    int w;
                    switch (b) {
                        case 0xC0 -> w = 2;
                        case 0xD0 -> w = 4;
                        case 0xE0 -> w = 8;
                        case 0xF0 -> w = 3;
                        case 0xFE -> w = 1;
                        default -> {
                            if (b >= 0xF1 && b <= 0xFD) {
                                out.accept(Numbers.toBytes((b & 0x0F) - 1));
                                p += 1;
                                n++;
                                continue;
                            }
                            throw new RdbException("ziplist entry with invalid encoding byte 0x" + Integer.toHexString(b));
                        }
                    }
                    check(p, 1 + w, end);
                    long v = Listpack.le(zl, p + 1, w);
                    v = (v << (64 - 8 * w)) >> (64 - 8 * w);
                    out.accept(Numbers.toBytes(v));
                    p += 1 + w;
                }
            }
            n++;
        }
        if (p != end || (zl[end] & 0xff) != 0xFF) {
            throw new RdbException("ziplist without its terminator");
        }
        if (declared != 65535 && declared != n) {
            throw new RdbException("ziplist header count does not match its entries");
        }
        return n;
    }

    /** Visits the keys and values of a zipmap, alternately. */
    static void zipmap(byte[] zm, Consumer<byte[]> out) throws RdbException {
        int p = 1, end = zm.length;
        while (true) {
            if (p >= end) {
                throw new RdbException("zipmap without its terminator");
            }
            if ((zm[p] & 0xff) == 0xFF) {
                break;
            }
            long[] r = zipmapLen(zm, p);
            p = (int) r[1];
            p = string(zm, p, (int) r[0], end, out);
            if (p >= end) {
                throw new RdbException("zipmap entry past its end");
            }
            r = zipmapLen(zm, p);
            p = (int) r[1];
            if (p >= end) {
                throw new RdbException("zipmap entry past its end");
            }
            int free = zm[p++] & 0xff;
            p = string(zm, p, (int) r[0], end, out);
            p += free;
        }
    }

    private static long[] zipmapLen(byte[] zm, int p) throws RdbException {
        int b = zm[p] & 0xff;
        if (b < 254) {
            return new long[] {b, p + 1};
        }
        if (b == 254) {
            check(p, 5, zm.length);
            return new long[] {Listpack.le(zm, p + 1, 4), p + 5};
        }
        throw new RdbException("zipmap with an invalid length byte");
    }

    /** The members of an intset blob, ascending as stored. */
    static long[] intset(byte[] is) throws RdbException {
        if (is.length < 8) {
            throw new RdbException("intset shorter than its header");
        }
        long enc = Listpack.le(is, 0, 4);
        long count = Listpack.le(is, 4, 4);
        if (enc != 2 && enc != 4 && enc != 8) {
            throw new RdbException("intset with invalid encoding " + enc);
        }
        if (8 + count * enc != is.length) {
            throw new RdbException("intset length does not match its count");
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            long v = Listpack.le(is, 8 + i * (int) enc, (int) enc);
            int shift = 64 - 8 * (int) enc;
            out[i] = (v << shift) >> shift;
            if (i > 0 && out[i] <= out[i - 1]) {
                throw new RdbException("intset members are not sorted and distinct");
            }
        }
        return out;
    }

    /** An intset blob of sorted distinct members at the narrowest width that holds them. */
    static byte[] intsetBytes(long[] sorted) {
        int w = 2;
        for (long v : sorted) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                w = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                w = 4;
            }
        }
        byte[] out = new byte[8 + sorted.length * w];
        put(out, 0, w, 4);
        put(out, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) {
            put(out, 8 + i * w, sorted[i], w);
        }
        return out;
    }

    private static void put(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static int string(byte[] b, int p, int len, int end, Consumer<byte[]> out) throws RdbException {
        if ((long) p + len > end) {
            throw new RdbException("string past the end of its container");
        }
        out.accept(Arrays.copyOfRange(b, p, p + len));
        return p + len;
    }

    private static void check(int p, int n, int end) throws RdbException {
        if ((long) p + n > end) {
            throw new RdbException("entry past the end of its container");
        }
    }
}
