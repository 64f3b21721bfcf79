-- cjson (lua-cjson 2.1): JSON encoding and decoding with lua-cjson's rules and messages.
-- Encoding walks the Lua value here (lua-cjson's number format, escapes, array detection,
-- sparse-array and depth limits); decoding is Python's json, with lua-cjson's grammar for
-- what json does not take (torch7_compat/lua_packages/cjson.py), its result rebuilt here.
--
-- This file makes module tables: require 'cjson' and require 'cjson.safe' each get one,
-- and every table (cjson.new() too) keeps its own configuration.

require 'torch'

local python = require 'torch7_compat.python'
local python_values = require 'torch7_compat.python_values'
-- level -1: the parser's messages are lua-cjson's, with no place of ours in front
local parser = python.module('torch7_compat.lua_packages.cjson', -1)

local floor, huge = math.floor, math.huge
local format = string.format
local concat = table.concat
local INT_MAX = 2147483647

-- JSON null: a userdata of its own (the original's was a NULL light userdata).
local null = newproxy(true)
getmetatable(null).__tostring = function() return 'userdata: NULL' end

-------------------------------------------------------------------------------------------
-- configuration calls: lua-cjson's argument checks and messages

-- Errors in argument checks name the function as Lua's own checks do: by the name it was
-- called under ('?' through pcall). level: of the function whose argument is wrong, as
-- error() counts (1: the caller of argument_error); its caller is blamed.
local function argument_error(level, position, message)
   local info = debug.getinfo(level + 1, 'n')
   error(format("bad argument #%d to '%s' (%s)", position, info and info.name or '?',
      message), level + 2)
end

local function check_count(n, most)
   if n > most then argument_error(2, most + 1, 'found too many arguments') end
end

-- Integer settings; like the original, a value out of range is blamed on argument #1.
local function integer_option(config, field, value, least, most)
   if value ~= nil then
      local n = tonumber(value)
      if not n then argument_error(2, 1, 'number expected, got ' .. type(value)) end
      n = n >= 0 and floor(n) or -floor(-n)
      if n < least or n > most then
         argument_error(2, 1, format('expected integer between %d and %d', least, most))
      end
      config[field] = n
   end
   return config[field]
end

-- Settings named by options ('off', 'on'[, 'null']) or given as booleans.
local function enum_option(config, field, value, position, options)
   if value ~= nil then
      if type(value) == 'boolean' then
         config[field] = value and 1 or 0
      else
         local found
         for i, option in ipairs(options) do
            if option == value then found = i - 1 end
         end
         if not found then
            argument_error(2, position, format("invalid option '%s'", tostring(value)))
         end
         config[field] = found
      end
   end
   local setting = config[field]
   if setting <= 1 then return setting == 1 end
   return options[setting + 1]
end

local ON_OFF = {'off', 'on'}

-------------------------------------------------------------------------------------------
-- encoding

local ESCAPES = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b',
                 ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
                 ['\127'] = '\\u007f'}
for code = 0, 31 do
   local c = string.char(code)
   ESCAPES[c] = ESCAPES[c] or format('\\u%04x', code)
end

local function quoted(s)
   return '"' .. s:gsub('[%z\1-\31"/\\\127]', ESCAPES) .. '"'
end

-- The type name the original put in its messages (torch objects were userdata there).
local function type_name(value)
   local kind = type(value)
   if kind == 'cdata' and torch and torch.typename(value) then return 'userdata' end
   return kind
end

local function cannot(value, reason)
   error(format('Cannot serialise %s: %s', type_name(value), reason), 0)
end

local function number_text(config, x)
   if x ~= x or x == huge or x == -huge then
      local mode = config.encode_invalid_numbers
      if mode == 0 then cannot(x, 'must not be NaN or Infinity') end
      if mode == 2 then return 'null' end
      if x ~= x then return 'NaN' end
      return x > 0 and 'Infinity' or '-Infinity'
   end
   return format(config.number_format, x)
end

-- The length of t as a JSON array, or -1 for an object (lua-cjson's rules: keys all
-- integers >= 1; too sparse an array is an object or an error, as configured).
local function array_length(config, t)
   local largest, items = 0, 0
   for k in pairs(t) do
      if type(k) ~= 'number' or k < 1 or floor(k) ~= k then return -1 end
      if k > largest then largest = k end
      items = items + 1
   end
   local ratio = config.sparse_ratio
   if ratio > 0 and largest > items * ratio and largest > config.sparse_safe then
      if config.sparse_convert == 0 then cannot(t, 'excessively sparse array') end
      return -1
   end
   return largest
end

local append

