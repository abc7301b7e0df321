package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.RawString;
import dev.keydb.storage.Strings;
import dev.keydb.storage.ValueType;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.ZSetValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RdbRoundTripTest {
    private static final long NOW = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A canonical, comparable rendering of a value's content (not its encoding). */
    static String content(Object v) {
        if (Strings.isString(v)) {
            return "string:" + new String(Strings.bytes(v), StandardCharsets.ISO_8859_1);
        }
        if (v instanceof ListValue l) {
            List<String> out = new ArrayList<>();
            l.forEach((buf, off, len) -> out.add(new String(buf, off, len, StandardCharsets.ISO_8859_1)));
            return "list:" + out;
        }
        if (v instanceof SetValue s) {
            TreeSet<String> out = new TreeSet<>();
            s.forEach(m -> out.add(new String(m, StandardCharsets.ISO_8859_1)));
            return "set:" + out;
        }
        if (v instanceof HashValue h) {
            TreeMap<String, String> out = new TreeMap<>();
            h.forEach((fb, fo, fl, vb, vo, vl) -> out.put(new String(fb, fo, fl, StandardCharsets.ISO_8859_1),
                    new String(vb, vo, vl, StandardCharsets.ISO_8859_1)));
            return "hash:" + out;
        }
        if (v instanceof ZSetValue z) {
            List<String> out = new ArrayList<>();
            z.forEach((m, score) -> out.add(new String(m, StandardCharsets.ISO_8859_1) + "=" + Double.doubleToRawLongBits(score)));
            return "zset:" + out;
        }
        throw new IllegalArgumentException(String.valueOf(v));
    }

    private static Object restoreDump(Object v, boolean compress) throws RdbException {
        byte[] payload = RdbWriter.dump(v, compress);
        assertThat(RdbReader.verifyPayload(payload)).isTrue();
        return RdbReader.restore(payload, RdbReader.Limits.DEFAULT);
    }

    private static void assertRoundTrips(Object v) throws IOException {
        for (boolean compress : new boolean[] {true, false}) {
            Object back = restoreDump(v, compress);
            assertThat(content(back)).isEqualTo(content(v));
            if (!Strings.isString(v)) {
                assertThat(ValueType.encodingOf(back)).as("encoding of " + ValueType.encodingOf(v)).isEqualTo(ValueType.encodingOf(v));
            }
            Keyspace ks = new Keyspace(16);
            ks.db(3).set(b("k"), v, NOW, NOW + 100_000);
            byte[] file = save(ks, compress);
            Keyspace loaded = new Keyspace(16);
            RdbReader.load(new ByteArrayInputStream(file), loaded, RdbReader.Limits.DEFAULT, NOW, true);
            assertThat(content(loaded.db(3).peek(b("k")))).isEqualTo(content(v));
            assertThat(loaded.db(3).expireAt(b("k"))).isEqualTo(NOW + 100_000);
        }
    }

    static byte[] save(Keyspace ks, boolean compress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", compress, true, 0));
        return out.toByteArray();
    }

    @Test
    void strings() throws IOException {
        for (Object v : new Object[] {Strings.fromLong(0), Strings.fromLong(-5), Strings.fromLong(300), Strings.fromLong(70000),
                Strings.fromLong(Long.MAX_VALUE), Strings.fromLong(Long.MIN_VALUE), b(""), b("hello"), b("007"), b("-0"),
                b("12345678901"), b("x".repeat(100)), b("abcdefghijklmnopqrstuvwxyz0123456789"), new RawString(b("raw value here"))}) {
            assertRoundTrips(v);
        }
        byte[] random = new byte[5000];
        new java.util.Random(7).nextBytes(random);
        assertRoundTrips(random);
    }

    @Test
    void lists() throws IOException {
        ListValue small = new ListValue();
        for (String s : new String[] {"a", "1", "-4096", "4095", "32767", "-8388608", "2147483647", "9223372036854775807", "x".repeat(70), "y".repeat(5000)}) {
            small.pushTail(b(s));
        }
        assertRoundTrips(small);
        ListValue large = new ListValue();
        for (int i = 0; i < 20000; i++) {
            large.pushTail(b(i % 3 == 0 ? Integer.toString(i * 7919) : "element-" + i));
        }
        assertThat(large.nodeCount()).isGreaterThan(1);
        assertRoundTrips(large);
        ListValue counted = new ListValue(5);
        for (int i = 0; i < 23; i++) {
            counted.pushTail(b("e" + i));
        }
        assertRoundTrips(counted);
    }

    @Test
    void sets() throws IOException {
        SetValue ints = new SetValue();
        for (long v : new long[] {1, -3, 70000, Long.MIN_VALUE, Long.MAX_VALUE}) {
            ints.add(b(Long.toString(v)), 512);
        }
        assertThat(ints.isIntset()).isTrue();
        assertRoundTrips(ints);
        SetValue smallInts = new SetValue();
        smallInts.add(b("5"), 512);
        assertRoundTrips(smallInts);
        SetValue table = new SetValue();
        for (int i = 0; i < 1000; i++) {
            table.add(b("member:" + i), 512);
        }
        table.add(b("42"), 512);
        assertThat(table.isIntset()).isFalse();
        assertRoundTrips(table);
    }

    @Test
    void hashes() throws IOException {
        HashValue lp = new HashValue();
        lp.put(b("f1"), b("v1"), 128, 64);
        lp.put(b("n"), b("12345"), 128, 64);
        lp.put(b(""), b(""), 128, 64);
        assertThat(lp.isListpack()).isTrue();
        assertRoundTrips(lp);
        HashValue table = new HashValue();
        for (int i = 0; i < 300; i++) {
            table.put(b("field" + i), b(i % 2 == 0 ? Integer.toString(i) : "value-" + i), 128, 64);
        }
        assertThat(table.isListpack()).isFalse();
        assertRoundTrips(table);
    }

    @Test
    void sortedSets() throws IOException {
        ZSetValue lp = ZSetValue.listpack(new ZSetValue.Limits());
        double[] scores = {0, -0.0, 1, -1.5, 3.141592653589793, 1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 4503599627370496.0, 0.1};
        for (int i = 0; i < scores.length; i++) {
            lp.put(b("m" + i), scores[i]);
        }
        assertThat(lp.isListpack()).isTrue();
        assertRoundTrips(lp);
        ZSetValue sl = ZSetValue.skiplist(new ZSetValue.Limits());
        for (int i = 0; i < 500; i++) {
            sl.put(b("member-" + i), i * 1.25 - 100);
        }
        sl.put(b("inf"), Double.POSITIVE_INFINITY);
        assertRoundTrips(sl);
    }

    @Test
    void wholeFileWithManyDatabasesAndTtls() throws IOException {
        Keyspace ks = new Keyspace(16);
        ks.db(0).set(b("a"), b("1"), NOW);
        ks.db(0).set(b("b"), Strings.fromLong(12), NOW, NOW + 5000);
        ks.db(0).set(b("gone"), b("x"), NOW - 10_000, NOW - 1);
        ks.db(15).set(b("c"), b("z".repeat(1000)), NOW);
        byte[] file = save(ks, true);
        assertThat(new String(file, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");
        assertThat(file.length).isLessThan(1000); // the 1000 z's were compressed
        Keyspace loaded = new Keyspace(16);
        RdbReader.LoadResult r = RdbReader.load(new ByteArrayInputStream(file), loaded, RdbReader.Limits.DEFAULT, NOW, true);
        assertThat(r.keys()).isEqualTo(3);
        assertThat(r.expiredSkipped()).isEqualTo(1);
        Database d0 = loaded.db(0);
        assertThat(d0.size()).isEqualTo(2);
        assertThat(d0.peek(b("b"))).isEqualTo(12L);
        assertThat(d0.expireAt(b("b"))).isEqualTo(NOW + 5000);
        assertThat(d0.expireAt(b("a"))).isEqualTo(ExpireTable.NONE);
        assertThat(content(loaded.db(15).peek(b("c")))).isEqualTo("string:" + "z".repeat(1000));
        // too few databases configured
        assertThatThrownBy(() -> RdbReader.load(new ByteArrayInputStream(file), new Keyspace(4), RdbReader.Limits.DEFAULT, NOW, true))
                .isInstanceOf(RdbException.class).hasMessageContaining("database 15");
    }

    /** RESIZEDB sizes the tables up front, but a file's hints together reserve at most 4M entries. */
    @Test
    void resizeDbHintsPresizeTablesWithinABudget() throws IOException {
        java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
        f.writeBytes(b("REDIS0011"));
        f.writeBytes(new byte[] {(byte) Rdb.OPCODE_SELECTDB, 0, (byte) Rdb.OPCODE_RESIZEDB, (byte) 0x80, 0, 0, 0x13, (byte) 0x88, 1});
        f.writeBytes(new byte[] {0, 1, 'k', 1, 'v'}); // a string key among the 5000 announced
        f.writeBytes(new byte[] {(byte) Rdb.OPCODE_SELECTDB, 1, (byte) Rdb.OPCODE_RESIZEDB, (byte) 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        f.writeBytes(new byte[] {(byte) Rdb.OPCODE_SELECTDB, 2, (byte) Rdb.OPCODE_RESIZEDB, (byte) 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        f.write(Rdb.OPCODE_EOF);
        f.writeBytes(new byte[8]); // checksum 0: not checked
        Keyspace loaded = new Keyspace(16);
        RdbReader.load(new ByteArrayInputStream(f.toByteArray()), loaded, RdbReader.Limits.DEFAULT, NOW, true);
        assertThat(loaded.db(0).peek(b("k"))).isEqualTo(b("v"));
        assertThat(loaded.db(0).tableCapacity()).isEqualTo(8192); // 5000 keys at most 3/4 full, at once
        assertThat(loaded.db(1).tableCapacity()).isEqualTo(1 << 23); // 2^40 announced: the rest of the budget
        assertThat(loaded.db(2).tableCapacity()).isLessThan(64); // nothing left to reserve
    }

    @Test
    void corruptFilesAreRejected() throws IOException {
        Keyspace ks = new Keyspace(16);
        for (int i = 0; i < 100; i++) {
            ks.db(0).set(b("key" + i), b("value" + i), NOW);
        }
        byte[] file = save(ks, true);
        byte[] flipped = file.clone();
        // Flip a bit inside a value's bytes (not a length or opcode, whose position varies with the aux fields).
        int at = indexOf(file, b("value50"));
        assertThat(at).isPositive();
        flipped[at + 1] ^= 0x10;
        assertThatThrownBy(() -> RdbReader.load(new ByteArrayInputStream(flipped), new Keyspace(16), RdbReader.Limits.DEFAULT, NOW, true))
                .isInstanceOf(RdbException.class).hasMessageContaining("checksum");
        byte[] truncated = Arrays.copyOf(file, file.length - 20);
        assertThatThrownBy(() -> RdbReader.load(new ByteArrayInputStream(truncated), new Keyspace(16), RdbReader.Limits.DEFAULT, NOW, true))
                .isInstanceOf(RdbException.class).hasMessageContaining("truncated");
        byte[] notRdb = b("HELLO WORLD, this is not an RDB file");
        assertThatThrownBy(() -> RdbReader.load(new ByteArrayInputStream(notRdb), new Keyspace(16), RdbReader.Limits.DEFAULT, NOW, true))
                .isInstanceOf(RdbException.class).hasMessageContaining("signature");
        // checksum verification off: the flipped value byte loads
        RdbReader.load(new ByteArrayInputStream(flipped), new Keyspace(16), RdbReader.Limits.DEFAULT, NOW, false);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void dumpPayloadFooterIsChecked() {
        byte[] p = RdbWriter.dump(b("hello"), true);
        // type 0, length 5, "hello", version 10 0, crc
        assertThat(Arrays.copyOf(p, 9)).isEqualTo(new byte[] {0, 5, 'h', 'e', 'l', 'l', 'o', 10, 0});
        byte[] bad = p.clone();
        bad[2] = 'j';
        assertThat(RdbReader.verifyPayload(bad)).isFalse();
        byte[] future = p.clone();
        future[7] = 11;
        assertThat(RdbReader.verifyPayload(future)).isFalse();
        assertThat(RdbReader.verifyPayload(new byte[3])).isFalse();
    }

    @Test
    void legacyEncodingsLoad() throws IOException {
        // A version-6 style file: a ziplist list, an intset, a zipmap hash, an old-double zset, EXPIRETIME in seconds.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(body, false);
        w.raw(b("REDIS0006"));
        w.type(Rdb.OPCODE_SELECTDB);
        w.length(0);
        // ziplist ["a", 7, "bc"]
        w.type(Rdb.TYPE_LIST_ZIPLIST);
        w.string(b("zl"));
        w.string(ziplist());
        // intset {1, 2, 300000}
        w.type(Rdb.TYPE_SET_INTSET);
        w.string(b("is"));
        w.string(Legacy.intsetBytes(new long[] {1, 2, 300000}));
        // zipmap {f: v, g: hello}
        w.type(Rdb.TYPE_HASH_ZIPMAP);
        w.string(b("zm"));
        w.string(new byte[] {2, 1, 'f', 1, 0, 'v', 1, 'g', 5, 2, 'h', 'e', 'l', 'l', 'o', 0, 0, (byte) 0xFF});
        // old zset with text doubles
        w.type(Rdb.OPCODE_EXPIRETIME);
        w.longLe(NOW / 1000 + 3600, 4);
        w.type(Rdb.TYPE_ZSET);
        w.string(b("oz"));
        w.length(2);
        w.string(b("x"));
        w.byte1(3);
        w.raw(b("1.5"));
        w.string(b("y"));
        w.byte1(254);
        // IDLE and FREQ are read and ignored
        w.type(Rdb.OPCODE_IDLE);
        w.length(100);
        w.type(Rdb.OPCODE_FREQ);
        w.byte1(5);
        w.type(Rdb.TYPE_STRING);
        w.string(b("s"));
        w.string(b("v"));
        w.type(Rdb.OPCODE_EOF);
        w.finish(true);
        Keyspace ks = new Keyspace(16);
        RdbReader.load(new ByteArrayInputStream(body.toByteArray()), ks, RdbReader.Limits.DEFAULT, NOW, true);
        Database d = ks.db(0);
        assertThat(content(d.peek(b("zl")))).isEqualTo("list:[a, 7, bc, -2, 12]");
        assertThat(content(d.peek(b("is")))).isEqualTo("set:[1, 2, 300000]");
        assertThat(content(d.peek(b("zm")))).isEqualTo("hash:{f=v, g=hello}");
        assertThat(content(d.peek(b("oz")))).isEqualTo("zset:[x=" + Double.doubleToRawLongBits(1.5) + ", y="
                + Double.doubleToRawLongBits(Double.POSITIVE_INFINITY) + "]");
        assertThat(d.expireAt(b("oz"))).isEqualTo((NOW / 1000 + 3600) * 1000);
        assertThat(content(d.peek(b("s")))).isEqualTo("string:v");
    }

    @Test
    void quicklistPlainNodesAndEmptyKeys() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(body, true);
        w.raw(b("REDIS0010"));
        w.type(Rdb.OPCODE_SELECTDB);
        w.length(0);
        w.type(Rdb.TYPE_LIST_QUICKLIST_2);
        w.string(b("ql"));
        w.length(2);
        w.length(Rdb.QUICKLIST_NODE_PLAIN);
        w.string(b("p".repeat(100)));
        w.length(Rdb.QUICKLIST_NODE_PACKED);
        Listpack lp = new Listpack();
        lp.add(b("x"));
        lp.add(-70000);
        w.string(lp.toBytes());
        // an empty set: skipped, as Redis does
        w.type(Rdb.TYPE_SET);
        w.string(b("empty"));
        w.length(0);
        w.type(Rdb.OPCODE_EOF);
        w.finish(true);
        Keyspace ks = new Keyspace(16);
        RdbReader.LoadResult r = RdbReader.load(new ByteArrayInputStream(body.toByteArray()), ks, RdbReader.Limits.DEFAULT, NOW, true);
        assertThat(r.keys()).isEqualTo(1);
        assertThat(r.emptySkipped()).isEqualTo(1);
        assertThat(content(ks.db(0).peek(b("ql")))).isEqualTo("list:[" + "p".repeat(100) + ", x, -70000]");
        assertThat(ks.db(0).peek(b("empty"))).isNull();
    }

    /** A ziplist of "a", 7 (immediate), "bc", -2 (int8), 12 (immediate). */
    private static byte[] ziplist() {
        byte[] entries = {
            0, 1, 'a',
            3, (byte) 0xF8,
            2, 2, 'b', 'c',
            4, (byte) 0xFE, (byte) -2,
            3, (byte) 0xFD,
        };
        int total = 10 + entries.length + 1;
        byte[] zl = new byte[total];
        zl[0] = (byte) total;
        zl[4] = (byte) (10 + entries.length - 2);
        zl[8] = 5;
        System.arraycopy(entries, 0, zl, 10, entries.length);
        zl[total - 1] = (byte) 0xFF;
        return zl;
    }
}
