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
