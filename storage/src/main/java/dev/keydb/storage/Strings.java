package dev.keydb.storage;

/**
 * The three representations of a string value and Redis's names for them: {@link Long}
 * ("int"), {@code byte[]} ("embstr" up to 44 bytes, else "raw") and {@link RawString} ("raw").
 */
public final class Strings {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;
    /** Integers Redis shares (OBJ_SHARED_INTEGERS); OBJECT REFCOUNT reports them as INT_MAX. */
    public static final int SHARED_INTEGERS = 10000;
    private static final Long[] SHARED = new Long[SHARED_INTEGERS];

    static {
        for (int i = 0; i < SHARED_INTEGERS; i++) {
            SHARED[i] = (long) i;
        }
    }

    private Strings() {}

    public static boolean isString(Object v) {
        return v instanceof byte[] || v instanceof Long || v instanceof RawString;
    }

    /** The value to store for the bytes of a SET: an integer when Redis would int-encode it. */
    public static Object encode(byte[] value) {
        if (value.length <= 20 && value.length > 0) {
            Long l = Numbers.parseLongOrNull(value);
            if (l != null) {
                return fromLong(l);
            }
        }
        return value;
    }

    public static Long fromLong(long v) {
        return v >= 0 && v < SHARED_INTEGERS ? SHARED[(int) v] : Long.valueOf(v);
    }

    public static boolean isShared(Object v) {
        return v instanceof Long l && l >= 0 && l < SHARED_INTEGERS && SHARED[(int) (long) l] == l;
    }

    /** The value's bytes (a copy for RawString, a fresh array for Long). */
    public static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof Long l) {
            return Numbers.toBytes(l);
        }
        return ((RawString) v).toBytes();
    }

    public static int length(Object v) {
        if (v instanceof byte[] b) {
            return b.length;
        }
        if (v instanceof Long l) {
            return Long.toString(l).length();
        }
        return ((RawString) v).length();
    }

    public static String encoding(Object v) {
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof byte[] b) {
            return b.length <= EMBSTR_LIMIT ? "embstr" : "raw";
        }
        return "raw";
    }

    /** A value that can be modified in place, converting from the other representations. */
    public static RawString mutable(Object v) {
        return v instanceof RawString r ? r : new RawString(bytes(v).clone());
    }
}
