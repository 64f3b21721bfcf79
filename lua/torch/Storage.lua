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
   if not (i >= 1 and i <= s._size) then   -- (NaN fails too)
      error(string.format('bad argument #%d (index %d out of range: the storage has %d elements)',
         argn or 2, i, tonumber(s._size)), 3)
   end
end

local LONG, HALF, FLOAT, DOUBLE = core.DTYPE.Long, core.DTYPE.Half, core.DTYPE.Float,
   core.DTYPE.Double
local load_float, load_double = core.load_float, core.load_double
local half_to_float, float_to_half = C.t7_half_to_float, C.t7_float_to_half

-- The element at a typed pointer as a Lua number, and the reverse (for tensors too).
local function load(dtype, p)
   if dtype == DOUBLE then return load_double(p) end
   if dtype == FLOAT then return load_float(p) end
   if dtype == LONG then return tonumber(p[0]) end
   if dtype == HALF then return half_to_float(p[0]) end
   return p[0]
end
core.load_element = load

local function store(dtype, p, v)
   if dtype == HALF then p[0] = float_to_half(v) else p[0] = v end
end
core.store_element = store

-- x:retain() and x:free(), the original's manual reference counting (for code that hands a
-- tensor or storage to C and keeps it there). The collector owns the first reference, so a
-- free only undoes a retain: a stray free is ignored rather than freeing memory in use.
local manual_references = {}     -- C address -> retains not yet freed
function core.manual_reference_methods(retain, release)
   local function retain_method(self)
      local address = core.address(self)
      manual_references[address] = (manual_references[address] or 0) + 1
      retain(self)
   end
   local function free_method(self)
      local address = core.address(self)
      local count = manual_references[address]
      if count == nil then return end
      manual_references[address] = count > 1 and count - 1 or nil
      release(self)
   end
   return retain_method, free_method
end

Storage.retain, Storage.free = core.manual_reference_methods(C.t7_storage_retain,
   C.t7_storage_release)

-- Element i (1-based), as Torch7 gives it: a Lua number (HalfStorage: through float32).
local function element(s, i)
   return load(s._dtype, ffi.cast(POINTER_TYPES[s._dtype], s._data) + (i - 1))
end

local function set_element(s, i, v)
   store(s._dtype, ffi.cast(POINTER_TYPES[s._dtype], s._data) + (i - 1), v)
end

local function own_or_raise(s, level)
   if s == nil then core.raise(level + 1) end
   return core.own_storage(s)
end

local function optional_integer(v, argn, name)
   if v ~= nil and type(v) ~= 'number' then
      error(string.format("bad argument #%d to '%s' (number expected, got %s)", argn, name,
         type(v)), 4)
   end
   return v
end

-- torch.XStorage([size]) | (table) | (storage[, offset[, size]]): a view of part of another
-- storage | (filename[, shared[, size[, sharedMem]]]): the file's contents, mapped into
-- memory (sharedMem: the POSIX shared memory object of that name, removed with the storage)
local function constructor(dtype)
   local name = 'torch.' .. core.TYPE_NAMES[dtype] .. 'Storage'
   return function(a, b, c, d)
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
               error(string.format('element at index %d is not a number', i), 2)
            end
            set_element(s, i, a[i])
         end
         return s
      end
      if core.is_storage(a) then
         if a._dtype ~= dtype then
            error(string.format("bad argument #1 to '%s' (%s expected, got %s)", name, name,
               torch.type(a)), 2)
         end
         local offset = optional_integer(b, 2, name) or 1
         local size = optional_integer(c, 3, name) or tonumber(a._size) - offset + 1
         return own_or_raise(C.t7_storage_new_view(a, offset - 1, size), 2)
      end
      if type(a) == 'string' then
         local size = optional_integer(c, 3, name) or 0
         local map = d and C.t7_storage_new_shared_memory or C.t7_storage_new_mapped
         return own_or_raise(map(a, dtype, size, b and 1 or 0), 2)
      end
      error(string.format("bad argument #1 to '%s' (number, table, storage or file name "
         .. 'expected, got %s)', name, torch.type(a)), 2)
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

-- Byte and Char storages only: s:string() gives the bytes as a Lua string; s:string(str)
-- makes the storage hold str's bytes (resizing it) and returns it.
local function string_method(self, str)
   if str == nil then return ffi.string(self._data, self._size) end
   if type(str) ~= 'string' then
      error(string.format("bad argument #2 to 'string' (string expected, got %s)",
         type(str)), 2)
   end
   if C.t7_storage_resize(self, #str) ~= 0 then core.raise() end
   ffi.copy(self._data, str, #str)
   return self
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
   if code == core.DTYPE.Byte or code == core.DTYPE.Char then class.string = string_method end
   classes[code] = class
   local name = 'torch.' .. core.TYPE_NAMES[code] .. 'Storage'
   local make = constructor(code)
   local ctor = core.register_cdata_class(name, class, function() return make() end, make,
      code == 0 and name_of or nil)
   torch[core.TYPE_NAMES[code] .. 'Storage'] = ctor
end

return Storage
