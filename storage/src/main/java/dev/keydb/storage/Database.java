package dev.keydb.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One numbered database: the value table, the expiry table of its volatile keys, lazy expiry
 * on lookup and the incremental state of the active expiry cycle. This is the narrow API the
 * commands use (lookup, insert, delete, iterate), so that the single keyspace lock can later be
 * replaced by striping without touching them.
 */
public final class Database {
    private final int id;
    private final Keyspace keyspace;
    private ValueTable values = new ValueTable(8, false, true);
    private ExpireTable expires = new ExpireTable();
    private long expireCursor;
    /**
     * KeyDB's subkey expiry (EXPIREMEMBER): per key with member TTLs, a table member → unix ms.
     * Only keys whose members have a TTL have an entry; the value table's clock is unused here.
     */
    private ValueTable memberExpires = new ValueTable();
    private long memberExpireCursor;

    /**
     * Bytes of the key, TTL and member-TTL tables' slots: per slot a key reference and a cached
     * hash, and the value reference and access clock (or the expiry time).
     */
    long tableBytes() {
        return values.capacity() * 16L + expires.capacity() * 16L + memberExpires.capacity() * 16L;
    }

    /** The key table and the TTL table, for their statistics (DEBUG HTSTATS). */
    public OpenKeyTable keyTable() {
        return values;
    }

    public OpenKeyTable expireTable() {
        return expires;
    }

    /** Slots of the key table (grown at 3/4 full). */
    public int tableCapacity() {
        return values.capacity();
    }

    /** Sizes the key and TTL tables for that many keys at once (an RDB file's RESIZEDB hint). */
    public void ensureCapacity(int keys, int expiring) {
        values.ensureCapacity(keys);
        expires.ensureCapacity(expiring);
    }

    Database(int id, Keyspace keyspace) {
        this.id = id;
        this.keyspace = keyspace;
    }

    public int id() {
        return id;
    }

    public int size() {
        return values.size();
    }

    public int volatileCount() {
        return expires.size();
    }

    /** The value of a live key, or null; expires it if due and refreshes its access clock. */
    public Object lookup(byte[] key, long now) {
        int slot = values.slotOf(key);
        if (slot < 0) {
            return null;
        }
        if (expires.size() > 0 && expireIfDue(key, now)) {
            return null;
        }
        // Expiring members changes the collection, not the table, so the slot stays valid.
        if (memberExpires.size() > 0 && expireMembersIfDue(key, now)) {
            return null;
        }
        AccessClock clock = keyspace.accessClock();
        values.setClock(slot, clock.lfu() ? clock.onAccess(values.clockAt(slot), now) : AccessClock.seconds(now));
        return keyspace.valueForCommand(values, slot);
    }

    /** As {@link #lookup} but leaves the access clock alone (OBJECT, TYPE-like introspection). */
    public Object lookupNoTouch(byte[] key, long now) {
        int slot = values.slotOf(key);
        if (slot < 0) {
            return null;
        }
        if (expires.size() > 0 && expireIfDue(key, now)) {
            return null;
        }
        if (memberExpires.size() > 0 && expireMembersIfDue(key, now)) {
            return null;
        }
        return keyspace.valueForCommand(values, slot);
    }

    /**
     * The stored value, expired or not, without touching its clock or expiring it (snapshots
     * and RDB saving, which write keys with their TTL as they are).
     */
    public Object peek(byte[] key) {
        return values.get(key);
    }

    public boolean exists(byte[] key, long now) {
        return lookupNoTouch(key, now) != null;
    }

    /** Access clock of a live key (see {@link Keyspace#clock}), or -1. */
    public int clockOf(byte[] key) {
        int slot = values.slotOf(key);
        return slot < 0 ? -1 : values.clockAt(slot);
    }

    /** Last-write time of a key (see {@link ValueTable#modifiedAt}), or -1 when absent. */
    public int modifiedOf(byte[] key) {
        int slot = values.slotOf(key);
        return slot < 0 ? -1 : values.modifiedAt(slot);
    }

    /**
     * Starts keeping a last-write time per key (OBJECT LASTMODIFIED), 4 bytes a slot; called
     * on an empty database at start-up, the tables made later (FLUSH) keep doing it.
     */
    void trackModification() {
        if (!values.tracksModified()) {
            ValueTable t = new ValueTable(8, true, true);
            values.forEachKey(k -> t.put(k, values.get(k), values.clockAt(values.slotOf(k))));
            values = t;
        }
    }

