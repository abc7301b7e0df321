package dev.keydb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.Keyspace;
import dev.keydb.storage.rdb.Crc64;
import dev.keydb.storage.rdb.Listpack;
import dev.keydb.storage.rdb.RdbWriter;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.StreamValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keydb-check-rdb on what Redis 7.2 / 7.4 and KeyDB write and Redis 7.0's checker does not
 * know: RDB 11 and 12 (set listpacks, stream listpacks v3, hashes with field TTLs, slot info,
 * module aux data and values, function libraries) and KeyDB's aux fields. The files are built
 * byte by byte from the source layouts.
 */
class CheckRdbNewerFormatsTest {
    @TempDir
    Path dir;

    /** Just enough of an RDB encoder: types, lengths, raw strings. */
    private static final class Rdb {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Rdb(int version) {
            raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        }

        Rdb raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Rdb type(int t) {
            out.write(t);
            return this;
        }

        Rdb len(long n) {
            if (n < 64) {
                out.write((int) n);
            } else if (n < 16384) {
                out.write((int) (0x40 | (n >>> 8)));
                out.write((int) n);
            } else {
                out.write(0x81);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (n >>> (8 * i)));
                }
            }
            return this;
        }

        Rdb str(String s) {
            return str(s.getBytes(StandardCharsets.UTF_8));
        }

        Rdb str(byte[] b) {
            len(b.length);
            return raw(b);
        }

        Rdb le64(long v) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        byte[] finish() {
            type(255);
            byte[] body = out.toByteArray();
            long crc = Crc64.of(body);
            byte[] file = Arrays.copyOf(body, body.length + 8);
            for (int i = 0; i < 8; i++) {
                file[body.length + i] = (byte) (crc >>> (8 * i));
            }
            return file;
        }
    }

    private static byte[] id(long ms, long seq) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[7 - i] = (byte) (ms >>> (8 * i));
            b[15 - i] = (byte) (seq >>> (8 * i));
        }
        return b;
    }

    private static long moduleId(String name, int encver) {
        String cset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long v = 0;
        for (char ch : name.toCharArray()) {
            v = (v << 6) | cset.indexOf(ch);
        }
        return (v << 10) | encver;
    }

    private static byte[] redis74File() {
        long now = System.currentTimeMillis();
        Rdb r = new Rdb(12);
        r.type(250).str("redis-ver").str("7.4.1");
        r.type(245).str("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
        r.type(254).len(0);
        r.type(251).len(5).len(1);
        r.type(244).len(100).len(5).len(1);                 // slot info
        Listpack set = new Listpack();
        set.add("a".getBytes(StandardCharsets.UTF_8));
        set.add(42);
        r.type(20).str("set").str(set.toBytes());           // SET_LISTPACK
        Listpack hash = new Listpack();
        hash.add("f".getBytes(StandardCharsets.UTF_8));
        hash.add("v".getBytes(StandardCharsets.UTF_8));
        hash.add(now + 100_000);
        r.type(252).le64(now + 200_000);
        r.type(25).str("hash-ex").le64(now + 100_000).str(hash.toBytes());   // HASH_LISTPACK_EX
        r.type(24).str("hash-md").le64(now + 100_000).len(1).len(1).str("g").str("w");   // HASH_METADATA
        // STREAM_LISTPACKS_3: one node of one entry, a group with a consumer carrying an active time
        Listpack node = new Listpack();
        for (long v : new long[] {1, 0, 1}) {
            node.add(v);
        }
        node.add("field".getBytes(StandardCharsets.UTF_8));
        node.add(0);
        node.add(2);                                         // SAMEFIELDS
        node.add(0);
        node.add(0);
        node.add("value".getBytes(StandardCharsets.UTF_8));
        node.add(4);
        r.type(21).str("stream").len(1).str(id(5, 0)).str(node.toBytes());
        r.len(1).len(5).len(0).len(5).len(0).len(0).len(0).len(1);
        r.len(1).str("group").len(5).len(0).len(1);
        r.len(1).raw(id(5, 0)).le64(now).len(1);
        r.len(1).str("consumer").le64(now).le64(now).len(1).raw(id(5, 0));
        // a module value and module aux data, skipped through their opcodes
        r.type(7).str("json").len(moduleId("ReJSON-RL", 3)).len(5).str("{}").len(2).len(9).len(0);
        r.type(247).len(moduleId("ReJSON-RL", 3)).len(2).len(2).len(1).len(3).len(0);
        // KeyDB's aux fields around a key
        r.type(250).str("mvcc-tstamp").str("1700000000000000000");
        r.type(0).str("keydb-key").str("v");
        r.type(250).str("keydb-subexpire-key").str("member");
        r.type(250).str("keydb-subexpire-when").str(Long.toString(now + 1000));
        return r.finish();
    }

    @Test
    void acceptsRdb12WithEverythingNewerThanRedis70() throws Exception {
        byte[] file = redis74File();
        Path p = dir.resolve("v12.rdb");
        Files.write(p, file);
        CheckRdbTest.Run r = CheckRdbTest.check(p.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("AUX FIELD redis-ver = '7.4.1'")
                .contains("] MODULE AUX for: ReJSON-RL\n")
                .contains("AUX FIELD keydb-subexpire-key = 'member'")
                .contains("[offset " + file.length + "] \\o/ RDB looks OK! \\o/\n")
                .contains("[info] 6 keys read\n[info] 1 expires\n[info] 0 already expired\n");
    }

    @Test
    void damageInNewerTypesIsReported() throws Exception {
        byte[] file = redis74File();
        // the set listpack's header count no longer matches its entries
        byte[] bad = file.clone();
        int at = CheckRdbTest.indexOf(bad, "set".getBytes(StandardCharsets.UTF_8)) + 3 + 1 + 4;
        bad[at] = 9;
        Path p = dir.resolve("bad.rdb");
        Files.write(p, bad);
        CheckRdbTest.Run r = CheckRdbTest.check(p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("--- RDB ERROR DETECTED ---").contains("[additional info] Reading key 'set'")
                .contains("[additional info] Reading type 20 (set-listpack)");
        // a version newer than 12
        byte[] future = file.clone();
        future[8] = '3';
        Files.write(p, future);
        r = CheckRdbTest.check(p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Can't handle RDB format version 13");
    }

    /** Our own file with streams, member TTLs and a function library: both checkers say the same, line for line. */
    @Test
    void ourFileWithStreamsAndMemberTtlsReadsTheSameInBothCheckers() throws Exception {
        long now = System.currentTimeMillis();
        Keyspace ks = new Keyspace(16);
        StreamValue st = new StreamValue();
        for (int i = 1; i <= 250; i++) {
            byte[][] argv = {b("f"), b("v" + i), b(i % 10 == 0 ? "odd" : "n"), b(Integer.toString(i))};
            st.append(i, 0, argv, 0, argv.length, 4096, 100);
        }
        st.delete(3, 0);
        StreamValue.Group g = st.createGroup(b("g"), 2, 0, 2);
        StreamValue.Consumer c = g.createConsumer(b("c"), now);
        g.pel.insert(0, 2, 0, now, 1, c);
        c.pel.add(2, 0);
        ks.db(0).set(b("stream"), st, now, -1);
        SetValue set = new SetValue();
        set.add(b("member"), 512);
        set.add(b("other"), 512);
        ks.db(0).set(b("set"), set, now, now + 100_000);
        ks.db(0).setMemberExpire(b("set"), b("member"), now + 50_000);
        Path p = dir.resolve("ours.rdb");
        try (var out = Files.newOutputStream(p)) {
            RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", true, true, 12345,
                    List.of(b("#!lua name=lib\nredis.register_function('f', function() return 1 end)"))));
        }
        CheckRdbTest.Run ours = CheckRdbTest.check(p.toString());
        assertThat(ours.exit()).as(ours.out()).isZero();
        assertThat(ours.out()).contains("AUX FIELD keydb-subexpire-key = 'member'");
        RealRedis.Result real = RealRedis.runProgram("", "redis-check-rdb", p.toString());
        assertThat(real.exit()).as(real.output()).isZero();
        assertThat(ours.out()).isEqualTo(real.output());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
