package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.OpenKeyTable;
import dev.keydb.storage.ValueType;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A hash value with Redis 7.0's two encodings.
 *
 * <ul>
 *   <li><b>listpack</b>: one {@code byte[]} holding field, value, field, value... each as a
 *       varint length followed by the bytes, in insertion order (as Redis's listpack, so small
 *       hashes reply in the same order Redis does). Used while the hash has at most
 *       {@code hash-max-listpack-entries} fields and no field or value is longer than
 *       {@code hash-max-listpack-value} bytes.</li>
 *   <li><b>hashtable</b>: an {@link OpenKeyTable} of fields with a parallel {@code byte[][]}
 *       of values. A hash never converts back, as in Redis.</li>
 * </ul>
 *
 * Fields and values passed in are stored by reference in the hashtable encoding: callers hand
 * over arrays they do not modify afterwards.
 */
public final class HashValue extends AccountedValue implements ValueType.Typed {
    /** Redis 7.0 defaults. */
    public static final int DEFAULT_MAX_LISTPACK_ENTRIES = 128;
    public static final int DEFAULT_MAX_LISTPACK_VALUE = 64;

    private byte[] lp = new byte[16];
    private int lpUsed;
    private int lpPairs;
    private Table table;

    /** Receives one field/value pair as slices, without copying. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] fb, int fo, int fl, byte[] vb, int vo, int vl);
    }

    public HashValue() {}

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    /** The hash table of the hashtable (or skiplist) encoding, null in a compact one (DEBUG HTSTATS-KEY). */
    public dev.keydb.storage.OpenKeyTable hashtable() {
        return table;
    }

    @Override
    public String encoding() {
        return table == null ? "listpack" : "hashtable";
    }

    public boolean isListpack() {
        return table == null;
    }

    public int size() {
        return table == null ? lpPairs : table.size();
    }

    /** A deep copy (the byte arrays of the hashtable encoding are immutable, so they are shared). */
    public HashValue copy() {
        HashValue h = new HashValue();
        if (table == null) {
            h.lp = Arrays.copyOf(lp, Math.max(lpUsed, 16));
            h.lpUsed = lpUsed;
            h.lpPairs = lpPairs;
        } else {
            h.lp = null;
            h.table = table.copy();
        }
        return h;
    }

    // ---------------------------------------------------------------- listpack primitives

