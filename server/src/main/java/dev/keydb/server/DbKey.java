package dev.keydb.server;

import java.util.Arrays;

/** A key in a numbered database, as a hash-map key (blocked clients, WATCH). */
record DbKey(int db, byte[] key) {
    @Override
    public boolean equals(Object o) {
        return o instanceof DbKey k && k.db == db && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return 31 * db + Arrays.hashCode(key);
    }
}
