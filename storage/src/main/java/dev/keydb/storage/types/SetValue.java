package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.OpenKeyTable;
import dev.keydb.storage.ValueType;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A set value with Redis 7.0's two encodings (7.0 has no listpack sets; that came in 7.2).
 *
 * <ul>
 *   <li><b>intset</b>: an {@link IntSet} (sorted, packed at 2, 4 or 8 bytes per member) of the members while every member is an integer
 *       in Redis's strict canonical form and there are at most {@code set-max-intset-entries}
 *       of them. Members come out in ascending numeric order, as Redis's intset.</li>
 *   <li><b>hashtable</b>: an {@link OpenKeyTable} of member arrays without payload. A set never
 *       converts back.</li>
 * </ul>
 *
 * Member arrays passed in are stored by reference in the hashtable encoding.
 */
public final class SetValue extends AccountedValue implements ValueType.Typed, MemberSource {
    /** Redis 7.0 default of set-max-intset-entries. */
    public static final int DEFAULT_MAX_INTSET_ENTRIES = 512;

    private IntSet ints = new IntSet();
    private Table table;

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    /** The hash table of the hashtable (or skiplist) encoding, null in a compact one (DEBUG HTSTATS-KEY). */
    public dev.keydb.storage.OpenKeyTable hashtable() {
        return table;
    }

    @Override
    public String encoding() {
        return table == null ? "intset" : "hashtable";
    }

    public boolean isIntset() {
        return table == null;
    }

    @Override
    public int size() {
        return table == null ? ints.size() : table.size();
    }

    @Override
    public boolean containsMember(byte[] member) {
        return contains(member);
    }

    @Override
    public void forEachMember(Consumer<byte[]> action) {
        forEach(action);
    }

    public SetValue copy() {
        SetValue s = new SetValue();
        if (table == null) {
            s.ints = ints.copy();
        } else {
            s.ints = null;
            s.table = table.copy();
        }
        return s;
    }

    private void convertToTable(int extra) {
        int n = ints.size();
        Table t = new Table((n + extra) * 4 / 3 + 2);
        for (int i = 0; i < n; i++) {
            t.add(Numbers.toBytes(ints.get(i)));
        }
        table = t;
        ints = null;
    }

    /** Converts to the hashtable encoding (tests, DEBUG). */
    public void convertToHashtable() {
        if (table == null) {
            convertToTable(0);
        }
    }

    /** Adds {@code member}; returns whether it was new. */
    public boolean add(byte[] member, int maxIntsetEntries) {
        if (table == null) {
            Long v = member.length <= 20 ? Numbers.parseLongOrNull(member) : null;
            if (v != null) {
                if (!ints.add(v)) {
                    return false;
                }
                if (ints.size() > maxIntsetEntries) {
                    convertToTable(0);
                }
                return true;
            }
            convertToTable(1);
        }
        return table.add(member);
    }

    public boolean remove(byte[] member) {
        if (table != null) {
            return table.remove(member);
        }
        Long v = member.length <= 20 ? Numbers.parseLongOrNull(member) : null;
        if (v == null) {
            return false;
        }
        return ints.remove(v);
    }

    public boolean contains(byte[] member) {
        if (table != null) {
            return table.contains(member);
        }
        Long v = member.length <= 20 ? Numbers.parseLongOrNull(member) : null;
        return v != null && ints.indexOf(v) >= 0;
    }

    /** Every member (intset: ascending); the set must not change meanwhile. */
    public void forEach(Consumer<byte[]> action) {
        if (table != null) {
            table.forEachKey(action);
            return;
        }
        for (int i = 0, n = ints.size(); i < n; i++) {
            action.accept(Numbers.toBytes(ints.get(i)));
        }
    }

    /** One SSCAN step: everything and cursor 0 for an intset, as Redis. */
    public long scan(long cursor, long count, Consumer<byte[]> action) {
        if (table == null) {
            forEach(action);
            return 0;
        }
        long[] seen = {0};
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        Table t = table;
        do {
            cursor = t.scan(cursor, s -> {
                action.accept(t.keyOf(s));
                seen[0]++;
            });
        } while (cursor != 0 && maxIterations-- > 0 && seen[0] < count);
        return cursor;
    }

    /** A uniformly random member; the set must not be empty. */
    public byte[] random(RandomGenerator rnd) {
        if (table == null) {
            return Numbers.toBytes(ints.get(rnd.nextInt(ints.size())));
        }
        return table.keyOf(table.randomSlot(rnd));
    }

    /** Removes and returns a random member; the set must not be empty. */
    public byte[] pop(RandomGenerator rnd) {
        if (table == null) {
            int i = rnd.nextInt(ints.size());
            byte[] m = Numbers.toBytes(ints.get(i));
            ints.removeAt(i);
            return m;
        }
        int slot = table.randomSlot(rnd);
        byte[] m = table.keyOf(slot);
        table.removeSlot(slot);
        return m;
    }

    /** All members in an array of {@link #size()}. */
    public byte[][] toArray() {
        byte[][] out = new byte[size()][];
        int[] i = {0};
        forEach(m -> out[i[0]++] = m);
        return out;
    }

    public long memoryUsage() {
        if (table == null) {
            return 16 + 16 + 24 + 16 + ints.capacityBytes();
        }
        return 24 + table.memoryUsage();
    }

    /** Members on the shared open-addressing table, no payload. */
    static final class Table extends OpenKeyTable {
        Table(int initialCapacity) {
            super(initialCapacity);
        }

        Table copy() {
            Table t = new Table(size() * 4 / 3 + 2);
            forEachKey(t::add);
            return t;
        }

        boolean add(byte[] m) {
            findOrInsert(m);
            return lastInsertWasNew();
        }

        boolean contains(byte[] m) {
            return find(m) >= 0;
        }

        boolean remove(byte[] m) {
            int s = find(m);
            if (s < 0) {
                return false;
            }
            removeAt(s);
            return true;
        }

        void removeSlot(int slot) {
            removeAt(slot);
        }

        byte[] keyOf(int slot) {
            return keyAt(slot);
        }

        long memoryUsage() {
            // Each member's array: 16-byte header, length rounded up to 8 (~4 bytes on average).
            return 16L + 8L * capacity() + 20L * size() + keyBytes();
        }

        @Override
        protected void beginResize(int newCapacity) {}

        @Override
        protected void transferPayload(int oldSlot, int newSlot) {}

        @Override
        protected void endResize() {}

        @Override
        protected void movePayload(int from, int to) {}

        @Override
        protected void clearPayload(int slot) {}
    }
}
