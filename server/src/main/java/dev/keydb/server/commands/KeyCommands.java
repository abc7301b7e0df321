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
