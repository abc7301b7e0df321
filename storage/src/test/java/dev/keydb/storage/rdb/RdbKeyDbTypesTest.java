package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.storage.Keyspace;
import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.NestedHashValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** KeyDB's cron job (RDB type 64) and this server's nested hash (type 65) in files and DUMP payloads. */
class RdbKeyDbTypesTest {
    private static final long NOW = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String cron(CronJob j) {
        List<String> keys = new ArrayList<>(), args = new ArrayList<>();
        for (byte[] k : j.keys()) {
            keys.add(s(k));
        }
        for (byte[] a : j.args()) {
            args.add(s(a));
        }
        return "cron:" + s(j.script()) + "|" + j.singleShot() + "|" + j.startMs() + "|" + j.intervalMs() + "|" + keys + "|" + args;
    }

    /** A nested hash rendered with its children sorted by name. */
    static String nested(Object o) {
        if (o instanceof byte[] b) {
            return "'" + s(b) + "'";
        }
        if (o instanceof byte[][] list) {
            List<String> out = new ArrayList<>();
            for (byte[] e : list) {
                out.add(s(e));
            }
            return out.toString();
        }
        TreeMap<String, String> out = new TreeMap<>();
        ((NestedHashValue) o).forEach((name, child) -> out.put(s(name), nested(child)));
        return out.toString();
    }

    private static NestedHashValue sample() {
        NestedHashValue top = new NestedHashValue();
        top.put(b("name"), b("keydb"));
        top.put(b("count"), b("12345"));
        top.put(b("long"), b("x".repeat(200)));
        top.put(b("list"), new byte[][] {b("a"), b("7"), b(""), b("y".repeat(100))});
        NestedHashValue inner = new NestedHashValue();
        inner.put(b("deep"), b("value"));
        NestedHashValue innermost = new NestedHashValue();
        innermost.put(b("z"), new byte[][] {b("1")});
        inner.put(b("more"), innermost);
        top.put(b("inner"), inner);
        return top;
    }

    private static byte[] save(Keyspace ks, boolean compress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", compress, true, 0));
        return out.toByteArray();
    }

    private static Keyspace load(byte[] file) throws IOException {
        Keyspace loaded = new Keyspace(16);
        RdbReader.load(new ByteArrayInputStream(file), loaded, RdbReader.Limits.DEFAULT, NOW, true);
        return loaded;
    }

    @Test
    void cronJobsRoundTripThroughFilesKeepingSingleShotAndDatabase() throws IOException {
        CronJob repeat = new CronJob(b("redis.call('incr', KEYS[1])"), false, NOW - 5000, 1000, new byte[][] {b("counter")},
                new byte[][] {b("arg1"), b("2")});
        CronJob single = new CronJob(b("return 1"), true, NOW + 60_000, 250, new byte[0][], new byte[0][]);
        for (boolean compress : new boolean[] {true, false}) {
            Keyspace ks = new Keyspace(16);
            ks.db(0).set(b("job"), repeat, NOW);
            ks.db(5).set(b("once"), single, NOW, NOW + 3_600_000);
            Keyspace back = load(save(ks, compress));
            assertThat(cron((CronJob) back.db(0).peek(b("job")))).isEqualTo(cron(repeat));
            assertThat(cron((CronJob) back.db(5).peek(b("once")))).isEqualTo(cron(single));
            assertThat(back.db(5).expireAt(b("once"))).isEqualTo(NOW + 3_600_000);
            // KeyDB's subexpire pair on the job's own name is not a member TTL here
            assertThat(back.db(0).memberExpireAt(b("job"), b("job"))).isEqualTo(dev.keydb.storage.ExpireTable.NONE);
        }
    }

    @Test
    void cronJobBodyIsKeyDbsLayout() throws IOException {
        CronJob job = new CronJob(b("return 1"), false, 0x0102030405060708L, 1000, new byte[][] {b("k")}, new byte[][] {b("a"), b("b")});
        byte[] payload = RdbWriter.dump(job, false);
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        expect.write(Rdb.TYPE_KEYDB_CRON);
        expect.write(8);
        expect.writeBytes(b("return 1"));
        expect.writeBytes(new byte[] {8, 7, 6, 5, 4, 3, 2, 1});
        expect.writeBytes(new byte[] {(byte) 0xe8, 3, 0, 0, 0, 0, 0, 0});
        expect.writeBytes(new byte[] {1, 1, 'k', 2, 1, 'a', 1, 'b'});
        assertThat(Arrays.copyOf(payload, payload.length - 10)).isEqualTo(expect.toByteArray());
        // a payload as KeyDB writes it (its loader has no SINGLE flag: the job repeats)
        Object back = RdbReader.restore(payload, RdbReader.Limits.DEFAULT);
        assertThat(cron((CronJob) back)).isEqualTo(cron(job));
    }

