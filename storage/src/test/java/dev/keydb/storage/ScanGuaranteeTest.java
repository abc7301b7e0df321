package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Redis's SCAN guarantee on the keyspace table: an element present for the whole iteration is
 * returned at least once, however the table grows or shrinks between steps.
 */
class ScanGuaranteeTest {
    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(byte[] k) {
        return new String(k, StandardCharsets.US_ASCII);
    }

    @Property(tries = 300)
    void stableKeysAreReturnedDespiteResizes(@ForAll @IntRange(min = 0, max = 400) int stable,
                                            @ForAll @IntRange(min = 0, max = 2000) int initialOthers,
                                            @ForAll long seed) {
        Random rnd = new Random(seed);
        ValueTable t = new ValueTable();
        Set<String> stableKeys = new HashSet<>();
        for (int i = 0; i < stable; i++) {
            t.put(key("s", i), i, 0);
            stableKeys.add("s" + i);
        }
        Set<Integer> others = new HashSet<>();
        int nextOther = 0;
        for (; nextOther < initialOthers; nextOther++) {
            t.put(key("o", nextOther), nextOther, 0);
            others.add(nextOther);
        }
        Set<String> seen = new HashSet<>();
        Set<String> everPresent = new HashSet<>(stableKeys);
        others.forEach(o -> everPresent.add("o" + o));
        long cursor = 0;
        int steps = 0;
        do {
            cursor = t.scan(cursor, slot -> seen.add(str(t.keyOf(slot))));
            // Between steps: a burst of growth or of shrinking, touching only the other keys.
            // Mutating after only some steps keeps a try cheap and still resizes mid-scan.
            int mode = rnd.nextInt(4);
            int burst = rnd.nextInt(10) != 0 ? 0 : rnd.nextInt(mode == 0 ? 500 : 50);
            for (int j = 0; j < burst; j++) {
                // Capped, or a scan racing unbounded growth would never end.
                boolean grow = (mode == 0 || (mode == 1 && rnd.nextBoolean())) && others.size() < 3000;
                if (grow || others.isEmpty()) {
                    t.put(key("o", nextOther), nextOther, 0);
                    others.add(nextOther);
                    everPresent.add("o" + nextOther);
                    nextOther++;
                } else {
                    Integer victim = others.iterator().next();
                    others.remove(victim);
                    assertThat(t.remove(key("o", victim))).isNotNull();
                }
            }
            if (mode == 3 && rnd.nextInt(30) == 0) {
                // Drop all the others at once: the table shrinks by several powers of two.
                for (Integer o : others) {
                    t.remove(key("o", o));
                }
                others.clear();
            }
            steps++;
            assertThat(steps).as("scan terminates").isLessThan(1_000_000);
        } while (cursor != 0);
        assertThat(seen).containsAll(stableKeys);
        assertThat(everPresent).containsAll(seen);
    }

    @Property(tries = 100)
    void unchangedTableReturnsEveryKeyExactlyOnce(@ForAll @IntRange(min = 0, max = 3000) int n) {
        ValueTable t = new ValueTable();
        for (int i = 0; i < n; i++) {
            t.put(key("k", i), i, 0);
        }
        Map<String, Integer> counts = new HashMap<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, slot -> counts.merge(str(t.keyOf(slot)), 1, Integer::sum));
        } while (cursor != 0);
        assertThat(counts).hasSize(n);
        assertThat(counts.values()).allMatch(c -> c == 1);
    }

    @Test
    void databaseScanCoversTheExpireTableToo() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        for (int i = 0; i < 100; i++) {
            db.set(key("k", i), (long) i, 1000, i % 2 == 0 ? 5000 : ExpireTable.NONE);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, k -> seen.add(str(k)));
        } while (cursor != 0);
        assertThat(seen).hasSize(100);
        assertThat(db.volatileCount()).isEqualTo(50);
    }

    @Test
    void cursorFromAnotherTableSizeStillTerminates() {
        ValueTable t = new ValueTable();
        for (int i = 0; i < 10; i++) {
            t.put(key("k", i), i, 0);
        }
        // A cursor with bits above the mask, as a client may send after the table shrank.
        long cursor = -1L;
        int steps = 0;
        do {
            cursor = t.scan(cursor, slot -> { });
            steps++;
        } while (cursor != 0 && steps < 100);
        assertThat(cursor).isZero();
    }
}
