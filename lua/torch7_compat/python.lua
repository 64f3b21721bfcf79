-- Lua packages whose work is done in Python (image, gnuplot): python.module(name) gives a
-- table of that module's functions, callable from Lua with tensors and plain values.
-- Tensors cross without copies (torch7_compat.bridge); a Python exception becomes a Lua
-- error with its message, blamed on the caller of the Lua package function.

local bridge = require 'torch7_compat.bridge'
local core = require 'torch.core'

local boot = package.loaded['torch7_compat.boot']
local calls = boot.import_python('torch7_compat.lua_calls')
local call = calls.call

local python = {}

local function outcome(level, ok, kind, ...)
   if not ok then error(kind, level + 1) end
   if kind == 'tensor' then
      local address = ...
      return bridge.import_tensor(address)
   end
   return ...
end

-- python.module('torch7_compat.image_ops').scale(t, 10, 10, 'bilinear'); `level` is where
-- errors are blamed (3 by default: the caller of the function calling this).
function python.module(name, level)
   level = level or 3
   local module = boot.import_python(name)
   return setmetatable({}, {__index = function(self, key)
      local fn = module[key]
      local wrapped = function(...)
         local n = select('#', ...)
         local args = {...}
         for i = 1, n do
            if core.is_tensor(args[i]) then args[i] = bridge.export(args[i]) end
         end
         return outcome(level, call(fn, unpack(args, 1, n)))
      end
      rawset(self, key, wrapped)
      return wrapped
   end})
end

return python
