package dev.keydb.storage;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All databases of the server, the access clock and the expiry statistics. Callers hold the
 * keyspace lock for every call (see the server's threading model).
 */
public final class Keyspace {
    /** Keys checked per active-expiry step of one database, as Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
    public static final int EXPIRE_KEYS_PER_LOOP = 20;

    private final Database[] dbs;
    private final AccessClock accessClock;
    private volatile KeyEvents events = KeyEvents.NONE;
    private volatile boolean expiryEnabled = true;
    private final AtomicLong expiredKeys = new AtomicLong();
    private int nextExpireDb;

    // ---- forkless snapshots (see snapshot()) ------------------------------------------------
    /** Snapshots taken and not yet closed. */
    private int openSnapshots;
    /**
     * Values copied since the latest snapshot began: they are referenced only by the live
     * tables, so writes may change them in place. Identity, not equality: it is about objects.
     */
    private final Set<Object> ownedValues = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Whether the running command may change the values it looks up (set by the dispatcher). */
    private boolean commandMayModify;
    private long copiedValues;
    private long copiedBytes;
    /** Whether databases keep a last-write time per key (OBJECT LASTMODIFIED). */
    private boolean trackModification;
    /** A snapshot's view: read-only, never expires anything, shares value objects with its source. */
    private final boolean frozen;

    public Keyspace(int databases) {
        if (databases < 1) {
            throw new IllegalArgumentException("databases must be at least 1");
        }
        dbs = new Database[databases];
        accessClock = new AccessClock();
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, this);
        }
        frozen = false;
    }

    private Keyspace(Keyspace source) {
        dbs = new Database[source.dbs.length];
        accessClock = source.accessClock;
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = source.dbs[i].frozenCopy(this);
        }
        expiryEnabled = false;
        frozen = true;
    }

    /**
     * Takes a point-in-time snapshot (BGSAVE, AOF rewrite, replica sync): the tables are copied
     * — key and value references, not the objects, so the pause is a few array copies — and
     * from now on a value is copied before its first in-place change (copy-on-write per key),
     * leaving the original to the snapshot. Writes never wait for the snapshot's reader and
     * memory grows only by what changes while it is open. The caller holds the keyspace lock;
     * the view may then be read from any thread without it.
     */
    public Snapshot snapshot() {
        if (frozen) {
            throw new IllegalStateException("a snapshot of a snapshot");
        }
        Keyspace view = new Keyspace(this);
        // Values copied for an older snapshot are referenced by this new one: copy them again.
        ownedValues.clear();
        openSnapshots++;
        copiedValues = 0;
        copiedBytes = 0;
        return new Snapshot(this, view);
    }

    /** Called by {@link Snapshot#close()} under the keyspace lock. */
    void release() {
        if (--openSnapshots == 0) {
            ownedValues.clear();
        }
    }

    public int openSnapshots() {
        return openSnapshots;
    }

    /** Values copied on write since the latest snapshot began, and their estimated size (INFO's cow size). */
    public long copiedValues() {
        return copiedValues;
    }

    public long copiedBytes() {
        return copiedBytes;
    }

    /**
     * Declares whether the command about to run may change values in place (any command that
     * is not read-only, plus read-only ones that may write such as PFCOUNT's cache); returns
     * the previous setting so nested calls (scripts, EXEC) restore it.
     */
    public boolean commandMayModify(boolean mayModify) {
        boolean previous = commandMayModify;
        commandMayModify = mayModify;
        return previous;
    }

    /** The value in {@code slot} as a command sees it: its own copy when a snapshot still shares it. */
    Object valueForCommand(ValueTable table, int slot) {
        Object v = table.valueAt(slot);
        return commandMayModify && openSnapshots > 0 ? owned(table, slot, v) : v;
    }

    /** The value in {@code slot}, copied first if an open snapshot may still read it. */
    Object ownedValue(ValueTable table, int slot) {
        Object v = table.valueAt(slot);
        return openSnapshots > 0 ? owned(table, slot, v) : v;
    }

    private Object owned(ValueTable table, int slot, Object v) {
        // byte[] strings and integers are never changed in place: sharing them is safe.
        if (v instanceof byte[] || v instanceof Long || ownedValues.contains(v)) {
            return v;
        }
        Object copy = Values.copy(v);
        table.setValueAt(slot, copy);
        ownedValues.add(copy);
        copiedValues++;
        copiedBytes += MemoryUsage.estimate(copy);
        return copy;
    }

    /** Keep a last-write time per key from now on (start-up option; it costs 4 bytes a slot). */
    public void trackModification() {
        trackModification = true;
        for (Database d : dbs) {
            d.trackModification();
        }
    }

    public boolean tracksModification() {
        return trackModification;
    }

    public int databases() {
        return dbs.length;
    }

    public Database db(int index) {
        return dbs[index];
    }

    public void setEvents(KeyEvents events) {
        this.events = events;
    }

    /** DEBUG SET-ACTIVE-EXPIRE and replicas turn expiry off (a replica waits for the master's DEL). */
    public void setExpiryEnabled(boolean enabled) {
        this.expiryEnabled = enabled;
    }

    public boolean expiryEnabled() {
        return expiryEnabled;
    }

    public long expiredKeys() {
        return expiredKeys.get();
    }

    public void resetStats() {
        expiredKeys.set(0);
    }

    /** What the per-key clocks mean (LRU second or LFU counter) and how they move. */
    public AccessClock accessClock() {
        return accessClock;
    }

    /** The estimated size of every key and value ({@link MemoryUsage#ofKey}), for maxmemory. */
    public long datasetBytes() {
        long n = 0;
        for (Database d : dbs) {
            n += d.datasetBytes();
        }
        return n;
    }

    void onAdded(int db, byte[] key) {
        events.added(db, key);
    }

    void onMemberExpired(int db, byte[] key, byte[] member) {
        events.memberExpired(db, key, member);
    }

    void onExpired(int db, byte[] key) {
        expiredKeys.incrementAndGet();
        events.expired(db, key);
    }

    public long totalKeys() {
        long n = 0;
        for (Database d : dbs) {
            n += d.size();
        }
        return n;
    }

    public void flushAll() {
        for (Database d : dbs) {
            d.clear();
        }
    }

    public void swap(int a, int b) {
        if (a != b) {
            dbs[a].swapContents(dbs[b]);
        }
    }

    /**
     * The active expiry cycle run {@code hz} times a second: visits databases round-robin and
     * keeps sampling one while more than a quarter of what it sampled was due, until the time
     * budget runs out. Returns the number of keys expired.
     */
    public long activeExpireCycle(long nowMs, long budgetNanos) {
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        long total = 0, totalSampled = 0, totalExpired = 0;
        for (int n = 0; n < dbs.length; n++) {
            Database d = dbs[nextExpireDb];
            nextExpireDb = (nextExpireDb + 1) % dbs.length;
            total += d.activeMemberExpireStep(nowMs, EXPIRE_KEYS_PER_LOOP);
            while (true) {
                long r = d.activeExpireStep(nowMs, EXPIRE_KEYS_PER_LOOP);
                int sampled = (int) (r >>> 32), expired = (int) r;
                total += expired;
                totalSampled += sampled;
                totalExpired += expired;
                if (sampled == 0 || expired * 4 <= sampled || System.nanoTime() > deadline) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                expireTimeCapReached++;
                break;
            }
        }
        expireCycleNanos += System.nanoTime() - start;
        // Redis's estimate of the share of keys with a TTL that are expired but not yet reclaimed.
        double current = totalSampled == 0 ? 0 : (double) totalExpired / totalSampled;
        expiredStalePerc = current * 0.05 + expiredStalePerc * 0.95;
        return total;
    }

    private long expireTimeCapReached, expireCycleNanos;
    private double expiredStalePerc;

    /** INFO expired_time_cap_reached_count: active expiry cycles that ran out of time. */
    public long expireTimeCapReached() { return expireTimeCapReached; }
    /** INFO expire_cycle_cpu_milliseconds. */
    public long expireCycleMillis() { return expireCycleNanos / 1_000_000; }
    /** INFO expired_stale_perc, as a percentage. */
    public double expiredStalePercent() { return expiredStalePerc * 100; }

    /** Bytes the key and TTL tables' slots take (part of INFO used_memory_overhead). */
    public long tableBytes() {
        long n = 0;
        for (Database d : dbs) {
            n += d.tableBytes();
        }
        return n;
    }
}
