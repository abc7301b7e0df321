package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.ZSetValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Redis 7.2 / 7.4 and KeyDB write that Redis 7.0 does not: RDB 11 and 12 types (set
 * listpacks, hashes with field expiry), slot info, module aux data and values, function
 * libraries, KeyDB's member-expiry and MVCC aux fields. Files are built here with a small
 * encoder following the source layouts (rdb.c of Redis 7.4, rdb.cpp of KeyDB).
 */
class RdbNewerFormatsTest {
    private static final long NOW = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A file under construction: the magic, then whatever the test writes, then EOF and CRC. */
    private static final class FileBuilder {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final RdbWriter w = new RdbWriter(bytes, false);

        FileBuilder(int version) throws IOException {
            w.raw(b(String.format("REDIS%04d", version)));
        }

        FileBuilder aux(String k, String v) throws IOException {
            w.type(Rdb.OPCODE_AUX);
            w.string(b(k));
            w.string(b(v));
            return this;
        }

        byte[] finish() throws IOException {
            w.type(Rdb.OPCODE_EOF);
            w.finish(true);
            return bytes.toByteArray();
        }
    }

    private static Keyspace load(byte[] file) throws RdbException {
        Keyspace ks = new Keyspace(16);
        RdbReader.load(new ByteArrayInputStream(file), ks, RdbReader.Limits.DEFAULT, NOW, true);
        return ks;
    }

    private static RdbReader.CheckResult check(byte[] file, List<String> infos) throws RdbReader.CheckError {
        return RdbReader.check(new ByteArrayInputStream(file), new RdbReader.CheckListener() {
            @Override
            public void info(long offset, String message) {
                infos.add(message);
            }
        }, NOW);
    }

