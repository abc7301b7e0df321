package dev.keydb.server.aof;

import dev.keydb.server.BackgroundPriority;
import dev.keydb.server.DurableFiles;
import dev.keydb.server.Log;
import dev.keydb.server.Propagation;
import dev.keydb.server.Server;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.Snapshot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The append-only file (Redis 7.0's aof.c): a {@link Propagation.Listener} that appends every
 * propagated command, in RESP, to the current incr file of a multi-part AOF in
 * {@code dir/appenddirname}, described by its manifest.
 *
 * <p>Writing: propagated units accumulate in a buffer (Redis's aof_buf) that {@link #flush} writes
 * at the end of each batch, under the lock, before replies go out. With {@code appendfsync always}
 * the replies of a batch that wrote wait for {@link #syncWritten}: the client handler defers them
 * to the end of the event loop's pass, where one fsync covers every batch of the pass (Redis's
 * beforeSleep fsync; group commit across loops), so a write is acknowledged only once it is on
 * disk and no fsync is taken under the keyspace lock. With {@code everysec} a background thread
 * fsyncs once a second; with {@code no} the kernel decides.
 *
 * <p>Rewriting (BGREWRITEAOF, auto rewrite, CONFIG SET appendonly yes): under the lock, a new incr
 * file is opened (and recorded in the manifest when the AOF is on) and a forkless snapshot of the
 * dataset is taken; then, off the lock, the base ({@link AofBase}) is written from the snapshot
 * and fsynced; under the lock again it is renamed to its final name, the manifest swapped
 * atomically, and the files it replaced deleted.
 */
public final class Aof implements Propagation.Listener {
    private final Server server;
    private final ServerConfig config;

    // ---- guarded by the keyspace lock --------------------------------------------------------
    private AofManifest manifest;
    private FileChannel incr;
    private byte[] buf = new byte[1 << 16];
    private int bufLen;
    private int selectedDb = -1;
    private long lastTimestamp;
    private boolean on;
    /** The incr file of a rewrite that turns the AOF on: not in the manifest until the base is written. */
    private Path pendingIncr;
    /** When a failed CONFIG SET appendonly yes tries its rewrite again (0: not waiting). */
    private long retryEnablingAtMs;

    // ---- read by INFO and the fsync thread ---------------------------------------------------
    private volatile long currentSize;
    private volatile long baseSize;
    /** aof_current_size right after the last rewrite (or start-up): auto rewrite measures growth from it. */
    private volatile long rewriteBaseSize;
    private volatile boolean rewriteInProgress;
    private volatile boolean rewriteScheduled;
    private volatile boolean rewriteCancelled;
    private volatile long rewriteStartMs = -1;
    private volatile long lastRewriteTimeSec = -1;
    private volatile boolean lastRewriteOk = true;
    private volatile long rewrites;
    private volatile long rewriteFailures;
    private volatile boolean lastWriteOk = true;
    private volatile String lastWriteError;
    private volatile boolean fsyncPending;
    /** Bytes written to incr files since start-up, and how many of them are known fsynced. */
    private volatile long writtenBytes;
    private volatile long syncedBytes;
    private final Object fsyncLock = new Object();
    private ScheduledExecutorService fsyncThread;

    public Aof(Server server) {
        this.server = server;
        this.config = server.config();
    }

    public Path dir() {
        return Path.of(config.dir).resolve(config.appenddirname);
    }

    private Path manifestPath() {
        return dir().resolve(AofManifest.fileName(config.appendfilename));
    }

    // ---- start-up ----------------------------------------------------------------------------

    /**
     * Loads the AOF at start-up (appendonly yes; the caller then skips the RDB, as Redis): the
     * manifest's base and incr files, or an old single-file {@code dir/appendfilename} which is
     * first moved into the AOF directory as the base (Redis's aofUpgradePrepare). Then opens
     * the AOF for appending; without any AOF the current dataset becomes a new base.
     */
    public void startAtStartup() throws IOException {
        Path mf = manifestPath();
        if (!Files.exists(mf)) {
            upgradeOldAof();
        }
        if (Files.exists(mf)) {
            manifest = AofManifest.parse(config.appendfilename, Files.readAllBytes(mf));
            new AofLoader(server, dir()).load(manifest);
            deleteHistory();
            // Replayed commands are not client commands: INFO starts from zero, as Redis (which
            // calls each command's proc directly while loading).
            server.stats().reset();
            server.keyspace().resetStats();
            for (dev.keydb.server.command.CommandSpec spec : server.commands().all()) {
                spec.resetStats();
            }
        }
        server.lock().lock();
        try {
            if (manifest == null || manifest.base() == null && manifest.incrs().isEmpty()) {
                manifest = AofManifest.empty(config.appendfilename);
                rewriteNow();
            } else {
                openIncr(manifest.incrs().isEmpty() ? null : manifest.incrs().get(manifest.incrs().size() - 1));
            }
            if (!on) { // rewriteNow already started appending
                on = true;
                server.propagation().addListener(this);
            }
            startFsyncThread();
        } finally {
            server.lock().unlock();
        }
    }

    /** A single-file AOF from before Redis 7 becomes the base of a new manifest. */
    private void upgradeOldAof() throws IOException {
        Path old = Path.of(config.dir).resolve(config.appendfilename);
        if (!Files.isRegularFile(old)) {
            return;
        }
        Files.createDirectories(dir());
        AofManifest m = new AofManifest(config.appendfilename, new AofManifest.Entry(config.appendfilename, 1, AofManifest.BASE),
                List.of(), List.of());
        writeManifest(m);
        DurableFiles.move(old, dir().resolve(config.appendfilename));
        Log.notice("Successfully migrated an old-style AOF into the AOF directory");
    }

    /** Opens {@code entry} for appending (or the next incr file, recorded in the manifest, when null). */
    private void openIncr(AofManifest.Entry entry) throws IOException {
        boolean created = entry == null;
        if (created) {
            entry = manifest.nextIncr();
        }
        // The file exists before the manifest names it, so a crash in between leaves a loadable AOF.
        FileChannel ch = FileChannel.open(dir().resolve(entry.name()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (created) {
            manifest = manifest.withIncr(entry);
            writeManifest(manifest);
        }
        setIncr(ch);
        currentSize = sizeOf(manifest.loadOrder());
        baseSize = manifest.base() == null ? 0 : sizeOf(List.of(manifest.base()));
        rewriteBaseSize = currentSize;
    }

    private long sizeOf(List<AofManifest.Entry> entries) {
        long n = 0;
        for (AofManifest.Entry e : entries) {
            try {
                n += Files.size(dir().resolve(e.name()));
            } catch (IOException ignored) {
                // a missing file counts as empty
            }
        }
        return n;
    }

    private void setIncr(FileChannel ch) throws IOException {
        synchronized (fsyncLock) {
            if (incr != null) {
                incr.force(false);
                incr.close();
            }
            syncedBytes = writtenBytes; // what the old file holds is on disk
            incr = ch;
            selectedDb = -1; // a new file starts with its own SELECT
            fsyncPending = false;
        }
    }

    private void startFsyncThread() {
        if (fsyncThread != null) {
            return;
        }
        fsyncThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keydb-aof-fsync");
            t.setDaemon(true);
            return t;
        });
        fsyncThread.scheduleWithFixedDelay(this::fsyncEverysec, 1, 1, TimeUnit.SECONDS);
    }

    // ---- appending ---------------------------------------------------------------------------

    public boolean enabled() {
        return on;
    }

    @Override
    public void propagate(List<Propagation.Op> unit) {
        if (!on) {
            return;
        }
        if (config.aofTimestampEnabled) {
            long now = System.currentTimeMillis() / 1000;
            if (now > lastTimestamp) {
                lastTimestamp = now;
                appendAscii("#TS:" + now + "\r\n");
            }
        }
        for (Propagation.Op op : unit) {
            if (op.db() != selectedDb) {
                selectedDb = op.db();
                String db = Integer.toString(op.db());
                appendAscii("*2\r\n$6\r\nSELECT\r\n$" + db.length() + "\r\n" + db + "\r\n");
            }
            appendCommand(op.argv());
        }
    }

    private void appendCommand(byte[][] argv) {
        header('*', argv.length);
        for (byte[] a : argv) {
            header('$', a.length);
            append(a, 0, a.length);
            ensure(2);
            buf[bufLen++] = '\r';
            buf[bufLen++] = '\n';
        }
    }

    /** "*n\r\n" or "$n\r\n" written straight into the buffer (no garbage per argument). */
    private void header(char type, int n) {
        ensure(14);
        buf[bufLen++] = (byte) type;
        if (n == 0) {
            buf[bufLen++] = '0';
        } else {
            int digits = 0;
            for (int v = n; v > 0; v /= 10) {
                digits++;
            }
            for (int i = bufLen + digits - 1, v = n; v > 0; v /= 10, i--) {
                buf[i] = (byte) ('0' + v % 10);
            }
            bufLen += digits;
        }
        buf[bufLen++] = '\r';
        buf[bufLen++] = '\n';
    }

    private void ensure(int more) {
        if (bufLen + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + more));
        }
    }

    private void appendAscii(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        append(b, 0, b.length);
    }

    private void append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, bufLen, len);
        bufLen += len;
    }

    /**
     * Writes what was propagated since the last flush (Redis's flushAppendOnlyFile, run before
     * replies are sent); under {@code appendfsync always} also fsyncs. Caller holds the lock.
     */
    public void flush() {
        if (bufLen == 0 || incr == null) {
            return;
        }
        if (flushSleepMicros > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(flushSleepMicros * 1000L); // DEBUG AOF-FLUSH-SLEEP (tests)
        }
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, bufLen);
            while (bb.hasRemaining()) {
                incr.write(bb);
            }
            int n = bufLen;
            currentSize += n;
            bufLen = 0;
            if (buf.length > 1 << 20) {
                buf = new byte[1 << 16];
            }
            writtenBytes += n;
            fsyncPending = true; // always: syncWritten() fsyncs before the replies; everysec: the background thread
            if (!lastWriteOk) {
                Log.warning("AOF write error looks solved, Redis can write again.");
            }
            lastWriteOk = true;
        } catch (IOException e) {
            if ("always".equals(config.appendfsync)) {
                // The reply must not go out for a write that is not on disk (Redis exits here too).
                Log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
                Runtime.getRuntime().halt(1);
            }
            if (lastWriteOk) {
                Log.warning("Error writing to the AOF file: " + e.getMessage());
            }
            lastWriteOk = false; // the data stays buffered: the next flush retries it
            lastWriteError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** The reason the last AOF write failed while AOF is on, or null: writes are refused meanwhile (MISCONF). */
    public String writeError() {
        return on && !lastWriteOk ? lastWriteError : null;
    }

    /** Whether, under appendfsync always, written bytes still wait for their fsync (replies must wait too). */
    public boolean syncPending() {
        return syncedBytes < writtenBytes && "always".equals(config.appendfsync);
    }

    /**
     * appendfsync always (called after the keyspace lock is released, before replies are sent):
     * returns once everything written so far is on disk. Group commit: a caller finding its bytes
     * already covered by another thread's fsync returns at once. An fsync failure is fatal, as
     * Redis exits: no reply may claim a write that is not durable.
     */
    public void syncWritten() {
        if (!"always".equals(config.appendfsync)) {
            return;
        }
        long target = writtenBytes;
        if (syncedBytes >= target) {
            return;
        }
        synchronized (fsyncLock) {
            if (syncedBytes >= target || incr == null) {
                return;
            }
            long upTo = writtenBytes;
            long start = System.nanoTime();
            try {
                incr.force(false);
            } catch (IOException e) {
                Log.warning("Can't fsync the AOF under appendfsync always (" + e.getMessage() + "). Exiting...");
                Runtime.getRuntime().halt(1);
            }
            syncedBytes = upTo;
            server.dispatcher().latency().addSampleIfNeeded("aof-fsync-always", (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Background fsync once a second (everysec; also anything written outside a client's batch under always). */
    private void fsyncEverysec() {
        if ("no".equals(config.appendfsync) || !fsyncPending) {
            return;
        }
        synchronized (fsyncLock) {
            try {
                if (incr != null && incr.isOpen()) {
                    fsyncPending = false;
                    long upTo = writtenBytes;
                    incr.force(false);
                    syncedBytes = Math.max(syncedBytes, upTo);
                }
            } catch (IOException e) {
                Log.warning("Can't fsync the AOF: " + e.getMessage());
            }
        }
    }

    /**
     * DEBUG LOADAOF (lock held): what is buffered reaches the disk, the dataset is emptied and
     * loaded again from the AOF directory as at start-up.
     */
    public void debugLoadAof() {
        flush();
        try {
            synchronized (fsyncLock) {
                if (incr != null) {
                    incr.force(false);
                }
            }
            server.keyspace().flushAll();
            Path mf = manifestPath();
            if (Files.exists(mf)) {
                AofManifest m = AofManifest.parse(config.appendfilename, Files.readAllBytes(mf));
                new AofLoader(server, dir()).load(m);
            }
            Log.warning("Append Only File loaded by DEBUG LOADAOF");
        } catch (IOException | IllegalStateException e) {
            throw new dev.keydb.server.command.CommandError("ERR Error loading the AOF: " + e.getMessage());
        }
    }

    // ---- turning on and off at run time -----------------------------------------------------------

    /** CONFIG SET appendonly yes: a background rewrite writes the base; appending starts at its beginning. */
    public void enable() {
        if (on) {
            return;
        }
        if (rewriteInProgress) {
            rewriteScheduled = true; // after the running (cancelled) rewrite, from the cron
            return;
        }
        rewriteBackground();
    }

    /** CONFIG SET appendonly no (Redis's stopAppendOnly): flush, fsync and close; a running rewrite is dropped. */
    public void disable() {
        rewriteCancelled = rewriteInProgress;
        retryEnablingAtMs = 0;
        if (!on) {
            return;
        }
        flush();
        server.propagation().removeListener(this);
        on = false;
        synchronized (fsyncLock) {
            try {
                if (incr != null) {
                    incr.force(false);
                    incr.close();
                }
            } catch (IOException e) {
                Log.warning("Can't close the AOF: " + e.getMessage());
            }
            incr = null;
        }
        bufLen = 0;
    }

    /** Shutdown: what is buffered reaches the disk. */
    public void close() {
        server.lock().lock();
        try {
            flush();
            synchronized (fsyncLock) {
                if (incr != null) {
                    try {
                        incr.force(false);
                    } catch (IOException ignored) {
                        // the process is going away
                    }
                }
            }
        } finally {
            server.lock().unlock();
        }
        if (fsyncThread != null) {
            fsyncThread.shutdownNow();
        }
    }

    // ---- rewriting ---------------------------------------------------------------------------

    public boolean rewriteInProgress() {
        return rewriteInProgress;
    }

    /** BGREWRITEAOF: starts a rewrite on a background thread; false when one is already running. */
    public boolean rewriteBackground() {
        if (rewriteInProgress) {
            return false;
        }
        if (server.persistence().bgsaveInProgress()) {
            rewriteScheduled = true; // one background job at a time, as Redis: the cron starts it after the save
            return true;
        }
        rewriteInProgress = true;
        rewriteCancelled = false;
        rewriteScheduled = false;
        rewriteStartMs = System.currentTimeMillis();
        Thread t = new Thread(this::rewriteInBackground, "keydb-aof-rewrite");
        t.setDaemon(true);
        t.start();
        return true;
    }

    private void rewriteInBackground() {
        Path tmp = dir().resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        boolean ok = false;
        boolean enabling = false;
        try {
            Rewrite r;
            Snapshot snapshot;
            List<byte[]> functions;
            server.lock().lock();
            try {
                if (rewriteCancelled) {
                    return;
                }
                enabling = !on && config.appendonly;
                // Under the lock only the incr rotation and a snapshot (a few array copies);
                // the base is written from the snapshot while writes go on.
                r = beginRewrite();
                snapshot = server.persistence().takeSnapshot();
                functions = server.scripts().functions().codes();
            } finally {
                server.lock().unlock();
            }
            try {
                // Off the lock and at low priority, so that the event loops win when cores are short.
                BackgroundPriority.runLowered("keydb-aof-base", () -> {
                    writeBaseFile(snapshot.view(), functions, tmp);
                    DurableFiles.fsync(tmp);
                });
            } finally {
                server.lock().lock();
                try {
                    snapshot.close();
                } finally {
                    server.lock().unlock();
                }
            }
            server.lock().lock();
            try {
                if (!rewriteCancelled) {
                    finishRewrite(r, tmp);
                    ok = true;
                }
            } finally {
                server.lock().unlock();
            }
        } catch (IOException | RuntimeException e) {
            Log.warning("Background AOF rewrite failed: " + e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing left to do
            }
            if (enabling && !ok && !rewriteCancelled) {
                abandonEnabling();
            }
            rewriteDone(ok);
        }
    }

    /**
     * CONFIG SET appendonly yes whose first rewrite failed: without a base the new incr file
     * describes nothing, so appending stops and the files on disk stay as they were; the
     * rewrite is tried again in a minute (Redis stays in its wait-rewrite state and retries).
     */
    private void abandonEnabling() {
        server.lock().lock();
        try {
            if (!on) {
                return;
            }
            server.propagation().removeListener(this);
            on = false;
            bufLen = 0;
            synchronized (fsyncLock) {
                try {
                    if (incr != null) {
                        incr.close();
                    }
                    if (pendingIncr != null) {
                        Files.deleteIfExists(pendingIncr);
                    }
                } catch (IOException e) {
                    Log.warning("Can't remove the unused AOF incr file: " + e.getMessage());
                }
                incr = null;
                pendingIncr = null;
            }
            retryEnablingAtMs = System.currentTimeMillis() + 60_000;
            Log.warning("The AOF is not enabled yet: its first rewrite failed; trying again in a minute");
        } finally {
            server.lock().unlock();
        }
    }

    /** What a rewrite keeps between its start and its end. */
    private record Rewrite(AofManifest.Entry newIncr, boolean wasOn) {}

    /**
     * The synchronous part of a rewrite (lock held): flush and open the incr file that takes
     * the writes from now on; the caller then writes the base of the dataset as it is now.
     */
    private Rewrite beginRewrite() throws IOException {
        Files.createDirectories(dir());
        boolean wasOn = on;
        if (manifest == null) {
            Path mf = manifestPath();
            manifest = Files.exists(mf) ? AofManifest.parse(config.appendfilename, Files.readAllBytes(mf))
                    : AofManifest.empty(config.appendfilename);
        }
        flush();
        // BGREWRITEAOF with the AOF off writes a base alone; otherwise an incr file takes the writes from now on.
        boolean enabling = !wasOn && config.appendonly;
        AofManifest.Entry newIncr = null;
        if (wasOn || enabling) {
            newIncr = manifest.nextIncr();
            FileChannel ch = FileChannel.open(dir().resolve(newIncr.name()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            if (wasOn) {
                // The old files plus the new incr still describe the whole dataset: record it now.
                manifest = manifest.withIncr(newIncr);
                writeManifest(manifest);
            }
            setIncr(ch);
        }
        pendingIncr = enabling ? dir().resolve(newIncr.name()) : null;
        if (enabling) {
            on = true; // CONFIG SET appendonly yes: appending starts with the base's instant
            server.propagation().addListener(this);
            startFsyncThread();
        }
        return new Rewrite(newIncr, wasOn);
    }

    private void writeBaseFile(Keyspace ks, List<byte[]> functions, Path tmp) throws IOException {
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream os = new BufferedOutputStream(Channels.newOutputStream(out), 1 << 16);
            AofBase.write(ks, functions, config, os);
            os.flush();
        }
    }

    /**
     * The end of a rewrite (lock held): the base gets its final name, the manifest names it and
     * the incr files opened since the rewrite began, and the replaced files are deleted
     * (Redis's backgroundRewriteDoneHandler).
     */
    private void finishRewrite(Rewrite r, Path tmp) throws IOException {
        AofManifest.Entry base = manifest.nextBase(config.aofUseRdbPreamble);
        DurableFiles.move(tmp, dir().resolve(base.name()));
        AofManifest next = manifest.rewritten(base, r.newIncr() == null ? Long.MAX_VALUE : r.newIncr().seq());
        if (!r.wasOn()) {
            // Files of an earlier run are history: the new base and (when appending) the new incr replace them.
            next = new AofManifest(next.baseName(), base, r.newIncr() == null ? List.of() : List.of(r.newIncr()), next.history());
        }
        writeManifest(next);
        manifest = next;
        pendingIncr = null;
        DurableFiles.fsyncDirectory(dir());
        baseSize = sizeOf(List.of(base));
        currentSize = sizeOf(manifest.loadOrder()) + bufLen;
        rewriteBaseSize = currentSize;
        deleteHistory();
        Log.notice("Background AOF rewrite finished successfully");
    }

    /** Start-up without any AOF, synchronously: the dataset loaded so far becomes the base (lock held). */
    private void rewriteNow() throws IOException {
        Path tmp = dir().resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
        try {
            Rewrite r = beginRewrite();
            writeBaseFile(server.keyspace(), server.scripts().functions().codes(), tmp);
            DurableFiles.fsync(tmp);
            finishRewrite(r, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void rewriteDone(boolean ok) {
        if (!rewriteCancelled) {
            lastRewriteOk = ok;
            if (ok) {
                rewrites++;
                rewriteFailures = 0;
            } else {
                rewriteFailures++;
            }
        }
        lastRewriteTimeSec = (System.currentTimeMillis() - rewriteStartMs) / 1000;
        rewriteStartMs = -1;
        rewriteInProgress = false;
    }

    /** Deletes the history files and records the manifest without them (Redis's aofDelHistoryFiles). */
    private void deleteHistory() throws IOException {
        if (manifest == null || manifest.history().isEmpty()) {
            return;
        }
        for (AofManifest.Entry e : manifest.history()) {
            Files.deleteIfExists(dir().resolve(e.name()));
        }
        manifest = manifest.withoutHistory();
        writeManifest(manifest);
    }

    /** The manifest written to a temp file, fsynced and renamed over the old one. */
    private void writeManifest(AofManifest m) throws IOException {
        Path tmp = dir().resolve("temp-" + AofManifest.fileName(config.appendfilename));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.wrap(m.format().getBytes(StandardCharsets.UTF_8));
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
        DurableFiles.move(tmp, manifestPath());
        DurableFiles.fsyncDirectory(dir());
    }

    /** BGREWRITEAOF inside MULTI: the cron starts it (aof_rewrite_scheduled). */
    public void scheduleRewrite() {
        rewriteScheduled = true;
    }

    /**
     * The cron's check (Redis's serverCron), lock held: a scheduled rewrite starts, and one
     * starts once the AOF grew past the configured percentage.
     */
    public void cron() {
        if (rewriteInProgress || server.persistence().bgsaveInProgress()) {
            return; // one background job at a time, as Redis's hasActiveChildProcess()
        }
        if (rewriteScheduled) {
            rewriteBackground();
            return;
        }
        if (!on && config.appendonly && retryEnablingAtMs != 0 && System.currentTimeMillis() >= retryEnablingAtMs) {
            retryEnablingAtMs = 0;
            rewriteBackground();
            return;
        }
        if (!on) {
            return;
        }
        long perc = config.autoAofRewritePercentage;
        long size = currentSize;
        if (perc > 0 && size > config.autoAofRewriteMinSize) {
            long base = rewriteBaseSize > 0 ? rewriteBaseSize : 1;
            long growth = size * 100 / base - 100;
            if (growth >= perc) {
                Log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
                rewriteBackground();
            }
        }
    }

    // ---- INFO persistence ------------------------------------------------------------------------

    /** The aof_* fields of INFO persistence, in Redis 7.0's order; {@code out} takes (name, value). */
    /** DEBUG AOF-FLUSH-SLEEP: a pause before each write of the buffer, to widen races in tests. */
    public void flushSleepMicros(long micros) {
        flushSleepMicros = micros;
    }

    private volatile long flushSleepMicros;

    /** Bytes propagated but not yet written to the file (INFO mem_aof_buffer). */
    public int bufferedBytes() {
        return bufLen;
    }

    public void info(java.util.function.BiConsumer<String, Object> out) {
        out.accept("aof_enabled", config.appendonly ? 1 : 0);
        out.accept("aof_rewrite_in_progress", rewriteInProgress ? 1 : 0);
        out.accept("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
        out.accept("aof_last_rewrite_time_sec", lastRewriteTimeSec);
        long start = rewriteStartMs;
        out.accept("aof_current_rewrite_time_sec", rewriteInProgress && start > 0 ? (System.currentTimeMillis() - start) / 1000 : -1);
        out.accept("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err");
        out.accept("aof_rewrites", rewrites);
        out.accept("aof_rewrites_consecutive_failures", rewriteFailures);
        out.accept("aof_last_write_status", lastWriteOk ? "ok" : "err");
        out.accept("aof_last_cow_size", 0);
        out.accept("module_fork_in_progress", 0);
        out.accept("module_fork_last_cow_size", 0);
        if (config.appendonly) {
            out.accept("aof_current_size", currentSize);
            out.accept("aof_base_size", baseSize);
            out.accept("aof_pending_rewrite", rewriteScheduled ? 1 : 0);
            out.accept("aof_buffer_length", bufLen);
            out.accept("aof_pending_bio_fsync", 0);
            out.accept("aof_delayed_fsync", 0);
        }
    }
}
