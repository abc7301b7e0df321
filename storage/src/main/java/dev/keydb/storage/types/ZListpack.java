package dev.keydb.storage.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The compact encoding of a small sorted set, Redis's listpack in spirit: one {@code byte[]}
 * holding entries back to back in (score, member) order, each
 * {@code [member length as LEB128 varint][member bytes][score as 8 raw IEEE bytes]}.
 * Positions are byte offsets; walking is linear, which is what the size thresholds allow.
 */
final class ZListpack {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int used;
    private int count;

    ZListpack(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private ZListpack(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    ZListpack copy() {
        return new ZListpack(Arrays.copyOf(buf, Math.max(16, used)), used, count);
    }

    int size() {
        return count;
    }


    /** Offset one past the last entry (the offset of a non-existent entry after the tail). */
    int end() {
        return used;
    }

    byte[] buffer() {
        return buf;
    }

    int lenAt(int off) {
        int v = 0, shift = 0;
        while (true) {
            int b = buf[off++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    int dataAt(int off) {
        while (buf[off] < 0) {
            off++;
        }
        return off + 1;
    }

    int next(int off) {
        return dataAt(off) + lenAt(off) + 8;
    }

    double scoreAt(int off) {
        return Double.longBitsToDouble((long) LONG.get(buf, dataAt(off) + lenAt(off)));
    }

    byte[] memberAt(int off) {
        int d = dataAt(off);
        return Arrays.copyOfRange(buf, d, d + lenAt(off));
    }

    int compareMember(int off, byte[] m) {
        int d = dataAt(off);
        return Arrays.compareUnsigned(buf, d, d + lenAt(off), m, 0, m.length);
    }

    boolean memberEquals(int off, byte[] m) {
        int len = lenAt(off);
        if (len != m.length) {
            return false;
        }
        int d = dataAt(off);
        return Arrays.equals(buf, d, d + len, m, 0, len);
    }

    /** Offset of the entry with this index. */
    int offsetOf(long index) {
        int off = 0;
        for (long i = 0; i < index; i++) {
            off = next(off);
        }
        return off;
    }

    /** Offsets of every entry, in order (for backward walks). */
    int[] offsets() {
        int[] out = new int[count];
        for (int i = 0, off = 0; i < count; i++, off = next(off)) {
            out[i] = off;
        }
        return out;
    }

    /** Index of the member, or -1. */
    int find(byte[] member) {
        for (int i = 0, off = 0; i < count; i++, off = next(off)) {
            if (memberEquals(off, member)) {
                return i;
            }
        }
        return -1;
    }

    private static int varintSize(int v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Inserts at the position (score, member) order gives; the member must be absent. */
    void insert(byte[] member, double score) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            double s = scoreAt(off);
            if (s > score || (s == score && compareMember(off, member) > 0)) {
                break;
            }
            off = next(off);
        }
        int entry = varintSize(member.length) + member.length + 8;
        if (used + entry > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(used + entry, buf.length + (buf.length >> 1)));
        }
        System.arraycopy(buf, off, buf, off + entry, used - off);
        int p = off;
        int v = member.length;
        while (v >= 0x80) {
            buf[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buf[p++] = (byte) v;
        System.arraycopy(member, 0, buf, p, member.length);
        LONG.set(buf, p + member.length, Double.doubleToRawLongBits(score));
        used += entry;
        count++;
    }

    /** Removes {@code n} entries starting at offset {@code from}. */
    void delete(int from, int n) {
        int to = from;
        for (int i = 0; i < n; i++) {
            to = next(to);
        }
        System.arraycopy(buf, to, buf, from, used - to);
        used -= to - from;
        count -= n;
        if (buf.length > 64 && used < buf.length / 4) {
            buf = Arrays.copyOf(buf, Math.max(16, used + (used >> 1)));
        }
    }

    /** Bytes held (for memory accounting). */
    int capacity() {
        return buf.length;
    }
}
