package dev.keydb.server;

import dev.keydb.storage.EvictionPolicy;
import dev.keydb.storage.EvictionPool;
import java.util.SplittableRandom;

/**
 * maxmemory: what counts as used memory, and evicting keys by {@code maxmemory-policy} until it
 * fits (Redis's performEvictions), called before each client command and by the cron.
 *
 * <p>Used memory is an estimate, not the heap: the heap holds garbage until the collector runs,
 * so comparing it with maxmemory would evict live keys for dead objects. It is the memory in
 * use at start-up, plus the key tables' slots, plus every key and value as {@code MemoryUsage}
 * sizes them (kept up to date as keys change, see {@code ValueTable}), plus client buffers
 * (summed by the cron every 100 ms) and the AOF buffer. As in Redis, the AOF buffer is not
 * counted for eviction ({@code mem_not_counted_for_evict}). Callers hold the keyspace lock.
 */
public final class MaxMemory {
    /** Redis's shared.oomerr. */
    public static final String OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Server server;
    private final EvictionPool pool = new EvictionPool();
    private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    private final SplittableRandom random = new SplittableRandom();
    private volatile long clientBuffers;
    private volatile long evictedKeys;
    /** When memory went over the limit and evictions could not bring it back yet (0: not over). */
    private long overLimitSinceNanos;
    private long totalOverLimitNanos;
    /** Whether the command running now found memory over the limit before it began (scripts read it). */
    private boolean oomAtCommandStart;

    MaxMemory(Server server) {
        this.server = server;
    }

    /** INFO used_memory: start-up memory, key tables, dataset, client and AOF buffers (as the cron last summed them). */
    public long used() {
        return used(clientBuffers);
    }

    /** {@link #used()} with the given clients' buffers. */
    public long used(long clientBuffers) {
        var ks = server.keyspace();
        return server.startupMemory() + ks.tableBytes() + ks.datasetBytes() + clientBuffers + notCountedForEvict();
    }

    /** INFO mem_not_counted_for_evict: the AOF buffer, which evicting keys would only grow. */
    public long notCountedForEvict() {
        return server.aof().bufferedBytes();
    }

    /** The clients' query and output buffers now (a walk over the clients). */
    public long clientBuffersNow() {
        long sum = 0;
        for (Client c : server.clients().all()) {
            sum += c.bufferBytes();
        }
        return sum;
    }

    /** Sums the clients' buffers for {@link #used()} (cron, every 100 ms). */
    void sampleClientBuffers() {
        clientBuffers = clientBuffersNow();
    }

    public long evictedKeys() {
        return evictedKeys;
    }

    public void resetStats() {
        evictedKeys = 0;
        totalOverLimitNanos = 0;
    }

    /** INFO total_eviction_exceeded_time, in ms: how long memory stayed over the limit in all. */
    public long totalOverLimitMs() {
        long current = overLimitSinceNanos == 0 ? 0 : System.nanoTime() - overLimitSinceNanos;
        return (totalOverLimitNanos + current) / 1_000_000;
    }

    /** INFO current_eviction_exceeded_time, in ms. */
    public long currentOverLimitMs() {
        return overLimitSinceNanos == 0 ? 0 : (System.nanoTime() - overLimitSinceNanos) / 1_000_000;
    }

    public boolean oomAtCommandStart() {
        return oomAtCommandStart;
    }

    /**
     * Before a client's command (Redis's processCommand): evicts as the policy allows and
     * records whether memory is still over the limit, which refuses commands that may grow it.
     * Returns true when out of memory.
     */
    boolean beforeCommand() {
        oomAtCommandStart = server.config().maxmemory > 0 && !evictToFit();
        return oomAtCommandStart;
    }

    /**
     * Evicts keys until used memory (less what is not counted) fits in maxmemory, within the
     * time maxmemory-eviction-tenacity allows; true when it fits or evictions go on in the
     * cron, false when nothing more can be evicted.
     */
    boolean evictToFit() {
        long limit = server.config().maxmemory;
        // isSafeToPerformEvictions: a paused server changes nothing, evictions included (its
        // replicas are catching up); the commands a pause lets through run as if under the limit.
        if (limit <= 0 || server.clientPause().active()) {
            return true;
        }
        long over = used() - notCountedForEvict() - limit;
        if (over <= 0) {
            overLimitEnded();
            return true;
        }
        long start = System.nanoTime();
        if (overLimitSinceNanos == 0) {
            overLimitSinceNanos = start;
        }
        long budget = timeLimitNanos();
        int samples = (int) server.config().maxmemorySamples;
        long now = server.wallClock().millisAt(start);
        int evicted = 0;
        while (used() - notCountedForEvict() > limit) {
            EvictionPool.Victim victim = pool.next(server.keyspace(), policy, samples, now, random);
            if (victim == null) {
                return false; // noeviction, or no candidate left (volatile-* without volatile keys)
            }
            evict(victim.db(), victim.key());
            // Check the clock every 16 keys, as Redis does.
            if (++evicted % 16 == 0 && System.nanoTime() - start > budget) {
                return true; // the cron goes on (Redis's evictionTimeProc)
            }
        }
        overLimitEnded();
        return true;
    }

    private void overLimitEnded() {
        if (overLimitSinceNanos != 0) {
            totalOverLimitNanos += System.nanoTime() - overLimitSinceNanos;
            overLimitSinceNanos = 0;
        }
    }

    /** Redis's evictionTimeLimitUs: 50 us per tenacity step up to 10, then 15 % more per step; 100 is no limit. */
    private long timeLimitNanos() {
        long tenacity = server.config().maxmemoryEvictionTenacity;
        if (tenacity <= 10) {
            return 50_000L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500_000 * Math.pow(1.15, tenacity - 10));
        }
        return Long.MAX_VALUE;
    }

    /** deleteEvictedKeyAndPropagate: the key goes, as a DEL to the AOF, with the "evicted" event. */
    private void evict(int db, byte[] key) {
        if (!server.keyspace().db(db).delete(key)) {
            return;
        }
        evictedKeys++;
        server.keyEvicted(db, key);
    }

    /** A new policy (maxmemory-policy): pooled candidates are forgotten. */
    void usePolicy(EvictionPolicy policy) {
        this.policy = policy;
        pool.clear();
    }
}
