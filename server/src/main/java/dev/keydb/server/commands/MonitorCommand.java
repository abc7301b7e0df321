package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Client;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;

/**
 * MONITOR (Redis's monitorCommand): the connection receives every command the server executes
 * from then on, as one status line each (see {@link dev.keydb.server.Monitors}). Like Redis, a
 * monitor is flagged as a replica: it may still run PING, INFO, QUIT, RESET and the like, but
 * commands that read, write or may replicate are refused; RESET ends monitor mode.
 */
public final class MonitorCommand implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
                .doc("1.0.0", null, "Listen for all requests received by the server in real time").run(this::monitor));
    }

    private void monitor(CommandContext c) {
        Client client = c.client();
        // Inside EXEC a client expects one reply per command: Redis's CLIENT_DENY_BLOCKING refusal.
        if (client.executingMulti()) {
            throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        // Already a monitor: Redis ignores the command without replying.
        if (c.server().dispatcher().monitors().add(client)) {
            c.reply().ok();
        }
    }
}
