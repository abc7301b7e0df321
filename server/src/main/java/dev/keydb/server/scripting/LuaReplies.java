package dev.keydb.server.scripting;

import dev.keydb.server.resp.Reply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Conversions between Redis replies and Lua values, exactly as script_lua.c: a command's RESP2
 * or RESP3 reply into a Lua value (redisProtocolToLuaType), and a script's return value into a
 * reply (luaReplyToRedisReply).
 */
final class LuaReplies {
    private LuaReplies() { }

    // ---- RESP -> Lua ----------------------------------------------------------------------------

    /** Pushes the Lua form of the one reply in {@code buf}. */
    static void pushResp(LuaState s, long p, ByteBuf buf) {
        // A scalar takes one slot (a C function always has LUA_MINSTACK); aggregates check as they nest.
        parse(s, p, buf, true);
    }

    /** Pushes {@code len} bytes of {@code buf} from {@code index} as a Lua string. */
    private static void pushBytes(LuaState s, long p, ByteBuf buf, int index, int len) {
        if (buf.hasArray()) {
            s.pushBytes(p, buf.array(), buf.arrayOffset() + index, len);
        } else {
            s.pushLatin1(p, buf.toString(index, len, StandardCharsets.ISO_8859_1));
        }
    }

    private static long readLine(ByteBuf buf) {
        // the decimal number up to CRLF
        long v = 0;
        boolean neg = false;
        byte b = buf.readByte();
        if (b == '-') {
            neg = true;
        } else {
            v = b - '0';
        }
        while ((b = buf.readByte()) != '\r') {
            v = v * 10 + (b - '0');
        }
        buf.readByte();
        return neg ? -v : v;
    }

    private static byte[] readText(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.indexOf(start, buf.writerIndex(), (byte) '\r');
        byte[] out = new byte[end - start];
        buf.readBytes(out);
        buf.skipBytes(2);
        return out;
    }

    private static byte[] readBulk(ByteBuf buf, int len) {
        byte[] out = new byte[len];
        buf.readBytes(out);
        buf.skipBytes(2);
        return out;
    }

    /**
     * A RESP3 map or set as Redis hands it to Lua: {map={k=v...}} or {set={member=true...}}.
     * A map's elements come in key, value pairs; a set's values are all {@code true}.
     */
    private static void keyedTable(LuaState s, long p, ByteBuf buf, boolean push, String field, boolean pairs) {
        var n = s.c;
        long len = readLine(buf);
        if (push) {
            n.lua_checkstack(p, 8);
            n.lua_createtable(p, 0, 1);
            n.lua_pushstring(p, field);
            n.lua_createtable(p, 0, (int) Math.min(len, 1 << 16));
        }
        for (long j = 0; j < len; j++) {
            parse(s, p, buf, push);
            if (pairs) {
                parse(s, p, buf, push);
            } else if (push) {
                n.lua_pushboolean(p, 1);
            }
            if (push) {
                n.lua_settable(p, -3);
            }
        }
        if (push) {
            n.lua_settable(p, -3);
        }
    }

