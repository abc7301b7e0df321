package dev.keydb.storage.rdb;

import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.Strings;
import dev.keydb.storage.Values;
import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.NestedHashValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.StreamValue;
import dev.keydb.storage.types.ZSetValue;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads RDB files of every version from 1 to 12 (Redis 7.0's rdbLoadRio, and the types Redis
 * 7.2 and 7.4 added) and DUMP payloads: plain, ziplist, zipmap, intset, quicklist and listpack
 * encodings, streams (listpacks v1 to v3, with consumer groups), hashes with field expiry
 * (their field TTLs become member TTLs), LZF strings, expiry in seconds or milliseconds,
 * IDLE/FREQ (read and ignored), slot info (skipped), module aux data (skipped through its
 * opcodes) and function libraries (handed back in {@link LoadResult#functions()}). Aux fields
 * are skipped except KeyDB's: {@code keydb-subexpire-key}/{@code -when} give the member of the
 * key just read a TTL, {@code mvcc-tstamp} is accepted, and this server's
 * {@code keydb-jvm-cron-single} marks the cron job just read single-shot. KeyDB's cron jobs
 * (type 64) and this server's nested hashes (type 65) are read. A module value is refused with a message
 * naming the module. The CRC64 trailer is checked (version 5 on, unless it is 0, which means
 * the writer had checksums off).
 */
public final class RdbReader {
    /** The encoding thresholds loaded collections are converted by (the server's config). */
    public record Limits(int listFill, int hashMaxEntries, int hashMaxValue, int setMaxIntsetEntries, ZSetValue.Limits zset) {
        public static final Limits DEFAULT = new Limits(ListValue.DEFAULT_FILL, 128, 64, SetValue.DEFAULT_MAX_INTSET_ENTRIES,
                new ZSetValue.Limits());
    }

    /**
     * What a file load did; {@code functions} holds the code of every function library the file
     * carries (FUNCTION2 records), in file order, for the caller to load.
     */
    public record LoadResult(int version, long keys, long expiredSkipped, long emptySkipped, List<byte[]> functions) {}

    private final InputStream in;
    private final Limits limits;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private long offset;
    private long crc;

    /** {@link #check}: module values are skipped rather than refused. */
    private boolean checkMode;
    /** Field TTLs of the hash {@link #object} just read (Redis 7.4 types), as member → unix ms. */
    private List<byte[]> ttlMembers;
    private long[] ttlWhens;
    /** Epoch ms fields already expired are dropped at (hash field expiry). */
    private long nowMs;

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

    /** Entries a file's RESIZEDB hints may still reserve up front (4M keys: at most about 260 MB of key and TTL tables). */
    private long presizeBudget = 1 << 22;

    private LoadResult loadFile(Keyspace keyspace, long nowMs, boolean verifyChecksum) throws IOException {
        this.nowMs = nowMs;
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
        if (version < 1 || version > Rdb.MAX_READ_VERSION) {
            throw new RdbException("can't handle RDB format version " + version);
        }
        Database db = keyspace.db(0);
        long expireAt = ExpireTable.NONE;
        long keys = 0, expired = 0, empty = 0;
        List<byte[]> functions = new ArrayList<>();
        byte[] lastKey = null;           // the key just loaded, which KeyDB's subexpire aux fields follow
        byte[] subexpireMember = null;
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
                    lastKey = null;
                    continue;
                }
                case Rdb.OPCODE_RESIZEDB -> {
                    // Size the tables once instead of doubling them along the way; a file's hints
                    // together may reserve at most PRESIZE_BUDGET entries (a crafted file cannot
                    // make us allocate more than that up front).
                    long keysHint = length();
                    long expiresHint = length();
                    int k = (int) Math.min(keysHint, presizeBudget);
                    presizeBudget -= k;
                    int e = (int) Math.min(expiresHint, k);
                    db.ensureCapacity(k, e);
                    continue;
                }
                case Rdb.OPCODE_SLOT_INFO -> {
                    slotInfo();
                    continue;
                }
                case Rdb.OPCODE_AUX -> {
                    byte[] k = string();
                    byte[] v = string();
                    if (isAux(k, Rdb.AUX_SUBEXPIRE_KEY)) {
                        subexpireMember = v;
                    } else if (isAux(k, Rdb.AUX_SUBEXPIRE_WHEN)) {
                        // KeyDB skips a pair whose key is missing (e.g. it was expired at load).
                        Long when = Numbers.parseLongOrNull(v);
                        if (lastKey != null && subexpireMember != null && when != null
                                && Values.hasMember(db.peek(lastKey), subexpireMember)) {
                            db.setMemberExpire(lastKey, subexpireMember, when);
                        }
                        subexpireMember = null;
                    } else if (isAux(k, Rdb.AUX_CRON_SINGLE) && lastKey != null && db.peek(lastKey) instanceof CronJob job) {
                        job.markSingleShot();
                    }
                    continue;
                }
                case Rdb.OPCODE_MODULE_AUX -> {
                    moduleAux();
                    continue;
                }
                case Rdb.OPCODE_FUNCTION_PRE_GA -> throw new RdbException("Pre-release function format not supported.");
                case Rdb.OPCODE_FUNCTION2 -> {
                    functions.add(string());
                    continue;
                }
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
                    return new LoadResult(version, keys, expired, empty, functions);
                }
                default -> {
                    if (!isObjectType(type)) {
                        throw new RdbException("unknown RDB value type " + type);
                    }
                    byte[] key = string();
                    Object value = object(type);
                    long when = expireAt;
                    expireAt = ExpireTable.NONE;
                    lastKey = null;
                    if (value == null) {
                        empty++;
                        continue;
                    }
                    if (when != ExpireTable.NONE && when < nowMs) {
                        expired++;
                        continue;
                    }
                    if (!db.addAbsent(key, value, nowMs, when)) {
                        throw new RdbException("duplicate key '" + printable(key) + "' in the RDB file");
                    }
                    if (ttlMembers != null) {
                        for (int i = 0; i < ttlMembers.size(); i++) {
                            db.setMemberExpire(key, ttlMembers.get(i), ttlWhens[i]);
                        }
                    }
                    lastKey = key;
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

        /** Something redis-check-rdb reports as "[info]" along the way (e.g. "MODULE AUX for: name"). */
        default void info(long offset, String message) {}
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
        r.checkMode = true;
        r.nowMs = nowMs;
        try {
            return r.checkFile(listener, nowMs);
        } catch (CheckError e) {
            throw e;
        } catch (StreamShortRead.Failed e) {
            r.offset = r.readStart;
            throw new CheckError(e.read.report(), r);
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
        if (version < 1 || version > Rdb.MAX_READ_VERSION) {
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
                case Rdb.OPCODE_SLOT_INFO -> {
                    checkDoing = "read-len";
                    slotInfo();
                    continue;
                }
                case Rdb.OPCODE_MODULE_AUX -> {
                    checkDoing = "read-module-aux";
                    listener.info(offset, "MODULE AUX for: " + moduleAux());
                    continue;
                }
                case Rdb.OPCODE_FUNCTION2 -> {
                    // One string: the library's code (rdbFunctionLoad); it is not compiled here.
                    checkDoing = "read-functions";
                    try {
                        string();
                    } catch (EOFException e) {
                        offset = readStart;
                        throw new CheckError("Failed loading library, Failed loading library payload", this);
                    }
                    continue;
                }
                case Rdb.OPCODE_FUNCTION_PRE_GA -> {
                    checkDoing = "read-functions";
                    throw new CheckError("Pre-release function format not supported " + version, this);
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
                    object(type);
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

    /** rdbIsObjectType: the value types of RDB version 12, KeyDB's cron job and this server's nested hash. */
    private static boolean isObjectType(int t) {
        return (t >= Rdb.TYPE_STRING && t <= Rdb.TYPE_MODULE_2) || (t >= Rdb.TYPE_HASH_ZIPMAP && t <= Rdb.TYPE_HASH_LISTPACK_EX)
                || isKeyDbType(t);
    }

    private static boolean isKeyDbType(int t) {
        return t == Rdb.TYPE_KEYDB_CRON || t == Rdb.TYPE_KEYDB_JVM_NESTED_HASH;
    }

    private static boolean isAux(byte[] key, String name) {
        return new String(key, StandardCharsets.ISO_8859_1).equalsIgnoreCase(name);
    }

    /** RDB_OPCODE_SLOT_INFO (cluster mode sizing hints): slot id, keys, volatile keys; skipped. */
    private void slotInfo() throws IOException {
        lengthU();
        lengthU();
        lengthU();
    }

    /**
     * RDB_OPCODE_MODULE_AUX: the module id, the "when" (as a UINT opcode and its value), then
     * the module's serialized data, skipped opcode by opcode as redis-check-rdb does. Returns
     * the module's name.
     */
    private String moduleAux() throws IOException {
        long moduleId = lengthU();
        long whenOpcode = lengthU();
        lengthU();
        if (whenOpcode != Rdb.MODULE_OPCODE_UINT) {
            throw new RdbException("bad when_opcode");
        }
        String name = moduleName(moduleId);
        skipModuleValue(name);
        return name;
    }

    /** rdbLoadCheckModuleValue: walks a module's serialized data up to its EOF opcode. */
    private void skipModuleValue(String name) throws IOException {
        while (true) {
            long opcode = lengthU();
            if (opcode == Rdb.MODULE_OPCODE_EOF) {
                return;
            }
            if (opcode == Rdb.MODULE_OPCODE_SINT || opcode == Rdb.MODULE_OPCODE_UINT) {
                lengthU();
            } else if (opcode == Rdb.MODULE_OPCODE_STRING) {
                string();
            } else if (opcode == Rdb.MODULE_OPCODE_FLOAT) {
                le(4);
            } else if (opcode == Rdb.MODULE_OPCODE_DOUBLE) {
                le(8);
            } else {
                throw new RdbException("Unknown module opcode " + opcode + " in the data of module '" + name + "'");
            }
        }
    }

    private static final String MODULE_NAME_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** moduleTypeNameByID: the 9-character type name packed in the upper 54 bits of a module id. */
    static String moduleName(long moduleId) {
        char[] name = new char[9];
        long id = moduleId >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = MODULE_NAME_CHARSET.charAt((int) (id & 63));
            id >>>= 6;
        }
        return new String(name);
    }

    // ---- DUMP payloads ---------------------------------------------------------------------

    /** Redis's verifyDumpPayload: a known RDB version and a matching CRC64 in the 10-byte footer. */
    public static boolean verifyPayload(byte[] p) {
        return verifyPayload(p, true);
    }

    /** verifyDumpPayload: the footer's RDB version, and the CRC64 unless {@code checkCrc} is off (DEBUG SET-SKIP-CHECKSUM-VALIDATION). */
    public static boolean verifyPayload(byte[] p, boolean checkCrc) {
        if (p.length < 10) {
            return false;
        }
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | ((p[footer + 1] & 0xff) << 8);
        if (version > Rdb.VERSION) {
            return false;
        }
        if (!checkCrc) {
            return true;
        }
        long crc = Crc64.update(0, p, 0, p.length - 8);
        return crc == Listpack.le(p, p.length - 8, 8);
    }

    /** The value of a verified DUMP payload; throws on a malformed one (RESTORE's "Bad data format"). */
    public static Object restore(byte[] payload, Limits limits) throws RdbException {
        RdbReader r = new RdbReader(new ByteArrayInputStream(payload, 0, payload.length - 10), limits);
        try {
            int type = r.u8();
            if (!isObjectType(type) || (type > Rdb.TYPE_STREAM_LISTPACKS_2 && !isKeyDbType(type))) {
                // Redis 7.0's rdbLoadObjectType: the types of RDB 10 only (the payload says version <= 10),
                // and KeyDB's cron job (its rdbIsObjectType takes it) and our nested hash
                throw new RdbException("unknown value type " + type + " in DUMP payload");
            }
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
        return fixed(n, true);
    }

    private long be(int n) throws IOException {
        return fixed(n, false);
    }

    /** An n-byte integer, which Redis reads with one rioRead: a short read fails where it began. */
    private long fixed(int n, boolean littleEndian) throws IOException {
        long start = offset;
        try {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = littleEndian ? v | (long) u8() << (8 * i) : v << 8 | u8();
            }
            return v;
        } catch (EOFException e) {
            readStart = start;
            throw e;
        }
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
                    return be(4);
                }
                if (b == 0x81) {
                    return be(8);
                }
                throw new RdbException("unknown length encoding 0x" + Integer.toHexString(b));
            default:
                lastEncoded = true;
                return b & 0x3F;
        }
    }

    private long length() throws IOException {
        long v = lengthU();
        if (v < 0) {
            throw new RdbException("invalid 64-bit length");
        }
        return v;
    }

    /** rdbLoadLen where the full unsigned 64-bit range is legal (stream IDs and counters). */
    private long lengthU() throws IOException {
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
        ttlMembers = null;
        ttlWhens = null;
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
            case Rdb.TYPE_SET_LISTPACK: {
                List<byte[]> members = new ArrayList<>();
                Listpack.forEach(string(), members::add);
                SetValue s = new SetValue();
                if (members.size() > limits.setMaxIntsetEntries()) {
                    s.convertToHashtable();
                }
                for (byte[] m : members) {
                    if (!s.add(m, limits.setMaxIntsetEntries())) {
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
            case Rdb.TYPE_HASH_METADATA:
            case Rdb.TYPE_HASH_METADATA_PRE_GA: {
                long minExpire = type == Rdb.TYPE_HASH_METADATA ? le(8) : 0;
                long n = length();
                List<byte[]> items = new ArrayList<>();
                long[] ttls = new long[(int) Math.min(n, 1 << 16)];
                for (long i = 0; i < n; i++) {
                    long ttl = lengthU();
                    // GA: relative to the minimum, +1 so that 0 keeps meaning "no TTL"
                    long when = type == Rdb.TYPE_HASH_METADATA ? (ttl != 0 ? ttl + minExpire - 1 : 0) : ttl;
                    items.add(string());
                    items.add(string());
                    if (i == ttls.length) {
                        ttls = Arrays.copyOf(ttls, ttls.length * 2);
                    }
                    ttls[(int) i] = when;
                }
                return hashWithTtls(items, ttls);
            }
            case Rdb.TYPE_HASH_LISTPACK_EX:
            case Rdb.TYPE_HASH_LISTPACK_EX_PRE_GA: {
                if (type == Rdb.TYPE_HASH_LISTPACK_EX) {
                    le(8);                             // the minimum field TTL, a hint
                }
                List<byte[]> triplets = new ArrayList<>();
                Listpack.forEach(string(), triplets::add);
                if (triplets.size() % 3 != 0) {
                    throw new RdbException("Hash listpack integrity check failed.");
                }
                List<byte[]> items = new ArrayList<>(triplets.size() / 3 * 2);
                long[] ttls = new long[triplets.size() / 3];
                for (int i = 0; i < triplets.size(); i += 3) {
                    items.add(triplets.get(i));
                    items.add(triplets.get(i + 1));
                    Long when = Numbers.parseLongOrNull(triplets.get(i + 2));
                    if (when == null || when < 0) {
                        throw new RdbException("Hash listpack integrity check failed.");
                    }
                    ttls[i / 3] = when;
                }
                return hashWithTtls(items, ttls);
            }
            case Rdb.TYPE_STREAM_LISTPACKS:
            case Rdb.TYPE_STREAM_LISTPACKS_2:
            case Rdb.TYPE_STREAM_LISTPACKS_3:
                return stream(type);
            case Rdb.TYPE_MODULE_PRE_GA:
                throw new RdbException("Pre-release module format not supported");
            case Rdb.TYPE_MODULE_2: {
                long moduleId = lengthU();
                String name = moduleName(moduleId);
                if (checkMode) {
                    skipModuleValue(name);
                    return name;
                }
                throw new RdbException("The RDB file contains module data I can't load: no matching module type '" + name
                        + "' (module id " + Long.toUnsignedString(moduleId) + ", encoding version " + (moduleId & 1023)
                        + "): this server does not support modules");
            }
            case Rdb.TYPE_KEYDB_CRON:
                return cron();
            case Rdb.TYPE_KEYDB_JVM_NESTED_HASH:
                return nestedHash();
            default:
                throw new RdbException("unknown RDB value type " + type);
        }
    }

    /**
     * KeyDB's rdbLoadObject for RDB_TYPE_CRON. The file says nothing of SINGLE/REPEAT or of the
     * database: the job repeats (KeyDB's default) unless {@link Rdb#AUX_CRON_SINGLE} follows,
     * and runs in the database it is loaded into.
     */
    private CronJob cron() throws IOException {
        byte[] script = string();
        long start = le(8);
        long interval = le(8);
        if (interval <= 0) {
            throw new RdbException("cron job with a non-positive interval " + interval);
        }
        byte[][] keys = strings(length());
        byte[][] args = strings(length());
        return new CronJob(script, false, start, interval, keys, args);
    }

    private byte[][] strings(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 8) {
            throw new RdbException("bad length " + n);
        }
        List<byte[]> out = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) {
            out.add(string());
        }
        return out.toArray(new byte[0][]);
    }

    /**
     * {@link Rdb#TYPE_KEYDB_JVM_NESTED_HASH}, as RdbWriter writes it; iterative, so that no
     * depth of nesting (nor a corrupt file) can exhaust the stack.
     */
    private NestedHashValue nestedHash() throws IOException {
        NestedHashValue root = new NestedHashValue();
        ArrayDeque<NestedHashValue> hashes = new ArrayDeque<>();
        ArrayDeque<long[]> left = new ArrayDeque<>();
        hashes.push(root);
        left.push(new long[] {length()});
        while (!hashes.isEmpty()) {
            if (left.peek()[0]-- == 0) {
                hashes.pop();
                left.pop();
                continue;
            }
            byte[] name = string();
            int kind = u8();
            Object child = switch (kind) {
                case Rdb.NESTED_STRING -> string();
                case Rdb.NESTED_LIST -> strings(length());
                case Rdb.NESTED_HASH -> new NestedHashValue();
                default -> throw new RdbException("unknown nested hash child kind " + kind);
            };
            if (hashes.peek().put(name, child)) {
                throw new RdbException("duplicate nested hash field '" + printable(name) + "'");
            }
            if (child instanceof NestedHashValue inner) {
                if (hashes.size() >= NestedHashValue.MAX_DEPTH) {
                    throw new RdbException("nested hash deeper than " + NestedHashValue.MAX_DEPTH + " levels");
                }
                hashes.push(inner);
                left.push(new long[] {length()});
            }
        }
        return root;
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

    /**
     * A Redis 7.4 hash with field expiry: fields whose TTL already passed are dropped, the
     * others' TTLs are left in {@link #ttlMembers} for the caller to set as member TTLs.
     */
    private HashValue hashWithTtls(List<byte[]> items, long[] ttls) throws RdbException {
        HashValue h = new HashValue();
        if (items.size() / 2 > limits.hashMaxEntries()) {
            h.convertToHashtable();
        }
        List<byte[]> members = new ArrayList<>();
        long[] whens = new long[items.size() / 2];
        for (int i = 0; i < items.size(); i += 2) {
            long when = ttls[i / 2];
            if (when > EB_EXPIRE_TIME_MAX) {
                throw new RdbException("invalid expireAt time: " + Long.toUnsignedString(when));
            }
            if (when != 0 && when <= nowMs && !checkMode) {
                continue;
            }
            if (!h.put(items.get(i), items.get(i + 1), limits.hashMaxEntries(), limits.hashMaxValue())) {
                throw new RdbException("duplicate hash field '" + printable(items.get(i)) + "'");
            }
            if (when != 0) {
                whens[members.size()] = when;
                members.add(items.get(i));
            }
        }
        if (!members.isEmpty()) {
            ttlMembers = members;
            ttlWhens = whens;
        }
        return h.size() == 0 ? null : h;
    }

    /** Redis 7.4's EB_EXPIRE_TIME_MAX: the largest field expiry time (48 bits of ms). */
    private static final long EB_EXPIRE_TIME_MAX = (1L << 48) - 1;

    private static long be(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** A stream ID as its 16-byte big-endian key: {ms, seq}. */
    private long[] rawId() throws IOException {
        byte[] b = bytes(16);
        return new long[] {be(b, 0), be(b, 8)};
    }

    /**
     * rdbLoadObject's stream case (types 15, 19 and 21): the node listpacks (decoded into the
     * stream's own nodes, node boundaries kept), the counters (derived for type 15 as Redis
     * does), then the consumer groups with their global PEL and consumers (type 21 consumers
     * also carry an active time, which Redis 7.0 does not have: it is read and dropped).
     */
    private StreamValue stream(int type) throws IOException {
        try {
            return streamReads(type);
        } catch (EOFException e) {
            throw streamRead == null ? e : streamRead.failed();
        }
    }

    /** The stream read under way, so a short read is reported as Redis reports it. */
    private StreamShortRead streamRead;

    private StreamValue streamReads(int type) throws IOException {
        StreamValue s = new StreamValue();
        streamRead = StreamShortRead.NODE_COUNT;
        long nodes = length();
        long[] prev = null;
        long[] prevEntry = new long[3];              // the last entry's ID, and whether there is one
        for (long n = 0; n < nodes; n++) {
            streamRead = StreamShortRead.NODE_KEY;
            byte[] key = string();
            if (key.length != 16) {
                throw new RdbException("Stream node key entry is not the size of a stream ID");
            }
            long[] master = {be(key, 0), be(key, 8)};
            if (prev != null && StreamValue.compare(master[0], master[1], prev[0], prev[1]) <= 0) {
                throw new RdbException("Listpack re-added with existing key");
            }
            prev = master;
            List<byte[]> lp = new ArrayList<>();
            streamRead = StreamShortRead.NODE_LISTPACK;
            Listpack.forEach(string(), lp::add);
            if (lp.isEmpty()) {
                throw new RdbException("Empty listpack inside stream");
            }
            streamNode(s, master, lp, prevEntry);
        }
        streamRead = StreamShortRead.METADATA;
        long length = length();
        long lastMs = lengthU(), lastSeq = lengthU();
        long firstMs, firstSeq, maxDelMs = 0, maxDelSeq = 0, added;
        if (type >= Rdb.TYPE_STREAM_LISTPACKS_2) {
            firstMs = lengthU();
            firstSeq = lengthU();
            maxDelMs = lengthU();
            maxDelSeq = lengthU();
            added = lengthU();
        } else {
            long[] first = new long[2];
            s.edgeId(true, first);
            firstMs = first[0];
            firstSeq = first[1];
            added = length;
        }
        if (length != s.length()) {
            throw new RdbException("Stream length " + length + " inconsistent with its " + s.length() + " entries");
        }
        s.loaded(lastMs, lastSeq, firstMs, firstSeq, maxDelMs, maxDelSeq, added);
        streamRead = StreamShortRead.GROUP_COUNT;
        long groups = length();
        for (long g = 0; g < groups; g++) {
            streamRead = StreamShortRead.GROUP_NAME;
            byte[] name = string();
            streamRead = StreamShortRead.GROUP_ID;
            long gms = lengthU(), gseq = lengthU();
            streamRead = StreamShortRead.GROUP_OFFSET;
            long entriesRead = type >= Rdb.TYPE_STREAM_LISTPACKS_2 ? lengthU() : s.estimateDistanceFromFirstEverEntry(gms, gseq);
            StreamValue.Group group = s.createGroup(name, gms, gseq, entriesRead);
            if (group == null) {
                throw new RdbException("Duplicated consumer group name " + printable(name));
            }
            streamRead = StreamShortRead.PEL_SIZE;
            long pel = length();
            for (long i = 0; i < pel; i++) {
                streamRead = StreamShortRead.PEL_ID;
                long[] id = rawId();
                streamRead = StreamShortRead.PEL_NACK;
                long time = le(8);
                long count = lengthU();
                int at = group.pel.find(id[0], id[1]);
                if (at >= 0) {
                    throw new RdbException("Duplicated global PEL entry loading stream consumer group");
                }
                group.pel.insert(-at - 1, id[0], id[1], time, count, null);
            }
            streamRead = StreamShortRead.CONSUMER_COUNT;
            long consumers = length();
            for (long c = 0; c < consumers; c++) {
                streamRead = StreamShortRead.CONSUMER_NAME;
                byte[] cname = string();
                streamRead = StreamShortRead.CONSUMER_SEEN;
                long seen = le(8);
                if (type >= Rdb.TYPE_STREAM_LISTPACKS_3) {
                    streamRead = null;                 // Redis 7.0 has no words for it
                    le(8);                             // active time (Redis 7.2)
                }
                StreamValue.Consumer consumer = group.createConsumer(cname, seen);
                if (consumer == null) {
                    throw new RdbException("Duplicate stream consumer detected.");
                }
                streamRead = StreamShortRead.CONSUMER_PEL_SIZE;
                long owned = length();
                for (long i = 0; i < owned; i++) {
                    streamRead = StreamShortRead.CONSUMER_PEL_ID;
                    long[] id = rawId();
                    int at = group.pel.find(id[0], id[1]);
                    if (at < 0) {
                        throw new RdbException("Consumer entry not found in group global PEL");
                    }
                    if (!consumer.pel.add(id[0], id[1])) {
                        throw new RdbException("Duplicated consumer PEL entry  loading a stream consumer group");
                    }
                    group.pel.owner(at, consumer);
                }
            }
        }
        return s;
    }

    /**
     * One node listpack (t_stream.c's layout): master entry = live count, deleted count,
     * field count, the fields, 0; then per entry flags, ms and seq deltas from the master ID,
     * [field count, fields and values | values when SAMEFIELDS], and its element count.
     */
    private static void streamNode(StreamValue s, long[] master, List<byte[]> lp, long[] prev) throws RdbException {
        int[] p = {0};
        long live = lpInt(lp, p);
        long deleted = lpInt(lp, p);
        int masterCount = (int) lpInt(lp, p);
        if (live < 0 || deleted < 0 || masterCount < 0 || masterCount > lp.size()) {
            throw new RdbException("Stream listpack integrity check failed.");
        }
        byte[][] masterFields = new byte[masterCount][];
        for (int i = 0; i < masterCount; i++) {
            masterFields[i] = lpItem(lp, p);
        }
        if (lpInt(lp, p) != 0) {
            throw new RdbException("Stream listpack integrity check failed.");
        }
        long seenLive = 0, seenDeleted = 0;
        boolean first = true;
        while (p[0] < lp.size()) {
            int flags = (int) lpInt(lp, p);
            long ms = master[0] + lpInt(lp, p);
            long seq = master[1] + lpInt(lp, p);
            boolean same = (flags & Rdb.STREAM_ITEM_FLAG_SAMEFIELDS) != 0;
            int fields = same ? masterCount : (int) lpInt(lp, p);
            if (fields < 0 || fields > lp.size()) {
                throw new RdbException("Stream listpack integrity check failed.");
            }
            byte[][] argv = new byte[fields * 2][];
            for (int i = 0; i < fields; i++) {
                argv[2 * i] = same ? masterFields[i] : lpItem(lp, p);
                argv[2 * i + 1] = lpItem(lp, p);
            }
            long count = lpInt(lp, p);
            if (count != fields + 3 + (same ? 0 : fields + 1)) {
                throw new RdbException("Stream listpack integrity check failed.");
            }
            boolean del = (flags & Rdb.STREAM_ITEM_FLAG_DELETED) != 0;
            if (prev[2] != 0 && StreamValue.compare(ms, seq, prev[0], prev[1]) <= 0) {
                throw new RdbException("Stream listpack integrity check failed: entry IDs out of order");
            }
            prev[0] = ms;
            prev[1] = seq;
            prev[2] = 1;
            s.loadEntry(first, ms, seq, argv, del);
            first = false;
            if (del) {
                seenDeleted++;
            } else {
                seenLive++;
            }
        }
        if (first || seenLive != live || seenDeleted != deleted) {
            throw new RdbException("Stream listpack integrity check failed.");
        }
    }

    private static byte[] lpItem(List<byte[]> lp, int[] p) throws RdbException {
        if (p[0] >= lp.size()) {
            throw new RdbException("Stream listpack integrity check failed.");
        }
        return lp.get(p[0]++);
    }

    private static long lpInt(List<byte[]> lp, int[] p) throws RdbException {
        Long v = Numbers.parseLongOrNull(lpItem(lp, p));
        if (v == null) {
            throw new RdbException("Stream listpack integrity check failed.");
        }
        return v;
    }
}
