package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.MemoryUsage;
import dev.keydb.storage.ValueTable;
import dev.keydb.storage.ValueType;
import java.util.function.BiConsumer;

/**
 * KeyDB's nested hash (t_nhash.cpp, OBJ_NESTEDHASH): a bucket of named children, each a string
 * ({@code byte[]}), a list of strings ({@code byte[][]}, KeyDB's ziplist) or another bucket.
 * KEYDB.NHSET creates the buckets along a dotted path; KEYDB.NHGET reads them back. Children
 * live in a {@link ValueTable} (byte[] keys, hash order like KeyDB's dict).
 */
public final class NestedHashValue extends AccountedValue implements ValueType.Typed {
    /**
     * The deepest nesting accepted (KEYDB.NHSET's path segments, an RDB file's buckets): copy,
     * memory usage, NHGET and DIGEST walk buckets recursively, and KeyDB's own recursion has
     * no bound at all; 1000 levels are far beyond any real use and far within a thread's stack.
     */
    public static final int MAX_DEPTH = 1000;

    private final ValueTable children = new ValueTable(4);

    @Override
    public ValueType type() {
        return ValueType.NESTED_HASH;
    }

    /** KeyDB creates the object with createObject, whose encoding is OBJ_ENCODING_RAW. */
    @Override
    public String encoding() {
        return "raw";
    }

    public int size() {
        return children.size();
    }

    /** The child named {@code name}: {@code byte[]}, {@code byte[][]}, a bucket, or null. */
    public Object get(byte[] name) {
        return children.get(name);
    }

    /** Sets a child; true when it replaced one (KEYDB.NHSET's reply 1). */
    public boolean put(byte[] name, Object child) {
        return children.put(name, child, 0) != null;
    }

    /** Visits every child (name, value) in table order. */
    public void forEach(BiConsumer<byte[], Object> action) {
        children.forEachKey(name -> action.accept(name, children.get(name)));
    }

    @Override
    public NestedHashValue copy() {
        NestedHashValue out = new NestedHashValue();
        forEach((name, child) -> out.put(name, child instanceof NestedHashValue n ? n.copy() : child));
        return out;
    }

    /** Heap estimate for MEMORY USAGE: the table's arrays and every child. */
    public long memoryUsage() {
        long[] total = {16 + 4L * children.capacity() * 5};
        forEach((name, child) -> {
            total[0] += MemoryUsage.byteArray(name.length);
            if (child instanceof byte[] b) {
                total[0] += MemoryUsage.byteArray(b.length);
            } else if (child instanceof byte[][] list) {
                total[0] += MemoryUsage.align(16 + 4L * list.length);
                for (byte[] e : list) {
                    total[0] += MemoryUsage.byteArray(e.length);
                }
            } else {
                total[0] += ((NestedHashValue) child).memoryUsage();
            }
        });
        return total[0];
    }
}
