package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.storage.ValueType;

/** Generic keyspace commands (Redis's db.c): DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, ... */
public final class KeyCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        String g = "generic";
        t.add(command("del", -2).flags(WRITE).keys(1, -1, 1).acl("keyspace").group(g)
                .doc("1.0.0", "O(N) where N is the number of keys that will be removed.", "Deletes one or more keys.").run(this::del));
        t.add(command("exists", -2).flags(READONLY, FAST).keys(1, -1, 1).acl("keyspace").group(g)
                .doc("1.0.0", "O(N) where N is the number of keys to check.", "Determines whether one or more keys exist.").run(this::exists));
        t.add(command("type", 2).flags(READONLY, FAST).keys(1, 1, 1).acl("keyspace").group(g)
                .doc("1.0.0", "O(1)", "Determines the type of value stored at a key.").run(this::type));
        t.add(command("dbsize", 1).flags(READONLY, FAST).acl("keyspace").group("server")
                .doc("1.0.0", "O(1)", "Returns the number of keys in the database.").run(c -> c.reply().integer(c.db().size())));
        t.add(command("flushdb", -1).flags(WRITE).acl("keyspace", "dangerous").group("server")
                .doc("1.0.0", "O(N) where N is the number of keys in the selected database", "Remove all keys from the current database.")
                .run(c -> flush(c, false)));
        t.add(command("flushall", -1).flags(WRITE).acl("keyspace", "dangerous").group("server")
                .doc("1.0.0", "O(N) where N is the total number of keys in all databases", "Removes all keys from all databases.")
                .run(c -> flush(c, true)));
    }

    /**
     * FLUSHDB/FLUSHALL [ASYNC|SYNC]. Both modes drop the tables in O(1) here: the old tables
     * become garbage that the JVM's collector reclaims concurrently, which is what ASYNC buys in Redis.
     */
    private void flush(CommandContext c, boolean all) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.argIs(1, "async") && !c.argIs(1, "sync"))) {
            throw dev.keydb.server.command.CommandError.SYNTAX;
        }
        if (all) {
            c.server().keyspace().flushAll();
        } else {
            c.db().clear();
        }
        c.reply().ok();
    }

    private void del(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.writeKey(c.arg(i)) != null && c.db().delete(c.arg(i))) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void exists(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.db().exists(c.arg(i), c.now())) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void type(CommandContext c) {
        Object v = c.db().lookupNoTouch(c.arg(1), c.now());
        c.reply().simple(v == null ? "none" : ValueType.of(v).wireName());
    }
}
