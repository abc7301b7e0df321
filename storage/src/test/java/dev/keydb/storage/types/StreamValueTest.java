package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** StreamValue against a sorted-map model under random appends, deletes, trims and range reads. */
class StreamValueTest {
    private record Id(long ms, long seq) implements Comparable<Id> {
        @Override
        public int compareTo(Id o) {
            return StreamValue.compare(ms, seq, o.ms, o.seq);
        }
    }

    private static List<String> contents(StreamValue s, Id start, Id end, long count, boolean rev) {
        List<String> out = new ArrayList<>();
        s.range(start.ms, start.seq, end.ms, end.seq, count, rev, (m, q, d, o) -> {
            StringBuilder b = new StringBuilder(StreamValue.idString(m, q));
            StreamValue.forEachItem(d, o, (bytes, off, len) -> b.append(' ').append(new String(bytes, off, len, StandardCharsets.UTF_8)));
            out.add(b.toString());
            return true;
        });
        return out;
    }

    private static List<String> model(TreeMap<Id, String> m, Id start, Id end, long count, boolean rev) {
        List<String> out = new ArrayList<>();
        if (start.compareTo(end) > 0) {
            return out;
        }
        var sub = m.subMap(start, true, end, true);
        for (Map.Entry<Id, String> e : (rev ? sub.descendingMap() : sub).entrySet()) {
            out.add(StreamValue.idString(e.getKey().ms, e.getKey().seq) + e.getValue());
            if (count != 0 && out.size() >= count) {
                break;
            }
        }
        return out;
    }

    @Test
    void randomOperationsMatchAModel() {
        Random rnd = new Random(42);
        for (int round = 0; round < 20; round++) {
            StreamValue s = new StreamValue();
            TreeMap<Id, String> m = new TreeMap<>();
            long ms = rnd.nextInt(3);
            long seq = 1;
            long maxEntries = 1 + rnd.nextInt(8);
            long maxBytes = rnd.nextBoolean() ? 0 : 60 + rnd.nextInt(200);
            for (int op = 0; op < 2000; op++) {
                int what = rnd.nextInt(100);
                if (what < 50) {
                    if (rnd.nextInt(60) == 0) {
                        // deltas that do not fit 32 bits: the node switches to wide IDs
                        ms += rnd.nextBoolean() ? 1L << 33 : 1;
                        seq = rnd.nextBoolean() ? 0 : (1L << 40) + rnd.nextInt(5);
                    } else if (rnd.nextInt(4) == 0) {
                        ms += 1 + rnd.nextInt(3);
                        seq = 0;
                    } else {
                        seq++;
                    }
                    int pairs = 1 + rnd.nextInt(3);
                    byte[][] argv = new byte[pairs * 2][];
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < argv.length; i++) {
                        String w = (i % 2 == 0 ? "f" + rnd.nextInt(3) : "v" + rnd.nextInt(1000)) + "x".repeat(rnd.nextInt(20));
                        argv[i] = w.getBytes(StandardCharsets.UTF_8);
                        b.append(' ').append(w);
                    }
                    s.append(ms, seq, argv, 0, argv.length, maxBytes, maxEntries);
                    m.put(new Id(ms, seq), b.toString());
                } else if (what < 70) {
                    Id victim = !m.isEmpty() && rnd.nextBoolean()
                            ? new ArrayList<>(m.keySet()).get(rnd.nextInt(m.size()))
                            : new Id(ms - rnd.nextInt(3), seq - 1 + rnd.nextInt(3));
                    assertThat(s.delete(victim.ms, victim.seq)).isEqualTo(m.remove(victim) != null);
                } else if (what < 75) {
                    long maxlen = rnd.nextInt(30);
                    long before = m.size();
                    long deleted = s.trim(true, maxlen, 0, 0, false, 0);
                    while (m.size() > maxlen) {
                        m.pollFirstEntry();
                    }
                    assertThat(deleted).isEqualTo(before - m.size());
                } else if (what < 78) {
                    Id min = new Id(ms - rnd.nextInt(4), rnd.nextInt(5));
                    long before = m.size();
                    long deleted = s.trim(false, 0, min.ms, min.seq, false, 0);
                    m.headMap(min, false).clear();
                    assertThat(deleted).isEqualTo(before - m.size());
                } else if (what < 80) {
                    // approximate: removes whole nodes only, never below maxlen
                    long maxlen = rnd.nextInt(30);
                    long deleted = s.trim(true, maxlen, 0, 0, true, 0);
                    for (long i = 0; i < deleted; i++) {
                        m.pollFirstEntry();
                    }
                    assertThat(s.length()).isGreaterThanOrEqualTo(Math.min(maxlen, s.length()));
                    if (deleted > 0) {
                        assertThat(s.length()).isGreaterThanOrEqualTo(maxlen);
                    }
                } else {
                    Id a = new Id(ms - rnd.nextInt(5), rnd.nextBoolean() ? 0 : seq - rnd.nextInt(3));
                    Id z = rnd.nextInt(4) == 0 ? new Id(-1, -1) : new Id(ms - rnd.nextInt(3), seq + rnd.nextInt(3));
                    long count = rnd.nextInt(4);
                    boolean rev = rnd.nextBoolean();
                    assertThat(contents(s, a, z, count, rev)).isEqualTo(model(m, a, z, count, rev));
                }
                assertThat(s.length()).isEqualTo(m.size());
                if (rnd.nextInt(50) == 0) {
                    StreamValue copy = s.copy();
                    assertThat(contents(copy, new Id(0, 0), new Id(-1, -1), 0, false))
                            .isEqualTo(model(m, new Id(0, 0), new Id(-1, -1), 0, false));
                }
            }
            assertThat(contents(s, new Id(0, 0), new Id(-1, -1), 0, false))
                    .isEqualTo(model(m, new Id(0, 0), new Id(-1, -1), 0, false));
            long[] first = new long[2];
            if (!m.isEmpty()) {
                assertThat(s.edgeId(true, first)).isTrue();
                assertThat(new Id(first[0], first[1])).isEqualTo(m.firstKey());
                assertThat(s.edgeId(false, first)).isTrue();
                assertThat(new Id(first[0], first[1])).isEqualTo(m.lastKey());
            }
        }
    }

    @Test
    void pelKeepsIdsSortedUnsigned() {
        StreamPel p = new StreamPel(true);
        long[][] ids = {{5, 1}, {-1, 0}, {0, 7}, {5, 0}, {Long.MAX_VALUE, 3}};
        for (long[] id : ids) {
            int at = p.find(id[0], id[1]);
            p.insert(-at - 1, id[0], id[1], 1, 1, null);
        }
        assertThat(p.size()).isEqualTo(5);
        assertThat(p.ms(0)).isEqualTo(0);
        assertThat(p.ms(4)).isEqualTo(-1L);
        assertThat(p.remove(5, 0)).isTrue();
        assertThat(p.remove(5, 0)).isFalse();
        assertThat(p.ceiling(5, 0)).isEqualTo(1);
        assertThat(p.seq(1)).isEqualTo(1);
    }
}
