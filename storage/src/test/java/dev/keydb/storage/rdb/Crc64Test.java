package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void redisTestVector() {
        // crc64.c's own test: crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void incrementalEqualsWhole() {
        byte[] data = "This is a test of the emergency broadcast system.".getBytes(StandardCharsets.US_ASCII);
        long whole = Crc64.of(data);
        long part = Crc64.update(Crc64.update(0, data, 0, 10), data, 10, data.length - 10);
        assertThat(part).isEqualTo(whole);
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    /** The 8-bytes-at-a-time path agrees with the plain byte-wise definition at every length and offset. */
    @Test
    void slicingAgreesWithTheByteWiseDefinition() {
        java.util.Random rnd = new java.util.Random(7);
        byte[] data = new byte[300];
        rnd.nextBytes(data);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; off + len <= data.length; len += 7) {
                assertThat(Crc64.update(12345, data, off, len)).as("off %d len %d", off, len).isEqualTo(byteWise(12345, data, off, len));
            }
        }
    }

    private static long byteWise(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
        }
        return crc;
    }
}