    /** Records a write to an existing key at {@code time}; nothing for an absent one. */
    public void setModified(byte[] key, int time) {
        int slot = values.slotOf(key);
        if (slot >= 0) {
            values.setModified(slot, time);
        }
    }

    /** Sets the access clock of an existing key (RESTORE IDLETIME). */
    public void setClock(byte[] key, int clock) {
        int slot = values.slotOf(key);
        if (slot >= 0) {
            values.setClock(slot, clock);
        }
    }

    /**
     * Stores a value: a new key's access clock starts now; an existing key's is refreshed
     * under LRU and kept under LFU (its counter survives an overwrite, as in Redis).
     */
    private Object store(byte[] key, Object value, long now) {
        AccessClock clock = keyspace.accessClock();
        return clock.lfu() ? values.putKeepClock(key, value, clock.forNewKey(now)) : values.put(key, value, clock.forNewKey(now));
    }

    /** Estimates the size of a key again after its value changed in place (maxmemory's accounting). */
    public void reweigh(byte[] key) {
        int slot = values.slotOf(key);
        if (slot >= 0) {
            values.reweigh(slot);
        }
    }

    /** The estimated size of this database's keys and values. */
    long datasetBytes() {
        return values.weighedBytes();
    }

    /** A key's clock as eviction reads it, or -1 when absent. */
    int clockAtKey(byte[] key) {
        int slot = values.slotOf(key);
        return slot < 0 ? -1 : values.clockAt(slot);
    }

    ValueTable valueTable() {
        return values;
    }

    ExpireTable expiries() {
        return expires;
    }

    /** Set a key's value, dropping any TTL it had (SET semantics). */
    public void set(byte[] key, Object value, long now) {
        Object old = store(key, value, now);
        if (old == null) {
            keyspace.onAdded(id, key);
        } else {
            if (expires.size() > 0) {
                expires.remove(key);
            }
            if (memberExpires.size() > 0) {
                memberExpires.remove(key);
            }
        }
    }

    /** Replace the value of an existing key or add it, keeping any TTL (SET KEEPTTL, APPEND, INCR). */
    public void setKeepTtl(byte[] key, Object value, long now) {
        if (store(key, value, now) == null) {
            keyspace.onAdded(id, key);
        }
    }

    /**
     * Adds a key with its TTL unless it exists (one table probe: loading a file, where a
     * duplicate key fails the whole load). False, and the existing value replaced, if it existed.
     */
    public boolean addAbsent(byte[] key, Object value, long now, long expireAtMs) {
        if (store(key, value, now) != null) {
            return false;
        }
        keyspace.onAdded(id, key);
        if (expireAtMs != ExpireTable.NONE) {
            setExpire(key, expireAtMs);
        }
        return true;
    }

    /** Add a key that is known to be absent and give it a TTL in one step (SETEX, RESTORE). */
    public void set(byte[] key, Object value, long now, long expireAtMs) {
        set(key, value, now);
        if (expireAtMs != ExpireTable.NONE) {
            setExpire(key, expireAtMs);
        }
    }

    public boolean delete(byte[] key) {
        if (values.remove(key) == null) {
            return false;
        }
        if (expires.size() > 0) {
            expires.remove(key);
        }
        if (memberExpires.size() > 0) {
            memberExpires.remove(key);
        }
        return true;
    }

    /** Expiry time of a key in unix ms, or {@link ExpireTable#NONE}. Does not check liveness. */
    public long expireAt(byte[] key) {
        return expires.size() == 0 ? ExpireTable.NONE : expires.get(key);
    }

    /** Give an existing key a TTL; the expiry table shares the key array stored in the value table. */
    public void setExpire(byte[] key, long whenMs) {
        int slot = values.slotOf(key);
        if (slot < 0) {
            throw new IllegalStateException("setExpire on a missing key");
        }
        expires.put(values.keyOf(slot), whenMs);
    }

    public boolean persist(byte[] key) {
        return expires.size() > 0 && expires.remove(key);
    }

    // ---- KeyDB subkey expiry ----------------------------------------------------------------

