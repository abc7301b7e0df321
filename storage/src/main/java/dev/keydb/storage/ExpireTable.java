package dev.keydb.storage;

/**
 * Expiry times (unix milliseconds) of the volatile keys of a database. Only keys with a TTL
 * pay for an entry; the key array is shared with the value table.
 */
public final class ExpireTable extends OpenKeyTable {
    public static final long NONE = -1;

    private long[] whens;
    private long[] oldWhens;

    public ExpireTable() {
        super(8);
        whens = new long[capacity()];
    }

    private ExpireTable(ExpireTable source) {
        super(source);
        whens = source.whens.clone();
    }

    /** An independent copy (snapshots; member expiry tables). */
    public ExpireTable copy() {
        return new ExpireTable(this);
    }

    public long get(byte[] key) {
        int s = find(key);
        return s < 0 ? NONE : whens[s];
    }

    public void put(byte[] key, long when) {
        // findOrInsert may resize and replace the array: index only after it returns.
        int slot = findOrInsert(key);
        whens[slot] = when;
    }

    public boolean remove(byte[] key) {
        int s = find(key);
        if (s < 0) {
            return false;
        }
        removeAt(s);
        return true;
    }

    public byte[] keyOf(int slot) {
        return keyAt(slot);
    }

    public long whenAt(int slot) {
        return whens[slot];
    }

    @Override
    protected void beginResize(int newCapacity) {
        oldWhens = whens;
        whens = new long[newCapacity];
    }

    @Override
    protected void transferPayload(int oldSlot, int newSlot) {
        whens[newSlot] = oldWhens[oldSlot];
    }

    @Override
    protected void endResize() {
        oldWhens = null;
    }

    @Override
    protected void movePayload(int from, int to) {
        whens[to] = whens[from];
    }

    @Override
    protected void clearPayload(int slot) {
        whens[slot] = 0;
    }
}
