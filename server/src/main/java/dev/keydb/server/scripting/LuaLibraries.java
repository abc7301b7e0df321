package dev.keydb.server.scripting;

import java.util.Locale;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * The libraries Redis links into its Lua (none ships with Lua 5.1): {@code bit} (LuaBitOp) as
 * Java functions, {@code cjson}, {@code struct} and {@code cmsgpack} as bundled Lua sources
 * with Java helpers for IEEE-754 conversions. Registered into the table at {@code idx}.
 */
final class LuaLibraries {
    private LuaLibraries() { }

    static void register(LuaState s, int idx) {
        long p = s.main;
        var c = s.c;
        int table = c.lua_gettop(p) + 1 + idx; // absolute index of the target table
        // bit
        c.lua_createtable(p, 0, 12);
        fn(s, "tobit", l -> unary(s, l, "tobit", x -> x));
        fn(s, "bnot", l -> unary(s, l, "bnot", x -> ~x));
        fn(s, "bswap", l -> unary(s, l, "bswap", Integer::reverseBytes));
        fn(s, "band", l -> fold(s, l, "band", 0));
        fn(s, "bor", l -> fold(s, l, "bor", 1));
        fn(s, "bxor", l -> fold(s, l, "bxor", 2));
        fn(s, "lshift", l -> shift(s, l, "lshift", 0));
        fn(s, "rshift", l -> shift(s, l, "rshift", 1));
        fn(s, "arshift", l -> shift(s, l, "arshift", 2));
        fn(s, "rol", l -> shift(s, l, "rol", 3));
        fn(s, "ror", l -> shift(s, l, "ror", 4));
        fn(s, "tohex", l -> tohex(s, l));
        c.lua_setfield(p, table, "bit");
        // IEEE-754 helpers for struct and cmsgpack
        c.lua_createtable(p, 0, 4);
        fn(s, "pack_double", l -> packFloat(s, l, true));
        fn(s, "pack_float", l -> packFloat(s, l, false));
        fn(s, "unpack_double", l -> unpackFloat(s, l, true));
        fn(s, "unpack_float", l -> unpackFloat(s, l, false));
        fn(s, "pack_int", l -> packInt(s, l));
        fn(s, "unpack_int", l -> unpackInt(s, l));
        fn(s, "strtod", l -> strtod(s, l));
        int helpers = c.lua_gettop(p);
        for (String lib : new String[] {"cjson", "struct", "cmsgpack"}) {
            c.lua_pushvalue(p, helpers);
            ScriptEngine.runResource(s, lib + ".lua", 1, 1);
            c.lua_setfield(p, table, lib);
        }
        c.lua_pop(p, 1);
    }

    /**
     * wrap(f): a C closure (a Java function) calling the Lua function f, raising f's string
     * errors with the caller's position as luaL_error does. Library functions Redis implements
     * in C are written in Lua here; wrapped, they behave as C functions for tail calls and
     * error positions.
     */
    static int wrap(LuaState s, Lua l) {
        long p = l.getPointer();
        var c = s.c;
        if (c.lua_type(p, 1) != LuaState.TFUNCTION) {
            return s.error(p, "wrap: function expected");
        }
        c.lua_pushvalue(p, 1);
        int ref = c.luaL_ref(p, LuaState.REGISTRY);
        JFunction trampoline = l2 -> {
            long q = l2.getPointer();
            int n = c.lua_gettop(q);
            c.lua_rawgeti(q, LuaState.REGISTRY, ref);
            c.lua_insert(q, 1);
            if (c.lua_pcall(q, n, -1 /* LUA_MULTRET */, 0) != 0) {
                if (c.lua_type(q, -1) == LuaState.TSTRING) {
                    String msg = s.toJavaString(q, -1);
                    c.lua_pop(q, 1);
                    return s.error(q, msg);
                }
                if (c.lua_type(q, -1) == LuaState.TTABLE) {
                    // {runerror = msg}: raised as Lua's own luaG_runerror from a C function does, without a position
                    c.lua_getfield(q, -1, "runerror");
                    if (c.lua_type(q, -1) == LuaState.TSTRING) {
                        c.lua_remove(q, -2);
                    } else {
                        c.lua_pop(q, 1);
                    }
                }
                return -1;
            }
            return c.lua_gettop(q);
        };
        c.luaJ_pushfunction(p, s.safe(trampoline));
        return 1;
    }

