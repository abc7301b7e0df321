-- cjson (lua-cjson 2.1 as bundled by Redis) in Lua: encode/decode with the same output.
local H = ...
local type, pairs, next, tostring, tonumber, error, pcall, setmetatable, select =
      type, pairs, next, tostring, tonumber, error, pcall, setmetatable, select
local format, gsub, sub, byte, char, find, concat, floor, huge =
      string.format, string.gsub, string.sub, string.byte, string.char, string.find, table.concat, math.floor, math.huge

local cjson = {}
local null = newproxy and newproxy() or setmetatable({}, {})
cjson.null = null
cjson._NAME = 'cjson'
cjson._VERSION = '2.1.0'

local max_depth = 1000
local decode_max_depth = 1000
local sparse_convert, sparse_ratio, sparse_safe = false, 2, 10

-- ---- encode ---------------------------------------------------------------------------------
local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
for i = 0, 31 do
  local c = char(i)
  if not escapes[c] then escapes[c] = format('\\u%04x', i) end
end
escapes[char(127)] = '\\u007f'

local function fail(msg)
  error({msg}, 0)
end

local function enc_string(s)
  return '"' .. gsub(s, '[%c"\\/]', escapes) .. '"'
end

local function enc_number(n)
  if n ~= n or n == huge or n == -huge then
    fail('Cannot serialise number: must not be NaN or Inf')
  end
  return format('%.14g', n)
end

local encode_value

-- lua_array_length: the array size, or -1 when the table is an object.
local function array_length(t)
  local max, items = 0, 0
  for k in pairs(t) do
    if type(k) == 'number' and k > 0 and floor(k) == k then
      if k > max then max = k end
      items = items + 1
    else
      return -1
    end
  end
  if sparse_ratio > 0 and max > items * sparse_ratio and max > sparse_safe then
    if not sparse_convert then
      fail('Cannot serialise table: excessively sparse array')
    end
    return -1
  end
  return max
end

