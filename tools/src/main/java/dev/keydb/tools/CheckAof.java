package dev.keydb.tools;

import dev.keydb.storage.aof.AofManifestReader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * keydb-check-aof: Redis 7.0's redis-check-aof. Checks an old-style AOF (RESP commands,
 * possibly after an RDB preamble) or, given a manifest, every file of a multi-part AOF: the
 * base (RDB or RESP) and the incr files, in the manifest's directory. The check stops at the
 * first command that cannot be read; the file is then valid only up to that command's start
 * ("ok_up_to"), and {@code --fix} truncates it there (after asking, as Redis does) -- in a
 * multi-part AOF only the last file may be truncated. An unterminated MULTI at the end counts
 * as damage from the MULTI on. {@code --truncate-to-timestamp T} cuts the last file at the
 * first "#TS:" annotation later than T.
 */
public final class CheckAof {
    static final int CHECK_OK = 0;
    static final int CHECK_EMPTY = 1;
    static final int CHECK_TRUNCATED = 2;
    static final int CHECK_TIMESTAMP_TRUNCATED = 3;

    /** Thrown to end the program with a status (Redis's exit() calls). */
    static final class Exit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Exit(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private final PrintStream out;
    private final BufferedReader stdin;
    private long toTimestamp;
    private String error = "";
    private long epos;
    private long line = 1;
    /** A progress line every this many bytes of commands (large files; Redis's checker prints none). */
    private final long progressBytes;

    private CheckAof(PrintStream out, InputStream stdin, long progressBytes) {
        this.out = out;
        this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.progressBytes = progressBytes;
    }

    /** redis_check_aof_main: the exit status. */
    public static int run(String prog, String[] args, InputStream stdin, PrintStream out) {
        return run(prog, args, stdin, out, CheckRdb.PROGRESS_BYTES);
    }

    static int run(String prog, String[] args, InputStream stdin, PrintStream out, long progressBytes) {
        CheckAof c = new CheckAof(out, stdin, progressBytes);
        String file;
        boolean fix = false;
        if (args.length == 1) {
            file = args[0];
        } else if (args.length == 2 && args[0].equals("--fix")) {
            file = args[1];
            fix = true;
        } else if (args.length == 3 && args[0].equals("--truncate-to-timestamp")) {
            try {
                c.toTimestamp = Long.parseLong(args[1]);
            } catch (NumberFormatException e) {
                out.println("Invalid timestamp, aborting...");
                return 1;
            }
            file = args[2];
        } else {
            out.println("Usage: " + prog + " [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>");
            return 1;
        }
        try {
            Path path = Path.of(file);
            Path dir = path.getParent() == null ? Path.of(".") : path.getParent();     // dirname
            if (c.isManifest(path)) {
                c.checkMultiPart(dir, path, fix);
            } else {
                c.checkOldStyle(file, path, fix, c.isRdb(path));
            }
            return 0;
        } catch (Exit e) {
            return e.status;
        } finally {
            out.flush();
        }
    }

    // ---- file kinds ----------------------------------------------------------------------------

    private long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            out.println("Cannot open file " + p + ": " + reason(e));
            throw new Exit(1);
        }
    }

    /** fileIsRDB: at least 8 bytes, starting "REDIS". */
    boolean isRdb(Path p) {
        if (size(p) < 8) {
            return false;
        }
        byte[] sig = new byte[5];
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(sig, 0, 5) == 5 && new String(sig, StandardCharsets.US_ASCII).equals("REDIS");
        } catch (IOException e) {
            out.println("Cannot open file " + p + ": " + reason(e));
            throw new Exit(1);
        }
    }

    /** fileIsManifest: some line that is not a comment starts with "file". */
    boolean isManifest(Path p) {
        if (size(p) == 0) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] all = in.readAllBytes();
            int start = 0;
            boolean manifest = false;
            // fgets with a 1025-byte buffer: a long line is read in pieces, each tested.
            while (start < all.length) {
                int end = start;
                while (end < all.length && end - start < 1024 && all[end] != '\n') {
                    end++;
                }
                if (end < all.length && all[end] == '\n' && end - start < 1024) {
                    end++;
                }
                if (all[start] != '#' && end - start >= 4
                        && new String(all, start, 4, StandardCharsets.ISO_8859_1).equals("file")) {
                    manifest = true;
                }
                start = end;
            }
            return manifest;
        } catch (IOException e) {
            out.println("Cannot open file " + p + ": " + reason(e));
            throw new Exit(1);
        }
    }

    // ---- multi-part and old style -----------------------------------------------------------

    private void checkOldStyle(String name, Path path, boolean fix, boolean preamble) {
        out.println("Start checking Old-Style AOF");
        int ret = checkSingle(name, path, true, fix, preamble);
        report("AOF " + name, name, ret, "valid");
    }

    private void report(String what, String name, int ret, String ok) {
        switch (ret) {
            case CHECK_OK -> out.println(what + " is " + ok);
            case CHECK_EMPTY -> out.println(what + " is empty");
            case CHECK_TIMESTAMP_TRUNCATED -> out.println("Successfully truncated AOF " + name + " to timestamp " + toTimestamp);
            case CHECK_TRUNCATED -> out.println("Successfully truncated AOF " + name);
            default -> throw new IllegalStateException();
        }
    }

    private void checkMultiPart(Path dir, Path manifest, boolean fix) {
        out.println("Start checking Multi Part AOF");
        Manifest am = Manifest.load(manifest, out);
        int total = (am.base != null ? 1 : 0) + am.incr.size();
        int n = 0;
        if (am.base != null) {
            Path p = dir.resolve(am.base);
            boolean last = ++n == total;
            boolean rdb = isRdb(p);
            out.println("Start to check BASE AOF (" + (rdb ? "RDB" : "RESP") + " format).");
            int ret = checkSingle(am.base, p, last, fix, rdb);
            report("BASE AOF " + am.base, am.base, ret, "valid");
        }
        if (!am.incr.isEmpty()) {
            out.println("Start to check INCR files.");
            for (String name : am.incr) {
                Path p = dir.resolve(name);
                boolean last = ++n == total;
                int ret = checkSingle(name, p, last, fix, false);
                report("INCR AOF " + name, name, ret, "valid");
            }
        }
        out.println("All AOF files and manifest are valid");
    }

    /** The files a manifest lists (aofLoadManifestFromFile; history files are left out). */
    static final class Manifest {
        String base;
        final List<String> incr = new ArrayList<>();

        static Manifest load(Path p, PrintStream out) {
            Manifest am = new Manifest();
            byte[] all;
            try {
                all = Files.readAllBytes(p);
            } catch (IOException e) {
                out.println("Cannot open file " + p + ": " + reason(e));
                throw new Exit(1);
            }
            try {
                for (AofManifestReader.Entry e : AofManifestReader.read(all)) {
                    switch (e.type()) {
                        case 'b' -> am.base = e.name();
                        case 'i' -> am.incr.add(e.name());
                        default -> { } // history files are not checked
                    }
                }
            } catch (AofManifestReader.ManifestException e) {
                out.println();
                out.println("*** FATAL AOF MANIFEST FILE ERROR ***");
                out.println("Reading the manifest file, at line " + e.lineNumber());
                out.println(">>> '" + e.line() + "'");
                out.println(e.getMessage());
                throw new Exit(1);
            }
            return am;
        }
    }

    // ---- one file ------------------------------------------------------------------------------

    private void setError(String msg) {
        error = String.format("0x%16x: %s", epos, msg);
    }

    /** checkSingleAof: one of the CHECK_ values; exits on damage it may not or will not fix. */
    private int checkSingle(String name, Path path, boolean lastFile, boolean fix, boolean preamble) {
        if (!Files.isRegularFile(path)) {                    // "rw" would create it
            out.println("Cannot open file " + path + ": " + (Files.exists(path) ? "Is a directory" : "No such file or directory")
                    + ", aborting...");
            throw new Exit(1);
        }
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            long size = raf.length();
            if (size == 0) {
                return CHECK_EMPTY;
            }
            long start = 0;
            if (preamble) {
                out.println("[offset 0] Checking RDB file " + name);
                dev.keydb.storage.rdb.RdbReader.CheckResult r;
                try (InputStream rin = Files.newInputStream(path)) {
                    r = CheckRdb.check(rin, out);
                }
                if (r == null) {
                    out.println("RDB preamble of AOF file is not sane, aborting.");
                    throw new Exit(1);
                }
                out.println("RDB preamble is OK, proceeding with AOF tail...");
                start = r.endOffset();
            }
            Input in = new Input(raf, start);
            long pos = start;
            int[] multi = {0};
            long nextProgress = start + progressBytes;
            while (true) {
                if (multi[0] == 0) {
                    pos = in.pos;
                }
                if (in.pos >= nextProgress) {
                    out.println("[offset " + in.pos + "] Checked " + ((in.pos - start) >> 20) + " MB of AOF " + name + ", " + (line - 1)
                            + " lines so far");
                    nextProgress = in.pos + progressBytes;
                }
                int c = in.peek();
                if (c < 0) {
                    break;
                }
                if (c == '#') {
                    if (!annotation(in, raf, name, lastFile)) {
                        return CHECK_TIMESTAMP_TRUNCATED;
                    }
                } else if (c == '*') {
                    if (!command(in, name, multi)) {
                        break;
                    }
                } else {
                    out.println("AOF " + name + " format error");
                    break;
                }
            }
            if (in.eof && multi[0] != 0 && error.isEmpty()) {
                setError("Reached EOF before reading EXEC for MULTI");
            }
            if (!error.isEmpty()) {
                out.println(error);
            }
            long diff = size - pos;
            if (diff == 0 && toTimestamp != 0) {
                out.println("Truncate nothing in AOF " + name + " to timestamp " + toTimestamp);
                return CHECK_OK;
            }
            out.println("AOF analyzed: filename=" + name + ", size=" + size + ", ok_up_to=" + pos + ", ok_up_to_line=" + line
                    + ", diff=" + diff);
            if (diff > 0) {
                if (!fix) {
                    out.println("AOF " + name + " is not valid. Use the --fix option to try fixing it.");
                    throw new Exit(1);
                }
                if (!lastFile) {
                    out.println("Failed to truncate AOF " + name + " because it is not the last file");
                    throw new Exit(1);
                }
                out.println("This will shrink the AOF " + name + " from " + size + " bytes, with " + diff + " bytes, to " + pos
                        + " bytes");
                out.print("Continue? [y/N]: ");
                out.flush();
                String answer = stdin.readLine();
                if (answer == null || answer.isEmpty() || Character.toLowerCase(answer.charAt(0)) != 'y') {
                    out.println("Aborting...");
                    throw new Exit(1);
                }
                try {
                    raf.setLength(pos);
                } catch (IOException e) {
                    out.println("Failed to truncate AOF " + name);
                    throw new Exit(1);
                }
                return CHECK_TRUNCATED;
            }
            return CHECK_OK;
        } catch (IOException e) {
            out.println("Cannot open file " + path + ": " + reason(e) + ", aborting...");
            throw new Exit(1);
        }
    }

    /** processAnnotations: false when the file was truncated to the timestamp. */
    private boolean annotation(Input in, RandomAccessFile raf, String name, boolean lastFile) throws IOException {
        epos = in.pos;
        byte[] buf = in.fgets(1024);
        if (buf == null) {
            out.println("Failed to read annotations from AOF " + name + ", aborting...");
            throw new Exit(1);
        }
        String s = new String(buf, StandardCharsets.ISO_8859_1);
        if (toTimestamp != 0 && s.startsWith("#TS:")) {
            int i = 4;
            int j = i;
            if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) {
                j++;
            }
            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                j++;
            }
            long ts;
            try {
                ts = Long.parseLong(s.substring(i, j));
            } catch (NumberFormatException e) {
                ts = 0;
                j = -1;
            }
            if (j < 0 || j >= s.length() || s.charAt(j) != '\r') {
                out.println("Invalid timestamp annotation");
                throw new Exit(1);
            }
            if (ts <= toTimestamp) {
                return true;
            }
            if (epos == 0) {
                out.println("AOF " + name + " has nothing before timestamp " + toTimestamp + ", aborting...");
                throw new Exit(1);
            }
            if (!lastFile) {
                out.println("Failed to truncate AOF " + name + " to timestamp " + toTimestamp + " to offset " + epos
                        + " because it is not the last file.");
                out.println("If you insist, please delete all files after this file according to the manifest "
                        + "file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.");
                throw new Exit(1);
            }
            raf.setLength(epos);
            return false;
        }
        return true;
    }

    /** processRESP: one command; false (an error set, or none at a clean EOF) when it cannot be read. */
    private boolean command(Input in, String name, int[] multi) throws IOException {
        long argc = readLong(in, '*');
        if (argc == Long.MIN_VALUE) {
            return false;
        }
        for (long i = 0; i < argc; i++) {
            byte[] str = readString(in, i == 0);
            if (str == null) {
                return false;
            }
            if (i == 0) {
                String cmd = new String(str, StandardCharsets.ISO_8859_1);
                if (cmd.equalsIgnoreCase("multi")) {
                    if (multi[0]++ != 0) {
                        setError("Unexpected MULTI in AOF " + name);
                        return false;
                    }
                } else if (cmd.equalsIgnoreCase("exec")) {
                    if (--multi[0] != 0) {
                        setError("Unexpected EXEC in AOF " + name);
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** readLong: the number after {@code prefix}, or Long.MIN_VALUE when it cannot be read. */
    private long readLong(Input in, char prefix) throws IOException {
        epos = in.pos;
        byte[] buf = in.fgets(128);
        if (buf == null) {
            return Long.MIN_VALUE;
        }
        if (buf[0] != prefix) {
            setError("Expected prefix '" + prefix + "', got: '" + (char) (buf[0] & 0xff) + "'");
            return Long.MIN_VALUE;
        }
        // strtol: optional spaces and sign, digits (saturating); eptr just after them.
        int i = 1;
        while (i < buf.length && (buf[i] == ' ' || (buf[i] >= '\t' && buf[i] <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < buf.length && (buf[i] == '-' || buf[i] == '+')) {
            neg = buf[i] == '-';
            i++;
        }
        int digits = i;
        long v = 0;
        boolean overflow = false;
        while (i < buf.length && buf[i] >= '0' && buf[i] <= '9') {
            int d = buf[i++] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                overflow = true;
            } else {
                v = v * 10 + d;
            }
        }
        int eptr = i == digits ? 1 : i;
        if (overflow) {
            v = neg ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;        // LONG_MIN would read as "unreadable"
        } else if (neg) {
            v = -v;
        }
        if (!newline(at(buf, eptr), at(buf, eptr + 1))) {
            return Long.MIN_VALUE;
        }
        return v;
    }

    private static int at(byte[] b, int i) {
        return i < b.length ? b[i] : 0;
    }

    /** consumeNewline. */
    private boolean newline(int a, int b) {
        if (a != '\r' || b != '\n') {
            setError(String.format("Expected \\r\\n, got: %02x%02x", (byte) a, (byte) b));
            return false;
        }
        line++;
        return true;
    }

    /** readString: a bulk string (kept only when {@code keep}, else empty), or null. */
    private byte[] readString(Input in, boolean keep) throws IOException {
        long len = readLong(in, '$');
        if (len == Long.MIN_VALUE) {
            return null;
        }
        if (len < 0 || len > Long.MAX_VALUE - 2) {
            setError("Expected to read string of " + len + " bytes, which is not in the suitable range");
            return null;
        }
        len += 2;
        epos = in.pos;
        ByteArrayOutputStream kept = keep && len <= 64 ? new ByteArrayOutputStream((int) len) : null;
        int[] tail = new int[2];
        long real = in.read(len, kept, tail);
        if (real != len) {
            setError("Expected to read " + len + " bytes, got " + real + " bytes");
            return null;
        }
        if (!newline(tail[0], tail[1])) {
            return null;
        }
        if (kept == null) {
            return new byte[0];
        }
        byte[] b = kept.toByteArray();
        return java.util.Arrays.copyOf(b, b.length - 2);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException) {
            return "No such file or directory";
        }
        return String.valueOf(e.getMessage());
    }

    /** A buffered reader over the file with its position and C's end-of-file flag. */
    private static final class Input {
        private final RandomAccessFile raf;
        private final byte[] buf = new byte[1 << 16];
        private int bpos;
        private int blim;
        long pos;
        boolean eof;

        Input(RandomAccessFile raf, long start) throws IOException {
            this.raf = raf;
            this.pos = start;
            raf.seek(start);
        }

        private boolean fill() throws IOException {
            if (bpos < blim) {
                return true;
            }
            int n = raf.read(buf, 0, buf.length);
            bpos = 0;
            blim = Math.max(n, 0);
            if (n <= 0) {
                eof = true;
                return false;
            }
            return true;
        }

        int peek() throws IOException {
            return fill() ? buf[bpos] & 0xff : -1;
        }

        /** fgets(buf, size): up to size-1 bytes, through a newline; null at EOF with nothing read. */
        byte[] fgets(int size) throws IOException {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            while (o.size() < size - 1) {
                if (!fill()) {
                    break;
                }
                byte b = buf[bpos++];
                pos++;
                o.write(b);
                if (b == '\n') {
                    break;
                }
            }
            return o.size() == 0 ? null : o.toByteArray();
        }

        /** fread of n bytes: how many were read; keeps them in {@code kept} and the last two in tail. */
        long read(long n, ByteArrayOutputStream kept, int[] tail) throws IOException {
            long got = 0;
            int prev = 0;
            int last = 0;
            while (got < n) {
                if (!fill()) {
                    break;
                }
                int k = (int) Math.min(n - got, blim - bpos);
                if (kept != null) {
                    kept.write(buf, bpos, k);
                }
                if (k >= 2) {
                    prev = buf[bpos + k - 2];
                    last = buf[bpos + k - 1];
                } else {
                    prev = last;
                    last = buf[bpos];
                }
                bpos += k;
                pos += k;
                got += k;
            }
            tail[0] = prev;
            tail[1] = last;
            return got;
        }
    }
}
