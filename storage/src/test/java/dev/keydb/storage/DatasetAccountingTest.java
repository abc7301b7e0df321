package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * maxmemory's accounting: under random sets, deletes, in-place changes of hashes (listpack and
 * table encodings, re-weighed as the server does after each change), expiry and flushes, the
 * dataset size a database keeps equals the sum of MemoryUsage's estimate of every key, and a
 * hash's O(1) size (running key and value byte counts) equals a walk over its entries.
 */
class DatasetAccountingTest {
    enum Kind { SET, DELETE, HSET, HDEL, PUSH, POP, EXPIRE_SOON, CLEAR }

    record Op(Kind kind, int key, int size) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kind = Arbitraries.frequency(Tuple.of(30, Kind.SET), Tuple.of(20, Kind.DELETE),
                Tuple.of(30, Kind.HSET), Tuple.of(12, Kind.HDEL), Tuple.of(30, Kind.PUSH), Tuple.of(10, Kind.POP),
                Tuple.of(6, Kind.EXPIRE_SOON), Tuple.of(1, Kind.CLEAR));
        return Combinators.combine(kind, Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 300))
                .as(Op::new).list().ofMinSize(300).ofMaxSize(1500);
    }

    private static byte[] key(int k) {
        return ("key:" + k).getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 60)
    void datasetSizeIsTheSumOfTheKeys(@ForAll("ops") List<Op> ops) {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        long now = 1_000_000;
        for (Op op : ops) {
            byte[] key = key(op.key());
            now++;
            switch (op.kind()) {
                case SET -> db.set(key, new byte[op.size() * (op.key() % 3 == 0 ? 10 : 1)], now); // past 2 KB too
                case DELETE -> db.delete(key);
                case HSET, HDEL -> {
                    key = ("hash:" + op.key() % 6).getBytes(StandardCharsets.US_ASCII); // few: they grow
                    Object v = db.lookup(key, now);
                    HashValue h = v instanceof HashValue hv ? hv : null;
                    if (h == null) {
                        if (op.kind() == Kind.HDEL) {
                            continue;
                        }
                        h = new HashValue();
                        db.set(key, h, now);
                    }
                    byte[] field = ("f" + op.size() % 12).getBytes(StandardCharsets.US_ASCII);
                    if (op.kind() == Kind.HSET) {
                        h.put(field, new byte[op.size()], 8, 64); // small limits: the table encoding too
                    } else {
                        h.remove(field);
                    }
                    db.reweigh(key);
                }
                case PUSH, POP -> {
                    // Lists long enough to be counted from an average node.
                    key = ("list:" + op.key() % 3).getBytes(StandardCharsets.US_ASCII);
                    ListValue l = db.lookup(key, now) instanceof ListValue lv ? lv : null;
                    if (l == null) {
                        if (op.kind() == Kind.POP) {
                            continue;
                        }
                        l = new ListValue(4);                // 4 entries a node: many nodes
                        db.set(key, l, now);
                    }
                    if (op.kind() == Kind.PUSH) {
                        l.push(new byte[op.size() % 40], op.size() % 2 == 0);
                    } else if (l.pop(op.size() % 2 == 0) != null && l.size() == 0) {
                        db.delete(key);
                        continue;
                    }
                    db.reweigh(key);
                }
                case EXPIRE_SOON -> {
                    if (db.peek(key) != null) {
                        db.setExpire(key, now + 1);
                    }
                }
                case CLEAR -> db.clear();
            }
            if (op.size() % 7 == 0) {
                db.activeExpireStep(now + 5, 100);
            }
        }
        long[] expected = {0};
        long[] keyBytes = {0};
        db.keyTable().forEachKey(k -> {
            Object v = db.peek(k);
            // In 8-byte units, the key's part and the value's part each rounded down.
            expected[0] += (MemoryUsage.byteArray(k.length) + MemoryUsage.TABLE_SLOT) / 8 * 8 + MemoryUsage.ofValue(v) / 8 * 8;
            keyBytes[0] += k.length;
            if (v instanceof HashValue h) {
                assertThat(h.memoryUsage()).isEqualTo(walkedSize(h));
            }
        });
        assertThat(ks.datasetBytes()).isEqualTo(expected[0]);
        assertThat(db.keyTable().keyBytes()).isEqualTo(keyBytes[0]);
    }

    /** What HashValue's table encoding cost before it kept running counts: a walk over the entries. */
    private static long walkedSize(HashValue h) {
        OpenKeyTable t = h.hashtable();
        if (t == null) {
            return h.memoryUsage();              // listpack: its length, O(1) already
        }
        long[] m = {24 + 16L + 12L * t.capacity()};
        h.forEach((fb, fo, fl, vb, vo, vl) -> m[0] += 32 + fl + vl);
        return m[0];
    }
}
