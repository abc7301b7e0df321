package dev.keydb.server.aof;

import dev.keydb.storage.aof.AofManifestReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a Redis 7 multi-part AOF ({@code appendonly.aof.manifest}): one base file,
 * incr files in order, and history files awaiting deletion. One line per file, as key/value
 * pairs: {@code file appendonly.aof.1.base.rdb seq 1 type b}. Immutable: a rewrite builds a new
 * manifest and the writer swaps it in atomically.
 */
public final class AofManifest {
    public static final char BASE = 'b';
    public static final char INCR = 'i';
    public static final char HISTORY = 'h';

    /** One file named by the manifest. */
    public record Entry(String name, long seq, char type) {}

    private final String baseName;
    private final Entry base;
    private final List<Entry> incrs;
    private final List<Entry> history;

    public AofManifest(String baseName, Entry base, List<Entry> incrs, List<Entry> history) {
        this.baseName = baseName;
        this.base = base;
        this.incrs = List.copyOf(incrs);
        this.history = List.copyOf(history);
    }

    /** An empty manifest for {@code appendfilename}. */
    public static AofManifest empty(String baseName) {
        return new AofManifest(baseName, null, List.of(), List.of());
    }

    public String baseName() { return baseName; }
    /** The base file, or null (a manifest started by CONFIG SET or an upgrade may lack one only briefly). */
    public Entry base() { return base; }
    public List<Entry> incrs() { return incrs; }
    public List<Entry> history() { return history; }

    /** The manifest file's name: {@code appendfilename + ".manifest"}. */
    public static String fileName(String baseName) {
        return baseName + ".manifest";
    }

    /** The base file and then the incr files: what loading reads, in order. */
    public List<Entry> loadOrder() {
        List<Entry> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(incrs);
        return all;
    }

    public long lastIncrSeq() {
        return incrs.isEmpty() ? 0 : incrs.get(incrs.size() - 1).seq();
    }

    public long baseSeq() {
        return base == null ? 0 : base.seq();
    }

    /** The next incr file name: {@code appendonly.aof.<seq>.incr.aof} with seq one past the last ever used. */
    public Entry nextIncr() {
        long seq = Math.max(lastIncrSeq(), history.stream().filter(e -> e.name().contains(".incr.")).mapToLong(Entry::seq).max().orElse(0)) + 1;
        return new Entry(baseName + "." + seq + ".incr.aof", seq, INCR);
    }

    /** The next base file name: {@code appendonly.aof.<seq>.base.rdb} (or {@code .aof} without an RDB preamble). */
    public Entry nextBase(boolean rdb) {
        long seq = baseSeq() + 1;
        return new Entry(baseName + "." + seq + ".base." + (rdb ? "rdb" : "aof"), seq, BASE);
    }

    /** This manifest with {@code incr} appended. */
    public AofManifest withIncr(Entry incr) {
        List<Entry> l = new ArrayList<>(incrs);
        l.add(incr);
        return new AofManifest(baseName, base, l, history);
    }

    /**
     * After a rewrite: {@code newBase} replaces the base, the incr files from {@code firstKept}
     * on (those opened when the rewrite started) stay, and the old base and older incr files
     * become history (Redis's markRewrittenIncrAofAsHistory).
     */
    public AofManifest rewritten(Entry newBase, long firstKept) {
        List<Entry> hist = new ArrayList<>(history);
        if (base != null) {
            hist.add(new Entry(base.name(), base.seq(), HISTORY));
        }
        List<Entry> kept = new ArrayList<>();
        for (Entry e : incrs) {
            if (e.seq() >= firstKept) {
                kept.add(e);
            } else {
                hist.add(new Entry(e.name(), e.seq(), HISTORY));
            }
        }
        return new AofManifest(baseName, newBase, kept, hist);
    }

    /** This manifest without its history entries (after the files were deleted). */
    public AofManifest withoutHistory() {
        return new AofManifest(baseName, base, incrs, List.of());
    }

    // ---- text form ---------------------------------------------------------------------------

    /** Redis's getAofManifestAsString: the base, history, then incr files. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (Entry e : history) {
            line(sb, e);
        }
        for (Entry e : incrs) {
            line(sb, e);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Entry e) {
        sb.append("file ").append(quoteIfNeeded(e.name())).append(" seq ").append(e.seq()).append(" type ").append(e.type()).append('\n');
    }

    private static String quoteIfNeeded(String s) {
        boolean needs = s.isEmpty();
        for (int i = 0; i < s.length() && !needs; i++) {
            char c = s.charAt(i);
            needs = c <= ' ' || c == '"' || c == '\'' || c == '\\' || c > 126;
        }
        if (!needs) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> q.append("\\\\");
                case '"' -> q.append("\\\"");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 32 || c > 126) {
                        q.append(String.format("\\x%02x", c));
                    } else {
                        q.append((char) c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** Parses a manifest's text (see {@link #parse(String, byte[])}). */
    public static AofManifest parse(String baseName, String text) throws IOException {
        return parse(baseName, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a manifest as Redis's aofLoadManifestFromFile ({@link AofManifestReader}, shared with
     * keydb-check-aof). Errors are IOExceptions with Redis's wording.
     */
    public static AofManifest parse(String baseName, byte[] content) throws IOException {
        List<AofManifestReader.Entry> lines;
        try {
            lines = AofManifestReader.read(content);
        } catch (AofManifestReader.ManifestException e) {
            throw new IOException(e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new IOException("Found an empty AOF manifest");
        }
        Entry base = null;
        List<Entry> incrs = new ArrayList<>();
        List<Entry> history = new ArrayList<>();
        for (AofManifestReader.Entry line : lines) {
            Entry e = new Entry(line.name(), line.seq(), line.type());
            switch (e.type()) {
                case BASE -> base = e;
                case INCR -> incrs.add(e);
                default -> history.add(e);
            }
        }
        return new AofManifest(baseName, base, incrs, history);
    }
}
