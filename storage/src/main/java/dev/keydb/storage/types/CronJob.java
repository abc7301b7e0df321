package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.MemoryUsage;
import dev.keydb.storage.ValueType;

/**
 * KeyDB's scheduled script (cron.cpp, OBJ_CRON), the value of the key KEYDB.CRON names: a Lua
 * script with its keys and arguments, run every {@code intervalMs} from {@code startMs} (or
 * once). {@code nextMs} is the next due time, which KeyDB keeps as the key's expire.
 */
public final class CronJob extends AccountedValue implements ValueType.Typed {
    private final byte[] script;
    /** Set once any job exists: lets the scheduler skip its per-key-add check until then. */
    private static volatile boolean anyCreated;

    private boolean singleShot;
    private final long intervalMs;
    private final byte[][] keys;
    private final byte[][] args;
    private long startMs;

    public CronJob(byte[] script, boolean singleShot, long startMs, long intervalMs, byte[][] keys, byte[][] args) {
        this.script = script;
        this.singleShot = singleShot;
        this.startMs = startMs;
        this.intervalMs = intervalMs;
        this.keys = keys;
        this.args = args;
        if (!anyCreated) {
            anyCreated = true;
        }
    }

    /** True once a job was created in this JVM (KEYDB.CRON, a load, a RESTORE or a copy). */
    public static boolean anyCreated() {
        return anyCreated;
    }

    @Override
    public ValueType type() {
        return ValueType.CRON;
    }

    /** KeyDB creates the object with createObject, whose encoding is OBJ_ENCODING_RAW. */
    @Override
    public String encoding() {
        return "raw";
    }

    public byte[] script() {
        return script;
    }

    public boolean singleShot() {
        return singleShot;
    }

    /** A loaded job that this server's RDB aux field says runs once (KeyDB's format loads every job as repeating). */
    public void markSingleShot() {
        singleShot = true;
    }

    public long intervalMs() {
        return intervalMs;
    }

    public byte[][] keys() {
        return keys;
    }

    public byte[][] args() {
        return args;
    }

    /** The time of the last scheduled run (KeyDB's startTime): the next is {@code startMs + intervalMs}. */
    public long startMs() {
        return startMs;
    }

    public long nextMs() {
        return startMs + intervalMs;
    }

    /**
     * After a run of a repeating job (executeCronJobExpireHook): the next interval, fast
     * forwarded past {@code nowMs} when runs were missed, aligned to the original start, or to
     * now for a job whose start was 0.
     */
    public void advance(long nowMs) {
        startMs += intervalMs;
        if (startMs < nowMs) {
            if (startMs == intervalMs) {
                startMs = nowMs + intervalMs;
            } else {
                long multiple = (nowMs - startMs) / intervalMs + 1;
                startMs += intervalMs * multiple;
            }
        }
    }

    @Override
    public CronJob copy() {
        return new CronJob(script, singleShot, startMs, intervalMs, keys, args);
    }

    public long memoryUsage() {
        long total = 48 + MemoryUsage.byteArray(script.length) + MemoryUsage.align(16 + 4L * keys.length)
                + MemoryUsage.align(16 + 4L * args.length);
        for (byte[] k : keys) {
            total += MemoryUsage.byteArray(k.length);
        }
        for (byte[] a : args) {
            total += MemoryUsage.byteArray(a.length);
        }
        return total;
    }
}
