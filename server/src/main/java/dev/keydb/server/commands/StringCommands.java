package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.Propagated;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.command.Expiry;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.LongDouble;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.RawString;
import dev.keydb.storage.Strings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The string commands (Redis's t_string.c). */
public final class StringCommands implements CommandFamily {
    private static final CommandError TOO_BIG = new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    private static final CommandError OVERFLOW = new CommandError("ERR increment or decrement would overflow");

    @Override
    public void register(CommandTable t) {
        String g = "string";
        t.add(command("get", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Returns the string value of a key.").run(this::get));
        t.add(command("set", -3).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.").run(this::set));
        t.add(command("setnx", 3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Set the string value of a key only when the key doesn't exist.").run(this::setnx));
        t.add(command("setex", 4).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1)", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.")
                .run(c -> setWithExpire(c, Expiry.Unit.SECONDS)));
        t.add(command("psetex", 4).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("2.6.0", "O(1)", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.")
                .run(c -> setWithExpire(c, Expiry.Unit.MILLISECONDS)));
        t.add(command("getex", -2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(1)", "Returns the string value of a key after setting its expiration time.").run(this::getex));
        t.add(command("getdel", 2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(1)", "Returns the string value of a key after deleting the key.").run(this::getdel));
        t.add(command("getset", 3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Returns the previous string value of a key after setting it to a new value.").run(this::getset));
        t.add(command("mget", -2).flags(READONLY, FAST).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of keys to retrieve.", "Atomically returns the string values of one or more keys.").run(this::mget));
        t.add(command("mset", -3).flags(WRITE, DENYOOM).keys(1, -1, 2).acl(g).group(g)
                .doc("1.0.1", "O(N) where N is the number of keys to set.", "Atomically creates or modifies the string values of one or more keys.").run(this::mset));
        t.add(command("msetnx", -3).flags(WRITE, DENYOOM).keys(1, -1, 2).acl(g).group(g)
                .doc("1.0.1", "O(N) where N is the number of keys to set.", "Atomically modifies the string values of one or more keys only when all keys don't exist.").run(this::msetnx));
        t.add(command("incr", 2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
                .run(c -> incrBy(c, 1)));
        t.add(command("decr", 2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
                .run(c -> incrBy(c, -1)));
        t.add(command("incrby", 3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
                .run(c -> incrBy(c, c.longArg(2))));
        t.add(command("decrby", 3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.")
                .run(this::decrby));
        t.add(command("incrbyfloat", 3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.6.0", "O(1)", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
                .run(this::incrbyfloat));
        t.add(command("append", 3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
                        "Appends a string to the value of a key. Creates the key if it doesn't exist.").run(this::append));
        t.add(command("strlen", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", "O(1)", "Returns the length of a string value.").run(this::strlen));
        t.add(command("getrange", 4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.4.0", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
                        "Returns a substring of the string stored at a key.").run(this::getrange));
        t.add(command("substr", 4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
                        "Returns a substring from a string value.").run(this::getrange));
        t.add(command("setrange", 4).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
                        "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.").run(this::setrange));
        t.add(command("lcs", -3).flags(READONLY).keys(1, 2, 1).acl(g).group(g)
                .doc("7.0.0", "O(N*M) where N and M are the lengths of s1 and s2, respectively", "Finds the longest common substring.").run(this::lcs));
    }

    private void get(CommandContext c) {
        writeString(c.reply(), c.readString(c.arg(1)));
    }

    /** Replies a string value without copying it; null as the null bulk. */
    static void writeString(Reply r, Object v) {
        if (v == null) {
            r.nullBulk();
        } else if (v instanceof byte[] b) {
            r.bulk(b);
        } else if (v instanceof Long l) {
            r.bulk(l);
        } else {
            RawString s = (RawString) v;
            r.bulk(s.array(), 0, s.length());
        }
    }

    private void set(CommandContext c) {
        boolean nx = false, xx = false, get = false, keepTtl = false;
        long expireAt = ExpireTable.NONE;
        boolean expireGiven = false;
        for (int j = 3; j < c.argc(); j++) {
            boolean hasNext = j < c.argc() - 1;
            if (c.argIs(j, "nx") && !xx) {
                nx = true;
            } else if (c.argIs(j, "xx") && !nx) {
                xx = true;
            } else if (c.argIs(j, "get")) {
                get = true;
            } else if (c.argIs(j, "keepttl") && !expireGiven) {
                keepTtl = true;
            } else if (!keepTtl && !expireGiven && hasNext && expireOption(c, j) != null) {
                expireAt = Expiry.absoluteMs(c, j + 1, expireOption(c, j), !c.argIs(j, "exat") && !c.argIs(j, "pxat"));
                expireGiven = true;
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        Object old = get ? c.readString(key) : c.writeKey(key);
        if (get) {
            writeString(c.reply(), old);
        }
        if ((nx && old != null) || (xx && old == null)) {
            if (!get) {
                c.reply().nullBulk();
            }
            return;
        }
        store(c, key, c.arg(2), keepTtl, expireAt);
        if (!get) {
            c.reply().ok();
        } else if (expireAt == ExpireTable.NONE && c.propagating()) {
            // Propagated without GET (an expiry rewrote the whole argv already).
            java.util.List<byte[]> argv = new java.util.ArrayList<>();
            for (int j = 0; j < c.argc(); j++) {
                if (j < 3 || !c.argIs(j, "get")) {
                    argv.add(c.arg(j));
                }
            }
            c.propagateAs(argv.toArray(new byte[0][]));
        }
    }

    /** EX/PX/EXAT/PXAT at position j, or null. */
    private static Expiry.Unit expireOption(CommandContext c, int j) {
        if (c.argIs(j, "ex") || c.argIs(j, "exat")) {
            return Expiry.Unit.SECONDS;
        }
        if (c.argIs(j, "px") || c.argIs(j, "pxat")) {
            return Expiry.Unit.MILLISECONDS;
        }
        return null;
    }

    /**
     * Stores a string value; an expiry already in the past deletes the key instead, as Redis 7.
     * With an expiry it propagates as SET key value PXAT ms (setGenericCommand).
     */
    private static void store(CommandContext c, byte[] key, byte[] raw, boolean keepTtl, long expireAt) {
        Database db = c.db();
        Object value = Strings.encode(raw);
        if (expireAt != ExpireTable.NONE && expireAt <= c.now()) {
            if (db.delete(key)) {
                c.changed(key, KeyspaceEvents.GENERIC, "del");
            }
            c.propagateAs(Propagated.expiredDelete(c), key);
            return;
        }
        if (expireAt != ExpireTable.NONE && c.propagating()) {
            c.propagateAs(Propagated.SET, key, raw, Propagated.PXAT, CommandContext.bytes(expireAt));
        }
        if (keepTtl) {
            db.setKeepTtl(key, value, c.now());
        } else {
            db.set(key, value, c.now(), expireAt);
        }
        c.changed(key, KeyspaceEvents.STRING, "set");
        if (expireAt != ExpireTable.NONE) {
            c.notifyEvent(key, KeyspaceEvents.GENERIC, "expire");
        }
    }

    private void setnx(CommandContext c) {
        byte[] key = c.arg(1);
        if (c.writeKey(key) != null) {
            c.reply().integer(0);
            return;
        }
        c.db().set(key, Strings.encode(c.arg(2)), c.now());
        c.changed(key, KeyspaceEvents.STRING, "set");
        c.reply().integer(1);
    }

    private void setWithExpire(CommandContext c, Expiry.Unit unit) {
        long at = Expiry.absoluteMs(c, 2, unit, true);
        store(c, c.arg(1), c.arg(3), false, at);
        c.reply().ok();
    }

    private void getex(CommandContext c) {
        long expireAt = ExpireTable.NONE;
        boolean persist = false, expireGiven = false;
        for (int j = 2; j < c.argc(); j++) {
            boolean hasNext = j < c.argc() - 1;
            if (c.argIs(j, "persist") && !expireGiven) {
                persist = true;
            } else if (!persist && !expireGiven && hasNext && expireOption(c, j) != null) {
                expireAt = Expiry.absoluteMs(c, j + 1, expireOption(c, j), !c.argIs(j, "exat") && !c.argIs(j, "pxat"));
                expireGiven = true;
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        Object v = c.readString(key);
        writeString(c.reply(), v);
        if (v == null) {
            return;
        }
        Database db = c.db();
        if (expireGiven) {
            if (expireAt <= c.now()) {
                db.delete(key);
                c.changed(key, KeyspaceEvents.GENERIC, "del");
                c.propagateAs(Propagated.expiredDelete(c), key);
            } else {
                db.setExpire(key, expireAt);
                c.changed(key, KeyspaceEvents.GENERIC, "expire");
                c.propagateAs(Propagated.PEXPIREAT, key, CommandContext.bytes(expireAt));
            }
        } else if (persist && db.persist(key)) {
            c.changed(key, KeyspaceEvents.GENERIC, "persist");
            c.propagateAs(Propagated.PERSIST, key);
        }
    }

    private void getdel(CommandContext c) {
        Object v = c.readString(c.arg(1));
        writeString(c.reply(), v);
        if (v != null) {
            c.db().delete(c.arg(1));
            c.changed(c.arg(1), KeyspaceEvents.GENERIC, "del");
            c.propagateAs(Propagated.serverDelete(c), c.arg(1)); // GETDEL replays as DEL (or UNLINK)
        }
    }

    private void getset(CommandContext c) {
        Object v = c.readString(c.arg(1));
        writeString(c.reply(), v);
        c.db().set(c.arg(1), Strings.encode(c.arg(2)), c.now());
        c.changed(c.arg(1), KeyspaceEvents.STRING, "set");
        c.propagateAs(Propagated.SET, c.arg(1), c.arg(2)); // GETSET replays as SET
    }

    private void mget(CommandContext c) {
        c.reply().array(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            Object v = c.readKey(c.arg(i));
            writeString(c.reply(), Strings.isString(v) ? v : null);
        }
    }

    private void mset(CommandContext c) {
        if (c.argc() % 2 == 0) {
            throw c.wrongArity();
        }
        setAll(c);
        c.reply().ok();
    }

    private void msetnx(CommandContext c) {
        if (c.argc() % 2 == 0) {
            throw c.wrongArity();
        }
        for (int i = 1; i < c.argc(); i += 2) {
            if (c.writeKey(c.arg(i)) != null) {
                c.reply().integer(0);
                return;
            }
        }
        setAll(c);
        c.reply().integer(1);
    }

    /** MSET/MSETNX: stores every pair, each a "set" change. */
    private static void setAll(CommandContext c) {
        for (int i = 1; i < c.argc(); i += 2) {
            c.db().set(c.arg(i), Strings.encode(c.arg(i + 1)), c.now());
            c.changed(c.arg(i), KeyspaceEvents.STRING, "set");
        }
    }

    /** The integer held by a string value, or "value is not an integer or out of range". */
    private static long integerValue(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        Long parsed = Numbers.parseLongOrNull(Strings.bytes(v));
        if (parsed == null) {
            throw CommandError.NOT_INTEGER;
        }
        return parsed;
    }

    private void incrBy(CommandContext c, long delta) {
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        if (v != null && !Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        long current = v == null ? 0 : integerValue(v);
        long result;
        try {
            result = Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw OVERFLOW;
        }
        c.db().setKeepTtl(key, Strings.fromLong(result), c.now());
        c.changed(key, KeyspaceEvents.STRING, "incrby");
        c.reply().integer(result);
    }

    private void decrby(CommandContext c) {
        long delta = c.longArg(2);
        if (delta == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        incrBy(c, -delta);
    }

    private void incrbyfloat(CommandContext c) {
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        if (v != null && !Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        BigDecimal current = v == null ? BigDecimal.ZERO : LongDouble.parse(Strings.bytes(v));
        BigDecimal incr = LongDouble.parse(c.arg(2));
        if (current == null || (incr == null && !LongDouble.isInfinity(c.arg(2)))) {
            throw CommandError.NOT_FLOAT;
        }
        BigDecimal result = incr == null ? null : LongDouble.add(current, incr);
        if (result == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = LongDouble.format(result).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        c.db().setKeepTtl(key, text, c.now());
        c.changed(key, KeyspaceEvents.STRING, "incrbyfloat");
        c.propagateAs(Propagated.SET, key, text, Propagated.KEEPTTL); // no float rounding differences on replay
        c.reply().bulk(text);
    }

    private static void checkLength(CommandContext c, long length) {
        if (length > c.server().config().protoMaxBulkLen) {
            throw TOO_BIG;
        }
    }

    private void append(CommandContext c) {
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        if (v == null) {
            c.db().set(key, c.arg(2), c.now());
            c.changed(key, KeyspaceEvents.STRING, "append");
            c.reply().integer(c.arg(2).length);
            return;
        }
        if (!Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        checkLength(c, (long) Strings.length(v) + c.arg(2).length);
        RawString s = Strings.mutable(v);
        s.append(c.arg(2));
        if (s != v) {
            c.db().setKeepTtl(key, s, c.now());
        }
        c.changed(key, KeyspaceEvents.STRING, "append");
        c.reply().integer(s.length());
    }

    private void strlen(CommandContext c) {
        Object v = c.readString(c.arg(1));
        c.reply().integer(v == null ? 0 : Strings.length(v));
    }

    private void getrange(CommandContext c) {
        long start = c.longArg(2), end = c.longArg(3);
        Object v = c.readString(c.arg(1));
        if (v == null) {
            c.reply().bulk(new byte[0]);
            return;
        }
        byte[] s;
        int len;
        if (v instanceof RawString r) {
            s = r.array();
            len = r.length();
        } else {
            s = Strings.bytes(v);
            len = s.length;
        }
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(new byte[0]);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.reply().bulk(new byte[0]);
            return;
        }
        c.reply().bulk(s, (int) start, (int) (end - start + 1));
    }

    private void setrange(CommandContext c) {
        byte[] key = c.arg(1);
        long offset = c.longArg(2);
        byte[] value = c.arg(3);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        Object v = c.writeKey(key);
        if (v != null && !Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        if (value.length == 0) {
            c.reply().integer(v == null ? 0 : Strings.length(v));
            return;
        }
        checkLength(c, offset + value.length);
        RawString s = v == null ? new RawString(new byte[0]) : Strings.mutable(v);
        s.setRange((int) offset, value);
        if (s != v) {
            c.db().setKeepTtl(key, s, c.now());
        }
        c.changed(key, KeyspaceEvents.STRING, "setrange");
        c.reply().integer(s.length());
    }

    private void lcs(CommandContext c) {
        Object oa = c.readKey(c.arg(1)), ob = c.readKey(c.arg(2));
        if ((oa != null && !Strings.isString(oa)) || (ob != null && !Strings.isString(ob))) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = oa == null ? new byte[0] : Strings.bytes(oa);
        byte[] b = ob == null ? new byte[0] : Strings.bytes(ob);
        boolean getLen = false, getIdx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (c.argIs(j, "idx")) {
                getIdx = true;
            } else if (c.argIs(j, "len")) {
                getLen = true;
            } else if (c.argIs(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (c.argIs(j, "minmatchlen") && more) {
                minMatchLen = Math.max(0, c.longArg(j + 1));
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (getLen && getIdx) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        int alen = a.length, blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > c.server().config().protoMaxBulkLen) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        if (cells > Integer.MAX_VALUE - 8) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int w = blen + 1;
        int[] t = new int[(int) cells];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                t[j + i * w] = a[i - 1] == b[j - 1] ? t[(j - 1) + (i - 1) * w] + 1 : Math.max(t[j + (i - 1) * w], t[(j - 1) + i * w]);
            }
        }
        int idx = t[blen + alen * w];
        byte[] result = !getIdx && !getLen ? new byte[idx] : null;
        List<long[]> matches = new ArrayList<>();
        int i = alen, j = blen;
        int aStart = alen, aEnd = 0, bStart = 0, bEnd = 0;
        boolean compute = getIdx || !getLen;
        while (compute && i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                if (result != null) {
                    result[idx - 1] = a[i - 1];
                }
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (t[j + (i - 1) * w] > t[(j - 1) + i * w]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            long matchLen = aEnd - aStart + 1L;
            if (emit) {
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    matches.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = alen;
            }
        }
        Reply r = c.reply();
        if (getIdx) {
            r.map(2);
            r.bulk("matches");
            r.array(matches.size());
            for (long[] m : matches) {
                r.array(withMatchLen ? 3 : 2);
                r.array(2);
                r.integer(m[0]);
                r.integer(m[1]);
                r.array(2);
                r.integer(m[2]);
                r.integer(m[3]);
                if (withMatchLen) {
                    r.integer(m[4]);
                }
            }
            r.bulk("len");
            r.integer(t[blen + alen * w]);
        } else if (getLen) {
            r.integer(idx);
        } else {
            r.bulk(result);
        }
    }
}
