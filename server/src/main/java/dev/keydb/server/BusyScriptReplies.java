package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.server.scripting.ScriptEngine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Answers a client's batch while a script runs past busy-reply-threshold and holds the lock,
 * as Redis 7.0's processCommand does from processEventsWhileBlocked: commands flagged
 * allow_busy run (SCRIPT KILL and FUNCTION KILL request the kill, SHUTDOWN NOSAVE stops the
 * script and the server; QUIT, HELLO, AUTH, MULTI and FUNCTION STATS run their handlers, which
 * touch only the connection's own state or what only the lock holder changes), anything else
 * gets -BUSY, and inside MULTI that dooms the transaction (EXECABORT). Runs on the client's
 * event loop without the lock, so the commands here never reach the dispatcher.
 */
final class BusyScriptReplies {
    private final Server server;
    private final CommandTable commands;
    private final ScriptEngine scripts;

    BusyScriptReplies(Server server, CommandTable commands, ScriptEngine scripts) {
        this.server = server;
        this.commands = commands;
        this.scripts = scripts;
    }

    void answer(CommandContext ctx, List<byte[][]> batch) {
        Client client = ctx.client();
        Reply r = ctx.reply();
        for (byte[][] argv : batch) {
            if (client.isCloseAfterReply() || client.killed()) {
                return;
            }
            CommandSpec spec = resolve(argv);
            boolean runnable = spec != null && spec.has(CommandFlag.ALLOW_BUSY) && spec.arityAccepts(argv.length)
                    && (client.authenticated() || spec.has(CommandFlag.NO_AUTH));
            switch (runnable ? spec.fullName() : "") {
                case "script|kill" -> scripts.kill(r, true);
                case "function|kill" -> scripts.kill(r, false);
                case "shutdown" -> {
                    if (!hasNosave(argv)) {
                        reject(client, r); // shutdownCommand: only SHUTDOWN NOSAVE while a script is busy
                        continue;
                    }
                    scripts.killForShutdown();
                    client.closeAfterReply();
                    new Thread(server::shutdown, "keydb-shutdown").start();
                    return;
                }
                case "quit", "hello", "auth", "multi", "function|stats" -> {
                    if ("multi".equals(spec.name()) && client.inMulti()) {
                        r.error("ERR MULTI calls can not be nested");
                        continue;
                    }
                    ctx.begin(spec, argv, System.currentTimeMillis());
                    try {
                        spec.handler().execute(ctx);
                    } catch (dev.keydb.server.command.CommandError e) {
                        r.error(e.getMessage());
                    }
                }
                default -> reject(client, r);
            }
        }
    }

    /** rejectCommand: -BUSY, and a transaction being queued is doomed. */
    private void reject(Client client, Reply r) {
        if (client.inMulti()) {
            client.multi().markFailed();
        }
        r.error(scripts.busyError());
    }

    private CommandSpec resolve(byte[][] argv) {
        CommandSpec spec = commands.lookup(argv[0]);
        if (spec != null && !spec.subcommands().isEmpty() && argv.length >= 2) {
            spec = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
        }
        return spec;
    }

    private static boolean hasNosave(byte[][] argv) {
        for (int i = 1; i < argv.length; i++) {
            if (new String(argv[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("nosave")) {
                return true;
            }
        }
        return false;
    }
}
