package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Runs one parsed command for a client: table lookup, subcommand resolution, arity and
 * authentication checks with Redis's error texts, then the handler, then statistics.
 * The caller holds the keyspace lock.
 */
public final class Dispatcher {
    private final Server server;
    private final CommandTable table;
    private final Monitors monitors;
    private final SlowLog slowlog;
    private final LatencyMonitor latency;

    Dispatcher(Server server, CommandTable table) {
        this.server = server;
        this.table = table;
        this.monitors = new Monitors(server);
        this.slowlog = new SlowLog(server);
        this.latency = new LatencyMonitor(server);
    }

    /** Clients in MONITOR mode. */
    public Monitors monitors() { return monitors; }
    /** SLOWLOG's entries. */
    public SlowLog slowlog() { return slowlog; }
    /** LATENCY's event time series. */
    public LatencyMonitor latency() { return latency; }

    /** stop-writes-on-bgsave-error's refusal, Redis's text. */
    private static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist "
            + "to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors "
            + "during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details "
            + "about the RDB error.";

    /**
     * Redis's writeCommandsDeniedByDiskError: writes (and PING) are refused while the last
     * background save failed (stop-writes-on-bgsave-error) or the AOF cannot be written.
     */
    private String diskError() {
        if (server.persistence().writesDeniedByDiskError()) {
            return MISCONF;
        }
        String aofError = server.aof().writeError();
        return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
    }

    /** A command nested in another (EXEC, a script, KEYDB.CRON) or replayed (AOF, a blocked client's retry). */
    public void execute(CommandContext ctx, byte[][] argv) {
        execute(ctx, argv, false);
    }

    /** A command a client sent: maxmemory is enforced first, as Redis's processCommand. */
    public void executeFromClient(CommandContext ctx, byte[][] argv) {
        execute(ctx, argv, true);
    }

    private void execute(CommandContext ctx, byte[][] argv, boolean fromClient) {
        Client client = ctx.client();
        Reply reply = ctx.reply();
        int mark = reply.buffer().writerIndex();
        Client.ReplyMode mode = client.replyMode();
        server.tracking().enter(ctx); // client-side caching: the current client (Redis's server.current_client)
        run(ctx, client, reply, argv, fromClient);
        if (ctx.moved()) {
            server.tracking().exit(ctx, argv);
            return; // it runs again on the script thread, reply modes and all
        }
        // CLIENT REPLY OFF/SKIP: the command ran, its reply is dropped; but CLIENT REPLY ON run
        // while OFF/SKIP is answered (+OK), as Redis clears the flag before replying.
        Client.ReplyMode after = client.replyMode();
        if ((mode == Client.ReplyMode.OFF || mode == Client.ReplyMode.SKIP) && after != Client.ReplyMode.ON) {
            reply.buffer().writerIndex(mark);
        }
        if (after == Client.ReplyMode.SKIP_NEXT) {
            client.replyMode(Client.ReplyMode.SKIP); // CLIENT REPLY SKIP: takes effect from the next command
        } else if (mode == Client.ReplyMode.SKIP && after == Client.ReplyMode.SKIP) {
            client.replyMode(Client.ReplyMode.ON); // the skipped command was this one
        }
        server.tracking().exit(ctx, argv); // the client's own invalidations follow its reply
    }

