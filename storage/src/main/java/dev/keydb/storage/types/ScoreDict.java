package dev.keydb.storage.types;

import dev.keydb.storage.OpenKeyTable;

/**
 * The member-to-score dictionary of a skiplist-encoded sorted set: an {@link OpenKeyTable}
 * whose payload is the score's raw bits in a {@code long[]} (no boxed doubles). The stored key
 * array is the same one the skip list node holds, so a member's bytes exist once.
 */
final class ScoreDict extends OpenKeyTable {
    private long[] bits;
    private long[] oldBits;

    ScoreDict(int initialCapacity) {
        super(initialCapacity);
        bits = new long[capacity()];
    }

    /** The member's score, or NaN when absent (a stored score is never NaN). */
    double get(byte[] member) {
        int s = find(member);
        return s < 0 ? Double.NaN : Double.longBitsToDouble(bits[s]);
    }

    /** Inserts or replaces; returns true when the member was new. */
    boolean put(byte[] member, double score) {
        int s = findOrInsert(member);
        bits[s] = Double.doubleToRawLongBits(score);
        return lastInsertWasNew();
    }

    boolean remove(byte[] member) {
        int s = find(member);
        if (s < 0) {
            return false;
        }
        removeAt(s);
        return true;
    }

    byte[] memberAt(int slot) {
        return keyAt(slot);
    }

    double scoreAt(int slot) {
        return Double.longBitsToDouble(bits[slot]);
    }

    @Override
    protected void beginResize(int newCapacity) {
        oldBits = bits;
        bits = new long[newCapacity];
    }

    @Override
    protected void transferPayload(int oldSlot, int newSlot) {
        bits[newSlot] = oldBits[oldSlot];
    }

    @Override
    protected void endResize() {
        oldBits = null;
    }

    @Override
    protected void movePayload(int from, int to) {
        bits[to] = bits[from];
    }

    @Override
    protected void clearPayload(int slot) {
        bits[slot] = 0;
    }
}
