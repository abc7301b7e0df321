package dev.keydb.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the CPU priority of the calling thread (a BGSAVE or AOF-rewrite writer) with the
 * system's {@code renice} on its Linux thread id, so that when cores are short the event loops
 * win and a save does not raise command latency — the forked child of Redis competes with its
 * main thread at equal priority. Java has no API for a thread's nice value; on systems without
 * /proc/thread-self or renice nothing changes.
 */
public final class BackgroundPriority {
    /**
     * The nice value of background writers: against a busy event loop they get about 1.5% of a
     * core (CFS weights 15 vs 1024), an idle core entirely. Measured (bench/RESULTS.md): p99
     * during back-to-back BGSAVEs 1.3-1.4x the p99 without; at nice 10 it was 1.6-3.3x, and at
     * SCHED_IDLE a save could starve under sustained load.
     */
    static final int NICE = 19;

    private BackgroundPriority() {}

    /** Work for {@link #runLowered}. */
    @FunctionalInterface
    public interface IoTask {
        void run() throws java.io.IOException;
    }

    /**
     * Runs {@code task} on a new thread at the lowered priority and waits for it: for the part
     * of a job that takes no lock, when the caller itself must hold the keyspace lock at normal
     * priority before and after (a thread cannot raise its priority back without privileges,
     * and a low-priority lock holder would stall the event loops).
     */
    public static void runLowered(String name, IoTask task) throws java.io.IOException {
        Throwable[] failure = {null};
        Thread t = new Thread(() -> {
            lowerCurrentThread();
            try {
                task.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, name);
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(name + " interrupted");
        }
        if (failure[0] instanceof java.io.IOException io) {
            throw io;
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
    }

    /** Lowers the calling thread's priority for good; only for threads that never take the keyspace lock afterwards. */
    public static void lowerCurrentThread() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            String tid = self.getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (Exception e) {
            Log.verbose("Background thread priority unchanged: " + e);
        }
    }
}
