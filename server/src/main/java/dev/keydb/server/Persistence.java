package dev.keydb.server;

import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.rdb.RdbException;
import dev.keydb.storage.rdb.RdbReader;
import dev.keydb.storage.rdb.RdbWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * RDB persistence of one server (Redis's rdbSave/rdbLoad callers): the synchronous SAVE (a temp
 * file in {@code dir}, fsync, atomic rename to {@code dbfilename}, fsync of the directory) and
 * the load at start-up. Callers of {@link #save} hold the keyspace lock.
 */
public final class Persistence {
    private final Server server;
    /** Unix seconds of the last successful save (start-up time before the first, as Redis). */
    private volatile long lastSave = System.currentTimeMillis() / 1000;
    private volatile long saves;
    /** Server.dirty() when the last save began: INFO's rdb_changes_since_last_save is the difference. */
    private volatile long dirtyAtLastSave;

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

    /** Redis's shutdown rule: save when asked to, or when save points are configured and NOSAVE was not given. */
    public boolean hasSavePoints() {
        return false; // the 'save' directive accepts only "" until automatic saving exists
    }

    /** Writes the whole dataset to {@code dir/dbfilename}; the caller holds the keyspace lock. */
    public void save() throws IOException {
        ServerConfig c = server.config();
        Path dir = Path.of(c.dir);
        Path tmp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
        Path target = dir.resolve(c.dbfilename);
        long dirtyBefore = server.dirty();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                RdbWriter.save(server.keyspace(), out,
                        new RdbWriter.Options(Server.VERSION, c.rdbcompression, c.rdbchecksum, usedMemory()));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            Log.warning("Failed saving the DB: " + e.getMessage());
            throw e;
        }
        lastSave = System.currentTimeMillis() / 1000;
        saves++;
        dirtyAtLastSave = dirtyBefore;
        Log.notice("DB saved on disk");
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform lets a directory be opened for fsync; the rename itself is atomic
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
        RdbReader.LoadResult r;
        server.lock().lock();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            r = RdbReader.load(in, server.keyspace(), limits(), System.currentTimeMillis(), server.config().rdbchecksum);
        } catch (RdbException e) {
            server.keyspace().flushAll();
            throw new IllegalStateException("Fatal error loading the DB from " + file + ": " + e.getMessage() + ". Exiting.", e);
        } catch (IOException e) {
            server.keyspace().flushAll();
            throw new IllegalStateException("Fatal error loading the DB from " + file + ": " + e + ". Exiting.", e);
        } finally {
            server.lock().unlock();
        }
        Log.notice("Done loading RDB, keys loaded: " + r.keys() + ", keys expired: " + r.expiredSkipped() + "."
                + (r.emptySkipped() > 0 ? " Empty keys skipped: " + r.emptySkipped() + "." : ""));
        Log.notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }
}
