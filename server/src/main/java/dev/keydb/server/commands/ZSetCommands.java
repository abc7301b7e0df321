package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.BLOCKING;
import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.Propagated;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Glob;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.ValueType;
import dev.keydb.storage.types.MemberSource;
import dev.keydb.storage.types.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sorted set commands (Redis 7.0's t_zset.c). The blocking ones (BZPOPMIN, BZPOPMAX,
 * BZMPOP) wait for the blocking infrastructure and are not registered here yet.
 */
public final class ZSetCommands implements CommandFamily {
    private static final CommandError NOT_FLOAT_RANGE = new CommandError("ERR min or max is not a float");
    private static final CommandError NOT_LEX_RANGE = new CommandError("ERR min or max not valid string range item");
    private static final CommandError NAN_SCORE = new CommandError("ERR resulting score is not a number (NaN)");
    private static final CommandError POSITIVE = new CommandError("ERR value is out of range, must be positive");

    private enum RangeType { AUTO, RANK, SCORE, LEX }

    private enum Aggregate { SUM, MIN, MAX }

    private enum SetOp { UNION, INTER, DIFF }

    @Override
    public void register(CommandTable t) {
        String g = "sortedset";
        t.add(command("zadd", -4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
                        "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.")
                .run(c -> zadd(c, 2, false)));
        t.add(command("zincrby", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", "O(log(N)) where N is the number of elements in the sorted set.",
                        "Increments the score of a member in a sorted set.").run(c -> zadd(c, 2, true)));
        t.add(command("zrem", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
                        "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.").run(this::zrem));
        t.add(command("zcard", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", "O(1)", "Returns the number of members in a sorted set.").run(this::zcard));
        t.add(command("zcount", 4).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(log(N)) with N being the number of elements in the sorted set.",
                        "Returns the count of members in a sorted set that have scores within a range.").run(this::zcount));
        t.add(command("zlexcount", 4).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.9", "O(log(N)) with N being the number of elements in the sorted set.",
                        "Returns the number of members in a sorted set within a lexicographical range.").run(this::zlexcount));
        t.add(command("zscore", 3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", "O(1)", "Returns the score of a member in a sorted set.").run(this::zscore));
        t.add(command("zmscore", -3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(N) where N is the number of members being requested.",
                        "Returns the score of one or more members in a sorted set.").run(this::zmscore));
        t.add(command("zrank", -3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(log(N))", "Returns the index of a member in a sorted set ordered by ascending scores.")
                .run(c -> zrank(c, false)));
        t.add(command("zrevrank", -3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", "O(log(N))", "Returns the index of a member in a sorted set ordered by descending scores.")
                .run(c -> zrank(c, true)));
        String rangeCx = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";
        t.add(command("zrange", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", rangeCx, "Returns members in a sorted set within a range of indexes.")
                .run(c -> zrange(c, 1, false, RangeType.AUTO, false, false)));
        t.add(command("zrangestore", -5).flags(WRITE, DENYOOM).keys(1, 2, 1).acl(g).group(g)
                .doc("6.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
                        "Stores a range of members from sorted set in a key.")
                .run(c -> zrange(c, 2, true, RangeType.AUTO, false, false)));
        t.add(command("zrevrange", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", rangeCx, "Returns members in a sorted set within a range of indexes in reverse order.")
                .run(c -> zrange(c, 1, false, RangeType.RANK, true, true)));
        t.add(command("zrangebyscore", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.5", rangeCx, "Returns members in a sorted set within a range of scores.")
                .run(c -> zrange(c, 1, false, RangeType.SCORE, false, true)));
        t.add(command("zrevrangebyscore", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", rangeCx, "Returns members in a sorted set within a range of scores in reverse order.")
                .run(c -> zrange(c, 1, false, RangeType.SCORE, true, true)));
        t.add(command("zrangebylex", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.9", rangeCx, "Returns members in a sorted set within a lexicographical range.")
                .run(c -> zrange(c, 1, false, RangeType.LEX, false, true)));
        t.add(command("zrevrangebylex", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.9", rangeCx, "Returns members in a sorted set within a lexicographical range in reverse order.")
                .run(c -> zrange(c, 1, false, RangeType.LEX, true, true)));
        String remCx = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.";
        t.add(command("zremrangebyrank", 4).flags(WRITE).keys(1, 1, 1).acl(g).group(g)
                .doc("2.0.0", remCx, "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.")
                .run(c -> zremrange(c, RangeType.RANK)));
        t.add(command("zremrangebyscore", 4).flags(WRITE).keys(1, 1, 1).acl(g).group(g)
                .doc("1.2.0", remCx, "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.")
                .run(c -> zremrange(c, RangeType.SCORE)));
        t.add(command("zremrangebylex", 4).flags(WRITE).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.9", remCx, "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.")
                .run(c -> zremrange(c, RangeType.LEX)));
        String popCx = "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.";
        t.add(command("zpopmin", -2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", popCx, "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.")
                .run(c -> zpop(c, false)));
        t.add(command("zpopmax", -2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", popCx, "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.")
                .run(c -> zpop(c, true)));
        t.add(command("zmpop", -4).flags(WRITE).movableKeys(ZSetCommands::numkeysAt1).acl(g).group(g)
                .doc("7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
                        "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.")
                .run(this::zmpop));
        t.add(command("bzpopmin", -3).flags(WRITE, NOSCRIPT, FAST, BLOCKING).keys(1, -2, 1).acl(g).group(g)
                .doc("5.0.0", "O(log(N)) with N being the number of elements in the sorted set.",
                        "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.")
                .run(c -> bzpop(c, false)));
        t.add(command("bzpopmax", -3).flags(WRITE, NOSCRIPT, FAST, BLOCKING).keys(1, -2, 1).acl(g).group(g)
                .doc("5.0.0", "O(log(N)) with N being the number of elements in the sorted set.",
                        "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise. Deletes the sorted set if the last element was popped.")
                .run(c -> bzpop(c, true)));
        t.add(command("bzmpop", -5).flags(WRITE, BLOCKING).movableKeys(ZSetCommands::numkeysAt2).acl(g).group(g)
                .doc("7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
                        "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.")
                .run(this::bzmpop));
        t.add(command("zrandmember", -2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(N) where N is the number of members returned", "Returns one or more random members from a sorted set.")
                .run(this::zrandmember));
        t.add(command("zunion", -3).flags(READONLY).movableKeys(ZSetCommands::numkeysAt1).acl(g).group(g)
                .doc("6.2.0", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
                        "Returns the union of multiple sorted sets.").run(c -> setOp(c, SetOp.UNION, false)));
        t.add(command("zinter", -3).flags(READONLY).movableKeys(ZSetCommands::numkeysAt1).acl(g).group(g)
                .doc("6.2.0", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
                        "Returns the intersect of multiple sorted sets.").run(c -> setOp(c, SetOp.INTER, false)));
        t.add(command("zdiff", -3).flags(READONLY).movableKeys(ZSetCommands::numkeysAt1).acl(g).group(g)
                .doc("6.2.0", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
                        "Returns the difference between multiple sorted sets.").run(c -> setOp(c, SetOp.DIFF, false)));
        t.add(command("zunionstore", -4).flags(WRITE, DENYOOM).keys(1, 1, 1).movableKeys(ZSetCommands::storeKeys).acl(g).group(g)
                .doc("2.0.0", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
                        "Stores the union of multiple sorted sets in a key.").run(c -> setOp(c, SetOp.UNION, true)));
        t.add(command("zinterstore", -4).flags(WRITE, DENYOOM).keys(1, 1, 1).movableKeys(ZSetCommands::storeKeys).acl(g).group(g)
                .doc("2.0.0", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
                        "Stores the intersect of multiple sorted sets in a key.").run(c -> setOp(c, SetOp.INTER, true)));
        t.add(command("zdiffstore", -4).flags(WRITE, DENYOOM).keys(1, 1, 1).movableKeys(ZSetCommands::storeKeys).acl(g).group(g)
                .doc("6.2.0", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
                        "Stores the difference of multiple sorted sets in a key.").run(c -> setOp(c, SetOp.DIFF, true)));
        t.add(command("zintercard", -3).flags(READONLY).movableKeys(ZSetCommands::numkeysAt1).acl(g).group(g)
                .doc("7.0.0", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
                        "Returns the number of members of the intersect of multiple sorted sets.").run(this::zintercard));
        t.add(command("zscan", -3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
                        "Iterates over members and scores of a sorted set.").run(this::zscan));
    }

    // ---------------------------------------------------------------- key positions

    private static int[] numkeysAt(byte[][] argv, int idx) {
        if (argv.length <= idx) {
            return new int[0];
        }
        Long n = Numbers.parseLongOrNull(argv[idx]);
        if (n == null || n < 1 || n > argv.length - idx - 1) {
            return new int[0];
        }
        int[] out = new int[(int) (long) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx + 1 + i;
        }
        return out;
    }

    private static int[] numkeysAt1(byte[][] argv) {
        return numkeysAt(argv, 1);
    }

    private static int[] storeKeys(byte[][] argv) {
        int[] src = numkeysAt(argv, 2);
        int[] out = new int[src.length + 1];
        out[0] = 1;
        System.arraycopy(src, 0, out, 1, src.length);
        return out;
    }

    // ---------------------------------------------------------------- lookups

    private static ZSetValue readZ(CommandContext c, byte[] key) {
        Object v = c.readKey(key);
        if (v == null) {
            return null;
        }
        if (v instanceof ZSetValue z) {
            return z;
        }
        throw CommandError.WRONGTYPE;
    }

    private static ZSetValue writeZ(CommandContext c, byte[] key) {
        Object v = c.writeKey(key);
        if (v == null) {
            return null;
        }
        if (v instanceof ZSetValue z) {
            return z;
        }
        throw CommandError.WRONGTYPE;
    }

    private static void deleteIfEmpty(CommandContext c, byte[] key, ZSetValue z) {
        if (z.size() == 0) {
            c.db().delete(key);
        }
    }

    /** Signals {@code event} on {@code key}, then deletes it with a "del" event when its zset became empty. */
    private static void changedMaybeDeleted(CommandContext c, byte[] key, ZSetValue z, String event) {
        c.changed(key, KeyspaceEvents.ZSET, event);
        if (z.size() == 0) {
            c.db().delete(key);
            c.notifyEvent(key, KeyspaceEvents.GENERIC, "del");
        }
    }

    /** The result of a store-form command: stored with {@code event}, or an empty result deleting the destination. */
    private static void storeResult(CommandContext c, byte[] dst, ZSetValue result, String event) {
        if (result.size() > 0) {
            c.db().set(dst, result, c.now());
            c.reply().integer(result.size());
            c.changed(dst, KeyspaceEvents.ZSET, event);
        } else {
            c.reply().integer(0);
            if (c.db().delete(dst)) {
                c.changed(dst, KeyspaceEvents.GENERIC, "del");
            }
        }
    }

    // ---------------------------------------------------------------- ZADD / ZINCRBY

    private void zadd(CommandContext c, int start, boolean zincrby) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = zincrby;
        int i = start;
        if (!zincrby) {
            for (; i < c.argc(); i++) {
                if (c.argIs(i, "nx")) {
                    nx = true;
                } else if (c.argIs(i, "xx")) {
                    xx = true;
                } else if (c.argIs(i, "gt")) {
                    gt = true;
                } else if (c.argIs(i, "lt")) {
                    lt = true;
                } else if (c.argIs(i, "ch")) {
                    ch = true;
                } else if (c.argIs(i, "incr")) {
                    incr = true;
                } else {
                    break;
                }
            }
        }
        int elements = c.argc() - i;
        if (elements % 2 != 0 || elements == 0) {
            throw CommandError.SYNTAX;
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = c.doubleArg(i + j * 2);
        }
        byte[] key = c.arg(1);
        ZSetValue z = writeZ(c, key);
        Reply r = c.reply();
        if (z == null) {
            if (xx) {
                if (incr) {
                    r.nullBulk();
                } else {
                    r.integer(0);
                }
                return;
            }
            z = ZSetValue.forFirstMember(c.arg(i + 1).length, c.server().config().zsetLimits);
            c.db().set(key, z, c.now());
        }
        long added = 0, updated = 0, processed = 0;
        double lastScore = 0;
        for (int j = 0; j < elements; j++) {
            byte[] member = c.arg(i + j * 2 + 1);
            double score = scores[j];
            double cur = z.score(member);
            if (!Double.isNaN(cur)) {
                if (nx) {
                    continue;
                }
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) {
                        deleteIfEmpty(c, key, z);
                        throw NAN_SCORE;
                    }
                }
                if ((lt && score >= cur) || (gt && score <= cur)) {
                    continue;
                }
                lastScore = score;
                processed++;
                if (score != cur) {
                    z.put(member, score);
                    updated++;
                }
            } else if (!xx) {
                z.put(member, score);
                lastScore = score;
                added++;
                processed++;
            }
        }
        if (incr) {
            if (processed > 0) {
                r.doubleValue(lastScore);
            } else {
                r.nullBulk();
            }
        } else {
            r.integer(ch ? added + updated : added);
        }
        if (added > 0 || updated > 0) {
            c.changed(key, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd");
        }
    }

    // ---------------------------------------------------------------- simple reads and writes

    private void zrem(CommandContext c) {
        byte[] key = c.arg(1);
        ZSetValue z = writeZ(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(c.removeMembers(key, z::remove, z::size, KeyspaceEvents.ZSET, "zrem"));
    }

    private void zcard(CommandContext c) {
        ZSetValue z = readZ(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.size());
    }

    private void zscore(CommandContext c) {
        ZSetValue z = readZ(c, c.arg(1));
        double s = z == null ? Double.NaN : z.score(c.arg(2));
        if (Double.isNaN(s)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(s);
        }
    }

    private void zmscore(CommandContext c) {
        ZSetValue z = readZ(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            double s = z == null ? Double.NaN : z.score(c.arg(i));
            if (Double.isNaN(s)) {
                r.nullBulk();
            } else {
                r.doubleValue(s);
            }
        }
    }

    /** ZRANK/ZREVRANK, with Redis 7.2's WITHSCORE option. */
    private void zrank(CommandContext c, boolean reverse) {
        if (c.argc() > 4) {
            throw c.wrongArity();
        }
        boolean withScore = false;
        if (c.argc() == 4) {
            if (!c.argIs(3, "withscore")) {
                throw CommandError.SYNTAX;
            }
            withScore = true;
        }
        ZSetValue z = readZ(c, c.arg(1));
        Reply r = c.reply();
        long rank = z == null ? -1 : z.rank(c.arg(2));
        if (rank < 0) {
            if (withScore) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        if (reverse) {
            rank = z.size() - 1 - rank;
        }
        if (withScore) {
            r.array(2);
            r.integer(rank);
            r.doubleValue(z.score(c.arg(2)));
        } else {
            r.integer(rank);
        }
    }

    // ---------------------------------------------------------------- ranges

    /** A parsed score interval. */
    private record ScoreRange(double min, double max, boolean minEx, boolean maxEx) {
        long lo(ZSetValue z) {
            return z.countScoreLess(min, minEx);
        }

        long hi(ZSetValue z) {
            return z.countScoreLess(max, !maxEx);
        }
    }

    /** A parsed lex interval; a null value with {@code inf} -1/+1 stands for '-' / '+'. */
    private record LexBound(byte[] value, boolean exclusive, int inf) {}

    private record LexRange(LexBound min, LexBound max) {
        long lo(ZSetValue z) {
            return bound(z, min, true);
        }

        long hi(ZSetValue z) {
            return bound(z, max, false);
        }

        private static long bound(ZSetValue z, LexBound b, boolean isMin) {
            if (b.inf < 0) {
                return 0;
            }
            if (b.inf > 0) {
                return z.size();
            }
            return z.countLexLess(b.value, isMin == b.exclusive);
        }
    }

    private static Double parseScoreBound(byte[] a, boolean[] exclusive) {
        if (a.length > 0 && a[0] == '(') {
            exclusive[0] = true;
            if (a.length == 1) {
                return 0.0; // strtod of an empty string: Redis accepts "(" as 0
            }
            return Numbers.parseDoubleOrNull(Arrays.copyOfRange(a, 1, a.length));
        }
        exclusive[0] = false;
        return Numbers.parseDoubleOrNull(a);
    }

    private static ScoreRange parseScoreRange(byte[] min, byte[] max) {
        boolean[] ex = new boolean[1];
        Double lo = parseScoreBound(min, ex);
        boolean minEx = ex[0];
        Double hi = parseScoreBound(max, ex);
        if (lo == null || hi == null) {
            throw NOT_FLOAT_RANGE;
        }
        return new ScoreRange(lo, hi, minEx, ex[0]);
    }

    private static LexBound parseLexBound(byte[] a) {
        if (a.length == 0) {
            return null;
        }
        switch (a[0]) {
            case '+':
                return a.length == 1 ? new LexBound(null, false, 1) : null;
            case '-':
                return a.length == 1 ? new LexBound(null, false, -1) : null;
            case '(':
                return new LexBound(Arrays.copyOfRange(a, 1, a.length), true, 0);
            case '[':
                return new LexBound(Arrays.copyOfRange(a, 1, a.length), false, 0);
            default:
                return null;
        }
    }

    private static LexRange parseLexRange(byte[] min, byte[] max) {
        LexBound lo = parseLexBound(min);
        LexBound hi = parseLexBound(max);
        if (lo == null || hi == null) {
            throw NOT_LEX_RANGE;
        }
        return new LexRange(lo, hi);
    }

    /**
     * Z[REV]RANGE[BYSCORE|BYLEX] and ZRANGESTORE (zrangeGenericCommand). {@code srcIdx} is
     * the position of the source key; {@code fixedDirection} when the command name sets REV.
     */
    private void zrange(CommandContext c, int srcIdx, boolean store, RangeType rangeType, boolean reverse, boolean fixedDirection) {
        int minIdx = srcIdx + 1, maxIdx = srcIdx + 2;
        boolean withScores = false;
        long offset = 0, limit = -1;
        boolean directionGiven = fixedDirection;
        for (int j = srcIdx + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = c.longArg(j + 1);
                limit = c.longArg(j + 2);
                j += 2;
            } else if (!directionGiven && c.argIs(j, "rev")) {
                reverse = true;
                directionGiven = true;
            } else if (rangeType == RangeType.AUTO && c.argIs(j, "bylex")) {
                rangeType = RangeType.LEX;
            } else if (rangeType == RangeType.AUTO && c.argIs(j, "byscore")) {
                rangeType = RangeType.SCORE;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (rangeType == RangeType.AUTO) {
            rangeType = RangeType.RANK;
        }
        if (limit != -1 && rangeType == RangeType.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && rangeType == RangeType.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        if (reverse && rangeType != RangeType.RANK) {
            int t = minIdx;
            minIdx = maxIdx;
            maxIdx = t;
        }
        long start = 0, end = 0;
        ScoreRange sr = null;
        LexRange lr = null;
        switch (rangeType) {
            case SCORE -> sr = parseScoreRange(c.arg(minIdx), c.arg(maxIdx));
            case LEX -> lr = parseLexRange(c.arg(minIdx), c.arg(maxIdx));
            default -> {
                start = c.longArg(minIdx);
                end = c.longArg(maxIdx);
            }
        }
        ZSetValue z = readZ(c, c.arg(srcIdx));
        // Ascending rank interval [from, to] to emit, walked backwards when reverse.
        long from = 0, to = -1;
        if (z != null) {
            long n = z.size();
            if (rangeType == RangeType.RANK) {
                if (start < 0) {
                    start += n;
                }
                if (end < 0) {
                    end += n;
                }
                if (start < 0) {
                    start = 0;
                }
                if (!(start > end || start >= n)) {
                    if (end >= n) {
                        end = n - 1;
                    }
                    if (reverse) {
                        from = n - 1 - end;
                        to = n - 1 - start;
                    } else {
                        from = start;
                        to = end;
                    }
                }
            } else {
                long lo = sr != null ? sr.lo(z) : lr.lo(z);
                long hi = sr != null ? sr.hi(z) : lr.hi(z); // exclusive
                if (hi > lo && offset >= 0 && offset < hi - lo) {
                    long count = limit < 0 ? Long.MAX_VALUE : limit;
                    if (reverse) {
                        to = hi - 1 - offset;
                        from = count >= to - lo + 1 ? lo : to - count + 1;
                    } else {
                        from = lo + offset;
                        to = count >= hi - from ? hi - 1 : from + count - 1;
                    }
                }
            }
        }
        if (store) {
            byte[] dst = c.arg(1);
            ZSetValue out = ZSetValue.forSize(Math.max(0, to - from + 1), 0, c.server().config().zsetLimits);
            if (z != null) {
                z.range(from, to, reverse, out::put);
            }
            storeResult(c, dst, out, "zrangestore");
            return;
        }
        emitRange(c.reply(), z, from, to, reverse, withScores);
    }

    private static void emitRange(Reply r, ZSetValue z, long from, long to, boolean reverse, boolean withScores) {
        long n = Math.max(0, to - from + 1);
        boolean pairs = withScores && r.resp3();
        r.array(withScores && !pairs ? n * 2 : n);
        if (n == 0) {
            return;
        }
        z.range(from, to, reverse, (m, s) -> {
            if (pairs) {
                r.array(2);
            }
            r.bulk(m);
            if (withScores) {
                r.doubleValue(s);
            }
        });
    }

    private void zcount(CommandContext c) {
        ScoreRange sr = parseScoreRange(c.arg(2), c.arg(3));
        ZSetValue z = readZ(c, c.arg(1));
        c.reply().integer(z == null ? 0 : Math.max(0, sr.hi(z) - sr.lo(z)));
    }

    private void zlexcount(CommandContext c) {
        LexRange lr = parseLexRange(c.arg(2), c.arg(3));
        ZSetValue z = readZ(c, c.arg(1));
        c.reply().integer(z == null ? 0 : Math.max(0, lr.hi(z) - lr.lo(z)));
    }

    private void zremrange(CommandContext c, RangeType type) {
        long start = 0, end = 0;
        ScoreRange sr = null;
        LexRange lr = null;
        switch (type) {
            case SCORE -> sr = parseScoreRange(c.arg(2), c.arg(3));
            case LEX -> lr = parseLexRange(c.arg(2), c.arg(3));
            default -> {
                start = c.longArg(2);
                end = c.longArg(3);
            }
        }
        byte[] key = c.arg(1);
        ZSetValue z = writeZ(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long n = z.size();
        long from, to;
        if (type == RangeType.RANK) {
            if (start < 0) {
                start += n;
            }
            if (end < 0) {
                end += n;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= n) {
                c.reply().integer(0);
                return;
            }
            from = start;
            to = Math.min(end, n - 1);
        } else {
            from = sr != null ? sr.lo(z) : lr.lo(z);
            to = (sr != null ? sr.hi(z) : lr.hi(z)) - 1;
        }
        long removed = z.removeRange(from, to);
        if (removed > 0) {
            changedMaybeDeleted(c, key, z, type == RangeType.RANK ? "zremrangebyrank"
                    : type == RangeType.SCORE ? "zremrangebyscore" : "zremrangebylex");
        }
        c.reply().integer(removed);
    }

    // ---------------------------------------------------------------- pops

    private void zpop(CommandContext c, boolean max) {
        if (c.argc() > 3) {
            throw CommandError.SYNTAX;
        }
        long count = -1;
        if (c.argc() == 3) {
            Long v = Numbers.parseLongOrNull(c.arg(2));
            if (v == null || v < 0) {
                throw POSITIVE;
            }
            count = v;
        }
        popGeneric(c, new int[] {1}, max, count, c.reply().resp3() && count != -1 ? 2 : 0, false);
    }

    private void zmpop(CommandContext c) {
        mpop(c, 1, false);
    }

    /**
     * ZMPOP/BZMPOP from "numkeys key... MIN|MAX [COUNT n]" starting at {@code first}. When
     * {@code blockIfEmpty} and every set is empty, blocks the client instead of answering null.
     */
    private void mpop(CommandContext c, int first, boolean blockIfEmpty) {
        long numkeys = numkeysArg(c, first);
        long whereIdx = first + numkeys + 1;
        if (whereIdx >= c.argc()) {
            throw CommandError.SYNTAX;
        }
        int w = (int) whereIdx;
        boolean max;
        if (c.argIs(w, "min")) {
            max = false;
        } else if (c.argIs(w, "max")) {
            max = true;
        } else {
            throw CommandError.SYNTAX;
        }
        long count = -1;
        for (int j = w + 1; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (count == -1 && c.argIs(j, "count") && more > 0) {
                j++;
                Long v = Numbers.parseLongOrNull(c.arg(j));
                if (v == null || v < 1) {
                    throw new CommandError("ERR count should be greater than 0");
                }
                count = v;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (count == -1) {
            count = 1;
        }
        int[] keys = new int[(int) numkeys];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = first + 1 + i;
        }
        if (blockIfEmpty && firstNonEmpty(c, keys) == null) {
            c.block(java.util.Arrays.copyOfRange(c.argv(), first + 1, first + 1 + keys.length),
                    Timeouts.parseSeconds(c, 1), Reply::nullArray);
            return;
        }
        popGeneric(c, keys, max, count, 1, true);
    }

    /** The first of the keys holding a sorted set, or null (WRONGTYPE for other types). */
    private static byte[] firstNonEmpty(CommandContext c, int[] keyIdx) {
        for (int idx : keyIdx) {
            // On a blocked client's retry a key of another type counts as empty (it keeps
            // waiting, as Redis serves only sorted sets to it); on the first run it is WRONGTYPE.
            boolean isZSet = c.retrying() ? c.writeKey(c.arg(idx)) instanceof ZSetValue : writeZ(c, c.arg(idx)) != null;
            if (isZSet) {
                return c.arg(idx);
            }
        }
        return null;
    }

    // ---- blocking pops: try as the non-blocking form; with nothing to pop, block on the keys.

    /** BZPOPMIN/BZPOPMAX key... timeout: replies [key, member, score] or blocks. */
    private void bzpop(CommandContext c, boolean max) {
        long timeout = Timeouts.parseSeconds(c, c.argc() - 1);
        int[] keys = new int[c.argc() - 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 1 + i;
        }
        byte[] key = firstNonEmpty(c, keys);
        if (key == null) {
            c.block(java.util.Arrays.copyOfRange(c.argv(), 1, c.argc() - 1), timeout, Reply::nullArray);
            return;
        }
        ZSetValue z = writeZ(c, key);
        long n = z.size();
        long idx = max ? n - 1 : 0;
        Reply r = c.reply();
        r.array(3);
        r.bulk(key);
        z.range(idx, idx, max, (m, s) -> {
            r.bulk(m);
            r.doubleValue(s);
        });
        z.removeRange(idx, idx);
        changedMaybeDeleted(c, key, z, max ? "zpopmax" : "zpopmin");
        c.propagateAs(max ? Propagated.ZPOPMAX : Propagated.ZPOPMIN, key);
    }

    private void bzmpop(CommandContext c) {
        Timeouts.parseSeconds(c, 1);
        mpop(c, 2, true);
    }

    static int[] numkeysAt2(byte[][] argv) {
        if (argv.length < 2) {
            return new int[0];
        }
        int[] keys = numkeysAt1(java.util.Arrays.copyOfRange(argv, 1, argv.length));
        for (int i = 0; i < keys.length; i++) {
            keys[i]++;
        }
        return keys;
    }

    private static long numkeysArg(CommandContext c, int idx) {
        Long v = Numbers.parseLongOrNull(c.arg(idx));
        if (v == null || v < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        return v;
    }

    /**
     * genericZpopCommand: {@code nested} 0 = flat member/score list, 1 = ZMPOP's [key, pairs],
     * 2 = RESP3 ZPOPMIN/MAX with COUNT (list of pairs).
     */
    private static void popGeneric(CommandContext c, int[] keyIdx, boolean max, long count, int nested, boolean nilWhenEmpty) {
        ZSetValue z = null;
        byte[] key = null;
        for (int idx : keyIdx) {
            key = c.arg(idx);
            z = writeZ(c, key);
            if (z != null) {
                break;
            }
        }
        Reply r = c.reply();
        if (z == null) {
            if (nilWhenEmpty) {
                r.nullArray();
            } else {
                r.array(0);
            }
            return;
        }
        if (count == 0) {
            r.array(0);
            return;
        }
        if (count == -1) {
            count = 1;
        }
        long n = z.size();
        long len = Math.min(count, n);
        if (nested == 0) {
            r.array(len * 2);
        } else if (nested == 1) {
            r.array(2);
            r.bulk(key);
            r.array(len);
        } else {
            r.array(len);
        }
        if (nested == 1) {
            // ZMPOP / BZMPOP replicate as ZPOPMIN|ZPOPMAX key count (genericZpopCommand).
            c.propagateAs(max ? Propagated.ZPOPMAX : Propagated.ZPOPMIN, key, CommandContext.bytes(len));
        }
        long from = max ? n - len : 0, to = max ? n - 1 : len - 1;
        z.range(from, to, max, (m, s) -> {
            if (nested != 0) {
                r.array(2);
            }
            r.bulk(m);
            r.doubleValue(s);
        });
        z.removeRange(from, to);
        changedMaybeDeleted(c, key, z, max ? "zpopmax" : "zpopmin");
    }

    // ---------------------------------------------------------------- ZRANDMEMBER

    private void zrandmember(CommandContext c) {
        if (c.argc() >= 3) {
            Long l = Numbers.parseLongOrNull(c.arg(2));
            if (l == null) {
                throw CommandError.NOT_INTEGER;
            }
            if (l == Long.MIN_VALUE) {
                throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            }
            boolean withScores = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withscores"))) {
                throw CommandError.SYNTAX;
            } else if (c.argc() == 4) {
                withScores = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw new CommandError("ERR value is out of range");
                }
            }
            randomWithCount(c, l, withScores);
            return;
        }
        ZSetValue z = readZ(c, c.arg(1));
        if (z == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(z.memberAt(z.randomRank(ThreadLocalRandom.current())));
    }

    private void randomWithCount(CommandContext c, long count, boolean withScores) {
        ZSetValue z = readZ(c, c.arg(1));
        Reply r = c.reply();
        if (z == null || count == 0) {
            r.array(0);
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        boolean pairs = withScores && r.resp3();
        long size = z.size();
        if (count < 0) {
            count = -count;
            r.array(withScores && !pairs ? count * 2 : count);
            for (long i = 0; i < count; i++) {
                long rank = z.randomRank(rnd);
                if (pairs) {
                    r.array(2);
                }
                r.bulk(z.memberAt(rank));
                if (withScores) {
                    r.doubleValue(z.scoreAt(rank));
                }
            }
            return;
        }
        if (count >= size) {
            emitRange(r, z, 0, size - 1, false, withScores);
            return;
        }
        // Distinct ranks: a partial shuffle when most of the set is wanted, a rejection set otherwise.
        long[] ranks = new long[(int) count];
        if (count * 3 > size) {
            int[] all = new int[(int) size];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + rnd.nextInt(all.length - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
                ranks[i] = all[i];
            }
        } else {
            HashSet<Long> seen = new HashSet<>();
            int k = 0;
            while (k < count) {
                long rank = rnd.nextLong(size);
                if (seen.add(rank)) {
                    ranks[k++] = rank;
                }
            }
        }
        r.array(withScores && !pairs ? count * 2 : count);
        for (long rank : ranks) {
            if (pairs) {
                r.array(2);
            }
            r.bulk(z.memberAt(rank));
            if (withScores) {
                r.doubleValue(z.scoreAt(rank));
            }
        }
    }

    // ---------------------------------------------------------------- ZUNION / ZINTER / ZDIFF

    /** One input of a set operation: a sorted set, a plain set (scores 1) or a missing key. */
    private static final class Source {
        final ZSetValue zset;
        final MemberSource set;
        double weight = 1;

        Source(Object v) {
            this.zset = v instanceof ZSetValue z ? z : null;
            this.set = v instanceof MemberSource m ? m : null;
        }

        long size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        /** Score of a member, NaN when absent. */
        double score(byte[] m) {
            if (zset != null) {
                return zset.score(m);
            }
            return set != null && set.containsMember(m) ? 1.0 : Double.NaN;
        }

        void forEach(ZSetValue.Visitor v) {
            if (zset != null) {
                zset.forEach(v);
            } else if (set != null) {
                set.forEachMember(m -> v.visit(m, 1.0));
            }
        }

        boolean same(Source o) {
            return (zset != null && zset == o.zset) || (set != null && set == o.set);
        }
    }

    /** An input key of a set operation; the *STORE forms look keys up for writing, as Redis. */
    private static Object readInput(CommandContext c, byte[] key, boolean store) {
        Object v = store ? c.writeKey(key) : c.readKey(key);
        if (v == null || v instanceof ZSetValue) {
            return v;
        }
        if (ValueType.of(v) == ValueType.SET && v instanceof MemberSource) {
            return v;
        }
        throw CommandError.WRONGTYPE;
    }

    private static double aggregate(double target, double val, Aggregate agg) {
        switch (agg) {
            case SUM -> {
                double s = target + val;
                return Double.isNaN(s) ? 0.0 : s;
            }
            case MIN -> {
                return val < target ? val : target;
            }
            default -> {
                return val > target ? val : target;
            }
        }
    }

    private void setOp(CommandContext c, SetOp op, boolean store) {
        int numkeysIdx = store ? 2 : 1;
        long setnum = c.longArg(numkeysIdx);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + c.spec().fullName() + "' command");
        }
        if (setnum > c.argc() - (numkeysIdx + 1)) {
            throw CommandError.SYNTAX;
        }
        int n = (int) setnum;
        Source[] src = new Source[n];
        int j = numkeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            src[i] = new Source(readInput(c, c.arg(j), store));
        }
        Aggregate agg = Aggregate.SUM;
        boolean withScores = false;
        int remaining = c.argc() - j;
        while (remaining > 0) {
            if (op != SetOp.DIFF && remaining >= n + 1 && c.argIs(j, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    Double w = Numbers.parseDoubleOrNull(c.arg(j));
                    if (w == null) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                    src[i].weight = w;
                }
            } else if (op != SetOp.DIFF && remaining >= 2 && c.argIs(j, "aggregate")) {
                j++;
                if (c.argIs(j, "sum")) {
                    agg = Aggregate.SUM;
                } else if (c.argIs(j, "min")) {
                    agg = Aggregate.MIN;
                } else if (c.argIs(j, "max")) {
                    agg = Aggregate.MAX;
                } else {
                    throw CommandError.SYNTAX;
                }
                j++;
                remaining -= 2;
            } else if (!store && c.argIs(j, "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        ZSetValue result = ZSetValue.skiplist(c.server().config().zsetLimits);
        if (op == SetOp.DIFF) {
            diff(src, result);
        } else {
            Source[] sorted = src.clone();
            Arrays.sort(sorted, (a, b) -> Long.compare(a.size(), b.size()));
            if (op == SetOp.INTER) {
                inter(sorted, agg, result);
            } else {
                union(sorted, agg, result);
            }
        }
        if (store) {
            // Only a stored result is compacted; a reply comes straight from the skiplist (a -0 stays -0).
            result.convertToListpackIfFits();
            storeResult(c, c.arg(1), result,
                    op == SetOp.UNION ? "zunionstore" : op == SetOp.INTER ? "zinterstore" : "zdiffstore");
        } else {
            emitRange(c.reply(), result, 0, result.size() - 1, false, withScores);
        }
    }

    private static void inter(Source[] src, Aggregate agg, ZSetValue out) {
        if (src[0].size() == 0) {
            return;
        }
        src[0].forEach((m, s) -> {
            double score = src[0].weight * s;
            if (Double.isNaN(score)) {
                score = 0;
            }
            for (int k = 1; k < src.length; k++) {
                double v;
                if (src[k].same(src[0])) {
                    v = s * src[k].weight;
                } else {
                    double os = src[k].score(m);
                    if (Double.isNaN(os)) {
                        return;
                    }
                    v = os * src[k].weight;
                }
                if (Double.isNaN(v)) {
                    v = 0;
                }
                score = aggregate(score, v, agg);
            }
            out.put(m, score);
        });
    }

    private static void union(Source[] src, Aggregate agg, ZSetValue out) {
        for (Source s : src) {
            if (s.size() == 0) {
                continue;
            }
            s.forEach((m, sc) -> {
                double score = s.weight * sc;
                if (Double.isNaN(score)) {
                    score = 0;
                }
                double cur = out.score(m);
                out.put(m, Double.isNaN(cur) ? score : aggregate(cur, score, agg));
            });
        }
    }

    private static void diff(Source[] src, ZSetValue out) {
        if (src[0].size() == 0) {
            return;
        }
        src[0].forEach((m, s) -> {
            for (int k = 1; k < src.length; k++) {
                if (src[k].same(src[0]) || !Double.isNaN(src[k].score(m))) {
                    return;
                }
            }
            out.put(m, s);
        });
    }

    private void zintercard(CommandContext c) {
        long setnum = c.longArg(1);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for 'zintercard' command");
        }
        if (setnum > c.argc() - 2) {
            throw CommandError.SYNTAX;
        }
        int n = (int) setnum;
        Source[] src = new Source[n];
        int j = 2;
        for (int i = 0; i < n; i++, j++) {
            src[i] = new Source(readInput(c, c.arg(j), false));
        }
        long limit = 0;
        int remaining = c.argc() - j;
        while (remaining > 0) {
            if (remaining >= 2 && c.argIs(j, "limit")) {
                Long l = Numbers.parseLongOrNull(c.arg(j + 1));
                if (l == null || l < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
                limit = l;
                j += 2;
                remaining -= 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Source[] sorted = src.clone();
        Arrays.sort(sorted, (a, b) -> Long.compare(a.size(), b.size()));
        long[] count = {0};
        final long lim = limit;
        if (sorted[0].size() > 0) {
            List<byte[]> members = new ArrayList<>();
            sorted[0].forEach((m, s) -> members.add(m));
            outer:
            for (byte[] m : members) {
                for (int k = 1; k < sorted.length; k++) {
                    if (!sorted[k].same(sorted[0]) && Double.isNaN(sorted[k].score(m))) {
                        continue outer;
                    }
                }
                count[0]++;
                if (lim != 0 && count[0] >= lim) {
                    break;
                }
            }
        }
        c.reply().integer(count[0]);
    }

    // ---------------------------------------------------------------- ZSCAN

    private void zscan(CommandContext c) {
        long cursor = parseCursor(c.arg(2));
        ZSetValue z = readZ(c, c.arg(1));
        Reply r = c.reply();
        if (z == null) {
            r.array(2);
            r.bulk("0");
            r.array(0);
            return;
        }
        byte[] pattern = null;
        long count = 10;
        for (int j = 3; j < c.argc(); j += 2) {
            if (j == c.argc() - 1) {
                throw CommandError.SYNTAX;
            }
            if (c.argIs(j, "count")) {
                count = c.longArg(j + 1);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (c.argIs(j, "match")) {
                pattern = c.arg(j + 1);
                if (Glob.matchesAll(pattern)) {
                    pattern = null;
                }
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        final byte[] pat = pattern;
        ZSetValue.Visitor collect = (m, s) -> {
            if (pat == null || Glob.matches(pat, m)) {
                members.add(m);
                scores.add(s);
            }
        };
        long next;
        if (z.isListpack()) {
            next = z.scan(0, collect);
        } else {
            next = cursor;
            long maxIterations = count * 10;
            do {
                next = z.scan(next, collect);
                maxIterations--;
            } while (next != 0 && maxIterations > 0 && members.size() < count);
        }
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(members.size() * 2L);
        for (int i = 0; i < members.size(); i++) {
            r.bulk(members.get(i));
            r.bulk(Numbers.formatDouble(scores.get(i)));
        }
    }

    /** A SCAN cursor as Redis's strtoull accepts it (an optional sign, then digits). */
    private static long parseCursor(byte[] a) {
        int i = 0;
        boolean negative = false;
        if (a.length > 0 && (a[0] == '-' || a[0] == '+')) {
            negative = a[0] == '-';
            i = 1;
        }
        if (i == a.length || a.length - i > 20) {
            throw new CommandError("ERR invalid cursor");
        }
        for (int k = i; k < a.length; k++) {
            if (a[k] < '0' || a[k] > '9') {
                throw new CommandError("ERR invalid cursor");
            }
        }
        try {
            long v = Long.parseUnsignedLong(new String(a, i, a.length - i, java.nio.charset.StandardCharsets.US_ASCII));
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
    }
}
