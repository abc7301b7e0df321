package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.storage.Keyspace;
import dev.keydb.storage.types.StreamPel;
import dev.keydb.storage.types.StreamValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streams in RDB files and DUMP payloads: STREAM_LISTPACKS_2 written, types 15, 19 and 21 read. */
class RdbStreamTest {
    private static final long NOW = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** Everything observable of a stream: entries, counters, nodes, groups, PELs, consumers. */
    static String content(StreamValue s) {
        StringBuilder sb = new StringBuilder();
        s.range(0, 0, StreamValue.MAX, StreamValue.MAX, 0, false, (ms, seq, data, off) -> {
            List<String> items = new ArrayList<>();
            StreamValue.forEachItem(data, off, (bb, o, l) -> items.add(str(bb, o, l)));
            sb.append(StreamValue.idString(ms, seq)).append(items).append(' ');
            return true;
        });
        sb.append("| len=").append(s.length()).append(" last=").append(StreamValue.idString(s.lastMs(), s.lastSeq()))
                .append(" first=").append(StreamValue.idString(s.firstMs(), s.firstSeq()))
                .append(" maxdel=").append(StreamValue.idString(s.maxDeletedMs(), s.maxDeletedSeq()))
                .append(" added=").append(s.entriesAdded()).append(" nodes=").append(s.nodeCount());
        for (int i = 0; i < s.nodeCount(); i++) {
            sb.append(" node").append(i).append('=').append(s.nodeLive(i)).append('/').append(s.nodeSize(i));
        }
        for (StreamValue.Group g : s.groups()) {
            sb.append(" | group ").append(str(g.name, 0, g.name.length)).append(' ')
                    .append(StreamValue.idString(g.lastMs, g.lastSeq)).append(" read=").append(g.entriesRead).append(" pel=");
            StreamPel p = g.pel;
            for (int i = 0; i < p.size(); i++) {
                sb.append(StreamValue.idString(p.ms(i), p.seq(i))).append('@').append(p.time(i)).append('x').append(p.count(i))
                        .append("->").append(p.owner(i) == null ? "?" : str(p.owner(i).name, 0, p.owner(i).name.length)).append(',');
            }
            for (StreamValue.Consumer c : g.consumers.values()) {
                sb.append(" consumer ").append(str(c.name, 0, c.name.length)).append(" seen=").append(c.seenTime).append(" owns=");
                for (int i = 0; i < c.pel.size(); i++) {
                    sb.append(StreamValue.idString(c.pel.ms(i), c.pel.seq(i))).append(',');
                }
            }
        }
        return sb.toString();
    }