    /** Parses one reply; pushes its Lua value when {@code push} (attributes are parsed and dropped). */
    private static void parse(LuaState s, long p, ByteBuf buf, boolean push) {
        var n = s.c;
        byte type = buf.readByte();
        switch (type) {
            case ':' -> {
                long v = readLine(buf);
                if (push) {
                    n.lua_pushnumber(p, (double) v);
                }
            }
            case '$' -> {
                long len = readLine(buf);
                if (len < 0) {
                    if (push) {
                        n.lua_pushboolean(p, 0);
                    }
                } else {
                    if (push) {
                        pushBytes(s, p, buf, buf.readerIndex(), (int) len);
                    }
                    buf.skipBytes((int) len + 2);
                }
            }
            case '+' -> {
                int start = buf.readerIndex();
                int end = buf.indexOf(start, buf.writerIndex(), (byte) '\r');
                if (push) {
                    n.lua_createtable(p, 0, 1);
                    s.pushRef(p, s.okKey);
                    pushBytes(s, p, buf, start, end - start);
                    n.lua_rawset(p, -3);
                }
                buf.readerIndex(end + 2);
            }
            case '-' -> {
                byte[] b = readText(buf);
                if (push) {
                    pushError(s, p, new String(b, StandardCharsets.UTF_8));
                }
            }
            case '*', '>' -> {
                long len = readLine(buf);
                if (len < 0) {
                    if (push) {
                        n.lua_pushboolean(p, 0);
                    }
                    return;
                }
                if (push) {
                    n.lua_checkstack(p, 8);
                    n.lua_createtable(p, (int) Math.min(len, 1 << 16), 0);
                }
                for (long j = 0; j < len; j++) {
                    if (push) {
                        n.lua_pushnumber(p, j + 1);
                    }
                    parse(s, p, buf, push);
                    if (push) {
                        n.lua_settable(p, -3);
                    }
                }
            }
            case '%' -> keyedTable(s, p, buf, push, "map", true);
            case '~' -> keyedTable(s, p, buf, push, "set", false);
            case '_' -> {
                buf.skipBytes(2);
                if (push) {
                    n.lua_pushnil(p);
                }
            }
            case '#' -> {
                byte v = buf.readByte();
                buf.skipBytes(2);
                if (push) {
                    n.lua_pushboolean(p, v == 't' ? 1 : 0);
                }
            }
            case ',' -> {
                String text = new String(readText(buf), StandardCharsets.US_ASCII);
                if (push) {
                    n.lua_createtable(p, 0, 1);
                    n.lua_pushnumber(p, parseDouble(text));
                    n.lua_setfield(p, -2, "double");
                }
            }
            case '(' -> {
                byte[] b = readText(buf);
                if (push) {
                    n.lua_createtable(p, 0, 1);
                    s.pushBytes(p, b);
                    n.lua_setfield(p, -2, "big_number");
                }
            }
            case '=' -> {
                long len = readLine(buf);
                byte[] b = readBulk(buf, (int) len);
                if (push) {
                    n.lua_createtable(p, 0, 1);
                    n.lua_pushstring(p, "verbatim_string");
                    n.lua_createtable(p, 0, 2);
                    s.pushBytes(p, java.util.Arrays.copyOfRange(b, 4, b.length));
                    n.lua_setfield(p, -2, "string");
                    s.pushBytes(p, java.util.Arrays.copyOfRange(b, 0, 3));
                    n.lua_setfield(p, -2, "format");
                    n.lua_settable(p, -3);
                }
            }
            case '|' -> {
                long len = readLine(buf);
                for (long j = 0; j < len; j++) {
                    parse(s, p, buf, false);
                    parse(s, p, buf, false);
                }
                parse(s, p, buf, push);
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private static double parseDouble(String text) {
        return switch (text) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** An error reply "CODE msg" as Redis's error table (luaPushErrorBuff with a leading '-'). */
    static void pushError(LuaState s, long p, String reply) {
        String code;
        String msg;
        int sp = reply.indexOf(' ');
        if (sp < 0) {
            code = "ERR";
            msg = reply;
        } else {
            code = reply.substring(0, sp);
            msg = reply.substring(sp + 1);
        }
        ScriptEngine.pushErrorTable(s, p, code + " " + trimCrlf(msg));
    }

    private static String trimCrlf(String m) {
        int a = 0;
        int b = m.length();
        while (a < b && (m.charAt(a) == '\r' || m.charAt(a) == '\n')) {
            a++;
        }
        while (b > a && (m.charAt(b - 1) == '\r' || m.charAt(b - 1) == '\n')) {
            b--;
        }
        return m.substring(a, b);
    }

    // ---- Lua -> reply ---------------------------------------------------------------------------

    /** Writes the value on top of the stack as a reply and pops it (luaReplyToRedisReply). */
    static void toReply(LuaState s, long p, Reply r, int scriptResp) {
        var n = s.c;
        if (n.lua_checkstack(p, 4) == 0) {
            r.error("ERR reached lua stack limit");
            n.lua_pop(p, 1);
            return;
        }
        int t = n.lua_type(p, -1);
        switch (t) {
            case LuaState.TSTRING -> r.bulk(s.toBytes(p, -1));
            case LuaState.TBOOLEAN -> {
                boolean b = n.lua_toboolean(p, -1) != 0;
                if (scriptResp == 2) {
                    if (b) {
                        r.integer(1);
                    } else {
                        r.nullBulk();
                    }
                } else {
                    r.bool(b);
                }
            }
            case LuaState.TNUMBER -> r.integer(toLongLong(n.lua_tonumber(p, -1)));
            case LuaState.TTABLE -> {
                tableReply(s, p, r, scriptResp);
                return; // tableReply pops
            }
            default -> r.nullBulk();
        }
        n.lua_pop(p, 1);
    }

    /** C's (long long) cast of a double on x86-64: out of range and NaN give LLONG_MIN. */
    static long toLongLong(double d) {
        if (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static int rawField(LuaState s, long p, String name) {
        s.c.lua_pushstring(p, name);
        s.c.lua_rawget(p, -2);
        return s.c.lua_type(p, -1);
    }

    private static void tableReply(LuaState s, long p, Reply r, int scriptResp) {
        var n = s.c;
        if (rawField(s, p, "err") == LuaState.TSTRING) {
            n.lua_pop(p, 1);
            n.lua_getfield(p, -1, "err");
            String msg = s.toJavaString(p, -1);
            n.lua_pop(p, 2);
            r.error(msg);
            return;
        }
        n.lua_pop(p, 1);
        if (rawField(s, p, "ok") == LuaState.TSTRING) {
            String ok = s.toJavaString(p, -1).replace('\r', ' ').replace('\n', ' ');
            n.lua_pop(p, 2);
            r.simple(ok);
            return;
        }
        n.lua_pop(p, 1);
        if (rawField(s, p, "double") == LuaState.TNUMBER) {
            double d = n.lua_tonumber(p, -1);
            n.lua_pop(p, 2);
            r.doubleValue(d);
            return;
        }
        n.lua_pop(p, 1);
        if (rawField(s, p, "big_number") == LuaState.TSTRING) {
            String big = s.toJavaString(p, -1).replace('\r', ' ').replace('\n', ' ');
            n.lua_pop(p, 2);
            r.bigNumber(big);
            return;
        }
        n.lua_pop(p, 1);
        if (rawField(s, p, "verbatim_string") == LuaState.TTABLE) {
            if (rawField(s, p, "format") == LuaState.TSTRING) {
                String format = s.toJavaString(p, -1);
                n.lua_pushstring(p, "string");
                n.lua_rawget(p, -3);
                if (n.lua_type(p, -1) == LuaState.TSTRING) {
                    byte[] str = s.toBytes(p, -1);
                    n.lua_pop(p, 4);
                    verbatim(r, str, format);
                    return;
                }
                n.lua_pop(p, 1);
            }
            n.lua_pop(p, 1);
        }
        n.lua_pop(p, 1);
        if (rawField(s, p, "map") == LuaState.TTABLE) {
            // Entries are counted while written: the header is patched afterwards.
            ByteBuf out = r.buffer();
            int count = 0;
            ByteBuf body = io.netty.buffer.Unpooled.buffer();
            r.target(body);
            try {
                n.lua_pushnil(p);
                while (n.lua_next(p, -2) != 0) {
                    n.lua_pushvalue(p, -2);
                    toReply(s, p, r, scriptResp);
                    toReply(s, p, r, scriptResp);
                    count++;
                }
            } finally {
                r.target(out);
            }
            r.map(count);
            out.writeBytes(body);
            body.release();
            n.lua_pop(p, 2);
            return;
        }
        n.lua_pop(p, 1);
        if (rawField(s, p, "set") == LuaState.TTABLE) {
            ByteBuf out = r.buffer();
            int count = 0;
            ByteBuf body = io.netty.buffer.Unpooled.buffer();
            r.target(body);
            try {
                n.lua_pushnil(p);
                while (n.lua_next(p, -2) != 0) {
                    n.lua_pop(p, 1);
                    n.lua_pushvalue(p, -1);
                    toReply(s, p, r, scriptResp);
                    count++;
                }
            } finally {
                r.target(out);
            }
            r.set(count);
            out.writeBytes(body);
            body.release();
            n.lua_pop(p, 2);
            return;
        }
        n.lua_pop(p, 1);
        // An array, up to the first nil.
        ByteBuf out = r.buffer();
        int count = 0;
        ByteBuf body = io.netty.buffer.Unpooled.buffer();
        r.target(body);
        try {
            for (int j = 1; ; j++) {
                n.lua_rawgeti(p, -1, j);
                if (n.lua_type(p, -1) == LuaState.TNIL) {
                    n.lua_pop(p, 1);
                    break;
                }
                toReply(s, p, r, scriptResp);
                count++;
            }
        } finally {
            r.target(out);
        }
        r.array(count);
        out.writeBytes(body);
        body.release();
        n.lua_pop(p, 1);
    }

    private static void verbatim(Reply r, byte[] str, String format) {
        if (!r.resp3()) {
            r.bulk(str);
            return;
        }
        ByteBuf out = r.buffer();
        byte[] f = (format + "   ").substring(0, 3).getBytes(StandardCharsets.US_ASCII);
        out.writeByte('=');
        out.writeCharSequence(Integer.toString(str.length + 4), StandardCharsets.US_ASCII);
        out.writeByte('\r').writeByte('\n');
        out.writeBytes(f).writeByte(':').writeBytes(str);
        out.writeByte('\r').writeByte('\n');
    }
}
