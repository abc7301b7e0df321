package dev.keydb.storage;

/**
 * The main table of a database: key to value object, plus a packed access clock per key
 * (LRU seconds or LFU counter, as {@code maxmemory-policy} needs). Values are {@code byte[]}
 * (embstr/raw strings), {@link Long} (int-encoded strings) or a type's structure. Tables
 * made with {@code trackModified} keep a second int per slot, the key's last-write time
 * (KeyDB's OBJECT LASTMODIFIED), in seconds on a base the caller chooses; 0 for a key never
 * written since it was loaded. Other tables do not pay for it.
 */
public final class ValueTable extends OpenKeyTable {
    private Object[] values;
    private int[] clocks;
    private int[] modified;
    /**
     * The sum of the keys' estimated sizes ({@link MemoryUsage#ofKey}) in 8-byte units: the
     * dataset's size for maxmemory, kept as keys come, go and change ({@link #reweigh}). A
     * key's share is computed again when it goes (its slot and key length, an immutable value's
     * size) or read from the value ({@link AccountedValue}, for values that change in place).
     * Tables that are not weighed (member TTLs) keep none.
     */
    private final boolean weighed;
    private long weightUnits;
    private Object[] oldValues;
    private int[] oldClocks;
    private int[] oldModified;

    public ValueTable() {
        this(8, false);
    }

    public ValueTable(int initialCapacity) {
        this(initialCapacity, false);
    }

    public ValueTable(int initialCapacity, boolean trackModified) {
        this(initialCapacity, trackModified, false);
    }

    public ValueTable(int initialCapacity, boolean trackModified, boolean weighed) {
        super(initialCapacity);
        values = new Object[capacity()];
        clocks = new int[capacity()];
        modified = trackModified ? new int[capacity()] : null;
        this.weighed = weighed;
    }

    private ValueTable(ValueTable source) {
        super(source);
        values = source.values.clone();
        clocks = source.clocks.clone();
        modified = source.modified == null ? null : source.modified.clone();
        weighed = source.weighed;
        weightUnits = source.weightUnits;
    }

    /**
     * A copy of the table sharing the key and value objects: what a snapshot reads while the
     * original goes on changing (values are protected by copy-on-write, see {@link Keyspace#snapshot}).
     */
    public ValueTable frozenCopy() {
        return new ValueTable(this);
    }

    public Object get(byte[] key) {
        int s = find(key);
        return s < 0 ? null : values[s];
    }

    /** Slot of the key or -1; valid until the next modification. */
    public int slotOf(byte[] key) {
        return find(key);
    }

    public Object valueAt(int slot) {
        return values[slot];
    }

    public byte[] keyOf(int slot) {
        return keyAt(slot);
    }

    /** The key's access clock (24 bits, as Redis's LRU field; see {@link AccessClock}). */
    public int clockAt(int slot) {
        return clocks[slot] & CLOCK_MASK;
    }

    public void setClock(int slot, int clock) {
        clocks[slot] = clocks[slot] & ~CLOCK_MASK | clock & CLOCK_MASK;
    }

    /**
     * The clock int's low 24 bits are the access clock; the high 8 hold, for a string value
     * of up to 255 units, its size in units (0 otherwise). Overwriting or deleting the key then
     * takes the old value's size from here instead of reading the value itself, a cache miss
     * on a random key that cost 15 % of pipelined SETs' CPU; a separate size array would cost
     * 4 bytes a slot.
     */
    private static final int CLOCK_MASK = 0xFFFFFF;

    private static int withSize(int clock, Object value) {
        int hint = value instanceof byte[] b ? units(MemoryUsage.byteArray(b.length)) : 0;
        return (hint > 255 ? 0 : hint) << 24 | clock & CLOCK_MASK;
    }

    public boolean tracksModified() {
        return modified != null;
    }

    /** Last-write time of the key in this slot (see the class comment); 0 when not tracked. */
    public int modifiedAt(int slot) {
        return modified == null ? 0 : modified[slot];
    }

    /** Records a write time; nothing on a table that does not track them. */
    public void setModified(int slot, int time) {
        if (modified != null) {
            modified[slot] = time;
        }
    }

