package dev.keydb.server.scripting;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import party.iroiro.luajava.Lua;

/**
 * FUNCTION libraries (Redis's functions.c + function_lua.c): a library is Lua code starting
 * with {@code #!lua name=<lib>} that calls {@code redis.register_function} while FUNCTION LOAD
 * runs it; FCALL then calls a registered callback with the keys and arguments tables. The
 * libraries live in their own interpreter, so SCRIPT FLUSH and FUNCTION FLUSH are independent.
 */
public final class Functions {
    /** Script flags, in Redis's order (scripts_flags_def). */
    enum Flag {
        NO_WRITES("no-writes"), ALLOW_OOM("allow-oom"), ALLOW_STALE("allow-stale"), NO_CLUSTER("no-cluster");
        final String text;
        Flag(String text) {
            this.text = text;
        }
    }

    record Function(String name, int ref, String description, EnumSet<Flag> flags, Library library, Placement placement) { }

    static final class Library {
        final String name;
        final byte[] code;
        final Map<String, Function> functions = new LinkedHashMap<>();
        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    private final ScriptEngine engine;
    private LuaState lua;
    private int errRef, envRef, loadModeRef;
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    /** The library being loaded while FUNCTION LOAD runs its code, else null. */
    private Library loading;

    Functions(ScriptEngine engine) {
        this.engine = engine;
    }

    private LuaState lua() {
        if (lua == null) {
            lua = engine.createState(true);
            var c = lua.c;
            long p = lua.main;
            loadModeRef = c.luaL_ref(p, LuaState.REGISTRY);
            envRef = c.luaL_ref(p, LuaState.REGISTRY);
            lua.hookRef = c.luaL_ref(p, LuaState.REGISTRY);
            errRef = c.luaL_ref(p, LuaState.REGISTRY);
        }
        return lua;
    }

