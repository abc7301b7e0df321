package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.types.HashValue;

/**
 * KeyDB's own commands outside Redis's families: KEYDB.MEXISTS (db.cpp mexistsCommand) and
 * KEYDB.HRENAME (t_hash.cpp hrenameCommand), with KeyDB's replies and errors.
 */
public final class KeyDbCommands implements CommandFamily {
    private static final CommandError NO_FIELD = new CommandError("ERR hash key doesn't exist");

    @Override
    public void register(CommandTable t) {
        t.add(command("keydb.mexists", -2).flags(READONLY, FAST).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("6.0.0", "O(N) where N is the number of keys to check.",
                        "Determines whether each of the keys exists, one boolean per key.").run(this::mexists));
        t.add(command("keydb.hrename", 4).flags(WRITE, FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("6.0.0", "O(1)", "Renames a field of a hash, keeping its value.").run(this::hrename));
    }

    /** KEYDB.MEXISTS key [key ...]: per key 1 or 0 (true or false in RESP3), a lookup that counts hits and misses. */
    private void mexists(CommandContext c) {
        Reply r = c.reply();
        r.array(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            r.bool(c.readKey(c.arg(i)) != null);
        }
    }

    /**
     * KEYDB.HRENAME key oldfield newfield: moves the value of {@code oldfield} to
     * {@code newfield} (replacing what it held) and answers 1; a null for a missing key,
     * "hash key doesn't exist" for a missing field.
     */
    private void hrename(CommandContext c) {
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        if (!(v instanceof HashValue h)) {
            throw CommandError.WRONGTYPE;
        }
        byte[] value = h.get(c.arg(2));
        if (value == null) {
            throw NO_FIELD;
        }
        h.remove(c.arg(2));
        h.put(c.arg(3), value, c.server().config().hashMaxListpackEntries, c.server().config().hashMaxListpackValue);
        c.reply().integer(1);
        c.changed(key, KeyspaceEvents.HASH, "hrename");
    }
}