    private void run(CommandContext ctx, Client client, Reply reply, byte[][] argv, boolean fromClient) {
        CommandSpec spec = table.lookup(argv[0]);
        if (spec == null) {
            reject(null, client, reply, unknownCommand(argv));
            return;
        }
        if (!spec.subcommands().isEmpty() && argv.length >= 2) {
            CommandSpec sub = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
            if (sub == null) {
                reject(spec, client, reply, "ERR unknown subcommand '" + truncate(argv[1]) + "'. Try "
                        + new String(argv[0], StandardCharsets.UTF_8).toUpperCase(Locale.ROOT) + " HELP.");
                return;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(argv.length)) {
            reject(spec, client, reply, "ERR wrong number of arguments for '" + spec.fullName() + "' command");
            return;
        }
        if (!client.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            reject(spec, client, reply, "NOAUTH Authentication required.");
            return;
        }
        if (monitors.contains(client) && Monitors.touchesKeyspace(spec)) {
            reject(spec, client, reply, Monitors.KEYSPACE_DENIED);
            return;
        }
        if (fromClient && server.config().maxmemory > 0 && outOfMemoryFor(client, spec)) {
            reject(spec, client, reply, MaxMemory.OOM_ERROR);
            return;
        }
        if (spec.has(CommandFlag.WRITE) || spec.name().equals("ping")) {
            String diskError = diskError();
            if (diskError != null) {
                reject(spec, client, reply, diskError);
                return;
            }
        }
        if (client.protocol() == 2 && client.inSubscribedMode() && !allowedWhileSubscribed(spec)) {
            reject(spec, client, reply, "ERR Can't execute '" + spec.fullName()
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (client.inMulti() && !runsInsideMulti(spec)) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                reject(spec, client, reply, "ERR Command not allowed inside a transaction");
                return;
            }
            client.multi().queue(argv, spec.runsScript(), spec.has(CommandFlag.DENYOOM));
            reply.simple("QUEUED");
            return;
        }
        long start = System.nanoTime();
        ctx.begin(spec, argv, server.wallClock().millisAt(start));
        client.lastCommand = spec.fullName();
        long errorsBefore = server.stats().totalErrorReplies;
        // Values an open snapshot shares are copied before this command can change them.
        boolean outerMayModify = server.keyspace().commandMayModify(spec.mayModifyValues());
        Propagation propagation = server.propagation();
        propagation.enter();
        long dirtyBefore = server.propagatingDirty();
        int db = client.db();
        try {
            spec.handler().execute(ctx);
        } catch (CommandError e) {
            reply.error(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            Log.warning("Command " + spec.fullName() + " failed: " + e);
            reply.error("ERR internal error while running '" + spec.fullName() + "': " + e.getClass().getSimpleName());
        } finally {
            server.keyspace().commandMayModify(outerMayModify);
            // Redis's call(): a command that changed the dataset is propagated as executed (or as rewritten).
            if ((server.propagatingDirty() != dirtyBefore || ctx.propagationForced()) && !Propagation.propagatesEffectsOnly(spec)) {
                byte[][] as = ctx.propagatedArgv();
                if (as != null) {
                    propagation.add(db, as);
                }
            }
            propagation.exit();
        }
        if (ctx.moved()) {
            return; // counted when it runs on the script thread
        }
        if (server.stats().totalErrorReplies != errorsBefore) {
            spec.recordFailed();
        }
        server.tracking().remember(client, spec, argv); // keys a tracking client read (trackingRememberKeys)
        long nanos = System.nanoTime() - start;
        spec.recordCall(nanos / 1000);
        server.stats().commandsProcessed.increment();
        afterCall(ctx, client, spec, argv, nanos);
    }

    /**
     * What Redis's call() does after a command ran: latency histogram (latency-tracking),
     * latency monitor event, slow log — none of them while the command is blocked, its retry
     * that completes is what counts — and the MONITOR feed, once per command as the client sent it.
     */
    private void afterCall(CommandContext ctx, Client client, CommandSpec spec, byte[][] argv, long nanos) {
        if (!ctx.stillBlocked() && (ctx.retrying() || !client.blocked())) {
            if (server.config().latencyTracking) {
                spec.recordLatency(nanos);
            }
            latency.addSampleIfNeeded(spec.has(CommandFlag.FAST) ? "fast-command" : "command", nanos / 1_000_000);
            slowlog.push(client, spec, argv, nanos / 1000);
        }
        if (!monitors.isEmpty() && !ctx.retrying()) monitors.feed(client, ctx.reply(), spec, argv, client.db());
    }

    /** A command refused before running; inside MULTI it also dooms the transaction (EXECABORT). */
    private static void reject(CommandSpec spec, Client client, Reply reply, String error) {
        if (spec != null) {
            spec.recordRejected();
        }
        if (client.inMulti()) {
            client.multi().markFailed();
        }
        reply.error(error);
    }

    /**
     * Evicts as maxmemory needs; if memory is still over the limit, Redis refuses commands that
     * may add memory (denyoom), EXEC of a transaction that queued one, and anything queued into
     * a transaction (queueing grows memory too) but the commands that end it.
     */
    private boolean outOfMemoryFor(Client client, CommandSpec spec) {
        if (!server.maxMemory().beforeCommand()) {
            return false;
        }
        String name = spec.name();
        if (name.equals("exec")) {
            return client.inMulti() && client.multi().queuesDenyOom();
        }
        return spec.has(CommandFlag.DENYOOM) || client.inMulti() && !switch (name) {
            case "discard", "quit", "reset" -> true;
            default -> false;
        };
    }

    /** The commands MULTI runs at once instead of queueing, as Redis's processCommand. */
    private static boolean runsInsideMulti(CommandSpec spec) {
        return switch (spec.name()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    private static boolean allowedWhileSubscribed(CommandSpec spec) {
        return switch (spec.name()) {
            case "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe",
                 "ping", "quit", "reset" -> true;
            default -> false;
        };
    }

    /** Redis: "unknown command 'x', with args beginning with: 'a' 'b' ". */
    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            args.append('\'').append(a, 0, Math.min(a.length(), 128 - args.length())).append("' ");
        }
        return "ERR unknown command '" + truncate(argv[0]) + "', with args beginning with: " + args;
    }

    private static String truncate(byte[] arg) {
        String s = new String(arg, 0, Math.min(arg.length, 128), StandardCharsets.UTF_8);
        return s;
    }
}
