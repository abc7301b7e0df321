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
import dev.keydb.server.config.ConfigException;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Numbers;
import java.util.Arrays;
import dev.keydb.storage.types.ListValue;

/**
 * The list commands (Redis's t_list.c), blocking ones included. Values are {@link ListValue}s;
 * a list that becomes empty is deleted, as Redis never keeps empty lists, so a client can only
 * be blocked on a missing key and is woken when the key is created (the keyspace signals every
 * key creation to the blocked-clients registry, as Redis's dbAdd).
 */
public final class ListCommands implements CommandFamily {
    private static final CommandError OUT_OF_RANGE = new CommandError("ERR index out of range");
    private static final CommandError MUST_BE_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    private static final CommandError RANK_ZERO = new CommandError(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                    + "or use negative to start from the end of the list");
    private static final CommandError COUNT_NEGATIVE = new CommandError("ERR COUNT can't be negative");
    private static final CommandError MAXLEN_NEGATIVE = new CommandError("ERR MAXLEN can't be negative");
    private static final CommandError NUMKEYS = new CommandError("ERR numkeys should be greater than 0");
    private static final CommandError COUNT_POSITIVE = new CommandError("ERR count should be greater than 0");

    /** Validates list-compress-depth: nodes are never compressed, so only 0 is accepted. */
    public static void checkCompressDepth(String value) throws ConfigException {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new ConfigException("argument must be between 0 and " + Integer.MAX_VALUE + " inclusive");
        }
        if (v != 0) {
            throw new ConfigException("list node compression is not supported: list-compress-depth must be 0");
        }
    }

    @Override
    public void register(CommandTable t) {
        String g = "list";
        String each = "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";
        t.add(command("lpush", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", each, "Prepends one or more elements to a list. Creates the key if it doesn't exist.")
                .run(c -> push(c, true, false)));
        t.add(command("rpush", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", each, "Appends one or more elements to a list. Creates the key if it doesn't exist.")
                .run(c -> push(c, false, false)));
        t.add(command("lpushx", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", each, "Prepends one or more elements to a list only when the list exists.")
                .run(c -> push(c, true, true)));
        t.add(command("rpushx", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", each, "Appends an element to a list only when the list exists.")
                .run(c -> push(c, false, true)));
        t.add(command("linsert", 5).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
                        "Inserts an element before or after another element in a list.").run(this::linsert));
        t.add(command("llen", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Returns the length of a list.").run(this::llen));
        t.add(command("lindex", 3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
                        "Returns an element from a list by its index.").run(this::lindex));
        t.add(command("lset", 4).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
                        "Sets the value of an element in a list by its index.").run(this::lset));
        t.add(command("lpop", -2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of elements returned",
                        "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.")
                .run(c -> pop(c, true)));
        t.add(command("rpop", -2).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of elements returned",
                        "Returns and removes the last elements of a list. Deletes the list if the last element was popped.")
                .run(c -> pop(c, false)));
        t.add(command("lrange", 4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
                        "Returns a range of elements from a list.").run(this::lrange));
        t.add(command("ltrim", 4).flags(WRITE).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of elements to be removed by the operation.",
                        "Removes elements from both ends a list. Deletes the list if all elements were trimmed.").run(this::ltrim));
        t.add(command("lpos", -3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("6.0.6", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
                        "Returns the index of matching elements in a list.").run(this::lpos));
        t.add(command("lrem", 4).flags(WRITE).keys(1, 1, 1).acl(g).group(g)
                .doc("1.0.0", "O(N+M) where N is the length of the list and M is the number of elements removed.",
                        "Removes elements from a list. Deletes the list if the last element was removed.").run(this::lrem));
        t.add(command("rpoplpush", 3).flags(WRITE, DENYOOM).keys(1, 2, 1).acl(g).group(g)
                .doc("1.2.0", "O(1)", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.")
                .run(c -> move(c, false, true)));
        t.add(command("lmove", 5).flags(WRITE, DENYOOM).keys(1, 2, 1).acl(g).group(g)
                .doc("6.2.0", "O(1)", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.")
                .run(this::lmove));
        t.add(command("lmpop", -4).flags(WRITE).movableKeys(ListCommands::lmpopKeys).acl(g).group(g)
                .doc("7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
                        "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.")
                .run(this::lmpop));
        t.add(command("blpop", -3).flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the number of provided keys.",
                        "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.")
                .run(c -> blockingPop(c, true)));
        t.add(command("brpop", -3).flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1).acl(g).group(g)
                .doc("2.0.0", "O(N) where N is the number of provided keys.",
                        "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.")
                .run(c -> blockingPop(c, false)));
        t.add(command("brpoplpush", 4).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).keys(1, 2, 1).acl(g).group(g)
                .doc("2.2.0", "O(1)",
                        "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.")
                .run(c -> blockingMove(c, false, true, 3)));
        t.add(command("blmove", 6).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).keys(1, 2, 1).acl(g).group(g)
                .doc("6.2.0", "O(1)",
                        "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.")
                .run(c -> blockingMove(c, whereArg(c, 3), whereArg(c, 4), 5)));
        t.add(command("blmpop", -5).flags(WRITE, BLOCKING).movableKeys(ListCommands::blmpopKeys).acl(g).group(g)
                .doc("7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
                        "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.")
                .run(this::blmpop));
    }

    // ---- helpers --------------------------------------------------------------------------

    private static ListValue asList(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof ListValue l) {
            return l;
        }
        throw CommandError.WRONGTYPE;
    }

    private static ListValue readList(CommandContext c, byte[] key) {
        return asList(c.readKey(key));
    }

    private static ListValue writeList(CommandContext c, byte[] key) {
        return asList(c.writeKey(key));
    }

    /** A new empty list stored under {@code key} (which must be absent). */
    private static ListValue create(CommandContext c, byte[] key) {
        ListValue l = new ListValue(c.server().config().listMaxListpackSize);
        c.db().set(key, l, c.now());
        return l;
    }

    /**
     * Signals a change of {@code key} by {@code event}, then deletes the key with a "del"
     * event when its list became empty (Redis's listElementsRemoved).
     */
    private static void changedMaybeDeleted(CommandContext c, byte[] key, ListValue l, String event) {
        c.changed(key, KeyspaceEvents.LIST, event);
        if (l.isEmpty()) {
            c.db().delete(key);
            c.notifyEvent(key, KeyspaceEvents.GENERIC, "del");
        }
    }

    /** A non-negative integer argument; anything else answers {@code error} (getPositiveLongFromObjectOrReply). */
    private static long nonNegativeArg(CommandContext c, int i, CommandError error) {
        Long v = Numbers.parseLongOrNull(c.arg(i));
        if (v == null || v < 0) {
            throw error;
        }
        return v;
    }

    /** LEFT → head (true), RIGHT → tail (false), else a syntax error. */
    private static boolean whereArg(CommandContext c, int i) {
        if (c.argIs(i, "left")) {
            return true;
        }
        if (c.argIs(i, "right")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    /** Replies the {@code n} elements at the head (in order) or tail (last first) of {@code l}. */
    private static void replyEnd(Reply r, ListValue l, boolean head, long n) {
        r.array(n);
        if (head) {
            l.forEach(0, n, false, r::bulk);
        } else {
            l.forEach(l.size() - 1, n, true, r::bulk);
        }
    }

    private static void removeEnd(ListValue l, boolean head, long n) {
        if (head) {
            l.removeHead(n);
        } else {
            l.removeTail(n);
        }
    }

    // ---- commands -------------------------------------------------------------------------

    private void push(CommandContext c, boolean head, boolean onlyIfExists) {
        byte[] key = c.arg(1);
        ListValue l = writeList(c, key);
        if (l == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            l = create(c, key);
        }
        for (int j = 2; j < c.argc(); j++) {
            l.push(c.arg(j), head);
        }
        c.reply().integer(l.size());
        c.changed(key, KeyspaceEvents.LIST, head ? "lpush" : "rpush");
    }

    private void linsert(CommandContext c) {
        boolean after;
        if (c.argIs(2, "after")) {
            after = true;
        } else if (c.argIs(2, "before")) {
            after = false;
        } else {
            throw CommandError.SYNTAX;
        }
        ListValue l = writeList(c, c.arg(1));
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        if (!l.insert(c.arg(3), c.arg(4), after)) {
            c.reply().integer(-1);
            return;
        }
        c.changed(c.arg(1), KeyspaceEvents.LIST, "linsert");
        c.reply().integer(l.size());
    }

    private void llen(CommandContext c) {
        ListValue l = readList(c, c.arg(1));
        c.reply().integer(l == null ? 0 : l.size());
    }

    private void lindex(CommandContext c) {
        ListValue l = readList(c, c.arg(1));
        if (l == null) {
            c.reply().nullBulk();
            return;
        }
        byte[] v = l.get(c.longArg(2));
        if (v == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(v);
        }
    }

    private void lset(CommandContext c) {
        ListValue l = writeList(c, c.arg(1));
        if (l == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        if (!l.set(c.longArg(2), c.arg(3))) {
            throw OUT_OF_RANGE;
        }
        c.changed(c.arg(1), KeyspaceEvents.LIST, "lset");
        c.reply().ok();
    }

    private void pop(CommandContext c, boolean head) {
        if (c.argc() > 3) {
            throw c.wrongArity();
        }
        boolean hasCount = c.argc() == 3;
        long count = hasCount ? nonNegativeArg(c, 2, MUST_BE_POSITIVE) : 0;
        byte[] key = c.arg(1);
        ListValue l = writeList(c, key);
        if (l == null) {
            if (hasCount) {
                c.reply().nullArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        if (!hasCount) {
            c.reply().bulk(l.pop(head));
        } else if (count == 0) {
            c.reply().array(0);
            return;
        } else {
            long n = Math.min(count, l.size());
            replyEnd(c.reply(), l, head, n);
            removeEnd(l, head, n);
        }
        changedMaybeDeleted(c, key, l, head ? "lpop" : "rpop");
    }

    private void lrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        ListValue l = readList(c, c.arg(1));
        if (l == null) {
            c.reply().array(0);
            return;
        }
        long len = l.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            c.reply().array(0);
            return;
        }
        if (end >= len) {
            end = len - 1;
        }
        long n = end - start + 1;
        Reply r = c.reply();
        r.array(n);
        l.forEach(start, n, false, r::bulk);
    }

    private void ltrim(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] key = c.arg(1);
        ListValue l = writeList(c, key);
        if (l == null) {
            c.reply().ok();
            return;
        }
        long len = l.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim, rtrim;
        if (start > end || start >= len) {
            ltrim = len;
            rtrim = 0;
        } else {
            if (end >= len) {
                end = len - 1;
            }
            ltrim = start;
            rtrim = len - end - 1;
        }
        l.trim(ltrim, rtrim);
        changedMaybeDeleted(c, key, l, "ltrim");
        c.reply().ok();
    }

    /** LPOS's running state: matches seen, and the indexes to reply. */
    private static final class PosScan {
        long matches;
        long found = -1;
        long[] hits = new long[8];
        int nHits;

        void add(long index) {
            if (nHits == hits.length) {
                hits = java.util.Arrays.copyOf(hits, nHits * 2);
            }
            hits[nHits++] = index;
        }
    }

    private void lpos(CommandContext c) {
        byte[] ele = c.arg(2);
        long rank = 1, count = -1, maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean moreArgs = j < c.argc() - 1;
            if (c.argIs(j, "rank") && moreArgs) {
                rank = c.longArg(++j);
                if (rank == 0) {
                    throw RANK_ZERO;
                }
            } else if (c.argIs(j, "count") && moreArgs) {
                count = nonNegativeArg(c, ++j, COUNT_NEGATIVE);
            } else if (c.argIs(j, "maxlen") && moreArgs) {
                maxlen = nonNegativeArg(c, ++j, MAXLEN_NEGATIVE);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        boolean fromTail = rank < 0;
        boolean unlimited = false;
        if (rank == Long.MIN_VALUE) {
            // Redis negates the rank in C long arithmetic: it stays negative, so every match
            // qualifies and a COUNT limit is never reached.
            rank = 1;
            unlimited = true;
        } else if (rank < 0) {
            rank = -rank;
        }
        ListValue l = readList(c, c.arg(1));
        if (l == null) {
            if (count != -1) {
                c.reply().array(0);
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        boolean withCount = count != -1;
        long limit = unlimited ? 0 : count;
        long firstRank = rank;
        PosScan s = new PosScan();
        l.scan(ele, fromTail, maxlen, index -> {
            s.matches++;
            if (s.matches < firstRank) {
                return true;
            }
            if (!withCount) {
                s.found = index;
                return false;
            }
            s.add(index);
            return limit == 0 || s.matches - firstRank + 1 < limit;
        });
        Reply r = c.reply();
        if (withCount) {
            r.array(s.nHits);
            for (int i = 0; i < s.nHits; i++) {
                r.integer(s.hits[i]);
            }
        } else if (s.found >= 0) {
            r.integer(s.found);
        } else {
            r.nullBulk();
        }
    }

    private void lrem(CommandContext c) {
        long toRemove = c.longArg(2);
        byte[] key = c.arg(1);
        ListValue l = writeList(c, key);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        long removed = l.remove(c.arg(3), toRemove);
        if (removed > 0) {
            c.changed(key, KeyspaceEvents.LIST, "lrem");
        }
        if (l.isEmpty()) {
            c.db().delete(key);
            c.notifyEvent(key, KeyspaceEvents.GENERIC, "del");
        }
        c.reply().integer(removed);
    }

    private void lmove(CommandContext c) {
        boolean fromHead = whereArg(c, 3);
        boolean toHead = whereArg(c, 4);
        move(c, fromHead, toHead);
    }

    /** LMOVE / RPOPLPUSH: pops from the source and pushes on the destination (which may be the same key). */
    private void move(CommandContext c, boolean fromHead, boolean toHead) {
        byte[] srcKey = c.arg(1);
        byte[] dstKey = c.arg(2);
        ListValue src = writeList(c, srcKey);
        if (src == null || src.isEmpty()) {
            c.reply().nullBulk();
            return;
        }
        ListValue dst = writeList(c, dstKey);
        byte[] v = src.pop(fromHead);
        if (dst == null) {
            dst = create(c, dstKey);
        }
        dst.push(v, toHead);
        c.changed(dstKey, KeyspaceEvents.LIST, toHead ? "lpush" : "rpush");
        c.reply().bulk(v);
        changedMaybeDeleted(c, srcKey, src, fromHead ? "lpop" : "rpop");
    }

    private void lmpop(CommandContext c) {
        if (!mpop(c, 1)) {
            c.reply().nullArray();
        }
    }

    /**
     * The body of LMPOP and BLMPOP, whose "numkeys key... LEFT|RIGHT [COUNT n]" starts at
     * {@code first}: pops from the first non-empty list and replies; false when all are empty.
     */
    private boolean mpop(CommandContext c, int first) {
        Long numKeys = Numbers.parseLongOrNull(c.arg(first));
        if (numKeys == null || numKeys < 1) {
            throw NUMKEYS;
        }
        if (numKeys > c.argc() - first - 2) {
            throw CommandError.SYNTAX;
        }
        int whereIdx = first + 1 + numKeys.intValue();
        boolean head = whereArg(c, whereIdx);
        long count = -1;
        for (int j = whereIdx + 1; j < c.argc(); j++) {
            boolean moreArgs = j < c.argc() - 1;
            if (count == -1 && c.argIs(j, "count") && moreArgs) {
                Long v = Numbers.parseLongOrNull(c.arg(++j));
                if (v == null || v < 1) {
                    throw COUNT_POSITIVE;
                }
                count = v;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (count == -1) {
            count = 1;
        }
        for (int k = first + 1; k < whereIdx; k++) {
            byte[] key = c.arg(k);
            ListValue l = blockingList(c, key);
            if (l == null || l.isEmpty()) {
                continue;
            }
            long n = Math.min(count, l.size());
            Reply r = c.reply();
            r.array(2);
            r.bulk(key);
            replyEnd(r, l, head, n);
            removeEnd(l, head, n);
            changedMaybeDeleted(c, key, l, head ? "lpop" : "rpop");
            c.propagateAs(head ? Propagated.LPOP : Propagated.RPOP, key, CommandContext.bytes(n)); // [LR]POP key count
            return true;
        }
        return false;
    }

    // ---- blocking commands ----------------------------------------------------------------

    /**
     * The list at {@code key} for a blocking command: WRONGTYPE on the first run, as Redis; but
     * when the blocked client is retried because the key was created, a key of another type
     * counts as empty and the client keeps waiting (Redis serves only list keys to it).
     */
    private static ListValue blockingList(CommandContext c, byte[] key) {
        if (!c.retrying()) {
            return writeList(c, key);
        }
        return c.writeKey(key) instanceof ListValue l ? l : null;
    }

    // Each tries like its non-blocking form and, finding nothing, blocks the client on its keys
    // (CommandContext.block); a push to one of them re-runs the command for the client.

    private void blockingPop(CommandContext c, boolean head) {
        long timeout = Timeouts.parseSeconds(c, c.argc() - 1);
        for (int k = 1; k < c.argc() - 1; k++) {
            byte[] key = c.arg(k);
            ListValue l = blockingList(c, key);
            if (l != null && !l.isEmpty()) {
                Reply r = c.reply();
                r.array(2);
                r.bulk(key);
                r.bulk(l.pop(head));
                changedMaybeDeleted(c, key, l, head ? "lpop" : "rpop");
                c.propagateAs(head ? Propagated.LPOP : Propagated.RPOP, key);
                return;
            }
        }
        c.block(Arrays.copyOfRange(c.argv(), 1, c.argc() - 1), timeout, Reply::nullArray);
    }

    private static final byte[] LEFT_LC = CommandContext.bytes("left");
    private static final byte[] RIGHT_LC = CommandContext.bytes("right");

    private void blockingMove(CommandContext c, boolean fromHead, boolean toHead, int timeoutArg) {
        long timeout = Timeouts.parseSeconds(c, timeoutArg);
        ListValue src = blockingList(c, c.arg(1));
        if (src != null && !src.isEmpty()) {
            move(c, fromHead, toHead);
            if (c.argIs(0, "brpoplpush")) {
                c.propagateAs(Propagated.RPOPLPUSH, c.arg(1), c.arg(2));
            } else if (c.retrying()) {
                // Served after blocking: Redis writes its shared lowercase direction words.
                c.propagateAs(Propagated.LMOVE, c.arg(1), c.arg(2), fromHead ? LEFT_LC : RIGHT_LC, toHead ? LEFT_LC : RIGHT_LC);
            } else {
                c.propagateAs(Propagated.LMOVE, c.arg(1), c.arg(2), c.arg(3), c.arg(4));
            }
            return;
        }
        if (!c.mayBlock()) {
            c.reply().nullBulk(); // inside MULTI: Redis answers a null bulk here, but a null array on timeout
            return;
        }
        c.block(new byte[][] {c.arg(1)}, timeout, Reply::nullArray);
    }

    private void blmpop(CommandContext c) {
        long timeout = Timeouts.parseSeconds(c, 1);
        if (!mpop(c, 2)) {
            int n = Numbers.parseLongOrNull(c.arg(2)).intValue();
            c.block(Arrays.copyOfRange(c.argv(), 3, 3 + n), timeout, Reply::nullArray);
        }
    }

    /** Key positions of BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT n]. */
    static int[] blmpopKeys(byte[][] argv) {
        if (argv.length < 2) {
            return new int[0];
        }
        byte[][] shifted = Arrays.copyOfRange(argv, 1, argv.length);
        int[] keys = lmpopKeys(shifted);
        for (int i = 0; i < keys.length; i++) {
            keys[i]++;
        }
        return keys;
    }

    /** Key positions of LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT n]. */
    static int[] lmpopKeys(byte[][] argv) {
        Long n = argv.length > 1 ? Numbers.parseLongOrNull(argv[1]) : null;
        if (n == null || n < 1 || n > argv.length - 2) {
            return new int[0];
        }
        int[] keys = new int[n.intValue()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 2 + i;
        }
        return keys;
    }
}
