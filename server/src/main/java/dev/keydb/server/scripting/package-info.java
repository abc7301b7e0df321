/**
 * Lua scripting: EVAL/EVALSHA/SCRIPT and FUNCTION/FCALL on a real Lua 5.1 interpreter (the
 * reference implementation, through luajava's JNI binding), as Redis 7.0's eval.c, script.c,
 * script_lua.c, function_lua.c and functions.c.
 *
 * <ul>
 *   <li><b>Interpreters</b>: one for EVAL scripts (reset by SCRIPT FLUSH), one for FUNCTION
 *       libraries (reset by FUNCTION FLUSH), created on first use. Both run the same
 *       {@code prelude.lua}, which builds Redis's environment from Java functions.</li>
 *   <li><b>redis.call/pcall</b> run the command through the dispatcher as a connection-less
 *       client (Redis's lua_client) into a buffer; the RESP2/RESP3 reply is parsed into Lua
 *       values as redisProtocolToLuaType does ({@link dev.keydb.server.scripting.LuaReplies}).
 *       The keyspace lock is already held by the caller: scripts are atomic.</li>
 *   <li><b>Strings</b> are binary safe both ways although the binding only pushes Java
 *       strings: bytes go in as Latin-1 and a C-level {@code gsub} maps the two-byte
 *       sequences back; they come out as a Java string when short plain ASCII (the cheapest
 *       JNI read), else through a direct buffer over Lua's memory.</li>
 *   <li><b>Sandbox</b>: only Redis 7.0.15's globals remain (no io, os, package, require,
 *       loadfile, dofile, print, debug, getfenv/setfenv, newproxy, nor luajava's java);
 *       bytecode loading is refused; read-only tables (Redis's lua_enablereadonlytable, a
 *       patch to Lua) are emulated with proxies: the globals scripts see, the library tables
 *       and the strings' metatable. Unknown globals raise "Script attempted to access
 *       nonexistent global variable".</li>
 *   <li><b>Libraries</b>: bit in Java (LuaBitOp semantics), cjson, struct and cmsgpack in Lua
 *       with Java IEEE-754 helpers; all wrapped as C closures so that error positions and tail
 *       calls behave as Redis's C functions.</li>
 *   <li><b>Busy scripts</b>: a count hook (every 100000 instructions, debug.sethook) asks Java
 *       whether SCRIPT KILL / FUNCTION KILL was requested. Other clients see a running script
 *       through volatile fields without taking the lock ({@code Server.executeBatch} polls the
 *       lock and answers -BUSY past busy-reply-threshold).</li>
 *   <li><b>Where scripts run</b> ({@link dev.keydb.server.scripting.Placement}): a script (or
 *       function) runs on the caller's event loop only if its last run was short (under 10 ms,
 *       or half of busy-reply-threshold); otherwise, and on its first run, the command moves to
 *       the script thread ({@code ScriptThread}) and the caller waits as a blocked client, so
 *       its event loop keeps answering everyone else (-BUSY included). An event-loop run that
 *       turns long before calling anything with effects (a write, PUBLISH, a may-replicate
 *       command) is stopped by the hook and started again on the script thread; one that
 *       already had effects finishes where it is (its event loop's other clients then wait
 *       instead of getting -BUSY; new connections go to another loop and get it).</li>
 * </ul>
 */
package dev.keydb.server.scripting;
