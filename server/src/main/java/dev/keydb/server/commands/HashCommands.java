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
import dev.keydb.server.config.ServerConfig;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.LongDouble;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.types.HashValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** The hash commands (Redis's t_hash.c). */
public final class HashCommands implements CommandFamily {
    private static final CommandError NOT_INTEGER_HASH = new CommandError("ERR hash value is not an integer");
    private static final CommandError NOT_FLOAT_HASH = new CommandError("ERR hash value is not a float");
    private static final CommandError OVERFLOW = new CommandError("ERR increment or decrement would overflow");
    private static final CommandError NAN_OR_INF = new CommandError("ERR value is NaN or Infinity");
    private static final CommandError WOULD_BE_NAN = new CommandError("ERR increment would produce NaN or Infinity");
    private static final CommandError OUT_OF_RANGE = new CommandError("ERR value is out of range");
    static final CommandError COUNT_RANGE = new CommandError(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");

    @Override
    public void register(CommandTable t) {
        String g = "hash";
        t.add(command("hset", -4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
                        "Creates or modifies the value of a field in a hash.").run(c -> hset(c, false)));
        t.add(command("hmset", -4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the number of fields being set.", "Sets the values of multiple fields.").run(c -> hset(c, true)));
        t.add(command("hsetnx", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1)", "Sets the value of a field in a hash only when the field doesn't exist.").run(this::hsetnx));
        t.add(command("hget", 3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1)", "Returns the value of a field in a hash.").run(this::hget));
        t.add(command("hmget", -3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the number of fields being requested.", "Returns the values of all fields in a hash.").run(this::hmget));
        t.add(command("hdel", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the number of fields to be removed.", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.").run(this::hdel));
        t.add(command("hlen", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1)", "Returns the number of fields in a hash.").run(this::hlen));
        t.add(command("hstrlen", 3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.0", "O(1)", "Returns the length of the value of a field.").run(this::hstrlen));
        t.add(command("hexists", 3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1)", "Determines whether a field exists in a hash.").run(this::hexists));
        t.add(command("hkeys", 2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the size of the hash.", "Returns all fields in a hash.").run(c -> hgetall(c, true, false)));
        t.add(command("hvals", 2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the size of the hash.", "Returns all values in a hash.").run(c -> hgetall(c, false, true)));
        t.add(command("hgetall", 2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the size of the hash.", "Returns all fields and values in a hash.").run(c -> hgetall(c, true, true)));
        t.add(command("hincrby", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(1)", "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.").run(this::hincrby));
        t.add(command("hincrbyfloat", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.6.0", "O(1)", "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.").run(this::hincrbyfloat));
        t.add(command("hrandfield", -2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(N) where N is the number of fields returned", "Returns one or more random fields from a hash.").run(this::hrandfield));
        t.add(command("hscan", -3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
                        "Iterates over fields and values of a hash.").run(this::hscan));
    }

    /** The hash at {@code key} for reading, null when absent; WRONGTYPE for other types. */
    private static HashValue read(CommandContext c, byte[] key) {
        Object v = c.readKey(key);
        if (v == null) {
            return null;
        }
        if (v instanceof HashValue h) {
            return h;
        }
        throw CommandError.WRONGTYPE;
    }

    private static HashValue write(CommandContext c, byte[] key) {
        Object v = c.writeKey(key);
        if (v == null) {
            return null;
        }
        if (v instanceof HashValue h) {
            return h;
        }
        throw CommandError.WRONGTYPE;
    }

    /** The hash at {@code key}, created (and stored) when absent. */
    private static HashValue writeOrCreate(CommandContext c, byte[] key) {
        HashValue h = write(c, key);
        if (h == null) {
            h = new HashValue();
            c.db().set(key, h, c.now());
        }
        return h;
    }

    private static int maxEntries(CommandContext c) {
        return c.server().config().hashMaxListpackEntries;
    }

    private static int maxValue(CommandContext c) {
        return c.server().config().hashMaxListpackValue;
    }

    private void hset(CommandContext c, boolean hmset) {
        if (c.argc() % 2 == 1) {
            throw c.wrongArity();
        }
        HashValue h = writeOrCreate(c, c.arg(1));
        ServerConfig cfg = c.server().config();
        int maxEntries = cfg.hashMaxListpackEntries, maxValue = cfg.hashMaxListpackValue;
        if (h.isListpack()) {
            for (int i = 2; i < c.argc(); i++) {
                if (c.arg(i).length > maxValue) {
                    h.convertToHashtable();
                    break;
                }
            }
        }
        int created = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            if (h.put(c.arg(i), c.arg(i + 1), maxEntries, maxValue)) {
                created++;
            }
        }
        if (hmset) {
            c.reply().ok();
        } else {
            c.reply().integer(created);
        }
        c.changed(c.arg(1), KeyspaceEvents.HASH, "hset");
    }

    private void hsetnx(CommandContext c) {
        HashValue h = writeOrCreate(c, c.arg(1));
        if (h.contains(c.arg(2))) {
            c.reply().integer(0);
            return;
        }
        h.put(c.arg(2), c.arg(3), maxEntries(c), maxValue(c));
        c.reply().integer(1);
        c.changed(c.arg(1), KeyspaceEvents.HASH, "hset");
    }

    private void hget(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        c.reply().bulk(h == null ? null : h.get(c.arg(2)));
    }

    private void hmget(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            r.bulk(h == null ? null : h.get(c.arg(i)));
        }
    }

    private void hdel(CommandContext c) {
        HashValue h = write(c, c.arg(1));
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(c.removeMembers(c.arg(1), h::remove, h::size, KeyspaceEvents.HASH, "hdel"));
    }

    private void hlen(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.size());
    }

    private void hstrlen(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        int len = h == null ? -1 : h.valueLength(c.arg(2));
        c.reply().integer(Math.max(len, 0));
    }

    private void hexists(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        c.reply().integer(h != null && h.contains(c.arg(2)) ? 1 : 0);
    }

    private void hgetall(CommandContext c, boolean fields, boolean values) {
        HashValue h = read(c, c.arg(1));
        Reply r = c.reply();
        int n = h == null ? 0 : h.size();
        if (fields && values) {
            r.map(n);
        } else {
            r.array(n);
        }
        if (h == null) {
            return;
        }
        h.forEach((fb, fo, fl, vb, vo, vl) -> {
            if (fields) {
                r.bulk(fb, fo, fl);
            }
            if (values) {
                r.bulk(vb, vo, vl);
            }
        });
    }

    private void hincrby(CommandContext c) {
        long incr = c.longArg(3);
        HashValue h = writeOrCreate(c, c.arg(1));
        byte[] cur = h.get(c.arg(2));
        long value = 0;
        if (cur != null) {
            Long v = Numbers.parseLongOrNull(cur);
            if (v == null) {
                throw NOT_INTEGER_HASH;
            }
            value = v;
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw OVERFLOW;
        }
        value += incr;
        h.put(c.arg(2), Numbers.toBytes(value), maxEntries(c), maxValue(c));
        c.reply().integer(value);
        c.changed(c.arg(1), KeyspaceEvents.HASH, "hincrby");
    }

    private void hincrbyfloat(CommandContext c) {
        byte[] incrArg = c.arg(3);
        BigDecimal incr = parseLongDouble(incrArg);
        if (incr == null) {
            if (isInfinityText(incrArg)) {
                throw NAN_OR_INF;
            }
            throw CommandError.NOT_FLOAT;
        }
        HashValue h = writeOrCreate(c, c.arg(1));
        byte[] cur = h.get(c.arg(2));
        BigDecimal value = BigDecimal.ZERO;
        if (cur != null) {
            value = parseLongDouble(cur);
            if (value == null) {
                if (isInfinityText(cur)) {
                    throw WOULD_BE_NAN;
                }
                throw NOT_FLOAT_HASH;
            }
        }
        BigDecimal sum = LongDouble.add(value, incr);
        if (sum == null) {
            throw WOULD_BE_NAN;
        }
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        h.put(c.arg(2), text, maxEntries(c), maxValue(c));
        c.reply().bulk(text);
        c.changed(c.arg(1), KeyspaceEvents.HASH, "hincrbyfloat");
        c.propagateAs(Propagated.HSET, c.arg(1), c.arg(2), text); // the result, not the float arithmetic, replays
    }

    /**
     * A long double as strtold reads it: {@link LongDouble#parse}, extended to finite values
     * beyond the double range (up to about 1.19e4932) that x87 long doubles hold.
     */
    private static BigDecimal parseLongDouble(byte[] s) {
        BigDecimal v = LongDouble.parse(s);
        if (v != null || isInfinityText(s)) {
            return v;
        }
        Double d = Numbers.parseDoubleOrNull(s);
        if (d == null || !d.isInfinite()) {
            return null;
        }
        try {
            return LongDouble.add(BigDecimal.ZERO, new BigDecimal(new String(s, StandardCharsets.US_ASCII)));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Whether strtold would read the text as an infinity ("inf", "-Infinity"...), not an overflowing number. */
    private static boolean isInfinityText(byte[] s) {
        String t = new String(s, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("inf") || t.equals("infinity");
    }

    private void hrandfield(CommandContext c) {
        if (c.argc() == 2) {
            HashValue h = read(c, c.arg(1));
            if (h == null) {
                c.reply().nullBulk();
                return;
            }
            c.reply().bulk(h.fieldAt(h.randomHandle(ThreadLocalRandom.current())));
            return;
        }
        Long parsed = Numbers.parseLongOrNull(c.arg(2));
        if (parsed == null) {
            throw CommandError.NOT_INTEGER;
        }
        long count = parsed;
        if (count == Long.MIN_VALUE) {
            throw COUNT_RANGE;
        }
        boolean wv = false;
        if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withvalues"))) {
            throw CommandError.SYNTAX;
        } else if (c.argc() == 4) {
            wv = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw OUT_OF_RANGE;
            }
        }
        boolean withValues = wv;
        HashValue h = read(c, c.arg(1));
        Reply r = c.reply();
        if (h == null || count == 0) {
            r.array(0);
            return;
        }
        RandomGenerator rnd = ThreadLocalRandom.current();
        boolean pairs = withValues && r.resp3();
        int size = h.size();
        if (count < 0) {
            long n = -count;
            r.array(withValues && !pairs ? n * 2 : n);
            byte[][] fields = null, values = null;
            if (h.isListpack()) {
                fields = new byte[size][];
                values = new byte[size][];
                h.collect(fields, values);
            }
            for (long i = 0; i < n; i++) {
                byte[] f, v;
                if (fields != null) {
                    int k = rnd.nextInt(size);
                    f = fields[k];
                    v = values[k];
                } else {
                    int s = h.randomHandle(rnd);
                    f = h.fieldAt(s);
                    v = withValues ? h.valueAt(s) : null;
                }
                writePair(r, f, v, withValues, pairs);
            }
            return;
        }
        if (count >= size) {
            r.array(withValues && !pairs ? size * 2L : size);
            h.forEach((fb, fo, fl, vb, vo, vl) -> {
                if (pairs) {
                    r.array(2);
                }
                r.bulk(fb, fo, fl);
                if (withValues) {
                    r.bulk(vb, vo, vl);
                }
            });
            return;
        }
        int n = (int) count;
        r.array(withValues && !pairs ? n * 2L : n);
        if (h.isListpack() || n * 3L > size) {
            // Shuffle the first n of all pairs (Redis's CASE 3 removes instead; the distribution is the same).
            byte[][] fields = new byte[size][], values = new byte[size][];
            h.collect(fields, values);
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(size - i);
                byte[] t = fields[i];
                fields[i] = fields[j];
                fields[j] = t;
                t = values[i];
                values[i] = values[j];
                values[j] = t;
                writePair(r, fields[i], values[i], withValues, pairs);
            }
            return;
        }
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < n) {
            int s = h.randomHandle(rnd);
            if (picked.add(s)) {
                writePair(r, h.fieldAt(s), withValues ? h.valueAt(s) : null, withValues, pairs);
            }
        }
    }

    private static void writePair(Reply r, byte[] f, byte[] v, boolean withValues, boolean pairs) {
        if (pairs) {
            r.array(2);
        }
        r.bulk(f);
        if (withValues) {
            r.bulk(v);
        }
    }

    private void hscan(CommandContext c) {
        long cursor = CollectionScan.parseCursor(c.arg(2));
        HashValue h = read(c, c.arg(1));
        if (h == null) {
            CollectionScan.emptyScan(c.reply());
            return;
        }
        CollectionScan o = CollectionScan.parseOptions(c, 3);
        List<byte[]> out = new ArrayList<>();
        long next = h.scan(cursor, o.count, (fb, fo, fl, vb, vo, vl) -> {
            if (o.matches(fb, fo, fl)) {
                out.add(java.util.Arrays.copyOfRange(fb, fo, fo + fl));
                out.add(java.util.Arrays.copyOfRange(vb, vo, vo + vl));
            }
        });
        Reply r = c.reply();
        r.array(2);
        CollectionScan.cursorReply(r, next);
        r.array(out.size());
        for (byte[] b : out) {
            r.bulk(b);
        }
    }
}
