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
import dev.keydb.storage.Numbers;
import dev.keydb.storage.Strings;
import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.NestedHashValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * KeyDB's own commands outside Redis's families: KEYDB.MEXISTS (db.cpp mexistsCommand),
 * KEYDB.HRENAME (t_hash.cpp hrenameCommand), the nested hashes KEYDB.NHSET/KEYDB.NHGET
 * (t_nhash.cpp) and the scheduled scripts of KEYDB.CRON (cron.cpp), with KeyDB's replies and
 * errors.
 */
public final class KeyDbCommands implements CommandFamily {
    private static final CommandError NO_FIELD = new CommandError("ERR hash key doesn't exist");
    /** Redis's shared.nokeyerr, what KeyDB answers for a path that leads nowhere. */
    private static final CommandError NO_KEY = new CommandError("ERR no such key");

    @Override
    public void register(CommandTable t) {
        t.add(command("keydb.mexists", -2).flags(READONLY, FAST).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("6.0.0", "O(N) where N is the number of keys to check.",
                        "Determines whether each of the keys exists, one boolean per key.").run(this::mexists));
        t.add(command("keydb.hrename", 4).flags(WRITE, FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("6.0.0", "O(1)", "Renames a field of a hash, keeping its value.").run(this::hrename));
        // KeyDB flags KEYDB.NHSET read-only; here it is a write, so that it replicates and reaches the AOF.
        t.add(command("keydb.nhget", -2).flags(READONLY, FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("6.0.0", "O(N) where N is the size of the value read",
                        "Reads a nested hash value by its dotted path, as RESP or JSON.").run(this::nhget));
        t.add(command("keydb.nhset", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("6.0.0", "O(D) where D is the depth of the path",
                        "Sets a string or list at a dotted path of nested hashes, creating the buckets on the way.").run(this::nhset));
        t.add(command("keydb.cron", -5).flags(WRITE, DENYOOM).keys(1, 1, 1).group("scripting")
                .doc("6.0.0", "O(N) where N is the number of keys and arguments",
                        "Schedules a Lua script to run once or repeatedly, stored as a key.").run(this::cron));
    }

    // ---- KEYDB.CRON (cron.cpp) ----------------------------------------------------------------------

    /**
     * KEYDB.CRON name SINGLE|REPEAT [start_ms] interval_ms script [numkeys [key ...] [arg ...]]
     * (cronCommand): stores the job as the value of {@code name} (replacing what it held, TTL
     * included) and answers OK. A number after the interval makes the two start and interval;
     * without a start the first run is one interval from now. The server cron runs it, see
     * {@link dev.keydb.server.CronJobs}.
     */
    private void cron(CommandContext c) {
        boolean single;
        if (c.argIs(2, "single")) {
            single = true;
        } else if (c.argIs(2, "repeat")) {
            single = false;
        } else {
            throw CommandError.SYNTAX;
        }
        long interval = c.longArg(3, "ERR missing expire time");
        long start = c.now();
        int script = 4;
        Long second = Numbers.parseLongOrNull(c.arg(4));
        if (second != null) {
            start = interval;
            interval = second;
            script++;
        }
        if (interval <= 0) {
            throw new CommandError("ERR interval must be positive");
        }
        if (script >= c.argc()) {
            throw c.wrongArity();
        }
        long numkeys = 0;
        int keysFrom = script + 2;
        if (c.argc() > script + 1) {
            numkeys = c.longArg(script + 1);
            if (numkeys < 0 || c.argc() < keysFrom + numkeys) {
                throw new CommandError("ERR Missing arguments or numkeys is too big");
            }
        }
        int argsFrom = Math.min(c.argc(), keysFrom + (int) numkeys);
        byte[][] keys = Arrays.copyOfRange(c.argv(), Math.min(keysFrom, argsFrom), argsFrom);
        byte[][] args = Arrays.copyOfRange(c.argv(), argsFrom, c.argc());
        byte[] name = c.arg(1);
        c.db().set(name, new CronJob(c.arg(script), single, start, interval, keys, args), c.now());
        c.server().cronJobs().scheduled(c.client().db(), name);
        c.reply().ok();
        // KeyDB's cronCommand signals the key (WATCH, tracking) but publishes no keyspace event.
        c.changed(name, 0, "keydb.cron");
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

    // ---- nested hashes (t_nhash.cpp) ----------------------------------------------------------------

    /** The segments of a dotted path; an empty segment is KeyDB's syntax error ("a..b", ".a", "a."). */
    private static List<byte[]> segments(byte[] path) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '.') {
                if (i == start) {
                    throw CommandError.SYNTAX;
                }
                out.add(Arrays.copyOfRange(path, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * KEYDB.NHSET path value [value ...] (nhsetCommand/setWithKey): stores one string, or a list
     * of the values, at the path's last segment, creating buckets for the segments before it
     * and replacing whatever else was there. The first segment is the key. Answers 1 when a
     * value was replaced, 0 when added. The key keeps its TTL, as KeyDB replaces in place.
     */
    private void nhset(CommandContext c) {
        List<byte[]> path = segments(c.arg(1));
        if (path.size() > NestedHashValue.MAX_DEPTH + 1) {
            throw new CommandError("ERR nested hash path deeper than " + NestedHashValue.MAX_DEPTH + " levels");
        }
        byte[] key = path.get(0);
        Database db = c.db();
        Object top = c.writeKey(key);
        boolean replaced;
        if (path.size() == 1) {
            Object value;
            if (c.argc() > 3) {
                ListValue l = new ListValue(c.server().config().listMaxListpackSize);
                for (int i = 2; i < c.argc(); i++) {
                    l.pushTail(c.arg(i));
                }
                value = l;
            } else {
                value = c.arg(2);
            }
            replaced = top != null;
            store(c, db, key, top, value);
        } else {
            NestedHashValue bucket;
            if (top instanceof NestedHashValue n) {
                bucket = n;
            } else {
                bucket = new NestedHashValue();
                store(c, db, key, top, bucket);
            }
            for (int i = 1; i < path.size() - 1; i++) {
                if (bucket.get(path.get(i)) instanceof NestedHashValue n) {
                    bucket = n;
                } else {
                    NestedHashValue inner = new NestedHashValue();
                    bucket.put(path.get(i), inner);
                    bucket = inner;
                }
            }
            Object value = c.argc() > 3 ? Arrays.copyOfRange(c.argv(), 2, c.argc()) : c.arg(2);
            replaced = bucket.put(path.get(path.size() - 1), value);
        }
        c.reply().integer(replaced ? 1 : 0);
        // KeyDB's nhsetCommand publishes no keyspace event; the key is still signalled (WATCH, tracking).
        c.changed(key, 0, "nhset");
    }

    /** Puts a new top-level value, keeping the TTL of the one it replaces. */
    private static void store(CommandContext c, Database db, byte[] key, Object old, Object value) {
        long ttl = old == null ? ExpireTable.NONE : db.expireAt(key);
        db.set(key, value, c.now());
        if (ttl != ExpireTable.NONE) {
            db.setExpire(key, ttl);
        }
    }

    /**
     * KEYDB.NHGET [JSON|RESP] path (nhgetCommand/fetchFromKey): the value at the path, as RESP
     * (a string as a bulk, a list as an array, a bucket as [name, value] pairs) or as JSON.
     * "no such key" when a segment is missing or the path goes past a string or list.
     */
    private void nhget(CommandContext c) {
        if (c.argc() != 2 && c.argc() != 3) {
            throw CommandError.SYNTAX;
        }
        boolean json = false;
        if (c.argc() == 3) {
            if (c.argIs(1, "json")) {
                json = true;
            } else if (!c.argIs(1, "resp")) {
                throw CommandError.SYNTAX;
            }
        }
        List<byte[]> path = segments(c.arg(c.argc() - 1));
        Object o = c.readKey(path.get(0));
        if (o == null) {
            throw NO_KEY;
        }
        if (Strings.isString(o)) {
            o = Strings.bytes(o);
        } else if (o instanceof ListValue l) {
            List<byte[]> items = new ArrayList<>();
            l.forEach((b, off, len) -> items.add(Arrays.copyOfRange(b, off, off + len)));
            o = items.toArray(new byte[0][]);
        } else if (!(o instanceof NestedHashValue)) {
            throw CommandError.WRONGTYPE;
        }
        for (int i = 1; i < path.size(); i++) {
            if (!(o instanceof NestedHashValue n) || (o = n.get(path.get(i))) == null) {
                throw NO_KEY;
            }
        }
        if (json) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeJson(out, o);
            c.reply().bulk(out.toByteArray());
        } else {
            writeResp(c.reply(), o);
        }
    }

    /**
     * writeNestedHashToClient: a bucket of more than one child is an array of [name, value]
     * pairs; a bucket of one child is that pair alone, as KeyDB writes it.
     */
    private static void writeResp(Reply r, Object o) {
        if (o instanceof byte[] b) {
            r.bulk(b);
        } else if (o instanceof byte[][] list) {
            r.array(list.length);
            for (byte[] e : list) {
                r.bulk(e);
            }
        } else {
            NestedHashValue n = (NestedHashValue) o;
            if (n.size() > 1) {
                r.array(n.size());
            }
            n.forEach((name, child) -> {
                r.array(2);
                r.bulk(name);
                writeResp(r, child);
            });
        }
    }

    /** writeNestedHashAsJson: strings quoted, lists as [..], buckets as {"name" : value,...}. */
    private static void writeJson(ByteArrayOutputStream out, Object o) {
        if (o instanceof byte[] b) {
            jsonString(out, b);
        } else if (o instanceof byte[][] list) {
            out.write('[');
            for (int i = 0; i < list.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                jsonString(out, list[i]);
            }
            out.write(']');
        } else {
            out.write('{');
            boolean[] first = {true};
            ((NestedHashValue) o).forEach((name, child) -> {
                if (!first[0]) {
                    out.write(',');
                }
                first[0] = false;
                jsonString(out, name);
                out.writeBytes(" : ".getBytes(StandardCharsets.US_ASCII));
                writeJson(out, child);
            });
            out.write('}');
        }
    }

    /**
     * writeJsonValue: '"' and '\\' get a backslash, control characters become "\\u" and their
     * code as printf's "%4x" (space padded, as KeyDB writes it). Bytes above 0x7f pass through
     * (KeyDB's signed-char test mangles them).
     */
    private static void jsonString(ByteArrayOutputStream out, byte[] s) {
        out.write('"');
        for (byte b : s) {
            if (b == '"' || b == '\\') {
                out.write('\\');
                out.write(b);
            } else if (b >= 0 && b <= 0x1f) {
                out.writeBytes(String.format("\\u%4x", b).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(b);
            }
        }
        out.write('"');
    }
}
