package dev.keydb.storage;

/**
 * The main table of a database: key to value object, plus a packed access clock per key
 * (LRU seconds or LFU counter, as {@code maxmemory-policy} needs). Values are {@code byte[]}
 * (embstr/raw strings), {@link Long} (int-encoded strings) or a type's structure. A second
 * int per slot holds the key's last-write time (KeyDB's OBJECT LASTMODIFIED), in seconds on a
 * base the caller chooses; 0 for a key never written since it was loaded.
 */
public final class ValueTable extends OpenKeyTable {
    private Object[] values;
    private int[] clocks;
    private int[] modified;
    private Object[] oldValues;
    private int[] oldClocks;
    private int[] oldModified;

    public ValueTable() {
        this(8);
    }

    public ValueTable(int initialCapacity) {
        super(initialCapacity);
        values = new Object[capacity()];
        clocks = new int[capacity()];
        modified = new int[capacity()];
    }

    private ValueTable(ValueTable source) {
        super(source);
        values = source.values.clone();
        clocks = source.clocks.clone();
        modified = source.modified.clone();
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

    public int clockAt(int slot) {
        return clocks[slot];
    }

    public void setClock(int slot, int clock) {
        clocks[slot] = clock;
    }

    /** Last-write time of the key in this slot (see the class comment). */
    public int modifiedAt(int slot) {
        return modified[slot];
    }

    public void setModified(int slot, int time) {
        modified[slot] = time;
    }

    public void setValueAt(int slot, Object value) {
        values[slot] = value;
    }

    /** Insert or replace; returns the previous value or null. The stored key is the given array. */
    public Object put(byte[] key, Object value, int clock) {
        int s = findOrInsert(key);
        Object old = values[s];
        values[s] = value;
        clocks[s] = clock;
        return old;
    }

    public Object remove(byte[] key) {
        int s = find(key);
        if (s < 0) {
            return null;
        }
        Object old = values[s];
        removeAt(s);
        return old;
    }

    @Override
    protected void beginResize(int newCapacity) {
        oldValues = values;
        oldClocks = clocks;
        values = new Object[newCapacity];
        clocks = new int[newCapacity];
        oldModified = modified;
        modified = new int[newCapacity];
    }

    @Override
    protected void transferPayload(int oldSlot, int newSlot) {
        values[newSlot] = oldValues[oldSlot];
        clocks[newSlot] = oldClocks[oldSlot];
        modified[newSlot] = oldModified[oldSlot];
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
        modified[to] = modified[from];
    }

    @Override
    protected void clearPayload(int slot) {
        values[slot] = null;
        clocks[slot] = 0;
        modified[slot] = 0;
    }
}