    /** Entries over several nodes (4 entries a node), differing fields, integers, tombstones, groups. */
    static StreamValue sample() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 14; i++) {
            byte[][] argv = i % 5 == 0
                    ? new byte[][] {b("other"), b("x" + i), b("n"), b(Integer.toString(-i * 1000))}
                    : new byte[][] {b("field"), b("value-" + i), b("n"), b(Integer.toString(i * 7919))};
            s.append(1000 + i / 3, i, argv, 0, argv.length, 0, 4);
        }
        // seq below its node's master seq: a negative delta
        s.append(2000, 0, new byte[][] {b("field"), b("late")}, 0, 2, 0, 4);
        s.delete(1000, 1);                    // the first entry: a node's master entry becomes a tombstone
        s.delete(1001, 5);
        s.delete(1004, 13);
        s.maxDeletedId(1004, 13);
        s.refreshFirstId();
        StreamValue.Group g = s.createGroup(b("group1"), 1003, 9, 7);
        StreamValue.Consumer alice = g.createConsumer(b("alice"), NOW - 5000);
        StreamValue.Consumer bob = g.createConsumer(b("bob"), NOW - 7000);
        g.createConsumer(b("idle"), NOW - 9000);
        long[][] ids = {{1000, 2}, {1001, 3}, {1002, 6}, {1003, 9}};
        for (int i = 0; i < ids.length; i++) {
            StreamValue.Consumer owner = i % 2 == 0 ? alice : bob;
            g.pel.insert(g.pel.size(), ids[i][0], ids[i][1], NOW - 100 * i, i + 1, owner);
            owner.pel.add(ids[i][0], ids[i][1]);
        }
        s.createGroup(b("empty-group"), 0, 0, StreamValue.INVALID_ENTRIES_READ);
        s.createGroup(b("12"), StreamValue.MAX, StreamValue.MAX, 0);   // an int-encodable name, a max ID
        return s;
    }

    @Test
    void dumpPayloadRoundTrips() throws IOException {
        StreamValue s = sample();
        for (boolean compress : new boolean[] {true, false}) {
            byte[] payload = RdbWriter.dump(s, compress);
            assertThat(payload[0]).isEqualTo((byte) Rdb.TYPE_STREAM_LISTPACKS_2);
            assertThat(RdbReader.verifyPayload(payload)).isTrue();
            StreamValue back = (StreamValue) RdbReader.restore(payload, RdbReader.Limits.DEFAULT);
            assertThat(content(back)).isEqualTo(content(s));
            // the same bytes again: nodes, flags and counters are rebuilt exactly
            assertThat(RdbWriter.dump(back, compress)).isEqualTo(payload);
        }
    }

    @Test
    void emptyStreamsAndBigIdsSurviveAFile() throws IOException {
        Keyspace ks = new Keyspace(16);
        StreamValue empty = new StreamValue();
        empty.lastId(5, 5);
        empty.entriesAdded(3);
        empty.createGroup(b("g"), 5, 5, 3);
        ks.db(0).set(b("empty"), empty, NOW, -1);
        StreamValue big = new StreamValue();
        byte[][] kv = {b("k"), b("v")};
        big.append(-2, -2, kv, 0, 2, 4096, 100);          // IDs near UINT64_MAX
        big.append(-1, 0, kv, 0, 2, 4096, 100);
        ks.db(0).set(b("big"), big, NOW, NOW + 1000);
        ks.db(1).set(b("sample"), sample(), NOW, -1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", true, true, 0));
        Keyspace loaded = new Keyspace(16);
        RdbReader.LoadResult r = RdbReader.load(new ByteArrayInputStream(out.toByteArray()), loaded, RdbReader.Limits.DEFAULT, NOW, true);
        assertThat(r.keys()).isEqualTo(3);
        assertThat(content((StreamValue) loaded.db(0).peek(b("empty")))).isEqualTo(content(empty));
        assertThat(content((StreamValue) loaded.db(0).peek(b("big")))).isEqualTo(content(big));
        assertThat(content((StreamValue) loaded.db(1).peek(b("sample")))).isEqualTo(content(sample()));
        RdbReader.CheckResult c = RdbReader.check(new ByteArrayInputStream(out.toByteArray()), new RdbReader.CheckListener() {}, NOW);
        assertThat(c.keys()).isEqualTo(3);
    }

    @Test
    void loadedStreamsKeepGrowingLikeTheOriginal() throws IOException {
        StreamValue s = sample();
        StreamValue back = (StreamValue) RdbReader.restore(RdbWriter.dump(s, false), RdbReader.Limits.DEFAULT);
        byte[][] kv = {b("field"), b("more")};
        for (int i = 1; i <= 6; i++) {
            s.append(3000, i, kv, 0, 2, 0, 4);
            back.append(3000, i, kv, 0, 2, 0, 4);
        }
        assertThat(content(back)).isEqualTo(content(s));
        assertThat(RdbWriter.dump(back, false)).isEqualTo(RdbWriter.dump(s, false));
    }

    /** A file with a stream in the other layouts: v1 (type 15, no counters) and v3 (type 21, consumer active times). */
    private static StreamValue otherLayout(int type) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bytes, false);
        w.raw(b(type == Rdb.TYPE_STREAM_LISTPACKS_3 ? "REDIS0011" : "REDIS0009"));
        w.type(type);
        w.string(b("s"));
        w.length(1);
        w.length(16);
        w.raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0});
        Listpack lp = new Listpack();
        lp.add(2);                                  // live
        lp.add(1);                                  // deleted
        lp.add(1);                                  // master fields
        lp.add(b("f"));
        lp.add(0);
        for (int i = 0; i < 3; i++) {
            lp.add(Rdb.STREAM_ITEM_FLAG_SAMEFIELDS | (i == 1 ? Rdb.STREAM_ITEM_FLAG_DELETED : 0));
            lp.add(i);
            lp.add(0);
            lp.add(b("v" + i));
            lp.add(4);
        }
        w.string(lp.toBytes());
        w.length(2);                                // length
        w.length(102);                              // last id
        w.length(0);
        if (type != Rdb.TYPE_STREAM_LISTPACKS) {
            w.length(100);                          // first id
            w.length(0);
            w.length(101);                          // max deleted id
            w.length(0);
            w.length(3);                            // entries added
        }
        w.length(1);
        w.string(b("g"));
        w.length(100);
        w.length(0);
        if (type != Rdb.TYPE_STREAM_LISTPACKS) {
            w.length(1);                            // entries read
        }
        w.length(1);
        w.raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0});
        w.longLe(NOW, 8);
        w.length(2);
        w.length(1);
        w.string(b("c"));
        w.longLe(NOW - 1, 8);
        if (type == Rdb.TYPE_STREAM_LISTPACKS_3) {
            w.longLe(NOW - 2, 8);                   // active time
        }
        w.length(1);
        w.raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0});
        w.type(Rdb.OPCODE_EOF);
        w.finish(true);
        Keyspace ks = new Keyspace(16);
        RdbReader.load(new ByteArrayInputStream(bytes.toByteArray()), ks, RdbReader.Limits.DEFAULT, NOW, true);
        return (StreamValue) ks.db(0).peek(b("s"));
    }

    @Test
    void olderAndNewerStreamLayoutsLoad() throws IOException {
        StreamValue v1 = otherLayout(Rdb.TYPE_STREAM_LISTPACKS);
        // v1: no counters in the file; entries added = length, first ID looked up, entries read estimated
        assertThat(content(v1)).isEqualTo("100-0[f, v0] 102-0[f, v2] | len=2 last=102-0 first=100-0 maxdel=0-0 added=2 nodes=1"
                + " node0=2/3 | group g 100-0 read=1 pel=100-0@" + NOW + "x2->c, consumer c seen=" + (NOW - 1) + " owns=100-0,");
        StreamValue v3 = otherLayout(Rdb.TYPE_STREAM_LISTPACKS_3);
        assertThat(content(v3)).isEqualTo("100-0[f, v0] 102-0[f, v2] | len=2 last=102-0 first=100-0 maxdel=101-0 added=3 nodes=1"
                + " node0=2/3 | group g 100-0 read=1 pel=100-0@" + NOW + "x2->c, consumer c seen=" + (NOW - 1) + " owns=100-0,");
    }

    @Test
    void corruptStreamsAreRefused() throws IOException {
        byte[] good = RdbWriter.dump(sample(), false);
        // Every truncation of the value is refused, never half-loaded.
        for (int cut = 1; cut < good.length - 10; cut += 7) {
            byte[] p = new byte[cut + 10];
            System.arraycopy(good, 0, p, 0, cut);
            assertThatThrownBy(() -> RdbReader.restore(p, RdbReader.Limits.DEFAULT)).isInstanceOf(RdbException.class);
        }
        // A consumer owning an ID missing from the group's PEL.
        StreamValue s = new StreamValue();
        s.append(1, 1, new byte[][] {b("a"), b("b")}, 0, 2, 0, 100);
        StreamValue.Group g = s.createGroup(b("g"), 1, 1, 1);
        g.createConsumer(b("c"), NOW).pel.add(1, 1);
        assertThatThrownBy(() -> RdbReader.restore(RdbWriter.dump(s, false), RdbReader.Limits.DEFAULT))
                .hasMessageContaining("Consumer entry not found in group global PEL");
    }
}
