package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HashValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Map<String, String> contents(HashValue h) {
        Map<String, String> m = new LinkedHashMap<>();
        h.forEach((fb, fo, fl, vb, vo, vl) -> m.put(new String(fb, fo, fl, StandardCharsets.UTF_8),
                new String(vb, vo, vl, StandardCharsets.UTF_8)));
        return m;
    }

    @Test
    void listpackKeepsInsertionOrderAndUpdatesInPlace() {
        HashValue h = new HashValue();
        assertThat(h.put(b("a"), b("1"), 128, 64)).isTrue();
        assertThat(h.put(b("b"), b("2"), 128, 64)).isTrue();
        assertThat(h.put(b("c"), b("3"), 128, 64)).isTrue();
        assertThat(h.put(b("b"), b("a longer value"), 128, 64)).isFalse();
        assertThat(h.encoding()).isEqualTo("listpack");
        assertThat(contents(h)).containsExactly(Map.entry("a", "1"), Map.entry("b", "a longer value"), Map.entry("c", "3"));
        assertThat(h.remove(b("a"))).isTrue();
        assertThat(h.remove(b("a"))).isFalse();
        assertThat(s(h.get(b("c")))).isEqualTo("3");
        assertThat(h.valueLength(b("b"))).isEqualTo(14);
        assertThat(h.valueLength(b("zz"))).isEqualTo(-1);
        assertThat(h.size()).isEqualTo(2);
    }

    @Test
    void convertsPastEntryLimit() {
        HashValue h = new HashValue();
        for (int i = 0; i < 128; i++) {
            h.put(b("f" + i), b("" + i), 128, 64);
        }
        assertThat(h.encoding()).isEqualTo("listpack");
        h.put(b("f128"), b("x"), 128, 64);
        assertThat(h.encoding()).isEqualTo("hashtable");
        assertThat(h.size()).isEqualTo(129);
        for (int i = 0; i < 128; i++) {
            assertThat(s(h.get(b("f" + i)))).isEqualTo("" + i);
        }
    }

    @Test
    void convertsOnLongFieldOrValue() {
        HashValue h = new HashValue();
        h.put(b("a"), b("x".repeat(64)), 128, 64);
        assertThat(h.encoding()).isEqualTo("listpack");
        h.put(b("b"), b("x".repeat(65)), 128, 64);
        assertThat(h.encoding()).isEqualTo("hashtable");
        HashValue g = new HashValue();
        g.put(b("y".repeat(65)), b("1"), 128, 64);
        assertThat(g.encoding()).isEqualTo("hashtable");
        assertThat(s(g.get(b("y".repeat(65))))).isEqualTo("1");
    }

    @Test
    void longElementsUseMultiByteLengths() {
        HashValue h = new HashValue();
        String big = "z".repeat(70000);
        h.put(b("k"), b(big), 128, 1 << 20);
        h.put(b("k2"), b("v"), 128, 1 << 20);
        assertThat(h.encoding()).isEqualTo("listpack");
        assertThat(s(h.get(b("k")))).isEqualTo(big);
        assertThat(s(h.get(b("k2")))).isEqualTo("v");
        h.put(b("k"), b("short"), 128, 1 << 20);
        assertThat(contents(h)).containsExactly(Map.entry("k", "short"), Map.entry("k2", "v"));
    }

    @Test
    void scanOfHashtableVisitsEverythingAndCopyIsDeep() {
        HashValue h = new HashValue();
        for (int i = 0; i < 1000; i++) {
            h.put(b("f" + i), b("v" + i), 128, 64);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = h.scan(cursor, 10, (fb, fo, fl, vb, vo, vl) -> seen.add(new String(fb, fo, fl, StandardCharsets.UTF_8)));
        } while (cursor != 0);
        assertThat(seen).hasSize(1000);
        HashValue c = h.copy();
        h.remove(b("f1"));
        assertThat(c.size()).isEqualTo(1000);
        assertThat(c.contains(b("f1"))).isTrue();
        HashValue small = new HashValue();
        small.put(b("a"), b("1"), 128, 64);
        HashValue sc = small.copy();
        small.put(b("a"), b("2"), 128, 64);
        assertThat(s(sc.get(b("a")))).isEqualTo("1");
    }

    @Test
    void randomAndCollect() {
        for (int n : new int[] {5, 300}) {
            HashValue h = new HashValue();
            for (int i = 0; i < n; i++) {
                h.put(b("f" + i), b("v" + i), 128, 64);
            }
            Random rnd = new Random(1);
            for (int i = 0; i < 100; i++) {
                int handle = h.randomHandle(rnd);
                String f = s(h.fieldAt(handle));
                assertThat(s(h.valueAt(handle))).isEqualTo("v" + f.substring(1));
            }
            byte[][] fs = new byte[n][], vs = new byte[n][];
            h.collect(fs, vs);
            Set<String> all = new HashSet<>();
            for (byte[] f : fs) {
                all.add(s(f));
            }
            assertThat(all).hasSize(n);
        }
    }

    /** Random operation sequences against a LinkedHashMap model, with small thresholds to cross conversions. */
    @Property(tries = 300)
    void behavesLikeAMap(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 99999) Integer> ops,
                         @ForAll @IntRange(min = 0, max = 20) int maxEntries,
                         @ForAll @IntRange(min = 0, max = 8) int maxValue) {
        HashValue h = new HashValue();
        Map<String, String> model = new LinkedHashMap<>();
        boolean converted = false;
        for (int op : ops) {
            String field = "f" + (op % 37);
            String value = "v".repeat(op / 37 % 10);
            switch (op % 3) {
                case 0, 1 -> {
                    boolean isNew = !model.containsKey(field);
                    assertThat(h.put(b(field), b(value), maxEntries, maxValue)).isEqualTo(isNew);
                    model.put(field, value);
                    if (field.length() > maxValue || value.length() > maxValue || model.size() > maxEntries) {
                        converted = true;
                    }
                }
                default -> assertThat(h.remove(b(field))).isEqualTo(model.remove(field) != null);
            }
            assertThat(h.size()).isEqualTo(model.size());
            assertThat(h.encoding()).isEqualTo(converted ? "hashtable" : "listpack");
        }
        Map<String, String> got = contents(h);
        assertThat(got).isEqualTo(model);
        if (h.isListpack()) {
            assertThat(new ArrayList<>(got.keySet())).isEqualTo(new ArrayList<>(model.keySet()));
        }
        for (Map.Entry<String, String> e : model.entrySet()) {
            assertThat(s(h.get(b(e.getKey())))).isEqualTo(e.getValue());
            assertThat(h.valueLength(b(e.getKey()))).isEqualTo(e.getValue().length());
        }
        assertThat(h.get(b("missing"))).isNull();
    }
}