    private static int headerSize(int len) {
        if (len < (1 << 7)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        if (len < (1 << 21)) {
            return 3;
        }
        if (len < (1 << 28)) {
            return 4;
        }
        return 5;
    }

    /** Length stored at {@code off}. */
    private int lenAt(int off) {
        byte[] b = lp;
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[off++];
            v |= (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    private static int writeLen(byte[] b, int off, int len) {
        while (len >= 0x80) {
            b[off++] = (byte) (len | 0x80);
            len >>>= 7;
        }
        b[off++] = (byte) len;
        return off;
    }

    /** Offset just past the element at {@code off}. */
    private int next(int off) {
        int len = lenAt(off);
        return off + headerSize(len) + len;
    }

    /** Offset of the field element equal to {@code field}, or -1. */
    private int lpFind(byte[] field) {
        byte[] b = lp;
        int off = 0, end = lpUsed;
        while (off < end) {
            int len = lenAt(off);
            int data = off + headerSize(len);
            if (len == field.length && Arrays.equals(b, data, data + len, field, 0, len)) {
                return off;
            }
            off = next(data + len); // skip the value
        }
        return -1;
    }

    private byte[] lpSlice(int off) {
        int len = lenAt(off);
        int data = off + headerSize(len);
        return Arrays.copyOfRange(lp, data, data + len);
    }

    private void ensureCapacity(int needed) {
        if (needed > lp.length) {
            lp = Arrays.copyOf(lp, Math.max(needed, lp.length + (lp.length >> 1)));
        }
    }

    /** Replaces {@code [from, to)} of the listpack with the element {@code data}. */
    private void lpReplace(int from, int to, byte[] data) {
        int newLen = headerSize(data.length) + data.length;
        int delta = newLen - (to - from);
        ensureCapacity(lpUsed + delta);
        System.arraycopy(lp, to, lp, to + delta, lpUsed - to);
        int p = writeLen(lp, from, data.length);
        System.arraycopy(data, 0, lp, p, data.length);
        lpUsed += delta;
    }

    private void lpAppend(byte[] data) {
        ensureCapacity(lpUsed + headerSize(data.length) + data.length);
        int p = writeLen(lp, lpUsed, data.length);
        System.arraycopy(data, 0, lp, p, data.length);
        lpUsed = p + data.length;
    }

    private void convertToTable() {
        Table t = new Table(lpPairs * 4 / 3 + 2);
        int off = 0;
        while (off < lpUsed) {
            byte[] f = lpSlice(off);
            off = next(off);
            byte[] v = lpSlice(off);
            off = next(off);
            t.put(f, v);
        }
        table = t;
        lp = null;
        lpUsed = 0;
        lpPairs = 0;
    }

    /** Converts to the hashtable encoding (tests, DEBUG). */
    public void convertToHashtable() {
        if (table == null) {
            convertToTable();
        }
    }

    // ---------------------------------------------------------------- operations

    /** The value of {@code field} (a copy in the listpack encoding), or null. */
    public byte[] get(byte[] field) {
        if (table != null) {
            return table.get(field);
        }
        int off = lpFind(field);
        return off < 0 ? null : lpSlice(next(off));
    }

    public boolean contains(byte[] field) {
        return table != null ? table.contains(field) : lpFind(field) >= 0;
    }

    /** Length of the value of {@code field}, or -1 when absent (HSTRLEN). */
    public int valueLength(byte[] field) {
        if (table != null) {
            byte[] v = table.get(field);
            return v == null ? -1 : v.length;
        }
        int off = lpFind(field);
        return off < 0 ? -1 : lenAt(next(off));
    }

    /**
     * Sets {@code field} to {@code value}, converting to the hashtable encoding when either is
     * longer than {@code maxValue} or the hash grows past {@code maxEntries} fields.
     * Returns true when the field is new.
     */
    public boolean put(byte[] field, byte[] value, int maxEntries, int maxValue) {
        if (table == null && (field.length > maxValue || value.length > maxValue)) {
            convertToTable();
        }
        if (table != null) {
            return table.put(field, value);
        }
        int off = lpFind(field);
        if (off >= 0) {
            int voff = next(off);
            lpReplace(voff, next(voff), value);
            return false;
        }
        lpAppend(field);
        lpAppend(value);
        lpPairs++;
        if (lpPairs > maxEntries) {
            convertToTable();
        }
        return true;
    }

    /** Removes {@code field}; returns whether it was present. */
    public boolean remove(byte[] field) {
        if (table != null) {
            return table.remove(field);
        }
        int off = lpFind(field);
        if (off < 0) {
            return false;
        }
        int end = next(next(off));
        System.arraycopy(lp, end, lp, off, lpUsed - end);
        lpUsed -= end - off;
        lpPairs--;
        if (lp.length > 64 && lpUsed < lp.length / 4) {
            lp = Arrays.copyOf(lp, Math.max(16, lpUsed * 2));
        }
        return true;
    }

    /** Visits every pair (listpack: insertion order); the hash must not change meanwhile. */
    public void forEach(EntryVisitor v) {
        if (table != null) {
            table.forEachEntry(v);
            return;
        }
        byte[] b = lp;
        int off = 0;
        while (off < lpUsed) {
            int fl = lenAt(off);
            int fo = off + headerSize(fl);
            int vh = fo + fl;
            int vl = lenAt(vh);
            int vo = vh + headerSize(vl);
            v.visit(b, fo, fl, b, vo, vl);
            off = vo + vl;
        }
    }

    /**
     * One HSCAN step: the listpack encoding visits everything and returns 0; the hashtable
     * visits buckets until {@code count} pairs were seen or {@code count * 10} buckets were
     * scanned, as Redis's scanGenericCommand.
     */
    public long scan(long cursor, long count, EntryVisitor v) {
        if (table == null) {
            forEach(v);
            return 0;
        }
        return table.scanEntries(cursor, count, v);
    }

    /**
     * A handle on a random pair for {@link #fieldAt} / {@link #valueAt}: a pair index in the
     * listpack encoding, a slot in the hashtable. The hash must not be empty.
     */
    public int randomHandle(RandomGenerator rnd) {
        return table == null ? rnd.nextInt(lpPairs) : table.randomSlot(rnd);
    }

    public byte[] fieldAt(int handle) {
        return table == null ? lpSlice(pairOffset(handle)) : table.keyOf(handle);
    }

    public byte[] valueAt(int handle) {
        return table == null ? lpSlice(next(pairOffset(handle))) : table.valueAt(handle);
    }

    private int pairOffset(int pair) {
        int off = 0;
        for (int i = 0; i < pair; i++) {
            off = next(next(off));
        }
        return off;
    }

    /** All fields and values into two arrays of {@link #size()} (copies in the listpack encoding). */
    public void collect(byte[][] fields, byte[][] values) {
        int[] i = {0};
        if (table != null) {
            table.forEachSlotPublic(s -> {
                fields[i[0]] = table.keyOf(s);
                values[i[0]++] = table.valueAt(s);
            });
            return;
        }
        int off = 0;
        while (off < lpUsed) {
            fields[i[0]] = lpSlice(off);
            off = next(off);
            values[i[0]++] = lpSlice(off);
            off = next(off);
        }
    }

    /** Bytes held, approximately (for memory accounting). */
    public long memoryUsage() {
        if (table == null) {
            return 16 + 24 + 16 + lp.length;
        }
        return 24 + table.memoryUsage();
    }

    // ---------------------------------------------------------------- hashtable encoding

    /** Field to value on the shared open-addressing table. */
    static final class Table extends OpenKeyTable {
        private byte[][] values;
        private byte[][] oldValues;
        /** Sum of the values' lengths (with the keys' sum, an O(1) memory estimate). */
        private long valueBytes;

        Table(int initialCapacity) {
            super(initialCapacity);
            values = new byte[capacity()][];
        }

        Table copy() {
            Table t = new Table(size() * 4 / 3 + 2);
            forEachSlot(s -> t.put(keyAt(s), values[s]));
            return t;
        }

        byte[] get(byte[] field) {
            int s = find(field);
            return s < 0 ? null : values[s];
        }

        boolean contains(byte[] field) {
            return find(field) >= 0;
        }

        boolean put(byte[] field, byte[] value) {
            int s = findOrInsert(field);
            if (values[s] != null) {
                valueBytes -= values[s].length;
            }
            values[s] = value;
            valueBytes += value.length;
            return lastInsertWasNew();
        }

        boolean remove(byte[] field) {
            int s = find(field);
            if (s < 0) {
                return false;
            }
            valueBytes -= values[s].length;
            removeAt(s);
            return true;
        }

        byte[] keyOf(int slot) {
            return keyAt(slot);
        }

        byte[] valueAt(int slot) {
            return values[slot];
        }

        void forEachSlotPublic(java.util.function.IntConsumer a) {
            forEachSlot(a);
        }

        void forEachEntry(EntryVisitor v) {
            forEachSlot(s -> {
                byte[] k = keyAt(s), x = values[s];
                v.visit(k, 0, k.length, x, 0, x.length);
            });
        }

        long scanEntries(long cursor, long count, EntryVisitor v) {
            long[] seen = {0};
            long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
            do {
                cursor = scan(cursor, s -> {
                    byte[] k = keyAt(s), x = values[s];
                    v.visit(k, 0, k.length, x, 0, x.length);
                    seen[0]++;
                });
            } while (cursor != 0 && maxIterations-- > 0 && seen[0] < count);
            return cursor;
        }

        long memoryUsage() {
            return 16L + 12L * capacity() + 32L * size() + keyBytes() + valueBytes;
        }

        @Override
        protected void beginResize(int newCapacity) {
            oldValues = values;
            values = new byte[newCapacity][];
        }

        @Override
        protected void transferPayload(int oldSlot, int newSlot) {
            values[newSlot] = oldValues[oldSlot];
        }

        @Override
        protected void endResize() {
            oldValues = null;
        }

        @Override
        protected void movePayload(int from, int to) {
            values[to] = values[from];
        }

        @Override
        protected void clearPayload(int slot) {
            values[slot] = null;
        }
    }
}