    private static void fn(LuaState s, String name, JFunction f) {
        s.pushFunction(f);
        s.c.lua_setfield(s.main, -2, name);
    }

    /** luaL_error: the message with the calling Lua line in front; the Java function returns this. */
    static int error(LuaState s, long p, String msg) {
        return s.error(p, msg);
    }

    /** luaL_argerror. */
    static int argError(LuaState s, long p, int arg, String fname, String extra) {
        return s.error(p, "bad argument #" + arg + " to '" + fname + "' (" + extra + ")");
    }

    private static final String[] TYPE_NAMES = {"nil", "boolean", "userdata", "number", "string", "table", "function", "userdata", "thread"};

    /** LuaBitOp's barg: the argument as int32, rounding as the 2^52+2^51 addition does; null after an error was pushed. */
    private static Integer arg(LuaState s, long p, int i, String fname) {
        var c = s.c;
        int t = c.lua_type(p, i);
        if (t != LuaState.TNUMBER && !(t == LuaState.TSTRING && c.lua_isnumber(p, i) != 0)) {
            String got = t < 0 ? "no value" : TYPE_NAMES[t];
            argError(s, p, i, fname, "number expected, got " + got);
            return null;
        }
        return tobit(c.lua_tonumber(p, i));
    }

    static int tobit(double n) {
        double d = n + 6755399441055744.0;
        return (int) Double.doubleToRawLongBits(d);
    }

    private static int unary(LuaState s, Lua l, String name, java.util.function.IntUnaryOperator op) {
        long p = l.getPointer();
        Integer x = arg(s, p, 1, name);
        if (x == null) {
            return -1;
        }
        s.c.lua_pushnumber(p, op.applyAsInt(x));
        return 1;
    }

    private static int fold(LuaState s, Lua l, String name, int op) {
        long p = l.getPointer();
        int n = s.c.lua_gettop(p);
        Integer acc = arg(s, p, 1, name);
        if (acc == null) {
            return -1;
        }
        int v = acc;
        for (int i = 2; i <= n; i++) {
            Integer x = arg(s, p, i, name);
            if (x == null) {
                return -1;
            }
            v = switch (op) {
                case 0 -> v & x;
                case 1 -> v | x;
                default -> v ^ x;
            };
        }
        s.c.lua_pushnumber(p, v);
        return 1;
    }

    private static int shift(LuaState s, Lua l, String name, int op) {
        long p = l.getPointer();
        Integer x = arg(s, p, 1, name);
        if (x == null) {
            return -1;
        }
        Integer n = arg(s, p, 2, name);
        if (n == null) {
            return -1;
        }
        int k = n & 31;
        int v = switch (op) {
            case 0 -> x << k;
            case 1 -> x >>> k;
            case 2 -> x >> k;
            case 3 -> Integer.rotateLeft(x, k);
            default -> Integer.rotateRight(x, k);
        };
        s.c.lua_pushnumber(p, v);
        return 1;
    }

    private static int tohex(LuaState s, Lua l) {
        long p = l.getPointer();
        Integer x = arg(s, p, 1, "tohex");
        if (x == null) {
            return -1;
        }
        int n = 8;
        if (s.c.lua_type(p, 2) > LuaState.TNIL) {
            Integer nn = arg(s, p, 2, "tohex");
            if (nn == null) {
                return -1;
            }
            n = nn;
        }
        boolean upper = false;
        if (n < 0) {
            n = -n;
            upper = true;
        }
        if (n > 8) {
            n = 8;
        }
        String hex = String.format("%08x", x);
        hex = hex.substring(8 - n);
        s.c.lua_pushstring(p, upper ? hex.toUpperCase(Locale.ROOT) : hex);
        return 1;
    }

    // ---- IEEE-754 helpers -------------------------------------------------------------------------

