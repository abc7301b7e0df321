package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MONITOR, SLOWLOG, LATENCY, MEMORY and LOLWUT against our server. */
class OperatorCommandsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A decoded reply with typed accessors. */
    record V(Object o) {
        static V of(String raw) {
            return new V(RespValue.parse(raw));
        }

        List<V> list() {
            return ((List<?>) o).stream().map(V::new).toList();
        }

        String text() {
            return (String) o;
        }

        long integer() {
            return (Long) o;
        }
    }

    private static final Pattern LINE = Pattern.compile("^\\+(\\d+)\\.(\\d{6}) \\[(\\d+) ([^\\]]+)\\] (.*)\r\n$");

    @Test
    void monitorSeesCommandsOfOtherConnectionsInRedisFormat() throws IOException {
        try (RawConnection mon = new RawConnection(server.port()); RawConnection c = new RawConnection(server.port())) {
            String clientAddr = clientAddress(c);
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
            c.call("SET", "k", "v");
            c.call("SET", "bin", "a\"b\\c\n\u0001");
            c.call("CONFIG", "GET", "port"); // admin: not shown
            c.call("SELECT", "3");
            c.call("GET", "k");
            c.call("SELECT", "0");
            c.call("AUTH", "secret");
            c.call("NOSUCHCOMMAND"); // refused before running: not shown
            c.call("MULTI");
            c.call("INCR", "n");
            c.call("EXEC");

            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                lines.add(mon.readReply());
            }
            long now = System.currentTimeMillis() / 1000;
            List<String> shown = new ArrayList<>();
            for (String l : lines) {
                Matcher m = LINE.matcher(l);
                assertThat(m.matches()).as(l).isTrue();
                assertThat(Long.parseLong(m.group(1))).isBetween(now - 10, now + 1);
                assertThat(m.group(4)).isEqualTo(clientAddr);
                shown.add(m.group(3) + " " + m.group(5));
            }
            assertThat(shown).containsExactly(
                    "0 \"SET\" \"k\" \"v\"",
                    "0 \"SET\" \"bin\" \"a\\\"b\\\\c\\n\\x01\"",
                    "3 \"SELECT\" \"3\"",
                    "3 \"GET\" \"k\"",
                    "0 \"SELECT\" \"0\"",
                    "0 \"AUTH\" \"(redacted)\"",
                    "0 \"MULTI\"",
                    "0 \"INCR\" \"n\"",
                    "0 \"EXEC\"");
            // The monitor's own connection: PING works (and is fed), keyspace commands are refused, RESET ends it.
            assertThat(mon.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(mon.readReply()).contains("\"PING\"");
            assertThat(mon.call("GET", "k")).isEqualTo("-ERR Replica can't interact with the keyspace\r\n");
            assertThat(mon.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(mon.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        }
    }

    /** The address the server sees for this connection, from CLIENT INFO (asked before MONITOR starts: it would be shown). */
    private static String clientAddress(RawConnection c) throws IOException {
        String info = c.call("CLIENT", "INFO");
        Matcher m = Pattern.compile("addr=(\\S+)").matcher(info);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void monitorFlagInClientListAndSecondMonitorIsIgnored() throws IOException {
        try (RawConnection mon = new RawConnection(server.port()); RawConnection c = new RawConnection(server.port())) {
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
            mon.command("MONITOR"); // no reply at all, as Redis
            assertThat(mon.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("CLIENT", "LIST")).contains("flags=O").contains("cmd=ping");
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            c.call("MONITOR");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
        }
    }

    @Test
    void slowlogCapturesEntriesWithRedisShapeAndTruncation() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            try {
                c.call("SLOWLOG", "RESET");
                c.call("CLIENT", "SETNAME", "tester");
                String[] many = new String[42];
                many[0] = "RPUSH";
                many[1] = "biglist";
                for (int i = 2; i < many.length; i++) {
                    many[i] = Integer.toString(i - 1);
                }
                c.call(many);
                c.call("SET", "big", "x".repeat(200));
                c.call("HELLO", "2", "AUTH", "user", "pass");
                String get = c.call("SLOWLOG", "GET", "4");
                List<V> entries = V.of(get).list();
                assertThat(entries).hasSize(4);
                // Newest first: HELLO, SET, RPUSH, CLIENT SETNAME.
                List<V> hello = entries.get(0).list();
                assertThat(hello).hasSize(6);
                assertThat(args(hello.get(3))).containsExactly("HELLO", "2", "AUTH", "(redacted)", "(redacted)");
                assertThat(hello.get(5).text()).isEqualTo("tester");
                assertThat(hello.get(4).text()).matches("127\\.0\\.0\\.1:\\d+");
                long id = hello.get(0).integer();
                assertThat(entries.get(1).list().get(0).integer()).isEqualTo(id - 1);
                assertThat(hello.get(1).integer()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
                assertThat(hello.get(2).integer()).isGreaterThanOrEqualTo(0);
                List<String> set = args(entries.get(1).list().get(3));
                assertThat(set.get(2)).isEqualTo("x".repeat(128) + "... (72 more bytes)");
                List<String> rpush = args(entries.get(2).list().get(3));
                assertThat(rpush).hasSize(32);
                assertThat(rpush.get(31)).isEqualTo("... (11 more arguments)");
                assertThat(rpush.get(30)).isEqualTo("29");
                assertThat(c.call("SLOWLOG", "LEN")).matches(":\\d+\r\n");
                assertThat(c.call("SLOWLOG", "RESET")).isEqualTo("+OK\r\n");
                c.call("CONFIG", "SET", "slowlog-max-len", "2");
                for (int i = 0; i < 5; i++) {
                    c.call("PING");
                }
                assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(":2\r\n");
            } finally {
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
                c.call("CONFIG", "SET", "slowlog-max-len", "128");
                c.call("SLOWLOG", "RESET");
            }
        }
    }

    private static List<String> args(V v) {
        return v.list().stream().map(V::text).toList();
    }

    @Test
    void latencyMonitorRecordsDebugSleep() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("LATENCY", "RESET");
            c.call("CONFIG", "SET", "latency-monitor-threshold", "10");
            try {
                assertThat(c.call("DEBUG", "SLEEP", "0.03")).isEqualTo("+OK\r\n");
                List<V> latest = V.of(c.call("LATENCY", "LATEST")).list();
                assertThat(latest).hasSize(1);
                List<V> ev = latest.get(0).list();
                assertThat(ev.get(0).text()).isEqualTo("command");
                assertThat(ev.get(2).integer()).isGreaterThanOrEqualTo(30);
                assertThat(ev.get(3).integer()).isGreaterThanOrEqualTo(30);
                List<V> history = V.of(c.call("LATENCY", "HISTORY", "command")).list();
                assertThat(history).hasSize(1);
                assertThat(history.get(0).list().get(1).integer()).isGreaterThanOrEqualTo(30);
                String doctor = V.of(c.call("LATENCY", "DOCTOR")).text();
                assertThat(doctor).startsWith("Dave, I have observed latency spikes in this Redis instance.")
                        .contains("1. command: 1 latency spikes (average ")
                        .contains("I have a few advices for you:");
                String graph = V.of(c.call("LATENCY", "GRAPH", "command")).text();
                assertThat(graph).startsWith("command - high ").contains("-".repeat(80) + "\n");
                assertThat(c.call("LATENCY", "RESET", "command")).isEqualTo(":1\r\n");
                assertThat(c.call("LATENCY", "LATEST")).isEqualTo("*0\r\n");
            } finally {
                c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
            }
        }
    }

    @Test
    void latencyHistogramAndInfoLatencystats() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            for (int i = 0; i < 20; i++) {
                c.call("SET", "h" + i, "v");
            }
            c.call("CONFIG", "GET", "port");
            String h = c.call("LATENCY", "HISTOGRAM", "set", "config", "nosuch");
            List<V> flat = V.of(h).list(); // RESP2: map as a flat array
            assertThat(flat.get(0).text()).isEqualTo("set");
            List<V> body = flat.get(1).list();
            assertThat(body.get(0).text()).isEqualTo("calls");
            assertThat(body.get(1).integer()).isGreaterThanOrEqualTo(20);
            assertThat(body.get(2).text()).isEqualTo("histogram_usec");
            List<V> buckets = body.get(3).list();
            long last = 0;
            for (int i = 0; i < buckets.size(); i += 2) {
                long micros = buckets.get(i).integer();
                assertThat(micros).isIn(1L, 2L, 4L, 8L, 16L, 33L, 66L, 132L, 264L, 528L, 1056L, 2113L, 4227L, 8454L,
                        16908L, 33816L, 67633L, 135266L, 270532L, 541065L, 1082130L);
                assertThat(buckets.get(i + 1).integer()).isGreaterThan(last);
                last = buckets.get(i + 1).integer();
            }
            assertThat(last).isEqualTo(body.get(1).integer());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < flat.size(); i += 2) {
                names.add(flat.get(i).text());
            }
            assertThat(names).startsWith("set").contains("config|get").allMatch(n -> n.equals("set") || n.startsWith("config|"));
            String info = V.of(c.call("INFO", "latencystats")).text();
            assertThat(info).startsWith("# Latencystats\r\n")
                    .containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n");
            assertThat(V.of(c.call("INFO")).text()).doesNotContain("Latencystats");
        }
    }

    @Test
    void histogramMatchesHdrBucketsAndPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(3000);
        h.record(1000);
        h.record(0);
        assertThat(h.valueAtPercentile(50)).isEqualTo(1003);
        assertThat(h.valueAtPercentile(99)).isEqualTo(3007);
        assertThat(h.valueAtPercentile(10)).isEqualTo(1);
        List<long[]> b = new ArrayList<>();
        h.forEachCumulativeBucket((us, n) -> b.add(new long[] {us, n}));
        assertThat(b).extracting(Arrays::toString).containsExactly("[1, 2]", "[4, 3]");
        assertThat(LatencyHistogram.highestEquivalent(65536)).isEqualTo(66047);
    }

    /** The same samples as a real Redis 7.0.15 graphed (DEBUG SLEEP 0.05, then 0.02 a second later). */
    @Test
    void sparklineRendersAsRedis() {
        StringBuilder out = new StringBuilder();
        LatencyMonitor.Sparkline.render(out, List.of(50L, 20L), List.of("1s", "0s"), 80, 4);
        assertThat(out.toString()).isEqualTo("# \n| \n| \n|_\n  \n10\nss\n");
    }

    @Test
    void memoryUsageGrowsWithTheValue() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("SET", "small", "x".repeat(1000));
            c.call("SET", "large", "x".repeat(100_000));
            long small = usage(c, "small");
            long large = usage(c, "large");
            assertThat(small).isBetween(1000L, 1200L);
            assertThat(large).isBetween(100_000L, 100_300L);
            for (String type : List.of("list", "hash", "set", "zset")) {
                long s = fill(c, type, "c-small-" + type, 10);
                long l = fill(c, type, "c-large-" + type, 2000);
                assertThat((double) l / s).as(type).isGreaterThan(20);
            }
            assertThat(c.call("MEMORY", "USAGE", "nokey")).isEqualTo("$-1\r\n");
            assertThat(c.call("MEMORY", "USAGE", "small", "SAMPLES", "0")).matches(":\\d+\r\n");
        }
    }

    private static long fill(RawConnection c, String type, String key, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            String m = "member-" + i + "-" + "y".repeat(20);
            switch (type) {
                case "list" -> c.call("RPUSH", key, m);
                case "hash" -> c.call("HSET", key, m, "value");
                case "set" -> c.call("SADD", key, m);
                default -> c.call("ZADD", key, Integer.toString(i), m);
            }
        }
        return usage(c, key);
    }

    private static long usage(RawConnection c, String key) throws IOException {
        return V.of(c.call("MEMORY", "USAGE", key)).integer();
    }

    @Test
    void memoryStatsDoctorMallocStats() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("SET", "stats-key", "v");
            List<V> stats = V.of(c.call("MEMORY", "STATS")).list();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < stats.size(); i += 2) {
                names.add(stats.get(i).text());
            }
            assertThat(names).startsWith("peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
                    "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches", "functions.caches", "db.0")
                    .endsWith("overhead.total", "keys.count", "keys.bytes-per-key", "dataset.bytes", "dataset.percentage",
                            "peak.percentage", "allocator.allocated", "allocator.active", "allocator.resident",
                            "allocator-fragmentation.ratio", "allocator-fragmentation.bytes", "allocator-rss.ratio",
                            "allocator-rss.bytes", "rss-overhead.ratio", "rss-overhead.bytes", "fragmentation", "fragmentation.bytes");
            assertThat(V.of(c.call("MEMORY", "DOCTOR")).text()).startsWith("Hi Sam").doesNotContain("empty");
            assertThat(V.of(c.call("MEMORY", "MALLOC-STATS")).text()).contains("Heap: used=").contains("Garbage collectors:");
            assertThat(c.call("MEMORY", "PURGE")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void lolwutVersion5DrawsSchotter() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            String art = V.of(c.call("LOLWUT", "VERSION", "5")).text();
            String[] lines = art.split("\n", -1);
            assertThat(lines[lines.length - 2]).isEqualTo("Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15");
            assertThat(lines[0].codePoints()).hasSize(66).allMatch(cp -> cp >= 0x2800 && cp <= 0x28FF);
            assertThat(V.of(c.call("LOLWUT")).text()).isEqualTo("Redis ver. 7.0.15\n");
        }
    }

    /** A small bounded measurement: GET latency with and without a MONITOR consuming the feed (printed, not asserted). */
    @Test
    void getLatencyWhileMonitoring() throws Exception {
        try (RawConnection c = new RawConnection(server.port()); RawConnection mon = new RawConnection(server.port())) {
            c.call("SET", "lat", "v");
            long[] without = measure(c, 3000);
            mon.call("MONITOR");
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        mon.readReply();
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
            long[] with = measure(c, 3000);
            System.out.printf("GET round trip (us): without MONITOR p50=%d p99=%d; with MONITOR p50=%d p99=%d%n",
                    without[0], without[1], with[0], with[1]);
            mon.close();
            reader.join(2000);
        }
    }

    private static long[] measure(RawConnection c, int n) throws IOException {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            c.call("GET", "lat");
            t[i] = (System.nanoTime() - s) / 1000;
        }
        Arrays.sort(t);
        return new long[] {t[n / 2], t[(int) (n * 0.99)]};
    }
}
