package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.ByteKey;
import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.Propagated;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.types.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** The set commands (Redis's t_set.c). */
public final class SetCommands implements CommandFamily {
    private static final CommandError MUST_BE_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    private static final CommandError NUMKEYS = new CommandError("ERR numkeys should be greater than 0");
    private static final CommandError TOO_MANY_KEYS = new CommandError("ERR Number of keys can't be greater than number of args");
    private static final CommandError LIMIT_NEGATIVE = new CommandError("ERR LIMIT can't be negative");

    private enum Op { UNION, DIFF }

    @Override
    public void register(CommandTable t) {
        String g = "set";
        t.add(command("sadd", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
                        "Adds one or more members to a set. Creates the key if it doesn't exist.").run(this::sadd));
        t.add(command("srem", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of members to be removed.", "Removes one or more members from a set. Deletes the set if the last member was removed.").run(this::srem));
        t.add(command("scard", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Returns the number of members in a set.").run(this::scard));
        t.add(command("sismember", 3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Determines whether a member belongs to a set.").run(this::sismember));
        t.add(command("smismember", -3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(N) where N is the number of elements being checked for membership", "Determines whether multiple members belong to a set.").run(this::smismember));
        t.add(command("smembers", 2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the set cardinality.", "Returns all members of a set.").run(this::smembers));
        t.add(command("spop", -2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
                        "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.").run(this::spop));
        t.add(command("srandmember", -2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
                        "Get one or multiple random members from a set").run(this::srandmember));
        t.add(command("smove", 4).flags(WRITE, FAST).keys(1, 2, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Moves a member from one set to another.").run(this::smove));
        t.add(command("sinter", -2).flags(READONLY).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
                        "Returns the intersect of multiple sets.").run(c -> sinter(c, 1, c.argc(), null)));
        t.add(command("sinterstore", -3).flags(WRITE, DENYOOM).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
                        "Stores the intersect of multiple sets in a key.").run(c -> sinter(c, 2, c.argc(), c.arg(1))));
        t.add(command("sintercard", -3).flags(READONLY).movableKeys(SetCommands::sintercardKeys).acl(g).group(g)
                .doc("7.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
                        "Returns the number of members of the intersect of multiple sets.").run(this::sintercard));
        t.add(command("sunion", -2).flags(READONLY).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the total number of elements in all given sets.", "Returns the union of multiple sets.")
                .run(c -> unionDiff(c, 1, null, Op.UNION)));
        t.add(command("sunionstore", -3).flags(WRITE, DENYOOM).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the total number of elements in all given sets.", "Stores the union of multiple sets in a key.")
                .run(c -> unionDiff(c, 2, c.arg(1), Op.UNION)));
        t.add(command("sdiff", -2).flags(READONLY).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the total number of elements in all given sets.", "Returns the difference of multiple sets.")
                .run(c -> unionDiff(c, 1, null, Op.DIFF)));
        t.add(command("sdiffstore", -3).flags(WRITE, DENYOOM).keys(1, -1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the total number of elements in all given sets.", "Stores the difference of multiple sets in a key.")
                .run(c -> unionDiff(c, 2, c.arg(1), Op.DIFF)));
        t.add(command("sscan", -3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
                        "Iterates over members of a set.").run(this::sscan));
    }

    private static int[] sintercardKeys(byte[][] argv) {
        Long n = argv.length > 1 ? Numbers.parseLongOrNull(argv[1]) : null;
        if (n == null || n < 1 || n > argv.length - 2) {
            return new int[0];
        }
        int[] out = new int[(int) (long) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = 2 + i;
        }
        return out;
    }

    private static SetValue asSet(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof SetValue s) {
            return s;
        }
        throw CommandError.WRONGTYPE;
    }

    private static SetValue read(CommandContext c, byte[] key) {
        return asSet(c.readKey(key));
    }

    private static SetValue write(CommandContext c, byte[] key) {
        return asSet(c.writeKey(key));
    }

    private static int maxIntset(CommandContext c) {
        return c.server().config().setMaxIntsetEntries;
    }

    private void sadd(CommandContext c) {
        SetValue s = write(c, c.arg(1));
        if (s == null) {
            s = new SetValue();
            c.db().set(c.arg(1), s, c.now());
        }
        int max = maxIntset(c), added = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (s.add(c.arg(i), max)) {
                added++;
            }
        }
        c.reply().integer(added);
        if (added > 0) {
            c.changed(c.arg(1), KeyspaceEvents.SET, "sadd");
        }
    }

    private void srem(CommandContext c) {
        SetValue s = write(c, c.arg(1));
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(c.removeMembers(c.arg(1), s::remove, s::size, KeyspaceEvents.SET, "srem"));
    }

    private void scard(CommandContext c) {
        SetValue s = read(c, c.arg(1));
        c.reply().integer(s == null ? 0 : s.size());
    }

    private void sismember(CommandContext c) {
        SetValue s = read(c, c.arg(1));
        c.reply().integer(s != null && s.contains(c.arg(2)) ? 1 : 0);
    }

    private void smismember(CommandContext c) {
        SetValue s = read(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            r.integer(s != null && s.contains(c.arg(i)) ? 1 : 0);
        }
    }

    private void smembers(CommandContext c) {
        SetValue s = read(c, c.arg(1));
        Reply r = c.reply();
        if (s == null) {
            r.set(0);
            return;
        }
        r.set(s.size());
        s.forEach(r::bulk);
    }

    private void spop(CommandContext c) {
        if (c.argc() > 3) {
            throw CommandError.SYNTAX;
        }
        Reply r = c.reply();
        RandomGenerator rnd = ThreadLocalRandom.current();
        if (c.argc() == 2) {
            SetValue s = write(c, c.arg(1));
            if (s == null) {
                r.nullBulk();
                return;
            }
            byte[] popped = s.pop(rnd);
            r.bulk(popped);
            c.changed(c.arg(1), KeyspaceEvents.SET, "spop");
            c.propagateAs(Propagated.SREM, c.arg(1), popped); // the random choice replays as what it took
            if (s.size() == 0) {
                c.db().delete(c.arg(1));
                c.notifyEvent(c.arg(1), KeyspaceEvents.GENERIC, "del");
            }
            return;
        }
        Long parsed = Numbers.parseLongOrNull(c.arg(2));
        if (parsed == null || parsed < 0) {
            throw MUST_BE_POSITIVE;
        }
        long count = parsed;
        SetValue s = write(c, c.arg(1));
        if (s == null || count == 0) {
            r.set(0);
            return;
        }
        c.changed(c.arg(1), KeyspaceEvents.SET, "spop");
        if (count >= s.size()) {
            r.set(s.size());
            s.forEach(r::bulk);
            c.db().delete(c.arg(1));
            c.notifyEvent(c.arg(1), KeyspaceEvents.GENERIC, "del");
            c.propagateAs(Propagated.serverDelete(c), c.arg(1));
            return;
        }
        r.set(count);
        // Propagated as SREMs of what was popped, in batches of 1024 members (spopWithCountCommand).
        boolean propagate = c.propagating();
        java.util.List<byte[]> batch = new java.util.ArrayList<>();
        for (long i = 0; i < count; i++) {
            byte[] popped = s.pop(rnd);
            r.bulk(popped);
            if (propagate) {
                batch.add(popped);
                if (batch.size() == 1024 || i == count - 1) {
                    byte[][] argv = new byte[batch.size() + 2][];
                    argv[0] = Propagated.SREM;
                    argv[1] = c.arg(1);
                    for (int k = 0; k < batch.size(); k++) {
                        argv[k + 2] = batch.get(k);
                    }
                    c.alsoPropagate(argv);
                    batch.clear();
                }
            }
        }
        c.preventPropagation();
    }

    private void srandmember(CommandContext c) {
        if (c.argc() > 3) {
            throw CommandError.SYNTAX;
        }
        Reply r = c.reply();
        RandomGenerator rnd = ThreadLocalRandom.current();
        if (c.argc() == 2) {
            SetValue s = read(c, c.arg(1));
            if (s == null) {
                r.nullBulk();
            } else {
                r.bulk(s.random(rnd));
            }
            return;
        }
        long count = c.longArg(2);
        if (count == Long.MIN_VALUE) {
            throw HashCommands.COUNT_RANGE;
        }
        SetValue s = read(c, c.arg(1));
        if (s == null || count == 0) {
            r.array(0);
            return;
        }
        int size = s.size();
        if (count < 0) {
            long n = -count;
            r.array(n);
            byte[][] all = s.isIntset() ? s.toArray() : null;
            for (long i = 0; i < n; i++) {
                r.bulk(all != null ? all[rnd.nextInt(size)] : s.random(rnd));
            }
            return;
        }
        if (count >= size) {
            r.array(size);
            s.forEach(r::bulk);
            return;
        }
        int n = (int) count;
        r.array(n);
        if (s.isIntset() || n * 3L > size) {
            byte[][] all = s.toArray();
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(size - i);
                byte[] t = all[i];
                all[i] = all[j];
                all[j] = t;
                r.bulk(all[i]);
            }
            return;
        }
        Set<ByteKey> picked = new HashSet<>();
        while (picked.size() < n) {
            byte[] m = s.random(rnd);
            if (picked.add(new ByteKey(m))) {
                r.bulk(m);
            }
        }
    }


    private void smove(CommandContext c) {
        byte[] srcKey = c.arg(1), dstKey = c.arg(2), member = c.arg(3);
        Object srcObj = c.writeKey(srcKey);
        Object dstObj = c.writeKey(dstKey);
        if (srcObj == null) {
            c.reply().integer(0);
            return;
        }
        SetValue src = asSet(srcObj);
        SetValue dst = asSet(dstObj);
        if (src == dst) {
            c.reply().integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            c.reply().integer(0);
            return;
        }
        c.changed(srcKey, KeyspaceEvents.SET, "srem");
        if (src.size() == 0) {
            c.db().delete(srcKey);
            c.notifyEvent(srcKey, KeyspaceEvents.GENERIC, "del");
        }
        if (dst == null) {
            dst = new SetValue();
            c.db().set(dstKey, dst, c.now());
        }
        if (dst.add(member, maxIntset(c))) {
            c.changed(dstKey, KeyspaceEvents.SET, "sadd");
        }
        c.reply().integer(1);
    }

    /** Looks up every key (type-checking all of them, as Redis); null entries for missing keys. */
    private static SetValue[] lookupAll(CommandContext c, int from, int to, boolean forWrite) {
        SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) {
            sets[i - from] = asSet(forWrite ? c.writeKey(c.arg(i)) : c.readKey(c.arg(i)));
        }
        return sets;
    }

    /** SINTER / SINTERSTORE: keys are argv[from..to). */
    private void sinter(CommandContext c, int from, int to, byte[] dstKey) {
        SetValue[] sets = lookupAll(c, from, to, dstKey != null);
        Reply r = c.reply();
        boolean empty = false;
        for (SetValue s : sets) {
            if (s == null) {
                empty = true;
            }
        }
        List<byte[]> result = new ArrayList<>();
        if (!empty) {
            SetValue[] sorted = sets.clone();
            Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
            SetValue first = sorted[0];
            first.forEach(m -> {
                for (int i = 1; i < sorted.length; i++) {
                    if (sorted[i] != first && !sorted[i].contains(m)) {
                        return;
                    }
                }
                result.add(m);
            });
        }
        if (dstKey == null) {
            r.set(result.size());
            for (byte[] m : result) {
                r.bulk(m);
            }
            return;
        }
        store(c, dstKey, result);
    }

    /** The destination of a store-form command became empty: deleted, with a "del" event if it existed. */
    private static void storeEmpty(CommandContext c, byte[] dstKey) {
        if (c.db().delete(dstKey)) {
            c.changed(dstKey, KeyspaceEvents.GENERIC, "del");
        }
        c.reply().integer(0);
    }

    private void store(CommandContext c, byte[] dstKey, List<byte[]> members) {
        if (members.isEmpty()) {
            storeEmpty(c, dstKey);
            return;
        }
        SetValue dst = new SetValue();
        int max = maxIntset(c);
        for (byte[] m : members) {
            dst.add(m, max);
        }
        c.db().set(dstKey, dst, c.now());
        c.reply().integer(dst.size());
        c.changed(dstKey, KeyspaceEvents.SET, "sinterstore");
    }

    private void sintercard(CommandContext c) {
        Long n = Numbers.parseLongOrNull(c.arg(1));
        if (n == null || n < 1) {
            throw NUMKEYS;
        }
        long numkeys = n;
        if (numkeys > c.argc() - 2) {
            throw TOO_MANY_KEYS;
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < c.argc(); j++) {
            if (c.argIs(j, "limit") && j + 1 < c.argc()) {
                Long l = Numbers.parseLongOrNull(c.arg(++j));
                if (l == null || l < 0) {
                    throw LIMIT_NEGATIVE;
                }
                limit = l;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        SetValue[] sets = lookupAll(c, 2, 2 + (int) numkeys, false);
        for (SetValue s : sets) {
            if (s == null) {
                c.reply().integer(0);
                return;
            }
        }
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        SetValue first = sorted[0];
        long[] count = {0};
        long max = limit;
        // Stop early once the limit is reached by throwing out of the iteration.
        try {
            first.forEach(m -> {
                for (int i = 1; i < sorted.length; i++) {
                    if (sorted[i] != first && !sorted[i].contains(m)) {
                        return;
                    }
                }
                count[0]++;
                if (max > 0 && count[0] >= max) {
                    throw LimitReached.INSTANCE;
                }
            });
        } catch (LimitReached e) {
            // count holds the limit
        }
        c.reply().integer(count[0]);
    }

    private static final class LimitReached extends RuntimeException {
        static final LimitReached INSTANCE = new LimitReached();

        private LimitReached() {
            super(null, null, false, false);
        }
    }

    private void unionDiff(CommandContext c, int from, byte[] dstKey, Op op) {
        SetValue[] sets = lookupAll(c, from, c.argc(), dstKey != null);
        int max = maxIntset(c);
        SetValue result = new SetValue();
        if (op == Op.UNION) {
            for (SetValue s : sets) {
                if (s != null) {
                    s.forEach(m -> result.add(m, max));
                }
            }
        } else if (sets[0] != null) {
            sets[0].forEach(m -> {
                for (int i = 1; i < sets.length; i++) {
                    if (sets[i] != null && (sets[i] == sets[0] || sets[i].contains(m))) {
                        return;
                    }
                }
                result.add(m, max);
            });
        }
        Reply r = c.reply();
        if (dstKey == null) {
            r.set(result.size());
            result.forEach(r::bulk);
            return;
        }
        if (result.size() == 0) {
            storeEmpty(c, dstKey);
            return;
        }
        c.db().set(dstKey, result, c.now());
        r.integer(result.size());
        c.changed(dstKey, KeyspaceEvents.SET, op == Op.UNION ? "sunionstore" : "sdiffstore");
    }

    private void sscan(CommandContext c) {
        long cursor = CollectionScan.parseCursor(c.arg(2));
        SetValue s = read(c, c.arg(1));
        if (s == null) {
            CollectionScan.emptyScan(c.reply());
            return;
        }
        CollectionScan o = CollectionScan.parseOptions(c, 3);
        List<byte[]> out = new ArrayList<>();
        long next = s.scan(cursor, o.count, m -> {
            if (o.matches(m, 0, m.length)) {
                out.add(m);
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