    /** Replaces a value by an equal one (a copy made for copy-on-write), which inherits its counted size. */
    public void setValueAt(int slot, Object value) {
        if (value instanceof AccountedValue copy && values[slot] instanceof AccountedValue original) {
            copy.accountedUnits(original.accountedUnits());
        }
        values[slot] = value;
    }

    /** Insert or replace; returns the previous value or null. The stored key is the given array. */
    public Object put(byte[] key, Object value, int clock) {
        return put(key, value, clock, false);
    }

    /**
     * As {@link #put}, but a key that exists keeps its access clock (an LFU counter survives
     * an overwrite, as Redis's dbSetValue keeps it).
     */
    public Object putKeepClock(byte[] key, Object value, int clockIfNew) {
        return put(key, value, clockIfNew, true);
    }

    private Object put(byte[] key, Object value, int clock, boolean keepClock) {
        int s = findOrInsert(key);
        Object old = values[s];
        account(s, old, value);
        values[s] = value;
        clocks[s] = withSize(keepClock && old != null ? clocks[s] : clock, value);
        return old;
    }

    public Object remove(byte[] key) {
        int s = find(key);
        if (s < 0) {
            return null;
        }
        Object old = values[s];
        account(s, old, null);
        removeAt(s);
        return old;
    }

    @Override
    public void clear() {
        super.clear();
        weightUnits = 0;
    }

    /** Estimates again the size of the key in {@code slot} after its value changed in place. */
    public void reweigh(int slot) {
        if (weighed && values[slot] instanceof AccountedValue v) {
            int now = units(MemoryUsage.ofValue(v));
            weightUnits += now - v.accountedUnits();
            v.accountedUnits(now);
        }
    }

    /** The sum of the keys' estimated sizes, in bytes (0 for a table that is not weighed). */
    public long weighedBytes() {
        return weightUnits * 8;
    }

    /** The value in {@code slot} goes from {@code old} to {@code value} (either may be null); its clock still describes {@code old}. */
    private void account(int slot, Object old, Object value) {
        if (!weighed) {
            return;
        }
        long keyUnits = units(MemoryUsage.byteArray(keyAt(slot).length) + MemoryUsage.TABLE_SLOT);
        if (old != null) {
            int hint = clocks[slot] >>> 24;
            weightUnits -= keyUnits + (hint != 0 ? hint : old instanceof AccountedValue a ? a.accountedUnits() : valueUnits(old));
        }
        if (value != null) {
            int valueUnits = valueUnits(value);
            if (value instanceof AccountedValue a) {
                a.accountedUnits(valueUnits);
            }
            weightUnits += keyUnits + valueUnits;
        }
    }

    /** A value's size in units; strings, the common case, without MemoryUsage's dispatch. */
    private static int valueUnits(Object value) {
        return value instanceof byte[] b ? units(MemoryUsage.byteArray(b.length)) : units(MemoryUsage.ofValue(value));
    }

    private static int units(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes / 8);
    }

    @Override
    protected void beginResize(int newCapacity) {
        oldValues = values;
        oldClocks = clocks;
        values = new Object[newCapacity];
        clocks = new int[newCapacity];
        oldModified = modified;
        modified = modified == null ? null : new int[newCapacity];
    }

    @Override
    protected void transferPayload(int oldSlot, int newSlot) {
        values[newSlot] = oldValues[oldSlot];
        clocks[newSlot] = oldClocks[oldSlot];
        if (modified != null) {
            modified[newSlot] = oldModified[oldSlot];
        }
    }

    @Override
    protected void endResize() {
        oldValues = null;
        oldClocks = null;
        oldModified = null;
    }

    @Override
    protected void movePayload(int from, int to) {
        values[to] = values[from];
        clocks[to] = clocks[from];
        if (modified != null) {
            modified[to] = modified[from];
        }
    }

    @Override
    protected void clearPayload(int slot) {
        values[slot] = null;
        clocks[slot] = 0;
        if (modified != null) {
            modified[slot] = 0;
        }
    }
}