    /** pack_double(n, bigEndian) / pack_float: the 8 / 4 bytes of a number. */
    private static int packFloat(LuaState s, Lua l, boolean dbl) {
        long p = l.getPointer();
        double d = s.c.lua_tonumber(p, 1);
        boolean big = s.c.lua_toboolean(p, 2) != 0;
        long bits = dbl ? Double.doubleToRawLongBits(d) : Float.floatToRawIntBits((float) d) & 0xffffffffL;
        int size = dbl ? 8 : 4;
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            byte b = (byte) (bits >>> (8 * i));
            out[big ? size - 1 - i : i] = b;
        }
        s.pushBytes(p, out);
        return 1;
    }

    /**
     * pack_int(n, size, bigEndian): struct's putinteger with the C semantics Redis's lua_struct.c
     * has: the number becomes a 64-bit unsigned value ((uint64)(int64)n when negative), whose
     * bytes are written low first; sizes past 8 (up to 32) get zero bytes beyond them.
     */
    private static int packInt(LuaState s, Lua l) {
        long p = l.getPointer();
        long value = toUint64(s.c.lua_tonumber(p, 1));
        int size = (int) s.c.lua_tonumber(p, 2);
        boolean big = s.c.lua_toboolean(p, 3) != 0;
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[big ? size - 1 - i : i] = (byte) value;
            value >>>= 8;
        }
        s.pushBytes(p, out);
        return 1;
    }

    /** C's (Uinttype) conversions of a lua_Number on x86-64, as compiled by gcc. */
    static long toUint64(double n) {
        if (n < 0) {
            return (long) n; // (Uinttype)(Inttype)n; below -2^63 cvttsd2si gives INT64_MIN, as Java's cast
        }
        if (n < 9.223372036854775808E18) {
            return (long) n;
        }
        // 2^63 and up: gcc converts n - 2^63 and flips the top bit; past 2^64 that is 0x8000.. ^ 0x8000.. = 0
        return n < 18446744073709551616.0 ? (long) (n - 9.223372036854775808E18) ^ Long.MIN_VALUE : 0;
    }

    /**
     * unpack_int(s, pos, size, bigEndian, signed): struct's getinteger in lua_struct.c's C:
     * bytes shifted into 64 bits (of more than 8 only the last 8 remain), sign-extended with the
     * mask ~0 << (size*8 - 1) (x86 masks the shift count to 6 bits, as Java does), then made a
     * lua_Number.
     */
    private static int unpackInt(LuaState s, Lua l) {
        long p = l.getPointer();
        byte[] data = s.toBytes(p, 1);
        int pos = (int) s.c.lua_tonumber(p, 2) - 1;
        int size = (int) s.c.lua_tonumber(p, 3);
        boolean big = s.c.lua_toboolean(p, 4) != 0;
        boolean signed = s.c.lua_toboolean(p, 5) != 0;
        if (data == null || pos < 0 || pos + size > data.length) {
            return s.error(p, "data string too short");
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (data[pos + (big ? i : size - 1 - i)] & 0xff);
        }
        double n;
        if (signed) {
            long mask = ~0L << (size * 8 - 1);
            if ((v & mask) != 0) {
                v |= mask;
            }
            n = v;
        } else {
            n = v >= 0 ? v : ((double) ((v >>> 1) | (v & 1))) * 2.0;
        }
        s.c.lua_pushnumber(p, n);
        return 1;
    }

    /** strtod(s, pos): the number C's strtod reads at 1-based {@code pos} and the position after it (pos when none). */
    private static int strtod(LuaState s, Lua l) {
        long p = l.getPointer();
        byte[] data = s.toBytes(p, 1);
        int pos = (int) s.c.lua_tonumber(p, 2) - 1;
        CStrtod.Result r = data == null || pos < 0 || pos > data.length ? new CStrtod.Result(0, pos) : CStrtod.parse(data, pos);
        s.c.lua_pushnumber(p, r.value());
        s.c.lua_pushnumber(p, r.end() + 1);
        return 2;
    }

    /** unpack_double(s, pos, bigEndian) / unpack_float: the number at 1-based {@code pos}. */
    private static int unpackFloat(LuaState s, Lua l, boolean dbl) {
        long p = l.getPointer();
        byte[] data = s.toBytes(p, 1);
        int pos = (int) s.c.lua_tonumber(p, 2) - 1;
        boolean big = s.c.lua_toboolean(p, 3) != 0;
        int size = dbl ? 8 : 4;
        if (data == null || pos < 0 || pos + size > data.length) {
            return s.error(p, "data string too short");
        }
        long bits = 0;
        for (int i = 0; i < size; i++) {
            long b = data[pos + (big ? i : size - 1 - i)] & 0xff;
            bits = (bits << 8) | b;
        }
        s.c.lua_pushnumber(p, dbl ? Double.longBitsToDouble(bits) : Float.intBitsToFloat((int) bits));
        return 1;
    }
}
