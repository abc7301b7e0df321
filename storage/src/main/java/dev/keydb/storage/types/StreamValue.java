package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.ValueType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream (Redis's t_stream.c): entries ordered by ID (ms-seq, two unsigned 64-bit numbers),
 * kept in nodes like Redis's listpacks in a radix tree. A node holds up to
 * {@code stream-node-max-entries} entries (live and deleted) and about
 * {@code stream-node-max-bytes} bytes, as parallel arrays (the ID as two 32-bit deltas from
 * the node's first ID, or two longs in a node where they do not fit; a deleted flag) over
 * one packed {@code byte[]} of entries (varint lengths; an entry whose field
 * names equal the node's first entry's stores only its values): no object per entry. Deleted entries stay in their node as tombstones until the whole node is dead, as in
 * Redis, so approximate trimming (which removes whole nodes only) behaves as Redis's does.
 * The node's estimated listpack size follows Redis's listpack encoding, so nodes split where
 * Redis's split.
 *
 * <p>Consumer groups and consumers are kept in name order (Redis uses radix trees), each
 * with its pending entries list ({@link StreamPel}).
 */
public final class StreamValue extends AccountedValue implements ValueType.Typed {
    public static final long MAX = -1L; // UINT64_MAX as an unsigned long
    /** A group whose entries_read counter is unknown. */
    public static final long INVALID_ENTRIES_READ = -1;

    private final ArrayList<Node> nodes = new ArrayList<>();
    private long length;
    private long lastMs, lastSeq;
    private long firstMs, firstSeq;
    private long maxDelMs, maxDelSeq;
    private long entriesAdded;
    private TreeMap<byte[], Group> groups;

    /** Receives one entry of a range walk; returns false to stop. */
    @FunctionalInterface
    public interface EntryVisitor {
        boolean visit(long ms, long seq, byte[] data, int off);
    }

    /** Receives one field or value as a slice. */
    @FunctionalInterface
    public interface SliceSink {
        void accept(byte[] b, int off, int len);
    }

    public static int compare(long am, long as, long bm, long bs) {
        int c = Long.compareUnsigned(am, bm);
        return c != 0 ? c : Long.compareUnsigned(as, bs);
    }

    public static String idString(long ms, long seq) {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    public long length() { return length; }
    public long lastMs() { return lastMs; }
    public long lastSeq() { return lastSeq; }
    public long firstMs() { return firstMs; }
    public long firstSeq() { return firstSeq; }
    public long maxDeletedMs() { return maxDelMs; }
    public long maxDeletedSeq() { return maxDelSeq; }
    public long entriesAdded() { return entriesAdded; }
    public int nodeCount() { return nodes.size(); }

    public void lastId(long ms, long seq) {
        lastMs = ms;
        lastSeq = seq;
    }

    public void entriesAdded(long n) { entriesAdded = n; }

    public void maxDeletedId(long ms, long seq) {
        maxDelMs = ms;
        maxDelSeq = seq;
    }

    // ---- nodes ----------------------------------------------------------------------------

    static final class Node {
        // IDs relative to the node's first (master) ID as 32-bit deltas; wide arrays replace
        // them only in a node whose deltas do not fit.
        long baseMs, baseSeq;
        int[] dms = new int[8];
        int[] dseq = new int[8];
        long[] wms, wseq;
        boolean[] del = new boolean[8];
        byte[] data = new byte[64];
        int used;       // bytes of data used
        int size;       // entries, live and deleted
        int live;
        long entryBytes;  // listpack bytes of the entries
        long masterBytes; // listpack bytes of the master entry (without the count/deleted ints)

        long ms(int i) {
            return wms != null ? wms[i] : baseMs + dms[i];
        }

        long seq(int i) {
            return wseq != null ? wseq[i] : baseSeq + dseq[i];
        }

        int capacity() {
            return del.length;
        }

        /** The data offset of entry i, found by walking the entries (at most a node's worth, as Redis walks a listpack). */
        int offsetOf(int i) {
            int p = 0;
            for (int k = 0; k < i; k++) {
                p = skipEntry(data, p);
            }
            return p;
        }

        /** The data offsets of all entries, for backward walks. */
        int[] offsets() {
            int[] o = new int[size];
            int p = 0;
            for (int k = 0; k < size; k++) {
                o[k] = p;
                p = skipEntry(data, p);
            }
            return o;
        }

        void grow(int cap) {
            if (wms != null) {
                wms = Arrays.copyOf(wms, cap);
                wseq = Arrays.copyOf(wseq, cap);
            } else {
                dms = Arrays.copyOf(dms, cap);
                dseq = Arrays.copyOf(dseq, cap);
            }
            del = Arrays.copyOf(del, cap);
        }

        /** Stores the ID of entry i (i == size, appending). */
        void putId(int i, long m, long s) {
            if (i == 0) {
                baseMs = m;
                baseSeq = s;
            }
            if (wms == null) {
                long a = m - baseMs;
                long b = s - baseSeq;
                if ((int) a == a && (int) b == b) {
                    dms[i] = (int) a;
                    dseq[i] = (int) b;
                    return;
                }
                wms = new long[del.length];
                wseq = new long[del.length];
                for (int k = 0; k < i; k++) {
                    wms[k] = baseMs + dms[k];
                    wseq[k] = baseSeq + dseq[k];
                }
                dms = null;
                dseq = null;
            }
            wms[i] = m;
            wseq[i] = s;
        }

        long lpBytes() {
            return 6 + 1 + lpIntSize(live) + lpIntSize(size - live) + masterBytes + entryBytes;
        }

        /** Drops spare capacity once the node is closed for appends (lpShrinkToFit). */
        void shrink() {
            if (del.length != size) {
                grow(size);
            }
            if (data.length != used) {
                data = Arrays.copyOf(data, used);
            }
        }

        Node copy() {
            Node n = new Node();
            n.baseMs = baseMs;
            n.baseSeq = baseSeq;
            n.dms = dms == null ? null : dms.clone();
            n.dseq = dseq == null ? null : dseq.clone();
            n.wms = wms == null ? null : wms.clone();
            n.wseq = wseq == null ? null : wseq.clone();
            n.del = del.clone();
            n.data = data.clone();
            n.used = used;
            n.size = size;
            n.live = live;
            n.entryBytes = entryBytes;
            n.masterBytes = masterBytes;
            return n;
        }

        /** Index of the first entry >= id (may be size). */
        int ceiling(long m, long s) {
            int lo = 0, hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(ms(mid), seq(mid), m, s);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return lo;
        }

        /** Index of the last entry <= id (may be -1). */
        int floor(long m, long s) {
            int i = ceiling(m, s);
            if (i < size && ms(i) == m && seq(i) == s) {
                return i;
            }
            return i - 1;
        }
    }

    // listpack element sizes (encoding + backlen), as Redis's listpack.c
    static int lpIntSize(long v) {
        int enc;
        if (v >= 0 && v <= 127) {
            enc = 1;
        } else if (v >= -4096 && v <= 4095) {
            enc = 2;
        } else if (v >= -32768 && v <= 32767) {
            enc = 3;
        } else if (v >= -8388608 && v <= 8388607) {
            enc = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            enc = 5;
        } else {
            enc = 9;
        }
        return enc + backlenSize(enc);
    }

    private static int backlenSize(long l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /** Listpack bytes of a string element (strings that are integers are stored as integers). */
    static long lpStringSize(byte[] b) {
        Long v = b.length <= 20 ? dev.keydb.storage.Numbers.parseLongOrNull(b) : null;
        if (v != null) {
            return lpIntSize(v);
        }
        int len = b.length;
        int enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
        return enc + backlenSize(enc);
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int putVarint(byte[] d, int p, int v) {
        while ((v & ~0x7F) != 0) {
            d[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        d[p++] = (byte) v;
        return p;
    }

    /** Reads a varint at d[pos]; returns value, with the next position in pos[0]. */
    private static int getVarint(byte[] d, int[] pos) {
        int p = pos[0];
        int v = 0;
        int shift = 0;
        while (true) {
            int b = d[p++];
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        pos[0] = p;
        return v;
    }

    /** The offset just past the entry at {@code p}. */
    static int skipEntry(byte[] d, int p) {
        int[] pos = {p};
        int header = getVarint(d, pos);
        int items = (header & 1) != 0 ? header >>> 1 : header & ~1;
        for (int k = 0; k < items; k++) {
            int len = getVarint(d, pos);
            pos[0] += len;
        }
        return pos[0];
    }

    /** The number of field/value pairs of the entry at {@code off} of a node's data. */
    public static int pairCount(byte[] data, int off) {
        return getVarint(data, new int[] {off}) >>> 1;
    }

    /**
     * Feeds field1, value1, field2, value2... of the entry at {@code off}. An entry header is
     * a varint (pairs << 1 | same); with {@code same} set the entry holds only its values and
     * the field names are those of the node's first (master) entry, at offset 0, as Redis's
     * STREAM_ITEM_FLAG_SAMEFIELDS.
     */
    public static void forEachItem(byte[] data, int off, SliceSink sink) {
        int[] pos = {off};
        int header = getVarint(data, pos);
        int pairs = header >>> 1;
        if ((header & 1) == 0) {
            for (int i = 0; i < pairs * 2; i++) {
                int len = getVarint(data, pos);
                sink.accept(data, pos[0], len);
                pos[0] += len;
            }
            return;
        }
        int[] master = {0};
        getVarint(data, master);
        for (int i = 0; i < pairs; i++) {
            int flen = getVarint(data, master);
            sink.accept(data, master[0], flen);
            master[0] += flen;
            int vlen = getVarint(data, master); // skip the master's value
            master[0] += vlen;
            int len = getVarint(data, pos);
            sink.accept(data, pos[0], len);
            pos[0] += len;
        }
    }

    // ---- append ---------------------------------------------------------------------------

    /**
     * Appends an entry with the given ID (the caller checked it is greater than the last ID)
     * and fields/values {@code argv[from..to)} (field, value, field, value...).
     */
    public void append(long ms, long seq, byte[][] argv, int from, int to, long nodeMaxBytes, long nodeMaxEntries) {
        long totelelen = 0;
        for (int i = from; i < to; i++) {
            totelelen += argv[i].length;
        }
        Node tail = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
        boolean newNode = tail == null;
        if (tail != null) {
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > (1L << 30) ? (1L << 30) : nodeMaxBytes;
            if (tail.lpBytes() + totelelen >= maxBytes) {
                newNode = true;
            } else if (nodeMaxEntries != 0 && tail.size >= nodeMaxEntries) {
                newNode = true;
            }
        }
        addEntry(newNode, ms, seq, argv, from, to);
    }

    /**
     * RDB loading: appends one entry of a serialized node as it is (IDs ascending), starting a
     * new node where the file's node starts, and marks it deleted when it is a tombstone. The
     * caller then sets the counters the file records ({@link #loaded}).
     */
    public void loadEntry(boolean startNode, long ms, long seq, byte[][] argv, boolean deleted) {
        addEntry(startNode || nodes.isEmpty(), ms, seq, argv, 0, argv.length);
        if (deleted) {
            Node n = nodes.get(nodes.size() - 1);
            markDeleted(n, n.size - 1);
            length--;
        }
    }

    /** RDB loading: the counters a serialized stream records, after its entries. */
    public void loaded(long lastMs, long lastSeq, long firstMs, long firstSeq, long maxDelMs, long maxDelSeq, long entriesAdded) {
        if (!nodes.isEmpty()) {
            nodes.get(nodes.size() - 1).shrink();
        }
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.firstMs = firstMs;
        this.firstSeq = firstSeq;
        this.maxDelMs = maxDelMs;
        this.maxDelSeq = maxDelSeq;
        this.entriesAdded = entriesAdded;
    }

    /** Receives one entry of a node, live or deleted, for serialization. */
    @FunctionalInterface
    public interface RawEntryVisitor {
        void entry(long ms, long seq, boolean deleted, byte[] data, int off);
    }

    /** The live entries of node {@code i} (in node order). */
    public int nodeLive(int i) {
        return nodes.get(i).live;
    }

    /** The entries, live and deleted, of node {@code i}. */
    public int nodeSize(int i) {
        return nodes.get(i).size;
    }

    /** Visits every entry of node {@code i}, tombstones included, in ID order. */
    public void forEachNodeEntry(int i, RawEntryVisitor v) {
        Node n = nodes.get(i);
        int p = 0;
        for (int k = 0; k < n.size; k++) {
            v.entry(n.ms(k), n.seq(k), n.del[k], n.data, p);
            p = skipEntry(n.data, p);
        }
    }

    private void addEntry(boolean newNode, long ms, long seq, byte[][] argv, int from, int to) {
        int numFields = (to - from) / 2;
        Node tail = newNode ? null : nodes.get(nodes.size() - 1);
        boolean sameFields;
        long masterMs, masterSeq;
        if (tail == null) {
            if (!nodes.isEmpty()) {
                nodes.get(nodes.size() - 1).shrink();
            }
            tail = new Node();
            nodes.add(tail);
            long mb = lpIntSize(numFields) + lpIntSize(0);
            for (int i = from; i < to; i += 2) {
                mb += lpStringSize(argv[i]);
            }
            tail.masterBytes = mb;
            sameFields = true;
            masterMs = ms;
            masterSeq = seq;
        } else {
            masterMs = tail.ms(0);
            masterSeq = tail.seq(0);
            sameFields = sameFieldsAsMaster(tail, argv, from, to);
        }
        // listpack bytes of this entry
        long eb = lpIntSize(sameFields ? 2 : 0) + lpIntSize(ms - masterMs) + lpIntSize(seq - masterSeq);
        if (!sameFields) {
            eb += lpIntSize(numFields);
        }
        for (int i = from; i < to; i++) {
            if (!sameFields || ((i - from) & 1) == 1) {
                eb += lpStringSize(argv[i]);
            }
        }
        eb += lpIntSize(numFields + 3 + (sameFields ? 0 : numFields + 1));
        tail.entryBytes += eb;
        // store: the master entry always with its fields, later ones without when the same
        Node n = tail;
        boolean omitFields = sameFields && n.size > 0;
        int packed = varintSize(numFields << 1 | (omitFields ? 1 : 0));
        for (int i = from; i < to; i++) {
            if (!omitFields || ((i - from) & 1) == 1) {
                packed += varintSize(argv[i].length) + argv[i].length;
            }
        }
        if (n.size == n.capacity()) {
            n.grow(Math.max(8, n.size * 2));
        }
        if (n.used + packed > n.data.length) {
            n.data = Arrays.copyOf(n.data, Math.max(n.data.length * 2, n.used + packed));
        }
        int p = n.used;
        p = putVarint(n.data, p, numFields << 1 | (omitFields ? 1 : 0));
        for (int i = from; i < to; i++) {
            if (omitFields && ((i - from) & 1) == 0) {
                continue;
            }
            p = putVarint(n.data, p, argv[i].length);
            System.arraycopy(argv[i], 0, n.data, p, argv[i].length);
            p += argv[i].length;
        }
        n.used = p;
        n.putId(n.size, ms, seq);
        n.size++;
        n.live++;
        length++;
        entriesAdded++;
        lastMs = ms;
        lastSeq = seq;
        if (length == 1) {
            firstMs = ms;
            firstSeq = seq;
        }
    }

    private static boolean sameFieldsAsMaster(Node n, byte[][] argv, int from, int to) {
        byte[] d = n.data;
        int[] pos = {0};
        int pairs = getVarint(d, pos) >>> 1;
        if (pairs != (to - from) / 2) {
            return false;
        }
        for (int i = 0; i < pairs; i++) {
            int len = getVarint(d, pos);
            byte[] f = argv[from + 2 * i];
            if (!Arrays.equals(d, pos[0], pos[0] + len, f, 0, f.length)) {
                return false;
            }
            pos[0] += len;
            len = getVarint(d, pos);
            pos[0] += len;
        }
        return true;
    }

    // ---- lookup and ranges ----------------------------------------------------------------

    /** Index of the last node whose first ID <= id, or -1. */
    private int nodeFloor(long m, long s) {
        int lo = 0, hi = nodes.size() - 1, ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Node n = nodes.get(mid);
            if (compare(n.ms(0), n.seq(0), m, s) <= 0) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }

    /** Whether a live entry with this ID exists. */
    public boolean exists(long m, long s) {
        int ni = nodeFloor(m, s);
        if (ni < 0) {
            return false;
        }
        Node n = nodes.get(ni);
        int i = n.ceiling(m, s);
        return i < n.size && n.ms(i) == m && n.seq(i) == s && !n.del[i];
    }

    /**
     * Visits live entries with start <= id <= end, ascending (or descending when
     * {@code rev}), at most {@code count} of them (0 = all). Returns how many were visited.
     */
    public long range(long sm, long ss, long em, long es, long count, boolean rev, EntryVisitor v) {
        if (compare(sm, ss, em, es) > 0) {
            return 0;
        }
        long emitted = 0;
        if (!rev) {
            int ni = Math.max(nodeFloor(sm, ss), 0);
            for (; ni < nodes.size(); ni++) {
                Node n = nodes.get(ni);
                int i = n.ceiling(sm, ss);
                int p = i < n.size ? n.offsetOf(i) : 0;
                for (; i < n.size; i++, p = i < n.size ? skipEntry(n.data, p) : p) {
                    if (compare(n.ms(i), n.seq(i), em, es) > 0) {
                        return emitted;
                    }
                    if (n.del[i]) {
                        continue;
                    }
                    emitted++;
                    boolean go = v.visit(n.ms(i), n.seq(i), n.data, p);
                    if (!go || (count != 0 && emitted >= count)) {
                        return emitted;
                    }
                }
            }
        } else {
            int ni = nodeFloor(em, es);
            for (; ni >= 0; ni--) {
                Node n = nodes.get(ni);
                int i = n.floor(em, es);
                int[] offs = i >= 0 ? n.offsets() : null;
                for (; i >= 0; i--) {
                    if (compare(n.ms(i), n.seq(i), sm, ss) < 0) {
                        return emitted;
                    }
                    if (n.del[i]) {
                        continue;
                    }
                    emitted++;
                    boolean go = v.visit(n.ms(i), n.seq(i), n.data, offs[i]);
                    if (!go || (count != 0 && emitted >= count)) {
                        return emitted;
                    }
                }
            }
        }
        return emitted;
    }

    /** The ID of the first (or last) live entry into {@code out}; false if empty. */
    public boolean edgeId(boolean first, long[] out) {
        long[] found = {0};
        range(0, 0, MAX, MAX, 1, !first, (m, s, d, o) -> {
            out[0] = m;
            out[1] = s;
            found[0] = 1;
            return false;
        });
        return found[0] == 1;
    }

    // ---- deletion and trimming ------------------------------------------------------------

    /** XDEL of one ID: marks it deleted, drops its node when no live entry remains. */
    public boolean delete(long m, long s) {
        int ni = nodeFloor(m, s);
        if (ni < 0) {
            return false;
        }
        Node n = nodes.get(ni);
        int i = n.ceiling(m, s);
        if (i >= n.size || n.ms(i) != m || n.seq(i) != s || n.del[i]) {
            return false;
        }
        markDeleted(n, i);
        if (n.live == 0) {
            nodes.remove(ni);
        }
        length--;
        return true;
    }

    private static void markDeleted(Node n, int i) {
        n.del[i] = true;
        n.live--;
        // flags 0/2 -> 1/3: both single-byte integers, the size does not change
    }

    /** Recomputes the recorded first ID after deletions, as streamGetEdgeID. */
    public void refreshFirstId() {
        long[] id = new long[2];
        if (length == 0 || !edgeId(true, id)) {
            firstMs = 0;
            firstSeq = 0;
        } else {
            firstMs = id[0];
            firstSeq = id[1];
        }
    }

    /**
     * Redis's streamTrim: MAXLEN (minid == null) or MINID trimming, approximate (whole nodes
     * only) or exact, with a work limit (0 = none). Returns the number of entries removed.
     */
    public long trim(boolean byMaxlen, long maxlen, long minMs, long minSeq, boolean approx, long limit) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (byMaxlen && Long.compareUnsigned(length, maxlen) <= 0) {
                break;
            }
            Node n = nodes.get(0);
            long entries = n.live;
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            boolean removeNode;
            if (byMaxlen) {
                removeNode = length - entries >= maxlen;
            } else {
                removeNode = compare(n.ms(n.size - 1), n.seq(n.size - 1), minMs, minSeq) < 0;
            }
            if (removeNode) {
                nodes.remove(0);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            for (int i = 0; i < n.size; i++) {
                boolean stop = byMaxlen ? length <= maxlen : compare(n.ms(i), n.seq(i), minMs, minSeq) >= 0;
                if (stop) {
                    break;
                }
                if (!n.del[i]) {
                    markDeleted(n, i);
                    length--;
                    deleted++;
                }
            }
            break;
        }
        refreshFirstId();
        return deleted;
    }

    // ---- consumer groups ------------------------------------------------------------------

    /** A consumer group. */
    public static final class Group {
        public final byte[] name;
        public long lastMs, lastSeq;
        public long entriesRead;
        public final StreamPel pel;
        public final TreeMap<byte[], Consumer> consumers;

        Group(byte[] name, long lastMs, long lastSeq, long entriesRead) {
            this.name = name;
            this.lastMs = lastMs;
            this.lastSeq = lastSeq;
            this.entriesRead = entriesRead;
            this.pel = new StreamPel(true);
            this.consumers = new TreeMap<>(Arrays::compareUnsigned);
        }

        private Group(Group g) {
            this.name = g.name;
            this.lastMs = g.lastMs;
            this.lastSeq = g.lastSeq;
            this.entriesRead = g.entriesRead;
            this.pel = g.pel.copy();
            this.consumers = new TreeMap<>(Arrays::compareUnsigned);
            for (Map.Entry<byte[], Consumer> e : g.consumers.entrySet()) {
                Consumer old = e.getValue();
                Consumer c = new Consumer(old.name, old.seenTime, old.pel.copy());
                consumers.put(c.name, c);
            }
            for (int i = 0; i < pel.size(); i++) {
                Consumer o = pel.owner(i);
                if (o != null) {
                    pel.owner(i, consumers.get(o.name));
                }
            }
        }

        public Consumer consumer(byte[] name) {
            return consumers.get(name);
        }

        /** Creates a consumer; null if it already exists. */
        public Consumer createConsumer(byte[] name, long now) {
            if (consumers.containsKey(name)) {
                return null;
            }
            Consumer c = new Consumer(name, now, new StreamPel(false));
            consumers.put(name, c);
            return c;
        }

        /** Deletes a consumer and its pending entries (also from the group PEL); returns how many it had. */
        public long deleteConsumer(Consumer c) {
            long pending = c.pel.size();
            for (int i = 0; i < c.pel.size(); i++) {
                pel.remove(c.pel.ms(i), c.pel.seq(i));
            }
            consumers.remove(c.name);
            return pending;
        }
    }

    /** A consumer of a group. */
    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        public final StreamPel pel;

        Consumer(byte[] name, long seenTime, StreamPel pel) {
            this.name = name;
            this.seenTime = seenTime;
            this.pel = pel;
        }
    }

    /**
     * Approximate heap bytes: the object, its node list and nodes (see {@link SampledNodeSize}),
     * then each group with its pending entries (in the group's and a consumer's list) and its
     * consumers (names counted at 16 bytes). O(groups): eviction re-weighs a stream after every
     * write to it.
     */
    public long memoryUsage() {
        int n = nodes.size();
        if (n > SampledNodeSize.WALKED && nodeSizes == null) {
            nodeSizes = new SampledNodeSize();
        }
        long total = 112 + 16 + 4L * n + SampledNodeSize.of(nodeSizes, n, length, i -> nodeBytes(nodes.get(i)));
        if (groups != null) {
            for (Group g : groups.values()) {
                total += 64 + 16 + g.name.length + (48L + 24) * g.pel.size() + (64L + 16 + 16) * g.consumers.size();
            }
        }
        return total;
    }

    private SampledNodeSize nodeSizes;

    private static long nodeBytes(Node x) {
        int cap = x.capacity();
        return 72 + 2 * (16 + 4L * cap) + (16 + cap) + 16 + x.data.length + (x.wms == null ? 0 : 2 * (16 + 8L * cap));
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    public Iterable<Group> groups() {
        return groups == null ? List.of() : groups.values();
    }

    public Group group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** Creates a group; null if the name exists. */
    public Group createGroup(byte[] name, long ms, long seq, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(Arrays::compareUnsigned);
        }
        if (groups.containsKey(name)) {
            return null;
        }
        Group g = new Group(name, ms, seq, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    // ---- lag bookkeeping (Redis 7.0) ------------------------------------------------------

    /** streamRangeHasTombstones with start = id and no end. */
    public boolean rangeHasTombstones(long sm, long ss) {
        if (length == 0 || (maxDelMs == 0 && maxDelSeq == 0)) {
            return false;
        }
        if (compare(firstMs, firstSeq, maxDelMs, maxDelSeq) > 0) {
            return false;
        }
        return compare(sm, ss, maxDelMs, maxDelSeq) <= 0;
    }

    /** streamEstimateDistanceFromFirstEverEntry. */
    public long estimateDistanceFromFirstEverEntry(long m, long s) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && compare(m, s, lastMs, lastSeq) < 1) {
            return entriesAdded;
        }
        int cmpLast = compare(m, s, lastMs, lastSeq);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return INVALID_ENTRIES_READ;
        }
        int cmpIdFirst = compare(m, s, firstMs, firstSeq);
        int cmpXdelFirst = compare(maxDelMs, maxDelSeq, firstMs, firstSeq);
        if ((maxDelMs == 0 && maxDelSeq == 0) || cmpXdelFirst < 0) {
            if (cmpIdFirst < 0) {
                return entriesAdded - length;
            } else if (cmpIdFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return INVALID_ENTRIES_READ;
    }

    /** The group's lag, or Long.MIN_VALUE when unknown (null reply). */
    public long lag(Group g) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastMs, g.lastSeq)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastMs, g.lastSeq);
        if (read != INVALID_ENTRIES_READ) {
            return entriesAdded - read;
        }
        return Long.MIN_VALUE;
    }

    /**
     * Redis's rax node count for the node keys (XINFO radix-tree-nodes): the master IDs as
     * 16-byte big-endian keys form a compressed trie whose nodes start at the root, at every
     * branching prefix, at every child of a branching prefix and at every key.
     */
    public long radixTreeNodes() {
        int n = nodes.size();
        HashSet<String> starts = new HashSet<>();
        starts.add("");
        byte[] prev = null;
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            byte[] key = ByteBuffer.allocate(16).putLong(node.ms(0)).putLong(node.seq(0)).array();
            starts.add(prefix(key, 16));
            if (prev != null) {
                int lcp = 0;
                while (lcp < 16 && prev[lcp] == key[lcp]) {
                    lcp++;
                }
                starts.add(prefix(key, lcp));
                starts.add(prefix(prev, lcp + 1));
                starts.add(prefix(key, lcp + 1));
            }
            prev = key;
        }
        return starts.size();
    }

    private static String prefix(byte[] key, int len) {
        return new String(key, 0, len, StandardCharsets.ISO_8859_1);
    }

    @Override
    public StreamValue copy() {
        StreamValue s = new StreamValue();
        for (Node n : nodes) {
            s.nodes.add(n.copy());
        }
        s.length = length;
        s.lastMs = lastMs;
        s.lastSeq = lastSeq;
        s.firstMs = firstMs;
        s.firstSeq = firstSeq;
        s.maxDelMs = maxDelMs;
        s.maxDelSeq = maxDelSeq;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            s.groups = new TreeMap<>(Arrays::compareUnsigned);
            for (Group g : groups.values()) {
                s.groups.put(g.name, new Group(g));
            }
        }
        return s;
    }
}