local function encode_table(t, depth, out)
  depth = depth + 1
  if depth > max_depth then
    fail('Cannot serialise, excessive nesting (' .. depth .. ')')
  end
  local len = array_length(t)
  if len > 0 then
    out[#out + 1] = '['
    for i = 1, len do
      if i > 1 then out[#out + 1] = ',' end
      encode_value(t[i], depth, out)
    end
    out[#out + 1] = ']'
  else
    out[#out + 1] = '{'
    local first = true
    for k, v in pairs(t) do
      if not first then out[#out + 1] = ',' end
      first = false
      local kt = type(k)
      if kt == 'string' then
        out[#out + 1] = enc_string(k)
      elseif kt == 'number' then
        out[#out + 1] = '"' .. enc_number(k) .. '"'
      else
        fail('Cannot serialise table: table key must be a number or string')
      end
      out[#out + 1] = ':'
      encode_value(v, depth, out)
    end
    out[#out + 1] = '}'
  end
end

encode_value = function(v, depth, out)
  local t = type(v)
  if t == 'string' then
    out[#out + 1] = enc_string(v)
  elseif t == 'number' then
    out[#out + 1] = enc_number(v)
  elseif t == 'boolean' then
    out[#out + 1] = v and 'true' or 'false'
  elseif t == 'nil' or v == null then
    out[#out + 1] = 'null'
  elseif t == 'table' then
    encode_table(v, depth, out)
  else
    fail('Cannot serialise ' .. t .. ': type not supported')
  end
end

function cjson.encode(...)
  if select('#', ...) ~= 1 then
    error('bad argument #1 to \'encode\' (expected 1 argument)', 0)
  end
  local v = ...
  local out = {}
  local ok, err = pcall(encode_value, v, 0, out)
  if not ok then
    if type(err) == 'table' then error(err[1], 0) end
    error(err, 0)
  end
  return concat(out)
end

-- ---- decode ---------------------------------------------------------------------------------
local str, pos, depth

local function dfail(what, at)
  fail(format('Expected %s but found %s at character %d', what, 'invalid token', at or pos))
end

local function skip_ws()
  pos = find(str, '[^ \t\r\n]', pos) or (#str + 1)
end

local decode_value

local function utf8(cp)
  if cp < 0x80 then return char(cp)
  elseif cp < 0x800 then return char(0xC0 + floor(cp / 0x40), 0x80 + cp % 0x40)
  elseif cp < 0x10000 then
    return char(0xE0 + floor(cp / 0x1000), 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  else
    return char(0xF0 + floor(cp / 0x40000), 0x80 + floor(cp / 0x1000) % 0x40,
      0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
end

local simple = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}

local function decode_string()
  local start = pos
  pos = pos + 1
  local parts = {}
  while true do
    local a, b = find(str, '["\\%z\1-\31]', pos)
    if not a then fail(format('Expected object key string but found unexpected end of string at character %d', start)) end
    parts[#parts + 1] = sub(str, pos, a - 1)
    local c = sub(str, a, a)
    if c == '"' then
      pos = a + 1
      return concat(parts)
    elseif c == '\\' then
      local e = sub(str, a + 1, a + 1)
      if simple[e] then
        parts[#parts + 1] = simple[e]
        pos = a + 2
      elseif e == 'u' then
        local hex = sub(str, a + 2, a + 5)
        local cp = (#hex == 4 and not find(hex, '[^%x]')) and tonumber(hex, 16)
        if not cp then fail(format('Expected value but found invalid unicode escape code at character %d', start)) end
        pos = a + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          local lo = sub(str, pos, pos + 1) == '\\u' and tonumber(sub(str, pos + 2, pos + 5), 16)
          if not lo or lo < 0xDC00 or lo > 0xDFFF then
            fail(format('Expected value but found invalid unicode escape code at character %d', start))
          end
          cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
          pos = pos + 6
        end
        parts[#parts + 1] = utf8(cp)
      else
        fail(format('Expected value but found invalid escape code at character %d', start))
      end
    else
      fail(format('Expected value but found invalid token at character %d', start))
    end
  end
end

local function decode_array()
  depth = depth + 1
  if depth > decode_max_depth then
    fail(format('Found too many nested data structures (%d) at character %d', depth, pos))
  end
  pos = pos + 1
  local t = {}
  skip_ws()
  if sub(str, pos, pos) == ']' then
    pos = pos + 1
    depth = depth - 1
    return t
  end
  local n = 0
  while true do
    n = n + 1
    t[n] = decode_value()
    skip_ws()
    local c = sub(str, pos, pos)
    if c == ']' then
      pos = pos + 1
      depth = depth - 1
      return t
    elseif c == ',' then
      pos = pos + 1
    else
      fail(format('Expected comma or array end but found %s at character %d',
        c == '' and 'T_END' or 'invalid token', pos))
    end
  end
end

local function decode_object()
  depth = depth + 1
  if depth > decode_max_depth then
    fail(format('Found too many nested data structures (%d) at character %d', depth, pos))
  end
  pos = pos + 1
  local t = {}
  skip_ws()
  if sub(str, pos, pos) == '}' then
    pos = pos + 1
    depth = depth - 1
    return t
  end
  while true do
    skip_ws()
    if sub(str, pos, pos) ~= '"' then
      fail(format('Expected object key string but found invalid token at character %d', pos))
    end
    local k = decode_string()
    skip_ws()
    if sub(str, pos, pos) ~= ':' then
      fail(format('Expected colon but found invalid token at character %d', pos))
    end
    pos = pos + 1
    t[k] = decode_value()
    skip_ws()
    local c = sub(str, pos, pos)
    if c == '}' then
      pos = pos + 1
      depth = depth - 1
      return t
    elseif c == ',' then
      pos = pos + 1
    else
      fail(format('Expected comma or object end but found invalid token at character %d', pos))
    end
  end
end

decode_value = function()
  skip_ws()
  local c = sub(str, pos, pos)
  if c == '{' then return decode_object()
  elseif c == '[' then return decode_array()
  elseif c == '"' then return decode_string()
  elseif c == '' then fail(format('Expected value but found T_END at character %d', pos))
  end
  local word = sub(str, pos, pos + 3)
  if word == 'true' then pos = pos + 4 return true end
  if word == 'null' then pos = pos + 4 return null end
  if sub(str, pos, pos + 4) == 'false' then pos = pos + 5 return false end
  local a, b = find(str, '^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
  if a then
    local n = tonumber(sub(str, a, b))
    if n then
      pos = b + 1
      return n
    end
  end
  fail(format('Expected value but found invalid token at character %d', pos))
end

function cjson.decode(...)
  if select('#', ...) ~= 1 then
    error('bad argument #1 to \'decode\' (expected 1 argument)', 0)
  end
  local s = ...
  if type(s) ~= 'string' then
    if type(s) == 'number' then s = tostring(s)
    else error('bad argument #1 to \'decode\' (string expected, got ' .. type(s) .. ')', 0) end
  end
  str, pos, depth = s, 1, 0
  local ok, v = pcall(function()
    local v = decode_value()
    skip_ws()
    if pos <= #str then
      fail(format('Expected the end but found invalid token at character %d', pos))
    end
    return v
  end)
  str = nil
  if not ok then
    if type(v) == 'table' then error(v[1], 0) end
    error(v, 0)
  end
  return v
end

function cjson.encode_sparse_array(convert, ratio, safe)
  if convert ~= nil then sparse_convert = convert and true or false end
  if ratio ~= nil then sparse_ratio = ratio end
  if safe ~= nil then sparse_safe = safe end
  return sparse_convert, sparse_ratio, sparse_safe
end

function cjson.encode_max_depth(d)
  if d ~= nil then max_depth = d end
  return max_depth
end

function cjson.decode_max_depth(d)
  if d ~= nil then decode_max_depth = d end
  return decode_max_depth
end

function cjson.encode_keep_buffer() return true end
function cjson.encode_number_precision(p) return 14 end
function cjson.encode_invalid_numbers() return false end
function cjson.decode_invalid_numbers() return true end

return cjson
