package dev.keydb.storage;

/**
 * What the keyspace tells the layer above about changes it makes on its own (expiry), so that
 * the server can propagate a DEL to replicas and the AOF and fire keyspace notifications.
 */
public interface KeyEvents {
    KeyEvents NONE = (db, key) -> { };

    /** {@code key} in database {@code db} was removed because its TTL passed. */
    void expired(int db, byte[] key);

    /**
     * A key that did not exist was created (Redis's dbAdd): clients blocked on it may be
     * served. Called on every creation, so implementations must be cheap when nobody waits.
     */
    default void added(int db, byte[] key) {
    }

    /** A member of the collection at {@code key} was removed because its own TTL passed (KeyDB subkey expiry). */
    default void memberExpired(int db, byte[] key, byte[] member) {
    }
}
