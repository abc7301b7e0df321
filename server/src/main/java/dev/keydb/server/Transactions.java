package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;

/** MULTI/EXEC/DISCARD/WATCH/UNWATCH with Redis 7 semantics (multi.c). Runs under the lock. */
public final class Transactions {
    private final Server server;

    Transactions(Server server) {
        this.server = server;
    }

    public void multi(CommandContext c) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        c.client().beginMulti();
        c.reply().ok();
    }

    public void discard(CommandContext c) {
        if (!c.client().inMulti()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        c.client().endMulti();
        server.watches().unwatchAll(c.client());
        c.reply().ok();
    }

    public void watch(CommandContext c) {
        if (c.client().inMulti()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        // Watching an already dirty transaction is pointless: Redis skips it (and still replies OK).
        if (!c.client().watchDirty) {
            Database db = c.db();
            for (int i = 1; i < c.argc(); i++) {
                server.watches().watch(c.client(), db.id(), c.arg(i), isLogicallyExpired(db, c.arg(i), c.now()));
            }
        }
        c.reply().ok();
    }

    public void unwatch(CommandContext c) {
        server.watches().unwatchAll(c.client());
        c.reply().ok();
    }

    public void exec(CommandContext c) {
        Client client = c.client();
        if (!client.inMulti()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        // A transaction with a script may run long: it runs where long scripts do (ScriptThread).
        if (client.multi().queuesScript() && !client.multi().failed() && c.moveToScriptThread()) {
            return;
        }
        Transaction t = client.endMulti();
        boolean watchFailed = client.watchDirty || watchedKeyExpired(c);
        server.watches().unwatchAll(client);
        if (t.failed()) {
            throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
        }
        if (watchFailed) {
            c.reply().nullArray();
            return;
        }
        c.reply().array(t.queued().size());
        client.executingMulti = true;
        try {
            for (byte[][] argv : t.queued()) {
                server.dispatcher().execute(c, argv);
            }
        } finally {
            client.executingMulti = false;
        }
    }

    /** A watched key that was alive at WATCH and is logically expired now fails EXEC (isWatchedKeyExpired). */
    private boolean watchedKeyExpired(CommandContext c) {
        for (Watches.Watched w : c.client().watched()) {
            if (!w.expiredWhenWatched() && isLogicallyExpired(server.keyspace().db(w.db()), w.key(), c.now())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLogicallyExpired(Database db, byte[] key, long now) {
        long when = db.expireAt(key);
        return when != ExpireTable.NONE && when <= now;
    }
}