local function append_table(config, out, t, depth)
   depth = depth + 1
   if depth > config.encode_max_depth then
      error(format('Cannot serialise, excessive nesting (%d)', depth), 0)
   end
   local n = array_length(config, t)
   if n > 0 then
      out[#out + 1] = '['
      for i = 1, n do
         if i > 1 then out[#out + 1] = ',' end
         append(config, out, t[i], depth)
      end
      out[#out + 1] = ']'
      return
   end
   out[#out + 1] = '{'
   local first = true
   for k, v in pairs(t) do
      if not first then out[#out + 1] = ',' end
      first = false
      local kind = type(k)
      if kind == 'number' then
         out[#out + 1] = '"' .. number_text(config, k) .. '":'
      elseif kind == 'string' then
         out[#out + 1] = quoted(k) .. ':'
      else
         cannot(k, 'table key must be a number or string')
      end
      append(config, out, v, depth)
   end
   out[#out + 1] = '}'
end

function append(config, out, value, depth)
   local kind = type(value)
   if kind == 'string' then
      out[#out + 1] = quoted(value)
   elseif kind == 'number' then
      out[#out + 1] = number_text(config, value)
   elseif kind == 'boolean' then
      out[#out + 1] = value and 'true' or 'false'
   elseif kind == 'table' then
      append_table(config, out, value, depth)
   elseif value == nil or value == null then
      out[#out + 1] = 'null'
   else
      cannot(value, 'type not supported')
   end
end

local function encode(config, value)
   local out = {}
   append(config, out, value, 0)
   return concat(out)
end

-------------------------------------------------------------------------------------------
-- decoding

local function decode(config, text)
   local kind = type(text)
   if kind == 'number' then text = tostring(text)
   elseif kind ~= 'string' then
      error(format("bad argument #1 to 'decode' (string expected, got %s)", kind), 0)
   end
   local bytes = torch.ByteTensor(torch.ByteStorage():string(text))
   if #text == 0 then bytes = nil end
   local ok, result = pcall(parser.decode, bytes, config.decode_max_depth,
      config.decode_invalid_numbers == 1)
   if not ok then error(result, 0) end
   return python_values.unpack(result, null)
end

-------------------------------------------------------------------------------------------
-- module tables

local function new_config()
   return {sparse_convert = 0, sparse_ratio = 2, sparse_safe = 10,
           encode_max_depth = 1000, decode_max_depth = 1000,
           encode_invalid_numbers = 0, decode_invalid_numbers = 1,
           encode_keep_buffer = 1, encode_number_precision = 14, number_format = '%.14g'}
end


local new

-- The module table over one configuration; `safe` makes encode/decode return nil and the
-- message instead of raising (cjson.safe).
local function module_table(safe)
   local config = new_config()
   local cjson = {null = null, _NAME = 'cjson', _VERSION = '2.1devel'}

   local function converter(convert)
      return function(...)
         if select('#', ...) ~= 1 then argument_error(1, 1, 'expected 1 argument') end
         local ok, result = pcall(convert, config, ...)
         if ok then return result end
         if safe then return nil, result end
         error(result, 2)
      end
   end
   cjson.encode = converter(encode)
   cjson.decode = converter(decode)

   function cjson.encode_sparse_array(...)
      local convert, ratio, safe_size = ...
      check_count(select('#', ...), 3)
      return enum_option(config, 'sparse_convert', convert, 1, ON_OFF),
         integer_option(config, 'sparse_ratio', ratio, 0, INT_MAX),
         integer_option(config, 'sparse_safe', safe_size, 0, INT_MAX)
   end

   local function integer_setting(name, field, least, most)
      cjson[name] = function(...)
         check_count(select('#', ...), 1)
         local value = integer_option(config, field, (...), least, most)
         return value      -- not a tail call: argument errors name this function
      end
   end
   integer_setting('encode_max_depth', 'encode_max_depth', 1, INT_MAX)
   integer_setting('decode_max_depth', 'decode_max_depth', 1, INT_MAX)

   function cjson.encode_number_precision(...)
      check_count(select('#', ...), 1)
      local precision = integer_option(config, 'encode_number_precision', (...), 1, 14)
      config.number_format = '%.' .. precision .. 'g'
      return precision
   end

   local function enum_setting(name, options)
      cjson[name] = function(...)
         check_count(select('#', ...), 1)
         local value = enum_option(config, name, (...), 1, options)
         return value      -- not a tail call: argument errors name this function
      end
   end
   -- the encode buffer is the original's speed-up; kept as a setting only
   enum_setting('encode_keep_buffer', ON_OFF)
   enum_setting('encode_invalid_numbers', {'off', 'on', 'null'})
   enum_setting('decode_invalid_numbers', ON_OFF)

   cjson.new = function() return new(safe) end
   return cjson
end
new = module_table

return module_table
