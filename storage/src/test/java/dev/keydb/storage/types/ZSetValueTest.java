package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ZSetValueTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Members in (score, member) order. */
    static List<String> members(ZSetValue z) {
        List<String> out = new ArrayList<>();
        z.forEach((m, sc) -> out.add(s(m)));
        return out;
    }

    @Test
    void listpackConvertsToSkiplistPastEntryThreshold() {
        ZSetValue z = ZSetValue.forFirstMember(1, new ZSetValue.Limits());
        assertThat(z.encoding()).isEqualTo("listpack");
        for (int i = 0; i < 128; i++) {
            z.put(b("m" + i), i);
        }
        assertThat(z.encoding()).isEqualTo("listpack");
        z.put(b("m128"), 128);
        assertThat(z.encoding()).isEqualTo("skiplist");
        assertThat(z.size()).isEqualTo(129);
        assertThat(z.rank(b("m77"))).isEqualTo(77);
        // removal never converts back
        z.removeRange(0, 120);
        assertThat(z.encoding()).isEqualTo("skiplist");
        z.convertToListpackIfFits();
        assertThat(z.encoding()).isEqualTo("listpack");
        assertThat(members(z)).containsExactly("m121", "m122", "m123", "m124", "m125", "m126", "m127", "m128");
    }

    @Test
    void longMemberForcesSkiplist() {
        assertThat(ZSetValue.forFirstMember(65, new ZSetValue.Limits()).encoding()).isEqualTo("skiplist");
        assertThat(ZSetValue.forFirstMember(64, new ZSetValue.Limits()).encoding()).isEqualTo("listpack");
        ZSetValue z = ZSetValue.listpack(new ZSetValue.Limits());
        z.put(b("a"), 1);
        z.put(b("x".repeat(65)), 2);
        assertThat(z.encoding()).isEqualTo("skiplist");
        assertThat(members(z)).containsExactly("a", "x".repeat(65));
    }

    @Test
    void orderIsScoreThenMemberBytes() {
        for (ZSetValue z : new ZSetValue[] {ZSetValue.listpack(new ZSetValue.Limits()), ZSetValue.skiplist(new ZSetValue.Limits())}) {
            z.put(b("b"), 1);
            z.put(b("a"), 1);
            z.put(b("\u00ff"), 1);
            z.put(b("c"), 0);
            z.put(b("d"), Double.NEGATIVE_INFINITY);
            z.put(b("e"), Double.POSITIVE_INFINITY);
            assertThat(members(z)).containsExactly("d", "c", "a", "b", "\u00ff", "e");
            assertThat(z.countScoreLess(1, false)).isEqualTo(2);
            assertThat(z.countScoreLess(1, true)).isEqualTo(5);
            z.put(b("a"), 5);
            assertThat(members(z)).containsExactly("d", "c", "b", "\u00ff", "a", "e");
            assertThat(z.score(b("a"))).isEqualTo(5.0);
            assertThat(z.copy().rank(b("a"))).isEqualTo(4);
        }
    }

    @Test
    void copyIsDeep() {
        ZSetValue z = ZSetValue.skiplist(new ZSetValue.Limits());
        z.put(b("a"), 1);
        ZSetValue c = z.copy();
        c.put(b("b"), 2);
        z.remove(b("a"));
        assertThat(z.size()).isZero();
        assertThat(members(c)).containsExactly("a", "b");
    }

    @Test
    void scanOfSkiplistVisitsEveryMember() {
        ZSetValue z = ZSetValue.skiplist(new ZSetValue.Limits());
        for (int i = 0; i < 1000; i++) {
            z.put(b("m" + i), i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = z.scan(cursor, (m, sc) -> {
                seen.add(s(m));
                assertThat(sc).isEqualTo(Double.parseDouble(s(m).substring(1)));
            });
        } while (cursor != 0);
        assertThat(seen).hasSize(1000);
    }

    /** A model: member -> score, ordered on demand. */
    static List<String> modelOrder(Map<String, Double> model) {
        List<String> keys = new ArrayList<>(model.keySet());
        keys.sort((x, y) -> {
            int c = Double.compare(model.get(x), model.get(y));
            if (model.get(x).doubleValue() == model.get(y).doubleValue()) {
                c = 0;
            }
            return c != 0 ? c : Arrays.compareUnsigned(b(x), b(y));
        });
        return keys;
    }

    @Property(tries = 200)
    void behavesLikeAModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int ops, @ForAll boolean startSkiplist) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ZSetValue z = startSkiplist ? ZSetValue.skiplist(new ZSetValue.Limits()) : ZSetValue.listpack(new ZSetValue.Limits());
        Map<String, Double> model = new HashMap<>();
        int universe = 1 + rnd.nextInt(300);
        for (int i = 0; i < ops; i++) {
            String m = (rnd.nextInt(20) == 0 ? "long-".repeat(15) : "m") + rnd.nextInt(universe);
            double score = rnd.nextInt(10) == 0 ? rnd.nextDouble() : rnd.nextInt(20);
            int op = rnd.nextInt(10);
            if (op < 5) {
                assertThat(z.put(b(m), score)).isEqualTo(!model.containsKey(m));
                model.put(m, score);
            } else if (op < 7) {
                assertThat(z.remove(b(m))).isEqualTo(model.remove(m) != null);
            } else if (op == 7 && z.size() > 0) {
                long a = rnd.nextInt(z.size()), c = rnd.nextInt(z.size());
                long from = Math.min(a, c), to = Math.max(a, c);
                List<String> order = modelOrder(model);
                for (long k = from; k <= to; k++) {
                    model.remove(order.get((int) k));
                }
                assertThat(z.removeRange(from, to)).isEqualTo(to - from + 1);
            } else if (op == 8) {
                double bound = rnd.nextInt(20);
                boolean orEqual = rnd.nextBoolean();
                long expected = model.values().stream().filter(v -> v < bound || (orEqual && v == bound)).count();
                assertThat(z.countScoreLess(bound, orEqual)).isEqualTo(expected);
            } else if (op == 9 && z.size() > 0) {
                long a = rnd.nextInt(z.size()), c = rnd.nextInt(z.size());
                long from = Math.min(a, c), to = Math.max(a, c);
                boolean reverse = rnd.nextBoolean();
                List<String> got = new ArrayList<>();
                z.range(from, to, reverse, (mm, sc) -> got.add(s(mm)));
                List<String> expected = new ArrayList<>(modelOrder(model).subList((int) from, (int) to + 1));
                if (reverse) {
                    java.util.Collections.reverse(expected);
                }
                assertThat(got).isEqualTo(expected);
            }
            assertThat(z.size()).isEqualTo(model.size());
            assertThat(z.score(b(m))).isEqualTo(model.getOrDefault(m, Double.NaN));
        }
        List<String> order = modelOrder(model);
        assertThat(members(z)).isEqualTo(order);
        for (int k = 0; k < order.size(); k++) {
            assertThat(z.rank(b(order.get(k)))).isEqualTo(k);
            assertThat(s(z.memberAt(k))).isEqualTo(order.get(k));
            assertThat(z.scoreAt(k)).isEqualTo(model.get(order.get(k)));
        }
        ZSetValue copy = z.copy();
        assertThat(members(copy)).isEqualTo(order);
        assertThat(copy.encoding()).isEqualTo(z.encoding());
    }

    @Property(tries = 100)
    void lexCountsOnEqualScores(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ZSetValue z = rnd.nextBoolean() ? ZSetValue.skiplist(new ZSetValue.Limits()) : ZSetValue.listpack(new ZSetValue.Limits());
        java.util.TreeSet<String> model = new java.util.TreeSet<>();
        for (int i = 0; i < 60; i++) {
            String m = Integer.toString(rnd.nextInt(200), 36);
            z.put(b(m), 0);
            model.add(m);
        }
        for (int i = 0; i < 20; i++) {
            String v = Integer.toString(rnd.nextInt(200), 36);
            assertThat(z.countLexLess(b(v), false)).isEqualTo(model.headSet(v, false).size());
            assertThat(z.countLexLess(b(v), true)).isEqualTo(model.headSet(v, true).size());
        }
    }
}
