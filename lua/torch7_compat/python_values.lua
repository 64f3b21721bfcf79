-- Nested values from Python in one string (torch7_compat/lua_packages/lua_values.py) back
-- into Lua tables. python_values.unpack(s[, null[, tensor_at]]): `null` stands for Python's
-- None (nil by default); tensor_at(i) gives the i-th tensor (0-based) sent beside s.

local ffi = require 'ffi'

local byte, sub = string.byte, string.sub
local double_view = ffi.typeof('const double *')
local count_view = ffi.typeof('const uint32_t *')

local python_values = {}

function python_values.unpack(s, null, tensor_at)
   local base = ffi.cast('const char *', s)
   local pos = 0         -- 0-based offset of the next tag
   local read

   local function count()
      local n = ffi.cast(count_view, base + pos)[0]
      pos = pos + 4
      return n
   end

   local function raw_string()
      local n = count()
      local value = sub(s, pos + 1, pos + n)
      pos = pos + n
      return value
   end

   function read()
      local tag = byte(s, pos + 1)
      pos = pos + 1
      if tag == 110 then          -- n
         local x = ffi.cast(double_view, base + pos)[0]
         pos = pos + 8
         return x
      elseif tag == 115 then      -- s
         return raw_string()
      elseif tag == 97 then       -- a
         local t = {}
         for i = 1, count() do t[i] = read() end
         return t
      elseif tag == 111 then      -- o
         local t = {}
         for _ = 1, count() do
            local k = raw_string()
            t[k] = read()
         end
         return t
      elseif tag == 84 then       -- T
         return tensor_at(count())
      elseif tag == 116 then return true
      elseif tag == 102 then return false
      end
      return null                 -- z
   end

   return read()
end

return python_values
