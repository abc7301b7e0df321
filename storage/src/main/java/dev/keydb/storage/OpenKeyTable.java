package dev.keydb.storage;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing (linear probing) hash table keyed by {@code byte[]}: the key storage and
 * probing shared by the keyspace's value table and its expiry table. Subclasses keep their
 * payload in parallel arrays indexed by slot and move it when the base class moves a key.
 *
 * <p>No entry objects and no tombstones: a slot costs a key reference and a cached hash, and
 * deletion shifts the following cluster back (Knuth's algorithm R). That keeps the invariant
 * that an element sits in the run of occupied slots starting at its home bucket, which is what
 * lets {@link #scan} give Redis's SCAN guarantee by visiting home buckets in reverse-binary
 * order, across any number of resizes between calls.
 */
public abstract class OpenKeyTable {
    private static final int MIN_CAPACITY = 8;

    private byte[][] keys;
    private int[] hashes;
    private int size;
    private int mask;
    /** Sum of the stored keys' lengths, so that memory estimates need not walk the table. */
    private long keyBytes;

    protected OpenKeyTable(int initialCapacity) {
        int cap = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1);
        keys = new byte[cap][];
        hashes = new int[cap];
        mask = cap - 1;
    }

    /** A copy of {@code source}'s keys and layout (the frozen tables of a snapshot). */
    protected OpenKeyTable(OpenKeyTable source) {
        keys = source.keys.clone();
        hashes = source.hashes.clone();
        size = source.size;
        mask = source.mask;
        keyBytes = source.keyBytes;
    }

    /** Allocate payload arrays of the given capacity, keeping the old ones for {@link #transferPayload}. */
    protected abstract void beginResize(int newCapacity);

    /** Copy the payload of {@code oldSlot} in the old arrays to {@code newSlot} in the new ones. */
    protected abstract void transferPayload(int oldSlot, int newSlot);

    /** Drop the old payload arrays after a resize. */
    protected abstract void endResize();

    /** Move the payload from one slot to another within the current arrays. */
    protected abstract void movePayload(int from, int to);

    /** Clear a slot's payload so it does not retain garbage. */
    protected abstract void clearPayload(int slot);

    public final int size() {
        return size;
    }

    public final int capacity() {
        return mask + 1;
    }

    /** Total length of the stored keys. */
    public final long keyBytes() {
        return keyBytes;
    }

    protected final byte[] keyAt(int slot) {
        return keys[slot];
    }

    /** Slot holding {@code key}, or -1. */
    protected final int find(byte[] key) {
        int h = Hashing.hash(key);
        byte[][] ks = keys;
        int m = mask;
        for (int i = h & m; ; i = (i + 1) & m) {
            byte[] k = ks[i];
            if (k == null) {
                return -1;
            }
            if (hashes[i] == h && (k == key || Arrays.equals(k, key))) {
                return i;
            }
        }
    }

    /**
     * Slot holding {@code key}, inserting it if absent. An inserted slot has an empty payload;
     * {@link #lastInsertWasNew()} tells the two cases apart.
     */
    protected final int findOrInsert(byte[] key) {
        if ((size + 1) * 4L > (mask + 1) * 3L) {
            int existing = find(key);
            if (existing >= 0) {
                inserted = false;
                return existing;
            }
            resize((mask + 1) * 2);
        }
        int h = Hashing.hash(key);
        byte[][] ks = keys;
        int m = mask;
        for (int i = h & m; ; i = (i + 1) & m) {
            byte[] k = ks[i];
            if (k == null) {
                ks[i] = key;
                hashes[i] = h;
                size++;
                keyBytes += key.length;
                inserted = true;
                return i;
            }
            if (hashes[i] == h && (k == key || Arrays.equals(k, key))) {
                inserted = false;
                return i;
            }
        }
    }

    private boolean inserted;

    protected final boolean lastInsertWasNew() {
        return inserted;
    }

    /** Removes the key in {@code slot}, shifting the rest of its cluster back. */
    protected final void removeAt(int slot) {
        byte[][] ks = keys;
        keyBytes -= ks[slot].length;
        int m = mask;
        int hole = slot;
        for (int i = (slot + 1) & m; ks[i] != null; i = (i + 1) & m) {
            int home = hashes[i] & m;
            // Move i into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!homeBetween) {
                ks[hole] = ks[i];
                hashes[hole] = hashes[i];
                movePayload(i, hole);
                hole = i;
            }
        }
        ks[hole] = null;
        hashes[hole] = 0;
        clearPayload(hole);
        size--;
        maybeShrink();
    }

    private void maybeShrink() {
        int cap = mask + 1;
        if (cap > MIN_CAPACITY && size * 10L < cap) {
            int target = MIN_CAPACITY;
            while (target < size * 2L) {
                target <<= 1;
            }
            if (target < cap) {
                resize(target);
            }
        }
    }

    /** Remove everything and return to a small table. */
    public void clear() {
        int cap = MIN_CAPACITY;
        beginResize(cap);
        endResize();
        keys = new byte[cap][];
        hashes = new int[cap];
        mask = cap - 1;
        size = 0;
        keyBytes = 0;
    }

    /**
     * Redis's dict statistics in this table's terms (DEBUG HTSTATS): element i is how many
     * buckets are the home of i keys (a chained table's chain lengths; 49 stands for 49 or
     * more, as DICT_STATS_VECTLEN clamps them).
     */
    public final long[] chainLengths() {
        int[] perBucket = new int[capacity()];
        for (int s = 0; s < keys.length; s++) {
            if (keys[s] != null) {
                perBucket[hashes[s] & mask]++;
            }
        }
        long[] out = new long[50];
        for (int n : perBucket) {
            out[Math.min(n, 49)]++;
        }
        return out;
    }

    /**
     * Grows the table at once to hold {@code entries} without resizing on the way (an RDB
     * file's RESIZEDB hint): one resize instead of one per doubling. Never shrinks.
     */
    public final void ensureCapacity(int entries) {
        long needed = (long) entries * 4 / 3 + 1;
        if (needed > capacity() && needed <= 1 << 30) {
            resize(Integer.highestOneBit((int) needed - 1) << 1);
        }
    }

    private void resize(int newCapacity) {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        beginResize(newCapacity);
        byte[][] nk = new byte[newCapacity][];
        int[] nh = new int[newCapacity];
        int m = newCapacity - 1;
        for (int s = 0; s < oldKeys.length; s++) {
            byte[] k = oldKeys[s];
            if (k == null) {
                continue;
            }
            int h = oldHashes[s];
            int i = h & m;
            while (nk[i] != null) {
                i = (i + 1) & m;
            }
            nk[i] = k;
            nh[i] = h;
            transferPayload(s, i);
        }
        endResize();
        keys = nk;
        hashes = nh;
        mask = m;
    }

    /**
     * One SCAN step: visits every slot whose home bucket is {@code cursor} (masked) and returns
     * the next cursor, 0 when the scan is complete. Cursor arithmetic is Redis's reverse-binary
     * increment, so buckets split or merged by a resize are never skipped.
     */
    public final long scan(long cursor, SlotVisitor visitor) {
        int m = mask;
        int bucket = (int) (cursor & m);
        for (int i = bucket; keys[i] != null; i = (i + 1) & m) {
            if ((hashes[i] & m) == bucket) {
                visitor.visit(i);
            }
        }
        long v = cursor | ~(long) m;
        v = Long.reverse(v);
        v++;
        v = Long.reverse(v);
        return v;
    }

    /** Callback of {@link #scan} with the slot of a visited element. */
    @FunctionalInterface
    public interface SlotVisitor {
        void visit(int slot);
    }

    /** A random occupied slot, or -1 when empty. Uniform over slots, as Redis's dictGetFairRandomKey approximates. */
    public final int randomSlot(java.util.random.RandomGenerator rnd) {
        if (size == 0) {
            return -1;
        }
        int m = mask;
        while (true) {
            int i = rnd.nextInt() & m;
            if (keys[i] != null) {
                return i;
            }
        }
    }

    /**
     * Up to {@code count} occupied slots found walking on from a random one (Redis's
     * dictGetSomeKeys): neighbours, so cheaper to read than as many random slots, and as
     * random as eviction's sampling needs. Returns how many were stored in {@code out}.
     */
    public final int someSlots(java.util.random.RandomGenerator rnd, int count, int[] out) {
        int m = mask;
        int found = 0;
        for (int i = rnd.nextInt() & m, visited = 0; found < count && visited <= m; i = (i + 1) & m, visited++) {
            if (keys[i] != null) {
                out[found++] = i;
            }
        }
        return found;
    }

    /** Visits every occupied slot; the table must not be modified meanwhile. */
    protected final void forEachSlot(java.util.function.IntConsumer action) {
        byte[][] ks = keys;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] != null) {
                action.accept(i);
            }
        }
    }

    /** Every key; the table must not be modified meanwhile. */
    public final void forEachKey(Consumer<byte[]> action) {
        forEachSlot(i -> action.accept(keys[i]));
    }
}