    /** Gives a member of the collection at {@code key} a TTL (the caller checked it exists). */
    public void setMemberExpire(byte[] key, byte[] member, long whenMs) {
        int slot = values.slotOf(key);
        if (slot < 0) {
            throw new IllegalStateException("setMemberExpire on a missing key");
        }
        byte[] storedKey = values.keyOf(slot);
        ExpireTable t = (ExpireTable) memberExpires.get(storedKey);
        if (t == null) {
            t = new ExpireTable();
            memberExpires.put(storedKey, t, 0);
        }
        t.put(member, whenMs);
    }

    /** A member's expiry time in unix ms, or {@link ExpireTable#NONE}. */
    public long memberExpireAt(byte[] key, byte[] member) {
        if (memberExpires.size() == 0) {
            return ExpireTable.NONE;
        }
        ExpireTable t = (ExpireTable) memberExpires.get(key);
        return t == null ? ExpireTable.NONE : t.get(member);
    }

    /** Receives one member TTL of a key. */
    @FunctionalInterface
    public interface MemberExpiry {
        void accept(byte[] member, long whenMs);
    }

    /** Visits the member TTLs of one key, read-only (RDB saving). */
    public void forEachMemberExpire(byte[] key, MemberExpiry visitor) {
        if (memberExpires.size() == 0) {
            return;
        }
        ExpireTable t = (ExpireTable) memberExpires.get(key);
        if (t != null) {
            t.forEachKey(m -> visitor.accept(m, t.get(m)));
        }
    }

    /** Keys with member TTLs (INFO, tests). */
    public int keysWithMemberExpiry() {
        return memberExpires.size();
    }

    /** Removes the due members of one key; true when that emptied and deleted the key. */
    private boolean expireMembersIfDue(byte[] key, long now) {
        ExpireTable t = (ExpireTable) memberExpires.get(key);
        if (t == null || !keyspace.expiryEnabled()) {
            return false;
        }
        List<byte[]> due = new ArrayList<>();
        t.forEachKey(m -> {
            if (t.get(m) <= now) {
                due.add(m);
            }
        });
        return removeMembers(key, t, due);
    }

    private boolean removeMembers(byte[] key, ExpireTable t, List<byte[]> due) {
        if (due.isEmpty()) {
            return false;
        }
        Object value = keyspace.ownedValue(values, values.slotOf(key));
        boolean emptied = false;
        for (byte[] m : due) {
            t.remove(m);
            emptied = Values.removeMember(value, m);
            keyspace.onMemberExpired(id, key, m);
        }
        if (t.size() == 0) {
            memberExpires.remove(key);
        }
        if (emptied) {
            delete(key);
            keyspace.onExpired(id, key);
        } else {
            reweigh(key);
        }
        return emptied;
    }

    /** One active-cycle step over member TTLs: visits a few keys from where the last step stopped. */
    public int activeMemberExpireStep(long now, int keyBudget) {
        if (memberExpires.size() == 0 || !keyspace.expiryEnabled()) {
            return 0;
        }
        List<byte[]> keys = new ArrayList<>();
        long cursor = memberExpireCursor;
        int visited = 0;
        do {
            ValueTable t = memberExpires;
            cursor = t.scan(cursor, slot -> keys.add(t.keyOf(slot)));
            visited++;
        } while (cursor != 0 && keys.size() < keyBudget && visited < keyBudget * 20);
        memberExpireCursor = cursor;
        int expired = 0;
        for (byte[] key : keys) {
            ExpireTable t = (ExpireTable) memberExpires.get(key);
            if (t == null) {
                continue;
            }
            List<byte[]> due = new ArrayList<>();
            t.forEachKey(m -> {
                if (t.get(m) <= now) {
                    due.add(m);
                }
            });
            expired += due.size();
            removeMembers(key, t, due);
        }
        return expired;
    }

    private boolean expireIfDue(byte[] key, long now) {
        long when = expires.get(key);
        if (when == ExpireTable.NONE || when > now || !keyspace.expiryEnabled()) {
            return false;
        }
        values.remove(key);
        expires.remove(key);
        if (memberExpires.size() > 0) {
            memberExpires.remove(key);
        }
        keyspace.onExpired(id, key);
        return true;
    }

    /** One SCAN step over the keys (expired ones included; the caller filters them). */
    public long scan(long cursor, Consumer<byte[]> keys) {
        ValueTable t = values;
        return t.scan(cursor, slot -> keys.accept(t.keyOf(slot)));
    }

