package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.NO_ASYNC_LOADING;
import static dev.keydb.server.command.CommandFlag.NO_MULTI;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.Persistence;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.storage.AccessClock;
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.rdb.RdbException;
import dev.keydb.storage.rdb.RdbReader;
import dev.keydb.storage.rdb.RdbWriter;
import java.io.IOException;

/**
 * RDB persistence commands (Redis's rdb.c and the DUMP/RESTORE half of cluster.c): SAVE,
 * BGSAVE (a forkless snapshot written by a background thread), LASTSAVE, DUMP and RESTORE.
 */
public final class PersistenceCommands implements CommandFamily {
    /** Redis's shared.err: a bare "-ERR". */
    private static final CommandError BARE_ERR = new CommandError("ERR");
    private static final CommandError BGSAVE_RUNNING = new CommandError("ERR Background save already in progress");
    private static final CommandError BUSYKEY = new CommandError("BUSYKEY Target key name already exists.");
    private static final CommandError BAD_PAYLOAD = new CommandError("ERR DUMP payload version or checksum are wrong");
    private static final CommandError BAD_FORMAT = new CommandError("ERR Bad data format");
    private static final CommandError BAD_TTL = new CommandError("ERR Invalid TTL value, must be >= 0");
    private static final CommandError BAD_IDLETIME = new CommandError("ERR Invalid IDLETIME value, must be >= 0");
    private static final CommandError BAD_FREQ = new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");

    private static final String SERIALIZE_COMPLEXITY = "O(1) to access the key and additional O(N*M) to serialize it, where N is the number "
            + "of Redis objects composing the value and M their average size. For small string values the time complexity is thus "
            + "O(1)+O(1*M) where M is small, so simply O(1).";
    private static final String RESTORE_COMPLEXITY = "O(1) to create the new key and additional O(N*M) to reconstruct the serialized "
            + "value, where N is the number of Redis objects composing the value and M their average size. For small string values "
            + "the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity "
            + "is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).";

    @Override
    public void register(CommandTable t) {
        String ks = "keyspace";
        t.add(command("save", 1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).group("server")
                .doc("1.0.0", "O(N) where N is the total number of keys in all databases",
                        "Synchronously saves the database(s) to disk.").run(this::save));
        t.add(command("bgsave", -1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING).group("server")
                .doc("1.0.0", "O(1)", "Asynchronously saves the database(s) to disk.").run(this::bgsave));
        t.add(command("lastsave", 1).flags(LOADING, STALE, FAST).acl("admin", "dangerous").group("server")
                .doc("1.0.0", "O(1)", "Returns the Unix timestamp of the last successful save to disk.").run(this::lastsave));
        t.add(command("dump", 2).flags(READONLY).keys(1, 1, 1).acl(ks).group("generic")
                .doc("2.6.0", SERIALIZE_COMPLEXITY, "Returns a serialized representation of the value stored at a key.").run(this::dump));
        t.add(command("restore", -4).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(ks, "dangerous").group("generic")
                .doc("2.6.0", RESTORE_COMPLEXITY, "Creates a key from the serialized representation of a value.").run(this::restore));
    }

    private void save(CommandContext c) {
        if (c.server().persistence().bgsaveInProgress()) {
            throw BGSAVE_RUNNING;
        }
        try {
            c.server().persistence().save();
        } catch (IOException | RuntimeException e) {
            throw BARE_ERR;
        }
        c.reply().ok();
    }

    /** BGSAVE [SCHEDULE], as Redis 7.0's bgsaveCommand; inside MULTI it is always scheduled. */
    private void bgsave(CommandContext c) {
        boolean schedule = false;
        if (c.argc() > 1) {
            if (c.argc() == 2 && c.argIs(1, "schedule")) {
                schedule = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Persistence p = c.server().persistence();
        if (p.bgsaveInProgress()) {
            throw BGSAVE_RUNNING;
        }
        if (c.client().executingMulti() || c.server().aof().rewriteInProgress()) {
            if (!schedule && !c.client().executingMulti()) {
                throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                        + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            }
            p.scheduleBgsave();
            c.reply().simple("Background saving scheduled");
            return;
        }
        p.startBgsave();
        c.reply().simple("Background saving started");
    }

    private void lastsave(CommandContext c) {
        c.reply().integer(c.server().persistence().lastSave());
    }

    private void dump(CommandContext c) {
        Object v = c.readKey(c.arg(1));
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        byte[] payload;
        try {
            payload = RdbWriter.dump(v, c.server().config().rdbcompression);
        } catch (UnsupportedOperationException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.reply().bulk(payload);
    }

    private void restore(CommandContext c) {
        boolean replace = false, absttl = false;
        long idle = -1, freq = -1;
        for (int j = 4; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "absttl")) {
                absttl = true;
            } else if (c.argIs(j, "idletime") && more && freq == -1) {
                idle = c.longArg(j + 1);
                if (idle < 0) {
                    throw BAD_IDLETIME;
                }
                j++;
            } else if (c.argIs(j, "freq") && more && idle == -1) {
                freq = c.longArg(j + 1);
                if (freq < 0 || freq > 255) {
                    throw BAD_FREQ;
                }
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        Database db = c.db();
        if (!replace && c.writeKey(key) != null) {
            throw BUSYKEY;
        }
        long ttl = c.longArg(2);
        if (ttl < 0) {
            throw BAD_TTL;
        }
        byte[] payload = c.arg(3);
        if (!RdbReader.verifyPayload(payload, c.server().verifyChecksums())) {
            throw BAD_PAYLOAD;
        }
        Object value;
        try {
            value = RdbReader.restore(payload, c.server().persistence().limits());
        } catch (RdbException e) {
            throw BAD_FORMAT;
        }
        boolean deleted = replace && c.writeKey(key) != null && db.delete(key);
        if (ttl != 0 && !absttl) {
            ttl += c.now();
        }
        if (ttl != 0 && ttl <= c.now()) {
            // Already expired: the key is not created (and a replaced one is gone).
            if (deleted) {
                c.changed(key, KeyspaceEvents.GENERIC, "del");
                c.propagateAs(dev.keydb.server.command.Propagated.serverDelete(c), key);
            }
            c.reply().ok();
            return;
        }
        if (ttl != 0 && !absttl) {
            // Propagated with the absolute TTL (restoreCommand): RESTORE key <ms> payload ... ABSTTL.
            byte[][] argv = java.util.Arrays.copyOf(c.argv(), c.argc() + 1);
            argv[2] = CommandContext.bytes(ttl);
            argv[c.argc()] = dev.keydb.server.command.Propagated.ABSTTL;
            c.propagateAs(argv);
        }
        db.set(key, value, c.now(), ttl == 0 ? ExpireTable.NONE : ttl);
        // objectSetLRUOrLFU: the hint that matches the policy in force is kept, the other ignored.
        var clock = c.server().keyspace().accessClock();
        if (idle >= 0 && !clock.lfu()) {
            db.setClock(key, AccessClock.idleFor(idle, c.now()));
        } else if (freq >= 0 && clock.lfu()) {
            db.setClock(key, clock.withFrequency((int) freq, c.now()));
        }
        c.changed(key, KeyspaceEvents.GENERIC, "restore");
        c.reply().ok();
    }
}
