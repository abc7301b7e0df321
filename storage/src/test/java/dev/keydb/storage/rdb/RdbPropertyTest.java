package dev.keydb.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.StreamValue;
import dev.keydb.storage.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random collections and streams survive DUMP/RESTORE with their content and encoding. */
class RdbPropertyTest {
    @Provide
    Arbitrary<List<byte[]>> elements() {
        Arbitrary<byte[]> ints = Arbitraries.longs().map(l -> Long.toString(l).getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> smallInts = Arbitraries.longs().between(-70000, 70000).map(l -> Long.toString(l).getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> strings = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> numbery = Arbitraries.strings().withChars("0123456789-+. e").ofMaxLength(22).map(s -> s.getBytes(StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(ints, smallInts, strings, numbery).list().ofMaxSize(400);
    }

    private static Object back(Object v) throws RdbException {
        return RdbReader.restore(RdbWriter.dump(v, true), RdbReader.Limits.DEFAULT);
    }

    @Property(tries = 150)
    void listsRoundTrip(@ForAll("elements") List<byte[]> els) throws RdbException {
        ListValue l = new ListValue(-1);
        els.forEach(l::pushTail);
        if (!l.isEmpty()) {
            assertThat(RdbRoundTripTest.content(back(l))).isEqualTo(RdbRoundTripTest.content(l));
        }
    }

    @Property(tries = 150)
    void setsAndHashesRoundTrip(@ForAll("elements") List<byte[]> els) throws RdbException {
        SetValue s = new SetValue();
        HashValue h = new HashValue();
        ZSetValue z = ZSetValue.listpack(new ZSetValue.Limits());
        for (int i = 0; i < els.size(); i++) {
            s.add(els.get(i), 512);
            h.put(els.get(i), els.get((i * 7) % els.size()), 128, 64);
            z.put(els.get(i), (i % 5 == 0) ? i : i / 3.0 - 1e-7 * i);
        }
        if (s.size() > 0) {
            for (Object v : new Object[] {s, h, z}) {
                Object b = back(v);
                assertThat(RdbRoundTripTest.content(b)).isEqualTo(RdbRoundTripTest.content(v));
                assertThat(((dev.keydb.storage.ValueType.Typed) b).encoding()).isEqualTo(((dev.keydb.storage.ValueType.Typed) v).encoding());
            }
        }
    }

    /**
     * A stream grown from the elements (field names from a small pool, so entries share their
     * node's master fields or not), with deletions and small nodes, comes back identical: the
     * same content, the same nodes, and the same bytes when dumped again.
     */
    @Property(tries = 150)
    void streamsRoundTrip(@ForAll("elements") List<byte[]> els) throws RdbException {
        StreamValue s = new StreamValue();
        byte[][] pool = {"f".getBytes(StandardCharsets.US_ASCII), "g".getBytes(StandardCharsets.US_ASCII),
            "123".getBytes(StandardCharsets.US_ASCII)};
        long ms = 1;
        for (int i = 0; i < els.size(); i++) {
            int pairs = 1 + (i % 3 == 0 ? els.get(i).length % 3 : 0);
            byte[][] argv = new byte[pairs * 2][];
            for (int p = 0; p < pairs; p++) {
                argv[2 * p] = pool[(p + (i % 7 == 0 ? 1 : 0)) % pool.length];
                argv[2 * p + 1] = els.get((i + p) % els.size());
            }
            ms += els.get(i).length % 2 == 0 ? 1 : 1L << 33;   // deltas beyond 32 bits too
            s.append(ms, i, argv, 0, argv.length, 300, 5 + i % 4);
            if (i % 4 == 3) {
                s.delete(ms, i - (i % 8 == 3 ? 0 : 2));
            }
        }
        s.refreshFirstId();
        byte[] dump = RdbWriter.dump(s, true);
        StreamValue back = (StreamValue) RdbReader.restore(dump, RdbReader.Limits.DEFAULT);
        assertThat(RdbStreamTest.content(back)).isEqualTo(RdbStreamTest.content(s));
        assertThat(RdbWriter.dump(back, true)).isEqualTo(dump);
    }
}
