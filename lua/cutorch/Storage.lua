-- torch.CudaStorage: float32 elements in device memory, copied to and from CPU storages.

local core = require 'cutorch.core'
local torch_core = require 'torch.core'
local C, ffi = core.C, core.ffi

local Storage = {}
local check = core.check
local float_ptr = ffi.typeof('float *')

local function new_storage(size)
   return core.own_storage(C.t7cu_storage_new(size or 0))
end
core.new_storage = new_storage

-- The elements of a CPU storage as a FloatStorage (the storage itself when it is one).
local function as_float_storage(s)
   if torch.type(s) == 'torch.FloatStorage' then return s end
   return torch.FloatStorage(s:size()):copy(s)
end

local function construct(a)
   if a == nil then return new_storage(0) end
   if type(a) == 'number' then return new_storage(a) end
   if type(a) == 'table' then
      local cpu = torch.FloatStorage(a)
      return new_storage(#a):copy(cpu)
   end
   error('torch.CudaStorage: a size or a table of numbers expected, got ' .. torch.type(a), 2)
end

function Storage.size(self)
   return tonumber(self._size)
end

function Storage.resize(self, size)
   check(C.t7cu_storage_resize(self, size))
   return self
end

function Storage.getDevice(self)
   return self._device + 1
end

function Storage.copy(self, src)
   if core.is_storage(src) then
      check(C.t7cu_storage_copy(self, src))
   elseif torch.isStorage(src) then
      if src:size() ~= self:size() then
         error(string.format('copying a storage of %d elements into one of %d', src:size(),
            self:size()), 2)
      end
      local floats = as_float_storage(src)
      check(C.t7cu_storage_copy_from_host(self, ffi.cast(float_ptr, floats._data)))
   else
      error('copy: a storage expected, got ' .. torch.type(src), 2)
   end
   return self
end

function Storage.fill(self, value)
   local all = core.own_tensor(C.t7cu_tensor_new_view(self, 0, 1, ffi.new('int64_t[1]',
      self._size), nil))
   check(C.t7cu_map(all, nil, nil, nil, C.T7CU_FILL, value, 0))
   return self
end

-- The elements as a FloatStorage (on the host).
local function to_float(self)
   local cpu = torch.FloatStorage(self:size())
   check(C.t7cu_storage_copy_to_host(ffi.cast(float_ptr, cpu._data), self), 3)
   return cpu
end

function Storage.type(self, name)
   if name == nil then return 'torch.CudaStorage' end
   if name == 'torch.CudaStorage' then return self end
   local ctor = torch.getconstructortable(name)
   if not ctor then error('unknown storage type ' .. tostring(name), 2) end
   local floats = to_float(self)
   if name == 'torch.FloatStorage' then return floats end
   return ctor(floats:size()):copy(floats)
end

function Storage.float(self) return self:type('torch.FloatStorage') end
function Storage.double(self) return self:type('torch.DoubleStorage') end
function Storage.cuda(self) return self end

function Storage.totable(self)
   return to_float(self):totable()
end

local element = ffi.new('float[1]')
local function index(self, k)
   if type(k) == 'number' then
      check(C.t7cu_storage_get(self, k - 1, element))
      return tonumber(element[0])
   end
   return Storage[k]
end

local function newindex(self, k, value)
   if type(k) ~= 'number' or type(value) ~= 'number' then
      error('a CudaStorage is indexed by numbers and holds numbers', 2)
   end
   check(C.t7cu_storage_set(self, k - 1, value))
end

function Storage.__tostring__(self)
   return (tostring(to_float(self)):gsub('torch%.FloatStorage', 'torch.CudaStorage'))
end

ffi.metatype('T7CudaStorage', {
   __index = index,
   __newindex = newindex,
   __len = function(self) return self:size() end,
   __tostring = function(self) return Storage.__tostring__(self) end,
})

Storage.retain, Storage.free = torch_core.manual_reference_methods(C.t7cu_storage_retain,
   C.t7cu_storage_release)

torch.CudaStorage = torch_core.register_cdata_class('torch.CudaStorage', Storage,
   function() return new_storage(0) end, construct,
   function(obj) if core.is_storage(obj) then return 'torch.CudaStorage' end end)

return Storage
