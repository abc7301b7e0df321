package dev.keydb.bench;

import dev.keydb.server.Client;
import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The command path of issue 4's EVALSHA workload without the network: EVALSHA of the script
 * INCR + SET + GET (as bench/scripting-pubsub-vs-redis.sh) run through the dispatcher of an
 * unstarted server, under its keyspace lock, with the reply written to a reused buffer. It
 * measures what the scripting bridge (redis.call, the reply back into Lua, KEYS/ARGV, the
 * script's return value) costs per call; plain GET and SET through the same path for scale.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class ScriptingBenchmark {
    static final String SCRIPT = "redis.call('INCR',KEYS[1]); redis.call('SET',KEYS[2],ARGV[1]); return redis.call('GET',KEYS[2])";

    private Server server;
    private CommandContext ctx;
    private ByteBuf out;
    private byte[][][] evalsha;
    private byte[][][] get;
    private byte[][][] set;
    private int i;

    @Setup(Level.Trial)
    public void setup() {
        server = new Server(new ServerConfig());
        Client client = server.newScriptClient();
        ctx = new CommandContext(server, client);
        out = Unpooled.buffer(1 << 16);
        client.reply().target(out);
        String sha = server.scripts().load(SCRIPT.getBytes(StandardCharsets.UTF_8));
        java.util.Random rnd = new java.util.Random(42);
        evalsha = new byte[1024][][];
        get = new byte[1024][][];
        set = new byte[1024][][];
        for (int j = 0; j < evalsha.length; j++) {
            int r = rnd.nextInt(100000);
            evalsha[j] = args("EVALSHA", sha, "2", "k1:" + r, "k2:" + r, "v");
            get[j] = args("GET", "k2:" + r);
            set[j] = args("SET", "k2:" + r, "xxx");
        }
    }

    private static byte[][] args(String... a) {
        byte[][] argv = new byte[a.length][];
        for (int j = 0; j < a.length; j++) {
            argv[j] = a[j].getBytes(StandardCharsets.UTF_8);
        }
        return argv;
    }

    private int run(byte[][][] cmds) {
        byte[][] argv = cmds[i++ & 1023];
        out.clear();
        server.lock().lock();
        try {
            server.dispatcher().execute(ctx, argv);
        } finally {
            server.lock().unlock();
        }
        return out.writerIndex();
    }

    @Benchmark
    public int evalsha() {
        return run(evalsha);
    }

    @Benchmark
    public int get() {
        return run(get);
    }

    @Benchmark
    public int set() {
        return run(set);
    }
}
