package dev.keydb.storage;

import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.NestedHashValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.StreamValue;
import dev.keydb.storage.types.ZSetValue;

/**
 * Heap-size estimates of keys and values for MEMORY USAGE, with the JVM's layout on a 64-bit
 * VM with compressed oops and class pointers: 12-byte object headers, 16-byte array headers,
 * 4-byte references, everything rounded up to 8 bytes. Figures are estimates of what the key
 * keeps reachable, not measurements (the JVM offers none per object).
 */
public final class MemoryUsage {
    /** One slot of a database table: key reference, cached hash, value reference, access clock, last-write time. */
    public static final int TABLE_SLOT = 4 + 4 + 4 + 4 + 4;

    private MemoryUsage() {}

    /** Bytes of a {@code byte[]} of {@code length} elements. */
    public static long byteArray(long length) {
        return align(16 + length);
    }

    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** The key's array, its table slot and the value. */
    public static long ofKey(byte[] key, Object value) {
        return byteArray(key.length) + TABLE_SLOT + ofValue(value);
    }

    /** {@link #ofValue} for any value, 0 for a type it cannot size yet. */
    public static long estimate(Object value) {
        try {
            return ofValue(value);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** The value's own structure and everything it references. */
    public static long ofValue(Object value) {
        if (value instanceof byte[] b) {
            return byteArray(b.length);
        }
        if (value instanceof Long) {
            return 16; // header + long
        }
        if (value instanceof RawString r) {
            return 24 + byteArray(r.array().length); // object (header, array ref, length) + its buffer
        }
        if (value instanceof ListValue l) {
            return l.memoryUsage();
        }
        if (value instanceof HashValue h) {
            return h.memoryUsage();
        }
        if (value instanceof SetValue s) {
            return s.memoryUsage();
        }
        if (value instanceof ZSetValue z) {
            return z.memoryUsage();
        }
        if (value instanceof NestedHashValue n) {
            return n.memoryUsage();
        }
        if (value instanceof CronJob j) {
            return j.memoryUsage();
        }
        if (value instanceof StreamValue x) {
            return x.memoryUsage();
        }
        throw new IllegalArgumentException("not a stored value: " + (value == null ? "null" : value.getClass().getName()));
    }
}
