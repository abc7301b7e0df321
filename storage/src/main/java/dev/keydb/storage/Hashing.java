package dev.keydb.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * Seeded 32-bit hash of byte arrays for the keyspace tables.
 *
 * <p>The seed is random per process (as Redis seeds siphash) so that a client cannot
 * precompute colliding keys. Eight bytes are mixed per step; the final avalanche makes the
 * low bits, which select the bucket, depend on every input bit.
 */
public final class Hashing {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SecureRandom().nextLong();
    private static final long M = 0x9E3779B97F4A7C15L;

    private Hashing() {}

    public static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    public static int hash(byte[] key, int off, int len) {
        long h = SEED ^ (len * M);
        int i = off, end = off + len;
        for (; i + 8 <= end; i += 8) {
            long k = (long) LONGS.get(key, i);
            h = Long.rotateLeft(h ^ (k * M), 29) * 0xBF58476D1CE4E5B9L;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) {
            tail |= (key[i] & 0xFFL) << s;
        }
        h = Long.rotateLeft(h ^ (tail * M), 29) * 0x94D049BB133111EBL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
