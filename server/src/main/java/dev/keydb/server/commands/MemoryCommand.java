package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Client;
import dev.keydb.server.Server;
import dev.keydb.server.ServerStats;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Database;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.MemoryUsage;
import dev.keydb.storage.Numbers;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.Locale;

/**
 * MEMORY USAGE|STATS|DOCTOR|MALLOC-STATS|PURGE|HELP (Redis's object.c memoryCommand) on the
 * JVM. There is no malloc to ask: "allocated" is the heap in use (live data plus garbage not
 * yet collected), "active" the committed heap, "resident" the process RSS; MALLOC-STATS
 * describes the heap pools and collectors instead of jemalloc's arenas, and PURGE requests a
 * garbage collection. MEMORY USAGE estimates a key's footprint from the JVM object layout
 * ({@link MemoryUsage}); it counts every element (the estimate is exact for the layout, so
 * SAMPLES only bounds what Redis would have sampled).
 */
public final class MemoryCommand implements CommandFamily {
    private static final String[] HELP = {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    };

    @Override
    public void register(CommandTable t) {
        String g = "server";
        t.add(command("memory", -2).group(g)
                .doc("4.0.0", "Depends on subcommand.", "A container for memory diagnostics commands")
                .sub(command("doctor", 2)
                        .doc("4.0.0", "O(1)", "Outputs memory problems report").run(this::doctor))
                .sub(command("help", 2).flags(LOADING, STALE)
                        .doc("4.0.0", "O(1)", "Show helpful text about the different subcommands").run(c -> Help.reply(c, "MEMORY", HELP)))
                .sub(command("malloc-stats", 2)
                        .doc("4.0.0", "Depends on how much memory is allocated, could be slow", "Show allocator internal stats")
                        .run(c -> c.reply().verbatim(mallocStats())))
                .sub(command("purge", 2)
                        .doc("4.0.0", "Depends on how much memory is allocated, could be slow", "Ask the allocator to release memory")
                        .run(this::purge))
                .sub(command("stats", 2)
                        .doc("4.0.0", "O(1)", "Show memory usage details").run(this::stats))
                .sub(command("usage", -3).flags(READONLY).keys(2, 2, 1)
                        .doc("4.0.0", "O(N) where N is the number of samples.", "Estimate the memory usage of a key").run(this::usage)));
    }

