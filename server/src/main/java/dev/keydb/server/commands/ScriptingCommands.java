package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ALLOW_BUSY;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.MAY_REPLICATE;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.NO_MANDATORY_KEYS;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.SKIP_MONITOR;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.storage.Numbers;

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis's eval.c); the engine is {@link dev.keydb.server.scripting.ScriptEngine}. */
public final class ScriptingCommands implements CommandFamily {
    private static final String[] HELP = {
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
    };

    @Override
    public void register(CommandTable t) {
        String g = "scripting";
        t.add(command("eval", -3).flags(NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
                .movableKeys(ScriptingCommands::evalKeys).runsScript().acl(g).group(g)
                .doc("2.6.0", "Depends on the script that is executed.", "Executes a server-side Lua script.")
                .run(c -> c.server().scripts().eval(c, false, false)));
        t.add(command("evalsha", -3).flags(NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
                .movableKeys(ScriptingCommands::evalKeys).runsScript().acl(g).group(g)
                .doc("2.6.0", "Depends on the script that is executed.", "Executes a server-side Lua script by SHA1 digest.")
                .run(c -> c.server().scripts().eval(c, true, false)));
        t.add(command("eval_ro", -3).flags(NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
                .movableKeys(ScriptingCommands::evalKeys).runsScript().acl(g).group(g)
                .doc("7.0.0", "Depends on the script that is executed.", "Executes a read-only server-side Lua script.")
                .run(c -> c.server().scripts().eval(c, false, true)));
        t.add(command("evalsha_ro", -3).flags(NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
                .movableKeys(ScriptingCommands::evalKeys).runsScript().acl(g).group(g)
                .doc("7.0.0", "Depends on the script that is executed.", "Executes a read-only server-side Lua script by SHA1 digest.")
                .run(c -> c.server().scripts().eval(c, true, true)));
        t.add(command("script", -2).group(g)
                .doc("2.6.0", "Depends on subcommand.", "A container for Lua scripts management commands.")
                .sub(command("debug", 3).flags(NOSCRIPT).acl(g)
                        .doc("3.2.0", "O(1)", "Sets the debug mode of server-side Lua scripts.").run(this::debug))
                .sub(command("exists", -3).flags(NOSCRIPT).acl(g)
                        .doc("2.6.0", "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
                                "Determines whether server-side Lua scripts exist in the script cache.").run(this::exists))
                .sub(command("flush", -2).flags(NOSCRIPT, MAY_REPLICATE).acl(g)
                        .doc("2.6.0", "O(N) with N being the number of scripts in cache", "Removes all server-side Lua scripts from the script cache.")
                        .run(this::flush))
                .sub(command("help", 2).flags(LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(1)", "Returns helpful text about the different subcommands.")
                        .run(c -> ConfigCommands.replyHelp(c, HELP)))
                .sub(command("kill", 2).flags(NOSCRIPT, ALLOW_BUSY).acl(g)
                        .doc("2.6.0", "O(1)", "Terminates a server-side Lua script during execution.")
                        .run(c -> c.server().scripts().kill(c.reply(), true)))
                .sub(command("load", 3).flags(NOSCRIPT, MAY_REPLICATE, STALE).acl(g)
                        .doc("2.6.0", "O(N) with N being the length in bytes of the script body.",
                                "Loads a server-side Lua script to the script cache.")
                        .run(c -> c.reply().bulk(c.server().scripts().load(c.arg(2))))));
    }

    /** EVAL's keys: numkeys at argument 2, then the keys (getKeysFromCommand for movable keys). */
    static int[] evalKeys(byte[][] argv) {
        Long n = argv.length > 2 ? Numbers.parseLongOrNull(argv[2]) : null;
        if (n == null || n <= 0 || n > argv.length - 3) {
            return new int[0];
        }
        int[] out = new int[(int) (long) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = 3 + i;
        }
        return out;
    }

    private void exists(CommandContext c) {
        c.reply().array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            c.reply().integer(c.server().scripts().exists(c.argString(j)) ? 1 : 0);
        }
    }

    private void flush(CommandContext c) {
        if (c.argc() == 3 && (c.argIs(2, "sync") || c.argIs(2, "async"))) {
            c.server().scripts().flush();
        } else if (c.argc() == 2) {
            c.server().scripts().flush();
        } else {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        c.reply().ok();
    }

    private void debug(CommandContext c) {
        if (c.argIs(2, "no")) {
            c.reply().ok();
        } else if (c.argIs(2, "yes") || c.argIs(2, "sync")) {
            throw new CommandError("ERR SCRIPT DEBUG (the Lua debugger) is not supported by this server");
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }
}
