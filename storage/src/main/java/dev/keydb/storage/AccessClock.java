package dev.keydb.storage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What the per-key access clock holds, as Redis's 24-bit robj.lru: under an LRU (or no)
 * eviction policy the second of the last access; under an LFU policy the packed LFU field, the minute of
 * the last decrement in the high 16 bits and Morris's logarithmic access counter in the low 8
 * (evict.c: LFULogIncr, LFUDecrAndReturn, with lfu-log-factor and lfu-decay-time).
 */
public final class AccessClock {
    /** A new key's counter, so that it is not evicted before it had a chance to be used. */
    public static final int LFU_INIT_VAL = 5;

    private volatile boolean lfu;
    private volatile int logFactor = 10;
    private volatile int decayMinutes = 1;

    /** Switches between the two meanings (maxmemory-policy); existing clocks are not converted, as in Redis. */
    public void useLfu(boolean lfu) {
        this.lfu = lfu;
    }

    public boolean lfu() {
        return lfu;
    }

    public void setLogFactor(int logFactor) {
        this.logFactor = logFactor;
    }

    public void setDecayMinutes(int decayMinutes) {
        this.decayMinutes = decayMinutes;
    }

    /** The clock of a key created now. */
    public int forNewKey(long nowMs) {
        return lfu ? minutes(nowMs) << 8 | LFU_INIT_VAL : seconds(nowMs);
    }

    /** An LFU clock with the given counter as of now (RESTORE ... FREQ). */
    public int withFrequency(int counter, long nowMs) {
        return minutes(nowMs) << 8 | counter;
    }

    /** The clock of a key after an access now (Redis's updateLFU, or the LRU time). */
    public int onAccess(int clock, long nowMs) {
        if (!lfu) {
            return seconds(nowMs);
        }
        return minutes(nowMs) << 8 | logIncrement(frequency(clock, nowMs));
    }

    /** The largest LRU clock: 24 bits of seconds wrap every 194 days, as Redis's LRU_CLOCK_MAX. */
    public static final int LRU_CLOCK_MAX = (1 << 24) - 1;

    /** The LRU clock now: seconds (Redis's LRU_CLOCK_RESOLUTION) in 24 bits. */
    public static int seconds(long nowMs) {
        return (int) (nowMs / 1000 & LRU_CLOCK_MAX);
    }

    /** Seconds since the access recorded in an LRU clock, across the clock's wrap (estimateObjectIdleTime). */
    public static long idleSeconds(int clock, long nowMs) {
        int now = seconds(nowMs);
        return now >= clock ? now - clock : (long) LRU_CLOCK_MAX - clock + now;
    }

    /** An LRU clock that reads as idle for {@code idle} seconds now (RESTORE ... IDLETIME, objectSetLRUOrLFU). */
    public static int idleFor(long idle, long nowMs) {
        long clock = seconds(nowMs) - idle;
        return (int) (clock >= 0 ? clock : (seconds(nowMs) + LRU_CLOCK_MAX / 2) % LRU_CLOCK_MAX);
    }

    /** The counter of an LFU clock after the decay due by now (Redis's LFUDecrAndReturn; OBJECT FREQ). */
    public int frequency(int clock, long nowMs) {
        int counter = clock & 0xFF;
        int decay = decayMinutes;
        if (decay > 0) {
            int periods = elapsedMinutes(clock >>> 8 & 0xFFFF, nowMs) / decay;
            counter = periods > counter ? 0 : counter - periods;
        }
        return counter;
    }

    private int logIncrement(int counter) {
        if (counter == 255) {
            return 255;
        }
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * logFactor + 1);
        return ThreadLocalRandom.current().nextDouble() < p ? counter + 1 : counter;
    }

    private static int minutes(long nowMs) {
        return (int) (nowMs / 60_000 & 0xFFFF);
    }

    /** Minutes since {@code ldt} on the 16-bit minute clock, which wraps about every 45 days. */
    private static int elapsedMinutes(int ldt, long nowMs) {
        int now = minutes(nowMs);
        return now >= ldt ? now - ldt : 65535 - ldt + now;
    }
}
