package dev.keydb.storage.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis's intset: sorted distinct integers packed in one {@code byte[]} at the narrowest width
 * (2, 4 or 8 bytes) that holds every member, upgraded in place when a wider value arrives and
 * never downgraded (as Redis). Binary search for lookups, shifting for inserts and deletes.
 */
final class IntSet {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] data;
    private int width = 2;
    private int count;

    IntSet() {
        data = new byte[8];
    }

    private IntSet(byte[] data, int width, int count) {
        this.data = data;
        this.width = width;
        this.count = count;
    }

    IntSet copy() {
        return new IntSet(Arrays.copyOf(data, Math.max(8, count * width)), width, count);
    }

    int size() {
        return count;
    }

    /** Bytes of the backing array (memory accounting). */
    int capacityBytes() {
        return data.length;
    }

    long get(int i) {
        return read(data, width, i);
    }

    private static long read(byte[] d, int width, int i) {
        return switch (width) {
            case 2 -> (short) SHORTS.get(d, i * 2);
            case 4 -> (int) INTS.get(d, i * 4);
            default -> (long) LONGS.get(d, i * 8);
        };
    }

    private static void write(byte[] d, int width, int i, long v) {
        switch (width) {
            case 2 -> SHORTS.set(d, i * 2, (short) v);
            case 4 -> INTS.set(d, i * 4, (int) v);
            default -> LONGS.set(d, i * 8, v);
        }
    }

    private static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 4;
        }
        return 8;
    }

    /** Index of {@code v}, or {@code -(insertion point) - 1}. */
    int indexOf(long v) {
        if (widthFor(v) > width) {
            return v < 0 ? -1 : -(count + 1);
        }
        int lo = 0, hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = read(data, width, mid);
            if (m < v) {
                lo = mid + 1;
            } else if (m > v) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    boolean add(long v) {
        int w = widthFor(v);
        if (w > width) {
            upgrade(w);
        }
        int i = indexOf(v);
        if (i >= 0) {
            return false;
        }
        int at = -i - 1;
        int needed = (count + 1) * width;
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, data.length + (data.length >> 1)));
        }
        System.arraycopy(data, at * width, data, (at + 1) * width, (count - at) * width);
        write(data, width, at, v);
        count++;
        return true;
    }

    private void upgrade(int newWidth) {
        byte[] nd = new byte[Math.max(8, (count + 1) * newWidth)];
        for (int i = 0; i < count; i++) {
            write(nd, newWidth, i, read(data, width, i));
        }
        data = nd;
        width = newWidth;
    }

    void removeAt(int i) {
        System.arraycopy(data, (i + 1) * width, data, i * width, (count - i - 1) * width);
        count--;
        if (data.length > 64 && count * width < data.length / 4) {
            data = Arrays.copyOf(data, Math.max(8, count * width * 2));
        }
    }

    boolean remove(long v) {
        int i = indexOf(v);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }
}
