package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.MAY_REPLICATE;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.RawString;
import dev.keydb.storage.Strings;
import dev.keydb.storage.types.HyperLogLog;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HyperLogLog commands (Redis's hyperloglog.c). An HLL is a string value in Redis's exact
 * byte layout ({@link HyperLogLog}); writes unshare it into a {@link RawString} first.
 */
public final class HyperLogLogCommands implements CommandFamily {
    private static final CommandError INVALID_HLL = new CommandError("WRONGTYPE Key is not a valid HyperLogLog string value.");
    private static final CommandError CORRUPT = new CommandError("INVALIDOBJ Corrupted HLL object detected");
    /** An event class no notify-keyspace-events flag selects: a change that Redis signals without notifying. */
    private static final int NO_NOTIFICATION = 0;

    @Override
    public void register(CommandTable t) {
        String g = "hyperloglog";
        t.add(command("pfadd", -2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.9", "O(1) to add every element.", "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.").run(this::pfadd));
        t.add(command("pfcount", -2).flags(READONLY, MAY_REPLICATE).keys(1, -1, 1).acl(g).group(g)
                .doc("2.8.9", "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
                        "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).").run(this::pfcount));
        t.add(command("pfmerge", -2).flags(WRITE, DENYOOM).keys(1, -1, 1).acl(g).group(g)
                .doc("2.8.9", "O(N) to merge N HyperLogLogs, but with high constant times.", "Merges one or more HyperLogLog values into a single key.").run(this::pfmerge));
        t.add(command("pfdebug", 3).flags(WRITE, DENYOOM, ADMIN).keys(2, 2, 1).acl(g).group(g)
                .doc("2.8.9", "N/A", "Internal commands for debugging HyperLogLog values.").run(this::pfdebug));
        t.add(command("pfselftest", 1).flags(ADMIN).acl(g).group(g)
                .doc("2.8.9", "N/A", "An internal command for testing HyperLogLog values.").run(this::pfselftest));
    }

    /** Redis's isHLLObjectOrReply: WRONGTYPE for non-strings, the HLL error for strings that are not HLLs. */
    private static void checkHll(Object v) {
        if (!Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        if (v instanceof Long) {
            throw INVALID_HLL;
        }
        boolean ok = v instanceof RawString r ? HyperLogLog.isValid(r.array(), r.length()) : HyperLogLog.isValid((byte[]) v, ((byte[]) v).length);
        if (!ok) {
            throw INVALID_HLL;
        }
    }

    /** The value as a RawString that this key owns (Redis's dbUnshareStringValue). */
    private static RawString unshare(CommandContext c, byte[] key, Object v) {
        RawString s = Strings.mutable(v);
        if (s != v) {
            c.db().setKeepTtl(key, s, c.now());
        }
        return s;
    }

    /** A read-only view of an HLL value, without copying a RawString. */
    private static RawString view(Object v) {
        return v instanceof RawString r ? r : new RawString((byte[]) v);
    }

    private void pfadd(CommandContext c) {
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        RawString s;
        int updated = 0;
        if (v == null) {
            s = new RawString(HyperLogLog.create());
            c.db().set(key, s, c.now());
            updated++;
        } else {
            checkHll(v);
            s = unshare(c, key, v);
        }
        for (int j = 2; j < c.argc(); j++) {
            int r = HyperLogLog.add(s, c.arg(j), c.server().config().hllSparseMaxBytes);
            if (r == 1) {
                updated++;
            } else if (r == -1) {
                throw CORRUPT;
            }
        }
        if (updated > 0) {
            HyperLogLog.invalidateCache(s);
            c.changed(key, KeyspaceEvents.STRING, "pfadd");
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    private void pfcount(CommandContext c) {
        if (c.argc() > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < c.argc(); j++) {
                Object v = c.readKey(c.arg(j));
                if (v == null) {
                    continue;
                }
                checkHll(v);
                if (!HyperLogLog.merge(max, view(v))) {
                    throw CORRUPT;
                }
            }
            c.reply().integer(HyperLogLog.countRaw(max));
            return;
        }
        byte[] key = c.arg(1);
        Object v = c.readKey(key);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        checkHll(v);
        RawString s = unshare(c, key, v);
        long card;
        if (HyperLogLog.validCache(s)) {
            card = HyperLogLog.cachedCardinality(s);
        } else {
            card = HyperLogLog.count(s);
            if (card < 0) {
                throw CORRUPT;
            }
            HyperLogLog.storeCardinality(s, card);
            // Redis signals the modified key (WATCH, dirty) without a keyspace notification.
            c.changed(key, NO_NOTIFICATION, "pfcount");
        }
        c.reply().integer(card);
    }

    private void pfmerge(CommandContext c) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < c.argc(); j++) {
            Object v = c.readKey(c.arg(j));
            if (v == null) {
                continue;
            }
            checkHll(v);
            RawString s = view(v);
            if (HyperLogLog.encoding(s) == HyperLogLog.DENSE) {
                useDense = true;
            }
            if (!HyperLogLog.merge(max, s)) {
                throw CORRUPT;
            }
        }
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        RawString s;
        if (v == null) {
            s = new RawString(HyperLogLog.create());
            c.db().set(key, s, c.now());
        } else {
            s = unshare(c, key, v);
        }
        if (useDense && !HyperLogLog.sparseToDense(s)) {
            throw CORRUPT;
        }
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] == 0) {
                continue;
            }
            HyperLogLog.set(s, j, max[j], c.server().config().hllSparseMaxBytes);
        }
        HyperLogLog.invalidateCache(s);
        c.changed(key, KeyspaceEvents.STRING, "pfadd");
        c.reply().ok();
    }

    private void pfdebug(CommandContext c) {
        byte[] key = c.arg(2);
        Object v = c.writeKey(key);
        if (v == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        checkHll(v);
        RawString s = unshare(c, key, v);
        Reply r = c.reply();
        if (c.argIs(1, "getreg")) {
            if (HyperLogLog.encoding(s) == HyperLogLog.SPARSE && !HyperLogLog.sparseToDense(s)) {
                throw CORRUPT;
            }
            r.array(HyperLogLog.REGISTERS);
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                r.integer(HyperLogLog.denseRegister(s, j));
            }
        } else if (c.argIs(1, "decode")) {
            String decoded = HyperLogLog.decode(s);
            if (decoded == null) {
                throw new CommandError("ERR HLL encoding is not sparse");
            }
            r.bulk(decoded);
        } else if (c.argIs(1, "encoding")) {
            r.simple(HyperLogLog.encoding(s) == HyperLogLog.DENSE ? "dense" : "sparse");
        } else if (c.argIs(1, "todense")) {
            boolean conv = false;
            if (HyperLogLog.encoding(s) == HyperLogLog.SPARSE) {
                if (!HyperLogLog.sparseToDense(s)) {
                    throw CORRUPT;
                }
                conv = true;
            }
            r.integer(conv ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '" + c.argString(1) + "'");
        }
    }

    private void pfselftest(CommandContext c) {
        String failure = HyperLogLog.selfTest(new java.util.Random(ThreadLocalRandom.current().nextLong()), c.server().config().hllSparseMaxBytes);
        if (failure != null) {
            throw new CommandError("ERR " + failure);
        }
        c.reply().ok();
    }
}
