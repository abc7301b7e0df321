package dev.keydb.server.scripting;

/**
 * Where the runs of one script (or function) go: on the caller's event loop, or on the script
 * thread (see {@code ScriptThread}). A script starts on the script thread; after a short run
 * it runs on the event loop, which is cheaper; after a long run (or an event-loop run that had
 * to move) on the script thread again. So the scripts that can keep an event loop busy are
 * those whose last run was short, and they are moved when they run long without having
 * changed anything yet ({@link ScriptEngine}'s hook).
 */
final class Placement {
    private static final int UNKNOWN = 0, EVENT_LOOP = 1, SCRIPT_THREAD = 2;

    /** A run shorter than this is short, and an event-loop run that reaches it is moved if it can be. */
    static final long LONG_RUN_MS = 10;

    private volatile int where = UNKNOWN;

    /** Whether runs may stay on the event loop they were called on. */
    boolean onEventLoop() {
        return where == EVENT_LOOP;
    }

    /** A run took {@code millis}: the last run decides where the next one goes. */
    void ran(long millis, long longRunMs) {
        where = millis < longRunMs ? EVENT_LOOP : SCRIPT_THREAD;
    }

    /** An event-loop run went long and moved: later runs start on the script thread. */
    void ranLong() {
        where = SCRIPT_THREAD;
    }

    /**
     * The run time past which a script is long: {@link #LONG_RUN_MS}, or half of
     * busy-reply-threshold when that is shorter, so that a moved script is on the script
     * thread before other clients are due their -BUSY.
     */
    static long longRunMs(long busyReplyThresholdMs) {
        return busyReplyThresholdMs > 0 ? Math.max(1, Math.min(LONG_RUN_MS, busyReplyThresholdMs / 2)) : LONG_RUN_MS;
    }
}