    /** Visitor of {@link #forEachEntry}. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] key, Object value, long expireAt) throws java.io.IOException;
    }

    /**
     * Every key with its value and expiry time ({@link ExpireTable#NONE} for none), expired
     * keys included, in table order — RDB writing, one pass without lookups. The database
     * must not change meanwhile (hold the lock, or read a snapshot's view).
     */
    public void forEachEntry(EntryVisitor visitor) throws java.io.IOException {
        ValueTable t = values;
        boolean volatileKeys = expires.size() > 0;
        for (int slot = 0; slot < t.capacity(); slot++) {
            byte[] key = t.keyOf(slot);
            if (key != null) {
                visitor.visit(key, t.valueAt(slot), volatileKeys ? expires.get(key) : ExpireTable.NONE);
            }
        }
    }

    /** Every key (a snapshot of the key references, safe to modify the database while using it). */
    public List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>(values.size());
        values.forEachKey(out::add);
        return out;
    }

    /** A random live key or null; gives up on keys that are all expired after bounded tries, as Redis. */
    public byte[] randomKey(long now, RandomGenerator rnd) {
        for (int tries = 0; tries < 100 && values.size() > 0; tries++) {
            int slot = values.randomSlot(rnd);
            byte[] key = values.keyOf(slot);
            if (expires.size() == 0 || !expireIfDue(key, now)) {
                return key;
            }
        }
        return null;
    }

    /**
     * One step of the active expiry cycle: visits up to {@code sampleBudget} volatile keys from
     * where the previous step stopped and deletes the ones that are due. Returns
     * {sampled, expired} packed as sampled &lt;&lt; 32 | expired.
     */
    public long activeExpireStep(long now, int sampleBudget) {
        if (expires.size() == 0 || !keyspace.expiryEnabled()) {
            return 0;
        }
        int sampled = 0, expired = 0;
        List<byte[]> due = new ArrayList<>();
        long cursor = expireCursor;
        ExpireTable e = expires;
        int buckets = 0;
        do {
            due.clear();
            int[] seen = {0};
            cursor = e.scan(cursor, slot -> {
                seen[0]++;
                if (e.whenAt(slot) <= now) {
                    due.add(e.keyOf(slot));
                }
            });
            sampled += seen[0];
            for (byte[] key : due) {
                values.remove(key);
                expires.remove(key);
                if (memberExpires.size() > 0) {
                    memberExpires.remove(key);
                }
                keyspace.onExpired(id, key);
                expired++;
            }
            buckets++;
        } while (cursor != 0 && sampled < sampleBudget && buckets < sampleBudget * 20 && expires.size() > 0);
        expireCursor = cursor;
        return ((long) sampled << 32) | expired;
    }

    /**
     * Moves every key of {@code from} (a database loaded on the side, e.g. by DEBUG RELOAD)
     * into this one with its TTL and member TTLs, replacing keys that exist in both.
     */
    public void absorb(Database from, long now) {
        from.values.forEachKey(k -> set(k, from.values.get(k), now, from.expireAt(k)));
        from.memberExpires.forEachKey(k -> {
            int slot = values.slotOf(k);
            memberExpires.put(values.keyOf(slot), from.memberExpires.get(k), 0);
        });
    }

    /** A copy for a snapshot's view: the tables are copied, the values shared (see {@link Keyspace#snapshot}). */
    Database frozenCopy(Keyspace view) {
        Database d = new Database(id, view);
        d.values = values.frozenCopy();
        d.expires = expires.copy();
        ValueTable m = memberExpires.frozenCopy();
        // Member expiry tables change in place and are small: copied outright.
        m.forEachKey(k -> {
            int slot = m.slotOf(k);
            m.setValueAt(slot, ((ExpireTable) m.valueAt(slot)).copy());
        });
        d.memberExpires = m;
        return d;
    }

    public void clear() {
        values = new ValueTable(8, keyspace.tracksModification(), true);
        expires = new ExpireTable();
        expireCursor = 0;
        memberExpires = new ValueTable();
        memberExpireCursor = 0;
    }

    /** Exchange contents with another database (SWAPDB). */
    void swapContents(Database other) {
        ValueTable v = values;
        ExpireTable e = expires;
        ValueTable m = memberExpires;
        values = other.values;
        expires = other.expires;
        memberExpires = other.memberExpires;
        other.values = v;
        other.expires = e;
        other.memberExpires = m;
        expireCursor = 0;
        other.expireCursor = 0;
    }
}
