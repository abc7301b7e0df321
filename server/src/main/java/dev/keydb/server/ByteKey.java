package dev.keydb.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte string as a hash-map key (channel names, tracked keys): value equality over the bytes.
 * Only small server-side registries use it; the keyspace itself never wraps keys.
 */
public record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
