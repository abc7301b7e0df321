-- The scripting environment, as Redis 7.0 builds it (script_lua.c, eval.c), on a stock Lua 5.1.
-- Receives the Java functions; returns the error handler, the hook installer and the
-- environment (globals proxy) that user scripts run in.
local J = ...

local G = _G
local type, error, tostring, rawget, rawset, setmetatable, getmetatable, select, next, pairs, ipairs,
      pcall, unpack, loadstring, load, setfenv =
      type, error, tostring, rawget, rawset, setmetatable, getmetatable, select, next, pairs, ipairs,
      pcall, unpack, loadstring, load, setfenv
local sub, find, format, byte, char, gsub = string.sub, string.find, string.format, string.byte, string.char, string.gsub
local getinfo, sethook = debug.getinfo, debug.sethook

-- ---- error handler (eval.c): a table {err=, source=, line=} ---------------------------------
local function internal(i)
  return i.what == 'C' or sub(i.source, 1, 9) == '@__keydb_'
end

local function err_handler(err)
  local level = 2
  local i = getinfo(level, 'nSl')
  while i and internal(i) do
    level = level + 1
    i = getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

-- ---- SCRIPT KILL: a count hook asks Java whether to stop -----------------------------------
local check = J.check
local hook
hook = function()
  local stop = check() -- true to kill, or the error to raise instead (FUNCTION LOAD timeout)
  if stop then
    -- From now on on every line, so that pcall cannot swallow the kill for ever (as Redis).
    sethook(hook, 'l')
    error({err = stop == true and 'ERR Script killed by user with SCRIPT KILL...' or stop})
  end
end
local function install_hook()
  sethook(hook, '', 100000)
end

-- ---- redis.* -------------------------------------------------------------------------------
local function trim(s)
  return (gsub(gsub(s, '^[\r\n]+', ''), '[\r\n]+$', ''))
end

-- luaPushErrorBuff: "-CODE msg" or "msg" (code ERR) into {err = "CODE msg"}.
local function error_table(s)
  local code, msg
  if sub(s, 1, 1) == '-' then
    local sp = find(s, ' ', 1, true)
    if sp then
      code, msg = sub(s, 2, sp - 1), sub(s, sp + 1)
    else
      code, msg = 'ERR', sub(s, 2)
    end
  else
    code, msg = 'ERR', s
  end
  return {err = code .. ' ' .. trim(msg)}
end

local redis = {}
redis.call = J.call
redis.pcall = J.pcall
redis.sha1hex = J.sha1hex
redis.log = J.log
redis.setresp = J.setresp
redis.acl_check_cmd = J.acl_check_cmd
redis.error_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then
    return error_table('wrong number or type of arguments')
  end
  if sub(s, 1, 1) ~= '-' then s = '-' .. s end
  return error_table(s)
end
redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then
    return error_table('wrong number or type of arguments')
  end
  return {ok = s}
end
redis.set_repl = function(...)
  local n = select('#', ...)
  if n ~= 1 then error(error_table('redis.set_repl() requires two arguments.')) end
  local flags = tonumber((...)) or 0
  if flags ~= 0 and flags ~= 1 and flags ~= 2 and flags ~= 3 then
    error(error_table('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'))
  end
end
redis.replicate_commands = function() return true end
redis.breakpoint = function() return false end
redis.debug = function() end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.REDIS_VERSION = J.version
redis.REDIS_VERSION_NUM = J.version_num
G.redis = redis

math.random = J.random
math.randomseed = J.randomseed

