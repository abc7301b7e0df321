package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.PROTECTED;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Log;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Glob;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.RawString;
import dev.keydb.storage.Strings;
import dev.keydb.storage.ValueType;
import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.NestedHashValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.StreamValue;
import dev.keydb.storage.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEBUG (Redis's debug.c): one command with arity -2 whose first argument selects the action,
 * as in Redis (not a container: COMMAND INFO shows no subcommands). Refused unless
 * {@code enable-debug-command} allows it. Runs under the keyspace lock, so DEBUG SLEEP
 * blocks the server as in Redis.
 */
public final class DebugCommands implements CommandFamily {
    private static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to "
            + "\"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";
    private static final CommandError NOT_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    private static final Pattern STRTOD_PREFIX = Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    @Override
    public void register(CommandTable t) {
        t.add(command("debug", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE, PROTECTED).group("server")
                .doc("1.0.0", "Depends on subcommand.", "A container for debugging commands").run(this::debug));
    }

    /** Redis's allowProtectedAction for enable-debug-command (no / yes / local). */
    static boolean allowed(CommandContext c) {
        String mode = c.server().config().enableDebugCommand;
        return "yes".equals(mode) || ("local".equals(mode) && c.client().isLocal());
    }

    private void debug(CommandContext c) {
        if (!allowed(c)) {
            throw new CommandError(NOT_ALLOWED);
        }
        String sub = c.argString(1).toLowerCase(Locale.ROOT);
        int argc = c.argc();
        switch (sub) {
            case "help" -> {
                if (argc != 2) {
                    throw Help.subcommandSyntax(c);
                }
                help(c);
            }
            case "sleep" -> require(c, argc == 3, () -> sleep(c));
            case "object" -> require(c, argc == 3, () -> object(c));
            case "set-active-expire" -> require(c, argc == 3, () -> {
                // Redis: server.active_expire_enabled = atoi(arg). Only the background cycle
                // stops; keys still expire lazily when accessed.
                c.server().config().activeExpireEnabled = atoi(c.argString(2)) != 0;
                c.reply().ok();
            });
            case "digest" -> require(c, argc == 2, () -> c.reply().simple(HexFormat.of().formatHex(datasetDigest(c))));
            case "digest-value" -> digestValue(c);
            case "protocol" -> require(c, argc == 3, () -> protocol(c));
            case "stringmatch-test" -> require(c, argc == 2, () -> {
                stringmatchFuzz();
                c.reply().simple("Apparently Redis did not crash: test passed");
            });
            case "change-repl-id" -> require(c, argc == 2, () -> {
                Log.notice("Changing replication IDs after receiving DEBUG change-repl-id");
                c.server().changeReplId();
                c.reply().ok();
            });
            case "populate" -> require(c, argc >= 3 && argc <= 5, () -> populate(c));
            case "loadaof" -> require(c, argc == 2, () -> {
                c.preventPropagation(); // what it loads was propagated when first written
                c.server().aof().debugLoadAof();
                c.reply().ok();
            });
            case "reload" -> reload(c);
            case "log" -> require(c, argc == 3, () -> {
                Log.warning("DEBUG LOG: " + c.argString(2));
                c.reply().ok();
            });
            case "error" -> require(c, argc == 3, () -> c.reply().error(c.argString(2)));
            case "htstats" -> require(c, argc == 3, () -> DebugInspection.htstats(c));
            case "htstats-key" -> require(c, argc == 3, () -> DebugInspection.htstatsKey(c));
            case "listpack" -> require(c, argc == 3, () -> DebugInspection.listpack(c));
            case "quicklist" -> require(c, argc == 3 || argc == 4, () -> DebugInspection.quicklist(c));
            case "leak" -> require(c, argc == 3, () -> {
                LEAKED.add(c.arg(2)); // on purpose: never freed, as Redis's sdsdup without a free
                c.reply().ok();
            });
            case "sdslen" -> require(c, argc == 3, () -> DebugInspection.sdslen(c));
            case "config-rewrite-force-all" -> require(c, argc == 2, () -> ConfigCommands.rewriteForceAll(c));
            case "set-skip-checksum-validation" -> require(c, argc == 3, () -> {
                c.server().skipChecksumValidation(atoi(c.argString(2)) != 0);
                c.reply().ok();
            });
            case "pause-cron" -> require(c, argc == 3, () -> {
                c.server().pauseCron(atoi(c.argString(2)) != 0);
                c.reply().ok();
            });
            case "aof-flush-sleep" -> require(c, argc == 3, () -> {
                c.server().aof().flushSleepMicros(Math.max(0, atoi(c.argString(2))));
                c.reply().ok();
            });
            case "segfault", "panic", "assert", "oom" -> require(c, argc == 2, () -> crash(sub));
            default -> throw Help.subcommandSyntax(c);
        }
    }

    /** DEBUG LEAK's strings: kept for the life of the process. */
    private static final java.util.List<byte[]> LEAKED = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /**
     * DEBUG SEGFAULT / PANIC / ASSERT / OOM: the process dies at once, without saving, after a
     * crash report in the log (what a supervisor or a crash test expects of Redis's).
     */
    private static void crash(String how) {
        StringBuilder report = new StringBuilder("\n\n=== KEYDB-JVM BUG REPORT START: Cut & paste starting from here ===\n")
                .append("Crashed by DEBUG ").append(how.toUpperCase(Locale.ROOT)).append('\n');
        for (var e : Thread.getAllStackTraces().entrySet()) {
            report.append("Thread ").append(e.getKey().getName()).append('\n');
            for (StackTraceElement f : e.getValue()) {
                report.append("    at ").append(f).append('\n');
            }
        }
        report.append("=== KEYDB-JVM BUG REPORT END. Make sure to include from START to END. ===\n");
        Log.warning(report.toString());
        Runtime.getRuntime().halt(how.equals("oom") ? 137 : 134);
    }

    private static void require(CommandContext c, boolean argsOk, Runnable action) {
        if (!argsOk) {
            throw Help.subcommandSyntax(c);
        }
        action.run();
    }

    // ---- SLEEP --------------------------------------------------------------------------------

    private void sleep(CommandContext c) {
        double seconds = strtod(c.argString(2));
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    /** C's strtod: the longest numeric prefix, 0 when there is none. */
    static double strtod(String s) {
        Matcher m = STRTOD_PREFIX.matcher(s);
        if (!m.find()) {
            return 0;
        }
        try {
            return Double.parseDouble(m.group().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** C's atoi: optional sign and leading digits, 0 when there are none. */
    static int atoi(String s) {
        Matcher m = Pattern.compile("^\\s*[+-]?\\d+").matcher(s);
        if (!m.find()) {
            return 0;
        }
        try {
            return Integer.parseInt(m.group().trim());
        } catch (NumberFormatException e) {
            return m.group().trim().startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
    }

    // ---- OBJECT -------------------------------------------------------------------------------

    private void object(CommandContext c) {
        byte[] key = c.arg(2);
        Database db = c.db();
        Object v = peek(db, key);
        if (v == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        int lru = db.clockOf(key);
        long idle = dev.keydb.storage.AccessClock.idleSeconds(lru, c.now());
        int refcount = Strings.isShared(v) ? Integer.MAX_VALUE : 1;
        c.reply().simple("Value at:0x" + Long.toHexString(0x7f0000000000L | ((long) System.identityHashCode(v) << 4))
                + " refcount:" + refcount
                + " encoding:" + ValueType.encodingOf(v)
                + " serializedlength:" + serializedLength(v)
                + " lru:" + (lru & 0xFFFFFF)
                + " lru_seconds_idle:" + idle);
    }

    /**
     * The value's size in an RDB file (Redis's rdbSavedObjectLen) for strings: integer
     * encodings and length-prefixed bytes. LZF compression of strings over 20 bytes is not
     * applied (no LZF codec yet), so compressible long strings report their uncompressed size.
     * Other types report 0 until their RDB encoding exists.
     */
    static long serializedLength(Object v) {
        if (!Strings.isString(v)) {
            return 0;
        }
        if (v instanceof Long l) {
            int enc = intEncodingLength(l);
            if (enc > 0) {
                return enc;
            }
            int digits = Long.toString(l).length();
            return lenLength(digits) + digits;
        }
        int len = Strings.length(v);
        if (len <= 11) {
            byte[] b = Strings.bytes(v);
            Long parsed = Numbers.parseLongOrNull(b);
            if (parsed != null && Arrays.equals(Numbers.toBytes(parsed), b)) {
                int enc = intEncodingLength(parsed);
                if (enc > 0) {
                    return enc;
                }
            }
        }
        return lenLength(len) + len;
    }

    /** rdbEncodeInteger: type byte plus 1, 2 or 4 bytes; 0 when the value needs more. */
    private static int intEncodingLength(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            return 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 3;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 0;
    }

    /** rdbSaveLen's size. */
    private static int lenLength(long len) {
        if (len < 64) {
            return 1;
        }
        if (len < 16384) {
            return 2;
        }
        return len <= 0xFFFFFFFFL ? 5 : 9;
    }

    /** The value of a key as it is stored, logically expired or not (Redis's dictFind; no lazy expiry). */
    static Object peek(Database db, byte[] key) {
        return db.lookupNoTouch(key, Long.MIN_VALUE); // "now" before every expiry time: nothing is due
    }

    // ---- DIGEST -------------------------------------------------------------------------------

    /** Redis's type numbers (OBJ_STRING ...), mixed into each key's digest. */
    private static int redisTypeCode(ValueType type) {
        return switch (type) {
            case STRING -> 0;
            case LIST -> 1;
            case SET -> 2;
            case ZSET -> 3;
            case HASH -> 4;
            case STREAM -> 6;
            case CRON -> 7; // KeyDB's OBJ_CRON
            case NESTED_HASH -> 8; // KeyDB's OBJ_NESTEDHASH
        };
    }

    /** Redis's computeDatasetDigest: 20 bytes, all zero for an empty dataset. */
    static byte[] datasetDigest(CommandContext c) {
        Digest d = new Digest();
        byte[] fin = new byte[20];
        Keyspace ks = c.server().keyspace();
        for (int j = 0; j < ks.databases(); j++) {
            Database db = ks.db(j);
            if (db.size() == 0) {
                continue;
            }
            d.mix(fin, htonl(j));
            for (byte[] key : db.keys()) {
                Object v = peek(db, key);
                if (v == null) {
                    continue;
                }
                byte[] digest = new byte[20];
                d.mix(digest, key);
                objectDigest(d, db, key, digest, v);
                d.xor(fin, digest);
            }
        }
        return fin;
    }

    /**
     * Redis's xorObjectDigest: mixes the type and the value into {@code digest}, then xors in
     * the "!!expire!!" marker when the key has a TTL (the TTL value itself is not part of it).
     * Lists mix their elements head to tail; sets xor each member's SHA-1 (order independent);
     * hashes xor, per field, the mix of field then value; zsets xor, per member, the mix of
     * the member then its score as "%.17g". Integer-encoded elements count as their decimal
     * text, as Redis decodes them, so every encoding digests alike.
     */
    static void objectDigest(Digest d, Database db, byte[] key, byte[] digest, Object v) {
        ValueType type = ValueType.of(v);
        d.mix(digest, htonl(redisTypeCode(type)));
        switch (type) {
            case STRING -> {
                if (v instanceof RawString r) {
                    d.mix(digest, r.array(), 0, r.length());
                } else {
                    d.mix(digest, Strings.bytes(v));
                }
            }
            case LIST -> ((ListValue) v).forEach((b, off, len) -> d.mix(digest, b, off, len));
            case SET -> ((SetValue) v).forEach(m -> d.xor(digest, m));
            case HASH -> ((HashValue) v).forEach((fb, fo, fl, vb, vo, vl) -> {
                byte[] ele = new byte[20];
                d.mix(ele, fb, fo, fl);
                d.mix(ele, vb, vo, vl);
                d.xor(digest, ele);
            });
            case ZSET -> ((ZSetValue) v).forEach((m, score) -> {
                byte[] ele = new byte[20];
                d.mix(ele, m);
                d.mix(ele, Numbers.formatDouble(score).getBytes(StandardCharsets.US_ASCII));
                d.xor(digest, ele);
            });
            // Streams mix each entry's "ms.seq" then its fields and values (consumer groups are not digested, as Redis).
            case STREAM -> ((StreamValue) v).range(0, 0, -1L, -1L, 0, false, (ms, seq, data, off) -> {
                d.mix(digest, (Long.toUnsignedString(ms) + "." + Long.toUnsignedString(seq)).getBytes(StandardCharsets.US_ASCII));
                StreamValue.forEachItem(data, off, (b, o, l) -> d.mix(digest, b, o, l));
                return true;
            });
            // KeyDB's own types (no Redis rule): a job's fields in order; a nested hash like a hash, recursively.
            case CRON -> {
                CronJob j = (CronJob) v;
                d.mix(digest, j.script());
                d.mix(digest, (j.singleShot() + " " + j.startMs() + " " + j.intervalMs()).getBytes(StandardCharsets.US_ASCII));
                for (byte[][] part : new byte[][][] {j.keys(), j.args()}) {
                    d.mix(digest, Numbers.toBytes(part.length));
                    for (byte[] e : part) {
                        d.mix(digest, e);
                    }
                }
            }
            case NESTED_HASH -> nestedDigest(d, digest, (NestedHashValue) v);
            default -> throw new CommandError("ERR DEBUG DIGEST does not support " + type.wireName() + " values yet");
        }
        if (db.expireAt(key) != ExpireTable.NONE) {
            d.xor(digest, "!!expire!!".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Per child, the mix of its name then its value (a list's items, a bucket's own digest), xored in. */
    private static void nestedDigest(Digest d, byte[] digest, NestedHashValue n) {
        n.forEach((name, child) -> {
            byte[] ele = new byte[20];
            d.mix(ele, name);
            if (child instanceof byte[] b) {
                d.mix(ele, b);
            } else if (child instanceof byte[][] list) {
                d.mix(ele, Numbers.toBytes(list.length)); // a list of one differs from a string
                for (byte[] e : list) {
                    d.mix(ele, e);
                }
            } else {
                byte[] inner = new byte[20];
                nestedDigest(d, inner, (NestedHashValue) child);
                d.mix(ele, inner);
            }
            d.xor(digest, ele);
        });
    }

    private void digestValue(CommandContext c) {
        Digest d = new Digest();
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            byte[] digest = new byte[20];
            Object v = peek(c.db(), c.arg(j));
            if (v != null) {
                objectDigest(d, c.db(), c.arg(j), digest, v);
            }
            r.simple(HexFormat.of().formatHex(digest));
        }
    }

    private static byte[] htonl(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** debug.c's xorDigest and mixDigest over SHA-1. */
    static final class Digest {
        private final MessageDigest sha1;

        Digest() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** digest ^= SHA1(data): order-independent accumulation. */
        void xor(byte[] digest, byte[] data, int off, int len) {
            sha1.reset();
            sha1.update(data, off, len);
            byte[] hash = sha1.digest();
            for (int i = 0; i < 20; i++) {
                digest[i] ^= hash[i];
            }
        }

        void xor(byte[] digest, byte[] data) {
            xor(digest, data, 0, data.length);
        }

        /** digest = SHA1(digest ^ SHA1(data)): order-dependent accumulation. */
        void mix(byte[] digest, byte[] data, int off, int len) {
            xor(digest, data, off, len);
            sha1.reset();
            byte[] next = sha1.digest(digest);
            System.arraycopy(next, 0, digest, 0, 20);
        }

        void mix(byte[] digest, byte[] data) {
            mix(digest, data, 0, data.length);
        }
    }

    // ---- PROTOCOL -----------------------------------------------------------------------------

    private void protocol(CommandContext c) {
        Reply r = c.reply();
        switch (c.argString(2).toLowerCase(Locale.ROOT)) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array" -> {
                r.array(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "set" -> {
                r.set(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.resp3()) {
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) {
                    throw new CommandError("ERR RESP2 is not supported by this command");
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("This is a verbatim\nstring");
            default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    // ---- STRINGMATCH-TEST ---------------------------------------------------------------------

    /**
     * Redis's stringmatchlen_fuzz_test: random patterns against random strings (7-bit bytes,
     * lengths below 32) to show the glob matcher neither crashes nor runs away. Redis runs 10^7
     * cycles; 10^6 keeps the lock for well under a second here.
     */
    static long stringmatchFuzz() {
        SplittableRandom rnd = new SplittableRandom();
        long matches = 0;
        for (int cycle = 0; cycle < 1_000_000; cycle++) {
            byte[] str = new byte[rnd.nextInt(32)];
            byte[] pat = new byte[rnd.nextInt(32)];
            for (int j = 0; j < str.length; j++) {
                str[j] = (byte) rnd.nextInt(128);
            }
            for (int j = 0; j < pat.length; j++) {
                pat[j] = (byte) rnd.nextInt(128);
            }
            if (Glob.matches(pat, str)) {
                matches++;
            }
        }
        return matches;
    }

    // ---- POPULATE -----------------------------------------------------------------------------

    /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis 7.0's debug.c. */
    private void reload(CommandContext c) {
        boolean flush = true, save = true, merge = false;
        for (int j = 2; j < c.argc(); j++) {
            if (c.argIs(j, "merge")) {
                merge = true;
            } else if (c.argIs(j, "noflush")) {
                flush = false;
            } else if (c.argIs(j, "nosave")) {
                save = false;
            } else {
                throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        if (save) {
            try {
                c.server().persistence().killBackgroundSave();
                c.server().persistence().save();
            } catch (java.io.IOException | RuntimeException e) {
                throw new CommandError("ERR"); // Redis's shared.err; the reason is in the log
            }
        }
        if (flush) {
            c.server().signalFlushed(-1, c.now());
        }
        try {
            c.server().persistence().reload(flush, merge);
        } catch (java.io.IOException e) {
            Log.warning("DEBUG RELOAD failed: " + e.getMessage());
            throw new CommandError("ERR Error trying to load the RDB dump, check server logs.");
        }
        c.reply().ok();
    }

    private void populate(CommandContext c) {
        long keys = positive(c, 2);
        long size = c.argc() == 5 ? positive(c, 4) : 0;
        byte[] prefix = c.argc() >= 4 ? c.arg(3) : "key".getBytes(StandardCharsets.US_ASCII);
        Database db = c.db();
        for (long j = 0; j < keys; j++) {
            byte[] suffix = (":" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] key = new byte[Math.min(prefix.length + suffix.length, 127)]; // Redis formats into char[128]
            int p = Math.min(prefix.length, key.length);
            System.arraycopy(prefix, 0, key, 0, p);
            System.arraycopy(suffix, 0, key, p, key.length - p);
            if (c.writeKey(key) != null) {
                continue; // existing keys are left alone
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = size == 0 ? text : Arrays.copyOf(text, (int) Math.min(size, Integer.MAX_VALUE - 8));
            db.set(key, value, c.now());
        }
        c.reply().ok();
    }

    /** getPositiveLongFromObjectOrReply with Redis's default message for both bad and negative input. */
    private static long positive(CommandContext c, int i) {
        Long v = Numbers.parseLongOrNull(c.arg(i));
        if (v == null || v < 0) {
            throw NOT_POSITIVE;
        }
        return v;
    }

    private void help(CommandContext c) {
        Help.reply(c, "DEBUG",
                "AOF-FLUSH-SLEEP <microsec>",
                "    Server will sleep before flushing the AOF, this is used for testing.",
                "ASSERT",
                "    Crash by assertion failed.",
                "CHANGE-REPL-ID",
                "    Change the replication IDs of the instance.",
                "    Dangerous: should be used only for testing the replication subsystem.",
                "CONFIG-REWRITE-FORCE-ALL",
                "    Like CONFIG REWRITE but writes all configuration options, including",
                "    keywords not listed in original configuration file or default values.",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LEAK <string>",
                "    Create a memory leak of the input string.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "HTSTATS <dbid>",
                "    Return hash table statistics of the specified Redis database.",
                "HTSTATS-KEY <key>",
                "    Like HTSTATS but for the hash table stored at <key>'s value.",
                "LOADAOF",
                "    Flush the AOF buffers on disk and reload the AOF in memory.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "OOM",
                "    Crash the server simulating an out-of-memory error.",
                "PANIC",
                "    Crash the server simulating a panic.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "RELOAD [option ...]",
                "    Save the RDB on disk and reload it back to memory. By default it will save",
                "    the RDB file and load it back.",
                "    * MERGE: Merge the content of the RDB file into the current dataset,",
                "      replacing keys that exist in both.",
                "    * NOFLUSH: Do not empty the current database before loading the RDB.",
                "    * NOSAVE: Do not save the RDB before loading it back.",
                "SDSLEN <key>",
                "    Show low level info about the string value of <key> (our byte array: no spare room).",
                "SEGFAULT",
                "    Crash the server with sigsegv.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
                "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
                "STRINGMATCH-TEST",
                "    Run a fuzz tester against the stringmatchlen() function.",
                "LISTPACK <key>",
                "    Show low level info about the listpack encoding of <key>.",
                "QUICKLIST <key> [<0|1>]",
                "    Show low level info about the quicklist encoding of <key>.",
                "    The optional argument (0 by default) sets the level of detail",
                "PAUSE-CRON <0|1>",
                "    Stop periodic cron job processing.");
    }
}
