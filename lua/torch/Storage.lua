-- torch.{Byte,Char,Short,Int,Long,Float,Double,Half}Storage: typed buffers, 1-based.
-- Lua holds them as FFI pointers to the core's T7Storage; one Lua class per element type.

local core = require 'torch.core'
local C, ffi = core.C, core.ffi

local Storage = {}            -- methods shared by every storage class
local classes = {}            -- dtype code -> class (method table)
core.storage_classes = classes

local POINTER_TYPES = core.POINTER_TYPES

local function new_storage(dtype, size)
   core.check_heap()
   local s = C.t7_storage_new(dtype, size or 0)
   if s == nil then core.raise(3) end
   return core.own_storage(s)
end
core.new_storage = new_storage

local function typename(s)
   return 'torch.' .. core.TYPE_NAMES[s._dtype] .. 'Storage'
end

local function check_index(s, i, argn)
   if type(i) ~= 'number' then
      error(string.format('bad argument #%d (number expected, got %s)', argn or 2, type(i)), 3)
   end
   if i < 1 or i > s._size then
      error(string.format('bad argument #%d (index %d out of range: the storage has %d elements)',
         argn or 2, i, tonumber(s._size)), 3)
   end
end

local function element(s, i)
   local value = ffi.cast(POINTER_TYPES[s._dtype], s._data)[i - 1]
   if s._dtype == 4 then return tonumber(value) end
   return value
end

local function set_element(s, i, v)
   ffi.cast(POINTER_TYPES[s._dtype], s._data)[i - 1] = v
end

-- torch.XStorage([size | table | storage, offset, size])
local function constructor(dtype)
   return function(a, b, c)
      if a == nil then return new_storage(dtype, 0) end
      if type(a) == 'number' then
         if a < 0 or a ~= math.floor(a) then
            error(string.format('bad argument #1 (invalid storage size %s)', tostring(a)), 2)
         end
         return new_storage(dtype, a)
      end
      if type(a) == 'table' and not torch.typename(a) then
         local s = new_storage(dtype, #a)
         for i = 1, #a do
            if type(a[i]) ~= 'number' then
               error(string.format('bad argument #1 (element %d is a %s, not a number)', i,
                  type(a[i])), 2)
            end
            set_element(s, i, a[i])
         end
         return s
      end
      error(string.format('bad argument #1 to \'torch.%sStorage\' (number or table expected, '
         .. 'got %s)', core.TYPE_NAMES[dtype], torch.type(a)), 2)
   end
end

function Storage.size(self)
   return tonumber(self._size)
end

function Storage.fill(self, value)
   if C.t7_storage_fill(self, value) ~= 0 then core.raise() end
   return self
end

function Storage.zero(self)
   return self:fill(0)
end

function Storage.copy(self, src)
   if core.is_storage(src) then
      if C.t7_storage_copy(self, src) ~= 0 then core.raise() end
   elseif type(src) == 'table' then
      if #src ~= self._size then
         error(string.format('size mismatch: copying %d values into a storage of %d', #src,
            tonumber(self._size)), 2)
      end
      for i = 1, #src do set_element(self, i, src[i]) end
   else
      error('bad argument #2 (storage or table expected)', 2)
   end
   return self
end

function Storage.resize(self, size)
   if type(size) ~= 'number' or size < 0 then
      error('bad argument #2 to \'resize\' (non-negative number expected)', 2)
   end
   if C.t7_storage_resize(self, size) ~= 0 then core.raise() end
   return self
end

function Storage.totable(self)
   local t = {}
   for i = 1, tonumber(self._size) do t[i] = element(self, i) end
   return t
end

function Storage.data(self)
   return ffi.cast(POINTER_TYPES[self._dtype], self._data)
end

function Storage.elementSize(self)
   return C.t7_element_size(self._dtype)
end

function Storage.type(self, name)
   if name == nil then return typename(self) end
   local ctor = torch.getconstructortable(name)
   if not ctor then error('unknown storage type ' .. tostring(name), 2) end
   if name == typename(self) then return self end
   local result = ctor(tonumber(self._size))
   return result:copy(self)
end

function Storage.string(self)
   if self._dtype ~= 0 and self._dtype ~= 1 then
      error('string() is only for Byte and Char storages', 2)
   end
   return ffi.string(self._data, self._size)
end

local function index(self, k)
   local class = classes[self._dtype]
   local method = class[k]
   if method ~= nil then return method end
   if type(k) == 'number' then
      check_index(self, k, 2)
      return element(self, k)
   end
end

local function newindex(self, k, v)
   if type(k) == 'number' then
      check_index(self, k, 2)
      if type(v) ~= 'number' then
         error(string.format('bad argument #3 (number expected, got %s)', type(v)), 2)
      end
      set_element(self, k, v)
      return
   end
   error(string.format('the class %s cannot be indexed', typename(self)), 2)
end

ffi.metatype('T7Storage', {
   __index = index,
   __newindex = newindex,
   __len = function(self) return tonumber(self._size) end,
   -- torch/print.lua installs __tostring__ in every class
   __tostring = function(self) return classes[self._dtype].__tostring__(self) end,
})

local function name_of(obj)
   if core.is_storage(obj) then return typename(obj) end
end

for code = 0, 7 do
   local class = {}
   for k, v in pairs(Storage) do class[k] = v end
   classes[code] = class
   local name = 'torch.' .. core.TYPE_NAMES[code] .. 'Storage'
   local make = constructor(code)
   local ctor = core.register_cdata_class(name, class, function() return make() end, make,
      code == 0 and name_of or nil)
   torch[core.TYPE_NAMES[code] .. 'Storage'] = ctor
end

return Storage
