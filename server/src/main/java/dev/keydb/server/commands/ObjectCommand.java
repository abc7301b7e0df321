package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.AccessClock;
import dev.keydb.storage.Strings;
import dev.keydb.storage.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ|HELP (Redis's object.c objectCommand) and KeyDB's
 * LASTMODIFIED, a container command whose subcommands are rows of their own in the command
 * table. HELP lists Redis's subcommands only, as KeyDB's does.
 */
public final class ObjectCommand implements CommandFamily {
    /** Redis's OBJ_SHARED_REFCOUNT, what REFCOUNT reports for shared integers. */
    static final int SHARED_REFCOUNT = Integer.MAX_VALUE;

    private static final CommandError NO_LFU = new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    private static final CommandError LFU = new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");

    private static final String[] HELP = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    };

    @Override
    public void register(CommandTable t) {
        String ks = "keyspace";
        t.add(command("object", -2).group("generic")
                .doc("2.2.3", "Depends on subcommand.", "A container for object introspection commands.")
                .sub(command("encoding", 3).flags(READONLY).keys(2, 2, 1).acl(ks)
                        .doc("2.2.3", "O(1)", "Returns the internal encoding of a Redis object.").run(this::encoding))
                .sub(command("freq", 3).flags(READONLY).keys(2, 2, 1).acl(ks)
                        .doc("4.0.0", "O(1)", "Returns the logarithmic access frequency counter of a Redis object.").run(this::freq))
                .sub(command("help", 2).flags(LOADING, STALE).acl(ks)
                        .doc("6.2.0", "O(1)", "Returns helpful text about the different subcommands.").run(this::help))
                .sub(command("idletime", 3).flags(READONLY).keys(2, 2, 1).acl(ks)
                        .doc("2.2.3", "O(1)", "Returns the time since the last access to a Redis object.").run(this::idletime))
                .sub(command("lastmodified", 3).flags(READONLY).keys(2, 2, 1).acl(ks)
                        .doc("6.0.0", "O(1)", "Returns the time since the last write to a key (KeyDB).").run(this::lastmodified))
                .sub(command("refcount", 3).flags(READONLY).keys(2, 2, 1).acl(ks)
                        .doc("2.2.3", "O(1)", "Returns the reference count of a value of a key.").run(this::refcount)));
    }

    /** The value without touching its access clock, or null after replying the null bulk. */
    private static Object lookupOrNull(CommandContext c) {
        Object v = KeyCommands.readNoTouch(c, c.arg(2));
        if (v == null) {
            c.reply().nullBulk();
        }
        return v;
    }

    private static boolean lfuPolicy(CommandContext c) {
        return c.server().keyspace().accessClock().lfu();
    }

    private void encoding(CommandContext c) {
        Object v = lookupOrNull(c);
        if (v != null) {
            c.reply().bulk(ValueType.encodingOf(v));
        }
    }

    private void refcount(CommandContext c) {
        Object v = lookupOrNull(c);
        if (v != null) {
            c.reply().integer(Strings.isShared(v) ? SHARED_REFCOUNT : 1);
        }
    }

    /** Seconds since the last access, from the per-key clock (seconds resolution). */
    private void idletime(CommandContext c) {
        Object v = lookupOrNull(c);
        if (v == null) {
            return;
        }
        if (lfuPolicy(c)) {
            throw LFU;
        }
        c.reply().integer(AccessClock.idleSeconds(c.db().clockOf(c.arg(2)), c.now()));
    }

    /**
     * KeyDB's OBJECT LASTMODIFIED: whole seconds since the key was last written (KeyDB derives it
     * from the object's MVCC timestamp; here a per-key write time kept at second resolution, so a
     * key loaded at startup and never written since reports the server's uptime).
     */
    private void lastmodified(CommandContext c) {
        if (!c.server().keyspace().tracksModification()) {
            throw new CommandError("ERR OBJECT LASTMODIFIED needs per-key write times: start the server with "
                    + "'lastmodified-tracking yes' (4 bytes per key)");
        }
        Object v = lookupOrNull(c);
        if (v == null) {
            return;
        }
        int at = c.db().modifiedOf(c.arg(2));
        c.reply().integer(Math.max(0, c.server().secondsSinceStart(c.now()) - (long) at));
    }

    /**
     * Under an LFU policy the per-key clock holds Redis's packed LFU field, whose low 8 bits are
     * the logarithmic counter; otherwise frequency is not tracked and Redis answers an error.
     */
    private void freq(CommandContext c) {
        Object v = lookupOrNull(c);
        if (v == null) {
            return;
        }
        if (!lfuPolicy(c)) {
            throw NO_LFU;
        }
        c.reply().integer(c.server().keyspace().accessClock().frequency(c.db().clockOf(c.arg(2)), c.now()));
    }

    /** Redis's addReplyHelp: a header naming the command as typed, the lines, then HELP itself. */
    private void help(CommandContext c) {
        Reply r = c.reply();
        r.array(HELP.length + 3);
        r.simple(new String(c.arg(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
                + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : HELP) {
            r.simple(line);
        }
        r.simple("HELP");
        r.simple("    Prints this help.");
    }
}
