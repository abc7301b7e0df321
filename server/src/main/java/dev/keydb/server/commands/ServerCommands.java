package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.ALLOW_BUSY;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.NO_MULTI;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;

/** Server commands: SHUTDOWN, TIME, ROLE. */
public final class ServerCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        String g = "server";
        t.add(command("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY).group(g)
                .doc("1.0.0", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
                        "Synchronously saves the database(s) to disk and shuts down the Redis server.").run(this::shutdown));
        // Replication is not there yet: a server is always a master without replicas (INFO replication says the same).
        t.add(command("role", 1).flags(NOSCRIPT, LOADING, STALE, FAST).acl("admin", "dangerous").group(g)
                .doc("2.8.12", "O(1)", "Return the role of the instance in the context of replication")
                .run(c -> {
                    c.reply().array(3);
                    c.reply().bulk("master");
                    c.reply().integer(0);
                    c.reply().array(0);
                }));
        t.add(command("time", 1).flags(LOADING, STALE, FAST).group(g)
                .doc("2.6.0", "O(1)", "Returns the server time.").run(this::time));
    }

    private void shutdown(CommandContext c) {
        boolean save = false, nosave = false, force = false;
        for (int j = 1; j < c.argc(); j++) {
            if (!(c.argIs(j, "nosave") || c.argIs(j, "save") || c.argIs(j, "now") || c.argIs(j, "force") || c.argIs(j, "abort"))) {
                throw CommandError.SYNTAX;
            }
            save |= c.argIs(j, "save");
            nosave |= c.argIs(j, "nosave");
            force |= c.argIs(j, "force");
            if (c.argIs(j, "abort")) {
                throw new CommandError("ERR No shutdown in progress.");
            }
        }
        if (save && nosave) {
            throw CommandError.SYNTAX;
        }
        try {
            c.server().persistence().saveForShutdown(save, nosave);
        } catch (java.io.IOException | RuntimeException e) {
            if (!force) {
                dev.keydb.server.Log.warning("Error trying to save the DB, can't exit.");
                throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
            }
        }
        // Stopping the event loops cannot happen on one of them; the connection closes without a reply, as Redis.
        c.client().closeAfterReply();
        Thread t = new Thread(c.server()::shutdown, "keydb-shutdown");
        t.start();
    }

    private void time(CommandContext c) {
        java.time.Instant now = java.time.Instant.now();
        c.reply().array(2);
        c.reply().bulk(Long.toString(now.getEpochSecond()));
        c.reply().bulk(Long.toString(now.getNano() / 1000));
    }
}