-- Redis's pcall: an error table raised by redis.call is returned as its message.
local function pcall_result(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end
G.pcall = function(...) return pcall_result(pcall(...)) end

-- Bytecode loading is refused (Redis patched Lua for that); source text only. Loaded chunks
-- run in the scripts' environment (the read-only globals), not in the real globals table.
local env
local function in_env(f, ...)
  if type(f) == 'function' then setfenv(f, env) end
  return f, ...
end
local function text_only(f, name)
  return function(s, ...)
    if type(s) == 'string' and byte(s, 1) == 27 then
      return nil, 'bytecode loading is disabled'
    end
    return in_env(f(s, ...))
  end
end
G.loadstring = text_only(loadstring, 'loadstring')
G.load = function(...)
  local f = ...
  if type(f) ~= 'function' then
    local got = select('#', ...) == 0 and 'no value' or type(f)
    error("bad argument #1 to 'load' (function expected, got " .. got .. ")", 0)
  end
  local first = true
  return in_env(load(function()
    local piece = f()
    if first and type(piece) == 'string' and #piece > 0 then
      first = false
      if byte(piece, 1) == 27 then error('bytecode loading is disabled') end
    end
    return piece
  end, select(2, ...)))
end

-- ---- libraries Redis adds ------------------------------------------------------------------
G.bit = J.bit
G.cjson = J.cjson
G.struct = J.struct
G.cmsgpack = J.cmsgpack

-- ---- sandbox: only Redis 7.0's globals -----------------------------------------------------
local allowed = {}
for _, n in ipairs({'string', 'cjson', 'bit', 'cmsgpack', 'math', 'table', 'struct', 'redis',
    '__redis__err__handler', 'xpcall', 'tostring', 'next', 'assert', 'tonumber', 'rawequal',
    'collectgarbage', 'getmetatable', 'setmetatable', 'rawset', 'pcall', 'coroutine', 'type', '_G', 'select',
    'unpack', 'gcinfo', 'pairs', 'rawget', 'loadstring', 'ipairs', '_VERSION', 'load', 'error',
    'KEYS', 'ARGV'}) do
  allowed[n] = true
end
G.__redis__err__handler = err_handler
local remove = {}
for k in next, G do
  if not allowed[k] then remove[#remove + 1] = k end
end
for _, k in ipairs(remove) do rawset(G, k, nil) end

-- ---- read-only tables (Redis 7.0's lua_enablereadonlytable), emulated with proxies ----------
-- Scripts see proxies: reads go through to the real table, every write fails.
local real = setmetatable({}, {__mode = 'k'})
local function ro_newindex()
  error('Attempt to modify a readonly table', 2)
end
local function protect(t)
  local p = setmetatable({}, {__index = t, __newindex = ro_newindex, __metatable = false})
  real[p] = t
  return p
end
for _, n in ipairs({'string', 'cjson', 'bit', 'cmsgpack', 'math', 'table', 'struct', 'redis', 'coroutine'}) do
  rawset(G, n, protect(rawget(G, n)))
end
-- Strings' metatable: methods resolve through the read-only string table, and
-- getmetatable('') gives a read-only view.
do
  local strmt = getmetatable('')
  strmt.__index = rawget(G, 'string')
  strmt.__metatable = protect(strmt)
end
local envmt = {__index = G, __newindex = ro_newindex, __metatable = false}
env = setmetatable({}, envmt)
real[env] = G
rawset(G, '_G', env)

-- FUNCTION LOAD runs library code with only redis.register_function, redis.log and the
-- version fields visible (function_lua.c's library API); the switch flips the environment.
local function nonexistent(_, n)
  error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
end
local lr = setmetatable({register_function = J.register_function, log = J.log,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = J.version, REDIS_VERSION_NUM = J.version_num}, {__index = nonexistent})
local loadapi = setmetatable({redis = protect(lr)}, {__index = nonexistent})
local function set_load_mode(on)
  envmt.__index = on and loadapi or G
end
setmetatable(G, {
  __index = function(_, n)
    error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
  end,
  -- No __newindex: scripts never see this table (their _G is the read-only proxy), and the JNI
  -- binding clears a global (__jthrowable__) after every Java call; a metamethod would run each
  -- time. The Java functions never throw, so that global never holds a Java object.
})
-- Iteration and raw access see through the proxies.
G.next = function(t, k)
  local r = real[t]
  return next(r or t, k)
end
local pnext = G.next
G.pairs = function(t)
  if real[t] then return pnext, t, nil end
  return pairs(t)
end
G.rawget = function(t, k)
  return rawget(real[t] or t, k)
end
-- The readonly patch raises from the C function (luaG_runerror): no position in the message.
local readonly_error = {runerror = 'Attempt to modify a readonly table'}
G.rawset = function(t, k, v)
  if real[t] then error(readonly_error, 0) end
  return rawset(t, k, v)
end
G.getmetatable = function(t)
  if real[t] then return nil end
  return getmetatable(t)
end
G.setmetatable = function(t, m)
  if real[t] then error(readonly_error, 0) end
  return setmetatable(t, m)
end

-- Functions written in Lua here are C functions in Redis: wrap each in a Java (C) closure so
-- that error positions and tail calls behave as for C functions.
local wrap = J.wrap
for _, lib in ipairs({redis, real[rawget(G, 'cjson')], real[rawget(G, 'struct')], real[rawget(G, 'cmsgpack')]}) do
  for k, v in next, lib do
    if type(v) == 'function' and not (lib == redis and (v == J.call or v == J.pcall or v == J.sha1hex
        or v == J.log or v == J.setresp or v == J.acl_check_cmd)) then
      lib[k] = wrap(v)
    end
  end
end
for _, n in ipairs({'pcall', 'next', 'pairs', 'rawget', 'rawset', 'getmetatable', 'setmetatable', 'loadstring', 'load'}) do
  rawset(G, n, wrap(rawget(G, n)))
end

install_hook()
return err_handler, install_hook, env, set_load_mode
