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
import dev.keydb.storage.Numbers;
import dev.keydb.storage.RawString;
import dev.keydb.storage.Strings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP (with
 * KeyDB's LSHIFT/RSHIFT), BITFIELD and BITFIELD_RO. Bitmaps are string values; writes work in
 * place on a {@link RawString}.
 */
public final class BitmapCommands implements CommandFamily {
    private static final CommandError BIT_OFFSET = new CommandError("ERR bit offset is not an integer or out of range");
    private static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    private static final CommandError TOO_BIG = new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    private static final CommandError BITFIELD_TYPE = new CommandError(
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int AND = 0, OR = 1, XOR = 2, NOT = 3, LSHIFT = 4, RSHIFT = 5;
    private static final int GET = 0, SET = 1, INCRBY = 2;
    private static final int WRAP = 0, SAT = 1, FAIL = 2;

    @Override
    public void register(CommandTable t) {
        String g = "bitmap";
        t.add(command("setbit", 4).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", "O(1)", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.").run(this::setbit));
        t.add(command("getbit", 3).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("2.2.0", "O(1)", "Returns a bit value by offset.").run(this::getbit));
        t.add(command("bitcount", -2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.6.0", "O(N)", "Counts the number of set bits (population counting) in a string.").run(this::bitcount));
        t.add(command("bitpos", -3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("2.8.7", "O(N)", "Finds the first set (1) or clear (0) bit in a string.").run(this::bitpos));
        t.add(command("bitop", -4).flags(WRITE, DENYOOM).keys(2, -1, 1).acl(g).group(g)
                .doc("2.6.0", "O(N)", "Performs bitwise operations on multiple strings, and stores the result.").run(this::bitop));
        t.add(command("bitfield", -2).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.0", "O(1) for each subcommand specified", "Performs arbitrary bitfield integer operations on strings.")
                .run(c -> bitfield(c, false)));
        t.add(command("bitfield_ro", -2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("6.0.0", "O(1) for each subcommand specified", "Performs arbitrary read-only bitfield integer operations on strings.")
                .run(c -> bitfield(c, true)));
    }

    // ------------------------------------------------------------------ helpers

    /** The bytes of a string value and how many of them are the value (RawString has spare room). */
    private record View(byte[] a, int len) {
        static final View EMPTY = new View(new byte[0], 0);

        static View of(Object v) {
            if (v == null) {
                return EMPTY;
            }
            if (v instanceof RawString r) {
                return new View(r.array(), r.length());
            }
            byte[] b = v instanceof byte[] bb ? bb : Numbers.toBytes((Long) v);
            return new View(b, b.length);
        }
    }

    /** Redis's getBitOffsetFromArgument: '#N' (times bits) when hash is allowed, bounded by proto-max-bulk-len. */
    private static long bitOffset(CommandContext c, int i, boolean hash, int bits) {
        byte[] p = c.arg(i);
        boolean useHash = hash && p.length > 0 && p[0] == '#' && bits > 0;
        Long v = Numbers.parseLongOrNull(useHash ? java.util.Arrays.copyOfRange(p, 1, p.length) : p);
        if (v == null) {
            throw BIT_OFFSET;
        }
        long off = v;
        if (useHash) {
            off *= bits;
        }
        if (off < 0 || (off >>> 3) >= c.server().config().protoMaxBulkLen) {
            throw BIT_OFFSET;
        }
        return off;
    }

    /**
     * Redis's lookupStringForBitCommand: the key's string made writable and at least long
     * enough to address {@code maxBit}, created zero-filled if missing. Returns the string;
     * {@code grown[0]} tells whether it was created or lengthened.
     */
    private static RawString stringForBits(CommandContext c, byte[] key, long maxBit, boolean[] grown) {
        Object v = c.writeKey(key);
        if (v != null && !Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        long needed = (maxBit >>> 3) + 1;
        if (needed > Integer.MAX_VALUE - (2 << 20)) {
            throw TOO_BIG;
        }
        if (v == null) {
            RawString s = new RawString(new byte[(int) needed]);
            c.db().set(key, s, c.now());
            grown[0] = true;
            return s;
        }
        RawString s = Strings.mutable(v);
        if (s != v) {
            c.db().setKeepTtl(key, s, c.now());
        }
        int old = s.length();
        s.ensureLength((int) needed);
        grown[0] = s.length() != old;
        return s;
    }

    private static long popcount(byte[] a, int from, int len) {
        long count = 0;
        int i = from, end = from + len;
        for (; i + 8 <= end; i += 8) {
            count += Long.bitCount((long) LONGS.get(a, i));
        }
        for (; i < end; i++) {
            count += Integer.bitCount(a[i] & 0xff);
        }
        return count;
    }

    /**
     * Redis's redisBitpos: the position of the first bit equal to {@code bit} in
     * {@code count} bytes, or -1 looking for 1 with none set, or count*8 looking for 0 with none clear.
     */
    private static long bitpos(byte[] a, int from, long count, int bit) {
        int skip = bit == 1 ? 0 : 0xff;
        long skipWord = bit == 1 ? 0L : -1L;
        long k = 0;
        while (k + 8 <= count && (long) LONGS.get(a, (int) (from + k)) == skipWord) {
            k += 8;
        }
        for (; k < count; k++) {
            int b = a[(int) (from + k)] & 0xff;
            if (b != skip) {
                int x = bit == 1 ? b : ~b & 0xff;
                return k * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return bit == 1 ? -1 : count * 8;
    }

    // ------------------------------------------------------------------ SETBIT / GETBIT

    private void setbit(CommandContext c) {
        byte[] key = c.arg(1);
        long offset = bitOffset(c, 2, false, 0);
        long on = c.longArg(3, BIT_VALUE);
        if ((on & ~1L) != 0) {
            throw new CommandError(BIT_VALUE);
        }
        boolean[] grown = new boolean[1];
        RawString s = stringForBits(c, key, offset, grown);
        int bytePos = (int) (offset >>> 3);
        int byteval = s.array()[bytePos] & 0xff;
        int bit = 7 - (int) (offset & 7);
        int bitval = byteval & (1 << bit);
        if (grown[0] || (bitval != 0 ? 1 : 0) != on) {
            byteval &= ~(1 << bit);
            byteval |= (int) (on & 1) << bit;
            s.array()[bytePos] = (byte) byteval;
            c.changed(key, KeyspaceEvents.STRING, "setbit");
        }
        c.reply().integer(bitval != 0 ? 1 : 0);
    }

    private void getbit(CommandContext c) {
        long offset = bitOffset(c, 2, false, 0);
        Object v = c.readString(c.arg(1));
        View w = View.of(v);
        long bytePos = offset >>> 3;
        int bit = 7 - (int) (offset & 7);
        int bitval = bytePos < w.len ? w.a[(int) bytePos] & (1 << bit) : 0;
        c.reply().integer(bitval != 0 ? 1 : 0);
    }

    // ------------------------------------------------------------------ BITCOUNT / BITPOS

    private void bitcount(CommandContext c) {
        Object v = c.readKey(c.arg(1));
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        if (!Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        View w = View.of(v);
        long start, end;
        int firstMask = 0, lastMask = 0;
        if (c.argc() == 4 || c.argc() == 5) {
            start = c.longArg(2);
            end = c.longArg(3);
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            boolean isBit = false;
            if (c.argc() == 5) {
                if (c.argIs(4, "bit")) {
                    isBit = true;
                } else if (!c.argIs(4, "byte")) {
                    throw CommandError.SYNTAX;
                }
            }
            ByteRange range = ByteRange.of(start, end, w.len, isBit);
            start = range.start();
            end = range.end();
            firstMask = range.firstMask();
            lastMask = range.lastMask();
        } else if (c.argc() == 2) {
            start = 0;
            end = w.len - 1;
        } else {
            throw CommandError.SYNTAX;
        }
        if (start > end) {
            c.reply().integer(0);
            return;
        }
        long count = popcount(w.a, (int) start, (int) (end - start + 1));
        if (firstMask != 0) {
            count -= Integer.bitCount(w.a[(int) start] & firstMask);
        }
        if (lastMask != 0) {
            count -= Integer.bitCount(w.a[(int) end] & lastMask);
        }
        c.reply().integer(count);
    }

    private void bitpos(CommandContext c) {
        long bit = c.longArg(2);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        Object v = c.readKey(c.arg(1));
        if (v == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (!Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        View w = View.of(v);
        long start, end;
        boolean endGiven = false;
        int firstMask = 0, lastMask = 0;
        int argc = c.argc();
        if (argc == 4 || argc == 5 || argc == 6) {
            long totlen = w.len;
            start = c.longArg(3);
            boolean isBit = false;
            if (argc == 6) {
                if (c.argIs(5, "bit")) {
                    isBit = true;
                } else if (!c.argIs(5, "byte")) {
                    throw CommandError.SYNTAX;
                }
            }
            if (argc >= 5) {
                end = c.longArg(4);
                endGiven = true;
            } else {
                end = isBit ? (totlen << 3) + 7 : totlen - 1;
            }
            ByteRange range = ByteRange.of(start, end, w.len, isBit);
            start = range.start();
            end = range.end();
            firstMask = range.firstMask();
            lastMask = range.lastMask();
        } else if (argc == 3) {
            start = 0;
            end = w.len - 1;
        } else {
            throw CommandError.SYNTAX;
        }
        if (start > end) {
            c.reply().integer(-1);
            return;
        }
        int b = (int) bit;
        long bytes = end - start + 1;
        long pos;
        byte[] one = new byte[1];
        found:
        {
            if (firstMask != 0) {
                int tmp = b == 1 ? w.a[(int) start] & ~firstMask : w.a[(int) start] | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    tmp = b == 1 ? tmp & ~lastMask : tmp | lastMask;
                }
                one[0] = (byte) tmp;
                pos = bitpos(one, 0, 1, b);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break found;
                }
                start++;
                bytes--;
            }
            long curbytes = bytes - (lastMask != 0 ? 1 : 0);
            if (curbytes > 0) {
                pos = bitpos(w.a, (int) start, curbytes, b);
                if (bytes == curbytes || (pos != -1 && pos != curbytes << 3)) {
                    break found;
                }
                start += curbytes;
                bytes -= curbytes;
            }
            int tmp = b == 1 ? w.a[(int) end] & ~lastMask : w.a[(int) end] | lastMask;
            one[0] = (byte) tmp;
            pos = bitpos(one, 0, 1, b);
        }
        if (endGiven && b == 0 && pos == bytes << 3) {
            c.reply().integer(-1);
            return;
        }
        if (pos != -1) {
            pos += start << 3;
        }
        c.reply().integer(pos);
    }

    // ------------------------------------------------------------------ BITOP

    private void bitop(CommandContext c) {
        int op;
        if (c.argIs(1, "and")) {
            op = AND;
        } else if (c.argIs(1, "or")) {
            op = OR;
        } else if (c.argIs(1, "xor")) {
            op = XOR;
        } else if (c.argIs(1, "not")) {
            op = NOT;
        } else if (c.argIs(1, "lshift")) {
            op = LSHIFT;
        } else if (c.argIs(1, "rshift")) {
            op = RSHIFT;
        } else {
            throw CommandError.SYNTAX;
        }
        if (op == NOT && c.argc() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        boolean shiftOp = op == LSHIFT || op == RSHIFT;
        long shift = 0;
        if (shiftOp) {
            if (c.argc() != 5) {
                throw new CommandError("ERR BITOP SHIFT must be called with a single source key and an integer shift.");
            }
            Long s = Numbers.parseLongOrNull(c.arg(4));
            if (s == null) {
                throw new CommandError("ERR BITOP SHIFT's last parameter must be an integer");
            }
            shift = op == RSHIFT ? -s : s;
        }
        byte[] target = c.arg(2);
        int numKeys = c.argc() - (shiftOp ? 4 : 3);
        List<View> src = new ArrayList<>(numKeys);
        long maxlen = 0;
        for (int j = 0; j < numKeys; j++) {
            Object v = c.readKey(c.arg(j + 3));
            if (v != null && !Strings.isString(v)) {
                throw CommandError.WRONGTYPE;
            }
            View w = View.of(v);
            src.add(w);
            maxlen = Math.max(maxlen, w.len);
        }
        byte[] res = shiftOp ? shift(c, src.get(0), shift) : combine(op, src, (int) maxlen);
        if (res.length > 0) {
            c.db().set(target, new RawString(res), c.now());
            c.changed(target, KeyspaceEvents.STRING, "set");
        } else if (c.db().delete(target)) {
            c.changed(target, KeyspaceEvents.GENERIC, "del");
        }
        c.reply().integer(res.length);
    }

    private static byte[] combine(int op, List<View> src, int maxlen) {
        byte[] res = new byte[maxlen];
        int n = src.size();
        for (int j = 0; j < maxlen; j++) {
            View s0 = src.get(0);
            int output = s0.len <= j ? 0 : s0.a[j] & 0xff;
            if (op == NOT) {
                output = ~output & 0xff;
            }
            for (int i = 1; i < n; i++) {
                View si = src.get(i);
                int b = si.len <= j ? 0 : si.a[j] & 0xff;
                switch (op) {
                    case AND -> output &= b;
                    case OR -> output |= b;
                    case XOR -> output ^= b;
                    default -> { }
                }
            }
            res[j] = (byte) output;
        }
        return res;
    }

    /**
     * KeyDB's BITOP LSHIFT/RSHIFT: the source as a little-endian bit string (byte 0 least
     * significant, each byte's low bit first) multiplied or divided by 2^shift. A left shift
     * grows the string by the bytes the shift adds; a right shift drops the bytes shifted out.
     */
    private static byte[] shift(CommandContext c, View src, long shift) {
        long maxlen = src.len;
        long newlen = maxlen + shift / 8;
        if (shift > 0 && shift % 8 != 0) {
            newlen++;
        }
        if (newlen < 0) {
            newlen = 0;
        }
        if (newlen > c.server().config().protoMaxBulkLen || newlen > Integer.MAX_VALUE - (2 << 20)) {
            throw TOO_BIG;
        }
        byte[] res = new byte[(int) newlen];
        if (newlen == 0) {
            return res;
        }
        if (shift >= 0) {
            int byteOffset = (int) (shift / 8);
            int bitShift = (int) (shift % 8);
            int carry = 0;
            for (int i = 0; i < src.len; i++) {
                int b = src.a[i] & 0xff;
                res[byteOffset + i] = (byte) ((b << bitShift) | carry);
                carry = bitShift == 0 ? 0 : b >>> (8 - bitShift);
            }
            if (bitShift != 0) {
                res[(int) newlen - 1] = (byte) carry;
            }
        } else {
            long n = -shift;
            int byteOffset = (int) (n / 8);
            int bitShift = (int) (n % 8);
            for (int i = 0; i < newlen; i++) {
                int lo = byteAt(src, (long) byteOffset + i);
                int hi = byteAt(src, (long) byteOffset + i + 1);
                res[i] = (byte) ((lo >>> bitShift) | (bitShift == 0 ? 0 : hi << (8 - bitShift)));
            }
        }
        return res;
    }

    private static int byteAt(View v, long i) {
        return i < v.len ? v.a[(int) i] & 0xff : 0;
    }

    // ------------------------------------------------------------------ BITFIELD

    private record Op(long offset, long i64, int opcode, int owtype, int bits, boolean signed) { }

    private void bitfield(CommandContext c, boolean readOnlyCommand) {
        List<Op> ops = new ArrayList<>();
        int owtype = WRAP;
        boolean readonly = true;
        long highestWrite = 0;
        int argc = c.argc();
        for (int j = 2; j < argc; j++) {
            int remargs = argc - j - 1;
            int opcode;
            if (c.argIs(j, "get") && remargs >= 2) {
                opcode = GET;
            } else if (c.argIs(j, "set") && remargs >= 3) {
                opcode = SET;
            } else if (c.argIs(j, "incrby") && remargs >= 3) {
                opcode = INCRBY;
            } else if (c.argIs(j, "overflow") && remargs >= 1) {
                j++;
                if (c.argIs(j, "wrap")) {
                    owtype = WRAP;
                } else if (c.argIs(j, "sat")) {
                    owtype = SAT;
                } else if (c.argIs(j, "fail")) {
                    owtype = FAIL;
                } else {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw CommandError.SYNTAX;
            }
            byte[] type = c.arg(j + 1);
            boolean signed;
            if (type.length > 0 && type[0] == 'i') {
                signed = true;
            } else if (type.length > 0 && type[0] == 'u') {
                signed = false;
            } else {
                throw BITFIELD_TYPE;
            }
            Long bitsArg = Numbers.parseLongOrNull(java.util.Arrays.copyOfRange(type, 1, type.length));
            if (bitsArg == null || bitsArg < 1 || (signed && bitsArg > 64) || (!signed && bitsArg > 63)) {
                throw BITFIELD_TYPE;
            }
            int bits = (int) (long) bitsArg;
            long offset = bitOffset(c, j + 2, true, bits);
            long i64 = 0;
            if (opcode != GET) {
                readonly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                i64 = c.longArg(j + 3);
            }
            ops.add(new Op(offset, i64, opcode, owtype, bits, signed));
            j += 3 - (opcode == GET ? 1 : 0);
        }
        byte[] key = c.arg(1);
        byte[] buf;
        int len;
        boolean dirty = false;
        if (readonly) {
            Object v = c.readKey(key);
            if (v != null && !Strings.isString(v)) {
                throw CommandError.WRONGTYPE;
            }
            View w = View.of(v);
            buf = w.a;
            len = w.len;
        } else {
            if (readOnlyCommand) {
                throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
            }
            boolean[] grown = new boolean[1];
            RawString s = stringForBits(c, key, highestWrite, grown);
            dirty = grown[0];
            buf = s.array();
            len = s.length();
        }
        Reply r = c.reply();
        r.array(ops.size());
        int changes = 0;
        for (Op op : ops) {
            if (op.opcode == GET) {
                long val = op.signed ? getSigned(buf, len, op.offset, op.bits) : getUnsigned(buf, len, op.offset, op.bits);
                r.integer(val);
                continue;
            }
            long oldval, newval, retval;
            boolean overflow;
            long[] wrapped = new long[1];
            if (op.signed) {
                oldval = getSigned(buf, len, op.offset, op.bits);
                if (op.opcode == INCRBY) {
                    overflow = signedOverflow(oldval, op.i64, op.bits, op.owtype, wrapped) != 0;
                    newval = overflow ? wrapped[0] : oldval + op.i64;
                    retval = newval;
                } else {
                    newval = op.i64;
                    overflow = signedOverflow(newval, 0, op.bits, op.owtype, wrapped) != 0;
                    if (overflow) {
                        newval = wrapped[0];
                    }
                    retval = oldval;
                }
            } else {
                oldval = getUnsigned(buf, len, op.offset, op.bits);
                if (op.opcode == INCRBY) {
                    newval = oldval + op.i64;
                    overflow = unsignedOverflow(oldval, op.i64, op.bits, op.owtype, wrapped) != 0;
                    if (overflow) {
                        newval = wrapped[0];
                    }
                    retval = newval;
                } else {
                    newval = op.i64;
                    overflow = unsignedOverflow(newval, 0, op.bits, op.owtype, wrapped) != 0;
                    if (overflow) {
                        newval = wrapped[0];
                    }
                    retval = oldval;
                }
            }
            if (!(overflow && op.owtype == FAIL)) {
                r.integer(retval);
                setBits(buf, op.offset, op.bits, newval);
                if (dirty || oldval != newval) {
                    changes++;
                }
            } else {
                r.nullBulk();
            }
        }
        if (changes > 0) {
            c.changed(key, KeyspaceEvents.STRING, "setbit");
        }
    }

    private static long getUnsigned(byte[] p, int len, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            long bytePos = offset >>> 3;
            int bit = 7 - (int) (offset & 7);
            int byteval = bytePos < len ? p[(int) bytePos] & 0xff : 0;
            value = (value << 1) | ((byteval >>> bit) & 1);
            offset++;
        }
        return value;
    }

    private static long getSigned(byte[] p, int len, long offset, int bits) {
        long value = getUnsigned(p, len, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    private static void setBits(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long bitval = (value >>> (bits - 1 - j)) & 1;
            int bytePos = (int) (offset >>> 3);
            int bit = 7 - (int) (offset & 7);
            int byteval = p[bytePos] & 0xff;
            byteval &= ~(1 << bit);
            byteval |= (int) bitval << bit;
            p[bytePos] = (byte) byteval;
            offset++;
        }
    }

    /** Redis's checkUnsignedBitfieldOverflow: 1 overflow, -1 underflow, 0 none; limit[0] is the value to store. */
    static int unsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            if (owtype == WRAP) {
                limit[0] = wrapUnsigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = max;
            }
            return 1;
        } else if (incr < 0 && incr < minincr) {
            if (owtype == WRAP) {
                limit[0] = wrapUnsigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = 0;
            }
            return -1;
        }
        return 0;
    }

    private static long wrapUnsigned(long value, long incr, int bits) {
        long mask = -1L << bits;
        return (value + incr) & ~mask;
    }

    /** Redis's checkSignedBitfieldOverflow. */
    static int signedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            if (owtype == WRAP) {
                limit[0] = wrapSigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = max;
            }
            return 1;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            if (owtype == WRAP) {
                limit[0] = wrapSigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = min;
            }
            return -1;
        }
        return 0;
    }

    private static long wrapSigned(long value, long incr, int bits) {
        long msb = 1L << (bits - 1);
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            if ((c & msb) != 0) {
                c |= mask;
            } else {
                c &= ~mask;
            }
        }
        return c;
    }

    /**
     * A BITCOUNT/BITPOS range clamped as Redis does (negative indexes from the end, clipped to
     * the string), in bytes; for BIT ranges the partial first and last bytes are masked out by
     * {@code firstMask}/{@code lastMask} (bits to ignore).
     */
    record ByteRange(long start, long end, int firstMask, int lastMask) {
        static ByteRange of(long start, long end, long lenBytes, boolean isBit) {
            long total = isBit ? lenBytes << 3 : lenBytes;
            if (start < 0) {
                start = total + start;
            }
            if (end < 0) {
                end = total + end;
            }
            start = Math.max(start, 0);
            end = Math.max(end, 0);
            if (end >= total) {
                end = total - 1;
            }
            int first = 0, last = 0;
            if (isBit && start <= end) {
                first = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                last = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
            return new ByteRange(start, end, first, last);
        }
    }
}
