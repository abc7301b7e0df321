package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ListValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> contents(ListValue l) {
        List<String> out = new ArrayList<>();
        l.forEach((buf, off, len) -> out.add(new String(buf, off, len, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void pushPopBothEnds() {
        ListValue l = new ListValue();
        l.pushTail(b("b"));
        l.pushHead(b("a"));
        l.pushTail(b("c"));
        assertThat(contents(l)).containsExactly("a", "b", "c");
        assertThat(l.size()).isEqualTo(3);
        assertThat(new String(l.popHead(), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(new String(l.popTail(), StandardCharsets.UTF_8)).isEqualTo("c");
        assertThat(new String(l.popTail(), StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(l.popHead()).isNull();
        assertThat(l.isEmpty()).isTrue();
        l.verify();
    }

    @Test
    void encodingIsQuicklistAsRedis70AndSmallListsStayCompact() {
        ListValue l = new ListValue();
        assertThat(l.encoding()).isEqualTo("quicklist");
        for (int i = 0; i < 100; i++) {
            l.pushTail(b("element-" + i));
        }
        assertThat(l.isCompact()).isTrue();
        assertThat(l.encoding()).isEqualTo("quicklist");
        for (int i = 0; i < 10000; i++) {
            l.pushTail(b("element-" + i));
        }
        assertThat(l.isCompact()).isFalse();
        assertThat(l.nodeCount()).isGreaterThan(10);
        assertThat(l.encoding()).isEqualTo("quicklist");
        l.verify();
    }

    @Test
    void nodeLimitBySizeAndByCount() {
        // -1 = 4 KB per node: 100-byte elements, about 38 per node.
        ListValue bySize = new ListValue(-1);
        byte[] e = new byte[100];
        for (int i = 0; i < 1000; i++) {
            bySize.pushTail(e);
        }
        assertThat(bySize.nodeCount()).isBetween(25, 30);
        // 5 entries per node.
        ListValue byCount = new ListValue(5);
        for (int i = 0; i < 100; i++) {
            byCount.pushHead(b("x" + i));
        }
        assertThat(byCount.nodeCount()).isEqualTo(20);
        // a count fill still caps a node at 8 KB
        ListValue capped = new ListValue(1000);
        for (int i = 0; i < 100; i++) {
            capped.pushTail(new byte[1000]);
        }
        assertThat(capped.nodeCount()).isGreaterThanOrEqualTo(13);
        // an element above the budget gets a node of its own
        ListValue big = new ListValue(-1);
        big.pushTail(new byte[10000]);
        big.pushTail(new byte[10000]);
        assertThat(big.nodeCount()).isEqualTo(2);
        bySize.verify();
        byCount.verify();
        capped.verify();
        big.verify();
    }

    @Test
    void largeElementsUseLongerLengthPrefixes() {
        ListValue l = new ListValue(-5);
        byte[] e1 = new byte[200];
        byte[] e2 = new byte[20000];
        byte[] e3 = new byte[3_000_000];
        Arrays.fill(e1, (byte) 1);
        Arrays.fill(e2, (byte) 2);
        Arrays.fill(e3, (byte) 3);
        l.pushTail(e1);
        l.pushHead(e2);
        l.pushTail(e3);
        l.pushHead(b(""));
        assertThat(l.get(0)).isEmpty();
        assertThat(l.get(1)).isEqualTo(e2);
        assertThat(l.get(2)).isEqualTo(e1);
        assertThat(l.get(-1)).isEqualTo(e3);
        assertThat(l.popTail()).isEqualTo(e3);
        l.verify();
    }

    @Test
    void insertSetRemoveTrim() {
        ListValue l = new ListValue(3);
        for (String s : new String[] {"a", "b", "c", "b", "d", "b"}) {
            l.pushTail(b(s));
        }
        assertThat(l.insert(b("c"), b("X"), false)).isTrue();
        assertThat(l.insert(b("c"), b("Y"), true)).isTrue();
        assertThat(l.insert(b("zz"), b("Y"), true)).isFalse();
        assertThat(contents(l)).containsExactly("a", "b", "X", "c", "Y", "b", "d", "b");
        assertThat(l.set(-1, b("last"))).isTrue();
        assertThat(l.set(8, b("no"))).isFalse();
        assertThat(l.remove(b("b"), -1)).isEqualTo(1);
        assertThat(l.remove(b("b"), 0)).isEqualTo(1);
        assertThat(contents(l)).containsExactly("a", "X", "c", "Y", "d", "last");
        l.trim(1, 2);
        assertThat(contents(l)).containsExactly("X", "c", "Y");
        l.verify();
        List<Long> matches = new ArrayList<>();
        l.scan(b("c"), true, 0, i -> matches.add(i));
        assertThat(matches).containsExactly(1L);
    }

    @Test
    void copyIsDeep() {
        ListValue l = new ListValue(2);
        for (int i = 0; i < 9; i++) {
            l.pushTail(b("v" + i));
        }
        ListValue c = l.copy();
        l.set(0, b("changed"));
        l.popTail();
        assertThat(contents(c)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8");
        c.pushHead(b("new"));
        c.verify();
        l.verify();
        assertThat(l.size()).isEqualTo(8);
    }

    @Test
    void memoryPerElementIsCloseToTheData() {
        ListValue l = new ListValue();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            l.pushTail(b(String.format("value:%010d", i)));   // 16 bytes
        }
        double perElement = (double) l.memoryUsage() / n;
        assertThat(perElement).isLessThan(20.0);
    }

    // ---- property test against java.util ----------------------------------------------------

    record Op(int kind, int index, String value) {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "c", "", "dd"),
                Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(40),
                Arbitraries.strings().alpha().ofMinLength(100).ofMaxLength(300),
                Arbitraries.strings().withChars('z').ofMinLength(5000).ofMaxLength(9000));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 14),
                Arbitraries.integers().between(-40, 40),
                values).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 300)
    void behavesLikeAnArrayList(@ForAll("operations") List<Op> ops, @ForAll @IntRange(min = -6, max = 8) int fill) {
        ListValue l = new ListValue(fill);
        ArrayList<String> model = new ArrayList<>();
        for (Op op : ops) {
            apply(op, l, model);
            assertThat(l.size()).isEqualTo(model.size());
        }
        l.verify();
        assertThat(contents(l)).isEqualTo(model);
        assertThat(contents(l.copy())).isEqualTo(model);
    }

    private static String str(byte[] v) {
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static void apply(Op op, ListValue l, ArrayList<String> m) {
        byte[] v = b(op.value());
        int idx = op.index();
        switch (op.kind()) {
            case 0, 1 -> {
                l.pushHead(v);
                m.add(0, op.value());
            }
            case 2, 3 -> {
                l.pushTail(v);
                m.add(op.value());
            }
            case 4 -> assertThat(str(l.popHead())).isEqualTo(m.isEmpty() ? null : m.remove(0));
            case 5 -> assertThat(str(l.popTail())).isEqualTo(m.isEmpty() ? null : m.remove(m.size() - 1));
            case 6 -> {
                int i = idx < 0 ? idx + m.size() : idx;
                assertThat(str(l.get(idx))).isEqualTo(i >= 0 && i < m.size() ? m.get(i) : null);
            }
            case 7 -> {
                int i = idx < 0 ? idx + m.size() : idx;
                boolean ok = i >= 0 && i < m.size();
                assertThat(l.set(idx, v)).isEqualTo(ok);
                if (ok) {
                    m.set(i, op.value());
                }
            }
            case 8 -> {
                String pivot = m.isEmpty() ? "nope" : m.get(Math.floorMod(idx, m.size()));
                boolean after = idx % 2 == 0;
                int at = m.indexOf(pivot);
                assertThat(l.insert(b(pivot), v, after)).isEqualTo(at >= 0);
                if (at >= 0) {
                    m.add(after ? at + 1 : at, op.value());
                }
            }
            case 9 -> {
                String target = m.isEmpty() ? "a" : m.get(Math.floorMod(idx, m.size()));
                long count = idx % 4;
                long removed = 0;
                if (count >= 0) {
                    for (int i = 0; i < m.size() && (count == 0 || removed < count); ) {
                        if (m.get(i).equals(target)) {
                            m.remove(i);
                            removed++;
                        } else {
                            i++;
                        }
                    }
                } else {
                    for (int i = m.size() - 1; i >= 0 && removed < -count; i--) {
                        if (m.get(i).equals(target)) {
                            m.remove(i);
                            removed++;
                        }
                    }
                }
                assertThat(l.remove(b(target), count)).isEqualTo(removed);
            }
            case 10 -> {
                int n = Math.abs(idx) / 4;
                l.removeHead(n);
                m.subList(0, Math.min(n, m.size())).clear();
            }
            case 11 -> {
                int n = Math.abs(idx) / 4;
                l.removeTail(n);
                m.subList(Math.max(0, m.size() - n), m.size()).clear();
            }
            case 12 -> {
                if (m.isEmpty()) {
                    return;
                }
                int from = Math.floorMod(idx, m.size());
                boolean reverse = idx % 2 != 0;
                int n = 1 + Math.abs(idx) % (reverse ? from + 1 : m.size() - from);
                List<String> got = new ArrayList<>();
                l.forEach(from, n, reverse, (buf, off, len) -> got.add(new String(buf, off, len, StandardCharsets.UTF_8)));
                List<String> want = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    want.add(m.get(reverse ? from - k : from + k));
                }
                assertThat(got).isEqualTo(want);
            }
            case 13 -> {
                String target = m.isEmpty() ? "a" : m.get(Math.floorMod(idx, m.size()));
                boolean fromTail = idx < 0;
                long maxlen = Math.abs(idx) % 3 == 0 ? 0 : Math.abs(idx);
                List<Long> got = new ArrayList<>();
                l.scan(b(target), fromTail, maxlen, i -> {
                    got.add(i);
                    return got.size() < 5;
                });
                List<Long> want = new ArrayList<>();
                long examined = 0;
                for (int k = 0; k < m.size() && want.size() < 5; k++) {
                    int i = fromTail ? m.size() - 1 - k : k;
                    if (maxlen != 0 && examined >= maxlen) {
                        break;
                    }
                    examined++;
                    if (m.get(i).equals(target)) {
                        want.add((long) i);
                    }
                }
                assertThat(got).isEqualTo(want);
            }
            default -> l.verify();
        }
    }
}
