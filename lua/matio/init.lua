-- matio (matio-ffi): MATLAB .mat files into tensors and tables.
--    matio.load(filename)                  -- every variable: a table by name
--    matio.load(filename, 'x')             -- one variable
--    matio.load(filename, {'x', 'y'})      -- a table of those
-- Versions 5 to 7 are read by scipy.io, 7.3 by h5py (torch7_compat/lua_packages/matio.py).
-- matio.use_lua_strings = true reads character arrays as Lua strings rather than
-- CharTensors. As in the original, a variable that is missing (or of a kind it did not read)
-- is reported and left out; a file that cannot be read is an error naming it.

require 'torch'
local ops = require('torch7_compat.python').module('torch7_compat.lua_packages.matio')
local python_values = require 'torch7_compat.python_values'

local matio = {}

matio.use_lua_strings = false

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

return matio
