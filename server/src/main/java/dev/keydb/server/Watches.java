package dev.keydb.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WATCHed keys (Redis's multi.c): which clients watch which (db, key), and a per-client
 * "dirty" flag set when a watched key is modified, deleted, expired, flushed or swapped away,
 * so that the client's EXEC fails. All methods run under the keyspace lock.
 */
public final class Watches {
    /**
     * A watched key, and whether it was already logically expired when WATCH ran: its later
     * deletion by expiry is then no change (Redis 7.0's watchedKey.expired).
     */
    public record Watched(int db, byte[] key, boolean expiredWhenWatched) {}


    private final Map<DbKey, Set<Client>> watchers = new HashMap<>();

    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    void watch(Client c, int db, byte[] key, boolean expired) {
        for (Watched w : c.watched()) {
            if (w.db() == db && Arrays.equals(w.key(), key)) {
                return;
            }
        }
        c.watched().add(new Watched(db, key, expired));
        watchers.computeIfAbsent(new DbKey(db, key), k -> new LinkedHashSet<>()).add(c);
    }

    void unwatchAll(Client c) {
        for (Watched w : c.watched()) {
            DbKey k = new DbKey(w.db(), w.key());
            Set<Client> s = watchers.get(k);
            if (s != null) {
                s.remove(c);
                if (s.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        c.watched().clear();
        c.watchDirty = false;
    }

    /** signalModifiedKey: every client watching the key will fail its EXEC. */
    public void touch(int db, byte[] key) {
        touch(db, key, false);
    }

    /** A key deleted because it expired: no change for watchers that saw it expired already. */
    public void touchExpired(int db, byte[] key) {
        touch(db, key, true);
    }

    private void touch(int db, byte[] key, boolean byExpiry) {
        if (watchers.isEmpty()) {
            return;
        }
        Set<Client> s = watchers.get(new DbKey(db, key));
        if (s == null) {
            return;
        }
        for (Client c : s) {
            if (byExpiry && expiredWhenWatched(c, db, key)) {
                continue;
            }
            c.watchDirty = true;
        }
    }

    private static boolean expiredWhenWatched(Client c, int db, byte[] key) {
        for (Watched w : c.watched()) {
            if (w.db() == db && Arrays.equals(w.key(), key)) {
                return w.expiredWhenWatched();
            }
        }
        return false;
    }

    /** FLUSHDB/FLUSHALL/SWAPDB: watchers of keys that exist in the affected db are dirtied. */
    public void touchWhere(int db, java.util.function.Predicate<byte[]> existed) {
        if (watchers.isEmpty()) {
            return;
        }
        List<Map.Entry<DbKey, Set<Client>>> entries = new ArrayList<>(watchers.entrySet());
        for (Map.Entry<DbKey, Set<Client>> e : entries) {
            if (e.getKey().db() == db && existed.test(e.getKey().key())) {
                for (Client c : e.getValue()) {
                    c.watchDirty = true;
                }
            }
        }
    }
}
