package dev.keydb.server;

import dev.keydb.server.resp.Reply;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** INFO stats counters. Network counters are updated by event loops; the rest under the keyspace lock. */
public final class ServerStats implements Reply.ErrorSink {
    public final AtomicLong connectionsReceived = new AtomicLong();
    public final AtomicLong rejectedConnections = new AtomicLong();
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public long keyspaceHits;
    public long keyspaceMisses;
    public long totalErrorReplies;
    public final AtomicLong clientQueryBufferLimitDisconnections = new AtomicLong();
    /** INFO total_reads_processed / total_writes_processed: socket reads handled and reply writes issued. */
    public final LongAdder readsProcessed = new LongAdder();
    public final LongAdder writesProcessed = new LongAdder();
    private final Map<String, Long> errorCounts = new TreeMap<>();

    /** A read of {@code bytes} from a client's socket. */
    public void read(long bytes) {
        netInputBytes.add(bytes);
        readsProcessed.increment();
    }

    /** A write of {@code bytes} to a client's socket. */
    public void wrote(long bytes) {
        netOutputBytes.add(bytes);
        writesProcessed.increment();
    }

    /** Instantaneous ops/sec, sampled by the cron (Redis's STATS_METRIC samples). */
    private final long[] opsSamples = new long[16];
    private int opsSampleIdx;
    private long lastSampleMs;
    private long lastSampleCount;
    private final long[] inSamples = new long[16];
    private final long[] outSamples = new long[16];
    private long lastIn, lastOut;
    private long usedMemoryPeak;

    @Override
    public synchronized void error(String message) {
        totalErrorReplies++;
        int sp = message.indexOf(' ');
        String code = sp < 0 ? message : message.substring(0, sp);
        errorCounts.merge(code, 1L, Long::sum);
    }

    public synchronized Map<String, Long> errorCounts() {
        return new TreeMap<>(errorCounts);
    }

    /** Called by the cron every 100 ms. */
    public synchronized void sample(long nowMs, long usedMemory) {
        long count = commandsProcessed.sum();
        long in = netInputBytes.sum(), outb = netOutputBytes.sum();
        if (lastSampleMs > 0 && nowMs > lastSampleMs) {
            long dt = nowMs - lastSampleMs;
            opsSamples[opsSampleIdx] = (count - lastSampleCount) * 1000 / dt;
            inSamples[opsSampleIdx] = (in - lastIn) * 1000 / dt;
            outSamples[opsSampleIdx] = (outb - lastOut) * 1000 / dt;
            opsSampleIdx = (opsSampleIdx + 1) % opsSamples.length;
        }
        usedMemoryPeak(usedMemory);
        lastSampleMs = nowMs;
        lastSampleCount = count;
        lastIn = in;
        lastOut = outb;
    }

    public synchronized long instantaneousOps() {
        return mean(opsSamples);
    }

    public synchronized long instantaneousInputBytes() {
        return mean(inSamples);
    }

    public synchronized long instantaneousOutputBytes() {
        return mean(outSamples);
    }

    /** Heap in use: what INFO reports as used_memory. */
    public static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Records {@code current} as a candidate peak and returns the peak (sampled by the cron and by INFO). */
    public synchronized long usedMemoryPeak(long current) {
        if (current > usedMemoryPeak) {
            usedMemoryPeak = current;
        }
        return usedMemoryPeak;
    }

    private static long mean(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s / a.length;
    }

    public synchronized void reset() {
        connectionsReceived.set(0);
        rejectedConnections.set(0);
        commandsProcessed.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        keyspaceHits = 0;
        keyspaceMisses = 0;
        totalErrorReplies = 0;
        clientQueryBufferLimitDisconnections.set(0);
        errorCounts.clear();
    }
}
