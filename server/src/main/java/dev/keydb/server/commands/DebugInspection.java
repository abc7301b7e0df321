package dev.keydb.server.commands;

import dev.keydb.server.Log;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.storage.Database;
import dev.keydb.storage.OpenKeyTable;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.ZSetValue;
import java.util.Locale;

/**
 * DEBUG's looks at the low-level encodings: HTSTATS and HTSTATS-KEY (Redis's dictGetStats
 * text, for our open-addressing tables: a "chain" is the keys whose home bucket is the same
 * slot), LISTPACK and QUICKLIST (a description written to the log, as Redis prints to stdout).
 */
final class DebugInspection {
    private DebugInspection() {
    }

    /** DEBUG HTSTATS dbid: the key table's and the TTL table's statistics. */
    static void htstats(CommandContext c) {
        long id = c.longArg(2);
        if (id < 0 || id >= c.server().keyspace().databases()) {
            throw new CommandError("ERR Out of range database");
        }
        Database db = c.server().keyspace().db((int) id);
        c.reply().verbatim("[Dictionary HT]\n" + stats(db.keyTable()) + "[Expires HT]\n" + stats(db.expireTable()));
    }

    /** DEBUG HTSTATS-KEY key: the statistics of a hash, set or sorted set kept in a hash table. */
    static void htstatsKey(CommandContext c) {
        Object v = found(c);
        OpenKeyTable table = v instanceof HashValue h ? h.hashtable()
                : v instanceof SetValue s ? s.hashtable()
                : v instanceof ZSetValue z ? z.hashtable() : null;
        if (table == null) {
            throw new CommandError("ERR The value stored at the specified key is not represented using an hash table");
        }
        c.reply().verbatim(stats(table));
    }

    /** DEBUG LISTPACK key. */
    static void listpack(CommandContext c) {
        Object v = found(c);
        String encoding = v instanceof dev.keydb.storage.ValueType.Typed t ? t.encoding() : "";
        if (!encoding.equals("listpack")) {
            throw new CommandError("ERR Not a listpack encoded object.");
        }
        Log.notice("DEBUG LISTPACK " + c.argString(2) + ": " + ((dev.keydb.storage.ValueType.Typed) v).type().name().toLowerCase(Locale.ROOT)
                + " in a listpack, " + size(v) + " elements");
        c.reply().simple("Listpack structure printed on stdout");
    }

    /** DEBUG QUICKLIST key [level]. */
    static void quicklist(CommandContext c) {
        Object v = found(c);
        if (!(v instanceof ListValue l)) {
            throw new CommandError("ERR Not a quicklist encoded object.");
        }
        Log.notice("DEBUG QUICKLIST " + c.argString(2) + ": " + l.size() + " elements in " + l.nodeCount()
                + " listpack nodes (list-max-listpack-size " + l.fill() + ")");
        c.reply().simple("Quicklist structure printed on stdout");
    }

    /**
     * DEBUG SDSLEN key: Redis's fields for a string kept as bytes (an integer-encoded one is no
     * sds, as in Redis); here the key and value are byte arrays without spare room, and the
     * allocation is the array's heap footprint (16-byte header, 8-byte alignment).
     */
    static void sdslen(CommandContext c) {
        Object v = found(c);
        if (!(v instanceof byte[] val)) {
            throw new CommandError("ERR Not an sds encoded string.");
        }
        byte[] key = c.arg(2);
        c.reply().simple("key_sds_len:" + key.length + ", key_sds_avail:0, key_zmalloc: " + arrayBytes(key.length)
                + ", val_sds_len:" + val.length + ", val_sds_avail:0, val_zmalloc: " + arrayBytes(val.length));
    }

    private static long arrayBytes(int length) {
        return (16L + length + 7) & ~7L;
    }

    private static Object found(CommandContext c) {
        Object v = DebugCommands.peek(c.db(), c.arg(2));
        if (v == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        return v;
    }

    private static long size(Object v) {
        return v instanceof HashValue h ? h.size() : v instanceof ZSetValue z ? z.size() : v instanceof SetValue s ? s.size() : 0;
    }

    /** dictGetStats's text for one table (Redis 7.0: always with the chain length distribution). */
    static String stats(OpenKeyTable t) {
        StringBuilder b = new StringBuilder("Hash table 0 stats (main hash table):\n");
        if (t.size() == 0) {
            return b.append("No stats available for empty dictionaries\n").toString();
        }
        long[] chains = t.chainLengths();
        long slots = t.capacity() - chains[0];
        long max = 0;
        for (int i = chains.length - 1; i > 0; i--) {
            if (chains[i] > 0) {
                max = i;
                break;
            }
        }
        b.append(" table size: ").append(t.capacity()).append('\n')
                .append(" number of elements: ").append(t.size()).append('\n')
                .append(" different slots: ").append(slots).append('\n')
                .append(" max chain length: ").append(max).append('\n')
                .append(String.format(Locale.ROOT, " avg chain length (counted): %.02f\n", (float) t.size() / slots))
                .append(String.format(Locale.ROOT, " avg chain length (computed): %.02f\n", (float) t.size() / slots))
                .append(" Chain length distribution:\n");
        for (int i = 0; i < chains.length - 1; i++) {
            if (chains[i] > 0) {
                b.append(String.format(Locale.ROOT, "   %d: %d (%.02f%%)\n", i, chains[i], (float) chains[i] / t.capacity() * 100));
            }
        }
        return b.toString();
    }
}
