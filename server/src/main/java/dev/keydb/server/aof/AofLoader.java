package dev.keydb.server.aof;

import dev.keydb.server.Client;
import dev.keydb.server.Log;
import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.storage.rdb.RdbException;
import dev.keydb.storage.rdb.RdbReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Replays an AOF at start-up (Redis 7.0's loadAppendOnlyFiles / loadSingleAppendOnlyFile): the
 * base (an RDB, recognised by its "REDIS" magic, possibly followed by commands as in an old
 * single-file AOF, or commands only) and then each incr file, every command run through the
 * dispatcher by a client without connection, with propagation suspended and keys not expiring
 * while loading. "#" lines are annotations. A torn tail of the last file is cut off when
 * {@code aof-load-truncated} is yes (the file is truncated to its last complete command, and a
 * MULTI without EXEC counts as torn); anywhere else it is fatal.
 */
final class AofLoader {
    private final Server server;
    private final Path dir;
    private long commands;

    AofLoader(Server server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Thrown when the AOF cannot be loaded; start-up stops with its message. */
    static final class AofLoadException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        AofLoadException(String msg) {
            super(msg);
        }
    }

    void load(AofManifest manifest) throws IOException {
        List<AofManifest.Entry> files = manifest.loadOrder();
        long start = System.nanoTime();
        boolean expiry = server.keyspace().expiryEnabled();
        server.lock().lock();
        server.propagation().suspend();
        server.keyspace().setExpiryEnabled(false); // nothing expires while loading, as Redis
        try {
            for (int i = 0; i < files.size(); i++) {
                AofManifest.Entry e = files.get(i);
                Path p = dir.resolve(e.name());
                if (!Files.exists(p)) {
                    throw new AofLoadException("Fatal error: can't open the append log file " + e.name() + " for reading: No such file or directory");
                }
                if (Files.size(p) == 0) {
                    continue; // an empty file is fine (Redis's AOF_EMPTY)
                }
                loadFile(p, i == files.size() - 1);
                Log.notice("DB loaded from " + (e.type() == AofManifest.BASE ? "base" : "incr") + " file " + e.name());
            }
        } finally {
            server.keyspace().setExpiryEnabled(expiry);
            server.propagation().resume();
            server.lock().unlock();
        }
        Log.notice(String.format("DB loaded from append only file: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }

    /** One file: RDB preamble if any, then commands. */
    private void loadFile(Path p, boolean last) throws IOException {
        long rdbEnd = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            byte[] magic = in.readNBytes(5);
            if (new String(magic, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS")) {
                Log.notice("Reading RDB base file on AOF loading...");
                try (InputStream rdb = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
                    RdbReader.load(rdb, server.keyspace(), server.persistence().limits(), System.currentTimeMillis(),
                            server.config().rdbchecksum && server.verifyChecksums());
                } catch (RdbException e) {
                    throw new AofLoadException("Error reading the RDB base file " + p.getFileName() + ", AOF loading aborted: " + e.getMessage());
                }
                // A multi-part base ends with its RDB; an old single-file AOF may go on with commands.
                rdbEnd = p.getFileName().toString().endsWith(".rdb") ? Files.size(p) : rdbLength(p);
            }
        }
        if (rdbEnd >= Files.size(p)) {
            return;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            in.skipNBytes(rdbEnd);
            replay(p, new Input(in, rdbEnd), last);
        }
    }

    /** Where an RDB preamble ends (an old single-file AOF continues with commands after it). */
    private static long rdbLength(Path p) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            return RdbReader.check(in, new RdbReader.CheckListener() { }, System.currentTimeMillis()).endOffset();
        } catch (RdbException e) {
            throw new AofLoadException("Error reading the RDB preamble of " + p.getFileName() + ": " + e.getMessage());
        }
    }

    private void replay(Path p, Input in, boolean last) throws IOException {
        Client fake = server.newScriptClient();
        ByteBuf scratch = Unpooled.buffer(256);
        fake.reply().target(scratch);
        CommandContext ctx = new CommandContext(server, fake);
        long validUpTo = in.pos;
        long validBeforeMulti = -1;
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    break; // clean end of file
                }
                if (c == '#') {
                    in.line(); // annotation such as #TS:
                    validUpTo = in.pos;
                    continue;
                }
                if (c != '*') {
                    throw fmtError(p, in);
                }
                long argc = number(in.line(), p, in);
                if (argc < 1 || argc > Integer.MAX_VALUE - 8) {
                    throw fmtError(p, in);
                }
                // Grown as arguments arrive: a damaged count never allocates more than the file holds.
                byte[][] argv = new byte[(int) Math.min(argc, 1024)][];
                for (int j = 0; j < argc; j++) {
                    if (j == argv.length) {
                        argv = java.util.Arrays.copyOf(argv, (int) Math.min(argc, (long) argv.length * 2));
                    }
                    if (in.read() != '$') {
                        if (in.eof) {
                            throw new EOFException();
                        }
                        throw fmtError(p, in);
                    }
                    long len = number(in.line(), p, in);
                    if (len < 0 || len > Integer.MAX_VALUE - 8) {
                        throw fmtError(p, in);
                    }
                    argv[j] = in.bytes((int) len);
                    if (in.read() != '\r' || in.read() != '\n') {
                        if (in.eof) {
                            throw new EOFException();
                        }
                        throw fmtError(p, in);
                    }
                }
                if (server.commands().lookup(argv[0]) == null) {
                    throw new AofLoadException("Unknown command '" + ascii(argv[0]) + "' reading the append only file " + p.getFileName());
                }
                boolean multi = argv.length == 1 && ascii(argv[0]).equalsIgnoreCase("multi");
                if (multi) {
                    validBeforeMulti = validUpTo;
                }
                server.dispatcher().execute(ctx, argv);
                scratch.clear();
                commands++;
                validUpTo = in.pos;
            }
            if (fake.inMulti()) {
                // A MULTI never closed by EXEC: the transaction's part of the file is torn.
                validUpTo = validBeforeMulti;
                throw new EOFException();
            }
        } catch (EOFException e) {
            truncated(p, last, validUpTo);
        } finally {
            scratch.release();
        }
    }

    private void truncated(Path p, boolean last, long validUpTo) throws IOException {
        if (!last) {
            throw new AofLoadException("Fatal error: the truncated file is not the last file");
        }
        if (!server.config().aofLoadTruncated) {
            throw new AofLoadException("Unexpected end of file reading the append only file " + p.getFileName()
                    + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                    + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        }
        Log.warning("!!! Warning: short read while loading the AOF file " + p.getFileName() + "!!!");
        Log.warning("!!! Truncating the AOF " + p.getFileName() + " at offset " + validUpTo + " !!!");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(validUpTo);
            ch.force(true);
        }
        Log.warning("AOF " + p.getFileName() + " loaded anyway because aof-load-truncated is enabled");
    }

    private static AofLoadException fmtError(Path p, Input in) {
        return new AofLoadException("Bad file format reading the append only file " + p.getFileName()
                + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }

    private static long number(byte[] line, Path p, Input in) {
        try {
            return Long.parseLong(ascii(line));
        } catch (NumberFormatException e) {
            throw fmtError(p, in);
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A byte stream that counts its position; a short read is an EOFException. */
    private static final class Input {
        private final InputStream in;
        long pos;
        boolean eof;

        Input(InputStream in, long pos) {
            this.in = in;
            this.pos = pos;
        }

        int read() throws IOException {
            int c = in.read();
            if (c < 0) {
                eof = true;
                return -1;
            }
            pos++;
            return c;
        }

        /** A line up to CRLF (exclusive); EOF before it is a short read. */
        byte[] line() throws IOException {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(16);
            while (true) {
                int c = read();
                if (c < 0) {
                    throw new EOFException();
                }
                if (c == '\n') {
                    byte[] r = b.toByteArray();
                    int n = r.length > 0 && r[r.length - 1] == '\r' ? r.length - 1 : r.length;
                    return java.util.Arrays.copyOf(r, n);
                }
                b.write(c);
                if (b.size() > 1024) {
                    return new byte[] {'x'}; // not a number: a format error follows
                }
            }
        }

        byte[] bytes(int len) throws IOException {
            if (len < 0) {
                throw new EOFException();
            }
            byte[] b = in.readNBytes(len);
            pos += b.length;
            if (b.length < len) {
                eof = true;
                throw new EOFException();
            }
            return b;
        }
    }
}
