package dev.keydb.server;

import dev.keydb.server.command.CommandError;
import dev.keydb.server.config.SavePoints;
import dev.keydb.server.scripting.Functions;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.Database;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.Snapshot;
import dev.keydb.storage.rdb.RdbException;
import dev.keydb.storage.rdb.RdbReader;
import dev.keydb.storage.rdb.RdbWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * RDB persistence of one server (Redis's rdb.c callers): the synchronous SAVE, BGSAVE on a
 * forkless snapshot ({@link BackgroundSave}), the {@code save} points checked by the cron,
 * the load at start-up and DEBUG RELOAD. Every save writes a temp file in {@code dir}, fsyncs
 * it and renames it atomically over {@code dbfilename}. Methods documented as such need the
 * keyspace lock; the state read by INFO is volatile.
 */
public final class Persistence {
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long before trying again. */
    private static final long BGSAVE_RETRY_DELAY_MS = 5000;

    private final Server server;
    /** Unix seconds of the last successful save (start-up time before the first, as Redis). */
    private volatile long lastSave = System.currentTimeMillis() / 1000;
    private volatile long saves;
    /** Server.dirty() when the last save began: INFO's rdb_changes_since_last_save is the difference. */
    private volatile long dirtyAtLastSave;
    private volatile BackgroundSave bgsave;
    private volatile boolean bgsaveScheduled;
    private volatile boolean lastBgsaveOk = true;
    private volatile long lastBgsaveTimeSec = -1;
    private volatile long lastBgsaveTryMs;
    private volatile long lastCowSize;
    private volatile long lastLoadKeysLoaded;
    private volatile long lastLoadKeysExpired;
    private int bgsaveSequence;
    /** Microseconds the last snapshot took under the lock (INFO's latest_fork_usec: our fork), and how many were taken. */
    private volatile long latestSnapshotMicros;
    private volatile long snapshots;

    Persistence(Server server) {
        this.server = server;
    }

    public long lastSave() {
        return lastSave;
    }

    public long saves() {
        return saves;
    }

    /** Changes to the dataset since the last successful save (Redis's server.dirty). */
    public long changesSinceLastSave() {
        return server.dirty() - dirtyAtLastSave;
    }

    public Path rdbPath() {
        ServerConfig c = server.config();
        return Path.of(c.dir).resolve(c.dbfilename);
    }

    public boolean bgsaveInProgress() {
        return bgsave != null;
    }

    public boolean bgsaveScheduled() {
        return bgsaveScheduled;
    }

    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    public long lastBgsaveTimeSec() {
        return lastBgsaveTimeSec;
    }

    /** Seconds the running BGSAVE has taken so far, -1 when none runs. */
    public long currentBgsaveTimeSec() {
        BackgroundSave b = bgsave;
        return b == null ? -1 : b.elapsedSeconds();
    }

    /** Bytes of values copied on write during the last finished BGSAVE (INFO's rdb_last_cow_size). */
    public long lastCowSize() {
        return lastCowSize;
    }

    public long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    public long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }

    /** Redis's shutdown rule: save when asked to, or when save points are configured and NOSAVE was not given. */
    public boolean hasSavePoints() {
        return !server.config().savePoints.isEmpty();
    }

    /**
     * stop-writes-on-bgsave-error: with save points configured and the last background save
     * failed, write commands are refused with -MISCONF until a save succeeds.
     */
    public boolean writesDeniedByDiskError() {
        ServerConfig c = server.config();
        return c.stopWritesOnBgsaveError && !lastBgsaveOk && !c.savePoints.isEmpty();
    }

    /** SAVE: writes the whole dataset to {@code dir/dbfilename} in this thread; the caller holds the keyspace lock. */
    public void save() throws IOException {
        if (bgsave != null) {
            throw new IllegalStateException("Background save already in progress");
        }
        ServerConfig c = server.config();
        Path dir = Path.of(c.dir);
        Path tmp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
        long dirtyBefore = server.dirty();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                RdbWriter.save(server.keyspace(), out, writerOptions());
                ch.force(true);
            }
            DurableFiles.replaceAtomically(tmp, rdbPath(), dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            Log.warning("Failed saving the DB: " + e.getMessage());
            throw e;
        }
        saved(dirtyBefore);
        Log.notice("DB saved on disk");
    }

    private void saved(long dirtyAtStart) {
        lastSave = System.currentTimeMillis() / 1000;
        saves++;
        dirtyAtLastSave = dirtyAtStart;
        lastBgsaveOk = true; // as Redis's rdbSave: a good save clears a BGSAVE error
    }

    private RdbWriter.Options writerOptions() {
        ServerConfig c = server.config();
        return new RdbWriter.Options(Server.VERSION, c.rdbcompression, c.rdbchecksum, usedMemory(), server.scripts().functions().codes());
    }

    /**
     * BGSAVE: takes a snapshot and writes it from a background thread; the caller holds the
     * keyspace lock and has checked that no background save runs.
     */
    public void startBgsave() {
        ServerConfig c = server.config();
        lastBgsaveTryMs = System.currentTimeMillis();
        BackgroundSave.Plan plan = new BackgroundSave.Plan(Path.of(c.dir), rdbPath(), writerOptions(), c.rdbKeySaveDelay,
                c.rdbSaveIncrementalFsync);
        BackgroundSave b = new BackgroundSave(takeSnapshot(), plan, server.dirty(), ++bgsaveSequence);
        bgsave = b;
        bgsaveScheduled = false;
        b.start();
        Log.notice("Background saving started by thread " + bgsaveSequence + " (snapshot in " + latestSnapshotMicros + " us)");
    }

    /**
     * A point-in-time snapshot of the keyspace for a background job (BGSAVE, AOF rewrite); the
     * time it takes under the lock is what INFO reports as latest_fork_usec. Lock held.
     */
    public Snapshot takeSnapshot() {
        long start = System.nanoTime();
        Snapshot s = server.keyspace().snapshot();
        latestSnapshotMicros = (System.nanoTime() - start) / 1000;
        snapshots++;
        return s;
    }

    public long latestSnapshotMicros() {
        return latestSnapshotMicros;
    }

    public long snapshots() {
        return snapshots;
    }

    /** BGSAVE SCHEDULE (or BGSAVE inside MULTI): the cron starts it as soon as nothing else runs in the background. */
    public void scheduleBgsave() {
        bgsaveScheduled = true;
    }

    /**
     * The persistence part of the server cron (Redis's serverCron/checkChildrenDone): finishes
     * a background save that completed, starts a scheduled one, and checks the save points.
     * The caller holds the keyspace lock.
     */
    void cron(long nowMs) {
        BackgroundSave b = bgsave;
        if (b != null && b.done()) {
            finish(b);
        }
        if (bgsave != null || server.aof().rewriteInProgress()) {
            return; // one background job at a time, as Redis's hasActiveChildProcess()
        }
        boolean retryAllowed = nowMs - lastBgsaveTryMs > BGSAVE_RETRY_DELAY_MS || lastBgsaveOk;
        if (bgsaveScheduled && retryAllowed) {
            startBgsave();
            return;
        }
        long changes = changesSinceLastSave();
        long sinceSave = nowMs / 1000 - lastSave;
        for (SavePoints.Point p : server.config().savePoints.points()) {
            if (changes >= p.changes() && sinceSave > p.seconds() && retryAllowed) {
                Log.notice(p.changes() + " changes in " + p.seconds() + " seconds. Saving...");
                startBgsave();
                return;
            }
        }
    }

    private void finish(BackgroundSave b) {
        lastCowSize = server.keyspace().copiedBytes();
        b.snapshot().close();
        bgsave = null;
        lastBgsaveTimeSec = b.elapsedSeconds();
        if (b.failure() == null) {
            saved(b.dirtyAtStart());
            Log.notice("Background saving terminated with success");
        } else {
            lastBgsaveOk = false;
            Log.warning("Background saving error: " + b.failure().getMessage());
        }
    }

    /**
     * Stops a running background save without touching the target file (Redis's
     * killRDBChild), waiting for its thread. The caller holds the keyspace lock.
     */
    public void killBackgroundSave() {
        BackgroundSave b = bgsave;
        if (b == null) {
            return;
        }
        b.cancelAndWait();
        b.snapshot().close();
        bgsave = null;
        bgsaveScheduled = false;
        Log.notice("Background saving stopped");
    }

    /**
     * Redis's prepareForShutdown: stops a background save, then saves synchronously when asked
     * to or when save points are configured and NOSAVE was not given. The caller holds the lock.
     */
    public void saveForShutdown(boolean save, boolean nosave) throws IOException {
        killBackgroundSave();
        if (save || (hasSavePoints() && !nosave)) {
            Log.notice("Saving the final RDB snapshot before exiting.");
            save();
        }
    }

    /** FLUSHALL (flushAllDataAndResetRDB): a running background save is stopped and, with save points, an empty RDB written. */
    public void afterFlushAll() {
        killBackgroundSave();
        if (hasSavePoints()) {
            try {
                save();
            } catch (IOException | RuntimeException e) {
                // logged by save(); FLUSHALL itself succeeded, as in Redis
            }
        }
    }

    private static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** The encoding thresholds of the current configuration, for loading collections. */
    public RdbReader.Limits limits() {
        ServerConfig c = server.config();
        return new RdbReader.Limits(c.listMaxListpackSize, c.hashMaxListpackEntries, c.hashMaxListpackValue, c.setMaxIntsetEntries,
                c.zsetLimits);
    }

    /**
     * Loads {@code dir/dbfilename} when it exists (start-up, before listening). A file that
     * cannot be read stops start-up with the reason, as Redis exits on a bad RDB.
     */
    void loadAtStartup() {
        Path file = rdbPath();
        if (!Files.exists(file)) {
            return;
        }
        long start = System.nanoTime();
        server.lock().lock();
        try {
            RdbReader.LoadResult r = load(file, server.keyspace());
            Log.notice("Done loading RDB, keys loaded: " + r.keys() + ", keys expired: " + r.expiredSkipped() + "."
                    + (r.emptySkipped() > 0 ? " Empty keys skipped: " + r.emptySkipped() + "." : ""));
        } catch (IOException e) {
            server.keyspace().flushAll();
            throw new IllegalStateException("Fatal error loading the DB from " + file + ": "
                    + (e instanceof RdbException ? e.getMessage() : e.toString()) + ". Exiting.", e);
        } finally {
            server.lock().unlock();
        }
        Log.notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }

    private RdbReader.LoadResult load(Path file, Keyspace into) throws IOException, RdbException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbReader.LoadResult r = RdbReader.load(in, into, limits(), System.currentTimeMillis(),
                    server.config().rdbchecksum && server.verifyChecksums());
            if (!r.functions().isEmpty()) {
                try {
                    server.scripts().functions().restore(r.functions(), Functions.RestorePolicy.REPLACE);
                } catch (CommandError e) {
                    throw new RdbException("function library in the RDB file: " + e.getMessage());
                }
            }
            lastLoadKeysLoaded = r.keys();
            lastLoadKeysExpired = r.expiredSkipped();
            return r;
        }
    }

    /**
     * The load half of DEBUG RELOAD [MERGE] [NOFLUSH]: loads {@code dbfilename} back, replacing the dataset (unless NOFLUSH) or merging into it (MERGE lets loaded keys replace
     * existing ones). The file is read into a side keyspace first, so a bad file or a
     * duplicate key without MERGE leaves the dataset as it was. The caller holds the lock.
     */
    public void reload(boolean flush, boolean merge) throws IOException, RdbException {
        Keyspace current = server.keyspace();
        Keyspace loaded = new Keyspace(current.databases());
        load(rdbPath(), loaded);
        long now = System.currentTimeMillis();
        if (!merge && !flush) {
            for (int i = 0; i < current.databases(); i++) {
                if (!canAbsorb(current.db(i), loaded.db(i))) {
                    throw new RdbException("the RDB has a key that already exists (use MERGE)");
                }
            }
        }
        if (flush) {
            current.flushAll();
        }
        for (int i = 0; i < current.databases(); i++) {
            current.db(i).absorb(loaded.db(i), now);
        }
        Log.warning("DB reloaded by DEBUG RELOAD");
    }

    private static boolean canAbsorb(Database into, Database from) {
        for (byte[] key : from.keys()) {
            if (into.peek(key) != null) {
                return false;
            }
        }
        return true;
    }
}
