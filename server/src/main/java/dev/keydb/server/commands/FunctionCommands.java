package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ALLOW_BUSY;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.MAY_REPLICATE;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.NO_MANDATORY_KEYS;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.SKIP_MONITOR;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.scripting.Functions;
import dev.keydb.storage.rdb.RdbException;
import dev.keydb.storage.rdb.RdbReader;
import dev.keydb.storage.rdb.RdbWriter;
import java.util.List;

/** FCALL, FCALL_RO and FUNCTION (Redis's functions.c); the engine is {@link dev.keydb.server.scripting.Functions}. */
public final class FunctionCommands implements CommandFamily {
    private static final String[] HELP = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
    };

    @Override
    public void register(CommandTable t) {
        String g = "scripting";
        t.add(command("fcall", -3).flags(NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
                .movableKeys(ScriptingCommands::evalKeys).runsScript().acl(g).group(g)
                .doc("7.0.0", "Depends on the function that is executed.", "Invokes a function.")
                .run(c -> c.server().scripts().functions().fcall(c, false)));
        t.add(command("fcall_ro", -3).flags(NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
                .movableKeys(ScriptingCommands::evalKeys).runsScript().acl(g).group(g)
                .doc("7.0.0", "Depends on the function that is executed.", "Invokes a read-only function.")
                .run(c -> c.server().scripts().functions().fcall(c, true)));
        t.add(command("function", -2).group(g)
                .doc("7.0.0", "Depends on subcommand.", "A container for function commands.")
                .sub(command("delete", 3).flags(NOSCRIPT, WRITE).acl(g)
                        .doc("7.0.0", "O(1)", "Deletes a library and its functions.").run(c -> {
                            c.server().scripts().functions().delete(c.argString(2));
                            c.server().addDirty(1); // functions.c: server.dirty++, a change to persist and replicate
                            c.reply().ok();
                        }))
                .sub(command("dump", 2).flags(NOSCRIPT).acl(g)
                        .doc("7.0.0", "O(N) where N is the number of functions", "Dumps all libraries into a serialized binary payload.")
                        .run(c -> c.reply().bulk(RdbWriter.functionsDump(c.server().scripts().functions().codes(),
                                c.server().config().rdbcompression))))
                .sub(command("flush", -2).flags(NOSCRIPT, WRITE).acl(g)
                        .doc("7.0.0", "O(N) where N is the number of functions deleted", "Deletes all libraries and functions.").run(this::flush))
                .sub(command("help", 2).flags(LOADING, STALE).acl(g)
                        .doc("7.0.0", "O(1)", "Returns helpful text about the different subcommands.")
                        .run(c -> ConfigCommands.replyHelp(c, HELP)))
                .sub(command("kill", 2).flags(NOSCRIPT, ALLOW_BUSY).acl(g)
                        .doc("7.0.0", "O(1)", "Terminates a function during execution.")
                        .run(c -> c.server().scripts().kill(c.reply(), false)))
                .sub(command("list", -2).flags(NOSCRIPT).acl(g)
                        .doc("7.0.0", "O(N) where N is the number of functions", "Returns information about all libraries.").run(this::list))
                .sub(command("load", -3).flags(NOSCRIPT, WRITE, DENYOOM).acl(g)
                        .doc("7.0.0", "O(1) (considering compilation time is redundant)", "Creates a library.").run(this::load))
                .sub(command("restore", -3).flags(NOSCRIPT, WRITE, DENYOOM).acl(g)
                        .doc("7.0.0", "O(N) where N is the number of functions on the payload", "Restores all libraries from a payload.")
                        .run(this::restore))
                .sub(command("stats", 2).flags(NOSCRIPT, ALLOW_BUSY).acl(g)
                        .doc("7.0.0", "O(1)", "Returns information about a function during execution.")
                        .run(c -> c.server().scripts().functions().stats(c.reply()))));
    }

    private void load(CommandContext c) {
        boolean replace = false;
        int i = 2;
        while (i < c.argc() - 1) {
            if (c.argIs(i, "replace")) {
                replace = true;
                i++;
                continue;
            }
            throw new CommandError("ERR Unknown option given: " + c.argString(i));
        }
        if (i >= c.argc()) {
            throw new CommandError("ERR Function code is missing");
        }
        c.reply().bulk(c.server().scripts().functions().load(c.arg(i), replace));
        c.server().addDirty(1);
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (functionRestoreCommand). */
    private void restore(CommandContext c) {
        if (c.argc() > 4) {
            throw Help.subcommandSyntax(c);
        }
        Functions.RestorePolicy policy = Functions.RestorePolicy.APPEND;
        if (c.argc() == 4) {
            if (c.argIs(3, "append")) {
                policy = Functions.RestorePolicy.APPEND;
            } else if (c.argIs(3, "replace")) {
                policy = Functions.RestorePolicy.REPLACE;
            } else if (c.argIs(3, "flush")) {
                policy = Functions.RestorePolicy.FLUSH;
            } else {
                throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        byte[] payload = c.arg(2);
        if (!RdbReader.verifyPayload(payload, c.server().verifyChecksums())) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes;
        try {
            codes = RdbReader.functionsFromPayload(payload);
        } catch (RdbException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.server().scripts().functions().restore(codes, policy);
        c.server().addDirty(1);
        c.reply().ok();
    }

    private void flush(CommandContext c) {
        if (c.argc() == 3 && !(c.argIs(2, "sync") || c.argIs(2, "async"))) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        } else if (c.argc() > 3) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        c.server().scripts().functions().flush();
        c.server().addDirty(1);
        c.reply().ok();
    }

    private void list(CommandContext c) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < c.argc(); i++) {
            if (!withCode && c.argIs(i, "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.argIs(i, "libraryname")) {
                if (i >= c.argc() - 1) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = c.argString(++i);
                continue;
            }
            throw new CommandError("ERR Unknown argument " + c.argString(i));
        }
        c.server().scripts().functions().list(c.reply(), pattern, withCode);
    }
}
