package dev.keydb.server.commands;

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
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;

/**
 * The TTL commands (Redis's expire.c): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with
 * NX|XX|GT|LT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST. Expiry itself (lazy on access
 * and the active cycle) lives in the storage layer.
 */
public final class ExpireCommands implements CommandFamily {
    private static final int NX = 1, XX = 2, GT = 4, LT = 8;
    private static final CommandError NX_CONFLICT =
            new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
    private static final CommandError GT_LT_CONFLICT =
            new CommandError("ERR GT and LT options at the same time are not compatible");

    @Override
    public void register(CommandTable t) {
        String g = "generic";
        String ks = "keyspace";
        t.add(command("expire", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Sets the expiration time of a key in seconds.")
                .run(c -> expire(c, Expiry.Unit.SECONDS, true)));
        t.add(command("pexpire", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("2.6.0", "O(1)", "Sets the expiration time of a key in milliseconds.")
                .run(c -> expire(c, Expiry.Unit.MILLISECONDS, true)));
        t.add(command("expireat", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("1.2.0", "O(1)", "Sets the expiration time of a key to a Unix timestamp.")
                .run(c -> expire(c, Expiry.Unit.SECONDS, false)));
        t.add(command("pexpireat", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("2.6.0", "O(1)", "Sets the expiration time of a key to a Unix milliseconds timestamp.")
                .run(c -> expire(c, Expiry.Unit.MILLISECONDS, false)));
        // KeyDB's TTL/PTTL take an optional subkey: the TTL of one member (EXPIREMEMBER).
        t.add(command("ttl", -2).flags(READONLY, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Returns the expiration time in seconds of a key, or of one of its members.").run(c -> ttl(c, false, false)));
        t.add(command("pttl", -2).flags(READONLY, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("2.6.0", "O(1)", "Returns the expiration time in milliseconds of a key, or of one of its members.").run(c -> ttl(c, true, false)));
        t.add(command("expiretime", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("7.0.0", "O(1)", "Returns the expiration time of a key as a Unix timestamp.").run(c -> ttl(c, false, true)));
        t.add(command("pexpiretime", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("7.0.0", "O(1)", "Returns the expiration time of a key as a Unix milliseconds timestamp.").run(c -> ttl(c, true, true)));
        t.add(command("persist", 2).flags(WRITE, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("2.2.0", "O(1)", "Removes the expiration time of a key.").run(this::persist));
    }

    /** The NX/XX/GT/LT flags after the time argument (expire.c parseExtendedExpireArgumentsOrReply). */
    private static int parseFlags(CommandContext c) {
        int flags = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "nx")) {
                flags |= NX;
            } else if (c.argIs(j, "xx")) {
                flags |= XX;
            } else if (c.argIs(j, "gt")) {
                flags |= GT;
            } else if (c.argIs(j, "lt")) {
                flags |= LT;
            } else {
                throw new CommandError("ERR Unsupported option " + c.argString(j));
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw NX_CONFLICT;
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            throw GT_LT_CONFLICT;
        }
        return flags;
    }

    /**
     * EXPIRE and friends (expire.c expireGenericCommand). Negative and past times are accepted
     * and delete the key, replying 1; only a value whose conversion to absolute milliseconds
     * overflows is an "invalid expire time".
     */
    private void expire(CommandContext c, Expiry.Unit unit, boolean relative) {
        int flags = parseFlags(c);
        long when = c.longArg(2);
        if (unit == Expiry.Unit.SECONDS) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw Expiry.invalid(c);
            }
            when *= 1000;
        }
        if (relative) {
            if (when > Long.MAX_VALUE - c.now()) {
                throw Expiry.invalid(c);
            }
            when += c.now();
        }
        byte[] key = c.arg(1);
        if (c.writeKey(key) == null) {
            c.reply().integer(0);
            return;
        }
        Database db = c.db();
        if (flags != 0) {
            long current = db.expireAt(key);
            boolean hasTtl = current != ExpireTable.NONE;
            if (((flags & NX) != 0 && hasTtl)
                    || ((flags & XX) != 0 && !hasTtl)
                    // GT: no TTL counts as infinite, so nothing is greater.
                    || ((flags & GT) != 0 && (!hasTtl || when <= current))
                    // LT: no TTL counts as infinite, so any time is less.
                    || ((flags & LT) != 0 && hasTtl && when >= current)) {
                c.reply().integer(0);
                return;
            }
        }
        if (when <= c.now()) {
            db.delete(key);
            c.changed(key, KeyspaceEvents.GENERIC, "del");
            c.propagateAs(Propagated.expiredDelete(c), key);
        } else {
            db.setExpire(key, when);
            c.changed(key, KeyspaceEvents.GENERIC, "expire");
            if (c.propagating()) {
                // Propagated as PEXPIREAT with the absolute time, options kept (expireGenericCommand).
                byte[][] argv = c.argv().clone();
                argv[0] = Propagated.PEXPIREAT;
                argv[2] = CommandContext.bytes(when);
                c.propagateAs(argv);
            }
        }
        c.reply().integer(1);
    }

    /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 for one without a TTL. */
    private void ttl(CommandContext c, boolean millis, boolean absolute) {
        if (c.argc() > 3) {
            throw c.wrongArity();
        }
        byte[] key = c.arg(1);
        if (KeyCommands.readNoTouch(c, key) == null) {
            c.reply().integer(-2);
            return;
        }
        long when = c.argc() == 3 ? c.db().memberExpireAt(key, c.arg(2)) : c.db().expireAt(key);
        if (when == ExpireTable.NONE) {
            c.reply().integer(-1);
            return;
        }
        long ttl = Math.max(0, absolute ? when : when - c.now());
        c.reply().integer(millis ? ttl : (ttl + 500) / 1000);
    }

    private void persist(CommandContext c) {
        byte[] key = c.arg(1);
        boolean removed = c.writeKey(key) != null && c.db().persist(key);
        if (removed) {
            c.changed(key, KeyspaceEvents.GENERIC, "persist");
        }
        c.reply().integer(removed ? 1 : 0);
    }
}
