package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.DENYOOM;
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
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Glob;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.ValueType;
import dev.keydb.storage.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generic keyspace commands (Redis's db.c): DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY,
 * RENAME, RENAMENX, MOVE, COPY, SWAPDB, TOUCH, DBSIZE, FLUSHDB, FLUSHALL. OBJECT lives in
 * {@link ObjectCommand}, the TTL commands in {@link ExpireCommands}.
 */
public final class KeyCommands implements CommandFamily {
    /** Redis's shared.sameobjecterr. */
    static final CommandError SAME_OBJECT = new CommandError("ERR source and destination objects are the same");
    private static final CommandError INVALID_CURSOR = new CommandError("ERR invalid cursor");
    private static final CommandError FIRST_DB = new CommandError("ERR invalid first DB index");
    /** getRangeLongFromObjectOrReply's text for an int argument without a custom message. */
    private static final CommandError INT_RANGE =
            new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
    private static final CommandError SECOND_DB = new CommandError("ERR invalid second DB index");

    @Override
    public void register(CommandTable t) {
        String g = "generic";
        String ks = "keyspace";
        t.add(command("del", -2).flags(WRITE).keys(1, -1, 1).acl(ks).group(g)
                .doc("1.0.0", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
                        "Deletes one or more keys.").run(this::del));
        t.add(command("unlink", -2).flags(WRITE, FAST).keys(1, -1, 1).acl(ks).group(g)
                .doc("4.0.0", "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
                        "Asynchronously deletes one or more keys.").run(this::del));
        t.add(command("exists", -2).flags(READONLY, FAST).keys(1, -1, 1).acl(ks).group(g)
                .doc("1.0.0", "O(N) where N is the number of keys to check.", "Determines whether one or more keys exist.").run(this::exists));
        t.add(command("touch", -2).flags(READONLY, FAST).keys(1, -1, 1).acl(ks).group(g)
                .doc("3.2.1", "O(N) where N is the number of keys that will be touched.",
                        "Returns the number of existing keys out of those specified after updating the time they were last accessed.").run(this::touch));
        t.add(command("type", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Determines the type of value stored at a key.").run(this::type));
        t.add(command("keys", 2).flags(READONLY).acl(ks, "dangerous").group(g)
                .doc("1.0.0", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
                        "Returns all key names that match a pattern.").run(this::keys));
        t.add(command("scan", -2).flags(READONLY).acl(ks).group(g)
                .doc("2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
                        "Iterates over the key names in the database.").run(this::scan));
        t.add(command("randomkey", 1).flags(READONLY).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Returns a random key name from the database.").run(this::randomkey));
        t.add(command("rename", 3).flags(WRITE).keys(1, 2, 1).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Renames a key and overwrites the destination.").run(c -> rename(c, false)));
        t.add(command("renamenx", 3).flags(WRITE, FAST).keys(1, 2, 1).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Renames a key only when the target key name doesn't exist.").run(c -> rename(c, true)));
        t.add(command("move", 3).flags(WRITE, FAST).keys(1, 1, 1).acl(ks).group(g)
                .doc("1.0.0", "O(1)", "Moves a key to another database.").run(this::move));
        t.add(command("copy", -3).flags(WRITE, DENYOOM).keys(1, 2, 1).acl(ks).group(g)
                .doc("6.2.0", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
                        "Copies the value of a key to a new key.").run(this::copy));
        t.add(command("swapdb", 3).flags(WRITE, FAST).acl(ks, "dangerous").group("server")
                .doc("4.0.0", "O(N) where N is the count of clients watching or blocking on keys from both databases.",
                        "Swaps two Redis databases.").run(this::swapdb));
        t.add(command("dbsize", 1).flags(READONLY, FAST).acl(ks).group("server")
                .doc("1.0.0", "O(1)", "Returns the number of keys in the database.").run(c -> c.reply().integer(c.db().size())));
        t.add(command("flushdb", -1).flags(WRITE).acl(ks, "dangerous").group("server")
                .doc("1.0.0", "O(N) where N is the number of keys in the selected database", "Remove all keys from the current database.")
                .run(c -> flush(c, false)));
        t.add(command("flushall", -1).flags(WRITE).acl(ks, "dangerous").group("server")
                .doc("1.0.0", "O(N) where N is the total number of keys in all databases", "Removes all keys from all databases.")
                .run(c -> flush(c, true)));
    }

    /**
     * FLUSHDB/FLUSHALL [ASYNC|SYNC]. Both modes drop the tables in O(1) here: the old tables
     * become garbage that the JVM's collector reclaims concurrently, which is what ASYNC buys in Redis.
     */
    private void flush(CommandContext c, boolean all) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.argIs(1, "async") && !c.argIs(1, "sync"))) {
            throw CommandError.SYNTAX;
        }
        Keyspace keyspace = c.server().keyspace();
        c.server().signalFlushed(all ? -1 : c.db().id(), c.now());
        long removed = all ? keyspace.totalKeys() : c.db().size();
        if (all) {
            keyspace.flushAll();
        } else {
            c.db().clear();
        }
        c.server().addDirty(removed);
        c.forcePropagation(); // propagated even when nothing was there (Redis 7.0's forceCommandPropagation)
        if (all) {
            c.server().persistence().afterFlushAll();
        }
        c.reply().ok();
    }

    /** DEL and UNLINK: the JVM frees the dropped value concurrently either way. */
    private void del(CommandContext c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            // lookupNoTouch first so that an expired key counts as already gone (expireIfNeeded).
            if (db.lookupNoTouch(c.arg(i), c.now()) != null && db.delete(c.arg(i))) {
                c.changed(c.arg(i), KeyspaceEvents.GENERIC, "del");
                n++;
            }
        }
        c.reply().integer(n);
    }

    /**
     * Lookup without touching the access clock but with the keyspace hit/miss statistics, as
     * Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH) that EXISTS, TYPE and TTL use.
     */
    static Object readNoTouch(CommandContext c, byte[] key) {
        Object v = c.db().lookupNoTouch(key, c.now());
        if (v == null) {
            c.server().stats().keyspaceMisses++;
        } else {
            c.server().stats().keyspaceHits++;
        }
        return v;
    }

    /** EXISTS counts a key once per mention, as Redis. */
    private void exists(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (readNoTouch(c, c.arg(i)) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void touch(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.readKey(c.arg(i)) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void type(CommandContext c) {
        Object v = readNoTouch(c, c.arg(1));
        c.reply().simple(v == null ? "none" : ValueType.of(v).wireName());
    }

    /** KEYS: every live key matching the pattern; expired keys are skipped, not deleted (keyIsExpired). */
    private void keys(CommandContext c) {
        byte[] pattern = c.arg(1);
        boolean all = Glob.matchesAll(pattern);
        Database db = c.db();
        long now = c.now();
        List<byte[]> out = new ArrayList<>();
        for (byte[] key : db.keys()) {
            if ((all || Glob.matches(pattern, key)) && !isExpired(db, key, now)) {
                out.add(key);
            }
        }
        Reply r = c.reply();
        r.array(out.size());
        for (byte[] key : out) {
            r.bulk(key);
        }
    }

    private static boolean isExpired(Database db, byte[] key, long now) {
        long when = db.expireAt(key);
        return when != ExpireTable.NONE && when <= now;
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (db.c scanGenericCommand). */
    private void scan(CommandContext c) {
        long cursor = parseCursor(c.arg(1));
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < c.argc(); ) {
            boolean hasValue = c.argc() - i >= 2;
            if (c.argIs(i, "count") && hasValue) {
                count = c.longArg(i + 1);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
                i += 2;
            } else if (c.argIs(i, "match") && hasValue) {
                pattern = Glob.matchesAll(c.arg(i + 1)) ? null : c.arg(i + 1);
                i += 2;
            } else if (c.argIs(i, "type") && hasValue) {
                type = c.argString(i + 1);
                i += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Database db = c.db();
        List<byte[]> found = new ArrayList<>();
        // Redis: at most count*10 extra buckets per call, so sparse tables cannot stall the server.
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        do {
            cursor = db.scan(cursor, found::add);
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        // Filter after iterating: lazy expiry below may modify the table.
        List<byte[]> out = new ArrayList<>(found.size());
        for (byte[] key : found) {
            if (pattern != null && !Glob.matches(pattern, key)) {
                continue;
            }
            Object v = db.lookupNoTouch(key, c.now());
            if (v == null) {
                continue; // expired (and now deleted) or removed meanwhile
            }
            if (type != null && !type.equalsIgnoreCase(ValueType.of(v).wireName())) {
                continue;
            }
            out.add(key);
        }
        Reply r = c.reply();
        r.array(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.array(out.size());
        for (byte[] key : out) {
            r.bulk(key);
        }
    }

    /**
     * A SCAN cursor as Redis parses it with strtoul: an optional sign then decimal digits, the
     * whole argument, no leading space; a negative value wraps around as an unsigned long; an
     * empty argument is cursor 0. Anything else, or more than 64 bits, is "invalid cursor".
     */
    static long parseCursor(byte[] s) {
        if (s.length == 0) {
            return 0;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '+' || s[0] == '-') {
            negative = s[0] == '-';
            i = 1;
        }
        if (i == s.length) {
            throw INVALID_CURSOR;
        }
        long v = 0;
        for (; i < s.length; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                throw INVALID_CURSOR;
            }
            // Unsigned overflow check of v * 10 + d.
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw INVALID_CURSOR;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private void randomkey(CommandContext c) {
        c.reply().bulk(c.db().randomKey(c.now(), ThreadLocalRandom.current()));
    }

    /** RENAME/RENAMENX (db.c renameGenericCommand): the TTL moves with the value. */
    private void rename(CommandContext c, boolean nx) {
        byte[] src = c.arg(1), dst = c.arg(2);
        Object v = c.writeKey(src);
        if (v == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        if (Arrays.equals(src, dst)) {
            if (nx) {
                c.reply().integer(0);
            } else {
                c.reply().ok();
            }
            return;
        }
        Database db = c.db();
        long expire = db.expireAt(src);
        if (c.writeKey(dst) != null) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.delete(dst);
            c.changed(dst, KeyspaceEvents.GENERIC, "del");
        }
        db.delete(src);
        db.set(dst, v, c.now(), expire);
        c.changed(src, KeyspaceEvents.GENERIC, "rename_from");
        c.changed(dst, KeyspaceEvents.GENERIC, "rename_to");
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    /** A DB index argument as getIntFromObjectOrReply reads it (int range first), then range-checked. */
    private static Database dbArg(CommandContext c, int i) {
        long id = c.longArg(i);
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
            throw INT_RANGE;
        }
        Keyspace keyspace = c.server().keyspace();
        if (id < 0 || id >= keyspace.databases()) {
            throw CommandError.DB_INDEX;
        }
        return keyspace.db((int) id);
    }

    private void move(CommandContext c) {
        Database src = c.db();
        Database dst = dbArg(c, 2);
        if (src == dst) {
            throw SAME_OBJECT;
        }
        byte[] key = c.arg(1);
        Object v = c.writeKey(key);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long expire = src.expireAt(key);
        if (dst.lookup(key, c.now()) != null) {
            c.reply().integer(0);
            return;
        }
        src.delete(key);
        dst.set(key, v, c.now(), expire);
        c.changed(key, KeyspaceEvents.GENERIC, "move_from");
        c.server().keyChanged(dst.id(), key, KeyspaceEvents.GENERIC, "move_to");
        c.reply().integer(1);
    }

    /** COPY source destination [DB destination-db] [REPLACE]: a deep copy, TTL included. */
    private void copy(CommandContext c) {
        Database src = c.db();
        Database dst = src;
        boolean replace = false;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "db") && j + 1 < c.argc()) {
                dst = dbArg(c, j + 1);
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1), newKey = c.arg(2);
        if (src == dst && Arrays.equals(key, newKey)) {
            throw SAME_OBJECT;
        }
        Object v = c.readKey(key);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long expire = src.expireAt(key);
        if (dst.lookup(newKey, c.now()) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            dst.delete(newKey);
        }
        dst.set(newKey, Values.copy(v), c.now(), expire);
        c.server().keyChanged(dst.id(), newKey, KeyspaceEvents.GENERIC, "copy_to");
        c.reply().integer(1);
    }

    private void swapdb(CommandContext c) {
        long a = c.longArg(1, FIRST_DB.getMessage());
        if (a < Integer.MIN_VALUE || a > Integer.MAX_VALUE) {
            throw FIRST_DB;
        }
        long b = c.longArg(2, SECOND_DB.getMessage());
        if (b < Integer.MIN_VALUE || b > Integer.MAX_VALUE) {
            throw SECOND_DB;
        }
        Keyspace keyspace = c.server().keyspace();
        if (a < 0 || a >= keyspace.databases() || b < 0 || b >= keyspace.databases()) {
            throw CommandError.DB_INDEX;
        }
        // WATCHed keys whose existence the swap changes are invalidated (touchWatchedKeysOnSwap).
        Database da = keyspace.db((int) a), dbb = keyspace.db((int) b);
        c.server().watches().touchWhere((int) a, key -> da.exists(key, c.now()) || dbb.exists(key, c.now()));
        c.server().watches().touchWhere((int) b, key -> da.exists(key, c.now()) || dbb.exists(key, c.now()));
        keyspace.swap((int) a, (int) b);
        c.server().addDirty(1);
        c.reply().ok();
    }
}
