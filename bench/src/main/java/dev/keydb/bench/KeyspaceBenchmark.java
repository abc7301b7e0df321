package dev.keydb.bench;

import dev.keydb.storage.Database;
import dev.keydb.storage.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyspace lookups and overwrites at 10^4 and 10^6 keys with random access, as the server
 * does them (fresh key arrays from the parser, so no reference-equality shortcut).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class KeyspaceBenchmark {
    @Param({"10000", "1000000"})
    public int keys;

    private Database db;
    private byte[][] probes;
    private byte[][] misses;
    private final byte[] value = new byte[100];
    private int i;

    @Setup(Level.Trial)
    public void setup() {
        db = new Keyspace(1).db(0);
        long now = System.currentTimeMillis();
        for (int k = 0; k < keys; k++) {
            db.set(key(k), value, now);
        }
        java.util.Random rnd = new java.util.Random(42);
        probes = new byte[1 << 16][];
        misses = new byte[1 << 16][];
        for (int p = 0; p < probes.length; p++) {
            probes[p] = key(rnd.nextInt(keys));
            misses[p] = ("miss:" + p).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] key(int k) {
        return String.format("key:%012d", k).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public Object lookupHit() {
        return db.lookup(probes[i++ & (probes.length - 1)], 0);
    }

    @Benchmark
    public Object lookupMiss() {
        return db.lookup(misses[i++ & (misses.length - 1)], 0);
    }

    @Benchmark
    public void overwrite() {
        db.set(probes[i++ & (probes.length - 1)], value, 0);
    }
}
