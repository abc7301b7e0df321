package dev.keydb.server.commands;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Glob;
import dev.keydb.storage.Numbers;

/**
 * Cursor and option parsing of HSCAN / SSCAN (and ZSCAN later), as Redis's
 * parseScanCursorOrReply and scanGenericCommand: cursor errors come before the key lookup,
 * option errors after it.
 */
final class CollectionScan {
    static final CommandError INVALID_CURSOR = new CommandError("ERR invalid cursor");

    long count = 10;
    byte[] pattern;

    private CollectionScan() {}

    /** The cursor as strtoul reads it: optional sign, decimal digits, wrapping negatives; "" is 0. */
    static long parseCursor(byte[] s) {
        int i = 0;
        boolean neg = false;
        if (s.length > 0 && (s[0] == '+' || s[0] == '-')) {
            neg = s[0] == '-';
            i = 1;
            if (s.length == 1) {
                throw INVALID_CURSOR;
            }
        }
        long v = 0;
        for (; i < s.length; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                throw INVALID_CURSOR;
            }
            // unsigned overflow check
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw INVALID_CURSOR;
            }
            long nv = v * 10 + d;
            if (Long.compareUnsigned(nv, v * 10) < 0) {
                throw INVALID_CURSOR;
            }
            v = nv;
        }
        return neg ? -v : v;
    }

    /** Parses COUNT / MATCH from {@code from}; TYPE is not accepted on a key's elements. */
    static CollectionScan parseOptions(CommandContext c, int from) {
        CollectionScan o = new CollectionScan();
        for (int i = from; i < c.argc(); ) {
            int left = c.argc() - i;
            if (c.argIs(i, "count") && left >= 2) {
                Long n = Numbers.parseLongOrNull(c.arg(i + 1));
                if (n == null) {
                    throw CommandError.NOT_INTEGER;
                }
                if (n < 1) {
                    throw CommandError.SYNTAX;
                }
                o.count = n;
                i += 2;
            } else if (c.argIs(i, "match") && left >= 2) {
                byte[] p = c.arg(i + 1);
                o.pattern = p.length == 1 && p[0] == '*' ? null : p;
                i += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        return o;
    }

    boolean matches(byte[] b, int off, int len) {
        if (pattern == null) {
            return true;
        }
        byte[] s = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
        return Glob.matches(pattern, s, false);
    }

    /** The reply for a missing key: cursor 0 and no elements. */
    static void emptyScan(Reply r) {
        r.array(2);
        r.bulk(ZERO);
        r.array(0);
    }

    static void cursorReply(Reply r, long cursor) {
        r.bulk(Long.toUnsignedString(cursor).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static final byte[] ZERO = {'0'};
}
