package dev.keydb.storage.rdb;

import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.RawString;
import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.NestedHashValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.StreamPel;
import dev.keydb.storage.types.StreamValue;
import dev.keydb.storage.types.ZSetValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes RDB version 10 (Redis 7.0's rdb.c rdbSaveRio): the "REDIS0010" magic, aux fields,
 * per non-empty database SELECTDB and RESIZEDB, then every key (EXPIRETIME_MS first when it has
 * a TTL), EOF and the CRC64 of everything before it, little endian. Values use the encodings
 * Redis 7.0 writes: strings int-encoded or LZF-compressed (above 20 bytes, when compression is
 * on), lists as QUICKLIST_2 of listpacks, sets as intset or plain, hashes as listpack or plain,
 * sorted sets as ZSET_LISTPACK or ZSET_2 with binary scores, streams as STREAM_LISTPACKS_2
 * (Redis's node listpacks, the stream's counters, its consumer groups with their pending
 * entries and consumers). Function libraries are written as FUNCTION2 records before the
 * keys, and member TTLs (KeyDB's EXPIREMEMBER) as KeyDB writes them: a
 * {@code keydb-subexpire-key} / {@code keydb-subexpire-when} aux pair per member after its key,
 * which Redis ignores, as every aux field it does not know. KEYDB.CRON jobs are written as
 * KeyDB's type 64 (followed by KeyDB's subexpire pair on the key itself and, for a single-shot
 * job, this server's {@code keydb-jvm-cron-single} aux), KEYDB.NHSET nested hashes as this
 * server's own type 65; a file holding either loads only in KeyDB (cron jobs) or only here.
 */
public final class RdbWriter {
    private static final int BUFFER = 1 << 16;

    private final OutputStream out;
    private final boolean compress;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private long crc;
    private long written;
    /** Reused for the listpacks of hashes and sorted sets (one value at a time). */
    private final Listpack packed = new Listpack();
    /** Reused output buffer of LZF compression. */
    private byte[] scratch = new byte[256];

    public RdbWriter(OutputStream out, boolean compress) {
        this.out = out;
        this.compress = compress;
    }

    /**
     * Options of a whole-file save; {@code functions} holds the code of every function library
     * (FUNCTION LOAD's argument), written as Redis 7.0 does.
     */
    public record Options(String redisVersion, boolean compress, boolean checksum, long usedMemory, List<byte[]> functions) {
        public Options {
            functions = functions == null ? List.of() : functions;
        }

        public Options(String redisVersion, boolean compress, boolean checksum, long usedMemory) {
            this(redisVersion, compress, checksum, usedMemory, List.of());
        }
    }

    /** Writes every database of the keyspace as one RDB file (the caller holds the keyspace lock). */
    public static void save(Keyspace keyspace, OutputStream out, Options opts) throws IOException {
        save(keyspace, out, opts, () -> { });
    }

    /**
     * As {@link #save(Keyspace, OutputStream, Options)}, calling {@code afterEachKey} after every
     * key (a background save's cancellation check and {@code rdb-key-save-delay}). Reading a
     * snapshot's view needs no lock.
     */
    public static void save(Keyspace keyspace, OutputStream out, Options opts, Runnable afterEachKey) throws IOException {
        RdbWriter w = new RdbWriter(out, opts.compress());
        w.raw(("REDIS" + String.format("%04d", Rdb.VERSION)).getBytes(StandardCharsets.US_ASCII));
        w.aux("redis-ver", opts.redisVersion());
        w.aux("redis-bits", "64");
        w.aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        w.aux("used-mem", Long.toString(opts.usedMemory()));
        w.aux("aof-base", "0");
        for (byte[] library : opts.functions()) {
            w.type(Rdb.OPCODE_FUNCTION2);
            w.string(library);
        }
        for (int i = 0; i < keyspace.databases(); i++) {
            Database db = keyspace.db(i);
            if (db.size() == 0) {
                continue;
            }
            w.type(Rdb.OPCODE_SELECTDB);
            w.length(i);
            w.type(Rdb.OPCODE_RESIZEDB);
            w.length(db.size());
            w.length(db.volatileCount());
            db.forEachEntry((key, v, when) -> {
                if (when != ExpireTable.NONE) {
                    w.type(Rdb.OPCODE_EXPIRETIME_MS);
                    w.longLe(when, 8);
                }
                w.keyValue(key, v);
                w.memberExpiries(db, key);
                if (v instanceof CronJob job) {
                    w.cronAux(key, job);
                }
                afterEachKey.run();
            });
        }
        w.type(Rdb.OPCODE_EOF);
        w.finish(opts.checksum());
    }

    /**
     * Redis's DUMP payload: the value's type byte and serialization, the RDB version (2 bytes)
     * and the CRC64 of all that (8 bytes), little endian.
     */
    public static byte[] dump(Object value, boolean compress) {
        return payload(compress, w -> {
            w.type(typeOf(value));
            w.value(value);
        });
    }

    /**
     * FUNCTION DUMP's payload (functions.c functionDumpCommand + rdbSaveFunctions): per library
     * the FUNCTION2 opcode and its code as an RDB string, then DUMP's footer.
     */
    public static byte[] functionsDump(List<byte[]> codes, boolean compress) {
        return payload(compress, w -> {
            for (byte[] code : codes) {
                w.type(Rdb.OPCODE_FUNCTION2);
                w.string(code);
            }
        });
    }

    private interface Body {
        void write(RdbWriter w) throws IOException;
    }

    /** A body followed by DUMP's footer: RDB version (2 bytes) and CRC64 (8 bytes), little endian. */
    private static byte[] payload(boolean compress, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bytes, compress);
        try {
            body.write(w);
            w.raw(new byte[] {(byte) Rdb.VERSION, (byte) (Rdb.VERSION >>> 8)});
            w.finish(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Bytes handed to the stream so far (after {@link #finish}, the file size). */
    public long written() {
        return written + pos;
    }

    // ---- primitives ------------------------------------------------------------------------

    private void flushBuffer() throws IOException {
        crc = Crc64.update(crc, buf, 0, pos);
        out.write(buf, 0, pos);
        written += pos;
        pos = 0;
    }

    void raw(byte[] b) throws IOException {
        raw(b, 0, b.length);
    }

    void raw(byte[] b, int off, int len) throws IOException {
        if (len > BUFFER - pos) {
            flushBuffer();
            if (len > BUFFER) {
                crc = Crc64.update(crc, b, off, len);
                out.write(b, off, len);
                written += len;
                return;
            }
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    void byte1(int b) throws IOException {
        if (pos == BUFFER) {
            flushBuffer();
        }
        buf[pos++] = (byte) b;
    }

    void type(int t) throws IOException {
        byte1(t);
    }

    void longLe(long v, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            byte1((int) (v >>> (8 * i)));
        }
    }

    /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length ({@code len} is unsigned). */
    void length(long len) throws IOException {
        if (len >= 0 && len < (1 << 6)) {
            byte1((int) len);
        } else if (len >= 0 && len < (1 << 14)) {
            byte1((int) ((len >>> 8) | 0x40));
            byte1((int) len);
        } else if (len >= 0 && len <= 0xFFFFFFFFL) {
            byte1(0x80);
            for (int i = 3; i >= 0; i--) {
                byte1((int) (len >>> (8 * i)));
            }
        } else {
            byte1(0x81);
            for (int i = 7; i >= 0; i--) {
                byte1((int) (len >>> (8 * i)));
            }
        }
    }

    /** Flushes and appends the CRC64 trailer (0 when checksums are off, as Redis). */
    void finish(boolean checksum) throws IOException {
        flushBuffer();
        long c = checksum ? crc : 0;
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (c >>> (8 * i));
        }
        out.write(buf, 0, pos);
        written += pos;
        pos = 0;
        out.flush();
    }

    private void aux(String key, String value) throws IOException {
        aux(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private void aux(String key, byte[] value) throws IOException {
        type(Rdb.OPCODE_AUX);
        string(key.getBytes(StandardCharsets.UTF_8));
        string(value);
    }

    /** KeyDB's rdbSaveKeyValuePair tail: each member TTL of the key just written as an aux pair. */
    private void memberExpiries(Database db, byte[] key) throws IOException {
        IOException[] err = {null};
        db.forEachMemberExpire(key, (member, when) -> {
            if (err[0] == null) {
                try {
                    aux(Rdb.AUX_SUBEXPIRE_KEY, member);
                    aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(when));
                } catch (IOException e) {
                    err[0] = e;
                }
            }
        });
        if (err[0] != null) {
            throw err[0];
        }
    }

    /**
     * After a cron job: KeyDB's subexpire pair naming the key itself at the next run (what
     * KeyDB's scheduler fires on), and {@link Rdb#AUX_CRON_SINGLE} for a single-shot job.
     */
    private void cronAux(byte[] key, CronJob job) throws IOException {
        aux(Rdb.AUX_SUBEXPIRE_KEY, key);
        aux(Rdb.AUX_SUBEXPIRE_WHEN, Long.toString(job.nextMs()));
        if (job.singleShot()) {
            aux(Rdb.AUX_CRON_SINGLE, "1");
        }
    }

    /** rdbEncodeInteger: the special int8/16/32 encodings; false when the value needs more. */
    private boolean intEncoded(long v) throws IOException {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            byte1(0xC0 | Rdb.ENC_INT8);
            longLe(v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            byte1(0xC0 | Rdb.ENC_INT16);
            longLe(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            byte1(0xC0 | Rdb.ENC_INT32);
            longLe(v, 4);
        } else {
            return false;
        }
        return true;
    }

    void string(byte[] s) throws IOException {
        string(s, 0, s.length);
    }

    /** rdbSaveRawString: int encoding for short canonical integers, LZF above 20 bytes, else raw. */
    void string(byte[] s, int off, int len) throws IOException {
        if (len > 0 && len <= 11) {
            byte[] digits = off == 0 && len == s.length ? s : Arrays.copyOfRange(s, off, off + len);
            Long v = Numbers.parseLongOrNull(digits);
            if (v != null && intEncoded(v)) {
                return;
            }
        }
        if (compress && len > 20) {
            if (scratch.length < len - 4) {
                scratch = new byte[Math.max(len - 4, Math.min(scratch.length * 2, 1 << 20))];
            }
            byte[] c = scratch;
            int clen = Lzf.compress(s, off, len, c, 0, len - 4);
            if (clen > 0) {
                byte1(0xC0 | Rdb.ENC_LZF);
                length(clen);
                length(len);
                raw(c, 0, clen);
                return;
            }
        }
        length(len);
        raw(s, off, len);
    }

    /** rdbSaveLongLongAsStringObject. */
    private void longString(long v) throws IOException {
        if (!intEncoded(v)) {
            byte[] d = Numbers.toBytes(v);
            length(d.length);
            raw(d);
        }
    }

    private void binaryDouble(double d) throws IOException {
        longLe(Double.doubleToRawLongBits(d), 8);
    }

    // ---- values ----------------------------------------------------------------------------

    void keyValue(byte[] key, Object value) throws IOException {
        type(typeOf(value));
        string(key);
        value(value);
    }

    /** The RDB type byte a value is written with. */
    static int typeOf(Object v) {
        if (v instanceof byte[] || v instanceof Long || v instanceof RawString) {
            return Rdb.TYPE_STRING;
        }
        if (v instanceof ListValue) {
            return Rdb.TYPE_LIST_QUICKLIST_2;
        }
        if (v instanceof SetValue s) {
            return s.isIntset() ? Rdb.TYPE_SET_INTSET : Rdb.TYPE_SET;
        }
        if (v instanceof HashValue h) {
            return h.isListpack() ? Rdb.TYPE_HASH_LISTPACK : Rdb.TYPE_HASH;
        }
        if (v instanceof ZSetValue z) {
            return z.isListpack() ? Rdb.TYPE_ZSET_LISTPACK : Rdb.TYPE_ZSET_2;
        }
        if (v instanceof StreamValue) {
            return Rdb.TYPE_STREAM_LISTPACKS_2;
        }
        if (v instanceof CronJob) {
            return Rdb.TYPE_KEYDB_CRON;
        }
        if (v instanceof NestedHashValue) {
            return Rdb.TYPE_KEYDB_JVM_NESTED_HASH;
        }
        throw new IllegalArgumentException("not a serializable value: " + (v == null ? "null" : v.getClass().getName()));
    }

    void value(Object v) throws IOException {
        if (v instanceof byte[] b) {
            string(b);
        } else if (v instanceof Long l) {
            longString(l);
        } else if (v instanceof RawString r) {
            string(r.array(), 0, r.length());
        } else if (v instanceof ListValue l) {
            list(l);
        } else if (v instanceof SetValue s) {
            set(s);
        } else if (v instanceof HashValue h) {
            hash(h);
        } else if (v instanceof ZSetValue z) {
            zset(z);
        } else if (v instanceof StreamValue st) {
            stream(st);
        } else if (v instanceof CronJob job) {
            cron(job);
        } else if (v instanceof NestedHashValue n) {
            nestedHash(n);
        } else {
            typeOf(v); // throws the right exception
        }
    }

    /** KeyDB's rdbSaveObject for OBJ_CRON: script, start and interval (8-byte ms), keys, arguments. */
    private void cron(CronJob job) throws IOException {
        string(job.script());
        longLe(job.startMs(), 8);
        longLe(job.intervalMs(), 8);
        length(job.keys().length);
        for (byte[] k : job.keys()) {
            string(k);
        }
        length(job.args().length);
        for (byte[] a : job.args()) {
            string(a);
        }
    }

    /**
     * {@link Rdb#TYPE_KEYDB_JVM_NESTED_HASH}: the child count, then name, kind and value per
     * child, depth first; iterative, so that no depth of nesting exhausts the stack.
     */
    private void nestedHash(NestedHashValue root) throws IOException {
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // per open bucket: its children as name, value, name, value...
        ArrayDeque<int[]> next = new ArrayDeque<>();
        stack.push(children(root));
        next.push(new int[] {0});
        length(root.size());
        while (!stack.isEmpty()) {
            Object[] items = stack.peek();
            int[] at = next.peek();
            if (at[0] == items.length) {
                stack.pop();
                next.pop();
                continue;
            }
            string((byte[]) items[at[0]]);
            Object child = items[at[0] + 1];
            at[0] += 2;
            if (child instanceof byte[] b) {
                byte1(Rdb.NESTED_STRING);
                string(b);
            } else if (child instanceof byte[][] list) {
                byte1(Rdb.NESTED_LIST);
                length(list.length);
                for (byte[] e : list) {
                    string(e);
                }
            } else {
                NestedHashValue inner = (NestedHashValue) child;
                byte1(Rdb.NESTED_HASH);
                length(inner.size());
                stack.push(children(inner));
                next.push(new int[] {0});
            }
        }
    }

    private static Object[] children(NestedHashValue n) {
        Object[] out = new Object[2 * n.size()];
        int[] i = {0};
        n.forEach((name, child) -> {
            out[i[0]++] = name;
            out[i[0]++] = child;
        });
        return out;
    }

    /** quicklist.c's node limits: a byte budget per node for a negative fill, else a count with an 8 KB cap. */
    private static boolean nodeFull(Listpack lp, int fill, int nextLen) {
        if (lp.count() == 0) {
            return false;
        }
        int projected = lp.bytes() + nextLen + 11;
        if (fill < 0) {
            int limit = 4096 << Math.min(-fill - 1, 4);
            return projected > limit;
        }
        return lp.count() >= fill || projected > 8192;
    }

    private void list(ListValue l) throws IOException {
        List<byte[]> nodes = new ArrayList<>();
        Listpack[] cur = {new Listpack()};
        int fill = l.fill();
        l.forEach((b, off, len) -> {
            if (nodeFull(cur[0], fill, len)) {
                nodes.add(cur[0].toBytes());
                cur[0] = new Listpack();
            }
            cur[0].add(b, off, len);
        });
        if (cur[0].count() > 0) {
            nodes.add(cur[0].toBytes());
        }
        length(nodes.size());
        for (byte[] n : nodes) {
            length(Rdb.QUICKLIST_NODE_PACKED);
            string(n);
        }
    }

    private void set(SetValue s) throws IOException {
        if (s.isIntset()) {
            long[] members = new long[s.size()];
            int[] i = {0};
            s.forEach(m -> members[i[0]++] = Numbers.parseLongOrNull(m));
            string(Legacy.intsetBytes(members));
            return;
        }
        length(s.size());
        IOException[] err = {null};
        s.forEach(m -> {
            if (err[0] == null) {
                try {
                    string(m);
                } catch (IOException e) {
                    err[0] = e;
                }
            }
        });
        if (err[0] != null) {
            throw err[0];
        }
    }

    private void hash(HashValue h) throws IOException {
        if (h.isListpack()) {
            Listpack lp = packed;
            lp.reset();
            h.forEach((fb, fo, fl, vb, vo, vl) -> {
                lp.add(fb, fo, fl);
                lp.add(vb, vo, vl);
            });
            string(lp.buffer(), 0, lp.finish());
            return;
        }
        length(h.size());
        IOException[] err = {null};
        h.forEach((fb, fo, fl, vb, vo, vl) -> {
            if (err[0] == null) {
                try {
                    string(fb, fo, fl);
                    string(vb, vo, vl);
                } catch (IOException e) {
                    err[0] = e;
                }
            }
        });
        if (err[0] != null) {
            throw err[0];
        }
    }

    private void zset(ZSetValue z) throws IOException {
        if (z.isListpack()) {
            Listpack lp = packed;
            lp.reset();
            z.forEachSlice((m, off, len, score) -> {
                lp.add(m, off, len);
                if (score == Math.rint(score) && Math.abs(score) < 1e15 && !(score == 0 && 1 / score < 0)) {
                    lp.add((long) score); // what lpAppend makes of d2string's integral form, without the text
                } else {
                    lp.add(Numbers.formatDouble(score).getBytes(StandardCharsets.US_ASCII));
                }
            });
            string(lp.buffer(), 0, lp.finish());
            return;
        }
        int n = z.size();
        length(n);
        IOException[] err = {null};
        // From the tail, as Redis: loading then inserts each element at the head of the skiplist.
        z.range(0, n - 1, true, (m, score) -> {
            if (err[0] == null) {
                try {
                    string(m);
                    binaryDouble(score);
                } catch (IOException e) {
                    err[0] = e;
                }
            }
        });
        if (err[0] != null) {
            throw err[0];
        }
    }

    // ---- streams ---------------------------------------------------------------------------

    /** A stream ID as a 16-byte big-endian key (streamEncodeID). */
    private void rawId(long ms, long seq) throws IOException {
        longBe(ms);
        longBe(seq);
    }

    private void longBe(long v) throws IOException {
        for (int i = 7; i >= 0; i--) {
            byte1((int) (v >>> (8 * i)));
        }
    }

    /**
     * rdbSaveObject's stream case (RDB_TYPE_STREAM_LISTPACKS_2): the nodes, each as its master
     * ID and its listpack, the length, last ID, first ID, max deleted ID and entries added, then
     * every consumer group: name, last delivered ID, entries read, the global PEL (ID, delivery
     * time, delivery count) and the consumers (name, seen time, the IDs they own).
     */
    private void stream(StreamValue s) throws IOException {
        int nodes = s.nodeCount();
        length(nodes);
        for (int i = 0; i < nodes; i++) {
            long[] master = new long[2];
            byte[] lp = nodeListpack(s, i, master);
            rawIdString(master[0], master[1]);
            string(lp);
        }
        length(s.length());
        length(s.lastMs());
        length(s.lastSeq());
        length(s.firstMs());
        length(s.firstSeq());
        length(s.maxDeletedMs());
        length(s.maxDeletedSeq());
        length(s.entriesAdded());
        length(s.groupCount());
        for (StreamValue.Group g : s.groups()) {
            string(g.name);
            length(g.lastMs);
            length(g.lastSeq);
            length(g.entriesRead);
            StreamPel pel = g.pel;
            length(pel.size());
            for (int i = 0; i < pel.size(); i++) {
                rawId(pel.ms(i), pel.seq(i));
                longLe(pel.time(i), 8);
                length(pel.count(i));
            }
            length(g.consumers.size());
            for (StreamValue.Consumer c : g.consumers.values()) {
                string(c.name);
                longLe(c.seenTime, 8);
                length(c.pel.size());
                for (int i = 0; i < c.pel.size(); i++) {
                    rawId(c.pel.ms(i), c.pel.seq(i));
                }
            }
        }
    }

    /** The node key: rdbSaveRawString of the 16-byte ID (never int-encoded or compressed: too short). */
    private void rawIdString(long ms, long seq) throws IOException {
        length(16);
        rawId(ms, seq);
    }

    /**
     * One node as t_stream.c lays out its listpack: the master entry (live count, deleted count,
     * the master fields, a 0 terminator), then per entry its flags, the ID as deltas from the
     * master ID, the field count and fields unless they are the master's (SAMEFIELDS), the
     * values, and the entry's element count (for walking backwards).
     */
    private static byte[] nodeListpack(StreamValue s, int node, long[] masterOut) {
        Listpack lp = new Listpack();
        // Field and value slices of the current entry (all in the node's data array), and the
        // master fields' (those of the node's first entry).
        int[][] cur = {new int[16], new int[16]};
        int[] n = {0};
        int[][] master = {null, null};
        int[] masterCount = {-1};
        s.forEachNodeEntry(node, (ms, seq, deleted, data, off) -> {
            n[0] = 0;
            StreamValue.forEachItem(data, off, (b, o, l) -> {
                if (n[0] == cur[0].length) {
                    cur[0] = Arrays.copyOf(cur[0], n[0] * 2);
                    cur[1] = Arrays.copyOf(cur[1], n[0] * 2);
                }
                cur[0][n[0]] = o;
                cur[1][n[0]++] = l;
            });
            int fields = n[0] / 2;
            if (masterCount[0] < 0) {
                masterOut[0] = ms;
                masterOut[1] = seq;
                masterCount[0] = fields;
                master[0] = new int[fields];
                master[1] = new int[fields];
                lp.add(s.nodeLive(node));
                lp.add(s.nodeSize(node) - s.nodeLive(node));
                lp.add(fields);
                for (int i = 0; i < fields; i++) {
                    master[0][i] = cur[0][2 * i];
                    master[1][i] = cur[1][2 * i];
                    lp.add(data, master[0][i], master[1][i]);
                }
                lp.add(0);
            }
            boolean same = fields == masterCount[0];
            for (int i = 0; same && i < fields; i++) {
                same = Arrays.equals(data, cur[0][2 * i], cur[0][2 * i] + cur[1][2 * i], data, master[0][i], master[0][i] + master[1][i]);
            }
            int flags = (same ? Rdb.STREAM_ITEM_FLAG_SAMEFIELDS : 0) | (deleted ? Rdb.STREAM_ITEM_FLAG_DELETED : 0);
            lp.add(flags);
            lp.add(ms - masterOut[0]);
            lp.add(seq - masterOut[1]);
            if (!same) {
                lp.add(fields);
            }
            for (int i = 0; i < n[0]; i++) {
                if (!same || (i & 1) == 1) {
                    lp.add(data, cur[0][i], cur[1][i]);
                }
            }
            lp.add(fields + 3 + (same ? 0 : fields + 1));
        });
        return lp.toBytes();
    }
}