    @Test
    void singleShotAuxOnlyMarksACronJob() throws IOException {
        CronJob single = new CronJob(b("return 1"), true, NOW, 100, new byte[0][], new byte[0][]);
        Keyspace ks = new Keyspace(16);
        ks.db(0).set(b("a"), single, NOW);
        ks.db(0).set(b("b"), b("plain"), NOW);
        Keyspace back = load(save(ks, false));
        assertThat(((CronJob) back.db(0).peek(b("a"))).singleShot()).isTrue();
        assertThat(s((byte[]) back.db(0).peek(b("b")))).isEqualTo("plain");
        // a DUMP payload cannot say SINGLE: KeyDB's default (repeat)
        assertThat(((CronJob) RdbReader.restore(RdbWriter.dump(single, false), RdbReader.Limits.DEFAULT)).singleShot()).isFalse();
    }

    @Test
    void nestedHashesRoundTripThroughFilesAndDumps() throws IOException {
        NestedHashValue v = sample();
        for (boolean compress : new boolean[] {true, false}) {
            Keyspace ks = new Keyspace(16);
            ks.db(2).set(b("nh"), v, NOW, NOW + 1000);
            Keyspace back = load(save(ks, compress));
            assertThat(nested(back.db(2).peek(b("nh")))).isEqualTo(nested(v));
            assertThat(back.db(2).expireAt(b("nh"))).isEqualTo(NOW + 1000);
            byte[] payload = RdbWriter.dump(v, compress);
            assertThat(payload[0] & 0xff).isEqualTo(Rdb.TYPE_KEYDB_JVM_NESTED_HASH);
            assertThat(RdbReader.verifyPayload(payload)).isTrue();
            assertThat(nested(RdbReader.restore(payload, RdbReader.Limits.DEFAULT))).isEqualTo(nested(v));
        }
    }

    @Test
    void corruptNestedHashesAreRejected() throws IOException {
        byte[] badKind = {(byte) Rdb.TYPE_KEYDB_JVM_NESTED_HASH, 1, 1, 'a', 9, 1, 'x'};
        assertThatThrownBy(() -> RdbReader.restore(withFooter(badKind), RdbReader.Limits.DEFAULT))
                .isInstanceOf(RdbException.class).hasMessageContaining("kind 9");
        byte[] truncated = {(byte) Rdb.TYPE_KEYDB_JVM_NESTED_HASH, 2, 1, 'a', 0, 1, 'x'};
        assertThatThrownBy(() -> RdbReader.restore(withFooter(truncated), RdbReader.Limits.DEFAULT)).isInstanceOf(RdbException.class);
        // the deepest nesting accepted (buckets are walked recursively elsewhere) reads and writes back
        int depth = NestedHashValue.MAX_DEPTH - 1; // inner buckets below the top one
        Object v = RdbReader.restore(withFooter(nestedBuckets(depth)), RdbReader.Limits.DEFAULT);
        for (int i = 0; i < depth; i++) {
            v = ((NestedHashValue) v).get(b("a"));
        }
        assertThat(((NestedHashValue) v).size()).isZero();
        Object top = RdbReader.restore(withFooter(nestedBuckets(depth)), RdbReader.Limits.DEFAULT);
        byte[] again = RdbWriter.dump(top, false);
        assertThat(Arrays.copyOf(again, again.length - 10)).isEqualTo(nestedBuckets(depth));
        // one level more is refused as corrupt, and so is a file nested deeper than any stack (read iteratively)
        for (int tooDeep : new int[] {depth + 1, 100_000}) {
            assertThatThrownBy(() -> RdbReader.restore(withFooter(nestedBuckets(tooDeep)), RdbReader.Limits.DEFAULT))
                    .isInstanceOf(RdbException.class).hasMessageContaining("nested hash deeper than 1000 levels");
        }
    }

    /** A nested hash payload: {@code depth} buckets named "a", each inside the one before. */
    private static byte[] nestedBuckets(int depth) {
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        deep.write(Rdb.TYPE_KEYDB_JVM_NESTED_HASH);
        for (int i = 0; i < depth; i++) {
            deep.writeBytes(new byte[] {1, 1, 'a', (byte) Rdb.NESTED_HASH});
        }
        deep.write(0);
        return deep.toByteArray();
    }

    @Test
    void checkModeAcceptsBothTypes() throws IOException {
        Keyspace ks = new Keyspace(16);
        ks.db(0).set(b("job"), new CronJob(b("return 1"), true, NOW, 100, new byte[0][], new byte[0][]), NOW);
        ks.db(0).set(b("nh"), sample(), NOW);
        List<Integer> types = new ArrayList<>();
        RdbReader.CheckResult r = RdbReader.check(new ByteArrayInputStream(save(ks, true)), new RdbReader.CheckListener() {
            @Override
            public void key(long offset, byte[] key, int type, long expireAtMs) {
                types.add(type);
            }
        }, NOW);
        assertThat(r.keys()).isEqualTo(2);
        assertThat(types).containsExactlyInAnyOrder(Rdb.TYPE_KEYDB_CRON, Rdb.TYPE_KEYDB_JVM_NESTED_HASH);
    }

    /** A DUMP footer (RDB version 10 and the CRC64) after {@code body}. */
    private static byte[] withFooter(byte[] body) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = (byte) Rdb.VERSION;
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }
}
