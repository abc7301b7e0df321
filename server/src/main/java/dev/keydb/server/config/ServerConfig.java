package dev.keydb.server.config;

import static dev.keydb.server.config.Directives.bool;
import static dev.keydb.server.config.Directives.enumeration;
import static dev.keydb.server.config.Directives.list;
import static dev.keydb.server.config.Directives.memory;
import static dev.keydb.server.config.Directives.multi;
import static dev.keydb.server.config.Directives.number;
import static dev.keydb.server.config.Directives.string;

import dev.keydb.server.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The server's settings as typed fields that hot paths read directly, each declared once as a
 * directive in the constructor with Redis's name, default and bounds. Fields are volatile:
 * CONFIG SET runs under the keyspace lock but event loops read some of them outside it.
 *
 * <p>Every directive takes effect or says why it cannot: values the server cannot honour yet
 * (persistence, daemonizing, Redis's io-threads) are refused with a reason instead of being
 * stored and ignored. conf/keydb.conf documents each one.
 */
public final class ServerConfig {
    private final ConfigRegistry registry = new ConfigRegistry();

    // Network
    public volatile int port;
    public volatile List<String> bind = List.of("127.0.0.1", "-::1");
    public volatile boolean protectedMode;
    public volatile int tcpBacklog;
    public volatile long timeoutSeconds;
    public volatile long tcpKeepalive;
    // Threads and cron
    public volatile int serverThreads;

    /**
     * Half the cores, 1 to 4: commands run under one keyspace lock, so event loops beyond that
     * mostly wait for it, and clients need cores too. Measured on 2 cores (bench/RESULTS.md):
     * one loop gives 1.04x the throughput of two and a quarter of their -P 16 p99.
     */
    static int defaultServerThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }
    public volatile int hz;
    /** busy-reply-threshold (alias lua-time-limit): ms a script runs before other clients get -BUSY. */
    public volatile long busyReplyThreshold;
    // General
    public volatile int databases;
    public volatile String loglevel = "notice";
    public volatile String logfile = "";
    public volatile String pidfile = "";
    public volatile String dir = "./data";
    public volatile String enableDebugCommand = "no";
    public volatile String enableProtectedConfigs = "no";
    // Security and limits
    public volatile String requirepass = "";
    public volatile long maxclients;
    public volatile long protoMaxBulkLen;
    public volatile long clientQueryBufferLimit;
    // Memory
    public volatile long maxmemory;
    public volatile String maxmemoryPolicy = "noeviction";
    public volatile long maxmemorySamples;
    public volatile long maxmemoryEvictionTenacity;
    /** maxmemory-clients: bytes, or a percentage of maxmemory stored negated (as Redis does); 0 is no limit. */
    public volatile long maxmemoryClients;
    public volatile long lfuLogFactor;
    public volatile long lfuDecayTime;
    /** What CONFIG SET of the policy or the LFU tuning does at run time (the keyspace's access clock follows). */
    public volatile Directive.Apply evictionApply = () -> { };
    /** Keys the client-side caching table remembers at most (0 = no limit). */
    public volatile long trackingTableMaxKeys;
    public volatile boolean lazyfreeLazyEviction;
    public volatile boolean lazyfreeLazyExpire;
    public volatile boolean lazyfreeLazyServerDel;
    public volatile boolean lazyfreeLazyUserDel;
    public volatile boolean lazyfreeLazyUserFlush;
    public volatile boolean replicaLazyFlush;
    // Persistence (names and files are kept for when RDB and AOF arrive)
    public volatile String dbfilename = "dump.rdb";
    public volatile SavePoints savePoints = SavePoints.NONE;
    /** KeyDB's OBJECT LASTMODIFIED needs a write time per key: 4 bytes a slot, so it is opt-in. */
    public volatile boolean lastmodifiedTracking;
    public volatile boolean stopWritesOnBgsaveError = true;
    /** Microseconds a background save sleeps after each key (Redis's test knob to make saves slow). */
    public volatile long rdbKeySaveDelay;
    public volatile boolean rdbSaveIncrementalFsync = true;
    public volatile String appendfilename = "appendonly.aof";
    public volatile String appenddirname = "appendonlydir";
    public volatile String appendfsync = "everysec";
    public volatile boolean appendonly;
    /** What CONFIG SET appendonly does at run time (the server starts or stops its AOF). */
    public volatile Directive.Apply appendonlyApply = () -> { };
    public volatile long autoAofRewritePercentage = 100;
    public volatile long autoAofRewriteMinSize = 64L << 20;
    public volatile boolean aofLoadTruncated = true;
    public volatile boolean aofUseRdbPreamble = true;
    public volatile boolean aofTimestampEnabled;
    public volatile boolean rdbcompression = true;
    public volatile boolean rdbchecksum = true;

    public volatile boolean activeExpireEnabled = true;
    /** The config file the server was started with (absolute), or "" — CONFIG REWRITE's target. */
    public volatile String configFile = "";
    /** list-max-listpack-size: read when a list is created (an existing list keeps its node limit, as Redis). */
    public volatile long streamNodeMaxBytes = 4096;
    public volatile long streamNodeMaxEntries = 100;
    public volatile int listMaxListpackSize = -2;
    public volatile int hashMaxListpackEntries;
    public volatile int hashMaxListpackValue;
    public volatile int setMaxIntsetEntries;
    /** zset-max-listpack-entries/-value, referenced by every sorted set (see ZSetValue.Limits). */
    public final dev.keydb.storage.types.ZSetValue.Limits zsetLimits = new dev.keydb.storage.types.ZSetValue.Limits();
    /** client-output-buffer-limit, per client class. */
    public final ClientOutputBufferLimits clientOutputBufferLimits = new ClientOutputBufferLimits();
    public volatile long hllSparseMaxBytes = dev.keydb.storage.types.HyperLogLog.DEFAULT_SPARSE_MAX_BYTES;
    /** notify-keyspace-events as KeyspaceEvents flag bits. */
    public volatile int notifyKeyspaceEvents;
    // Operator's toolbox: SLOWLOG, LATENCY, INFO latencystats
    public volatile long slowlogLogSlowerThan;
    public volatile long slowlogMaxLen;
    public volatile long latencyMonitorThreshold;
    public volatile boolean latencyTracking;
    public volatile double[] latencyTrackingInfoPercentiles = {50, 99, 99.9};

    public ServerConfig() {
        ConfigRegistry r = registry;
        // Network
        r.add(number("port", false, 0, 65535, 6379, () -> port, v -> port = (int) v));
        r.add(multi("bind", false, "127.0.0.1 -::1", () -> String.join(" ", bind), words -> {
            if (words.isEmpty() || (words.size() == 1 && words.get(0).isEmpty())) {
                throw new ConfigException("bind needs at least one address (KeyDB-JVM has no unix socket to fall back to)");
            }
            if (words.size() > 16) {
                throw new ConfigException("Too many bind addresses specified.");
            }
            bind = List.copyOf(words);
        }));
        r.add(bool("protected-mode", true, true, () -> protectedMode, v -> protectedMode = v));
        r.add(number("tcp-backlog", false, 0, Integer.MAX_VALUE, 511, () -> tcpBacklog, v -> tcpBacklog = (int) v));
        r.add(number("timeout", true, 0, Integer.MAX_VALUE, 0, () -> timeoutSeconds, v -> timeoutSeconds = v));
        // Read when the listeners are set up: above 0 turns SO_KEEPALIVE on for every connection
        // (probe timing is the kernel's). Immutable, as a change would not reach the listeners.
        r.add(number("tcp-keepalive", false, 0, Integer.MAX_VALUE, 300, () -> tcpKeepalive, v -> tcpKeepalive = v));
        // Threads and cron
        r.add(number("server-threads", false, 1, 64, defaultServerThreads(),
                () -> serverThreads, v -> serverThreads = (int) v));
        r.add(number("io-threads", false, 1, 128, 1, () -> 1, v -> only(v == 1,
                "KeyDB-JVM reads, parses and writes on server-threads event loops; set server-threads instead (io-threads must be 1)")));
        // Redis accepts any hz and clamps it into 1..500 (CONFIG_MIN_HZ..CONFIG_MAX_HZ); the cron reads it every tick.
        r.add(number("hz", true, 0, Integer.MAX_VALUE, 10, () -> hz, v -> hz = (int) Math.max(1, Math.min(500, v))));
        // General
        r.add(bool("daemonize", false, false, () -> false, v -> only(!v,
                "argument must be 'no': the JVM cannot fork into the background; run it under a supervisor or with nohup")));
        r.add(enumeration("supervised", false, "no", list("upstart", "systemd", "auto", "no"), () -> "no", v -> only(v.equals("no"),
                "argument must be 'no': readiness notification is not implemented; use systemd Type=simple")));
        r.add(number("databases", false, 1, Integer.MAX_VALUE, 16, () -> databases, v -> databases = (int) v));
        r.add(enumeration("loglevel", true, "notice", list("debug", "verbose", "notice", "warning", "nothing"),
                () -> loglevel, v -> loglevel = v).onApply(() -> applyLog()));
        r.add(string("logfile", false, "", () -> logfile, v -> { }, v -> logfile = v));
        r.add(string("pidfile", false, "", () -> pidfile, v -> { }, v -> pidfile = v));
        r.add(string("dir", true, "./data", () -> dir, v -> { }, v -> dir = Path.of(v).toAbsolutePath().normalize().toString())
                .protect().onApply(() -> {
                    if (!Files.isDirectory(Path.of(dir))) {
                        throw new ConfigException("No such file or directory");
                    }
                }));
        r.add(enumeration("enable-protected-configs", false, "no", list("no", "yes", "local"),
                () -> enableProtectedConfigs, v -> enableProtectedConfigs = v));
        r.add(enumeration("enable-debug-command", false, "no", list("no", "yes", "local"),
                () -> enableDebugCommand, v -> enableDebugCommand = v));
        // Security and limits
        r.add(string("requirepass", true, "", () -> requirepass, v -> { }, v -> requirepass = v));
        r.add(number("maxclients", true, 1, 4294967295L, 10000, () -> maxclients, v -> maxclients = v));
        r.add(memory("proto-max-bulk-len", true, 1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024,
                () -> protoMaxBulkLen, v -> protoMaxBulkLen = v));
        r.add(memory("client-query-buffer-limit", true, 1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024,
                () -> clientQueryBufferLimit, v -> clientQueryBufferLimit = v));
        // Memory
        r.add(memory("maxmemory", true, 0, Long.MAX_VALUE, 0, () -> maxmemory, v -> maxmemory = v));
        r.add(enumeration("maxmemory-policy", true, "noeviction",
                list("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu",
                        "allkeys-random", "noeviction"),
                () -> maxmemoryPolicy, v -> maxmemoryPolicy = v).onApply(() -> evictionApply.apply()));
        r.add(number("maxmemory-samples", true, 1, Integer.MAX_VALUE, 5, () -> maxmemorySamples, v -> maxmemorySamples = v));
        r.add(number("maxmemory-eviction-tenacity", true, 0, 100, 10, () -> maxmemoryEvictionTenacity,
                v -> maxmemoryEvictionTenacity = v));
        r.add(string("maxmemory-clients", true, "0",
                () -> maxmemoryClients < 0 ? -maxmemoryClients + "%" : Long.toString(maxmemoryClients),
                ConfigText::memoryOrPercentValue, v -> maxmemoryClients = ConfigText.checkedMemoryOrPercent(v)));
        r.add(number("lfu-log-factor", true, 0, Integer.MAX_VALUE, 10, () -> lfuLogFactor, v -> lfuLogFactor = v)
                .onApply(() -> evictionApply.apply()));
        r.add(number("lfu-decay-time", true, 0, Integer.MAX_VALUE, 1, () -> lfuDecayTime, v -> lfuDecayTime = v)
                .onApply(() -> evictionApply.apply()));
        // The JVM frees memory on the collector's threads, never on the command path: deleting or
        // flushing a large value only drops references, so these behave as "yes" whatever they say.
        r.add(bool("lazyfree-lazy-eviction", true, false, () -> lazyfreeLazyEviction, v -> lazyfreeLazyEviction = v));
        r.add(bool("lazyfree-lazy-expire", true, false, () -> lazyfreeLazyExpire, v -> lazyfreeLazyExpire = v));
        r.add(bool("lazyfree-lazy-server-del", true, false, () -> lazyfreeLazyServerDel, v -> lazyfreeLazyServerDel = v));
        r.add(bool("lazyfree-lazy-user-del", true, false, () -> lazyfreeLazyUserDel, v -> lazyfreeLazyUserDel = v));
        r.add(bool("lazyfree-lazy-user-flush", true, false, () -> lazyfreeLazyUserFlush, v -> lazyfreeLazyUserFlush = v));
        r.add(bool("replica-lazy-flush", true, false, () -> replicaLazyFlush, v -> replicaLazyFlush = v, "slave-lazy-flush"));
        // Persistence. In a config file each "save" line adds points (the first one replaces the defaults), as Redis.
        r.add(multi("save", true, "3600 1 300 100 60 10000", () -> savePoints.toString(), words -> savePoints = SavePoints.parse(words))
                .accumulateInFile().alwaysRewrite());
        r.add(multi("client-output-buffer-limit", true, ClientOutputBufferLimits.DEFAULT, clientOutputBufferLimits::toString,
                clientOutputBufferLimits::set));
        r.add(bool("lastmodified-tracking", false, false, () -> lastmodifiedTracking, v -> lastmodifiedTracking = v));
        r.add(bool("stop-writes-on-bgsave-error", true, true, () -> stopWritesOnBgsaveError, v -> stopWritesOnBgsaveError = v));
        r.add(number("rdb-key-save-delay", true, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, () -> rdbKeySaveDelay, v -> rdbKeySaveDelay = v));
        r.add(bool("rdb-save-incremental-fsync", true, true, () -> rdbSaveIncrementalFsync, v -> rdbSaveIncrementalFsync = v));
        r.add(bool("appendonly", true, false, () -> appendonly, v -> appendonly = v).onApply(() -> appendonlyApply.apply()));
        r.add(enumeration("appendfsync", true, "everysec", list("always", "everysec", "no"), () -> appendfsync, v -> appendfsync = v));
        r.add(string("dbfilename", true, "dump.rdb", () -> dbfilename,
                v -> baseName(v, "dbfilename can't be a path, just a filename"), v -> dbfilename = v).protect());
        r.add(string("appendfilename", false, "appendonly.aof", () -> appendfilename,
                v -> baseName(v, "appendfilename can't be a path, just a filename"), v -> appendfilename = v));
        r.add(string("appenddirname", false, "appendonlydir", () -> appenddirname,
                v -> baseName(v, "appenddirname can't be a path, just a directory name"), v -> appenddirname = v));
        r.add(number("list-max-listpack-size", true, Integer.MIN_VALUE, Integer.MAX_VALUE, -2,
                () -> listMaxListpackSize, v -> listMaxListpackSize = (int) v, "list-max-ziplist-size"));
        // List nodes are never compressed: only 0 is accepted (see ListCommands.checkCompressDepth).
        r.add(string("list-compress-depth", true, "0", () -> "0", dev.keydb.server.commands.ListCommands::checkCompressDepth, v -> { }));
        r.add(number("hash-max-listpack-entries", true, 0, Long.MAX_VALUE, 512, () -> hashMaxListpackEntries, v -> hashMaxListpackEntries = (int) Math.min(v, Integer.MAX_VALUE), "hash-max-ziplist-entries"));
        r.add(memory("hash-max-listpack-value", true, 0, Long.MAX_VALUE, 64, () -> hashMaxListpackValue, v -> hashMaxListpackValue = (int) Math.min(v, Integer.MAX_VALUE), "hash-max-ziplist-value"));
        r.add(number("set-max-intset-entries", true, 0, Long.MAX_VALUE, 512, () -> setMaxIntsetEntries, v -> setMaxIntsetEntries = (int) Math.min(v, Integer.MAX_VALUE)));
        r.add(string("notify-keyspace-events", true, "", () -> dev.keydb.server.KeyspaceEvents.format(notifyKeyspaceEvents),
                v -> only(dev.keydb.server.KeyspaceEvents.parse(v) >= 0, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
                v -> notifyKeyspaceEvents = dev.keydb.server.KeyspaceEvents.parse(v)));
        r.add(number("zset-max-listpack-entries", true, 0, Long.MAX_VALUE, 128, () -> zsetLimits.maxEntries, v -> zsetLimits.maxEntries = v, "zset-max-ziplist-entries"));
        r.add(memory("zset-max-listpack-value", true, 0, Long.MAX_VALUE, 64, () -> zsetLimits.maxValue, v -> zsetLimits.maxValue = v, "zset-max-ziplist-value"));
        r.add(memory("hll-sparse-max-bytes", true, 0, Long.MAX_VALUE, 3000, () -> hllSparseMaxBytes, v -> hllSparseMaxBytes = v));
        r.add(number("slowlog-log-slower-than", true, -1, Long.MAX_VALUE, 10000, () -> slowlogLogSlowerThan, v -> slowlogLogSlowerThan = v));
        r.add(number("slowlog-max-len", true, 0, Long.MAX_VALUE, 128, () -> slowlogMaxLen, v -> slowlogMaxLen = v));
        r.add(number("latency-monitor-threshold", true, 0, Long.MAX_VALUE, 0, () -> latencyMonitorThreshold, v -> latencyMonitorThreshold = v));
        r.add(bool("latency-tracking", true, true, () -> latencyTracking, v -> latencyTracking = v));
        r.add(multi("latency-tracking-info-percentiles", true, "50 99 99.9", () -> percentilesText(latencyTrackingInfoPercentiles), words -> latencyTrackingInfoPercentiles = parsePercentiles(words)));
        r.add(bool("rdbcompression", true, true, () -> rdbcompression, v -> rdbcompression = v));
        r.add(bool("rdbchecksum", false, true, () -> rdbchecksum, v -> rdbchecksum = v));
        r.add(number("tracking-table-max-keys", true, 0, Long.MAX_VALUE, 1000000, () -> trackingTableMaxKeys, v -> trackingTableMaxKeys = v));
        r.add(memory("stream-node-max-bytes", true, 0, Long.MAX_VALUE, 4096, () -> streamNodeMaxBytes, v -> streamNodeMaxBytes = v));
        r.add(number("stream-node-max-entries", true, 0, Long.MAX_VALUE, 100, () -> streamNodeMaxEntries, v -> streamNodeMaxEntries = v));
        r.add(number("busy-reply-threshold", true, 0, Long.MAX_VALUE, 5000, () -> busyReplyThreshold, v -> busyReplyThreshold = v, "lua-time-limit"));
        r.add(number("auto-aof-rewrite-percentage", true, 0, Integer.MAX_VALUE, 100, () -> autoAofRewritePercentage, v -> autoAofRewritePercentage = v));
        r.add(memory("auto-aof-rewrite-min-size", true, 0, Long.MAX_VALUE, 64L << 20, () -> autoAofRewriteMinSize, v -> autoAofRewriteMinSize = v));
        r.add(bool("aof-load-truncated", true, true, () -> aofLoadTruncated, v -> aofLoadTruncated = v));
        r.add(bool("aof-use-rdb-preamble", true, true, () -> aofUseRdbPreamble, v -> aofUseRdbPreamble = v));
        r.add(bool("aof-timestamp-enabled", true, false, () -> aofTimestampEnabled, v -> aofTimestampEnabled = v));
        registry.resetAll();
    }

    /** latency-tracking-info-percentiles: each a number in [0, 100] (Redis's setConfigLatencyTrackingInfoPercentilesOutputOption). */
    private static double[] parsePercentiles(List<String> words) throws ConfigException {
        List<String> w = words.size() == 1 && words.get(0).isEmpty() ? List.of() : words;
        double[] out = new double[w.size()];
        for (int i = 0; i < out.length; i++) {
            Double d = dev.keydb.storage.Numbers.parseDoubleOrNull(w.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (d == null) {
                throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d < 0.0 || d > 100.0) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out[i] = d;
        }
        return out;
    }

    /** Percentiles as Redis prints them: "%f" with trailing zeros (and a trailing dot) removed. */
    public static String percentileText(double p) {
        String s = String.format(java.util.Locale.ROOT, "%f", p);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    private static String percentilesText(double[] ps) {
        StringBuilder b = new StringBuilder();
        for (double p : ps) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(percentileText(p));
        }
        return b.toString();
    }

    public ConfigRegistry registry() {
        return registry;
    }

    /** Whether CONFIG SET may change protected directives for a caller (Redis's allowProtectedAction). */
    public boolean protectedConfigsAllowed(boolean localClient) {
        return enableProtectedConfigs.equals("yes") || (enableProtectedConfigs.equals("local") && localClient);
    }

    private void applyLog() throws ConfigException {
        try {
            Log.configure(loglevel, ""); // "" keeps the current destination
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static void only(boolean accepted, String reason) throws ConfigException {
        if (!accepted) {
            throw new ConfigException(reason);
        }
    }

    private static void baseName(String v, String reason) throws ConfigException {
        if (v.indexOf('/') >= 0 || v.indexOf('\\') >= 0) {
            throw new ConfigException(reason);
        }
    }
}
