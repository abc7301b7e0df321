package dev.keydb.storage;

/**
 * The type names TYPE and SCAN TYPE use. KeyDB's nested hashes and cron jobs have no name of
 * their own there: KeyDB's TYPE answers "unknown" for both (getObjectTypeName's default).
 */
public enum ValueType {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream"),
    NESTED_HASH("unknown"), CRON("unknown");

    private final String wireName;

    ValueType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Implemented by every non-string value structure. */
    public interface Typed {
        ValueType type();

        /** OBJECT ENCODING's name for the current representation (listpack, hashtable, ...). */
        String encoding();

        /**
         * An independent deep copy with the same encoding (COPY, and later copy-on-write
         * snapshots): modifying either afterwards must not affect the other. Immutable parts
         * (element byte arrays that are never written in place) may be shared.
         */
        Typed copy();
    }

    public static ValueType of(Object v) {
        if (Strings.isString(v)) {
            return STRING;
        }
        return ((Typed) v).type();
    }

    public static String encodingOf(Object v) {
        if (Strings.isString(v)) {
            return Strings.encoding(v);
        }
        return ((Typed) v).encoding();
    }
}
