package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's stringmatchlen, case by case (expectations checked against redis-server 7.0 KEYS). */
class GlobTest {
    private static boolean m(String pattern, String s) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean nocase(String pattern, String s) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), s.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    @ParameterizedTest(name = "[{0}] ~ [{1}] = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "h?llo      | hello    | true",
        "h?llo      | hllo     | false",
        "h*llo      | hllo     | true",
        "h*llo      | heeeello | true",
        "h[ae]llo   | hallo    | true",
        "h[ae]llo   | hillo    | false",
        "h[^e]llo   | hallo    | true",
        "h[^e]llo   | hello    | false",
        "h[a-b]llo  | hbllo    | true",
        "h[a-b]llo  | hcllo    | false",
        "h[b-a]llo  | hallo    | true",
        "h\\*llo    | h*llo    | true",
        "h\\*llo    | hallo    | false",
        "[\\]]      | ]        | true",
        "[a-]       | -        | false",
        "[a-]       | a        | true",
        "a[         | a        | false",
        "a[         | a[       | false",
        "a[b        | ab       | true",
        "[abc       | a        | true",
        "[]         | x        | false",
        "a\\        | a\\      | true",
        "a\\        | a        | false",
        "**a        | ba       | true",
        "[^a-c]x    | dx       | true",
        "[^a-c]x    | bx       | false",
        "a*b*c      | aXbYc    | true",
        "a*b*c      | aXbY     | false",
        "[\\a]      | a        | true",
        "\\a        | a        | true",
        "a*         | a        | true",
        "a**        | a        | true",
        "*          | anything | true",
        "?          | ''       | false",
        "abc        | abcd     | false",
        "abcd       | abc      | false",
    })
    void matchesAsRedis(String pattern, String s, boolean expected) {
        assertThat(m(pattern, s.equals("''") ? "" : s)).isEqualTo(expected);
    }

    @Test
    void starDoesNotMatchTheEmptyStringAsInRedis() {
        // stringmatchlen's loop needs a non-empty string; KEYS * and SCAN special-case "*".
        assertThat(m("*", "")).isFalse();
        assertThat(m("**", "")).isFalse();
        assertThat(m("", "")).isTrue();
        assertThat(m("", "a")).isFalse();
        assertThat(Glob.matchesAll("*".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Glob.matchesAll("**".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void nocaseFoldsAsciiOnly() {
        assertThat(nocase("HeLLo", "hello")).isTrue();
        assertThat(nocase("h[A-C]llo", "hbllo")).isTrue();
        assertThat(nocase("h[a-c]llo", "HBLLO")).isTrue();
        assertThat(nocase("[^A]", "a")).isFalse();
        assertThat(m("HeLLo", "hello")).isFalse();
        // C's tolower in the "C" locale leaves Latin-1 letters alone.
        assertThat(nocase("\u00c0", "\u00e0")).isFalse();
        // An escaped byte inside a class is compared exactly, even with nocase.
        assertThat(nocase("[\\A]", "a")).isFalse();
    }

    @Test
    void rangesUseSignedBytesAsRedis() {
        // Redis compares C chars, signed on x86: 0xFF is -1, so [a-\xff] is the range [-1, 'a'].
        assertThat(m("[a-\u00ff]", "b")).isFalse();
        assertThat(m("[a-\u00ff]", "0")).isTrue();
        assertThat(m("[\u0080-\u00ff]", "\u00c0")).isTrue();
    }

    @Test
    void binarySafe() {
        byte[] key = {'a', 0, 'b'};
        assertThat(Glob.matches(new byte[] {'a', '?', 'b'}, key)).isTrue();
        assertThat(Glob.matches(new byte[] {'a', 0, '*'}, key)).isTrue();
    }

    @Test
    void pathologicalPatternFinishesQuickly() {
        String s = "a".repeat(60);
        String p = "a*".repeat(30) + "b";
        long t = System.nanoTime();
        assertThat(m(p, s)).isFalse();
        assertThat(System.nanoTime() - t).isLessThan(2_000_000_000L);
    }
}
