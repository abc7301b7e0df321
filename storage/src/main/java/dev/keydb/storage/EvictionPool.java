package dev.keydb.storage;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks the next key to evict, as Redis's evict.c does: each call samples
 * {@code maxmemory-samples} keys of every database (all keys, or only those with a TTL) into a
 * pool of the 16 best candidates seen so far, ordered by idle score (LRU: seconds since the last
 * access; LFU: 255 minus the decayed counter; TTL: the sooner the expiry the higher), and
 * takes the best one that still exists. The pool survives between calls, so every eviction
 * compares against earlier samples too. Random policies take a random key from the databases
 * in turn. Callers hold the keyspace lock.
 */
public final class EvictionPool {
    static final int SIZE = 16;

    /** A key chosen for eviction and its database. */
    public record Victim(int db, byte[] key) {}

    private final long[] idle = new long[SIZE];
    private final int[] dbs = new int[SIZE];
    /** Where each candidate was sampled: while its table has not moved it, no lookup is needed to know it is there. */
    private final int[] slots = new int[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private int count;
    private int nextDb;
    private int[] sampled = new int[16];

    /** The key to evict next under {@code policy}, or null when no key is a candidate. */
    public Victim next(Keyspace keyspace, EvictionPolicy policy, int samples, long nowMs, RandomGenerator rnd) {
        return switch (policy.measure) {
            case NONE -> null;
            case RANDOM -> randomKey(keyspace, policy.volatileOnly, rnd);
            default -> best(keyspace, policy, samples, nowMs, rnd);
        };
    }

    private Victim randomKey(Keyspace keyspace, boolean volatileOnly, RandomGenerator rnd) {
        int n = keyspace.databases();
        for (int i = 0; i < n; i++) {
            int d = nextDb;
            nextDb = (nextDb + 1) % n;
            OpenKeyTable table = candidates(keyspace.db(d), volatileOnly);
            if (table.size() > 0) {
                return new Victim(d, keyAt(table, table.randomSlot(rnd)));
            }
        }
        return null;
    }

    private Victim best(Keyspace keyspace, EvictionPolicy policy, int samples, long nowMs, RandomGenerator rnd) {
        boolean any = false;
        for (int d = 0; d < keyspace.databases(); d++) {
            Database db = keyspace.db(d);
            OpenKeyTable table = candidates(db, policy.volatileOnly);
            if (table.size() == 0) {
                continue;
            }
            any = true;
            int want = Math.min(samples, table.size());
            if (sampled.length < want) {
                sampled = new int[want];
            }
            int n = table.someSlots(rnd, want, sampled);
            for (int i = 0; i < n; i++) {
                int slot = sampled[i];
                byte[] key = keyAt(table, slot);
                offer(d, slot, key, score(keyspace, db, policy, table, slot, key, nowMs));
            }
        }
        if (!any) {
            count = 0;
            return null;
        }
        // The best candidate that still exists (the pool may hold keys deleted since).
        while (count > 0) {
            count--;
            int d = dbs[count];
            byte[] key = keys[count];
            keys[count] = null;
            OpenKeyTable table = candidates(keyspace.db(d), policy.volatileOnly);
            int slot = slots[count];
            boolean stillThere = slot < table.capacity() && keyAt(table, slot) == key
                    || keyspace.db(d).clockAtKey(key) >= 0;
            if (stillThere) {
                return new Victim(d, key);
            }
        }
        return null;
    }

    private static long score(Keyspace keyspace, Database db, EvictionPolicy policy, OpenKeyTable table, int slot,
                              byte[] key, long nowMs) {
        return switch (policy.measure) {
            case TTL -> Long.MAX_VALUE - ((ExpireTable) table).whenAt(slot);
            case LFU -> 255 - keyspace.accessClock().frequency(clockOf(db, table, slot, key), nowMs);
            default -> AccessClock.idleSeconds(clockOf(db, table, slot, key), nowMs);
        };
    }

    private static int clockOf(Database db, OpenKeyTable table, int slot, byte[] key) {
        return table instanceof ValueTable v ? v.clockAt(slot) : db.clockAtKey(key);
    }

    /**
     * Inserts a sample in idle order (ascending), dropping the worst when full. A key sampled
     * again is the same stored array: identity finds it without comparing bytes (same-length
     * keys made a byte comparison against every pooled key the cost of eviction).
     */
    private void offer(int db, int slot, byte[] key, long score) {
        for (int i = 0; i < count; i++) {
            if (keys[i] == key && dbs[i] == db) {
                return;
            }
        }
        int at = 0;
        while (at < count && idle[at] < score) {
            at++;
        }
        if (at == 0 && count == SIZE) {
            return;                              // worse than everything in a full pool
        }
        if (count < SIZE) {
            System.arraycopy(idle, at, idle, at + 1, count - at);
            System.arraycopy(dbs, at, dbs, at + 1, count - at);
            System.arraycopy(keys, at, keys, at + 1, count - at);
            System.arraycopy(slots, at, slots, at + 1, count - at);
            count++;
        } else {
            at--;                                // full: shift the worse ones left, dropping the worst
            System.arraycopy(idle, 1, idle, 0, at);
            System.arraycopy(dbs, 1, dbs, 0, at);
            System.arraycopy(keys, 1, keys, 0, at);
            System.arraycopy(slots, 1, slots, 0, at);
        }
        idle[at] = score;
        dbs[at] = db;
        keys[at] = key;
        slots[at] = slot;
    }

    private static OpenKeyTable candidates(Database db, boolean volatileOnly) {
        return volatileOnly ? db.expiries() : db.valueTable();
    }

    private static byte[] keyAt(OpenKeyTable table, int slot) {
        return table instanceof ValueTable v ? v.keyOf(slot) : ((ExpireTable) table).keyOf(slot);
    }

    /** Forgets pooled candidates (FLUSHALL, a policy change). */
    public void clear() {
        Arrays.fill(keys, null);
        count = 0;
    }
}
