package dev.keydb.server;

/**
 * CLIENT PAUSE state, as Redis 7.0 keeps it: a pause type and an end time. While a pause is
 * in force, {@link Server#executeBatch} holds the commands it covers (every command for ALL;
 * write and may-replicate commands for WRITE) on the client until the pause ends or CLIENT
 * UNPAUSE. A new pause during an active one keeps the stronger type and the later end.
 * Written under the keyspace lock; read anywhere (volatile).
 */
public final class ClientPause {
    /** Ordered by strength: ALL covers everything WRITE covers. */
    public enum Type { NONE, WRITE, ALL }

    private volatile Type type = Type.NONE;
    private volatile long endNanos;

    /** The type in force now, NONE once the end time has passed. */
    public Type current() {
        Type t = type;
        if (t == Type.NONE) {
            return Type.NONE;
        }
        return System.nanoTime() - endNanos < 0 ? t : Type.NONE;
    }

    public boolean active() {
        return current() != Type.NONE;
    }

    /** Nanoseconds until the current pause ends (0 if none). */
    public long remainingNanos() {
        return current() == Type.NONE ? 0 : Math.max(0, endNanos - System.nanoTime());
    }

    void pause(Type t, long millis) {
        long end = System.nanoTime() + Math.min(millis, Long.MAX_VALUE / 2_000_000) * 1_000_000;
        Type now = current();
        if (now != Type.NONE) {
            if (t.compareTo(now) < 0) {
                t = now;
            }
            if (end - endNanos < 0) {
                end = endNanos;
            }
        }
        endNanos = end;
        type = t;
    }

    void unpause() {
        type = Type.NONE;
    }
}
