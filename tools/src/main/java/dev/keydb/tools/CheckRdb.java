package dev.keydb.tools;

import dev.keydb.storage.rdb.Rdb;
import dev.keydb.storage.rdb.RdbReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * keydb-check-rdb: Redis 7.0's redis-check-rdb on the storage module's RDB reader. Prints
 * what it meets with the byte offset reached ("[offset N] ..."), a progress line every
 * {@link #PROGRESS_BYTES} on large files, and on damage Redis's "--- RDB ERROR DETECTED ---"
 * report; exits 0 when the file is sound and 1 otherwise.
 */
public final class CheckRdb {
    private CheckRdb() {}

    /** A progress line every this many bytes. */
    static final long PROGRESS_BYTES = 64L << 20;

    /** rdb_type_string: names of the value types by number. */
    private static final String[] TYPE_NAMES = {"string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable",
        "zset-v2", "module-value", "", "", "hash-zipmap", "list-ziplist", "set-intset", "zset-ziplist", "hash-ziplist",
        "quicklist", "stream", "hash-listpack", "zset-listpack", "quicklist-v2", "stream-v2", "set-listpack", "stream-v3",
        "hash-hashtable-md-pre-release", "hash-listpack-md-pre-release", "hash-hashtable-md", "hash-listpack-md"};

    /** redis_check_rdb_main as a standalone program: the exit status. */
    public static int run(String prog, String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("Usage: " + prog + " <rdb-file-name>");
            return 1;
        }
        if (args[0].equals("-v") || args[0].equals("--version")) {
            out.println(prog + " " + Version.get());
            return 0;
        }
        Path file = Path.of(args[0]);
        out.println("[offset 0] Checking RDB file " + args[0]);
        try (InputStream in = Files.newInputStream(file)) {
            return check(in, out) != null ? 0 : 1;
        } catch (IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset 0] Cannot open RDB file " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Checks an RDB stream (the "Checking RDB file" line already printed), reporting as
     * redis-check-rdb does: the result when sound, null after an error report.
     */
    static RdbReader.CheckResult check(InputStream in, PrintStream out) {
        return check(in, out, PROGRESS_BYTES);
    }

    static RdbReader.CheckResult check(InputStream in, PrintStream out, long progressBytes) {
        long[] nextProgress = {progressBytes};
        long[] keys = {0};
        RdbReader.CheckListener listener = new RdbReader.CheckListener() {
            @Override
            public void aux(long offset, byte[] key, byte[] value) {
                out.println("[offset " + offset + "] AUX FIELD " + text(key) + " = '" + text(value) + "'");
            }

            @Override
            public void selectDb(long offset, long id) {
                out.println("[offset " + offset + "] Selecting DB ID " + id);
            }

            @Override
            public void key(long offset, byte[] key, int type, long expireAtMs) {
                keys[0]++;
                if (offset >= nextProgress[0]) {
                    out.println("[offset " + offset + "] Checked " + (offset >> 20) + " MB, " + keys[0] + " keys so far");
                    nextProgress[0] = (offset / progressBytes + 1) * progressBytes;
                }
            }

            @Override
            public void info(long offset, String message) {
                out.println("[offset " + offset + "] " + message);
            }

            @Override
            public void checksum(long offset, boolean disabled) {
                out.println("[offset " + offset + "] "
                        + (disabled ? "RDB file was saved with checksum disabled: no check performed." : "Checksum OK"));
            }
        };
        try {
            RdbReader.CheckResult r = RdbReader.check(in, listener, System.currentTimeMillis());
            out.println("[offset " + r.endOffset() + "] \\o/ RDB looks OK! \\o/");
            info(out, r.keys(), r.expires(), r.alreadyExpired());
            return r;
        } catch (RdbReader.CheckError e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset " + e.offset + "] " + e.reason);
            out.println("[additional info] While doing: " + e.doing);
            if (e.key != null) {
                out.println("[additional info] Reading key '" + text(e.key) + "'");
            }
            if (e.type != -1) {
                out.println("[additional info] Reading type " + e.type + " ("
                        + typeName(e.type) + ")");
            }
            info(out, e.keys, e.expires, e.alreadyExpired);
            return null;
        }
    }

    /** A value type's name: Redis's, and KeyDB's cron job and this server's nested hash. */
    static String typeName(int type) {
        if (type == Rdb.TYPE_KEYDB_CRON) {
            return "keydb-cron";
        }
        if (type == Rdb.TYPE_KEYDB_JVM_NESTED_HASH) {
            return "keydb-jvm-nested-hash";
        }
        return type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown";
    }

    private static void info(PrintStream out, long keys, long expires, long alreadyExpired) {
        out.println("[info] " + keys + " keys read");
        out.println("[info] " + expires + " expires");
        out.println("[info] " + alreadyExpired + " already expired");
    }

    /** Bytes as Redis's %s prints them: up to the first NUL, as they are (UTF-8 on a terminal). */
    static String text(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
