-- struct (Roberto Ierusalimschy's library as bundled by Redis) in Lua: pack, unpack, size.
local H = ...
local type, tonumber, error, select = type, tonumber, error, select
local sub, rep, find, concat = string.sub, string.rep, string.find, table.concat

local struct = {}

-- Reads an optional size after an option letter: the number and the next position.
local function optsize(fmt, i, dflt)
  local a, b = find(fmt, '^%d+', i)
  if not a then return dflt, i end
  return tonumber(sub(fmt, a, b)), b + 1
end

-- Options: returns kind, size, next index (and updates endianness/alignment in state).
local function nextopt(fmt, i, st)
  local c = sub(fmt, i, i)
  i = i + 1
  if c == '>' then st.little = false return 'none', 0, i
  elseif c == '<' or c == '=' then st.little = true return 'none', 0, i
  elseif c == '!' then
    local n
    n, i = optsize(fmt, i, 8)
    st.align = n
    return 'none', 0, i
  elseif c == ' ' then return 'none', 0, i
  elseif c == 'x' then return 'pad', 1, i
  elseif c == 'b' then return 'int', 1, i, true
  elseif c == 'B' then return 'int', 1, i, false
  elseif c == 'h' then return 'int', 2, i, true
  elseif c == 'H' then return 'int', 2, i, false
  elseif c == 'l' then return 'int', 8, i, true
  elseif c == 'L' then return 'int', 8, i, false
  elseif c == 'T' then return 'int', 8, i, false
  elseif c == 'i' or c == 'I' then
    local n
    n, i = optsize(fmt, i, 4)
    if n > 32 then error('integral size ' .. n .. ' is larger than limit of 32', 0) end
    return 'int', n, i, c == 'i'
  elseif c == 'f' then return 'float', 4, i
  elseif c == 'd' then return 'double', 8, i
  elseif c == 's' then return 'zstr', 0, i
  elseif c == 'c' then
    local n
    n, i = optsize(fmt, i, 1)
    return 'chars', n, i
  else
    error("invalid format option '" .. c .. "'", 0)
  end
end

local function gettoalign(len, st, size)
  if size <= 1 or st.align <= 1 then return 0 end
  local a = size < st.align and size or st.align
  return (a - (len % a)) % a
end

local function wrap(f)
  return function(...)
    local ok, a, b, c = pcall(f, ...)
    return a, b, c
  end
end

function struct.pack(fmt, ...)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'pack' (string expected, got " .. type(fmt) .. ")", 0) end
  local st = {little = true, align = 1}
  local out, len, arg, i = {}, 0, 1, 1
  local nargs = select('#', ...)
  while i <= #fmt do
    local kind, size, ni, signed = nextopt(fmt, i, st)
    i = ni
    local pad = gettoalign(len, st, size)
    if pad > 0 then out[#out + 1] = rep('\0', pad) len = len + pad end
    if kind == 'pad' then
      out[#out + 1] = '\0'
      len = len + 1
    elseif kind == 'int' then
      local v = select(arg, ...)
      if type(v) ~= 'number' then
        v = tonumber(v)
        if not v then error("bad argument #" .. (arg + 1) .. " to 'pack' (number expected, got " .. type((select(arg, ...))) .. ")", 0) end
      end
      arg = arg + 1
      out[#out + 1] = H.pack_int(v, size, not st.little)
      len = len + size
    elseif kind == 'float' or kind == 'double' then
      local v = tonumber((select(arg, ...)))
      if not v then error("bad argument #" .. (arg + 1) .. " to 'pack' (number expected, got " .. type((select(arg, ...))) .. ")", 0) end
      arg = arg + 1
      out[#out + 1] = (kind == 'float' and H.pack_float or H.pack_double)(v, not st.little)
      len = len + size
    elseif kind == 'chars' or kind == 'zstr' then
      local s = select(arg, ...)
      if type(s) ~= 'string' and type(s) ~= 'number' then
        error("bad argument #" .. (arg + 1) .. " to 'pack' (string expected, got " .. type(s) .. ")", 0)
      end
      s = tostring(s)
      arg = arg + 1
      if kind == 'chars' then
        if size == 0 then size = #s end
        if #s < size then error("bad argument #" .. arg .. " to 'pack' (string too short)", 0) end
        out[#out + 1] = sub(s, 1, size)
        len = len + size
      else
        if find(s, '\0', 1, true) then error("bad argument #" .. arg .. " to 'pack' (string contains zeros)", 0) end
        out[#out + 1] = s .. '\0'
        len = len + #s + 1
      end
    end
  end
  return concat(out)
end

function struct.unpack(fmt, data, init)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(fmt) .. ")", 0) end
  if type(data) ~= 'string' then error("bad argument #2 to 'unpack' (string expected, got " .. type(data) .. ")", 0) end
  local pos = (init or 1) - 1
  if pos > #data or pos < 0 then error("bad argument #3 to 'unpack' (offset must be 1 or greater)", 0) end
  local st = {little = true, align = 1}
  local res, i = {}, 1
  local n = 0
  while i <= #fmt do
    local kind, size, ni, signed = nextopt(fmt, i, st)
    i = ni
    pos = pos + gettoalign(pos, st, size)
    if size > 0 and pos + size > #data and kind ~= 'chars' then
      error("bad argument #2 to 'unpack' (data string too short)", 0)
    end
    if kind == 'pad' then
      pos = pos + 1
    elseif kind == 'int' then
      n = n + 1
      res[n] = H.unpack_int(data, pos + 1, size, not st.little, signed)
      pos = pos + size
    elseif kind == 'float' then
      n = n + 1
      res[n] = H.unpack_float(data, pos + 1, not st.little)
      pos = pos + 4
    elseif kind == 'double' then
      n = n + 1
      res[n] = H.unpack_double(data, pos + 1, not st.little)
      pos = pos + 8
    elseif kind == 'chars' then
      if size == 0 then
        if n == 0 or type(res[n]) ~= 'number' then error("bad argument #1 to 'unpack' (format `c0' needs a previous size)", 0) end
        size = res[n]
        res[n] = nil
        n = n - 1
      end
      if pos + size > #data then error("bad argument #2 to 'unpack' (data string too short)", 0) end
      n = n + 1
      res[n] = sub(data, pos + 1, pos + size)
      pos = pos + size
    elseif kind == 'zstr' then
      local e = find(data, '\0', pos + 1, true)
      if not e then error("bad argument #2 to 'unpack' (unfinished string in data)", 0) end
      n = n + 1
      res[n] = sub(data, pos + 1, e - 1)
      pos = e
    end
  end
  n = n + 1
  res[n] = pos + 1
  return unpack(res, 1, n)
end

function struct.size(fmt)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'size' (string expected, got " .. type(fmt) .. ")", 0) end
  local st = {little = true, align = 1}
  local len, i = 0, 1
  while i <= #fmt do
    local kind, size, ni = nextopt(fmt, i, st)
    i = ni
    if kind == 'zstr' then error("bad argument #1 to 'size' (options 'c0' - 's' are invalid)", 0) end
    if kind == 'chars' and size == 0 then error("bad argument #1 to 'size' (options 'c0' - 's' are invalid)", 0) end
    len = len + gettoalign(len, st, size) + size
  end
  return len
end

return struct
