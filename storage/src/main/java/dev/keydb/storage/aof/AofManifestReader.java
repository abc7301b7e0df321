package dev.keydb.storage.aof;

import dev.keydb.storage.SplitArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a multi-part AOF manifest as Redis's aofLoadManifestFromFile (which redis-check-aof
 * uses too): lines of at most 1024 bytes, '#' lines are comments, every other line holds
 * key/value pairs (file, seq, type, case-insensitive, seq read as atoll; unknown keys ignored),
 * at most one base, incr sequence numbers increasing. Shared by the server's AOF and
 * keydb-check-aof, which report its errors in their own ways.
 */
public final class AofManifestReader {
    private static final int MAX_LINE = 1024;

    /** One file the manifest lists: its name, sequence number and type ('b', 'i' or 'h'). */
    public record Entry(String name, long seq, char type) { }

    /** A malformed manifest: Redis's message, and the line (1-based) and text it is about. */
    public static final class ManifestException extends Exception {
        private final int lineNumber;
        private final String line;

        ManifestException(String message, int lineNumber, String line) {
            super(message, null, false, false);
            this.lineNumber = lineNumber;
            this.line = line;
        }

        public int lineNumber() {
            return lineNumber;
        }

        public String line() {
            return line;
        }
    }

    private AofManifestReader() {
    }

    /** The listed files in manifest order (an empty list for a manifest without lines). */
    public static List<Entry> read(byte[] all) throws ManifestException {
        List<Entry> entries = new ArrayList<>();
        boolean haveBase = false;
        long maxSeq = 0;
        int lineNo = 0;
        int start = 0;
        while (start < all.length) {
            int nl = start;
            while (nl < all.length && all[nl] != '\n' && nl - start < MAX_LINE) {
                nl++;
            }
            boolean complete = nl < all.length && all[nl] == '\n';
            String raw = new String(all, start, nl - start, StandardCharsets.UTF_8);
            start = complete ? nl + 1 : nl;
            lineNo++;
            if (raw.startsWith("#")) {
                continue;
            }
            if (!complete) {
                throw new ManifestException("The AOF manifest file contains too long line", lineNo, raw);
            }
            String l = raw.strip();
            List<String> argv = SplitArgs.split(l);
            if (l.isEmpty() || argv == null || argv.size() < 6 || argv.size() % 2 != 0) {
                throw new ManifestException("Invalid AOF manifest file format", lineNo, l);
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < argv.size(); i += 2) {
                String k = argv.get(i);
                String v = argv.get(i + 1);
                if (k.equalsIgnoreCase("file")) {
                    name = v;
                    if (name.contains("/")) {
                        throw new ManifestException("File can't be a path, just a filename", lineNo, l);
                    }
                } else if (k.equalsIgnoreCase("seq")) {
                    seq = atoll(v);
                } else if (k.equalsIgnoreCase("type")) {
                    type = v.isEmpty() ? 0 : v.charAt(0);
                }
            }
            if (name == null || name.isEmpty() || seq == 0 || type == 0) {
                throw new ManifestException("Invalid AOF manifest file format", lineNo, l);
            }
            switch (type) {
                case 'b' -> {
                    if (haveBase) {
                        throw new ManifestException("Found duplicate base file information", lineNo, l);
                    }
                    haveBase = true;
                }
                case 'h' -> { }
                case 'i' -> {
                    if (seq <= maxSeq) {
                        throw new ManifestException("Found a non-monotonic sequence number", lineNo, l);
                    }
                    maxSeq = seq;
                }
                default -> throw new ManifestException("Unknown AOF file type", lineNo, l);
            }
            entries.add(new Entry(name, seq, type));
        }
        return entries;
    }

    /** C's atoll: leading spaces, a sign, then digits up to the first other character (0 for none). */
    static long atoll(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i++) == '-';
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Long.MAX_VALUE / 10) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return neg ? -v : v;
    }
}
