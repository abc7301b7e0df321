package dev.keydb.storage;

/** Operations on any stored value, whatever its type. */
public final class Values {
    private Values() {}

    /**
     * A deep copy of a value for COPY: {@code byte[]} strings and {@link Long} integers are
     * never modified in place and are shared as they are (except shared integers, see
     * {@link #unshared}); a {@link RawString} (modified in
     * place by APPEND/SETRANGE/SETBIT) is copied; other types copy themselves through
     * {@link ValueType.Typed#copy()}.
     */
    public static Object copy(Object value) {
        if (value instanceof Long l) {
            return Strings.isShared(l) ? unshared(l) : l;
        }
        if (value instanceof byte[]) {
            return value;
        }
        if (value instanceof RawString r) {
            return r.copy();
        }
        if (value instanceof ValueType.Typed t) {
            return t.copy();
        }
        throw new IllegalArgumentException("not a stored value: " + (value == null ? "null" : value.getClass().getName()));
    }

    /** Whether a collection (set, hash, sorted set) holds the member; false for other types. */
    public static boolean hasMember(Object value, byte[] member) {
        if (value instanceof dev.keydb.storage.types.SetValue s) {
            return s.contains(member);
        }
        if (value instanceof dev.keydb.storage.types.HashValue h) {
            return h.contains(member);
        }
        if (value instanceof dev.keydb.storage.types.ZSetValue z) {
            return z.contains(member);
        }
        return false;
    }

    /** Whether the value is a collection whose members can carry their own TTL (KeyDB's EXPIREMEMBER). */
    public static boolean supportsMemberExpiry(Object value) {
        return value instanceof dev.keydb.storage.types.SetValue || value instanceof dev.keydb.storage.types.HashValue
                || value instanceof dev.keydb.storage.types.ZSetValue;
    }

    /** Removes a member from a set, hash or sorted set; returns whether the collection is now empty. */
    static boolean removeMember(Object value, byte[] member) {
        if (value instanceof dev.keydb.storage.types.SetValue s) {
            s.remove(member);
            return s.size() == 0;
        }
        if (value instanceof dev.keydb.storage.types.HashValue h) {
            h.remove(member);
            return h.size() == 0;
        }
        if (value instanceof dev.keydb.storage.types.ZSetValue z) {
            z.remove(member);
            return z.size() == 0;
        }
        return false;
    }

    /**
     * Redis's dupStringObject gives a copied shared integer an object of its own (OBJECT
     * REFCOUNT 1 on the copy). Long.valueOf hands out the JVM's cached instances below 128,
     * so only the constructor yields a distinct one there.
     */
    @SuppressWarnings("removal")
    private static Long unshared(long v) {
        return new Long(v);
    }
}
