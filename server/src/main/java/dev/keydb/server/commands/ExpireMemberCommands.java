package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.storage.Values;

/**
 * KeyDB's subkey expiry (expire.cpp expireMemberCommand): a TTL on one member of a set, hash or
 * sorted set. The member disappears when due, lazily on access and by the active expiry
 * cycle; TTL/PTTL key member report it. Replies and errors are KeyDB's.
 */
public final class ExpireMemberCommands implements CommandFamily {
    private static final CommandError INVALID_UNIT = new CommandError("ERR Invalid unit arg");

    @Override
    public void register(CommandTable t) {
        String g = "keyspace";
        t.add(command("expiremember", -4).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group("generic")
                .doc("6.0.0", "O(1)", "Set a timeout on a member (field) of a set, hash or sorted set (KeyDB).")
                .run(this::expireMember));
        t.add(command("expirememberat", 4).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group("generic")
                .doc("6.0.0", "O(1)", "Set the expiration of a member as a UNIX timestamp in seconds (KeyDB).")
                .run(c -> core(c, 0, c.longArg(3), 1000)));
        t.add(command("pexpirememberat", 4).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group("generic")
                .doc("6.0.0", "O(1)", "Set the expiration of a member as a UNIX timestamp in milliseconds (KeyDB).")
                .run(c -> core(c, 0, c.longArg(3), 1)));
    }

    /** EXPIREMEMBER key member delay [s|ms]. */
    private void expireMember(CommandContext c) {
        long when = c.longArg(3);
        if (c.argc() > 5) {
            throw new CommandError("ERR Invalid number of arguments");
        }
        long unit = 1000;
        if (c.argc() == 5) {
            if (c.argIs(4, "s")) {
                unit = 1000;
            } else if (c.argIs(4, "ms")) {
                unit = 1;
            } else {
                throw INVALID_UNIT;
            }
        }
        core(c, c.now(), when, unit);
    }

    /** expireMemberCore: 0 when the key or member is missing, 1 when the TTL was set. */
    private static void core(CommandContext c, long base, long when, long unitMs) {
        long at;
        try {
            at = Math.addExact(Math.multiplyExact(when, unitMs), base);
        } catch (ArithmeticException e) {
            throw new CommandError("ERR invalid expire time in '" + c.spec().fullName() + "' command");
        }
        byte[] key = c.arg(1), member = c.arg(2);
        Object value = c.writeKey(key);
        if (value == null) {
            c.reply().integer(0);
            return;
        }
        if (!Values.supportsMemberExpiry(value)) {
            throw new CommandError("ERR object type is unsupported");
        }
        if (!Values.hasMember(value, member)) {
            c.reply().integer(0);
            return;
        }
        c.db().setMemberExpire(key, member, at);
        c.server().watches().touch(c.db().id(), key);
        c.server().addDirty(1);
        // Every form replays as the absolute PEXPIREMEMBERAT key member ms.
        c.propagateAs(dev.keydb.server.command.Propagated.PEXPIREMEMBERAT, key, member, CommandContext.bytes(at));
        c.reply().integer(1);
    }
}
