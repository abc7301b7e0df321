package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.RawString;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final long LIMIT = HyperLogLog.DEFAULT_SPARSE_MAX_BYTES;

    @Test
    void emptyHllIsRedisSparseXzero() {
        assertThat(HexFormat.of().formatHex(HyperLogLog.create())).isEqualTo("48594c4c0100000000000000000000007fff");
    }

    @Test
    void bytesMatchRedis() {
        // Reference values from redis-server 7.0.15: PFADD h a / PFADD h2 hello foo bar, PFCOUNT h2, GET h2.
        RawString h = new RawString(HyperLogLog.create());
        assertThat(HyperLogLog.add(h, b("a"), LIMIT)).isEqualTo(1);
        assertThat(HyperLogLog.decode(h)).isEqualTo("Z:12711 v:2,1 Z:3672");
        RawString h2 = new RawString(HyperLogLog.create());
        for (String e : new String[] {"hello", "foo", "bar"}) {
            HyperLogLog.add(h2, b(e), LIMIT);
        }
        assertThat(HyperLogLog.decode(h2)).isEqualTo("Z:7348 v:5,1 Z:1867 v:1,1 Z:790 v:1,1 Z:6376");
        assertThat(HyperLogLog.validCache(h2)).isFalse();
        long card = HyperLogLog.count(h2);
        assertThat(card).isEqualTo(3);
        HyperLogLog.storeCardinality(h2, card);
        assertThat(HexFormat.of().formatHex(h2.toBytes())).isEqualTo("48594c4c010000000300000000000000" + "5cb390474a8043158058e7");
        assertThat(HyperLogLog.validCache(h2)).isTrue();
        assertThat(HyperLogLog.cachedCardinality(h2)).isEqualTo(3);
    }

    @Test
    void sparseAndDenseAgreeAndPromotionKeepsRegisters() {
        Random rnd = new Random(3);
        RawString sparse = new RawString(HyperLogLog.create());
        RawString dense = new RawString(HyperLogLog.create());
        assertThat(HyperLogLog.sparseToDense(dense)).isTrue();
        assertThat(dense.length()).isEqualTo(HyperLogLog.DENSE_SIZE);
        for (int i = 1; i <= 5000; i++) {
            byte[] e = b("e" + rnd.nextLong());
            assertThat(HyperLogLog.add(sparse, e, LIMIT)).isEqualTo(HyperLogLog.add(dense, e, LIMIT));
            if (i % 250 == 0) {
                assertThat(HyperLogLog.count(sparse)).isEqualTo(HyperLogLog.count(dense));
            }
        }
        assertThat(HyperLogLog.encoding(sparse)).isEqualTo(HyperLogLog.DENSE);
        // Registers equal; only the cache-validity bit differs (the command layer sets it for dense adds).
        assertThat(java.util.Arrays.copyOfRange(sparse.toBytes(), HyperLogLog.HDR_SIZE, HyperLogLog.DENSE_SIZE))
                .isEqualTo(java.util.Arrays.copyOfRange(dense.toBytes(), HyperLogLog.HDR_SIZE, HyperLogLog.DENSE_SIZE));
        byte[] max = new byte[HyperLogLog.REGISTERS];
        assertThat(HyperLogLog.merge(max, dense)).isTrue();
        assertThat(HyperLogLog.countRaw(max)).isEqualTo(HyperLogLog.count(dense));
    }

    @Test
    void sparseLimitDecidesPromotion() {
        RawString s = new RawString(HyperLogLog.create());
        int i = 0;
        while (HyperLogLog.encoding(s) == HyperLogLog.SPARSE) {
            assertThat(s.length()).isLessThanOrEqualTo(40);
            HyperLogLog.add(s, b("x" + i++), 40);
        }
        assertThat(i).isBetween(3, 40);
        assertThat(s.length()).isEqualTo(HyperLogLog.DENSE_SIZE);
    }

    @Test
    void corruptSparseDataIsDetected() {
        byte[] v = HyperLogLog.create();
        v[17] = 0x00; // XZERO now covers 16129 registers, not 16384
        RawString s = new RawString(v);
        assertThat(HyperLogLog.isValid(v, v.length)).isTrue();
        assertThat(HyperLogLog.count(s)).isEqualTo(-1);
        assertThat(HyperLogLog.merge(new byte[HyperLogLog.REGISTERS], s)).isFalse();
        assertThat(HyperLogLog.sparseToDense(new RawString(v.clone()))).isFalse();
        assertThat(HyperLogLog.isValid(b("HYLL"), 4)).isFalse();
        byte[] denseShort = new byte[100];
        System.arraycopy(b("HYLL"), 0, denseShort, 0, 4);
        assertThat(HyperLogLog.isValid(denseShort, 100)).isFalse();
    }

    @Test
    void selfTestPasses() {
        assertThat(HyperLogLog.selfTest(new Random(5), LIMIT)).isNull();
    }
}
