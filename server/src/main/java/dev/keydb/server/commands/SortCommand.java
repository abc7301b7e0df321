package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Strings;
import dev.keydb.storage.types.HashValue;
import dev.keydb.storage.types.ListValue;
import dev.keydb.storage.types.SetValue;
import dev.keydb.storage.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets. */
public final class SortCommand implements CommandFamily {
    private static final CommandError NOT_DOUBLE = new CommandError("ERR One or more scores can't be converted into double");

    @Override
    public void register(CommandTable t) {
        String cx = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
        t.add(command("sort", -2).flags(WRITE, DENYOOM).keys(1, 1, 1).movableKeys(SortCommand::sortKeys).acl("set", "sortedset", "list", "dangerous").group("generic")
                .doc("1.0.0", cx, "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.")
                .run(c -> sort(c, false)));
        t.add(command("sort_ro", -2).flags(READONLY).keys(1, 1, 1).movableKeys(SortCommand::sortKeys).acl("set", "sortedset", "list", "dangerous").group("generic")
                .doc("7.0.0", cx, "Returns the sorted elements of a list, a set, or a sorted set.")
                .run(c -> sort(c, true)));
    }

    /** One element being sorted, with its weight (score or comparison string). */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] cmp;

        Item(byte[] element) {
            this.element = element;
        }
    }

    private static void sort(CommandContext c, boolean readOnly) {
        boolean desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[] by = null, store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.argIs(j, "asc")) {
                desc = false;
            } else if (c.argIs(j, "desc")) {
                desc = true;
            } else if (c.argIs(j, "alpha")) {
                alpha = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                limitStart = c.longArg(j + 1);
                limitCount = c.longArg(j + 2);
                j += 2;
            } else if (c.argIs(j, "store") && left >= 1 && !readOnly) {
                store = c.arg(++j);
            } else if (c.argIs(j, "by") && left >= 1) {
                by = c.arg(++j);
                // A pattern without '*' means "do not sort" (BY nosort).
                if (indexOf(by, (byte) '*', 0) < 0) {
                    dontSort = true;
                }
            } else if (c.argIs(j, "get") && left >= 1) {
                gets.add(c.arg(++j));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Object value = c.readKey(c.arg(1));
        if (value != null && !(value instanceof ListValue || value instanceof SetValue || value instanceof ZSetValue)) {
            throw CommandError.WRONGTYPE;
        }
        // An unsorted set has no stable order: when stored, Redis sorts it alphabetically instead.
        if (dontSort && value instanceof SetValue && store != null) {
            dontSort = false;
            alpha = true;
            by = null;
        }
        List<Item> items = load(value, dontSort, desc, limitStart, limitCount);
        if (!dontSort) {
            weigh(c, items, by, alpha);
            Comparator<Item> cmp = alpha ? alphaOrder(by != null) : SortCommand::numericOrder;
            items.sort(desc ? cmp.reversed() : cmp);
        }
        int n = items.size();
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? n - 1 : start + limitCount - 1;
        if (start >= n) {
            start = n - 1;
            end = n - 2;
        }
        if (end >= n) {
            end = n - 1;
        }
        if (dontSort && value instanceof ZSetValue) {
            // The zset range was already cut to the LIMIT when it was loaded.
            start = 0;
            end = n - 1;
        }
        List<byte[]> out = new ArrayList<>();
        for (long i = start; i <= end; i++) {
            byte[] element = items.get((int) i).element;
            if (gets.isEmpty()) {
                out.add(element);
            } else {
                for (byte[] pattern : gets) {
                    out.add(lookupByPattern(c, pattern, element));
                }
            }
        }
        if (store == null) {
            Reply r = c.reply();
            r.array(out.size());
            for (byte[] o : out) {
                r.bulk(o);
            }
            return;
        }
        if (out.isEmpty()) {
            if (c.db().delete(store)) {
                c.changed(store, KeyspaceEvents.GENERIC, "del");
            }
        } else {
            ListValue list = new ListValue(c.server().config().listMaxListpackSize);
            for (byte[] o : out) {
                list.pushTail(o == null ? new byte[0] : o);
            }
            c.db().set(store, list, c.now());
            c.changed(store, KeyspaceEvents.LIST, "sortstore");
        }
        c.reply().integer(out.size());
    }

    private static List<Item> load(Object value, boolean dontSort, boolean desc, long limitStart, long limitCount) {
        List<Item> items = new ArrayList<>();
        if (value instanceof ListValue l) {
            for (byte[] e : l.toArray()) {
                items.add(new Item(e));
            }
        } else if (value instanceof SetValue s) {
            s.forEach(e -> items.add(new Item(e)));
        } else if (value instanceof ZSetValue z && z.size() > 0) {
            long from = 0, to = z.size() - 1;
            if (dontSort) {
                // Without sorting, only the LIMIT range of the zset's own order is needed.
                from = Math.max(0, limitStart);
                to = limitCount < 0 ? z.size() - 1 : Math.min(z.size() - 1, from + limitCount - 1);
                if (from >= z.size()) {
                    return items;
                }
            }
            boolean reverse = dontSort && desc;
            if (reverse) {
                // DESC without sorting walks from the highest rank: mirror the rank window.
                long n = z.size();
                long f = n - 1 - to;
                to = n - 1 - from;
                from = f;
            }
            z.range(from, to, reverse, (m, sc) -> items.add(new Item(m)));
        }
        return items;
    }

    private static void weigh(CommandContext c, List<Item> items, byte[] by, boolean alpha) {
        for (Item it : items) {
            byte[] w = by == null ? it.element : lookupByPattern(c, by, it.element);
            if (alpha) {
                it.cmp = w;
            } else if (w != null) {
                it.score = parseScore(w);
            }
        }
    }

    /** strtod as sort.c uses it: the whole string must be a number, and NaN is refused. */
    private static double parseScore(byte[] w) {
        String s = new String(w, StandardCharsets.US_ASCII).stripLeading();
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d) || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")) {
                throw NOT_DOUBLE;
            }
            return d;
        } catch (NumberFormatException e) {
            switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "inf", "+inf", "infinity", "+infinity":
                    return Double.POSITIVE_INFINITY;
                case "-inf", "-infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    throw NOT_DOUBLE;
            }
        }
    }

    private static int numericOrder(Item a, Item b) {
        int cmp = Double.compare(a.score, b.score);
        if (a.score == b.score) {
            cmp = 0; // -0.0 == 0.0 as in C; ties break on the element bytes
        }
        return cmp != 0 ? cmp : Arrays.compareUnsigned(a.element, b.element);
    }

    private static Comparator<Item> alphaOrder(boolean byPattern) {
        if (!byPattern) {
            return (a, b) -> Arrays.compareUnsigned(a.element, b.element);
        }
        return (a, b) -> {
            if (a.cmp == null || b.cmp == null) {
                return a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
            }
            return Arrays.compareUnsigned(a.cmp, b.cmp);
        };
    }

    /**
     * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is
     * replaced by the element and the result names a string key, or with "->field" a hash field.
     * Null when missing or of another type.
     */
    static byte[] lookupByPattern(CommandContext c, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = indexOfArrow(pattern, star + 1);
        int keyEnd = arrow >= 0 && arrow + 2 < pattern.length ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Object v = c.db().lookup(key, c.now());
        if (v == null) {
            return null;
        }
        if (keyEnd < pattern.length) {
            if (!(v instanceof HashValue h)) {
                return null;
            }
            return h.get(Arrays.copyOfRange(pattern, keyEnd + 2, pattern.length));
        }
        return Strings.isString(v) ? Strings.bytes(v) : null;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfArrow(byte[] a, int from) {
        for (int i = from; i + 1 < a.length; i++) {
            if (a[i] == '-' && a[i + 1] == '>') {
                return i;
            }
        }
        return -1;
    }

    /** SORT's keys: the sorted key and, with STORE, the destination (sortGetKeys). */
    static int[] sortKeys(byte[][] argv) {
        List<Integer> keys = new ArrayList<>();
        keys.add(1);
        for (int j = 2; j < argv.length; j++) {
            String a = new String(argv[j], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
            switch (a) {
                case "limit" -> j += 2;
                case "get", "by" -> j += 1;
                case "store" -> {
                    if (j + 1 < argv.length) {
                        keys.add(j + 1);
                    }
                    j += 1;
                }
                default -> { }
            }
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }
}
