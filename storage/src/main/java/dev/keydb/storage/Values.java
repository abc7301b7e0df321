package dev.keydb.storage;

/** Operations on any stored value, whatever its type. */
public final class Values {
    private Values() {}

    /**
     * A deep copy of a value for COPY: {@code byte[]} strings and {@link Long} integers are
     * never modified in place and are shared as they are; a {@link RawString} (modified in
     * place by APPEND/SETRANGE/SETBIT) is copied; other types copy themselves through
     * {@link ValueType.Typed#copy()}.
     */
    public static Object copy(Object value) {
        if (value instanceof byte[] || value instanceof Long) {
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
}
