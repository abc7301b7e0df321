package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Client;
import dev.keydb.server.Server;
import dev.keydb.server.ServerStats;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.Database;
import dev.keydb.storage.Keyspace;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...] as Redis 7.0 (server.c genRedisInfoString): sections in Redis's order,
 * each headed {@code # Name}, lines {@code field:value} ending in CRLF, a blank line between
 * sections. Without arguments the default sections; {@code all} adds commandstats;
 * {@code everything} is the same here (no modules). Unknown section names are ignored.
 *
 * <p>Fields report what this server really does. Where a Redis feature does not exist here
 * and the figure is zero by construction (no fork, no replicas yet) the field says 0; figures
 * we cannot measure are left out rather than invented. JVM-specific figures carry a
 * {@code jvm_} prefix.
 */
public final class InfoCommand implements CommandFamily {
    /** One INFO section: appends its lines. */
    @FunctionalInterface
    private interface Section {
        void render(Server s, Lines out);
    }

    private static final Map<String, Section> SECTIONS = new LinkedHashMap<>();
    private static final Set<String> NOT_DEFAULT = Set.of("commandstats", "latencystats");
    private static final Map<String, String> TITLES = Map.of("cpu", "CPU");

    static {
        SECTIONS.put("server", InfoCommand::server);
        SECTIONS.put("clients", InfoCommand::clients);
        SECTIONS.put("memory", InfoCommand::memory);
        SECTIONS.put("persistence", InfoCommand::persistence);
        SECTIONS.put("stats", InfoCommand::stats);
        SECTIONS.put("replication", InfoCommand::replication);
        SECTIONS.put("cpu", InfoCommand::cpu);
        SECTIONS.put("modules", (s, out) -> { });
        SECTIONS.put("commandstats", InfoCommand::commandstats);
        SECTIONS.put("errorstats", InfoCommand::errorstats);
        SECTIONS.put("latencystats", InfoCommand::latencystats);
        SECTIONS.put("cluster", (s, out) -> out.add("cluster_enabled", 0));
        SECTIONS.put("keyspace", InfoCommand::keyspace);
    }

    @Override
    public void register(CommandTable t) {
        t.add(command("info", -1).flags(LOADING, STALE).acl("dangerous").group("server")
                .doc("1.0.0", "O(1)", "Get information and statistics about the server").run(this::info));
    }

    private void info(CommandContext c) {
        String[] args = new String[c.argc() - 1];
        for (int i = 1; i < c.argc(); i++) {
            args[i - 1] = c.argString(i);
        }
        c.reply().verbatim(render(c.server(), args));
    }

    /** The INFO text for the given section arguments (none: the default sections). */
    public static String render(Server server, String... args) {
        Set<String> wanted = new LinkedHashSet<>();
        if (args.length == 0) {
            addDefault(wanted);
        }
        for (String a : args) {
            String name = a.toLowerCase(Locale.ROOT);
            switch (name) {
                case "default" -> addDefault(wanted);
                case "all", "everything" -> wanted.addAll(SECTIONS.keySet());
                default -> wanted.add(name);
            }
        }
        Lines out = new Lines();
        for (Map.Entry<String, Section> e : SECTIONS.entrySet()) {
            if (wanted.contains(e.getKey())) {
                out.header(TITLES.getOrDefault(e.getKey(), capitalize(e.getKey())));
                e.getValue().render(server, out);
            }
        }
        return out.toString();
    }

    private static void addDefault(Set<String> wanted) {
        for (String s : SECTIONS.keySet()) {
            if (!NOT_DEFAULT.contains(s)) {
                wanted.add(s);
            }
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---------------------------------------------------------------- sections

    private static void server(Server s, Lines out) {
        ServerConfig cfg = s.config();
        long now = System.currentTimeMillis();
        Instant instant = Instant.now();
        long uptime = (now - s.startMs()) / 1000;
        out.add("redis_version", Server.VERSION);
        out.add("redis_git_sha1", "00000000");
        out.add("redis_git_dirty", 0);
        out.add("redis_build_id", buildId());
        out.add("redis_mode", "standalone");
        out.add("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
        out.add("arch_bits", 64);
        out.add("monotonic_clock", "POSIX clock_gettime");
        out.add("multiplexing_api", s.nativeTransport() ? "epoll" : "nio");
        out.add("atomicvar_api", "java-atomics");
        out.add("gcc_version", "0.0.0"); // no C compiler built this server: Redis's value when it is not gcc
        out.add("java_version", Runtime.version().toString());
        out.add("java_vm", System.getProperty("java.vm.name", "") + " (" + System.getProperty("java.vm.vendor", "") + ")");
        out.add("process_id", ProcessHandle.current().pid());
        out.add("process_supervised", "no");
        out.add("run_id", s.runId());
        out.add("tcp_port", s.port());
        out.add("server_time_usec", instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000);
        out.add("uptime_in_seconds", uptime);
        out.add("uptime_in_days", uptime / 86400);
        out.add("hz", cfg.hz);
        out.add("configured_hz", cfg.hz);
        out.add("lru_clock", dev.keydb.storage.AccessClock.seconds(now));
        out.add("executable", ProcessHandle.current().info().command().orElse(""));
        out.add("config_file", cfg.configFile);
        out.add("io_threads_active", 0);
        out.add("server_threads", cfg.serverThreads);
    }

    private static void clients(Server s, Lines out) {
        long maxIn = 0, maxOut = 0;
        for (Client c : s.clients().all()) {
            maxIn = Math.max(maxIn, c.queryBufferBytes());
            maxOut = Math.max(maxOut, c.outputBufferBytes());
        }
        out.add("connected_clients", s.clients().count());
        out.add("cluster_connections", 0);
        out.add("maxclients", s.config().maxclients);
        out.add("client_recent_max_input_buffer", maxIn);
        out.add("client_recent_max_output_buffer", maxOut);
        out.add("blocked_clients", s.blockedClients().count());
        out.add("tracking_clients", s.tracking().clientCount());
        out.add("clients_in_timeout_table", 0);
    }

    /**
     * Redis's memory fields with the JVM's figures: used_memory is what maxmemory compares (see
     * {@link dev.keydb.server.MaxMemory}): the overhead (memory in use at start-up, the key
     * tables' slots, client buffers, the AOF buffer) plus the dataset (every key and value as
     * MEMORY USAGE estimates them). The heap itself, garbage included, is allocator_allocated;
     * the allocator_* trio is heap used / heap committed / RSS.
     */
    private static void memory(Server s, Lines out) {
        long heapUsed = ServerStats.usedMemory();
        long rss = residentSetSize();
        long total = totalSystemMemory();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long maxmemory = s.config().maxmemory;
        long clientBuffers = s.maxMemory().clientBuffersNow();
        long aofBuffer = s.aof().bufferedBytes();
        long startup = s.startupMemory();
        long used = s.maxMemory().used(clientBuffers);
        long dataset = s.keyspace().datasetBytes();
        long overhead = used - dataset;
        long peak = s.stats().usedMemoryPeak(used);
        var scripts = s.scripts();
        var functions = scripts.functions();
        long vmEval = scripts.evalVmBytes(), vmFunctions = functions.vmBytes();
        long scriptsEval = scripts.scriptBodyBytes(), functionsCode = functions.codeBytes();
        long active = heap.getCommitted();
        out.add("used_memory", used);
        out.add("used_memory_human", human(used));
        if (rss > 0) {
            out.add("used_memory_rss", rss);
            out.add("used_memory_rss_human", human(rss));
        }
        out.add("used_memory_peak", peak);
        out.add("used_memory_peak_human", human(peak));
        out.add("used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0.0 : used * 100.0 / peak));
        out.add("used_memory_overhead", overhead);
        out.add("used_memory_startup", startup);
        out.add("used_memory_dataset", dataset);
        out.add("used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%",
                used - startup <= 0 ? 0.0 : dataset * 100.0 / (used - startup)));
        out.add("allocator_allocated", heapUsed);
        out.add("allocator_active", active);
        out.add("allocator_resident", Math.max(rss, 0));
        if (total > 0) {
            out.add("total_system_memory", total);
            out.add("total_system_memory_human", human(total));
        }
        out.add("used_memory_lua", vmEval);
        out.add("used_memory_vm_eval", vmEval);
        out.add("used_memory_lua_human", human(vmEval));
        out.add("used_memory_scripts_eval", scriptsEval);
        out.add("number_of_cached_scripts", scripts.scriptCount());
        out.add("number_of_functions", functions.functionCount());
        out.add("number_of_libraries", functions.libraryCount());
        out.add("used_memory_vm_functions", vmFunctions);
        out.add("used_memory_vm_total", vmEval + vmFunctions);
        out.add("used_memory_vm_total_human", human(vmEval + vmFunctions));
        out.add("used_memory_functions", functionsCode);
        out.add("used_memory_scripts", scriptsEval + functionsCode);
        out.add("used_memory_scripts_human", human(scriptsEval + functionsCode));
        out.add("maxmemory", maxmemory);
        out.add("maxmemory_human", human(maxmemory));
        out.add("maxmemory_policy", s.config().maxmemoryPolicy);
        out.add("allocator_frag_ratio", ratio(active, heapUsed));
        out.add("allocator_frag_bytes", active - heapUsed);
        if (rss > 0) {
            out.add("allocator_rss_ratio", ratio(rss, active));
            out.add("allocator_rss_bytes", rss - active);
            out.add("rss_overhead_ratio", "1.00"); // the allocator's resident set is the process's
            out.add("rss_overhead_bytes", 0);
        }
        if (rss > 0 && used > 0) {
            out.add("mem_fragmentation_ratio", ratio(rss, used));
            out.add("mem_fragmentation_bytes", rss - used);
        }
        out.add("mem_not_counted_for_evict", aofBuffer);
        out.add("mem_replication_backlog", 0);
        out.add("mem_total_replication_buffers", 0);
        out.add("mem_clients_slaves", 0);
        out.add("mem_clients_normal", clientBuffers);
        out.add("mem_cluster_links", 0);
        out.add("mem_aof_buffer", aofBuffer);
        out.add("mem_allocator", "jvm-" + collectorName());
        out.add("active_defrag_running", 0); // the collector compacts; there is no active defrag
        out.add("jvm_heap_committed", heap.getCommitted());
        out.add("jvm_heap_max", heap.getMax());
        long gcCount = 0, gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        out.add("jvm_gc_collections", gcCount);
        out.add("jvm_gc_time_ms", gcMillis);
        // Freed memory goes back through the collector, never on the command path.
        out.add("lazyfree_pending_objects", 0);
        out.add("lazyfreed_objects", 0);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b <= 0 ? 0.0 : (double) a / b);
    }

    private static void persistence(Server s, Lines out) {
        // The JVM never forks: the cow figures are the values copied on write for an open snapshot.
        out.add("loading", 0);
        out.add("async_loading", 0);
        long cow = s.persistence().bgsaveInProgress() ? s.keyspace().copiedBytes() : 0;
        out.add("current_cow_peak", cow);
        out.add("current_cow_size", cow);
        out.add("current_cow_size_age", 0);
        out.add("current_fork_perc", "0.00");
        out.add("current_save_keys_processed", 0);
        out.add("current_save_keys_total", 0);
        out.add("rdb_changes_since_last_save", s.persistence().changesSinceLastSave());
        out.add("rdb_bgsave_in_progress", s.persistence().bgsaveInProgress() ? 1 : 0);
        out.add("rdb_last_save_time", s.persistence().lastSave());
        out.add("rdb_last_bgsave_status", s.persistence().lastBgsaveOk() ? "ok" : "err");
        out.add("rdb_last_bgsave_time_sec", s.persistence().lastBgsaveTimeSec());
        out.add("rdb_current_bgsave_time_sec", s.persistence().currentBgsaveTimeSec());
        out.add("rdb_saves", s.persistence().saves());
        out.add("rdb_last_cow_size", s.persistence().lastCowSize());
        out.add("rdb_last_load_keys_expired", s.persistence().lastLoadKeysExpired());
        out.add("rdb_last_load_keys_loaded", s.persistence().lastLoadKeysLoaded());
        s.aof().info(out::add);
    }

    private static void stats(Server s, Lines out) {
        ServerStats st = s.stats();
        out.add("total_connections_received", st.connectionsReceived.get());
        out.add("total_commands_processed", st.commandsProcessed.sum());
        out.add("instantaneous_ops_per_sec", st.instantaneousOps());
        out.add("total_net_input_bytes", st.netInputBytes.sum());
        out.add("total_net_output_bytes", st.netOutputBytes.sum());
        out.add("total_net_repl_input_bytes", 0);
        out.add("total_net_repl_output_bytes", 0);
        out.add("instantaneous_input_kbps", kbps(st.instantaneousInputBytes()));
        out.add("instantaneous_output_kbps", kbps(st.instantaneousOutputBytes()));
        out.add("instantaneous_input_repl_kbps", "0.00");
        out.add("instantaneous_output_repl_kbps", "0.00");
        out.add("rejected_connections", st.rejectedConnections.get());
        out.add("sync_full", 0);
        out.add("sync_partial_ok", 0);
        out.add("sync_partial_err", 0);
        out.add("expired_keys", s.keyspace().expiredKeys());
        out.add("expired_stale_perc", String.format(Locale.ROOT, "%.2f", s.keyspace().expiredStalePercent()));
        out.add("expired_time_cap_reached_count", s.keyspace().expireTimeCapReached());
        out.add("expire_cycle_cpu_milliseconds", s.keyspace().expireCycleMillis());
        out.add("evicted_keys", s.maxMemory().evictedKeys());
        out.add("evicted_clients", s.clientEviction().evictedClients());
        out.add("total_eviction_exceeded_time", s.maxMemory().totalOverLimitMs());
        out.add("current_eviction_exceeded_time", s.maxMemory().currentOverLimitMs());
        out.add("keyspace_hits", st.keyspaceHits);
        out.add("keyspace_misses", st.keyspaceMisses);
        out.add("pubsub_channels", s.pubsub().channelCount());
        out.add("pubsub_patterns", s.pubsub().patternCount());
        out.add("pubsubshard_channels", s.pubsub().shardChannelCount());
        // No fork: the figures of the forkless snapshot that stands in for it (its pause under the lock).
        out.add("latest_fork_usec", s.persistence().latestSnapshotMicros());
        out.add("total_forks", s.persistence().snapshots());
        out.add("migrate_cached_sockets", 0);
        out.add("slave_expires_tracked_keys", 0);
        out.add("active_defrag_hits", 0);
        out.add("active_defrag_misses", 0);
        out.add("active_defrag_key_hits", 0);
        out.add("active_defrag_key_misses", 0);
        out.add("total_active_defrag_time", 0);
        out.add("current_active_defrag_time", 0);
        out.add("tracking_total_keys", s.tracking().totalKeys());
        out.add("tracking_total_items", s.tracking().totalItems());
        out.add("tracking_total_prefixes", s.tracking().totalPrefixes());
        out.add("unexpected_error_replies", 0); // errors in replies to a master or the AOF loader: neither exists
        out.add("total_error_replies", st.totalErrorReplies);
        out.add("dump_payload_sanitizations", 0);
        out.add("total_reads_processed", st.readsProcessed.sum());
        out.add("total_writes_processed", st.writesProcessed.sum());
        out.add("io_threaded_reads_processed", 0);
        out.add("io_threaded_writes_processed", 0);
        out.add("reply_buffer_shrinks", 0);
        out.add("reply_buffer_expands", 0);
        out.add("client_query_buffer_limit_disconnections", st.clientQueryBufferLimitDisconnections.get());
    }

    private static void replication(Server s, Lines out) {
        out.add("role", "master");
        out.add("connected_slaves", 0);
        out.add("master_failover_state", "no-failover");
        out.add("master_replid", s.replId());
        out.add("master_replid2", "0000000000000000000000000000000000000000");
        out.add("master_repl_offset", 0);
        out.add("second_repl_offset", -1);
        out.add("repl_backlog_active", 0);
        out.add("repl_backlog_size", 1048576); // Redis's default repl-backlog-size: no backlog exists yet
        out.add("repl_backlog_first_byte_offset", 0);
        out.add("repl_backlog_histlen", 0);
    }

    private static void cpu(Server s, Lines out) {
        double[] userSys = cpuSeconds();
        out.add("used_cpu_sys", String.format(Locale.ROOT, "%.6f", userSys[1]));
        out.add("used_cpu_user", String.format(Locale.ROOT, "%.6f", userSys[0]));
        out.add("used_cpu_sys_children", "0.000000");
        out.add("used_cpu_user_children", "0.000000");
        double[] mainThreads = s.commandThreadsCpuSeconds();
        out.add("used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", mainThreads[1]));
        out.add("used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", mainThreads[0]));
    }

    private static void commandstats(Server s, Lines out) {
        for (CommandSpec c : s.commands().allWithSubcommands()) {
            if (c.calls() == 0 && c.failedCalls() == 0 && c.rejectedCalls() == 0) {
                continue;
            }
            out.line("cmdstat_" + c.fullName() + ":calls=" + c.calls() + ",usec=" + c.usec()
                    + ",usec_per_call=" + String.format(Locale.ROOT, "%.2f", c.calls() == 0 ? 0.0 : (double) c.usec() / c.calls())
                    + ",rejected_calls=" + c.rejectedCalls() + ",failed_calls=" + c.failedCalls());
        }
    }

    private static void errorstats(Server s, Lines out) {
        for (Map.Entry<String, Long> e : s.stats().errorCounts().entrySet()) {
            out.line("errorstat_" + e.getKey() + ":count=" + e.getValue());
        }
    }

    /** Per-command latency percentiles (latency-tracking), Redis's fillPercentileDistributionLatencies. */
    private static void latencystats(Server s, Lines out) {
        if (!s.config().latencyTracking) {
            return;
        }
        double[] percentiles = s.config().latencyTrackingInfoPercentiles;
        for (CommandSpec c : s.commands().allWithSubcommands()) {
            dev.keydb.server.LatencyHistogram h = c.latencyHistogram();
            if (h == null) {
                continue;
            }
            StringBuilder b = new StringBuilder("latency_percentiles_usec_").append(c.fullName()).append(':');
            for (int j = 0; j < percentiles.length; j++) {
                b.append('p').append(ServerConfig.percentileText(percentiles[j])).append('=')
                        .append(String.format(Locale.ROOT, "%.3f", h.valueAtPercentile(percentiles[j]) / 1000.0));
                if (j != percentiles.length - 1) {
                    b.append(',');
                }
            }
            out.line(b.toString());
        }
    }

    private static void keyspace(Server s, Lines out) {
        Keyspace ks = s.keyspace();
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                // avg_ttl needs sampling in the expiry cycle that the keyspace does not do yet.
                out.line("db" + i + ":keys=" + db.size() + ",expires=" + db.volatileCount() + ",avg_ttl=0");
            }
        }
    }

    // ---------------------------------------------------------------- measurements

    /** Resident set size from /proc/self/status (VmRSS), 0 where there is no procfs. */
    static long residentSetSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return 0;
    }

    /** {user, system} CPU seconds of the process: /proc/self/stat, else the JVM's total as user time. */
    static double[] cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // After "pid (comm) " the fields start at state (field 3); utime is field 14, stime 15, in USER_HZ ticks.
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (IOException | RuntimeException ignored) {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return new double[] {Math.max(0, sun.getProcessCpuTime()) / 1e9, 0};
            }
            return new double[] {0, 0};
        }
    }

    static long totalSystemMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 0;
    }

    /** The collector's short name from its MX beans: G1, ZGC, Shenandoah, Parallel, Serial, Epsilon. */
    static String collectorName() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String n = gc.getName();
            if (n.startsWith("G1")) {
                return "G1";
            }
            if (n.startsWith("ZGC")) {
                return "ZGC";
            }
            if (n.startsWith("Shenandoah")) {
                return "Shenandoah";
            }
            if (n.startsWith("PS ")) {
                return "Parallel";
            }
            if (n.equals("Copy") || n.equals("MarkSweepCompact")) {
                return "Serial";
            }
            if (n.startsWith("Epsilon")) {
                return "Epsilon";
            }
        }
        return "unknown";
    }

    private static String machine() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private static String buildId() {
        long h = 1125899906842597L;
        for (char ch : (Server.VERSION + "/" + Runtime.version()).toCharArray()) {
            h = 31 * h + ch;
        }
        return Long.toHexString(h);
    }

    private static String kbps(long bytesPerSec) {
        return String.format(Locale.ROOT, "%.2f", bytesPerSec / 1024.0);
    }

    /** Redis's bytesToHuman: B below 1 KiB, then K, M, G, T, P with two decimals. */
    static String human(long n) {
        double d = n;
        if (n < 1024) {
            return n + "B";
        }
        String units = "KMGTP";
        for (int i = 0; i < units.length(); i++) {
            d /= 1024;
            if (d < 1024 || i == units.length() - 1) {
                return String.format(Locale.ROOT, "%.2f%c", d, units.charAt(i));
            }
        }
        return n + "B";
    }

    /** INFO text under construction: section headers, field lines, blank lines between sections. */
    private static final class Lines {
        private final StringBuilder b = new StringBuilder(4096);
        private boolean any;

        void header(String title) {
            if (any) {
                b.append("\r\n");
            }
            any = true;
            b.append("# ").append(title).append("\r\n");
        }

        void add(String field, Object value) {
            b.append(field).append(':').append(value).append("\r\n");
        }

        void line(String text) {
            b.append(text).append("\r\n");
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