    private static boolean validName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '_') {
                return false;
            }
        }
        return true;
    }

    // ---- FUNCTION LOAD ----------------------------------------------------------------------------

    public String load(byte[] code, boolean replace) {
        String name = libraryName(code);
        Library old = libraries.get(name);
        if (old != null && !replace) {
            throw new CommandError("ERR Library '" + name + "' already exists");
        }
        Library lib = compile(code, name);
        for (Function f : lib.functions.values()) {
            Function existing = functions.get(f.name());
            if (existing != null && existing.library() != old) {
                unref(lib);
                throw new CommandError("ERR Function " + f.name() + " already exists");
            }
        }
        if (old != null) {
            remove(old);
        }
        install(lib);
        return name;
    }

    /** The library name of the {@code #!lua name=<lib>} shebang line, with Redis's metadata errors. */
    private static String libraryName(byte[] code) {
        String text = new String(code, StandardCharsets.UTF_8);
        if (!text.startsWith("#!")) {
            throw new CommandError("ERR Missing library metadata");
        }
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new CommandError("ERR Invalid library metadata");
        }
        String[] parts = text.substring(0, nl).split(" ", -1);
        String engineName = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("name=")) {
                name = parts[i].substring(5);
            } else {
                throw new CommandError("ERR Invalid metadata value given: " + parts[i]);
            }
        }
        if (name == null) {
            throw new CommandError("ERR Library name was not given");
        }
        if (!engineName.equalsIgnoreCase("lua")) {
            throw new CommandError("ERR Engine '" + engineName + "' not found");
        }
        if (!validName(name)) {
            throw new CommandError("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        return name;
    }

    /** Runs the library's code, collecting what it registers; the library is not installed yet. */
    private Library compile(byte[] code, String name) {
        LuaState s = lua();
        long p = s.main;
        var c = s.c;
        Library lib = new Library(name, code);
        int top = c.lua_gettop(p);
        // The shebang line stays in the code (as a comment to Lua): line numbers match Redis's.
        byte[] body = ("--" + new String(code, StandardCharsets.UTF_8).substring(2)).getBytes(StandardCharsets.UTF_8);
        try {
            if (s.load(p, body, "@user_function") != 0) {
                throw new CommandError("ERR Error compiling function: " + s.toJavaString(p, -1));
            }
            c.lua_rawgeti(p, LuaState.REGISTRY, envRef);
            c.lua_setfenv(p, -2);
            setLoadMode(s, true);
            loading = lib;
            int st;
            try {
                st = engine.runLibraryCode(s, p);
            } finally {
                loading = null;
                setLoadMode(s, false);
            }
            if (st != 0) {
                String msg;
                if (c.lua_type(p, -1) == LuaState.TTABLE) {
                    c.lua_getfield(p, -1, "err");
                    msg = s.toJavaString(p, -1);
                } else {
                    msg = "ERR " + s.toJavaString(p, -1);
                }
                unref(lib);
                throw new CommandError("ERR Error registering functions: " + msg);
            }
            if (lib.functions.isEmpty()) {
                throw new CommandError("ERR No functions registered");
            }
            return lib;
        } finally {
            c.lua_settop(p, top);
        }
    }

    private void install(Library lib) {
        libraries.put(lib.name, lib);
        for (Function f : lib.functions.values()) {
            functions.put(f.name(), f);
        }
    }

    private void setLoadMode(LuaState s, boolean on) {
        s.c.lua_rawgeti(s.main, LuaState.REGISTRY, loadModeRef);
        s.c.lua_pushboolean(s.main, on ? 1 : 0);
        s.c.lua_pcall(s.main, 1, 0, 0);
    }

    private void unref(Library lib) {
        for (Function f : lib.functions.values()) {
            lua.c.luaL_unref(lua.main, LuaState.REGISTRY, f.ref());
        }
    }

    private void remove(Library lib) {
        libraries.remove(lib.name);
        for (Function f : lib.functions.values()) {
            functions.remove(f.name());
        }
        unref(lib);
    }

    /** redis.register_function(name, callback) or redis.register_function{...}. */
    int registerFunction(LuaState s, Lua l) {
        long p = l.getPointer();
        var c = s.c;
        if (loading == null) {
            return fail(s, p, "redis.register_function can only be called on FUNCTION LOAD command");
        }
        int argc = c.lua_gettop(p);
        if (argc < 1 || argc > 2) {
            return fail(s, p, "wrong number of arguments to redis.register_function");
        }
        String name = null;
        String description = null;
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        if (argc == 1) {
            if (c.lua_type(p, 1) != LuaState.TTABLE) {
                return fail(s, p, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
            }
            boolean hasCallback = false;
            c.lua_pushnil(p);
            while (c.lua_next(p, 1) != 0) {
                if (c.lua_type(p, -2) != LuaState.TSTRING) {
                    return fail(s, p, "named argument key given to redis.register_function is not a string");
                }
                String key = s.toJavaString(p, -2);
                switch (key) {
                    case "function_name" -> {
                        if (c.lua_type(p, -1) != LuaState.TSTRING) {
                            return fail(s, p, "function_name argument given to redis.register_function must be a string");
                        }
                        name = s.toJavaString(p, -1);
                    }
                    case "description" -> {
                        if (c.lua_type(p, -1) != LuaState.TSTRING) {
                            return fail(s, p, "description argument given to redis.register_function must be a string");
                        }
                        description = s.toJavaString(p, -1);
                    }
                    case "callback" -> {
                        if (c.lua_type(p, -1) != LuaState.TFUNCTION) {
                            return fail(s, p, "callback argument given to redis.register_function must be a function");
                        }
                        hasCallback = true;
                    }
                    case "flags" -> {
                        if (c.lua_type(p, -1) != LuaState.TTABLE) {
                            return fail(s, p, "flags argument to redis.register_function must be a table representing function flags");
                        }
                        for (int j = 1; ; j++) {
                            c.lua_rawgeti(p, -1, j);
                            if (c.lua_type(p, -1) == LuaState.TNIL) {
                                c.lua_pop(p, 1);
                                break;
                            }
                            String flag = c.lua_type(p, -1) == LuaState.TSTRING ? s.toJavaString(p, -1) : null;
                            c.lua_pop(p, 1);
                            Flag found = null;
                            for (Flag f : Flag.values()) {
                                if (f.text.equals(flag)) {
                                    found = f;
                                }
                            }
                            if (found == null) {
                                return fail(s, p, "unknown flag given");
                            }
                            flags.add(found);
                        }
                    }
                    default -> {
                        return fail(s, p, "unknown argument given to redis.register_function");
                    }
                }
                c.lua_pop(p, 1);
            }
            if (name == null) {
                return fail(s, p, "redis.register_function must get a function name argument");
            }
            if (!hasCallback) {
                return fail(s, p, "redis.register_function must get a callback argument");
            }
            c.lua_getfield(p, 1, "callback");
            return add(s, p, name, description, flags);
        }
        if (c.lua_type(p, 1) != LuaState.TSTRING) {
            return fail(s, p, "first argument to redis.register_function must be a string");
        }
        if (c.lua_type(p, 2) != LuaState.TFUNCTION) {
            return fail(s, p, "second argument to redis.register_function must be a function");
        }
        name = s.toJavaString(p, 1);
        c.lua_pushvalue(p, 2);
        return add(s, p, name, null, flags);
    }

    private int add(LuaState s, long p, String name, String description, EnumSet<Flag> flags) {
        var c = s.c;
        if (!validName(name)) {
            c.lua_pop(p, 1);
            return fail(s, p, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (loading.functions.containsKey(name)) {
            c.lua_pop(p, 1);
            return fail(s, p, "Function already exists in the library");
        }
        int ref = c.luaL_ref(p, LuaState.REGISTRY);
        loading.functions.put(name, new Function(name, ref, description, flags, loading, new Placement()));
        return 0;
    }

    private static int fail(LuaState s, long p, String msg) {
        ScriptEngine.pushErrorTable(s, p, "ERR " + msg);
        return -1;
    }

    // ---- FUNCTION DUMP / RESTORE ------------------------------------------------------------------

    /** INFO number_of_functions. */
    public int functionCount() {
        return functions.size();
    }

    /** INFO number_of_libraries. */
    public int libraryCount() {
        return libraries.size();
    }

    /** Bytes of the libraries' code (INFO used_memory_functions). */
    public long codeBytes() {
        long n = 0;
        for (Library lib : libraries.values()) {
            n += lib.code.length;
        }
        return n;
    }

    /** Memory of the functions' interpreter (INFO used_memory_vm_functions); 0 before its first use. */
    public long vmBytes() {
        return lua == null ? 0 : ScriptEngine.vmBytes(lua);
    }

    /** Every library's code, in load order (FUNCTION DUMP's payload holds one RDB string each). */
    public List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>(libraries.size());
        for (Library lib : libraries.values()) {
            out.add(lib.code);
        }
        return out;
    }

    /** Restore policies of FUNCTION RESTORE. */
    public enum RestorePolicy { APPEND, REPLACE, FLUSH }

    /**
     * FUNCTION RESTORE (functionRestoreCommand): compiles every library of the payload apart
     * from the installed ones, then joins them (libraryJoin) or, under FLUSH, replaces them all;
     * on any error nothing changes.
     */
    public void restore(List<byte[]> codes, RestorePolicy policy) {
        Map<String, Library> staged = new LinkedHashMap<>();
        try {
            for (byte[] code : codes) {
                String name = libraryName(code);
                if (staged.containsKey(name)) {
                    throw new CommandError("ERR Library '" + name + "' already exists");
                }
                Library lib = compile(code, name);
                staged.put(name, lib);
                for (Function f : lib.functions.values()) {
                    for (Library other : staged.values()) {
                        if (other != lib && other.functions.containsKey(f.name())) {
                            throw new CommandError("ERR Function " + f.name() + " already exists");
                        }
                    }
                }
            }
            List<Library> replaced = new ArrayList<>();
            if (policy == RestorePolicy.FLUSH) {
                replaced.addAll(libraries.values());
            } else {
                for (Library lib : staged.values()) {
                    Library old = libraries.get(lib.name);
                    if (old != null) {
                        if (policy != RestorePolicy.REPLACE) {
                            throw new CommandError("ERR Library " + lib.name + " already exists");
                        }
                        replaced.add(old);
                    }
                }
                for (Library lib : staged.values()) {
                    for (Function f : lib.functions.values()) {
                        Function existing = functions.get(f.name());
                        if (existing != null && !replaced.contains(existing.library())) {
                            throw new CommandError("ERR Function " + f.name() + " already exists");
                        }
                    }
                }
            }
            for (Library old : replaced) {
                remove(old);
            }
        } catch (CommandError e) {
            for (Library lib : staged.values()) {
                unref(lib);
            }
            throw e;
        }
        for (Library lib : staged.values()) {
            install(lib);
        }
    }

    // ---- FCALL --------------------------------------------------------------------------------------

    public void fcall(CommandContext c, boolean ro) {
        engine.feedMonitors(c);
        Function f = functions.get(c.argString(1));
        if (f == null) {
            throw new CommandError("ERR Function not found");
        }
        long numkeys = c.longArg(2);
        if (numkeys > c.argc() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        } else if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        boolean noWrites = f.flags().contains(Flag.NO_WRITES);
        if (ro && !noWrites) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
        boolean allowOom = f.flags().contains(Flag.ALLOW_OOM);
        engine.refuseWhenOutOfMemory(noWrites, allowOom);
        engine.execute(c, lua(), errRef, f.ref(), f.name(), false, ro || noWrites, allowOom, (int) numkeys, f.placement());
    }

    // ---- FUNCTION LIST / DELETE / FLUSH / STATS -------------------------------------------------------

    public void delete(String name) {
        Library lib = libraries.get(name);
        if (lib == null) {
            throw new CommandError("ERR Library not found");
        }
        remove(lib);
    }

    public void flush() {
        libraries.clear();
        functions.clear();
        if (lua != null) {
            lua.close();
            lua = null;
        }
    }

    public void list(Reply r, String pattern, boolean withCode) {
        List<Library> shown = new ArrayList<>();
        for (Library lib : libraries.values()) {
            if (pattern == null || Glob.matches(pattern.getBytes(StandardCharsets.UTF_8), lib.name.getBytes(StandardCharsets.UTF_8), true)) {
                shown.add(lib);
            }
        }
        r.array(shown.size());
        for (Library lib : shown) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name);
            r.bulk("engine");
            r.bulk("LUA");
            r.bulk("functions");
            r.array(lib.functions.size());
            for (Function f : lib.functions.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name());
                r.bulk("description");
                if (f.description() == null) {
                    r.nullBulk();
                } else {
                    r.bulk(f.description());
                }
                r.bulk("flags");
                r.set(f.flags().size());
                for (Flag flag : f.flags()) {
                    r.simple(flag.text);
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code);
            }
        }
    }

    public void stats(Reply r) {
        r.map(2);
        r.bulk("running_script");
        String[] running = engine.runningFunction();
        if (running == null) {
            r.nullBulk();
        } else {
            r.map(3);
            r.bulk("name");
            r.bulk(running[0]);
            r.bulk("command");
            r.array(1);
            r.bulk(running[1]);
            r.bulk("duration_ms");
            r.integer(Long.parseLong(running[2]));
        }
        r.bulk("engines");
        r.map(1);
        r.bulk("LUA");
        r.map(2);
        r.bulk("libraries_count");
        r.integer(libraries.size());
        r.bulk("functions_count");
        r.integer(functions.size());
    }
}
