package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers.parseLongOrNull is Redis's string2ll: strict, canonical decimal only. */
class NumbersTest {
    private static Long parse(String s) {
        return Numbers.parseLongOrNull(s.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "10000", "-10"})
    void acceptsCanonicalIntegers(String s) {
        assertThat(parse(s)).isEqualTo(Long.parseLong(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "-", "+", "+1", "01", "007", "-0", "-01", "00", " 1", "1 ", "1a", "a1", "1.0", "1e3", "0x10",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999",
        "-99999999999999999999", "00000000000000000001", "123456789012345678901", "--1", "\u0000"
    })
    void rejectsEverythingElse(String s) {
        assertThat(parse(s)).isNull();
    }

    @Property(tries = 2000)
    void roundTripsEveryLong(@ForAll long v) {
        assertThat(Numbers.parseLongOrNull(Numbers.toBytes(v))).isEqualTo(v);
    }

    @Property(tries = 500)
    void agreesWithLongParseLongOnCanonicalText(@ForAll String s) {
        Long ours = Numbers.parseLongOrNull(s.getBytes(StandardCharsets.UTF_8));
        Long expected;
        try {
            long l = Long.parseLong(s);
            expected = Long.toString(l).equals(s) ? l : null;
        } catch (NumberFormatException e) {
            expected = null;
        }
        assertThat(ours).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-9223372036854775808", "12345678901234567890"})
    void twentyCharactersIsTheLimitNotAnError(String s) {
        assertThat(s).hasSize(20);
        assertThat(parse(s)).isEqualTo(s.startsWith("-") ? Long.MIN_VALUE : null); // the second overflows
    }
}
