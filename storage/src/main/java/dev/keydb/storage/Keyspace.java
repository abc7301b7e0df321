package dev.keydb.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * All databases of the server, the access clock and the expiry statistics. Callers hold the
 * keyspace lock for every call (see the server's threading model).
 */
public final class Keyspace {
    /** Keys checked per active-expiry step of one database, as Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
    public static final int EXPIRE_KEYS_PER_LOOP = 20;

    private final Database[] dbs;
    private volatile KeyEvents events = KeyEvents.NONE;
    private volatile boolean expiryEnabled = true;
    private final AtomicLong expiredKeys = new AtomicLong();
    private int nextExpireDb;

    public Keyspace(int databases) {
        if (databases < 1) {
            throw new IllegalArgumentException("databases must be at least 1");
        }
        dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, this);
        }
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

    /** The access clock stored per key: seconds, as Redis's LRU clock resolution. */
    public int clock(long nowMs) {
        return (int) (nowMs / 1000);
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
        long deadline = System.nanoTime() + budgetNanos;
        long total = 0;
        for (int n = 0; n < dbs.length; n++) {
            Database d = dbs[nextExpireDb];
            nextExpireDb = (nextExpireDb + 1) % dbs.length;
            total += d.activeMemberExpireStep(nowMs, EXPIRE_KEYS_PER_LOOP);
            while (true) {
                long r = d.activeExpireStep(nowMs, EXPIRE_KEYS_PER_LOOP);
                int sampled = (int) (r >>> 32), expired = (int) r;
                total += expired;
                if (sampled == 0 || expired * 4 <= sampled || System.nanoTime() > deadline) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        return total;
    }
}
