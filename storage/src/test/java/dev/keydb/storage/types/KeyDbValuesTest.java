package dev.keydb.storage.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.Database;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.MemoryUsage;
import dev.keydb.storage.ValueTable;
import dev.keydb.storage.ValueType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** KeyDB's own value types (nested hashes, cron jobs) and the per-key last-write time. */
class KeyDbValuesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nestedHashCopyIsDeep() {
        NestedHashValue root = new NestedHashValue();
        NestedHashValue inner = new NestedHashValue();
        assertThat(root.put(b("inner"), inner)).isFalse();
        inner.put(b("leaf"), b("v"));
        root.put(b("list"), new byte[][] {b("a"), b("b")});
        assertThat(root.put(b("list"), new byte[][] {b("c")})).isTrue();
        NestedHashValue copy = root.copy();
        ((NestedHashValue) copy.get(b("inner"))).put(b("leaf"), b("changed"));
        assertThat((byte[]) inner.get(b("leaf"))).isEqualTo(b("v"));
        assertThat(copy.size()).isEqualTo(2);
        assertThat(ValueType.of(root)).isEqualTo(ValueType.NESTED_HASH);
        assertThat(ValueType.NESTED_HASH.wireName()).isEqualTo("unknown");
        assertThat(ValueType.encodingOf(root)).isEqualTo("raw");
        assertThat(MemoryUsage.ofValue(root)).isGreaterThan(MemoryUsage.ofValue(inner));
    }

    @Test
    void cronJobAdvancesLikeKeyDb() {
        // Aligned to the original start when runs were missed.
        CronJob j = new CronJob(b("return 1"), false, 1000, 100, new byte[0][], new byte[0][]);
        assertThat(j.nextMs()).isEqualTo(1100);
        j.advance(1100);
        assertThat(j.nextMs()).isEqualTo(1200);
        j.advance(1555);
        assertThat(j.startMs()).isEqualTo(1600);
        assertThat(j.nextMs()).isEqualTo(1700);
        // A job that started at 0 realigns to now.
        CronJob zero = new CronJob(b("return 1"), false, 0, 100, new byte[0][], new byte[0][]);
        zero.advance(5050);
        assertThat(zero.startMs()).isEqualTo(5150);
        assertThat(zero.copy().startMs()).isEqualTo(5150);
        assertThat(ValueType.of(zero)).isEqualTo(ValueType.CRON);
    }

    @Test
    void lastWriteTimeFollowsTheKeyThroughResizesAndDeletes() {
        ValueTable t = new ValueTable(8, true);
        for (int i = 0; i < 1000; i++) {
            t.put(b("k" + i), b("v"), 0);
            t.setModified(t.slotOf(b("k" + i)), i);
        }
        for (int i = 0; i < 1000; i += 2) {
            t.remove(b("k" + i));
        }
        for (int i = 1; i < 1000; i += 2) {
            assertThat(t.modifiedAt(t.slotOf(b("k" + i)))).isEqualTo(i);
        }
        Keyspace untracked = new Keyspace(1);
        untracked.db(0).set(b("x"), b("v"), 0);
        untracked.db(0).setModified(b("x"), 42);
        assertThat(untracked.db(0).modifiedOf(b("x"))).as("not tracked: nothing kept").isZero();
        Keyspace ks = new Keyspace(1);
        ks.db(0).set(b("loaded"), b("v"), 0);
        ks.trackModification();
        assertThat(ks.db(0).peek(b("loaded"))).as("keys survive switching tracking on").isNotNull();
        Database db = ks.db(0);
        assertThat(db.modifiedOf(b("x"))).isEqualTo(-1);
        db.set(b("x"), b("v"), 0);
        assertThat(db.modifiedOf(b("x"))).isZero();
        db.setModified(b("x"), 42);
        assertThat(db.modifiedOf(b("x"))).isEqualTo(42);
        db.delete(b("x"));
        db.set(b("x"), b("v"), 0);
        assertThat(db.modifiedOf(b("x"))).isZero();
    }
}
