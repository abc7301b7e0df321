package dev.keydb.server;

/**
 * Wall-clock milliseconds for commands without a clock_gettime of their own: a base (wall
 * time, monotonic time) that the cron refreshes every tick, plus the monotonic clock's progress
 * since, which the dispatcher reads anyway to time the command. One clock read a command fewer
 * (they were 8 % of the CPU of pipelined SETs); a wall clock step shows within a tick.
 */
public final class WallClock {
    /** The wall time in nanoseconds since the epoch (microsecond precision), and nanoTime then. */
    private record Base(long wallNanos, long nanos) {}

    private volatile Base base = now();

    static {
        java.time.Instant.now();                             // loads the classes before a base is measured
    }

    /**
     * The wall clock with sub-millisecond precision, paired with the monotonic time read just
     * before it: a derived time is then ahead of the wall clock by that gap (well under a
     * microsecond) and never behind it, so that a TTL set from the wall clock never reads longer.
     */
    private static Base now() {
        long before = System.nanoTime();
        java.time.Instant wall = java.time.Instant.now();
        return new Base(wall.getEpochSecond() * 1_000_000_000L + wall.getNano(), before);
    }

    /** Takes the wall clock again (the cron, each tick). */
    void refresh() {
        base = now();
    }

    /** The wall time in milliseconds at monotonic time {@code nanoTime} (a recent {@link System#nanoTime()}). */
    public long millisAt(long nanoTime) {
        Base b = base;
        return Math.floorDiv(b.wallNanos + (nanoTime - b.nanos), 1_000_000L);
    }
}
