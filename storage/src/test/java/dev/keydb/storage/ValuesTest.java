package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Values.copy: what COPY duplicates and what it may share. */
class ValuesTest {
    @Test
    void immutableStringsAreShared() {
        byte[] b = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(Values.copy(b)).isSameAs(b);
        Long l = 123456789L;
        assertThat(Values.copy(l)).isSameAs(l);
    }

    @Test
    void sharedIntegersGetAnObjectOfTheirOwnAsRedisDupStringObject() {
        for (long v : new long[] {0, 5, 127, 128, 9999}) {
            Long shared = Strings.fromLong(v);
            assertThat(Strings.isShared(shared)).isTrue();
            Object copy = Values.copy(shared);
            assertThat(copy).isEqualTo(v);
            assertThat(Strings.isShared(copy)).as("copy of %d", v).isFalse();
            assertThat(Strings.encoding(copy)).isEqualTo("int");
        }
    }

    @Test
    void rawStringsAreCopiedIndependently() {
        RawString r = new RawString("abc".getBytes(StandardCharsets.US_ASCII));
        r.append("def".getBytes(StandardCharsets.US_ASCII));
        RawString c = (RawString) Values.copy(r);
        assertThat(c).isNotSameAs(r);
        assertThat(c.toBytes()).isEqualTo("abcdef".getBytes(StandardCharsets.US_ASCII));
        c.append("!".getBytes(StandardCharsets.US_ASCII));
        r.setByte(0, (byte) 'X');
        assertThat(r.toBytes()).isEqualTo("Xbcdef".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.toBytes()).isEqualTo("abcdef!".getBytes(StandardCharsets.US_ASCII));
        assertThat(Strings.encoding(c)).isEqualTo("raw");
    }

    @Test
    void typedValuesCopyThemselves() {
        Box box = new Box(7);
        Object copy = Values.copy(box);
        assertThat(copy).isInstanceOf(Box.class).isNotSameAs(box);
        assertThat(((Box) copy).n).isEqualTo(7);
        assertThat(ValueType.of(copy)).isEqualTo(ValueType.LIST);
        assertThat(ValueType.encodingOf(copy)).isEqualTo("test");
    }

    @Test
    void rejectsNonValues() {
        assertThatThrownBy(() -> Values.copy("a string")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Values.copy(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final class Box implements ValueType.Typed {
        final int n;

        Box(int n) {
            this.n = n;
        }

        @Override
        public ValueType type() {
            return ValueType.LIST;
        }

        @Override
        public String encoding() {
            return "test";
        }

        @Override
        public ValueType.Typed copy() {
            return new Box(n);
        }
    }
}
