package dev.keydb.server.scripting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * A real Lua 5.1 interpreter (luajava's JNI binding of the reference implementation) with the
 * few primitives the scripting engine needs on top of the raw C API: binary-safe strings both
 * ways, registry references and calls.
 *
 * <p>Binary safety: the JNI binding only pushes Java strings (as modified UTF-8), so bytes are
 * pushed as a Latin-1 string and, when any byte is 0 or above 127, passed through a Lua
 * {@code gsub} that maps each two-byte sequence back to its byte (done in C, by the Lua string
 * library). Strings are read back as Java strings when short plain ASCII (see {@link
 * #stringBytes}), else through a direct buffer over Lua's own memory.
 */
final class LuaState implements AutoCloseable {
    static final int REGISTRY = -10000;
    static final int GLOBALS = -10002;
    static final int TNIL = 0, TBOOLEAN = 1, TLIGHTUSERDATA = 2, TNUMBER = 3, TSTRING = 4, TTABLE = 5,
            TFUNCTION = 6, TUSERDATA = 7, TTHREAD = 8;

    final Lua51 lua;
    final Lua51Natives c;
    final long main;
    private int decoderRef = -1;
    /** Registry reference of the function (re)installing the count hook. */
    int hookRef = -1;
    /** The hook was switched to every line by a kill: reinstall the count hook before the next run. */
    boolean hookDisturbed;
    private int whereRef = -1;
    /** Interned strings the bridge pushes on every call (see {@link #pushRef}). */
    int keysName, argvName, okKey, errKey;

    LuaState() {
        lua = new Lua51();
        c = (Lua51Natives) lua.getLuaNatives();
        main = lua.getPointer();
        c.luaL_openlibs(main);
    }

    /** Installs the Lua function that turns the Latin-1/modified-UTF-8 form back into bytes. */
    void installDecoder() {
        int st = load(main, ("local gsub, char = string.gsub, string.char\n"
                + "local map = {}\n"
                + "map['\\192\\128'] = '\\0'\n"
                + "for b = 128, 255 do map[char(192 + math.floor(b / 64), 128 + b % 64)] = char(b) end\n"
                + "return function(s) return (gsub(s, '[\\192\\194\\195][\\128-\\191]', map)) end\n")
                .getBytes(StandardCharsets.US_ASCII), "@__keydb_decoder");
        if (st != 0 || c.lua_pcall(main, 0, 1, 0) != 0) {
            throw new IllegalStateException("Lua decoder: " + c.lua_tostring(main, -1));
        }
        decoderRef = c.luaL_ref(main, REGISTRY);
        st = load(main, ("local getinfo = debug.getinfo\n"
                + "return function() local i = getinfo(3, 'Sl')\n"
                + "  if i and i.currentline > 0 then return i.short_src .. ':' .. i.currentline .. ': ' end\n"
                + "  return '' end\n").getBytes(StandardCharsets.US_ASCII), "@__keydb_where");
        if (st != 0 || c.lua_pcall(main, 0, 1, 0) != 0) {
            throw new IllegalStateException("Lua where: " + c.lua_tostring(main, -1));
        }
        whereRef = c.luaL_ref(main, REGISTRY);
        keysName = intern("KEYS");
        argvName = intern("ARGV");
        okKey = intern("ok");
        errKey = intern("err");
    }

    /** luaL_error from a Java function: pushes "where: msg" (the calling Lua line); return -1 after it. */
    int error(long p, String msg) {
        c.lua_rawgeti(p, REGISTRY, whereRef);
        String where = "";
        if (c.lua_pcall(p, 0, 1, 0) == 0) {
            where = toJavaString(p, -1);
        }
        c.lua_pop(p, 1);
        pushString(p, where + msg);
        return -1;
    }

    /** Loads a chunk (binary safe); 0 and the function on the stack, or an error status and the message. */
    int load(long p, byte[] code, String chunkName) {
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, code.length));
        buf.put(code).flip();
        return c.luaJ_loadbuffer(p, buf, code.length, chunkName);
    }

    /** Pushes bytes as a Lua string. */
    void pushBytes(long p, byte[] b) {
        pushBytes(p, b, 0, b.length);
    }

    /** Pushes {@code len} bytes of {@code b} from {@code off} as a Lua string. */
    void pushBytes(long p, byte[] b, int off, int len) {
        boolean plain = true;
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] <= 0) {
                plain = false;
                break;
            }
        }
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        if (plain) {
            c.lua_pushstring(p, s);
            return;
        }
        pushDecoded(p, s);
    }

    /** Pushes a string whose chars are bytes (Latin-1): straight when all are 1..127, else through the decoder. */
    void pushLatin1(long p, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            if (ch == 0 || ch > 127) {
                pushDecoded(p, s);
                return;
            }
        }
        c.lua_pushstring(p, s);
    }

    private void pushDecoded(long p, String s) {
        c.lua_rawgeti(p, REGISTRY, decoderRef);
        c.lua_pushstring(p, s);
        if (c.lua_pcall(p, 1, 1, 0) != 0) {
            throw new IllegalStateException("Lua string decoding failed");
        }
    }

    /** Registry reference of an interned Lua string (a constant the bridge pushes often). */
    int intern(String ascii) {
        c.lua_pushstring(main, ascii);
        return c.luaL_ref(main, REGISTRY);
    }

    /** Pushes a string interned with {@link #intern}: no string conversion across JNI. */
    void pushRef(long p, int ref) {
        c.lua_rawgeti(p, REGISTRY, ref);
    }

    void pushString(long p, String s) {
        pushBytes(p, s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of a string (or number, converted as Lua does) at {@code idx}, or null. */
    byte[] toBytes(long p, int idx) {
        int t = c.lua_type(p, idx);
        if (t != TSTRING && t != TNUMBER) {
            return null;
        }
        if (t == TNUMBER) {
            // lua_tolstring converts in place; work on a copy so that table traversal is not disturbed.
            c.lua_pushvalue(p, idx);
            byte[] out = copy((ByteBuffer) c.luaJ_todirectbuffer(p, -1));
            c.lua_pop(p, 1);
            return out;
        }
        return stringBytes(p, idx);
    }

    /**
     * The bytes of the string at {@code idx}. Short strings come back as a Java string (JNI's
     * NewStringUTF, far cheaper than wrapping Lua's memory in a direct buffer): when it has
     * exactly as many chars as the Lua string has bytes and all of them are ASCII, each char is
     * one byte (a NUL, a multi-byte sequence or an invalid byte would shorten it or leave a char
     * above 127). Anything else is read through the direct buffer.
     */
    byte[] stringBytes(long p, int idx) {
        long len = c.lua_objlen(p, idx);
        if (len <= SHORT_STRING) {
            String s = c.lua_tostring(p, idx);
            if (s != null && s.length() == len && ascii(s)) {
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return copy((ByteBuffer) c.luaJ_todirectbuffer(p, idx));
    }

    private static final int SHORT_STRING = 256;

    private static boolean ascii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    String toJavaString(long p, int idx) {
        byte[] b = toBytes(p, idx);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    void pushFunction(JFunction f) {
        lua.push(safe(f));
    }

    /**
     * A Java function that never lets an exception reach the JNI binding (which would store
     * the Java object in a Lua global): it becomes a Lua error string instead.
     */
    JFunction safe(JFunction f) {
        return l -> {
            try {
                return f.__call(l);
            } catch (Throwable t) {
                dev.keydb.server.Log.warning("Lua: Java function failed: " + t);
                c.lua_settop(l.getPointer(), 0);
                c.lua_pushstring(l.getPointer(), "ERR internal error in a scripting function: " + t.getClass().getSimpleName());
                return -1;
            }
        };
    }

    int type(long p, int idx) {
        return c.lua_type(p, idx);
    }

    @Override
    public void close() {
        lua.close();
    }
}
