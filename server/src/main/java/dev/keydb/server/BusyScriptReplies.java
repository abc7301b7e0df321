package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.server.scripting.ScriptEngine;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers clients while a script runs past busy-reply-threshold and holds the lock, as Redis
 * 7.0's processCommand does from processEventsWhileBlocked: the allow_busy commands run (SCRIPT
 * KILL and FUNCTION KILL request the kill, SHUTDOWN NOSAVE stops the script and the server,
 * QUIT, HELLO, AUTH, MULTI, FUNCTION STATS, WATCH, UNWATCH, DISCARD and RESET run their
 * handlers), anything else gets -BUSY, and inside MULTI that dooms the transaction (EXECABORT).
 *
 * <p>On the client's event loop, without the lock, only what touches nothing but the
 * connection (or what only the lock holder changes) runs; at the first of WATCH, UNWATCH, DISCARD
 * or RESET, which change state the running script shares, the rest of the batch is handed to the
 * script thread's queue, which the busy script's own count hook drains under the lock
 * ({@link #answerHeld}) — or the script thread, normally, if the script ended first.
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

    /** On the client's event loop, without the lock. */
    void answer(CommandContext ctx, List<byte[][]> batch) {
        Client client = ctx.client();
        for (int i = 0; i < batch.size(); i++) {
            byte[][] argv = batch.get(i);
            CommandSpec spec = runnable(client, argv);
            if (spec != null && needsLock(spec)) {
                client.held.addAll(batch.subList(i, batch.size()));
                server.scriptThread().handOff(ctx);
                return;
            }
            if (!answerOne(ctx, argv, spec)) {
                return;
            }
        }
    }

    /** On the thread running the busy script, which holds the lock: a handed-off client's held commands. */
    void answerHeld(CommandContext ctx) {
        Client client = ctx.client();
        byte[][] argv;
        while ((argv = client.held.pollFirst()) != null) {
            CommandSpec spec = runnable(client, argv);
            if (spec != null && needsLock(spec)) {
                run(ctx, spec, argv);
            } else if (!answerOne(ctx, argv, spec)) {
                client.held.clear();
                return;
            }
        }
    }

    /** The command's spec when it may run while a script is busy (allow_busy, arity, authentication), else null. */
    private CommandSpec runnable(Client client, byte[][] argv) {
        CommandSpec spec = commands.resolve(argv);
        boolean ok = spec != null && spec.has(CommandFlag.ALLOW_BUSY) && spec.arityAccepts(argv.length)
                && (client.authenticated() || spec.has(CommandFlag.NO_AUTH));
        return ok ? spec : null;
    }

    private static boolean needsLock(CommandSpec spec) {
        return switch (spec.fullName()) {
            case "watch", "unwatch", "discard", "reset" -> true;
            default -> false;
        };
    }

    /** One command that needs no lock (or a -BUSY); false when it ended the client's input (QUIT, SHUTDOWN NOSAVE). */
    private boolean answerOne(CommandContext ctx, byte[][] argv, CommandSpec spec) {
        Client client = ctx.client();
        if (client.isCloseAfterReply() || client.killed()) {
            return false;
        }
        Reply r = ctx.reply();
        switch (spec == null ? "" : spec.fullName()) {
            case "script|kill" -> scripts.kill(r, true);
            case "function|kill" -> scripts.kill(r, false);
            case "shutdown" -> {
                if (!hasNosave(argv)) {
                    reject(client, r); // shutdownCommand: only SHUTDOWN NOSAVE while a script is busy
                    return true;
                }
                scripts.killForShutdown();
                client.closeAfterReply();
                new Thread(server::shutdown, "keydb-shutdown").start();
                return false;
            }
            case "quit", "hello", "auth", "multi", "function|stats" -> run(ctx, spec, argv);
            default -> reject(client, r);
        }
        return !client.isCloseAfterReply();
    }

    /** Runs the handler itself: the dispatcher (statistics, MONITOR, tracking) is the busy script's now. */
    private static void run(CommandContext ctx, CommandSpec spec, byte[][] argv) {
        ctx.begin(spec, argv, System.currentTimeMillis());
        try {
            spec.handler().execute(ctx);
        } catch (CommandError e) {
            ctx.reply().error(e.getMessage());
        }
    }

    /** rejectCommand: -BUSY, and a transaction being queued is doomed. */
    private void reject(Client client, Reply r) {
        if (client.inMulti()) {
            client.multi().markFailed();
        }
        r.error(scripts.busyError());
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