    /** A module id: the 9-character name in 6-bit digits, then a 10-bit encoding version (moduleTypeEncodeId). */
    private static long moduleId(String name, int encver) {
        String cset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char ch : name.toCharArray()) {
            id = (id << 6) | cset.indexOf(ch);
        }
        return (id << 10) | encver;
    }

    /** A module's serialized data: one of each opcode, then EOF. */
    private static void moduleData(RdbWriter w) throws IOException {
        w.length(Rdb.MODULE_OPCODE_SINT);
        w.length(-5L & 0xFFFFFFFFL);
        w.length(Rdb.MODULE_OPCODE_UINT);
        w.length(7);
        w.length(Rdb.MODULE_OPCODE_STRING);
        w.string(b("module string"));
        w.length(Rdb.MODULE_OPCODE_FLOAT);
        w.longLe(Float.floatToIntBits(1.5f), 4);
        w.length(Rdb.MODULE_OPCODE_DOUBLE);
        w.longLe(Double.doubleToLongBits(2.5), 8);
        w.length(Rdb.MODULE_OPCODE_EOF);
    }

    @Test
    void rdb11And12TypesLoad() throws IOException {
        FileBuilder f = new FileBuilder(12).aux("redis-ver", "7.4.0");
        RdbWriter w = f.w;
        w.type(Rdb.OPCODE_SELECTDB);
        w.length(0);
        w.type(Rdb.OPCODE_RESIZEDB);
        w.length(6);
        w.length(0);
        w.type(Rdb.OPCODE_SLOT_INFO);                   // cluster sizing hints: skipped
        w.length(1234);
        w.length(6);
        w.length(0);
        // RDB_TYPE_SET_LISTPACK: a set of strings and integers
        w.type(Rdb.TYPE_SET_LISTPACK);
        w.string(b("set"));
        Listpack lp = new Listpack();
        for (String m : new String[] {"a", "17", "hello", "-3"}) {
            lp.add(b(m));
        }
        w.string(lp.toBytes());
        // RDB_TYPE_HASH_METADATA (GA): min expire, then per field a relative TTL (+1, 0 = none), field, value
        long min = NOW + 10_000;
        w.type(Rdb.TYPE_HASH_METADATA);
        w.string(b("hmeta"));
        w.longLe(min, 8);
        w.length(4);
        w.length(0);
        w.string(b("plain"));
        w.string(b("1"));
        w.length(1);                                    // min + 0
        w.string(b("soon"));
        w.string(b("2"));
        w.length(5001);                                 // min + 5000
        w.string(b("later"));
        w.string(b("3"));
        w.length(NOW - 1000 - min + 1);                 // already expired: dropped
        w.string(b("gone"));
        w.string(b("4"));
        // RDB_TYPE_HASH_METADATA_PRE_GA: absolute TTLs, no minimum
        w.type(Rdb.TYPE_HASH_METADATA_PRE_GA);
        w.string(b("hmeta-rc"));
        w.length(2);
        w.length(NOW + 777);
        w.string(b("f"));
        w.string(b("v"));
        w.length(0);
        w.string(b("g"));
        w.string(b("w"));
        // RDB_TYPE_HASH_LISTPACK_EX (GA): min expire, then a listpack of field, value, TTL (0 = none)
        w.type(Rdb.TYPE_HASH_LISTPACK_EX);
        w.string(b("hlp"));
        w.longLe(NOW + 50, 8);
        lp = new Listpack();
        lp.add(b("x"));
        lp.add(b("1"));
        lp.add(NOW + 50);
        lp.add(b("y"));
        lp.add(b("2"));
        lp.add(0);
        lp.add(b("z"));
        lp.add(b("3"));
        lp.add(NOW - 50);                               // expired: dropped
        w.string(lp.toBytes());
        // RDB_TYPE_HASH_LISTPACK_EX_PRE_GA: no minimum
        w.type(Rdb.TYPE_HASH_LISTPACK_EX_PRE_GA);
        w.string(b("hlp-rc"));
        lp = new Listpack();
        lp.add(b("only"));
        lp.add(b("one"));
        lp.add(NOW + 60);
        w.string(lp.toBytes());
        // a hash whose fields all expired: skipped as an empty key
        w.type(Rdb.TYPE_HASH_LISTPACK_EX_PRE_GA);
        w.string(b("all-expired"));
        lp = new Listpack();
        lp.add(b("f"));
        lp.add(b("v"));
        lp.add(NOW - 1);
        w.string(lp.toBytes());
        // module aux data after the keys: skipped through its opcodes
        w.type(Rdb.OPCODE_MODULE_AUX);
        w.length(moduleId("ReJSON-RL", 3));
        w.length(Rdb.MODULE_OPCODE_UINT);
        w.length(2);
        moduleData(w);
        byte[] file = f.finish();

        Keyspace ks = new Keyspace(16);
        RdbReader.LoadResult r = RdbReader.load(new ByteArrayInputStream(file), ks, RdbReader.Limits.DEFAULT, NOW, true);
        assertThat(r.version()).isEqualTo(12);
        assertThat(r.keys()).isEqualTo(5);
        assertThat(r.emptySkipped()).isEqualTo(1);
        Database d = ks.db(0);
        assertThat(RdbRoundTripTest.content(d.peek(b("set")))).isEqualTo("set:[-3, 17, a, hello]");
        assertThat(((SetValue) d.peek(b("set"))).isIntset()).isFalse();
        assertThat(RdbRoundTripTest.content(d.peek(b("hmeta")))).isEqualTo("hash:{later=3, plain=1, soon=2}");
        assertThat(d.memberExpireAt(b("hmeta"), b("plain"))).isEqualTo(ExpireTable.NONE);
        assertThat(d.memberExpireAt(b("hmeta"), b("soon"))).isEqualTo(min);
        assertThat(d.memberExpireAt(b("hmeta"), b("later"))).isEqualTo(min + 5000);
        assertThat(RdbRoundTripTest.content(d.peek(b("hmeta-rc")))).isEqualTo("hash:{f=v, g=w}");
        assertThat(d.memberExpireAt(b("hmeta-rc"), b("f"))).isEqualTo(NOW + 777);
        assertThat(d.memberExpireAt(b("hmeta-rc"), b("g"))).isEqualTo(ExpireTable.NONE);
        assertThat(RdbRoundTripTest.content(d.peek(b("hlp")))).isEqualTo("hash:{x=1, y=2}");
        assertThat(((HashValue) d.peek(b("hlp"))).isListpack()).isTrue();
        assertThat(d.memberExpireAt(b("hlp"), b("x"))).isEqualTo(NOW + 50);
        assertThat(d.memberExpireAt(b("hlp-rc"), b("only"))).isEqualTo(NOW + 60);
        assertThat(d.peek(b("all-expired"))).isNull();

        List<String> infos = new ArrayList<>();
        RdbReader.CheckResult c = check(file, infos);
        assertThat(c.version()).isEqualTo(12);
        assertThat(c.keys()).isEqualTo(6);
        assertThat(infos).containsExactly("MODULE AUX for: ReJSON-RL");
    }

    @Test
    void moduleValuesAreRefusedNamingTheModuleButPassTheChecker() throws IOException {
        FileBuilder f = new FileBuilder(11);
        f.w.type(Rdb.TYPE_MODULE_2);
        f.w.string(b("json"));
        f.w.length(moduleId("ReJSON-RL", 3));
        moduleData(f.w);
        f.w.type(Rdb.TYPE_STRING);
        f.w.string(b("after"));
        f.w.string(b("v"));
        byte[] file = f.finish();
        assertThatThrownBy(() -> load(file)).isInstanceOf(RdbException.class)
                .hasMessageContaining("no matching module type 'ReJSON-RL'").hasMessageContaining("encoding version 3");
        assertThat(check(file, new ArrayList<>()).keys()).isEqualTo(2);
        assertThat(RdbReader.moduleName(moduleId("MyType-_9", 0))).isEqualTo("MyType-_9");

        FileBuilder pre = new FileBuilder(11);
        pre.w.type(Rdb.TYPE_MODULE_PRE_GA);
        pre.w.string(b("k"));
        pre.w.length(1);
        byte[] preFile = pre.finish();
        assertThatThrownBy(() -> load(preFile)).hasMessageContaining("Pre-release module format not supported");
    }

    /** A DUMP payload says RDB 10 at most: the newer types are not accepted there, as in Redis 7.0. */
    @Test
    void dumpPayloadsKeepToRdb10Types() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bytes, false);
        w.type(Rdb.TYPE_SET_LISTPACK);
        Listpack lp = new Listpack();
        lp.add(b("a"));
        w.string(lp.toBytes());
        w.raw(new byte[] {10, 0});
        w.finish(true);
        byte[] payload = bytes.toByteArray();
        assertThat(RdbReader.verifyPayload(payload)).isTrue();
        assertThatThrownBy(() -> RdbReader.restore(payload, RdbReader.Limits.DEFAULT)).isInstanceOf(RdbException.class)
                .hasMessageContaining("type 20");
    }

    @Test
    void versionsAboveTwelveAreRefused() {
        byte[] future = b("REDIS0013");
        assertThatThrownBy(() -> load(future)).isInstanceOf(RdbException.class).hasMessageContaining("version 13");
        assertThatThrownBy(() -> check(future, new ArrayList<>())).hasMessageContaining("Can't handle RDB format version 13");
    }

    @Test
    void functionLibrariesAreWrittenAndHandedBack() throws IOException {
        List<byte[]> libs = List.of(b("#!lua name=one\nredis.register_function('f1', function() return 1 end)"),
                b("#!lua name=two\nredis.register_function('f2', function() return 2 end)"));
        Keyspace ks = new Keyspace(16);
        ks.db(0).set(b("k"), b("v"), NOW, -1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", true, true, 0, libs));
        byte[] file = out.toByteArray();
        RdbReader.LoadResult r = RdbReader.load(new ByteArrayInputStream(file), new Keyspace(16), RdbReader.Limits.DEFAULT, NOW, true);
        assertThat(r.functions()).hasSize(2);
        assertThat(new String(r.functions().get(0), StandardCharsets.UTF_8)).isEqualTo(new String(libs.get(0), StandardCharsets.UTF_8));
        assertThat(r.functions().get(1)).isEqualTo(libs.get(1));
        assertThat(r.keys()).isEqualTo(1);
        assertThat(check(file, new ArrayList<>()).keys()).isEqualTo(1);
        // no libraries: no records
        out.reset();
        RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", true, true, 0));
        assertThat(RdbReader.load(new ByteArrayInputStream(out.toByteArray()), new Keyspace(16), RdbReader.Limits.DEFAULT, NOW, true)
                .functions()).isEmpty();

        FileBuilder pre = new FileBuilder(10);
        pre.w.type(Rdb.OPCODE_FUNCTION_PRE_GA);
        pre.w.string(b("lua"));
        byte[] preFile = pre.finish();
        assertThatThrownBy(() -> load(preFile)).hasMessageContaining("Pre-release function format not supported");
        assertThatThrownBy(() -> check(preFile, new ArrayList<>())).hasMessageContaining("Pre-release function format not supported");
    }

    /** KeyDB's layout (rdb.cpp rdbSaveKeyValuePair): mvcc-tstamp before a key, subexpire pairs after it. */
    @Test
    void keydbMemberExpiriesLoad() throws IOException {
        FileBuilder f = new FileBuilder(9).aux("redis-ver", "6.3.4");
        RdbWriter w = f.w;
        w.type(Rdb.OPCODE_SELECTDB);
        w.length(0);
        f.aux(Rdb.AUX_MVCC_TSTAMP, "1700000000000000000");
        w.type(Rdb.TYPE_SET);
        w.string(b("s"));
        w.length(3);
        w.string(b("a"));
        w.string(b("b"));
        w.string(b("c"));
        f.aux(Rdb.AUX_SUBEXPIRE_KEY, "a").aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(NOW + 1000));
        f.aux(Rdb.AUX_SUBEXPIRE_KEY, "missing").aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(NOW + 1000));   // not a member: skipped
        f.aux(Rdb.AUX_SUBEXPIRE_KEY, "c").aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(NOW + 3000));
        f.aux(Rdb.AUX_MVCC_TSTAMP, "1700000000000000001");
        w.type(Rdb.OPCODE_EXPIRETIME_MS);
        w.longLe(NOW - 1, 8);                            // an expired key: its subexpire pair is dropped with it
        w.type(Rdb.TYPE_HASH);
        w.string(b("old"));
        w.length(1);
        w.string(b("f"));
        w.string(b("v"));
        f.aux(Rdb.AUX_SUBEXPIRE_KEY, "f").aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(NOW + 1000));
        w.type(Rdb.TYPE_ZSET_2);
        w.string(b("z"));
        w.length(1);
        w.string(b("m"));
        w.longLe(Double.doubleToLongBits(1.0), 8);
        f.aux(Rdb.AUX_SUBEXPIRE_KEY, "m").aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(NOW + 2000));
        byte[] file = f.finish();
        Keyspace ks = load(file);
        Database d = ks.db(0);
        assertThat(d.memberExpireAt(b("s"), b("a"))).isEqualTo(NOW + 1000);
        assertThat(d.memberExpireAt(b("s"), b("b"))).isEqualTo(ExpireTable.NONE);
        assertThat(d.memberExpireAt(b("s"), b("c"))).isEqualTo(NOW + 3000);
        assertThat(d.memberExpireAt(b("s"), b("missing"))).isEqualTo(ExpireTable.NONE);
        assertThat(d.peek(b("old"))).isNull();
        assertThat(d.memberExpireAt(b("z"), b("m"))).isEqualTo(NOW + 2000);
        assertThat(d.keysWithMemberExpiry()).isEqualTo(2);
        assertThat(check(file, new ArrayList<>()).keys()).isEqualTo(3);
    }

    @Test
    void memberExpiriesSurviveOurOwnFiles() throws IOException {
        Keyspace ks = new Keyspace(16);
        Database d = ks.db(2);
        SetValue s = new SetValue();
        s.add(b("x"), 512);
        s.add(b("y"), 512);
        d.set(b("set"), s, NOW, NOW + 99_000);
        d.setMemberExpire(b("set"), b("x"), NOW + 5000);
        HashValue h = new HashValue();
        h.put(b("f"), b("1"), 128, 64);
        h.put(b("g"), b("2"), 128, 64);
        d.set(b("hash"), h, NOW, -1);
        d.setMemberExpire(b("hash"), b("g"), NOW + 6000);
        d.setMemberExpire(b("hash"), b("f"), NOW + 7000);
        ZSetValue z = ZSetValue.forSize(1, 1, new ZSetValue.Limits());
        z.put(b("m"), 3);
        d.set(b("zset"), z, NOW, -1);
        d.setMemberExpire(b("zset"), b("m"), NOW + 8000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", false, true, 0));
        Database back = load(out.toByteArray()).db(2);
        assertThat(back.expireAt(b("set"))).isEqualTo(NOW + 99_000);
        assertThat(back.memberExpireAt(b("set"), b("x"))).isEqualTo(NOW + 5000);
        assertThat(back.memberExpireAt(b("set"), b("y"))).isEqualTo(ExpireTable.NONE);
        assertThat(back.memberExpireAt(b("hash"), b("g"))).isEqualTo(NOW + 6000);
        assertThat(back.memberExpireAt(b("hash"), b("f"))).isEqualTo(NOW + 7000);
        assertThat(back.memberExpireAt(b("zset"), b("m"))).isEqualTo(NOW + 8000);
        // the aux pairs come right after their key, as KeyDB writes them
        List<String> auxKeys = new ArrayList<>();
        RdbReader.check(new ByteArrayInputStream(out.toByteArray()), new RdbReader.CheckListener() {
            @Override
            public void aux(long offset, byte[] key, byte[] value) {
                auxKeys.add(new String(key, StandardCharsets.UTF_8));
            }

            @Override
            public void key(long offset, byte[] key, int type, long expireAtMs) {
                auxKeys.add("KEY " + new String(key, StandardCharsets.UTF_8));
            }
        }, NOW);
        int set = auxKeys.indexOf("KEY set");
        assertThat(auxKeys.subList(set + 1, set + 3)).containsExactly(Rdb.AUX_SUBEXPIRE_KEY, Rdb.AUX_SUBEXPIRE_WHEN);
    }
}
