-- matio (matio-ffi): MATLAB .mat files into tensors and tables.
--    matio.load(filename)                  -- every variable: a table by name
--    matio.load(filename, 'x')             -- one variable
--    matio.load(filename, {'x', 'y'})      -- a table of those
-- Versions 5 to 7 are read by scipy.io, 7.3 by h5py (torch7_compat/lua_packages/matio.py).
-- matio.use_lua_strings = true reads character arrays as Lua strings rather than
-- CharTensors. matio.save(filename, tensor) writes it as 'x'; matio.save(filename, table)
-- writes each entry (tensors, numbers, strings, booleans; tables as structs), as version 5
-- files, compressed unless matio.compression = matio.ffi.COMPRESSION_NONE. As in the
-- original, a variable that is missing (or of a kind it did not read) is reported and left
-- out; a file that cannot be read is an error naming it.

require 'torch'
local ops = require('torch7_compat.python').module('torch7_compat.lua_packages.matio')
local python_values = require 'torch7_compat.python_values'

local matio = {}

matio.use_lua_strings = false

-- the two compression settings of the original's matio.ffi
matio.ffi = {COMPRESSION_NONE = 0, COMPRESSION_ZLIB = 1}
matio.compression = matio.ffi.COMPRESSION_ZLIB

function matio.load(filename, name)
   if type(filename) ~= 'string' then
      error('matio.load: a file name (string) expected, got ' .. type(filename), 2)
   end
   local names
   if type(name) == 'string' then
      names = name
   elseif type(name) == 'table' and #name > 0 then
      names = table.concat(name, '\0')
   elseif name ~= nil and type(name) ~= 'table' then
      error('matio.load: the variable name must be a string or a table of strings', 2)
   end
   local packed, token, messages = ops.load(filename, names, matio.use_lua_strings == true)
   if messages ~= '' then print(messages) end
   if packed == nil then return nil end
   local ok, values = pcall(python_values.unpack, packed, nil, function(i)
      return ops.tensor(token, i)
   end)
   ops.release(token)
   if not ok then error(values, 2) end
   if type(name) == 'string' then return values[name] end
   return values
end

local function put(token, path, value)
   local kind = type(value)
   if torch.isTensor(value) or kind == 'number' or kind == 'string' or kind == 'boolean' then
      ops.save_put(token, path, value)
   elseif kind == 'table' then
      for k, v in pairs(value) do put(token, path .. '\0' .. tostring(k), v) end
   else
      error('Unsupported type: ' .. kind, 0)
   end
end

function matio.save(filename, data)
   if type(filename) ~= 'string' then
      error('matio.save: a file name (string) expected, got ' .. type(filename), 2)
   end
   if not torch.isTensor(data) and type(data) ~= 'table' then
      error('Unsupported type: ' .. type(data), 2)
   end
   local token = ops.save_begin()
   local ok, message = pcall(function()
      if torch.isTensor(data) then
         put(token, 'x', data)
      else
         for k, v in pairs(data) do put(token, tostring(k), v) end
      end
   end)
   if not ok then
      ops.save_end(token, nil, false)
      error(message, 2)
   end
   ops.save_end(token, filename, matio.compression ~= matio.ffi.COMPRESSION_NONE)
end

return matio
