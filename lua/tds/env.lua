-- What the tds containers share: the package table, the store of each object's contents,
-- the check of what an element may be, and the registration of a container class.

local ffi = require 'ffi'
local core = require 'torch.core'

local tds = {}

-- object -> its contents; weak, so an object's contents go with it
tds.store = setmetatable({}, {__mode = 'k'})

local CONTAINERS = {['tds.Hash'] = true, ['tds.Vec'] = true}

-- Errors as the original's element conversion gave them.
function tds.check_element(value)
   local kind = type(value)
   if kind == 'string' or kind == 'number' or kind == 'boolean' then return end
   local name = torch.typename(value)
   if name and (CONTAINERS[name] or torch.isTensor(value)) then return end
   error(string.format('unsupported key/value type <%s> (set)', name or kind), 3)
end

-- A Lua table for a constructor: a Vec when all its keys are numbers, else a Hash.
function tds.from_table(value)
   if type(value) ~= 'table' or torch.typename(value) then return value end
   for k in pairs(value) do
      if type(k) ~= 'number' then return tds.Hash(value) end
   end
   return tds.Vec(value)
end

-- Declares the FFI type of a class and registers it with torch (typename, factory, the
-- serialization hooks in `class`); returns the constructor table and the type.
function tds.declare(name, ctype_name, class, new)
   ffi.cdef(string.format('typedef struct %s {} %s;', ctype_name, ctype_name))
   local ctype = ffi.typeof(ctype_name)
   class.__version = 0
   local function factory() return new() end
   local ctor = core.register_cdata_class(name, class, factory, new, function(obj)
      if ffi.istype(ctype, obj) then return name end
   end)
   ffi.metatype(ctype, class)
   return ctor, ctype
end

-- Lines of a value's tostring after the first, indented under a key of `width` columns.
function tds.entry(key_text, value, width)
   local indent = string.rep(' ', width)
   local first = true
   return (tostring(value):gsub('([^\n]+)', function(line)
      if first then
         first = false
         return key_text .. line
      end
      return indent .. line
   end))
end

return tds
