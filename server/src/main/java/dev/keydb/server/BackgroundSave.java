package dev.keydb.server;

import dev.keydb.storage.Snapshot;
import dev.keydb.storage.rdb.RdbWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One BGSAVE: a thread that writes a {@link Snapshot}'s view to a temp file, fsyncs it and
 * renames it over the target — what Redis's forked child does, without the fork. It never
 * takes the keyspace lock; the server finishes it (closes the snapshot, records the outcome)
 * from its cron once {@link #done()} says so, as Redis's checkChildrenDone.
 */
final class BackgroundSave {
    /** Redis's REDIS_AUTOSYNC_BYTES: with rdb-save-incremental-fsync, fsync every 4 MB written. */
    private static final long AUTOSYNC_BYTES = 4 * 1024 * 1024;

    /** What the save needs, fixed when it starts. */
    record Plan(Path dir, Path target, RdbWriter.Options options, long keySaveDelayMicros, boolean incrementalFsync) {}

    private final Snapshot snapshot;
    private final Plan plan;
    private final long dirtyAtStart;
    private final long startedNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile Exception failure;

    BackgroundSave(Snapshot snapshot, Plan plan, long dirtyAtStart, int sequence) {
        this.snapshot = snapshot;
        this.plan = plan;
        this.dirtyAtStart = dirtyAtStart;
        this.thread = new Thread(this::run, "keydb-bgsave-" + sequence);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    long dirtyAtStart() {
        return dirtyAtStart;
    }

    long elapsedSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    boolean done() {
        return done;
    }

    /** Null when the file was written and renamed into place. */
    Exception failure() {
        return failure;
    }

    /** Stops the save (SHUTDOWN, DEBUG RELOAD, FLUSHALL) and waits for its thread; the target stays untouched. */
    void cancelAndWait() {
        cancelled = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        BackgroundPriority.lowerCurrentThread();
        Path tmp = plan.dir().resolve("temp-" + ProcessHandle.current().pid() + "-" + thread.getName() + ".rdb");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                RdbWriter.save(snapshot.view(), new SyncingStream(ch), plan.options(), this::afterKey);
                ch.force(true);
            }
            if (cancelled) {
                throw new IOException("background save cancelled");
            }
            DurableFiles.replaceAtomically(tmp, plan.target(), plan.dir());
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temp file is left behind; the next save truncates a file of the same name
            }
        } finally {
            done = true;
        }
    }

    private void afterKey() {
        if (cancelled) {
            throw new CancelledSave();
        }
        long delay = plan.keySaveDelayMicros();
        if (delay > 0) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delay));
        }
    }

    private static final class CancelledSave extends RuntimeException {
        CancelledSave() {
            super("background save cancelled", null, false, false);
        }
    }

    /** Writes to the channel, fsyncing every 4 MB when asked (rdb-save-incremental-fsync) so the page cache never holds a whole dump. */
    private final class SyncingStream extends OutputStream {
        private final FileChannel ch;
        private long sinceSync;

        SyncingStream(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            sinceSync += len;
            if (plan.incrementalFsync() && sinceSync >= AUTOSYNC_BYTES) {
                ch.force(false);
                sinceSync = 0;
            }
        }
    }
}
