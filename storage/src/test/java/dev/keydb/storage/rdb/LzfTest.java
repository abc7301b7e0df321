package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LzfTest {
    private static byte[] roundTrip(byte[] in) throws RdbException {
        byte[] out = new byte[in.length + in.length / 16 + 64];
        int n = Lzf.compress(in, 0, in.length, out, 0, out.length);
        if (n == 0) {
            return null;
        }
        return Lzf.decompress(out, 0, n, in.length);
    }

    @Property(tries = 500)
    void compressThenDecompressIsIdentity(@ForAll("data") byte[] in) throws RdbException {
        byte[] back = roundTrip(in);
        if (in.length > 0) {
            assertThat(back).isEqualTo(in);
        }
    }

    @Provide
    Arbitrary<byte[]> data() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> repetitive = Arbitraries.bytes().between((byte) 'a', (byte) 'd').array(byte[].class).ofMaxSize(20000);
        Arbitrary<byte[]> runs = Arbitraries.integers().between(1, 100000).map(n -> {
            byte[] b = new byte[n];
            Arrays.fill(b, (byte) 'x');
            return b;
        });
        return Arbitraries.oneOf(random, repetitive, runs);
    }

    @Test
    void compressesRepetitiveData() throws RdbException {
        byte[] in = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[in.length];
        int n = Lzf.compress(in, 0, in.length, out, 0, out.length - 4);
        assertThat(n).isPositive().isLessThan(in.length / 10);
        assertThat(Lzf.decompress(out, 0, n, in.length)).isEqualTo(in);
    }

    @Test
    void incompressibleDataDoesNotFitAndReturnsZero() {
        byte[] in = new byte[100];
        new java.util.Random(1).nextBytes(in);
        byte[] out = new byte[in.length - 4];
        assertThat(Lzf.compress(in, 0, in.length, out, 0, out.length)).isZero();
    }

    @Test
    void corruptInputIsRejected() {
        // a back reference before the start of the output
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {(byte) 0x20, 5}, 0, 2, 3)).isInstanceOf(RdbException.class);
        // a literal run past the input
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {5, 'a'}, 0, 2, 6)).isInstanceOf(RdbException.class);
        // shorter than declared
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {0, 'a'}, 0, 2, 2)).isInstanceOf(RdbException.class);
    }
}
