package dev.keydb.server.scripting;

import dev.keydb.server.Client;
import dev.keydb.server.Log;
import dev.keydb.server.MaxMemory;
import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Numbers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * Lua scripting (Redis's eval.c + script.c + script_lua.c): one Lua 5.1 interpreter per server,
 * scripts cached by SHA1, {@code redis.call} running commands through the dispatcher as a
 * connection-less client whose RESP reply is parsed back into Lua values, and the busy-script
 * protocol ({@code busy-reply-threshold}, SCRIPT KILL).
 *
 * <p>Everything but {@link #busy()}, {@link #busyError()} and the kill requests runs under the
 * keyspace lock: scripts are atomic because the dispatcher holds the lock while they run.
 */
public final class ScriptEngine {
    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    private static final int VERSION_NUM = versionNum(Server.VERSION);

    private final Server server;
    private LuaState lua;
    private int errHandlerRef, hookRef, envRef;
    /** SHA1 (lower-case hex) to the registry reference of the compiled script and its flags. */
    private final Map<String, Script> scripts = new HashMap<>();

    private Client client;
    private CommandContext context;
    private final ByteBuf replyBuf = Unpooled.buffer(256);

    // ---- the running script (written by the script's thread, read by others without the lock)
    private volatile long runningSinceMs;
    private volatile boolean killRequested;
    private volatile boolean wroteDirty;
    /** The run called a command with effects beyond the dataset (PUBLISH, may-replicate ones). */
    private boolean hadEffects;
    /** The run is on an event loop and may still move to the script thread (see Placement). */
    private boolean movableRun;
    /** The hook stopped the run to move it: its error is not replied, it runs again elsewhere. */
    private boolean moveRequested;
    private long longRunMs;
    private volatile boolean evalMode;
    private volatile boolean timedOutLogged;
    private boolean readOnly;
    /** The running script may call commands that add memory even when out of memory (allow-oom). */
    private boolean allowOom;
    private long rand48 = 0x1234ABCD330EL; // rand.c initial X2 X1 X0

    record Script(int ref, boolean noWrites, boolean allowOom, boolean compat, Placement placement) { }

    /** The last EVALSHA's argument as sent, its lower-case SHA1 and script (checked against the cache). */
    private byte[] lastShaArg;
    private String lastSha;
    private Script lastScript;

    /** REDIS_VERSION_NUM: (major << 16) | (minor << 8) | patch. */
    private static int versionNum(String v) {
        String[] parts = v.split("\\.");
        return (Integer.parseInt(parts[0]) << 16) | (Integer.parseInt(parts[1]) << 8) | Integer.parseInt(parts[2]);
    }

    public ScriptEngine(Server server) {
        this.server = server;
    }

    // ---- busy scripts ---------------------------------------------------------------------------

    /** Whether a script has been running for longer than busy-reply-threshold (read without the lock). */
    public boolean busy() {
        long since = runningSinceMs;
        long threshold = server.config().busyReplyThreshold;
        return since != 0 && threshold > 0 && System.currentTimeMillis() - since >= threshold;
    }

    /** The -BUSY error for other clients while the running script is busy (an EVAL's or a function's text). */
    public String busyError() {
        return evalMode ? BUSY_EVAL : BUSY_FUNCTION;
    }

    /** SHUTDOWN NOSAVE while a script is busy: the script stops at its next hook and the server shuts down. */
    public void killForShutdown() {
        killRequested = true;
    }

    /** Whether a script is running on the thread of {@code loop} (new connections then go elsewhere). */
    public boolean runsOn(io.netty.util.concurrent.EventExecutor loop) {
        Thread t = runningThread;
        return t != null && loop.inEventLoop(t);
    }

    /** SCRIPT KILL (isEval) / FUNCTION KILL: may run with or without the lock. */
    public void kill(Reply r, boolean isEval) {
        if (runningSinceMs == 0) {
            r.error("NOTBUSY No scripts in execution right now.");
        } else if (wroteDirty) {
            r.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either "
                    + "wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        } else if (isEval && !evalMode) {
            r.error(BUSY_FUNCTION);
        } else if (!isEval && evalMode) {
            r.error(BUSY_EVAL);
        } else {
            killRequested = true;
            r.ok();
        }
    }

    /** Until when a library's code may run while FUNCTION LOAD (or a restore) runs it; 0 when none does. */
    private long loadDeadlineMs;

    /**
     * Runs a function library's code with Redis's 500 ms limit (function_lua.c LOAD_TIMEOUT_MS):
     * past it the count hook raises "FUNCTION LOAD timeout", so a library that loops forever
     * cannot hold the server.
     */
    int runLibraryCode(LuaState s, long p) {
        loadDeadlineMs = System.currentTimeMillis() + LOAD_TIMEOUT_MS;
        try {
            return s.c.lua_pcall(p, 0, 0, 0);
        } finally {
            if (System.currentTimeMillis() > loadDeadlineMs) {
                s.hookDisturbed = true; // the hook switched to every line: reinstalled before the next run
            }
            loadDeadlineMs = 0;
        }
    }

    static final long LOAD_TIMEOUT_MS = 500;

    /** Called by the count hook every 100000 instructions: whether to abort the script. */
    private int hookCheck(Lua l) {
        long deadline = loadDeadlineMs;
        if (deadline != 0 && System.currentTimeMillis() > deadline) {
            l.push("ERR FUNCTION LOAD timeout");
            return 1;
        }
        long since = runningSinceMs;
        if (since != 0 && busy()) {
            if (!timedOutLogged) {
                timedOutLogged = true;
                Log.warning("Slow script detected: still in execution after " + (System.currentTimeMillis() - since)
                        + " milliseconds. You can try killing the script using the "
                        + (evalMode ? "SCRIPT KILL" : "FUNCTION KILL") + " command.");
            }
            server.serveWhileScriptBusy(); // Redis's processEventsWhileBlocked: this thread holds the lock
        }
        if (movableRun && !moveRequested && !wroteDirty && !hadEffects && since != 0
                && System.currentTimeMillis() - since >= longRunMs) {
            moveRequested = true;
        }
        boolean kill = killRequested || moveRequested;
        if (killRequested) {
            Log.warning("Lua script killed by user with SCRIPT KILL.");
        }
        if (kill) {
            LuaState r = running;
            if (r != null) {
                r.hookDisturbed = true;
            }
        }
        l.getLuaNatives().lua_pushboolean(l.getPointer(), kill ? 1 : 0);
        return 1;
    }

    // ---- the interpreter ------------------------------------------------------------------------

    private LuaState lua() {
        if (lua == null) {
            lua = createState(false);
            lua.c.lua_pop(lua.main, 1); // the load-mode switch is for functions only
            envRef = lua.c.luaL_ref(lua.main, LuaState.REGISTRY);
            hookRef = lua.c.luaL_ref(lua.main, LuaState.REGISTRY);
            lua.hookRef = hookRef;
            errHandlerRef = lua.c.luaL_ref(lua.main, LuaState.REGISTRY);
        }
        return lua;
    }

    private Functions functions;

    /** The FUNCTION libraries (their own interpreter, as Redis's function_lua.c). */
    public Functions functions() {
        if (functions == null) {
            functions = new Functions(this);
        }
        return functions;
    }

    /**
     * A new interpreter with the prelude run: leaves on the stack the error handler, the hook
     * installer, the environment of user code and the load-mode switch (top).
     */
    LuaState createState(boolean functions) {
        LuaState s = new LuaState();
        s.installDecoder();
        long p = s.main;
        var c = s.c;
        // The table of Java functions and Lua libraries the prelude builds the environment from.
        c.lua_createtable(p, 0, 16);
        setFunction(s, "call", l -> redisCall(s, l, true));
        setFunction(s, "pcall", l -> redisCall(s, l, false));
        setFunction(s, "sha1hex", l -> sha1hexFn(s, l));
        setFunction(s, "log", l -> logFn(s, l));
        setFunction(s, "setresp", l -> setrespFn(s, l));
        setFunction(s, "acl_check_cmd", l -> aclCheckFn(s, l));
        setFunction(s, "check", this::hookCheck);
        setFunction(s, "random", l -> randomFn(s, l));
        setFunction(s, "randomseed", l -> randomseedFn(s, l));
        if (functions) {
            setFunction(s, "register_function", l -> functions().registerFunction(s, l));
        }
        setFunction(s, "wrap", l -> LuaLibraries.wrap(s, l));
        s.pushString(p, dev.keydb.server.Server.VERSION);
        c.lua_setfield(p, -2, "version");
        c.lua_pushnumber(p, VERSION_NUM);
        c.lua_setfield(p, -2, "version_num");
        LuaLibraries.register(s, -1);
        runResource(s, "prelude.lua", 1, 4);
        return s;
    }

    private static void setFunction(LuaState s, String name, JFunction f) {
        s.pushFunction(f);
        s.c.lua_setfield(s.main, -2, name);
    }

    /** Runs a bundled Lua file with {@code nargs} arguments on the stack, leaving {@code nresults}. */
    static void runResource(LuaState s, String name, int nargs, int nresults) {
        byte[] code;
        try (InputStream in = ScriptEngine.class.getResourceAsStream(name)) {
            code = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing scripting resource " + name, e);
        }
        long p = s.main;
        if (s.load(p, code, "@__keydb_" + name) != 0) {
            throw new IllegalStateException("Lua " + name + ": " + s.c.lua_tostring(p, -1));
        }
        s.c.lua_insert(p, -1 - nargs);
        if (s.c.lua_pcall(p, nargs, nresults, 0) != 0) {
            throw new IllegalStateException("Lua " + name + ": " + s.c.lua_tostring(p, -1));
        }
    }

    /** SCRIPT FLUSH: a new interpreter, no cached script (Redis's scriptingReset). */
    public void flush() {
        if (lua != null) {
            lua.close();
            lua = null;
        }
        scripts.clear();
        scriptBodyBytes = 0;
        lastScript = null;
    }

    public boolean exists(String sha) {
        return scripts.containsKey(sha.toLowerCase(Locale.ROOT));
    }

    public int scriptCount() {
        return scripts.size();
    }

    /** Bytes of the cached scripts' bodies (INFO used_memory_scripts_eval). */
    public long scriptBodyBytes() {
        return scriptBodyBytes;
    }

    private long scriptBodyBytes;

    /** Memory of the EVAL interpreter, as Lua counts it (INFO used_memory_vm_eval); 0 before its first use. */
    public long evalVmBytes() {
        return lua == null ? 0 : vmBytes(lua);
    }

    /** lua_gc(LUA_GCCOUNT) KB plus lua_gc(LUA_GCCOUNTB) bytes: what the interpreter has allocated. */
    static long vmBytes(LuaState s) {
        return s.c.lua_gc(s.main, 3 /* LUA_GCCOUNT */, 0) * 1024L + s.c.lua_gc(s.main, 4 /* LUA_GCCOUNTB */, 0);
    }

    // ---- EVAL -----------------------------------------------------------------------------------

    /** SCRIPT LOAD: compiles and caches; the SHA1, or a CommandError. */
    public String load(byte[] body) {
        String sha = sha1hex(body);
        if (!scripts.containsKey(sha)) {
            create(sha, body);
        }
        return sha;
    }

    private Script create(String sha, byte[] body) {
        boolean noWrites = false;
        boolean allowOom = false;
        boolean compat = true;
        int bodyStart = 0;
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            int nl = indexOf(body, (byte) '\n');
            int end = nl < 0 ? body.length : nl;
            String shebang = new String(body, 0, end, StandardCharsets.UTF_8);
            String[] parts = shebang.split(" ", -1);
            if (!parts[0].equals("#!lua")) {
                throw new CommandError("ERR Unexpected engine in script shebang: " + parts[0]);
            }
            compat = false;
            for (int j = 1; j < parts.length; j++) {
                if (parts[j].startsWith("flags=")) {
                    for (String f : parts[j].substring(6).split(",", -1)) {
                        switch (f) {
                            case "no-writes" -> noWrites = true;
                            case "allow-oom" -> allowOom = true;
                            case "allow-stale", "no-cluster" -> { }
                            default -> {
                                if (!f.isEmpty()) {
                                    throw new CommandError("ERR Unexpected flag in script shebang: " + f);
                                }
                            }
                        }
                    }
                } else {
                    throw new CommandError("ERR Unknown lua shebang option: " + parts[j]);
                }
            }
            bodyStart = end;
        }
        LuaState s = lua();
        long p = s.main;
        byte[] code = bodyStart == 0 ? body : java.util.Arrays.copyOfRange(body, bodyStart, body.length);
        if (s.load(p, code, "@user_script") != 0) {
            String msg = s.toJavaString(p, -1);
            s.c.lua_pop(p, 1);
            throw new CommandError("ERR Error compiling script (new function): " + msg);
        }
        s.c.lua_rawgeti(p, LuaState.REGISTRY, envRef);
        s.c.lua_setfenv(p, -2);
        Script script = new Script(s.c.luaL_ref(p, LuaState.REGISTRY), noWrites, allowOom, compat, new Placement());
        scripts.put(sha, script);
        scriptBodyBytes += body.length;
        return script;
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** EVAL / EVALSHA / EVAL_RO / EVALSHA_RO. */
    public void eval(CommandContext c, boolean bySha, boolean ro) {
        feedMonitors(c);
        if (bySha && c.arg(1).length != 40) {
            throw new CommandError("NOSCRIPT No matching script. Please use EVAL."); // before numkeys, as evalShaCommand
        }
        long numkeys = c.longArg(2);
        if (numkeys > c.argc() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        } else if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        String sha;
        Script script;
        if (bySha) {
            if (c.arg(1).length != 40) {
                throw new CommandError("NOSCRIPT No matching script. Please use EVAL.");
            }
            if (lastScript != null && java.util.Arrays.equals(c.arg(1), lastShaArg) && scripts.get(lastSha) == lastScript) {
                sha = lastSha; // the same script as last time (EVALSHA in a loop): no new string, no lower-casing
                script = lastScript;
            } else {
                sha = new String(c.arg(1), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                script = scripts.get(sha);
                if (script == null) {
                    throw new CommandError("NOSCRIPT No matching script. Please use EVAL.");
                }
                lastShaArg = c.arg(1).clone();
                lastSha = sha;
                lastScript = script;
            }
        } else {
            sha = sha1hex(c.arg(1));
            script = scripts.get(sha);
            if (script == null) {
                script = create(sha, c.arg(1));
            }
        }
        if (!script.compat() && !script.noWrites() && ro) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
        if (!script.compat()) {
            refuseWhenOutOfMemory(script.noWrites(), script.allowOom());
        }
        run(c, script, sha, (int) numkeys, ro || (!script.compat() && script.noWrites()), script.allowOom());
    }

    /**
     * EVAL, EVALSHA and FCALL (flagged skip_monitor) feed monitors themselves before anything
     * else, as Redis's evalCommand: the script's own commands then follow their script's line.
     */
    void feedMonitors(CommandContext c) {
        var monitors = server.dispatcher().monitors();
        if (!monitors.isEmpty() && !c.retrying() && !c.runsAfterMove()) {
            monitors.feedUnconditionally(c.client(), c.reply(), c.argv(), c.client().db());
        }
    }

    private void run(CommandContext c, Script script, String sha, int numkeys, boolean readOnlyRun, boolean allowOom) {
        LuaState s = lua();
        execute(c, s, errHandlerRef, script.ref(), sha, true, readOnlyRun, allowOom, numkeys, script.placement());
    }

    /**
     * A script that declared its flags (a shebang, or a function) and may write counts as a
     * command that may add memory (Redis's getCommandFlags): refused when the command began out
     * of memory, unless it says allow-oom.
     */
    void refuseWhenOutOfMemory(boolean noWrites, boolean allowOom) {
        if (!noWrites && !allowOom && server.config().maxmemory > 0 && server.maxMemory().oomAtCommandStart()) {
            throw new CommandError(MaxMemory.OOM_ERROR);
        }
    }

    /**
     * Runs a script (eval: KEYS and ARGV globals, no arguments) or a function (keys and args
     * tables as arguments) with the busy-script bookkeeping, and writes its reply.
     */
    void execute(CommandContext c, LuaState s, int errRef, int fnRef, String name, boolean eval, boolean readOnlyRun,
            boolean allowOomRun, int numkeys, Placement placement) {
        if (!placement.onEventLoop() && c.moveToScriptThread()) {
            return; // not known to be short: it runs on the script thread
        }
        long p = s.main;
        var n = s.c;
        if (client == null) {
            client = server.newScriptClient();
            context = new CommandContext(server, client);
        }
        client.db(c.client().db());
        client.protocol(2);
        readOnly = readOnlyRun;
        allowOom = allowOomRun;
        wroteDirty = false;
        hadEffects = false;
        movableRun = c.canMoveToScriptThread();
        moveRequested = false;
        longRunMs = Placement.longRunMs(server.config().busyReplyThreshold);
        killRequested = false;
        timedOutLogged = false;
        evalMode = eval;
        if (s.hookDisturbed) {
            s.hookDisturbed = false;
            n.lua_rawgeti(p, LuaState.REGISTRY, s.hookRef);
            n.lua_pcall(p, 0, 0, 0);
        }
        int top = n.lua_gettop(p);
        try {
            int keysFrom = 3;
            int argsFrom = 3 + numkeys;
            int argsCount = c.argc() - 3 - numkeys;
            if (eval) {
                s.pushRef(p, s.keysName);
                pushArray(s, p, c.argv(), keysFrom, numkeys);
                n.lua_rawset(p, LuaState.GLOBALS);
                s.pushRef(p, s.argvName);
                pushArray(s, p, c.argv(), argsFrom, argsCount);
                n.lua_rawset(p, LuaState.GLOBALS);
            }
            n.lua_rawgeti(p, LuaState.REGISTRY, errRef);
            n.lua_rawgeti(p, LuaState.REGISTRY, fnRef);
            if (!eval) {
                pushArray(s, p, c.argv(), keysFrom, numkeys);
                pushArray(s, p, c.argv(), argsFrom, argsCount);
            }
            running = s;
            runningName = name;
            runningCommand = c.arg(0);
            runningThread = Thread.currentThread();
            long started = System.currentTimeMillis();
            runningSinceMs = started;
            int err = eval ? n.lua_pcall(p, 0, 1, -2) : n.lua_pcall(p, 2, 1, -4);
            runningSinceMs = 0;
            if (moveRequested) {
                // Long on the event loop before it changed anything: run it again, from the
                // start, on the script thread (the client's later commands wait behind it).
                placement.ranLong();
                c.moveToScriptThread();
                return;
            }
            placement.ran(System.currentTimeMillis() - started, longRunMs);
            if (err != 0) {
                replyError(s, p, c.reply(), name);
            } else {
                LuaReplies.toReply(s, p, c.reply(), client.protocol());
            }
            if (++gcCount == 50) {
                gcCount = 0;
                n.lua_gc(p, 5 /* LUA_GCSTEP */, 50);
            }
        } finally {
            runningSinceMs = 0;
            runningThread = null;
            killRequested = false;
            running = null;
            n.lua_settop(p, top);
        }
    }

    private volatile LuaState running;
    private volatile Thread runningThread;
    private volatile String runningName;
    /** The running command's name as sent (lower-cased when FUNCTION STATS shows it). */
    private volatile byte[] runningCommand;

    /** FUNCTION STATS running_script: name, command and duration, or null when none runs (or it is an EVAL). */
    String[] runningFunction() {
        long since = runningSinceMs;
        if (since == 0 || evalMode) {
            return null;
        }
        String command = new String(runningCommand, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        return new String[] {runningName, command, Long.toString(System.currentTimeMillis() - since)};
    }

    private int gcCount;

    private static void pushArray(LuaState s, long p, byte[][] argv, int from, int count) {
        s.c.lua_createtable(p, count, 0);
        for (int i = 0; i < count; i++) {
            s.pushBytes(p, argv[from + i]);
            s.c.lua_rawseti(p, -2, i + 1);
        }
    }

    /** The reply for a failed script: the error table's err, plus where it happened. */
    private static void replyError(LuaState s, long p, Reply r, String name) {
        var n = s.c;
        if (n.lua_type(p, -1) != LuaState.TTABLE) {
            String msg = n.lua_type(p, -1) == LuaState.TSTRING ? s.toJavaString(p, -1) : "execution failure";
            if (msg.length() > 100) {
                msg = msg.substring(0, 100);
            }
            r.error("ERR Error running script " + name + ", " + msg);
            return;
        }
        String msg = field(s, p, "err");
        String source = field(s, p, "source");
        String line = field(s, p, "line");
        StringBuilder sb = new StringBuilder(msg == null ? "" : msg);
        if (line != null && source != null) {
            sb.append(" script: ").append(name).append(", on ").append(source).append(':').append(line).append('.');
        }
        r.error(sb.toString());
    }

    private static String field(LuaState s, long p, String name) {
        s.c.lua_getfield(p, -1, name);
        String v = s.toJavaString(p, -1);
        s.c.lua_pop(p, 1);
        return v;
    }

    // ---- redis.* functions in Java ------------------------------------------------------------

    /** Raises a Lua error with the value on top of the stack. */
    private static int raise() {
        return -1;
    }

    /** Pushes Redis's error table {err = "ERR msg"} (luaPushError). */
    static void pushErrorTable(LuaState s, long p, String err) {
        s.c.lua_createtable(p, 0, 1);
        s.pushRef(p, s.errKey);
        s.pushString(p, err);
        s.c.lua_rawset(p, -3);
    }

    private int redisCall(LuaState lua, Lua l, boolean raise) {
        LuaState s = lua;
        long p = l.getPointer();
        var n = s.c;
        int argc = n.lua_gettop(p);
        if (runningSinceMs == 0 && client == null) {
            pushErrorTable(s, p, "ERR redis.call/pcall can only be called inside a script invocation");
            return raise();
        }
        if (argc == 0) {
            pushErrorTable(s, p, "ERR Please specify at least one argument for this redis lib call");
            return raise ? raise() : 1;
        }
        byte[][] argv = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            int t = n.lua_type(p, j + 1);
            if (t == LuaState.TNUMBER) {
                argv[j] = Numbers.formatDouble(n.lua_tonumber(p, j + 1)).getBytes(StandardCharsets.US_ASCII);
            } else if (t == LuaState.TSTRING) {
                argv[j] = s.stringBytes(p, j + 1);
            } else {
                n.lua_settop(p, 0);
                pushErrorTable(s, p, "ERR Lua redis lib command arguments must be strings or integers");
                return raise ? raise() : 1;
            }
        }
        // The arguments stay on the stack: the one value returned is the one pushed last.
        String err = verify(argv);
        if (err != null) {
            pushErrorTable(s, p, err);
            return raise ? raise() : 1;
        }
        replyBuf.clear();
        client.reply().target(replyBuf);
        try {
            server.dispatcher().execute(context, argv);
        } finally {
            client.reply().target(null);
        }
        boolean isError = replyBuf.isReadable() && replyBuf.getByte(replyBuf.readerIndex()) == '-';
        LuaReplies.pushResp(s, p, replyBuf);
        return raise && isError ? raise() : 1;
    }

    /** scriptCall's checks before running a command from a script; the error text or null. */
    private String verify(byte[][] argv) {
        CommandSpec spec = server.commands().resolve(argv);
        if (spec == null) {
            return "ERR Unknown Redis command called from script";
        }
        if (!spec.arityAccepts(argv.length)) {
            return "ERR Wrong number of args calling Redis command from script";
        }
        if (spec.has(CommandFlag.NOSCRIPT)) {
            return "ERR This Redis command is not allowed from script";
        }
        if (moveRequested) {
            // A run being moved (an error it caught with pcall) changes nothing any more.
            return "ERR Script moved to the script thread";
        }
        if (spec.has(CommandFlag.WRITE) && readOnly) {
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        // scriptVerifyOOM: out of memory when the script began, nothing that adds memory runs
        // until the script has written (then it cannot stop half-way).
        if (spec.has(CommandFlag.DENYOOM) && !allowOom && !wroteDirty && server.config().maxmemory > 0
                && server.maxMemory().oomAtCommandStart()) {
            return MaxMemory.OOM_ERROR;
        }
        if (spec.has(CommandFlag.WRITE)) {
            wroteDirty = true;
        } else if (spec.has(CommandFlag.MAY_REPLICATE) || spec.has(CommandFlag.PUBSUB)) {
            hadEffects = true; // PUBLISH, PFCOUNT...: a second run would repeat them
        }
        return null;
    }

    private int sha1hexFn(LuaState lua, Lua l) {
        long p = l.getPointer();
        if (lua.c.lua_gettop(p) != 1) {
            pushErrorTable(lua, p, "ERR wrong number of arguments");
            return raise();
        }
        byte[] b = lua.toBytes(p, 1);
        lua.c.lua_pushstring(p, sha1hex(b == null ? new byte[0] : b));
        return 1;
    }

    private int logFn(LuaState lua, Lua l) {
        long p = l.getPointer();
        var n = lua.c;
        int argc = n.lua_gettop(p);
        if (argc < 2) {
            pushErrorTable(lua, p, "ERR redis.log() requires two arguments or more.");
            return raise();
        }
        if (n.lua_isnumber(p, 1) == 0) {
            pushErrorTable(lua, p, "ERR First argument must be a number (log level).");
            return raise();
        }
        int level = (int) n.lua_tonumber(p, 1);
        if (level < 0 || level > 3) {
            pushErrorTable(lua, p, "ERR Invalid debug level.");
            return raise();
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 2; j <= argc; j++) {
            String v = lua.toJavaString(p, j);
            if (v != null) {
                if (j != 2) {
                    sb.append(' ');
                }
                sb.append(v);
            }
        }
        Log.log(Log.Level.values()[level], sb.toString());
        return 0;
    }

    private int setrespFn(LuaState lua, Lua l) {
        long p = l.getPointer();
        var n = lua.c;
        if (n.lua_gettop(p) != 1) {
            pushErrorTable(lua, p, "ERR redis.setresp() requires one argument.");
            return raise();
        }
        int resp = (int) n.lua_tonumber(p, 1);
        if (resp != 2 && resp != 3) {
            pushErrorTable(lua, p, "ERR RESP version must be 2 or 3.");
            return raise();
        }
        client.protocol(resp);
        return 0;
    }

    private int aclCheckFn(LuaState lua, Lua l) {
        long p = l.getPointer();
        var n = lua.c;
        int argc = n.lua_gettop(p);
        if (argc == 0) {
            pushErrorTable(lua, p, "ERR Please specify at least one argument for this redis lib call");
            return raise();
        }
        byte[] name = lua.toBytes(p, 1);
        n.lua_settop(p, 0);
        if (name == null || server.commands().lookup(name) == null) {
            pushErrorTable(lua, p, "ERR Invalid command passed to redis.acl_check_cmd()");
            return raise();
        }
        n.lua_pushboolean(p, 1); // no ACL users yet: the default user may run everything
        return 1;
    }

    // math.random / math.randomseed: Redis's rand48, so that sequences match Redis's.
    private static long seed48(long seed) {
        return ((seed & 0xffffffffL) << 16) | 0x330EL;
    }

    private int lrand48() {
        rand48 = (rand48 * 0x5DEECE66DL + 0xBL) & ((1L << 48) - 1);
        return (int) (rand48 >>> 17);
    }

    private int randomFn(LuaState lua, Lua l) {
        long p = l.getPointer();
        var n = lua.c;
        double r = (double) (lrand48() % Integer.MAX_VALUE) / (double) Integer.MAX_VALUE;
        switch (n.lua_gettop(p)) {
            case 0 -> n.lua_pushnumber(p, r);
            case 1 -> {
                int u = (int) n.lua_tonumber(p, 1);
                if (u < 1) {
                    return LuaLibraries.argError(lua, p, 1, "random", "interval is empty");
                }
                n.lua_pushnumber(p, Math.floor(r * u) + 1);
            }
            case 2 -> {
                int lo = (int) n.lua_tonumber(p, 1);
                int u = (int) n.lua_tonumber(p, 2);
                if (lo > u) {
                    return LuaLibraries.argError(lua, p, 2, "random", "interval is empty");
                }
                n.lua_pushnumber(p, Math.floor(r * (u - lo + 1)) + lo);
            }
            default -> {
                return LuaLibraries.error(lua, p, "wrong number of arguments");
            }
        }
        return 1;
    }

    private int randomseedFn(LuaState lua, Lua l) {
        long p = l.getPointer();
        rand48 = seed48((int) lua.c.lua_tonumber(p, 1));
        return 0;
    }

    public static String sha1hex(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(data);
            return java.util.HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
