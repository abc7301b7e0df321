package dev.keydb.storage.rdb;

import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.Strings;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.ZSetValue;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads RDB files of every version from 1 to 10 (Redis 7.0's rdbLoadRio) and DUMP payloads:
 * plain, ziplist, zipmap, intset, quicklist and listpack encodings, LZF strings, expiry in
 * seconds or milliseconds, aux fields (skipped), IDLE/FREQ (read and ignored). Streams, modules
 * and functions are refused with a clear message. The CRC64 trailer is checked (version 5 on,
 * unless it is 0, which means the writer had checksums off).
 */
public final class RdbReader {
    /** The encoding thresholds loaded collections are converted by (the server's config). */
    public record Limits(int listFill, int hashMaxEntries, int hashMaxValue, int setMaxIntsetEntries, ZSetValue.Limits zset) {
        public static final Limits DEFAULT = new Limits(ListValue.DEFAULT_FILL, 128, 64, SetValue.DEFAULT_MAX_INTSET_ENTRIES,
                new ZSetValue.Limits());
    }

    /** What a file load did. */
    public record LoadResult(int version, long keys, long expiredSkipped, long emptySkipped) {}

    private final InputStream in;
    private final Limits limits;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private long offset;
    private long crc;

    private RdbReader(InputStream in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    // ---- whole files -----------------------------------------------------------------------

    /**
     * Loads an RDB stream into {@code keyspace} (the caller holds the lock and normally passes
     * empty databases). Keys already expired at {@code nowMs} are skipped, as a master does.
     */
    public static LoadResult load(InputStream in, Keyspace keyspace, Limits limits, long nowMs, boolean verifyChecksum)
            throws RdbException {
        RdbReader r = new RdbReader(in, limits);
        try {
            return r.loadFile(keyspace, nowMs, verifyChecksum);
        } catch (EOFException e) {
            throw new RdbException("unexpected end of file at byte " + r.offset + ": the RDB file is truncated");
        } catch (RdbException e) {
            throw new RdbException(e.getMessage() + " (at byte " + r.offset + ")");
        } catch (IOException e) {
            throw new RdbException("I/O error reading the RDB file at byte " + r.offset + ": " + e.getMessage());
        }
    }

    private LoadResult loadFile(Keyspace keyspace, long nowMs, boolean verifyChecksum) throws IOException {
        byte[] magic = bytes(9);
        String m = new String(magic, StandardCharsets.US_ASCII);
        if (!m.startsWith("REDIS")) {
            throw new RdbException("wrong signature: not an RDB file");
        }
        int version;
        try {
            version = Integer.parseInt(m.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbException("wrong signature: bad RDB version field '" + m.substring(5) + "'");
        }
        if (version < 1 || version > Rdb.VERSION) {
            throw new RdbException("can't handle RDB format version " + version);
        }
        Database db = keyspace.db(0);
        long expireAt = ExpireTable.NONE;
        long keys = 0, expired = 0, empty = 0;
        while (true) {
            int type = u8();
            switch (type) {
                case Rdb.OPCODE_EXPIRETIME -> {
                    expireAt = le(4) * 1000;
                    continue;
                }
                case Rdb.OPCODE_EXPIRETIME_MS -> {
                    expireAt = le(8);
                    continue;
                }
                case Rdb.OPCODE_FREQ -> {
                    u8();
                    continue;
                }
                case Rdb.OPCODE_IDLE -> {
                    length();
                    continue;
                }
                case Rdb.OPCODE_SELECTDB -> {
                    long id = length();
                    if (id >= keyspace.databases()) {
                        throw new RdbException("the RDB file uses database " + id + " but this server is configured with only "
                                + keyspace.databases() + " databases (see the 'databases' directive)");
                    }
                    db = keyspace.db((int) id);
                    continue;
                }
                case Rdb.OPCODE_RESIZEDB -> {
                    length();
                    length();
                    continue;
                }
                case Rdb.OPCODE_AUX -> {
                    string();
                    string();
                    continue;
                }
                case Rdb.OPCODE_MODULE_AUX -> throw new RdbException(
                        "the RDB file holds module data (MODULE_AUX), but this server does not support modules");
                case Rdb.OPCODE_FUNCTION2, Rdb.OPCODE_FUNCTION_PRE_GA -> throw new RdbException(
                        "the RDB file holds functions (FUNCTION LOAD libraries), which this server cannot load yet");
                case Rdb.OPCODE_EOF -> {
                    flushCrc();
                    long computed = crc;
                    if (version >= 5) {
                        byte[] trailer = bytesNoCrc(8);
                        long stored = Listpack.le(trailer, 0, 8);
                        if (verifyChecksum && stored != 0 && stored != computed) {
                            throw new RdbException(String.format("wrong RDB checksum: expected %016x, got %016x", stored, computed));
                        }
                    }
                    return new LoadResult(version, keys, expired, empty);
                }
                default -> {
                    byte[] key = string();
                    Object value = object(type);
                    long when = expireAt;
                    expireAt = ExpireTable.NONE;
                    if (value == null) {
                        empty++;
                        continue;
                    }
                    if (when != ExpireTable.NONE && when < nowMs) {
                        expired++;
                        continue;
                    }
                    if (db.peek(key) != null) {
                        throw new RdbException("duplicate key '" + printable(key) + "' in the RDB file");
                    }
                    db.set(key, value, nowMs, when);
                    keys++;
                }
            }
        }
    }

    // ---- structural check (redis-check-rdb) ------------------------------------------------

    /**
     * What a {@link #check} meets, in file order, each with the count of bytes read so far
     * (redis-check-rdb's "[offset N]").
     */
    public interface CheckListener {
        default void aux(long offset, byte[] key, byte[] value) {}

        default void selectDb(long offset, long id) {}

        /** A key and its value were read and decoded ({@code expireAtMs} -1 when it has none). */
        default void key(long offset, byte[] key, int type, long expireAtMs) {}

        /** The CRC64 trailer matched, or ({@code disabled}) was 0: the writer had checksums off. */
        default void checksum(long offset, boolean disabled) {}
    }

    /** A checked file: its version, redis-check-rdb's counters, and the bytes it spans. */
    public record CheckResult(int version, long keys, long expires, long alreadyExpired, long endOffset) {}

    /**
     * Why a {@link #check} failed: the reason, the byte offset reached, what the checker was
     * doing ("read-type", "read-key", "read-object-value", "check-sum", ... as Redis names it),
     * and the key and value type being read, when any (null and -1 otherwise).
     */
    public static final class CheckError extends RdbException {
        private static final long serialVersionUID = 1L;
        public final String reason;
        public final long offset;
        public final String doing;
        public final byte[] key;
        public final int type;
        public final long keys;
        public final long expires;
        public final long alreadyExpired;

        CheckError(String reason, RdbReader r) {
            super(reason + " (at byte " + r.offset + ")");
            this.reason = reason;
            this.offset = r.offset;
            this.doing = r.checkDoing;
            this.key = r.checkKey;
            this.type = r.checkType;
            this.keys = r.checkKeys;
            this.expires = r.checkExpires;
            this.alreadyExpired = r.checkAlreadyExpired;
        }
    }

    private String checkDoing = "start";
    private byte[] checkKey;
    private int checkType = 0;              // Redis's rdbstate starts zeroed: "type 0" until a key is read
    private long checkKeys, checkExpires, checkAlreadyExpired;

    /**
     * Validates an RDB stream without loading it (Redis's redis_check_rdb): every value is
     * decoded as {@link #load} decodes it (default encoding limits), but nothing is kept, so
     * neither duplicate keys nor the database count matter. {@link CheckResult#endOffset()} is
     * the number of bytes the RDB spans, trailer included: where an AOF's RDB preamble ends and
     * its commands begin (the reader buffers ahead, so a caller repositions by it).
     */
    public static CheckResult check(InputStream in, CheckListener listener, long nowMs) throws CheckError {
        RdbReader r = new RdbReader(in, Limits.DEFAULT);
        try {
            return r.checkFile(listener, nowMs);
        } catch (CheckError e) {
            throw e;
        } catch (EOFException e) {
            r.offset = r.readStart;              // Redis counts only the reads that succeeded
            throw new CheckError("Unexpected EOF reading RDB file", r);
        } catch (RdbException e) {
            throw new CheckError(e.getMessage(), r);
        } catch (IOException e) {
            throw new CheckError("I/O error: " + e.getMessage(), r);
        } catch (RuntimeException e) {
            // A decoder tripping over corrupt content (redis-check-rdb's crash handler).
            throw new CheckError("corrupt content: " + e, r);
        }
    }

    private CheckResult checkFile(CheckListener listener, long nowMs) throws IOException {
        byte[] magic = bytes(9);
        String m = new String(magic, StandardCharsets.US_ASCII);
        if (!m.startsWith("REDIS")) {
            throw new CheckError("Wrong signature trying to load DB from file", this);
        }
        int version = 0;                         // atoi: the leading digits
        for (int i = 5; i < 9 && Character.isDigit(m.charAt(i)); i++) {
            version = version * 10 + (m.charAt(i) - '0');
        }
        if (version < 1 || version > Rdb.VERSION) {
            throw new CheckError("Can't handle RDB format version " + version, this);
        }
        long expireAt = -1;
        while (true) {
            checkDoing = "read-type";
            int type = u8();
            switch (type) {
                case Rdb.OPCODE_EXPIRETIME -> {
                    checkDoing = "read-expire";
                    expireAt = le(4) * 1000;
                    continue;
                }
                case Rdb.OPCODE_EXPIRETIME_MS -> {
                    checkDoing = "read-expire";
                    expireAt = le(8);
                    continue;
                }
                case Rdb.OPCODE_FREQ -> {
                    u8();
                    continue;
                }
                case Rdb.OPCODE_IDLE -> {
                    length();
                    continue;
                }
                case Rdb.OPCODE_SELECTDB -> {
                    checkDoing = "read-len";
                    long id = length();
                    listener.selectDb(offset, id);
                    continue;
                }
                case Rdb.OPCODE_RESIZEDB -> {
                    checkDoing = "read-len";
                    length();
                    length();
                    continue;
                }
                case Rdb.OPCODE_AUX -> {
                    checkDoing = "read-aux";
                    byte[] k = string();
                    byte[] v = string();
                    listener.aux(offset, k, v);
                    continue;
                }
                case Rdb.OPCODE_MODULE_AUX -> {
                    checkDoing = "read-module-aux";
                    throw new CheckError("the RDB file holds module data (MODULE_AUX), which this checker cannot read", this);
                }
                case Rdb.OPCODE_FUNCTION2 -> {
                    // One string: the library's code (rdbFunctionLoad); it is not compiled here.
                    checkDoing = "read-functions";
                    string();
                    continue;
                }
                case Rdb.OPCODE_FUNCTION_PRE_GA -> {
                    checkDoing = "read-functions";
                    throw new CheckError("the RDB file holds functions in the pre-GA format, which this checker cannot read", this);
                }
                case Rdb.OPCODE_EOF -> {
                    flushCrc();
                    long computed = crc;
                    if (version >= 5) {
                        checkDoing = "check-sum";
                        byte[] trailer = bytesNoCrc(8);
                        long stored = Listpack.le(trailer, 0, 8);
                        if (stored == 0) {
                            listener.checksum(offset, true);
                        } else if (stored != computed) {
                            throw new CheckError("RDB CRC error", this);
                        } else {
                            listener.checksum(offset, false);
                        }
                    }
                    return new CheckResult(version, checkKeys, checkExpires, checkAlreadyExpired, offset);
                }
                default -> {
                    if (!isObjectType(type)) {
                        throw new CheckError("Invalid object type: " + type, this);
                    }
                    checkType = type;
                    checkDoing = "read-key";
                    byte[] key = string();
                    checkKey = key;
                    checkKeys++;
                    checkDoing = "read-object-value";
                    if (type == Rdb.TYPE_STREAM_LISTPACKS || type == Rdb.TYPE_STREAM_LISTPACKS_2) {
                        checkStream(type);
                    } else {
                        object(type);
                    }
                    if (expireAt != -1) {
                        checkExpires++;
                        if (expireAt < nowMs) {
                            checkAlreadyExpired++;
                        }
                    }
                    listener.key(offset, key, type, expireAt);
                    checkKey = null;
                    checkType = -1;
                    expireAt = -1;
                }
            }
        }
    }

    /**
     * Reads a stream value through (rdbLoadObject's stream case) for {@link #check}: node keys
     * of 16 bytes, well-formed non-empty listpacks, the counters, the consumer groups with their
     * pending entries and consumers. Loading streams stays refused by {@link #object}.
     */
    private void checkStream(int type) throws IOException {
        long nodes = length();
        for (long i = 0; i < nodes; i++) {
            if (string().length != 16) {
                throw new RdbException("Stream node key entry is not the size of a stream ID");
            }
            byte[] lp = string();
            if (Listpack.forEach(lp, e -> { }) == 0) {
                throw new RdbException("Empty listpack inside stream");
            }
        }
        length();                                      // entries
        length();                                      // last id
        length();
        if (type == Rdb.TYPE_STREAM_LISTPACKS_2) {
            for (int i = 0; i < 5; i++) {              // first id, max deleted id, entries added
                length();
            }
        }
        long groups = length();
        for (long g = 0; g < groups; g++) {
            string();                                  // group name
            length();                                  // last delivered id
            length();
            if (type == Rdb.TYPE_STREAM_LISTPACKS_2) {
                length();                              // entries read
            }
            long pel = length();
            for (long i = 0; i < pel; i++) {
                bytes(16);                             // entry id
                le(8);                                 // delivery time
                length();                              // delivery count
            }
            long consumers = length();
            for (long c = 0; c < consumers; c++) {
                string();                              // consumer name
                le(8);                                 // seen time
                long owned = length();
                for (long i = 0; i < owned; i++) {
                    bytes(16);
                }
            }
        }
    }

    /** rdbIsObjectType: the value types of RDB version 10. */
    private static boolean isObjectType(int t) {
        return (t >= Rdb.TYPE_STRING && t <= Rdb.TYPE_MODULE_2) || (t >= Rdb.TYPE_HASH_ZIPMAP && t <= Rdb.TYPE_STREAM_LISTPACKS_2);
    }

    // ---- DUMP payloads ---------------------------------------------------------------------

    /** Redis's verifyDumpPayload: a known RDB version and a matching CRC64 in the 10-byte footer. */
    public static boolean verifyPayload(byte[] p) {
        if (p.length < 10) {
            return false;
        }
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | ((p[footer + 1] & 0xff) << 8);
        if (version > Rdb.VERSION) {
            return false;
        }
        long crc = Crc64.update(0, p, 0, p.length - 8);
        return crc == Listpack.le(p, p.length - 8, 8);
    }

    /** The value of a verified DUMP payload; throws on a malformed one (RESTORE's "Bad data format"). */
    public static Object restore(byte[] payload, Limits limits) throws RdbException {
        RdbReader r = new RdbReader(new ByteArrayInputStream(payload, 0, payload.length - 10), limits);
        try {
            int type = r.u8();
            Object v = r.object(type);
            if (v == null) {
                throw new RdbException("empty collection in DUMP payload");
            }
            // Bytes left before the footer are ignored, as Redis's restoreCommand does.
            return v;
        } catch (RdbException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbException("truncated DUMP payload");
        }
    }

    /**
     * The library codes of a verified FUNCTION DUMP payload, read as functionRestoreCommand
     * does: FUNCTION2 opcodes each followed by a string, up to the 10-byte footer. Throws with
     * Redis's error text.
     */
    public static List<byte[]> functionsFromPayload(byte[] payload) throws RdbException {
        int end = payload.length - 10;
        RdbReader r = new RdbReader(new ByteArrayInputStream(payload, 0, end), Limits.DEFAULT);
        List<byte[]> codes = new ArrayList<>();
        while (r.offset < end) {
            int type;
            try {
                type = r.u8();
            } catch (IOException e) {
                throw new RdbException("can not read data type");
            }
            if (type == Rdb.OPCODE_FUNCTION_PRE_GA) {
                throw new RdbException("Pre-GA function format not supported");
            }
            if (type != Rdb.OPCODE_FUNCTION2) {
                throw new RdbException("given type is not a function");
            }
            try {
                codes.add(r.string());
            } catch (IOException e) {
                throw new RdbException("Failed loading library payload");
            }
        }
        return codes;
    }

    // ---- primitives --------------------------------------------------------------------------

    private boolean fill() throws IOException {
        flushCrc();
        pos = 0;
        lim = 0;
        crcFrom = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        lim = n;
        crcFrom = 0;
        return true;
    }

    /** Bytes of the buffer consumed so far and not yet in the CRC. */
    private int crcFrom;

    private void flushCrc() {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
    }

    private int u8() throws IOException {
        if (pos == lim) {
            readStart = offset;
            if (!fill()) {
                throw new EOFException();
            }
        }
        offset++;
        return buf[pos++] & 0xff;
    }

    /** Where the current {@link #bytes} read began (a failed read's offset, for {@link #check}). */
    private long readStart;

    private byte[] bytes(long n) throws IOException {
        readStart = offset;
        if (n > Integer.MAX_VALUE - 16) {
            throw new RdbException("string length " + n + " is too large");
        }
        int len = (int) n;
        // Allocate progressively so a corrupt huge length fails at the end of input, not with OOM.
        byte[] out = new byte[Math.min(len, 1 << 20)];
        int got = 0;
        while (got < len) {
            if (pos == lim) {
                if (!fill()) {
                    throw new EOFException();
                }
            }
            int k = Math.min(len - got, lim - pos);
            if (got + k > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, Math.max((long) out.length * 2, got + k)));
            }
            System.arraycopy(buf, pos, out, got, k);
            pos += k;
            got += k;
            offset += k;
        }
        return out;
    }

    /** Reads bytes that are not part of the checksummed content (the trailer). */
    private byte[] bytesNoCrc(int n) throws IOException {
        flushCrc();
        long saved = crc;
        byte[] b = bytes(n);
        crcFrom = pos;
        crc = saved;
        return b;
    }

    private long le(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    private boolean lastEncoded;

    /** rdbLoadLenByRef: a length, or (with {@link #lastEncoded} set) a special string encoding. */
    private long lengthOrEncoding() throws IOException {
        lastEncoded = false;
        int b = u8();
        switch (b >>> 6) {
            case 0:
                return b & 0x3F;
            case 1:
                return ((b & 0x3F) << 8) | u8();
            case 2:
                if (b == 0x80) {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = (v << 8) | u8();
                    }
                    return v;
                }
                if (b == 0x81) {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v = (v << 8) | u8();
                    }
                    if (v < 0) {
                        throw new RdbException("invalid 64-bit length");
                    }
                    return v;
                }
                throw new RdbException("unknown length encoding 0x" + Integer.toHexString(b));
            default:
                lastEncoded = true;
                return b & 0x3F;
        }
    }

    private long length() throws IOException {
        long v = lengthOrEncoding();
        if (lastEncoded) {
            throw new RdbException("a length was expected, found a string encoding");
        }
        return v;
    }

    /** A string's bytes (integer encodings as decimal digits, LZF decompressed). */
    private byte[] string() throws IOException {
        long len = lengthOrEncoding();
        if (!lastEncoded) {
            return bytes(len);
        }
        return switch ((int) len) {
            case Rdb.ENC_INT8 -> Numbers.toBytes((byte) le(1));
            case Rdb.ENC_INT16 -> Numbers.toBytes((short) le(2));
            case Rdb.ENC_INT32 -> Numbers.toBytes((int) le(4));
            case Rdb.ENC_LZF -> {
                long clen = length();
                long olen = length();
                if (olen > Integer.MAX_VALUE - 16) {
                    throw new RdbException("LZF string length " + olen + " is too large");
                }
                byte[] c = bytes(clen);
                yield Lzf.decompress(c, 0, c.length, (int) olen);
            }
            default -> throw new RdbException("unknown string encoding " + len);
        };
    }

    /** A string value: integer encodings become int-encoded strings, as tryObjectEncoding does. */
    private Object stringValue() throws IOException {
        long len = lengthOrEncoding();
        if (lastEncoded && len <= Rdb.ENC_INT32) {
            long v = len == Rdb.ENC_INT8 ? (byte) le(1) : len == Rdb.ENC_INT16 ? (short) le(2) : (int) le(4);
            return Strings.fromLong(v);
        }
        byte[] s;
        if (lastEncoded) {
            lastEncoded = false;
            long clen = length();
            long olen = length();
            if (len != Rdb.ENC_LZF) {
                throw new RdbException("unknown string encoding " + len);
            }
            if (olen > Integer.MAX_VALUE - 16) {
                throw new RdbException("LZF string length " + olen + " is too large");
            }
            byte[] c = bytes(clen);
            s = Lzf.decompress(c, 0, c.length, (int) olen);
        } else {
            s = bytes(len);
        }
        return Strings.encode(s);
    }

    /** Old-style double: a length byte (253 nan, 254 +inf, 255 -inf) then ASCII. */
    private double oldDouble() throws IOException {
        int len = u8();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                return parseScore(bytes(len));
        }
    }

    private static double parseScore(byte[] s) throws RdbException {
        String t = new String(s, StandardCharsets.US_ASCII).trim();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan", "-nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new RdbException("invalid sorted set score '" + printable(s) + "'");
                }
        }
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 64); i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return b.length > 64 ? sb + "..." : sb.toString();
    }

    // ---- values ------------------------------------------------------------------------------

    /** rdbLoadObject; null for an empty collection (which Redis skips). */
    private Object object(int type) throws IOException {
        switch (type) {
            case Rdb.TYPE_STRING:
                return stringValue();
            case Rdb.TYPE_LIST: {
                long n = length();
                ListValue l = new ListValue(limits.listFill());
                for (long i = 0; i < n; i++) {
                    l.pushTail(string());
                }
                return l.isEmpty() ? null : l;
            }
            case Rdb.TYPE_SET: {
                long n = length();
                SetValue s = new SetValue();
                if (n > limits.setMaxIntsetEntries()) {
                    s.convertToHashtable();
                }
                for (long i = 0; i < n; i++) {
                    if (!s.add(string(), limits.setMaxIntsetEntries())) {
                        throw new RdbException("duplicate set member");
                    }
                }
                return s.size() == 0 ? null : s;
            }
            case Rdb.TYPE_ZSET:
            case Rdb.TYPE_ZSET_2: {
                long n = length();
                List<byte[]> members = new ArrayList<>();
                double[] scores = new double[(int) Math.min(n, 1 << 16)];
                for (long i = 0; i < n; i++) {
                    byte[] m = string();
                    double d = type == Rdb.TYPE_ZSET ? oldDouble() : Double.longBitsToDouble(le(8));
                    if (Double.isNaN(d)) {
                        throw new RdbException("sorted set score is NaN");
                    }
                    if (i >= scores.length) {
                        scores = Arrays.copyOf(scores, scores.length * 2);
                    }
                    members.add(m);
                    scores[(int) i] = d;
                }
                return zset(members, scores, limits.zset());
            }
            case Rdb.TYPE_HASH: {
                long n = length();
                HashValue h = new HashValue();
                if (n > limits.hashMaxEntries()) {
                    h.convertToHashtable();
                }
                for (long i = 0; i < n; i++) {
                    byte[] f = string();
                    byte[] v = string();
                    if (!h.put(f, v, limits.hashMaxEntries(), limits.hashMaxValue())) {
                        throw new RdbException("duplicate hash field '" + printable(f) + "'");
                    }
                }
                return h.size() == 0 ? null : h;
            }
            case Rdb.TYPE_LIST_QUICKLIST:
            case Rdb.TYPE_LIST_QUICKLIST_2: {
                long nodes = length();
                ListValue l = new ListValue(limits.listFill());
                for (long i = 0; i < nodes; i++) {
                    int container = Rdb.QUICKLIST_NODE_PACKED;
                    if (type == Rdb.TYPE_LIST_QUICKLIST_2) {
                        container = (int) length();
                        if (container != Rdb.QUICKLIST_NODE_PACKED && container != Rdb.QUICKLIST_NODE_PLAIN) {
                            throw new RdbException("unknown quicklist node container " + container);
                        }
                    }
                    byte[] blob = string();
                    if (container == Rdb.QUICKLIST_NODE_PLAIN) {
                        l.pushTail(blob);
                    } else if (type == Rdb.TYPE_LIST_QUICKLIST_2) {
                        Listpack.forEach(blob, l::pushTail);
                    } else {
                        Legacy.ziplist(blob, l::pushTail);
                    }
                }
                return l.isEmpty() ? null : l;
            }
            case Rdb.TYPE_LIST_ZIPLIST: {
                ListValue l = new ListValue(limits.listFill());
                Legacy.ziplist(string(), l::pushTail);
                return l.isEmpty() ? null : l;
            }
            case Rdb.TYPE_SET_INTSET: {
                long[] members = Legacy.intset(string());
                SetValue s = new SetValue();
                if (members.length > limits.setMaxIntsetEntries()) {
                    s.convertToHashtable();
                }
                for (long m : members) {
                    s.add(Numbers.toBytes(m), limits.setMaxIntsetEntries());
                }
                return s.size() == 0 ? null : s;
            }
            case Rdb.TYPE_ZSET_ZIPLIST:
            case Rdb.TYPE_ZSET_LISTPACK: {
                List<byte[]> items = new ArrayList<>();
                byte[] blob = string();
                if (type == Rdb.TYPE_ZSET_LISTPACK) {
                    Listpack.forEach(blob, items::add);
                } else {
                    Legacy.ziplist(blob, items::add);
                }
                if (items.size() % 2 != 0) {
                    throw new RdbException("sorted set listpack with an odd number of entries");
                }
                List<byte[]> members = new ArrayList<>(items.size() / 2);
                double[] scores = new double[items.size() / 2];
                for (int i = 0; i < items.size(); i += 2) {
                    members.add(items.get(i));
                    scores[i / 2] = parseScore(items.get(i + 1));
                }
                return zset(members, scores, limits.zset());
            }
            case Rdb.TYPE_HASH_ZIPMAP:
            case Rdb.TYPE_HASH_ZIPLIST:
            case Rdb.TYPE_HASH_LISTPACK: {
                List<byte[]> items = new ArrayList<>();
                byte[] blob = string();
                if (type == Rdb.TYPE_HASH_LISTPACK) {
                    Listpack.forEach(blob, items::add);
                } else if (type == Rdb.TYPE_HASH_ZIPLIST) {
                    Legacy.ziplist(blob, items::add);
                } else {
                    Legacy.zipmap(blob, items::add);
                }
                if (items.size() % 2 != 0) {
                    throw new RdbException("hash listpack with an odd number of entries");
                }
                HashValue h = new HashValue();
                if (items.size() / 2 > limits.hashMaxEntries()) {
                    h.convertToHashtable();
                }
                for (int i = 0; i < items.size(); i += 2) {
                    if (!h.put(items.get(i), items.get(i + 1), limits.hashMaxEntries(), limits.hashMaxValue())) {
                        throw new RdbException("duplicate hash field '" + printable(items.get(i)) + "'");
                    }
                }
                return h.size() == 0 ? null : h;
            }
            case Rdb.TYPE_STREAM_LISTPACKS:
            case Rdb.TYPE_STREAM_LISTPACKS_2:
                throw new RdbException("the RDB file holds a stream (type " + type + "), and streams cannot be loaded yet");
            case Rdb.TYPE_MODULE_PRE_GA:
            case Rdb.TYPE_MODULE_2:
                throw new RdbException("the RDB file holds a module value (type " + type + "), but this server does not support modules");
            default:
                throw new RdbException("unknown RDB value type " + type);
        }
    }

    private static ZSetValue zset(List<byte[]> members, double[] scores, ZSetValue.Limits zsetLimits) throws RdbException {
        int n = members.size();
        if (n == 0) {
            return null;
        }
        int maxLen = 0;
        for (byte[] m : members) {
            maxLen = Math.max(maxLen, m.length);
        }
        ZSetValue z = ZSetValue.forSize(n, maxLen, zsetLimits);
        for (int i = 0; i < n; i++) {
            if (!z.put(members.get(i), scores[i])) {
                throw new RdbException("duplicate sorted set member '" + printable(members.get(i)) + "'");
            }
        }
        return z;
    }
}