    private void usage(CommandContext c) {
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "samples") && j + 1 < c.argc()) {
                Long samples = Numbers.parseLongOrNull(c.arg(j + 1));
                if (samples == null) {
                    throw CommandError.NOT_INTEGER;
                }
                if (samples < 0) {
                    throw CommandError.SYNTAX;
                }
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(2);
        Object v = c.db().lookupNoTouch(key, c.now());
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(MemoryUsage.ofKey(key, v));
    }

    private void purge(CommandContext c) {
        System.gc(); // a request: the collector decides (and -XX:+DisableExplicitGC ignores it)
        c.reply().ok();
    }

    /** The figures MEMORY STATS and DOCTOR share (Redis's getMemoryOverheadData). */
    private record Overhead(long peak, long total, long startup, long clientsSlaves, long clientsNormal,
                            long[] dbMain, long[] dbExpires, long overheadTotal, long keys, long heapCommitted, long rss) {
        long net() {
            return Math.max(0, total - startup);
        }

        long dataset() {
            return Math.max(0, total - overheadTotal);
        }
    }

    private Overhead overhead(Server s) {
        long total = s.maxMemory().used();
        long peak = s.stats().usedMemoryPeak(total);
        long startupAllocated = s.startupMemory();
        long slaves = 0, normal = 0;
        for (Client cl : s.clients().all()) {
            long mem = cl.queryBufferBytes() + Math.max(cl.outputBufferBytes(), s.outputLimits().pendingBytes(cl));
            if (s.dispatcher().monitors().contains(cl)) {
                slaves += mem; // Redis accounts monitors with the replicas here
            } else {
                normal += mem;
            }
        }
        Keyspace ks = s.keyspace();
        long[] main = new long[ks.databases()];
        long[] expires = new long[ks.databases()];
        long overheadTotal = startupAllocated + slaves + normal;
        long keys = 0;
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            keys += db.size();
            // Table slots: the value table's four parallel arrays, the expiry table's key, hash and time.
            main[i] = (long) db.size() * MemoryUsage.TABLE_SLOT;
            expires[i] = (long) db.volatileCount() * (4 + 4 + 8);
            overheadTotal += main[i] + expires[i];
        }
        return new Overhead(peak, total, startupAllocated, slaves, normal, main, expires, overheadTotal, keys,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), InfoCommand.residentSetSize());
    }

    private void stats(CommandContext c) {
        Overhead o = overhead(c.server());
        int dbs = 0;
        for (int i = 0; i < o.dbMain().length; i++) {
            if (c.server().keyspace().db(i).size() > 0) {
                dbs++;
            }
        }
        Reply r = c.reply();
        r.map(27 + dbs);
        field(r, "peak.allocated", o.peak());
        field(r, "total.allocated", o.total());
        field(r, "startup.allocated", o.startup());
        field(r, "replication.backlog", 0);
        field(r, "clients.slaves", o.clientsSlaves());
        field(r, "clients.normal", o.clientsNormal());
        field(r, "cluster.links", 0);
        field(r, "aof.buffer", 0);
        field(r, "lua.caches", 0);
        field(r, "functions.caches", 0);
        for (int i = 0; i < o.dbMain().length; i++) {
            if (c.server().keyspace().db(i).size() == 0) {
                continue;
            }
            r.bulk("db." + i);
            r.map(3);
            field(r, "overhead.hashtable.main", o.dbMain()[i]);
            field(r, "overhead.hashtable.expires", o.dbExpires()[i]);
            field(r, "overhead.hashtable.slot-to-keys", 0);
        }
        field(r, "overhead.total", o.overheadTotal());
        field(r, "keys.count", o.keys());
        field(r, "keys.bytes-per-key", o.keys() == 0 ? 0 : o.net() / o.keys());
        field(r, "dataset.bytes", o.dataset());
        r.bulk("dataset.percentage");
        r.doubleValue(o.net() == 0 ? 0 : o.dataset() * 100.0 / o.net());
        r.bulk("peak.percentage");
        r.doubleValue(o.peak() == 0 ? 0 : o.total() * 100.0 / o.peak());
        // allocator.*: the JVM heap stands in for the allocator (used, committed, and the process RSS).
        long rss = o.rss();
        long heapUsed = ServerStats.usedMemory();
        field(r, "allocator.allocated", heapUsed);
        field(r, "allocator.active", o.heapCommitted());
        field(r, "allocator.resident", rss);
        r.bulk("allocator-fragmentation.ratio");
        r.doubleValue(heapUsed == 0 ? 0 : (double) o.heapCommitted() / heapUsed);
        field(r, "allocator-fragmentation.bytes", o.heapCommitted() - heapUsed);
        r.bulk("allocator-rss.ratio");
        r.doubleValue(o.heapCommitted() == 0 ? 0 : (double) rss / o.heapCommitted());
        field(r, "allocator-rss.bytes", rss - o.heapCommitted());
        r.bulk("rss-overhead.ratio");
        r.doubleValue(1.0); // the process RSS is what "allocator.resident" already reports
        field(r, "rss-overhead.bytes", 0);
        r.bulk("fragmentation");
        r.doubleValue(o.total() == 0 ? 0 : (double) rss / o.total());
        field(r, "fragmentation.bytes", rss - o.total());
    }

    private static void field(Reply r, String name, long value) {
        r.bulk(name);
        r.integer(value);
    }

    /**
     * Redis's getMemoryDoctorReport with the checks that mean something on the JVM: an empty
     * keyspace, live heap close to -Xmx, a large share of time in garbage collection, and big
     * client output buffers.
     */
    private void doctor(CommandContext c) {
        Server s = c.server();
        Overhead o = overhead(s);
        StringBuilder issues = new StringBuilder();
        int reports = 0;
        boolean empty = o.keys() == 0;
        if (empty) {
            reports++;
        } else {
            long max = Runtime.getRuntime().maxMemory();
            long live = liveHeapAfterLastGc();
            if (max > 0 && live > 0 && live > max * 0.85) {
                reports++;
                issues.append(String.format(Locale.ROOT, " * JVM heap close to its limit: after the last garbage collection the "
                        + "heap still held %s of the %s the JVM may use (-Xmx), %.1f%%. As live data approaches the limit, "
                        + "collections run more often and for longer, and at the limit the server fails with OutOfMemoryError. "
                        + "Give the JVM a larger heap (-Xmx), or keep the dataset smaller with maxmemory and an eviction policy.\n\n",
                        InfoCommand.human(live), InfoCommand.human(max), live * 100.0 / max));
            }
            long maxmemory = s.config().maxmemory;
            if (max > 0 && maxmemory > max * 0.75) {
                reports++;
                issues.append(String.format(Locale.ROOT, " * maxmemory too close to the heap: maxmemory is %s and the JVM may "
                        + "use at most %s of heap (-Xmx). Used memory counts the dataset, not the garbage the collector has "
                        + "yet to reclaim nor its working room, so the heap fills before eviction starts and the server "
                        + "fails with OutOfMemoryError. Keep maxmemory at most about 75%% of the heap (KEYDB_HEAP, -Xmx): "
                        + "CONFIG SET maxmemory %s.\n\n",
                        InfoCommand.human(maxmemory), InfoCommand.human(max), InfoCommand.human((long) (max * 0.75))));
            }
            long uptimeMs = Math.max(1, ManagementFactory.getRuntimeMXBean().getUptime());
            long gcMs = 0, gcCount = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcMs += Math.max(0, gc.getCollectionTime());
                gcCount += Math.max(0, gc.getCollectionCount());
            }
            if (uptimeMs > 10_000 && gcMs > uptimeMs * 0.10) {
                reports++;
                issues.append(String.format(Locale.ROOT, " * Garbage collection time: the JVM spent %.1f%% of its uptime "
                        + "(%d ms in %d collections) collecting garbage. That time shows up as latency: each pause of a "
                        + "stop-the-world collector stalls every client. A larger heap makes collections rarer; a concurrent "
                        + "collector (-XX:+UseZGC) keeps pauses short. The current collector is \"%s\".\n\n",
                        gcMs * 100.0 / uptimeMs, gcMs, gcCount, InfoCommand.collectorName()));
            }
            long clients = Math.max(1, s.clients().count() - s.dispatcher().monitors().size());
            if (o.clientsNormal() / clients > 1024 * 200) {
                reports++;
                issues.append(" * Big client buffers: The clients output buffers in this instance are greater than 200K per "
                        + "client (on average). This may result from different causes, like Pub/Sub clients subscribed to "
                        + "channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, "
                        + "or clients sending commands with large replies or very large sequences of commands in the same "
                        + "pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems "
                        + "in your instance, or to understand better why certain clients are using a big amount of memory.\n\n");
            }
        }
        String report;
        if (reports == 0) {
            report = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
        } else if (empty) {
            report = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these "
                    + "conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be "
                    + "back to our programming as soon as I finished rebooting.\n";
        } else {
            report = "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues
                    + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        c.reply().verbatim(report);
    }

    /** Heap occupied right after the most recent collection of each pool (live data, roughly); 0 if unknown. */
    private static long liveHeapAfterLastGc() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                live += pool.getCollectionUsage().getUsed();
            }
        }
        return live;
    }

    /** MEMORY MALLOC-STATS: the JVM's heap, memory pools and collectors, in the spirit of jemalloc's report. */
    static String mallocStats() {
        StringBuilder b = new StringBuilder();
        var mem = ManagementFactory.getMemoryMXBean();
        b.append("___ Begin JVM memory statistics ___\n");
        b.append("Runtime: ").append(System.getProperty("java.vm.name", "")).append(' ')
                .append(Runtime.version()).append('\n');
        b.append("Collector: ").append(InfoCommand.collectorName()).append('\n');
        b.append("Heap: ").append(usage(mem.getHeapMemoryUsage())).append('\n');
        b.append("Non-heap: ").append(usage(mem.getNonHeapMemoryUsage())).append('\n');
        b.append("Memory pools:\n");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            b.append("  ").append(pool.getName()).append(" (").append(pool.getType() == java.lang.management.MemoryType.HEAP
                    ? "heap" : "non-heap").append("): ").append(usage(pool.getUsage()));
            if (pool.getPeakUsage() != null) {
                b.append(" peak_used=").append(pool.getPeakUsage().getUsed());
            }
            if (pool.getCollectionUsage() != null) {
                b.append(" used_after_last_gc=").append(pool.getCollectionUsage().getUsed());
            }
            b.append('\n');
        }
        b.append("Garbage collectors:\n");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            b.append("  ").append(gc.getName()).append(": collections=").append(gc.getCollectionCount())
                    .append(" time_ms=").append(gc.getCollectionTime())
                    .append(" pools=").append(String.join(",", gc.getMemoryPoolNames())).append('\n');
        }
        b.append("--- End JVM memory statistics ---\n");
        return b.toString();
    }

    private static String usage(java.lang.management.MemoryUsage u) {
        return "used=" + u.getUsed() + " committed=" + u.getCommitted() + " max=" + u.getMax();
    }
}
