package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.rdb.RdbWriter;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.SetValue;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forkless snapshots: the view keeps the moment it was taken while the live keyspace changes. */
class SnapshotTest {
    private static final long NOW = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ListValue list(String... items) {
        ListValue l = new ListValue();
        for (String i : items) {
            l.pushTail(b(i));
        }
        return l;
    }

    /** A value's DUMP payload: equal payloads mean equal content and encoding. */
    private static String dump(Object v) {
        return v == null ? "<none>" : java.util.HexFormat.of().formatHex(RdbWriter.dump(v, false));
    }

    @Test
    void viewKeepsValuesTtlsAndKeysAsTheyWere() {
        Keyspace ks = new Keyspace(2);
        Database db = ks.db(0);
        db.set(b("s"), b("one"), NOW);
        db.set(b("l"), list("a", "b"), NOW, NOW + 60_000);
        db.set(b("gone"), b("x"), NOW);
        Snapshot snap = ks.snapshot();

        ks.commandMayModify(true);
        ((ListValue) db.lookup(b("l"), NOW)).pushTail(b("c"));
        db.set(b("s"), b("two"), NOW);
        db.delete(b("gone"));
        db.set(b("new"), b("n"), NOW);
        db.persist(b("l"));
        ks.db(1).set(b("other"), b("o"), NOW);

        Database view = snap.view().db(0);
        assertThat(view.size()).isEqualTo(3);
        assertThat((byte[]) view.peek(b("s"))).isEqualTo(b("one"));
        assertThat(((ListValue) view.peek(b("l"))).size()).isEqualTo(2);
        assertThat(view.expireAt(b("l"))).isEqualTo(NOW + 60_000);
        assertThat(view.peek(b("gone"))).isNotNull();
        assertThat(view.peek(b("new"))).isNull();
        assertThat(snap.view().db(1).size()).isZero();
        // The live side has every change.
        assertThat(((ListValue) db.peek(b("l"))).size()).isEqualTo(3);
        assertThat(db.expireAt(b("l"))).isEqualTo(ExpireTable.NONE);
        snap.close();
    }

    @Test
    void aValueIsCopiedOnceOnItsFirstWriteAndOnlyForWriters() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        ListValue original = list("a");
        db.set(b("l"), original, NOW);
        db.set(b("s"), b("immutable"), NOW);
        Snapshot snap = ks.snapshot();

        ks.commandMayModify(false); // a read-only command shares the snapshot's object
        assertThat(db.lookup(b("l"), NOW)).isSameAs(original);
        assertThat(ks.copiedValues()).isZero();

        ks.commandMayModify(true);
        Object first = db.lookup(b("l"), NOW);
        assertThat(first).isNotSameAs(original);
        assertThat(db.lookup(b("l"), NOW)).isSameAs(first);
        assertThat(db.lookupNoTouch(b("l"), NOW)).isSameAs(first);
        assertThat(db.lookup(b("s"), NOW)).isInstanceOf(byte[].class); // never changed in place: never copied
        assertThat(ks.copiedValues()).isEqualTo(1);
        assertThat(ks.copiedBytes()).isPositive();
        snap.close();

        // Without an open snapshot nothing is copied.
        Object after = db.lookup(b("l"), NOW);
        assertThat(after).isSameAs(first);
        db.set(b("l2"), list("z"), NOW);
        Object l2 = db.lookup(b("l2"), NOW);
        assertThat(db.lookup(b("l2"), NOW)).isSameAs(l2);
    }

    @Test
    void aSecondSnapshotCopiesAgainWhatTheFirstOneCopied() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        db.set(b("l"), list("a"), NOW);
        ks.commandMayModify(true);
        Snapshot first = ks.snapshot();
        ListValue copied = (ListValue) db.lookup(b("l"), NOW);
        copied.pushTail(b("b"));
        Snapshot second = ks.snapshot();
        ListValue again = (ListValue) db.lookup(b("l"), NOW);
        assertThat(again).isNotSameAs(copied);
        again.pushTail(b("c"));
        assertThat(((ListValue) first.view().db(0).peek(b("l"))).size()).isEqualTo(1);
        assertThat(((ListValue) second.view().db(0).peek(b("l"))).size()).isEqualTo(2);
        first.close();
        second.close();
        assertThat(ks.openSnapshots()).isZero();
    }

    @Test
    void memberExpiryDuringASnapshotLeavesTheViewAlone() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        SetValue set = new SetValue();
        set.add(b("m1"), 512);
        set.add(b("m2"), 512);
        db.set(b("set"), set, NOW);
        db.setMemberExpire(b("set"), b("m1"), NOW + 10);
        Snapshot snap = ks.snapshot();
        ks.commandMayModify(false);
        assertThat(db.lookup(b("set"), NOW + 20)).isNotNull(); // lazily expires m1 in the live copy
        assertThat(((SetValue) db.peek(b("set"))).size()).isEqualTo(1);
        Database view = snap.view().db(0);
        assertThat(((SetValue) view.peek(b("set"))).size()).isEqualTo(2);
        assertThat(view.memberExpireAt(b("set"), b("m1"))).isEqualTo(NOW + 10);
        snap.close();
    }

    @Test
    void flushAndSwapAfterTheSnapshotDoNotReachIt() {
        Keyspace ks = new Keyspace(2);
        ks.db(0).set(b("a"), b("1"), NOW);
        ks.db(1).set(b("b"), b("2"), NOW);
        Snapshot snap = ks.snapshot();
        ks.swap(0, 1);
        ks.flushAll();
        assertThat(snap.view().db(0).peek(b("a"))).isNotNull();
        assertThat(snap.view().db(1).peek(b("b"))).isNotNull();
        snap.close();
    }

    /** Random writes through the copy-on-write path never show in a view taken before them. */
    @Test
    void randomWritesNeverReachTheView() {
        Random rnd = new Random(42);
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        ks.commandMayModify(true);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 200; i++) {
                mutate(db, rnd);
            }
            Map<String, String> expected = new HashMap<>();
            for (byte[] k : db.keys()) {
                expected.put(new String(k, StandardCharsets.UTF_8), dump(db.peek(k)));
            }
            Snapshot snap = ks.snapshot();
            for (int i = 0; i < 300; i++) {
                mutate(db, rnd);
            }
            Database view = snap.view().db(0);
            assertThat(view.size()).isEqualTo(expected.size());
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertThat(dump(view.peek(b(e.getKey())))).as(e.getKey()).isEqualTo(e.getValue());
            }
            snap.close();
        }
    }

    private static void mutate(Database db, Random rnd) {
        byte[] key = b("k" + rnd.nextInt(40));
        Object v = db.lookup(key, NOW);
        byte[] item = b("i" + rnd.nextInt(1000));
        switch (rnd.nextInt(5)) {
            case 0 -> {
                if (v instanceof ListValue l) {
                    l.pushHead(item);
                } else if (v == null) {
                    db.set(key, list("first"), NOW);
                }
            }
            case 1 -> {
                if (v instanceof HashValue h) {
                    h.put(item, item, 128, 64);
                } else if (v == null) {
                    HashValue h = new HashValue();
                    h.put(item, item, 128, 64);
                    db.set(key, h, NOW);
                }
            }
            case 2 -> {
                if (v instanceof RawString r) {
                    r.append(item);
                } else if (v == null) {
                    db.set(key, new RawString(item), NOW);
                }
            }
            case 3 -> db.delete(key);
            default -> db.set(key, item, NOW);
        }
    }
}
