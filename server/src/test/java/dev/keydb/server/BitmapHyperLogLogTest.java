package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Bitmaps and HyperLogLogs against a real redis-server with binary values: the HLL bytes
 * after the same PFADDs must be identical, a Redis-written HLL loaded with SET must count the
 * same here, and random bit operations on binary strings must give the same replies and bytes.
 * KeyDB's BITOP LSHIFT/RSHIFT (absent from Redis) are checked on their own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BitmapHyperLogLogTest {
    private static RealRedis redis;
    private static TestServer ours;
    private static final redis.clients.jedis.commands.ProtocolCommand PFDEBUG = () -> "PFDEBUG".getBytes(StandardCharsets.US_ASCII);
    private Jedis r;
    private Jedis o;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        ours = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    private static Jedis connect(int port) {
        Jedis j = new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(5000).socketTimeoutMillis(10000).build());
        j.flushAll();
        return j;
    }

    @BeforeEach
    void connect() {
        r = connect(redis.port());
        o = connect(ours.port());
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        r.configSet("hll-sparse-max-bytes", "3000");
        o.configSet("hll-sparse-max-bytes", "3000");
        r.close();
        o.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] elements(Random rnd, int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] e = new byte[rnd.nextInt(24)];
            rnd.nextBytes(e);
            out[i] = e;
        }
        return out;
    }

    private void assertSameHll(byte[] key) {
        assertThat(o.get(key)).as("HLL bytes before PFCOUNT").isEqualTo(r.get(key));
        assertThat(o.pfcount(key)).isEqualTo(r.pfcount(key));
        assertThat(o.get(key)).as("HLL bytes after PFCOUNT (cached cardinality)").isEqualTo(r.get(key));
    }

    @Test
    void samePfaddsGiveRedisBytesThroughSparseAndDense() {
        Random rnd = new Random(42);
        byte[] key = b("hll");
        for (int batch : new int[] {1, 2, 5, 10, 50, 100, 300, 700, 1500, 3000, 10000, 40000}) {
            byte[][] els = elements(rnd, batch);
            for (int i = 0; i < els.length; i += 500) {
                byte[][] chunk = java.util.Arrays.copyOfRange(els, i, Math.min(els.length, i + 500));
                assertThat(o.pfadd(key, chunk)).isEqualTo(r.pfadd(key, chunk));
            }
            assertSameHll(key);
            assertThat(o.sendCommand(PFDEBUG, b("ENCODING"), key))
                    .isEqualTo(r.sendCommand(PFDEBUG, b("ENCODING"), key));
        }
        assertThat(new String((byte[]) o.sendCommand(PFDEBUG, b("ENCODING"), key))).isEqualTo("dense");
    }

    @Test
    void singleElementAddsOneByOneMatchIncludingMerges() {
        Random rnd = new Random(7);
        List<byte[]> keys = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            byte[] key = b("h" + k);
            keys.add(key);
            int n = new int[] {3, 80, 900, 2500}[k];
            for (int i = 0; i < n; i++) {
                byte[] e = b("el:" + rnd.nextInt(100000));
                assertThat(o.pfadd(key, e)).isEqualTo(r.pfadd(key, e));
            }
            assertSameHll(key);
        }
        byte[][] all = keys.toArray(byte[][]::new);
        assertThat(o.pfcount(all)).isEqualTo(r.pfcount(all));
        assertThat(o.pfmerge(b("m"), keys.get(0), keys.get(1))).isEqualTo("OK");
        r.pfmerge(b("m"), keys.get(0), keys.get(1));
        assertSameHll(b("m"));
        o.pfmerge(b("m2"), all);
        r.pfmerge(b("m2"), all);
        assertSameHll(b("m2"));
        o.pfmerge(keys.get(0), keys.get(1));
        r.pfmerge(keys.get(0), keys.get(1));
        assertSameHll(keys.get(0));
    }

    @Test
    void smallSparseLimitPromotesAtTheSamePoint() {
        r.configSet("hll-sparse-max-bytes", "200");
        o.configSet("hll-sparse-max-bytes", "200");
        byte[] key = b("s");
        for (int i = 0; i < 400; i++) {
            byte[] e = b("x" + i);
            assertThat(o.pfadd(key, e)).isEqualTo(r.pfadd(key, e));
            assertThat(o.get(key)).as("after %d adds", i + 1).isEqualTo(r.get(key));
        }
        assertSameHll(key);
    }

    @Test
    void aRedisWrittenHllLoadsAndCountsTheSame() {
        Random rnd = new Random(99);
        for (int n : new int[] {10, 1000, 50000}) {
            byte[] key = b("redis-hll-" + n);
            byte[][] els = elements(rnd, n);
            for (int i = 0; i < els.length; i += 1000) {
                r.pfadd(key, java.util.Arrays.copyOfRange(els, i, Math.min(els.length, i + 1000)));
            }
            byte[] stale = r.get(key);
            long count = r.pfcount(key);
            assertThat(o.set(key, stale)).isEqualTo("OK");
            assertThat(o.pfcount(key)).isEqualTo(count);
            assertThat(o.get(key)).isEqualTo(r.get(key));
            byte[][] more = elements(rnd, 100);
            assertThat(o.pfadd(key, more)).isEqualTo(r.pfadd(key, more));
            assertSameHll(key);
        }
    }

    @Test
    void corruptHllsAreRejectedAsRedis() {
        byte[] bad = new byte[] {'H', 'Y', 'L', 'L', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        for (Jedis j : List.of(r, o)) {
            j.set(b("bad"), bad);
        }
        for (String cmd : new String[] {"PFCOUNT", "PFADD"}) {
            String redisError = error(r, cmd);
            assertThat(error(o, cmd)).isEqualTo(redisError);
        }
        assertThat(error(o, "PFCOUNT")).startsWith("INVALIDOBJ");
    }

    private static String error(Jedis j, String cmd) {
        try {
            Object reply = cmd.equals("PFADD") ? j.pfadd(b("bad"), b("zz")) : j.pfcount(b("bad"));
            return "no error: " + reply;
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    @Test
    void randomBitOperationsOnBinaryStringsMatchRedis() {
        Random rnd = new Random(1234);
        for (int round = 0; round < 1500; round++) {
            byte[] key = b("k" + rnd.nextInt(3));
            int kind = rnd.nextInt(8);
            Object a, c;
            switch (kind) {
                case 0 -> {
                    long off = rnd.nextInt(300);
                    boolean v = rnd.nextBoolean();
                    a = o.setbit(key, off, v);
                    c = r.setbit(key, off, v);
                }
                case 1 -> {
                    byte[] val = new byte[rnd.nextInt(40)];
                    rnd.nextBytes(val);
                    a = o.set(key, val);
                    c = r.set(key, val);
                }
                case 2 -> {
                    byte[][] args = {key, b(Integer.toString(rnd.nextInt(80) - 40)), b(Integer.toString(rnd.nextInt(80) - 40)),
                            b(rnd.nextBoolean() ? "BIT" : "BYTE")};
                    a = o.sendCommand(Protocol.Command.BITCOUNT, args);
                    c = r.sendCommand(Protocol.Command.BITCOUNT, args);
                }
                case 3 -> {
                    List<byte[]> args = new ArrayList<>(List.of(key, b(Integer.toString(rnd.nextInt(2)))));
                    int extra = rnd.nextInt(4);
                    if (extra >= 1) {
                        args.add(b(Integer.toString(rnd.nextInt(300) - 150)));
                    }
                    if (extra >= 2) {
                        args.add(b(Integer.toString(rnd.nextInt(300) - 150)));
                    }
                    if (extra >= 3) {
                        args.add(b(rnd.nextBoolean() ? "BIT" : "BYTE"));
                    }
                    a = o.sendCommand(Protocol.Command.BITPOS, args.toArray(byte[][]::new));
                    c = r.sendCommand(Protocol.Command.BITPOS, args.toArray(byte[][]::new));
                }
                case 4, 5 -> {
                    List<byte[]> args = new ArrayList<>(List.of(key));
                    for (int i = 0; i < 3; i++) {
                        String type = (rnd.nextBoolean() ? "i" : "u") + (1 + rnd.nextInt(63));
                        String off = (rnd.nextInt(4) == 0 ? "#" : "") + rnd.nextInt(100);
                        switch (rnd.nextInt(4)) {
                            case 0 -> args.addAll(List.of(b("GET"), b(type), b(off)));
                            case 1 -> args.addAll(List.of(b("SET"), b(type), b(off), b(Long.toString(rnd.nextLong() >> rnd.nextInt(64)))));
                            case 2 -> args.addAll(List.of(b("INCRBY"), b(type), b(off), b(Long.toString(rnd.nextLong() >> rnd.nextInt(64)))));
                            default -> args.addAll(List.of(b("OVERFLOW"), b(new String[] {"WRAP", "SAT", "FAIL"}[rnd.nextInt(3)])));
                        }
                    }
                    a = o.sendCommand(Protocol.Command.BITFIELD, args.toArray(byte[][]::new));
                    c = r.sendCommand(Protocol.Command.BITFIELD, args.toArray(byte[][]::new));
                }
                case 6 -> {
                    String op = new String[] {"AND", "OR", "XOR", "NOT"}[rnd.nextInt(4)];
                    byte[][] args = op.equals("NOT") ? new byte[][] {b(op), b("k" + rnd.nextInt(3)), key}
                            : new byte[][] {b(op), b("k" + rnd.nextInt(3)), key, b("k" + rnd.nextInt(3)), b("k" + rnd.nextInt(3))};
                    a = o.sendCommand(Protocol.Command.BITOP, args);
                    c = r.sendCommand(Protocol.Command.BITOP, args);
                }
                default -> {
                    long off = rnd.nextInt(400);
                    a = o.getbit(key, off);
                    c = r.getbit(key, off);
                }
            }
            assertThat(render(a)).as("round %d kind %d", round, kind).isEqualTo(render(c));
            for (int k = 0; k < 3; k++) {
                assertThat(o.get(b("k" + k))).as("round %d key k%d", round, k).isEqualTo(r.get(b("k" + k)));
            }
        }
    }

    private static String render(Object reply) {
        if (reply instanceof byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }
        if (reply instanceof List<?> l) {
            return l.stream().map(BitmapHyperLogLogTest::render).toList().toString();
        }
        return String.valueOf(reply);
    }

    @Test
    void keydbBitopShifts() {
        o.sendCommand(Protocol.Command.BITFIELD, "a", "SET", "u16", "0", "42");
        assertThat(o.sendCommand(Protocol.Command.BITOP, "LSHIFT", "a", "a", "1")).isEqualTo(3L);
        assertThat(o.sendCommand(Protocol.Command.BITFIELD, "a", "GET", "u16", "0")).isEqualTo(List.of(84L));
        o.sendCommand(Protocol.Command.BITFIELD, "b", "SET", "u16", "0", "42");
        assertThat(o.sendCommand(Protocol.Command.BITOP, "RSHIFT", "b", "b", "1")).isEqualTo(2L);
        assertThat(o.sendCommand(Protocol.Command.BITFIELD, "b", "GET", "u16", "0")).isEqualTo(List.of(21L));
        // Bytes are little-endian: the carry of byte i goes to byte i+1.
        o.set(b("c"), new byte[] {(byte) 0x81, 0x01});
        assertThat(o.sendCommand(Protocol.Command.BITOP, b("LSHIFT"), b("d"), b("c"), b("9"))).isEqualTo(4L);
        assertThat(o.get(b("d"))).containsExactly(0x00, 0x02, 0x03, 0x00);
        assertThat(o.sendCommand(Protocol.Command.BITOP, b("RSHIFT"), b("e"), b("d"), b("9"))).isEqualTo(3L);
        assertThat(o.get(b("e"))).containsExactly(0x81, 0x01, 0x00);
        assertThat(o.sendCommand(Protocol.Command.BITOP, b("RSHIFT"), b("e"), b("c"), b("8"))).isEqualTo(1L);
        assertThat(o.get(b("e"))).containsExactly(0x01);
        assertThat(o.sendCommand(Protocol.Command.BITOP, b("LSHIFT"), b("e"), b("c"), b("-1"))).isEqualTo(2L);
        assertThat(o.get(b("e"))).containsExactly(0xc0, 0x00);
        assertThat(o.sendCommand(Protocol.Command.BITOP, "RSHIFT", "e", "c", "100")).isEqualTo(0L);
        assertThat(o.exists("e")).isFalse();
        assertThat(o.sendCommand(Protocol.Command.BITOP, "LSHIFT", "e", "missing", "3")).isEqualTo(1L);
        assertThat(o.get(b("e"))).containsExactly(0x00);
        assertThatThrownBy(() -> o.sendCommand(Protocol.Command.BITOP, "LSHIFT", "e", "c"))
                .hasMessage("ERR BITOP SHIFT must be called with a single source key and an integer shift.");
        assertThatThrownBy(() -> o.sendCommand(Protocol.Command.BITOP, "LSHIFT", "e", "c", "x"))
                .hasMessage("ERR BITOP SHIFT's last parameter must be an integer");
        assertThatThrownBy(() -> o.sendCommand(Protocol.Command.BITOP, "RSHIFT", "e", "c", "d", "1"))
                .hasMessage("ERR BITOP SHIFT must be called with a single source key and an integer shift.");
        assertThatThrownBy(() -> o.sendCommand(Protocol.Command.BITOP, "LSHIFT", "e", "c", "9999999999999"))
                .hasMessage("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        o.lpush("l", "x");
        assertThatThrownBy(() -> o.sendCommand(Protocol.Command.BITOP, "LSHIFT", "e", "l", "1"))
                .hasMessageStartingWith("WRONGTYPE");
    }

    @Test
    void keyspaceEventsAsRedis() throws Exception {
        for (Jedis j : List.of(r, o)) {
            j.configSet("notify-keyspace-events", "KEA");
        }
        String[][] cmds = {
            {"SETBIT", "bk", "3", "1"}, {"SETBIT", "bk", "3", "1"}, {"BITFIELD", "bk", "SET", "u8", "0", "1"},
            {"BITFIELD", "bk", "GET", "u8", "0"}, {"BITOP", "NOT", "bn", "bk"}, {"BITOP", "AND", "bn", "nothing"},
            {"PFADD", "pk", "a"}, {"PFADD", "pk", "a"}, {"PFCOUNT", "pk"}, {"PFMERGE", "pm", "pk"}, {"SET", "end", "1"},
        };
        List<String> seen = new ArrayList<>();
        for (Jedis j : List.of(r, o)) {
            try (RawConnection sub = new RawConnection(j == r ? redis.port() : ours.port())) {
                sub.call("PSUBSCRIBE", "__keyevent@0__:*");
                for (String[] cmd : cmds) {
                    j.sendCommand(() -> b(cmd[0]), java.util.Arrays.copyOfRange(cmd, 1, cmd.length));
                }
                StringBuilder events = new StringBuilder();
                while (true) {
                    String msg = sub.readReply();
                    events.append(msg.replace("\r\n", " ")).append('\n');
                    if (msg.contains("\r\nend\r\n")) {
                        break;
                    }
                }
                seen.add(events.toString());
            }
            j.configSet("notify-keyspace-events", "");
        }
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
    }

    @Test
    void commandInfoMatchesRedis() {
        for (String name : new String[] {"setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro",
                "pfadd", "pfcount", "pfmerge", "pfdebug", "pfselftest"}) {
            List<?> redisInfo = (List<?>) ((List<?>) r.sendCommand(Protocol.Command.COMMAND, "INFO", name)).get(0);
            List<?> ourInfo = (List<?>) ((List<?>) o.sendCommand(Protocol.Command.COMMAND, "INFO", name)).get(0);
            // name, arity, flags, first key, last key, step, ACL categories
            assertThat(render(ourInfo.subList(0, 7))).as(name).isEqualTo(render(redisInfo.subList(0, 7)));
        }
    }

    @Test
    void mutatedSparseHllsCountAsRedis() {
        // Read-only commands only: Redis's PFADD may assert on some corrupt encodings.
        Random rnd = new Random(77);
        byte[] key = b("src");
        r.pfadd(key, elements(rnd, 60));
        byte[] base = r.get(key);
        for (int round = 0; round < 300; round++) {
            byte[] v = base.clone();
            int mutations = 1 + rnd.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                v[16 + rnd.nextInt(v.length - 16)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(4) == 0) {
                v = java.util.Arrays.copyOf(v, 16 + rnd.nextInt(v.length - 16));
            }
            v[15] |= (byte) 0x80;
            r.set(b("m"), v);
            o.set(b("m"), v);
            assertThat(reply(() -> o.pfcount(b("m")))).as("round %d", round).isEqualTo(reply(() -> r.pfcount(b("m"))));
            assertThat(reply(() -> o.pfcount(b("m"), key))).as("round %d union", round).isEqualTo(reply(() -> r.pfcount(b("m"), key)));
            assertThat(o.get(b("m"))).isEqualTo(r.get(b("m")));
        }
    }

    private static String reply(java.util.function.Supplier<Object> call) {
        try {
            return render(call.get());
        } catch (JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }
}
