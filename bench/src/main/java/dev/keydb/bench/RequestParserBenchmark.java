package dev.keydb.bench;

import dev.keydb.server.resp.ProtocolException;
import dev.keydb.server.resp.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing throughput of the request parser on a pipeline of 16 SET commands with 3-byte and
 * 256-byte values (what redis-benchmark -P 16 sends), and on inline PINGs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestParserBenchmark {
    private static final int PIPELINE = 16;
    private ByteBuf small;
    private ByteBuf large;
    private ByteBuf inline;
    private final RequestParser parser = new RequestParser();

    @Setup
    public void setup() {
        small = pipeline(3);
        large = pipeline(256);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < PIPELINE; i++) {
            b.append("PING\r\n");
        }
        inline = Unpooled.directBuffer().writeBytes(b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteBuf pipeline(int valueSize) {
        StringBuilder b = new StringBuilder();
        String value = "x".repeat(valueSize);
        for (int i = 0; i < PIPELINE; i++) {
            String key = "key:" + String.format("%012d", i);
            b.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$")
                    .append(valueSize).append("\r\n").append(value).append("\r\n");
        }
        return Unpooled.directBuffer().writeBytes(b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private void parseAll(ByteBuf buf, Blackhole bh) throws ProtocolException {
        buf.readerIndex(0);
        byte[][] argv;
        while ((argv = parser.next(buf)) != null) {
            bh.consume(argv);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void set3Bytes(Blackhole bh) throws ProtocolException {
        parseAll(small, bh);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void set256Bytes(Blackhole bh) throws ProtocolException {
        parseAll(large, bh);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void inlinePing(Blackhole bh) throws ProtocolException {
        parseAll(inline, bh);
    }
}
