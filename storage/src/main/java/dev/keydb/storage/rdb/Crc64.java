package dev.keydb.storage.rdb;

/**
 * Redis's crc64.c: CRC-64 with the Jones polynomial (0xad93d23594c935a9), reflected input and
 * output, initial value 0, no final xor. {@code "123456789"} gives 0xe9c6d914c4b8d9ca.
 * Table-driven, one byte at a time.
 */
public final class Crc64 {
    /** The Jones polynomial, bit-reversed for the reflected algorithm. */
    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc64() {}

    /** Continues {@code crc} over {@code b[off, off+len)}. */
    public static long update(long crc, byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            crc = TABLE[(int) (crc ^ b[i]) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
