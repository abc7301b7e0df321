package dev.keydb.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency monitor (Redis's latency.c): for each event class ("command", "fast-command",
 * later "expire-cycle", "aof-fsync-always"...) a ring of the last 160 one-second samples of
 * latencies at or above {@code latency-monitor-threshold} milliseconds (0 = off), keeping the
 * worst per second, plus the all-time maximum. Runs under the keyspace lock.
 */
public final class LatencyMonitor {
    static final int TS_LEN = 160;
    private static final int GRAPH_COLS = 80;

    /** One event's time series. */
    public static final class Series {
        final long[] time = new long[TS_LEN];
        final long[] latency = new long[TS_LEN];
        int idx;
        long max;

        /** The all-time maximum latency of the event, ms. */
        public long max() {
            return max;
        }
    }

    /** Analysis of one series (analyzeLatencyForEvent). */
    record Stats(int samples, long avg, long min, long max, long mad, long period, long allTimeHigh) {}

    private final Server server;
    private final Map<String, Series> events = new LinkedHashMap<>();

    LatencyMonitor(Server server) {
        this.server = server;
    }

    /** latencyAddSampleIfNeeded: records {@code millis} for {@code event} if the monitor is on and it reaches the threshold. */
    public void addSampleIfNeeded(String event, long millis) {
        long threshold = server.config().latencyMonitorThreshold;
        if (threshold != 0 && millis >= threshold) {
            addSample(event, millis, System.currentTimeMillis() / 1000);
        }
    }

    void addSample(String event, long millis, long nowSec) {
        Series ts = events.computeIfAbsent(event, e -> new Series());
        if (millis > ts.max) {
            ts.max = millis;
        }
        int prev = (ts.idx + TS_LEN - 1) % TS_LEN;
        if (ts.time[prev] == nowSec) {
            if (millis > ts.latency[prev]) {
                ts.latency[prev] = millis;
            }
            return;
        }
        ts.time[ts.idx] = nowSec;
        ts.latency[ts.idx] = millis;
        ts.idx = (ts.idx + 1) % TS_LEN;
    }

    public Map<String, Series> events() {
        return events;
    }

    public Series series(String event) {
        return events.get(event);
    }

