package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SetValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> members(SetValue s) {
        List<String> out = new ArrayList<>();
        s.forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void intsetIsSortedAndStrict() {
        SetValue s = new SetValue();
        assertThat(s.add(b("5"), 512)).isTrue();
        assertThat(s.add(b("-3"), 512)).isTrue();
        assertThat(s.add(b("9223372036854775807"), 512)).isTrue();
        assertThat(s.add(b("-9223372036854775808"), 512)).isTrue();
        assertThat(s.add(b("5"), 512)).isFalse();
        assertThat(s.encoding()).isEqualTo("intset");
        assertThat(members(s)).containsExactly("-9223372036854775808", "-3", "5", "9223372036854775807");
        assertThat(s.contains(b("05"))).isFalse();
        assertThat(s.remove(b("05"))).isFalse();
        assertThat(s.add(b("05"), 512)).isTrue();
        assertThat(s.encoding()).isEqualTo("hashtable");
        assertThat(s.contains(b("5"))).isTrue();
        assertThat(s.contains(b("05"))).isTrue();
        assertThat(s.size()).isEqualTo(5);
    }

    @Test
    void convertsPastIntsetLimit() {
        SetValue s = new SetValue();
        for (int i = 0; i < 512; i++) {
            s.add(b("" + i), 512);
        }
        assertThat(s.encoding()).isEqualTo("intset");
        s.add(b("512"), 512);
        assertThat(s.encoding()).isEqualTo("hashtable");
        assertThat(s.size()).isEqualTo(513);
        SetValue w = new SetValue();
        w.add(b("a"), 512);
        assertThat(w.encoding()).isEqualTo("hashtable");
    }

    @Test
    void popRandomScanCopy() {
        for (int n : new int[] {10, 2000}) {
            SetValue s = new SetValue();
            for (int i = 0; i < n; i++) {
                s.add(b((n > 512 ? "m" : "") + i), 512);
            }
            SetValue c = s.copy();
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            do {
                cursor = s.scan(cursor, 10, m -> seen.add(new String(m, StandardCharsets.UTF_8)));
            } while (cursor != 0);
            assertThat(seen).hasSize(n);
            Random rnd = new Random(2);
            assertThat(s.contains(s.random(rnd))).isTrue();
            Set<String> popped = new HashSet<>();
            while (s.size() > 0) {
                popped.add(new String(s.pop(rnd), StandardCharsets.UTF_8));
            }
            assertThat(popped).isEqualTo(seen);
            assertThat(c.size()).isEqualTo(n);
            assertThat(c.toArray().length).isEqualTo(n);
        }
    }

    @Property(tries = 300)
    void behavesLikeASet(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 9999) Integer> ops,
                         @ForAll @IntRange(min = 0, max = 30) int maxIntset) {
        SetValue s = new SetValue();
        Set<String> model = new HashSet<>();
        boolean converted = false;
        for (int op : ops) {
            String m = op % 50 == 0 ? "x" + (op % 7) : String.valueOf((op % 61) - 30);
            if (op % 3 < 2) {
                assertThat(s.add(b(m), maxIntset)).isEqualTo(model.add(m));
                if (m.startsWith("x") || model.size() > maxIntset) {
                    converted = true;
                }
            } else {
                assertThat(s.remove(b(m))).isEqualTo(model.remove(m));
            }
            assertThat(s.size()).isEqualTo(model.size());
            assertThat(s.encoding()).isEqualTo(converted ? "hashtable" : "intset");
        }
        List<String> got = members(s);
        assertThat(new HashSet<>(got)).isEqualTo(model);
        assertThat(got).hasSize(model.size());
        if (s.isIntset()) {
            TreeSet<Long> sorted = new TreeSet<>();
            model.forEach(x -> sorted.add(Long.parseLong(x)));
            assertThat(got).isEqualTo(sorted.stream().map(String::valueOf).toList());
        }
        for (String m : model) {
            assertThat(s.contains(b(m))).isTrue();
        }
        assertThat(s.contains(b("nope"))).isFalse();
    }

    /** The packed intset against a TreeSet, with values of every width so that upgrades happen mid-sequence. */
    @Property(tries = 300)
    void intsetBehavesLikeASortedSet(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 1_000_000) Integer> ops) {
        IntSet s = new IntSet();
        TreeSet<Long> model = new TreeSet<>();
        for (int op : ops) {
            long v = switch (op % 4) {
                case 0 -> (op >> 2) % 100 - 50;
                case 1 -> (op >> 2) % 3 == 0 ? Short.MAX_VALUE + (op >> 2) : -40000L - op;
                case 2 -> (op >> 2) % 2 == 0 ? Long.MAX_VALUE - op % 5 : Long.MIN_VALUE + op % 5;
                default -> ((long) op << 20) - 7;
            };
            if (op % 5 < 3) {
                assertThat(s.add(v)).isEqualTo(model.add(v));
            } else {
                assertThat(s.remove(v)).isEqualTo(model.remove(v));
            }
            assertThat(s.size()).isEqualTo(model.size());
        }
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            got.add(s.get(i));
        }
        assertThat(got).isEqualTo(new ArrayList<>(model));
        for (long v : model) {
            assertThat(s.indexOf(v)).isGreaterThanOrEqualTo(0);
        }
        if (!model.contains(123456789012L)) {
            assertThat(s.indexOf(123456789012L)).isNegative();
        }
        IntSet c = s.copy();
        s.add(424242);
        assertThat(c.size()).isEqualTo(model.size());
    }
}
