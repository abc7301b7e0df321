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
}
