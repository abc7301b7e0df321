-- cmsgpack (lua-cmsgpack 0.4 as bundled by Redis) in Lua: pack and unpack.
local H = ...
local type, pairs, next, error, select, floor, huge, tostring =
      type, pairs, next, error, select, math.floor, math.huge, tostring
local sub, byte, char, concat = string.sub, string.byte, string.char, table.concat

local cmsgpack = {}
cmsgpack._NAME = 'cmsgpack'
cmsgpack._VERSION = 'lua-cmsgpack 0.4.0'

local MAX_NESTING = 16

local function be(v, size)
  local out = {}
  for k = size, 1, -1 do
    out[k] = char(v % 256)
    v = floor(v / 256)
  end
  return concat(out)
end

local function enc_int(n, out)
  if n >= 0 then
    if n <= 127 then out[#out + 1] = char(n)
    elseif n <= 0xff then out[#out + 1] = '\204' .. char(n)
    elseif n <= 0xffff then out[#out + 1] = '\205' .. be(n, 2)
    elseif n <= 0xffffffff then out[#out + 1] = '\206' .. be(n, 4)
    else out[#out + 1] = '\207' .. be(n, 8) end
  else
    if n >= -32 then out[#out + 1] = char(256 + n)
    elseif n >= -128 then out[#out + 1] = '\208' .. char(256 + n)
    elseif n >= -32768 then out[#out + 1] = '\209' .. be(65536 + n, 2)
    elseif n >= -2147483648 then out[#out + 1] = '\210' .. be(4294967296 + n, 4)
    else out[#out + 1] = '\211' .. H.pack_int(n, 8, true) end -- exact two's complement (doubles are not)
  end
end

local function enc_number(n, out)
  if n == floor(n) and n >= -9223372036854775808 and n < 9223372036854775808 and n == n then
    enc_int(n, out)
  else
    local f = H.unpack_float(H.pack_float(n, true), 1, true)
    if f == n then -- NaN too is no float (NaN ~= NaN): a double, as Redis's mp_encode_double
      out[#out + 1] = '\202' .. H.pack_float(n, true)
    else
      out[#out + 1] = '\203' .. H.pack_double(n, true)
    end
  end
end

local function enc_string(s, out)
  local len = #s
  if len < 32 then out[#out + 1] = char(0xa0 + len)
  elseif len <= 0xff then out[#out + 1] = '\217' .. char(len)
  elseif len <= 0xffff then out[#out + 1] = '\218' .. be(len, 2)
  else out[#out + 1] = '\219' .. be(len, 4) end
  out[#out + 1] = s
end

-- table_is_an_array: only positive integer keys, no holes.
local function is_array(t)
  local count, max = 0, 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k <= 0 or floor(k) ~= k then return false end
    count = count + 1
    if k > max then max = k end
  end
  return max == count
end

local encode

local function enc_table(t, out, level)
  if is_array(t) then
    local len = #t
    local n = 0
    for _ in pairs(t) do n = n + 1 end
    len = n
    if len < 16 then out[#out + 1] = char(0x90 + len)
    elseif len <= 0xffff then out[#out + 1] = '\220' .. be(len, 2)
    else out[#out + 1] = '\221' .. be(len, 4) end
    for i = 1, len do encode(t[i], out, level + 1) end
  else
    local n = 0
    for _ in pairs(t) do n = n + 1 end
    if n < 16 then out[#out + 1] = char(0x80 + n)
    elseif n <= 0xffff then out[#out + 1] = '\222' .. be(n, 2)
    else out[#out + 1] = '\223' .. be(n, 4) end
    for k, v in pairs(t) do
      encode(k, out, level + 1)
      encode(v, out, level + 1)
    end
  end
end

encode = function(v, out, level)
  local t = type(v)
  if t == 'string' then enc_string(v, out)
  elseif t == 'boolean' then out[#out + 1] = v and '\195' or '\194'
  elseif t == 'number' then enc_number(v, out)
  elseif t == 'table' and level < MAX_NESTING then enc_table(v, out, level)
  else out[#out + 1] = '\192' end
end

function cmsgpack.pack(...)
  local n = select('#', ...)
  if n == 0 then error('MessagePack pack needs input.', 0) end
  local out = {}
  for i = 1, n do
    encode((select(i, ...)), out, 0)
  end
  return concat(out)
end

-- ---- unpack -----------------------------------------------------------------------------------
local data, pos

local function need(n)
  if pos + n - 1 > #data then error({'Missing bytes in input.'}, 0) end
end

local function rbe(n)
  need(n)
  local v = 0
  for k = 0, n - 1 do v = v * 256 + byte(data, pos + k) end
  pos = pos + n
  return v
end

-- A big-endian integer as Redis's C reads it ((double)(int64_t) / (double)(uint64_t)), exactly.
local function rint(n, signed)
  need(n)
  local v = H.unpack_int(data, pos, n, true, signed)
  pos = pos + n
  return v
end

local function rstr(n)
  need(n)
  local s = sub(data, pos, pos + n - 1)
  pos = pos + n
  return s
end

local decode

local function rarray(n)
  local t = {}
  for i = 1, n do t[i] = decode() end
  return t
end

local function rmap(n)
  local t = {}
  for _ = 1, n do
    local k = decode()
    local v = decode()
    if k ~= nil then t[k] = v end
  end
  return t
end

decode = function()
  need(1)
  local c = byte(data, pos)
  pos = pos + 1
  if c <= 0x7f then return c
  elseif c >= 0xe0 then return c - 256
  elseif c >= 0xa0 and c <= 0xbf then return rstr(c - 0xa0)
  elseif c >= 0x90 and c <= 0x9f then return rarray(c - 0x90)
  elseif c >= 0x80 and c <= 0x8f then return rmap(c - 0x80)
  elseif c == 0xc0 then return nil
  elseif c == 0xc2 then return false
  elseif c == 0xc3 then return true
  elseif c == 0xcc then return rbe(1)
  elseif c == 0xcd then return rbe(2)
  elseif c == 0xce then return rbe(4)
  elseif c == 0xcf then return rint(8, true) -- Redis's lua_cmsgpack reads uint 64 as int64_t too
  elseif c == 0xd0 then return rint(1, true)
  elseif c == 0xd1 then return rint(2, true)
  elseif c == 0xd2 then return rint(4, true)
  elseif c == 0xd3 then return rint(8, true)
  elseif c == 0xca then need(4) local v = H.unpack_float(data, pos, true) pos = pos + 4 return v
  elseif c == 0xcb then need(8) local v = H.unpack_double(data, pos, true) pos = pos + 8 return v
  elseif c == 0xd9 or c == 0xc4 then return rstr(rbe(1))
  elseif c == 0xda or c == 0xc5 then return rstr(rbe(2))
  elseif c == 0xdb or c == 0xc6 then return rstr(rbe(4))
  elseif c == 0xdc then return rarray(rbe(2))
  elseif c == 0xdd then return rarray(rbe(4))
  elseif c == 0xde then return rmap(rbe(2))
  elseif c == 0xdf then return rmap(rbe(4))
  else error({'Bad data format in input.'}, 0) end
end

local function unpack_all(s, limit, offset)
  data, pos = s, (offset or 0) + 1
  local res, n = {}, 0
  while pos <= #data and (limit == 0 or n < limit) do
    n = n + 1
    res[n] = decode()
  end
  return res, n
end

local function run(s, limit, offset, with_offset)
  if type(s) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(s) .. ")", 0) end
  local ok, res, n = pcall(unpack_all, s, limit, offset)
  data = nil
  if not ok then
    if type(res) == 'table' then error(res[1], 0) end
    error(res, 0)
  end
  if with_offset then
    local next_offset = pos - 1
    if next_offset >= #s then next_offset = -1 end
    return next_offset, unpack(res, 1, n)
  end
  return unpack(res, 1, n)
end

function cmsgpack.unpack(s) return run(s, 0, 0, false) end
function cmsgpack.unpack_one(s, offset) return run(s, 1, offset or 0, true) end
function cmsgpack.unpack_limit(s, limit, offset) return run(s, limit or 0, offset or 0, true) end

return cmsgpack
