package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The open-addressing tables behave as a {@code HashMap} under random put/remove sequences,
 * through growth and shrinking (backward-shift deletion, resizes, clear).
 */
class TableModelTest {
    enum Kind { PUT, REMOVE, GET, CLEAR }

    record Op(Kind kind, int key, long value) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        // Mostly puts and removes over a key domain small enough to collide and to empty out,
        // large enough to force several resizes in both directions.
        Arbitrary<Kind> kind = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(45, Kind.PUT), net.jqwik.api.Tuple.of(40, Kind.REMOVE),
                net.jqwik.api.Tuple.of(14, Kind.GET), net.jqwik.api.Tuple.of(1, Kind.CLEAR));
        Arbitrary<Integer> key = Arbitraries.oneOf(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 600));
        Arbitrary<Long> value = Arbitraries.longs();
        return Combinators.combine(kind, key, value).as(Op::new).list().ofMaxSize(3000);
    }

    private static byte[] key(int k) {
        return ("key:" + k).getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 200)
    void valueTableMatchesHashMap(@ForAll("ops") List<Op> ops) {
        ValueTable t = new ValueTable();
        Map<Integer, Long> model = new HashMap<>();
        for (Op op : ops) {
            switch (op.kind()) {
                case PUT -> {
                    Object old = t.put(key(op.key()), op.value(), (int) op.value());
                    assertThat(old).isEqualTo(model.put(op.key(), op.value()));
                }
                case REMOVE -> assertThat(t.remove(key(op.key()))).isEqualTo(model.remove(op.key()));
                case GET -> assertThat(t.get(key(op.key()))).isEqualTo(model.get(op.key()));
                case CLEAR -> {
                    t.clear();
                    model.clear();
                }
            }
            assertThat(t.size()).isEqualTo(model.size());
            assertThat(t.capacity()).isGreaterThanOrEqualTo(t.size() * 4 / 3);
        }
        assertSameContents(t, model);
    }

    private static void assertSameContents(ValueTable t, Map<Integer, Long> model) {
        Set<String> keys = new HashSet<>();
        t.forEachKey(k -> keys.add(new String(k, StandardCharsets.US_ASCII)));
        Set<String> expected = new HashSet<>();
        model.keySet().forEach(k -> expected.add("key:" + k));
        assertThat(keys).isEqualTo(expected);
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            int slot = t.slotOf(key(e.getKey()));
            assertThat(slot).isNotNegative();
            assertThat(t.valueAt(slot)).isEqualTo(e.getValue());
            // The clock (24 bits, as Redis's) travels with the value through moves and resizes.
            assertThat(t.clockAt(slot)).isEqualTo((int) (long) e.getValue() & 0xFFFFFF);
        }
    }

    @Property(tries = 200)
    void expireTableMatchesHashMap(@ForAll("ops") List<Op> ops) {
        ExpireTable t = new ExpireTable();
        Map<Integer, Long> model = new HashMap<>();
        for (Op op : ops) {
            long when = op.value() == ExpireTable.NONE ? 0 : op.value();
            switch (op.kind()) {
                case PUT -> {
                    t.put(key(op.key()), when);
                    model.put(op.key(), when);
                }
                case REMOVE -> assertThat(t.remove(key(op.key()))).isEqualTo(model.remove(op.key()) != null);
                case GET -> assertThat(t.get(key(op.key()))).isEqualTo(model.getOrDefault(op.key(), ExpireTable.NONE));
                case CLEAR -> {
                    t.clear();
                    model.clear();
                }
            }
            assertThat(t.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            assertThat(t.get(key(e.getKey()))).isEqualTo(e.getValue());
        }
        int[] seen = {0};
        t.forEachKey(k -> seen[0]++);
        assertThat(seen[0]).isEqualTo(model.size());
    }

    @Property(tries = 50)
    void randomSlotOnlyReturnsOccupiedSlots(@ForAll("ops") List<Op> ops) {
        ValueTable t = new ValueTable();
        for (Op op : ops) {
            if (op.kind() == Kind.REMOVE) {
                t.remove(key(op.key()));
            } else {
                t.put(key(op.key()), op.value(), 0);
            }
        }
        java.util.Random rnd = new java.util.Random(ops.size());
        for (int i = 0; i < 100; i++) {
            int slot = t.randomSlot(rnd);
            if (t.size() == 0) {
                assertThat(slot).isEqualTo(-1);
            } else {
                assertThat(t.keyOf(slot)).isNotNull();
                assertThat(t.slotOf(t.keyOf(slot))).isEqualTo(slot);
            }
        }
    }
}