    /** LATENCY RESET: drops one event (case-insensitive) or, with null, all; returns how many. */
    public int reset(String event) {
        int n = 0;
        for (var it = events.keySet().iterator(); it.hasNext(); ) {
            String e = it.next();
            if (event == null || e.equalsIgnoreCase(event)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** (time, latency) samples of a series, oldest first. */
    public static List<long[]> samples(Series ts) {
        List<long[]> out = new ArrayList<>();
        for (int j = 0; j < TS_LEN; j++) {
            int i = (ts.idx + j) % TS_LEN;
            if (ts.time[i] != 0) {
                out.add(new long[] {ts.time[i], ts.latency[i]});
            }
        }
        return out;
    }

    /** The most recent sample of a series: {time, latency}. */
    public static long[] latest(Series ts) {
        int last = (ts.idx + TS_LEN - 1) % TS_LEN;
        return new long[] {ts.time[last], ts.latency[last]};
    }

    static Stats analyze(Series ts, long nowSec) {
        int samples = 0;
        long min = 0, max = 0, sum = 0, period = 0;
        for (int j = 0; j < TS_LEN; j++) {
            if (ts.time[j] == 0) {
                continue;
            }
            samples++;
            long l = ts.latency[j];
            if (samples == 1) {
                min = max = l;
            } else {
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
            sum += l;
            if (period == 0 || ts.time[j] < period) {
                period = ts.time[j];
            }
        }
        long avg = 0, mad = 0;
        if (samples > 0) {
            avg = sum / samples;
            period = nowSec - period;
            if (period == 0) {
                period = 1;
            }
            long dev = 0;
            for (int j = 0; j < TS_LEN; j++) {
                if (ts.time[j] != 0) {
                    dev += Math.abs(avg - ts.latency[j]);
                }
            }
            mad = dev / samples;
        }
        return new Stats(samples, avg, min, max, mad, period, ts.max);
    }

    /** LATENCY DOCTOR: Redis's createLatencyReport, with the advice that applies to this server. */
    public String doctor() {
        StringBuilder r = new StringBuilder();
        long threshold = server.config().latencyMonitorThreshold;
        if (events.isEmpty() && threshold == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "
                    + "\"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep "
                    + "space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
        }
        boolean slowlogEnabled = false, slowlogTuning = false, slowlogInspect = false, scheduler = false,
                largeObjects = false, hz = false, relaxFsync = false;
        int advices = 0;
        int eventnum = 0;
        long now = System.currentTimeMillis() / 1000;
        for (Map.Entry<String, Series> e : events.entrySet()) {
            String event = e.getKey();
            eventnum++;
            if (eventnum == 1) {
                r.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
            }
            Stats ls = analyze(e.getValue(), now);
            r.append(String.format(Locale.ROOT,
                    "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
                    eventnum, event, ls.samples(), ls.avg(), ls.mad(), (double) ls.period() / ls.samples(), e.getValue().max));
            switch (event.toLowerCase(Locale.ROOT)) {
                case "command" -> {
                    long slower = server.config().slowlogLogSlowerThan;
                    if (slower < 0) {
                        slowlogEnabled = true;
                        advices++;
                    } else if (slower / 1000 > threshold) {
                        slowlogTuning = true;
                        advices++;
                    }
                    slowlogInspect = true;
                    largeObjects = true;
                    advices += 2;
                }
                case "fast-command" -> {
                    scheduler = true;
                    advices++;
                }
                case "expire-cycle" -> {
                    hz = true;
                    largeObjects = true;
                    advices += 2;
                }
                case "eviction-del" -> {
                    largeObjects = true;
                    advices++;
                }
                case "aof-fsync-always" -> {
                    relaxFsync = true;
                    advices++;
                }
                default -> { }
            }
            r.append('\n');
        }
        if (eventnum == 0 && advices == 0) {
            r.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                    + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        } else if (eventnum > 0 && advices == 0) {
            r.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis "
                    + "community to get some help, providing this report in your help request.\n");
        } else {
            r.append("\nI have a few advices for you:\n\n");
            if (slowlogEnabled) {
                r.append("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log "
                        + "Redis feature using the command 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000)
                        .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
            }
            if (slowlogTuning) {
                r.append("- Your current Slow Log configuration only logs events that are slower than your configured latency "
                        + "monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000).append("'.\n");
            }
            if (slowlogInspect) {
                r.append("- Check your Slow Log to understand what are the commands you are running which are too slow to "
                        + "execute. Please check https://redis.io/commands/slowlog for more information.\n");
            }
            if (scheduler) {
                r.append("- The system is slow to execute Redis code paths not containing system calls. This usually means the "
                        + "system does not provide Redis CPU time to run for long periods. You should try to:\n"
                        + "  1) Lower the system load.\n"
                        + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                        + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                        + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                        + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using "
                        + "Jemalloc. However this may create fragmentation problems.\n");
            }
            if (relaxFsync && "always".equals(server.config().appendfsync)) {
                r.append("- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, "
                        + "if possible try to relax the fsync policy to 'onesec'.\n");
            }
            if (hz && server.config().hz < 100) {
                r.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                        + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
            }
            if (largeObjects) {
                r.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. "
                        + "If you have very large objects that are often deleted, expired, or evicted, try to fragment those "
                        + "objects into multiple smaller objects.\n");
            }
        }
        return r.toString();
    }

    /** LATENCY GRAPH: Redis's latencyCommandGenSparkeline (80 columns, 4 rows, filled). */
    public static String graph(String event, Series ts) {
        List<Long> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long min = 0, max = 0;
        long now = System.currentTimeMillis() / 1000;
        for (long[] s : samples(ts)) {
            if (values.isEmpty()) {
                min = max = s[1];
            } else {
                max = Math.max(max, s[1]);
                min = Math.min(min, s[1]);
            }
            long elapsed = now - s[0];
            String label = elapsed < 60 ? elapsed + "s" : elapsed < 3600 ? elapsed / 60 + "m"
                    : elapsed < 86400 ? elapsed / 3600 + "h" : elapsed / 86400 + "d";
            values.add(s[1]);
            labels.add(label);
        }
        StringBuilder g = new StringBuilder();
        g.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(ts.max).append(" ms)\n");
        g.append("-".repeat(GRAPH_COLS)).append('\n');
        Sparkline.render(g, values, labels, GRAPH_COLS, 4);
        return g.toString();
    }

    /** Redis's sparkline.c, filled variant, linear scale. */
    static final class Sparkline {
        private static final String CHARSET_FILL = "_o#";
        private static final int LABEL_MARGIN_TOP = 1;

        static void render(StringBuilder out, List<Long> values, List<String> labels, int columns, int rows) {
            if (values.isEmpty()) {
                return;
            }
            long min = values.get(0), max = values.get(0);
            for (long v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (int j = 0; j < values.size(); j += columns) {
                int sublen = Math.min(columns, values.size() - j);
                if (j != 0) {
                    out.append('\n');
                }
                renderRange(out, values, labels, min, max, rows, j, sublen);
            }
        }

        private static void renderRange(StringBuilder out, List<Long> values, List<String> labels, long min, long max,
                                        int rows, int offset, int len) {
            double relmax = max - min;
            int charsetLen = CHARSET_FILL.length();
            int steps = charsetLen * rows;
            if (relmax == 0) {
                relmax = 1;
            }
            int row = 0;
            char[] chars = new char[len];
            boolean loop = true;
            while (loop) {
                loop = false;
                java.util.Arrays.fill(chars, ' ');
                for (int j = 0; j < len; j++) {
                    double relval = values.get(j + offset) - min;
                    int step = (int) ((int) (relval * steps) / relmax); // (int) binds before the division, as in sparkline.c
                    if (step < 0) {
                        step = 0;
                    }
                    if (step >= steps) {
                        step = steps - 1;
                    }
                    if (row < rows) {
                        int charidx = step - ((rows - row - 1) * charsetLen);
                        loop = true;
                        if (charidx >= 0 && charidx < charsetLen) {
                            chars[j] = CHARSET_FILL.charAt(charidx);
                        } else if (charidx >= charsetLen) {
                            chars[j] = '|';
                        }
                    } else {
                        if (row - rows < LABEL_MARGIN_TOP) {
                            loop = true;
                            break;
                        }
                        String label = labels.get(j + offset);
                        int labelChar = row - rows - LABEL_MARGIN_TOP;
                        if (label.length() > labelChar) {
                            loop = true;
                            chars[j] = label.charAt(labelChar);
                        }
                    }
                }
                if (loop) {
                    row++;
                    out.append(chars);
                    out.append('\n');
                }
            }
        }
    }
}
