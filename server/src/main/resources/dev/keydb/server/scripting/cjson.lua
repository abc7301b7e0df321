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

-- ---- decode: lua_cjson.c's tokenizer and parser, so that errors name the same token -------
local str, pos, depth -- pos: 1-based index of the next character (lua_cjson's json->ptr)

local single = {['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
  [','] = 'T_COMMA', [':'] = 'T_COLON', ['\0'] = 'T_END', [''] = 'T_END'}
local space = {[' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true}
-- characters that start a string, a number or a word (ch2token's T_UNKNOWN)
local word_start = {f = true, i = true, I = true, n = true, N = true, t = true, ['"'] = true, ['+'] = true, ['-'] = true}
for d = 0, 9 do word_start[tostring(d)] = true end
local escape2char = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', t = '\t', n = '\n', f = '\f', r = '\r', u = 'u'}

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

local function hex4(at)
  local h = sub(str, at, at + 3)
  if #h ~= 4 or find(h, '[^%x]') then return nil end
  return tonumber(h, 16)
end

-- json_append_unicode_escape at the backslash: the UTF-8 text and the escape's length, or nil.
local function unicode_escape(at)
  local cp = hex4(at + 2)
  if not cp then return nil end
  local len = 6
  if cp >= 0xD800 and cp <= 0xDFFF then
    if cp >= 0xDC00 then return nil end -- a low surrogate first
    if sub(str, at + 6, at + 7) ~= '\\u' then return nil end
    local low = hex4(at + 8)
    if not low or low < 0xDC00 or low > 0xDFFF then return nil end
    cp = (cp - 0xD800) * 0x400 + (low - 0xDC00) + 0x10000
    len = 12
  end
  return utf8(cp), len
end

-- Tokens: type, value, index (0-based, as lua_cjson reports index + 1).
local function string_token()
  pos = pos + 1
  local parts = {}
  while true do
    local a = find(str, '["\\%z]', pos)
    if not a then
      pos = #str + 1
      return 'T_ERROR', 'unexpected end of string', pos - 1
    end
    parts[#parts + 1] = sub(str, pos, a - 1)
    pos = a
    local c = sub(str, a, a)
    if c == '"' then
      pos = a + 1
      return 'T_STRING', concat(parts), nil
    elseif c == '\0' then
      return 'T_ERROR', 'unexpected end of string', pos - 1
    end
    local e = escape2char[sub(str, a + 1, a + 1)]
    if e == 'u' then
      local text, len = unicode_escape(a)
      if not text then return 'T_ERROR', 'invalid unicode escape code', pos - 1 end
      parts[#parts + 1] = text
      pos = a + len
    elseif not e then
      return 'T_ERROR', 'invalid escape code', pos - 1
    else
      parts[#parts + 1] = e
      pos = a + 2
    end
  end
end

local function number_token(index)
  local v, after = H.strtod(str, pos)
  if after == pos then return 'T_ERROR', 'invalid number', pos - 1 end
  pos = after
  return 'T_NUMBER', v, index
end

-- json_is_invalid_number: numbers JSON forbids but strtod reads (+1, 0x10, 01, inf, nan).
local function is_invalid_number()
  local p = pos
  local c = sub(str, p, p)
  if c == '+' then return true end
  if c == '-' then p = p + 1 c = sub(str, p, p) end
  if c == '0' then
    local c2 = sub(str, p + 1, p + 1)
    return c2 == 'x' or c2 == 'X' or (c2 ~= '' and c2 >= '0' and c2 <= '9')
  end
  local b = byte(str, p) or 0
  if b <= 57 or b >= 128 then return false end -- C's signed char <= '9'
  local three = string.lower(sub(str, p, p + 2))
  return three == 'inf' or three == 'nan'
end

local function next_token()
  local c = sub(str, pos, pos)
  while space[c] do
    pos = pos + 1
    c = sub(str, pos, pos)
  end
  local index = pos - 1
  local t = single[c]
  if t then
    if t ~= 'T_END' then pos = pos + 1 end
    return t, nil, index
  end
  if not word_start[c] then return 'T_ERROR', 'invalid token', index end
  if c == '"' then
    local tt, v, at = string_token()
    return tt, v, at or index
  end
  if c == '-' or (c >= '0' and c <= '9') then return number_token(index) end
  if sub(str, pos, pos + 3) == 'true' then pos = pos + 4 return 'T_BOOLEAN', true, index end
  if sub(str, pos, pos + 4) == 'false' then pos = pos + 5 return 'T_BOOLEAN', false, index end
  if sub(str, pos, pos + 3) == 'null' then pos = pos + 4 return 'T_NULL', null, index end
  if is_invalid_number() then return number_token(index) end
  return 'T_ERROR', 'invalid token', index
end

local function parse_error(expected, t, v, index)
  fail(format('Expected %s but found %s at character %d', expected, t == 'T_ERROR' and v or t, index + 1))
end

local process_value

local function descend()
  depth = depth + 1
  if depth > decode_max_depth then
    fail(format('Found too many nested data structures (%d) at character %d', depth, pos - 1))
  end
end

local function parse_object()
  descend()
  local obj = {}
  local t, v, index = next_token()
  if t == 'T_OBJ_END' then depth = depth - 1 return obj end
  while true do
    if t ~= 'T_STRING' then parse_error('object key string', t, v, index) end
    local key = v
    t, v, index = next_token()
    if t ~= 'T_COLON' then parse_error('colon', t, v, index) end
    obj[key] = process_value(next_token())
    t, v, index = next_token()
    if t == 'T_OBJ_END' then depth = depth - 1 return obj end
    if t ~= 'T_COMMA' then parse_error('comma or object end', t, v, index) end
    t, v, index = next_token()
  end
end

local function parse_array()
  descend()
  local arr, n = {}, 0
  local t, v, index = next_token()
  if t == 'T_ARR_END' then depth = depth - 1 return arr end
  while true do
    n = n + 1
    arr[n] = process_value(t, v, index)
    t, v, index = next_token()
    if t == 'T_ARR_END' then depth = depth - 1 return arr end
    if t ~= 'T_COMMA' then parse_error('comma or array end', t, v, index) end
    t, v, index = next_token()
  end
end

process_value = function(t, v, index)
  if t == 'T_STRING' or t == 'T_NUMBER' or t == 'T_BOOLEAN' or t == 'T_NULL' then return v
  elseif t == 'T_OBJ_BEGIN' then return parse_object()
  elseif t == 'T_ARR_BEGIN' then return parse_array()
  end
  parse_error('value', t, v, index)
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
  if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then
    error('JSON parser does not support UTF-16 or UTF-32', 0)
  end
  str, pos, depth = s, 1, 0
  local ok, v = pcall(function()
    local v = process_value(next_token())
    local t, tv, index = next_token()
    if t ~= 'T_END' then parse_error('the end', t, tv, index) end
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
