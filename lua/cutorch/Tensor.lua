-- torch.CudaTensor: construction, geometry, views, copies and conversions. Views are
-- computed here (sizes, strides, offset) and made by the extension, which checks that they
-- fit their storage. Math lives in cutorch/TensorMath.lua. 1-based, as Torch7.

local core = require 'cutorch.core'
local torch_core = require 'torch.core'
local C, ffi = core.C, core.ffi

local Tensor = {}
core.Tensor = Tensor
local check, is_tensor = core.check, core.is_tensor
local sizes_buffer, strides_buffer = core.sizes, core.strides
local float_ptr = ffi.typeof('float *')

local function argerror(n, name, message)
   error(string.format("bad argument #%d to '%s' (%s)", n, name, message), 3)
end

-- Reads sizes given as numbers or as a LongStorage (then strides as a second one) into the
-- shared buffers; returns the dimension count and whether strides were given.
local function read_sizes(name, a, b, ...)
   if torch.isStorage(a) then
      local n = a:size()
      for d = 1, n do sizes_buffer[d - 1] = a[d] end
      if torch.isStorage(b) then
         for d = 1, n do strides_buffer[d - 1] = b[d] end
         return n, true
      end
      return n, false
   end
   local values = {a, b, ...}
   local n = 0
   for i = 1, select('#', a, b, ...) do
      local v = values[i]
      if v == nil then break end
      if type(v) ~= 'number' then argerror(i, name, 'number or LongStorage expected') end
      sizes_buffer[n] = v
      n = n + 1
   end
   return n, false
end

local function new_view(storage, offset, ndim, size, stride)
   return core.own_tensor(C.t7cu_tensor_new_view(storage, offset, ndim, size, stride))
end

-- A view of t with its own geometry: sizes and strides as Lua lists (0-based offset).
local function view_of(t, offset, size, stride)
   local n = #size
   for d = 1, n do
      sizes_buffer[d - 1] = size[d]
      strides_buffer[d - 1] = stride[d]
   end
   return new_view(t._storage, offset, n, sizes_buffer, strides_buffer)
end

local function geometry_lists(t)
   local size, stride = {}, {}
   for d = 0, t._ndim - 1 do
      size[d + 1] = tonumber(t._size[d])
      stride[d + 1] = tonumber(t._stride[d])
   end
   return size, stride
end
core.geometry_lists = geometry_lists

local function construct(a, ...)
   local t = core.new_tensor()
   if a == nil then return t end
   if is_tensor(a) then return t:set(a) end
   if core.is_storage(a) then return t:set(a, ...) end
   if type(a) == 'table' then return t:copy(torch.FloatTensor(a)) end
   local n, with_strides = read_sizes('torch.CudaTensor', a, ...)
   check(C.t7cu_tensor_resize(t, n, sizes_buffer, with_strides and strides_buffer or nil), 2)
   return t
end

-------------------------------------------------------------------------------------------
-- geometry

function Tensor.dim(self) return self._ndim end
Tensor.nDimension = Tensor.dim

function Tensor.size(self, dim)
   if dim == nil then
      local s = torch.LongStorage(self._ndim)
      for d = 1, self._ndim do s[d] = tonumber(self._size[d - 1]) end
      return s
   end
   if not (dim >= 1 and dim <= self._ndim) then
      argerror(2, 'size', string.format('dimension %d out of range of %dD tensor', dim,
         self._ndim))
   end
   return tonumber(self._size[dim - 1])
end

function Tensor.stride(self, dim)
   if dim == nil then
      local s = torch.LongStorage(self._ndim)
      for d = 1, self._ndim do s[d] = tonumber(self._stride[d - 1]) end
      return s
   end
   if not (dim >= 1 and dim <= self._ndim) then
      argerror(2, 'stride', string.format('dimension %d out of range of %dD tensor', dim,
         self._ndim))
   end
   return tonumber(self._stride[dim - 1])
end

function Tensor.nElement(self) return tonumber(C.t7cu_tensor_nelement(self)) end
Tensor.numel = Tensor.nElement

function Tensor.storage(self)
   if self._storage == nil then return nil end
   C.t7cu_storage_retain(self._storage)
   return core.own_storage(self._storage)
end

function Tensor.storageOffset(self) return tonumber(self._offset) + 1 end
function Tensor.isContiguous(self) return C.t7cu_tensor_is_contiguous(self) ~= 0 end
function Tensor.getDevice(self) return self._device + 1 end

function Tensor.isSameSizeAs(self, other)
   if self._ndim ~= other._ndim then return false end
   for d = 0, self._ndim - 1 do
      if self._size[d] ~= other._size[d] then return false end
   end
   return true
end

function Tensor.resize(self, ...)
   local n, with_strides = read_sizes('resize', ...)
   check(C.t7cu_tensor_resize(self, n, sizes_buffer, with_strides and strides_buffer or nil))
   return self
end

function Tensor.resizeAs(self, other)
   check(C.t7cu_tensor_resize(self, other._ndim, other._size, nil))
   return self
end

-- set(): no dimension; set(tensor): a view of it; set(storage[, offset[, sizes[, strides]]])
function Tensor.set(self, a, offset, ...)
   if a == nil then
      check(C.t7cu_tensor_set(self, nil, 0, 0, nil, nil))
   elseif is_tensor(a) then
      check(C.t7cu_tensor_set(self, a._storage, a._offset, a._ndim, a._size, a._stride))
   elseif core.is_storage(a) then
      if select('#', ...) == 0 then
         sizes_buffer[0] = a._size - ((offset or 1) - 1)
         check(C.t7cu_tensor_set(self, a, (offset or 1) - 1, 1, sizes_buffer, nil))
      else
         local n, with_strides = read_sizes('set', ...)
         check(C.t7cu_tensor_set(self, a, (offset or 1) - 1, n, sizes_buffer,
            with_strides and strides_buffer or nil))
      end
   else
      argerror(1, 'set', 'CudaTensor or CudaStorage expected, got ' .. torch.type(a))
   end
   return self
end

local function check_dim(self, dim, argn, name)
   if type(dim) ~= 'number' or not (dim >= 1 and dim <= self._ndim) then
      argerror(argn, name, string.format('dimension %s out of range of %dD tensor',
         tostring(dim), self._ndim))
   end
end

function Tensor.narrow(self, dim, first, length)
   check_dim(self, dim, 1, 'narrow')
   local size, stride = geometry_lists(self)
   if not (first >= 1 and length >= 0 and first + length - 1 <= size[dim]) then
      argerror(2, 'narrow', 'out of range')
   end
   local offset = self._offset + (first - 1) * stride[dim]
   size[dim] = length
   return view_of(self, offset, size, stride)
end

function Tensor.select(self, dim, index)
   check_dim(self, dim, 1, 'select')
   local size, stride = geometry_lists(self)
   if index < 0 then index = index + size[dim] + 1 end
   if not (index >= 1 and index <= size[dim]) then argerror(2, 'select', 'out of range') end
   local offset = self._offset + (index - 1) * stride[dim]
   table.remove(size, dim)
   table.remove(stride, dim)
   if #size == 0 then size, stride = {1}, {1} end
   return view_of(self, offset, size, stride)
end

function Tensor.transpose(self, d1, d2)
   check_dim(self, d1, 1, 'transpose')
   check_dim(self, d2, 2, 'transpose')
   local size, stride = geometry_lists(self)
   size[d1], size[d2] = size[d2], size[d1]
   stride[d1], stride[d2] = stride[d2], stride[d1]
   return view_of(self, self._offset, size, stride)
end

function Tensor.t(self)
   if self._ndim ~= 2 then
      error('t() expects a 2D tensor, but self is ' .. self._ndim .. 'D', 2)
   end
   return self:transpose(1, 2)
end

-- view(sizes...): the same elements with other sizes (one may be -1); contiguous only.
function Tensor.view(self, ...)
   if not self:isContiguous() then
      error('expecting a contiguous tensor (call :contiguous() first)', 2)
   end
   local n = read_sizes('view', ...)
   local total, unknown, known = self:nElement(), nil, 1
   for d = 0, n - 1 do
      if sizes_buffer[d] == -1 then unknown = d else known = known * sizes_buffer[d] end
   end
   if unknown then sizes_buffer[unknown] = known > 0 and total / known or 0 end
   local count = n > 0 and 1 or 0
   for d = 0, n - 1 do count = count * sizes_buffer[d] end
   if count ~= total then error('size mismatch: cannot view as that size', 2) end
   return new_view(self._storage, self._offset, n, sizes_buffer, nil)
end

function Tensor.viewAs(self, other) return self:view(other:size()) end

function Tensor.expand(self, ...)
   local n = read_sizes('expand', ...)
   if n ~= self._ndim then error('the number of sizes must equal the dimension count', 2) end
   local size, stride = geometry_lists(self)
   for d = 1, n do
      local want = tonumber(sizes_buffer[d - 1])
      if size[d] ~= want then
         if size[d] ~= 1 then error('expanding a dimension of size other than 1', 2) end
         size[d], stride[d] = want, 0
      end
   end
   return view_of(self, self._offset, size, stride)
end

function Tensor.expandAs(self, other) return self:expand(other:size()) end

function Tensor.unsqueeze(self, dim)
   local size, stride = geometry_lists(self)
   table.insert(size, dim, 1)
   table.insert(stride, dim, dim <= #stride and stride[dim] * (size[dim + 1] or 1) or 1)
   return view_of(self, self._offset, size, stride)
end

function Tensor.squeeze(self, dim)
   local size, stride = geometry_lists(self)
   local keep_size, keep_stride = {}, {}
   for d = 1, #size do
      if not (size[d] == 1 and (dim == nil or dim == d)) then
         keep_size[#keep_size + 1], keep_stride[#keep_stride + 1] = size[d], stride[d]
      end
   end
   if #keep_size == 0 and #size > 0 then keep_size, keep_stride = {1}, {1} end
   return view_of(self, self._offset, keep_size, keep_stride)
end

function Tensor.contiguous(self)
   if self:isContiguous() then return self end
   return self:clone()
end

function Tensor.clone(self)
   return core.new_tensor():resizeAs(self):copy(self)
end

-------------------------------------------------------------------------------------------
-- copies and conversions

-- The elements of a CPU tensor as a contiguous FloatTensor (itself when it is one).
local function as_float(t)
   if torch.type(t) == 'torch.FloatTensor' and t:isContiguous() then return t end
   return torch.FloatTensor(t:size()):copy(t)
end

function Tensor.copy(self, src)
   if is_tensor(src) then
      check(C.t7cu_tensor_copy(self, src))
   elseif torch.isTensor(src) then
      if src:nElement() ~= self:nElement() then
         error(string.format('inconsistent tensor size: %d elements into %d', src:nElement(),
            self:nElement()), 2)
      end
      local floats = as_float(src)
      if floats:nElement() > 0 then
         check(C.t7cu_tensor_copy_from_host(self, ffi.cast(float_ptr, floats:data())))
      end
   else
      argerror(1, 'copy', 'tensor expected, got ' .. torch.type(src))
   end
   return self
end

-- A CPU tensor of type `name` holding this tensor's values, with its sizes.
local function to_host(self, name)
   local floats = torch.FloatTensor(self:size())
   if self:nElement() > 0 then
      check(C.t7cu_tensor_copy_to_host(ffi.cast(float_ptr, floats:data()), self), 3)
   end
   if name == 'torch.FloatTensor' then return floats end
   return floats:type(name)
end

function Tensor.type(self, name)
   if name == nil then return 'torch.CudaTensor' end
   if name == 'torch.CudaTensor' then return self end
   if not torch.getconstructortable(name) then error('unknown tensor type ' .. name, 2) end
   return to_host(self, name)
end

function Tensor.typeAs(self, other) return self:type(torch.type(other)) end
function Tensor.cuda(self) return self end
for _, name in ipairs({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}) do
   Tensor[name:lower()] = function(self) return to_host(self, 'torch.' .. name .. 'Tensor') end
end

function Tensor.totable(self) return to_host(self, 'torch.FloatTensor'):totable() end

-- The first element's device address, as a void pointer: Lua cannot read device memory,
-- and indexing a void pointer is an error rather than a crash.
function Tensor.data(self)
   if self._storage == nil then return nil end
   return ffi.cast('void *', self._storage._data + self._offset)
end

function Tensor.cdata(self) return self end

Tensor.retain, Tensor.free = torch_core.manual_reference_methods(C.t7cu_tensor_retain,
   C.t7cu_tensor_release)

function Tensor.__tostring__(self)
   return (tostring(to_host(self, 'torch.FloatTensor')):gsub('torch%.FloatTensor',
      'torch.CudaTensor'))
end

-- CPU tensors become CUDA tensors (t:cuda(), t:type('torch.CudaTensor')), and copy from
-- them (cpu:copy(gpu)), through the hooks the CPU classes leave for other packages.
torch_core.type_conversion_hooks = torch_core.type_conversion_hooks or {}
torch_core.type_conversion_hooks['torch.CudaTensor'] = function(t)
   return core.new_tensor():resize(t:size()):copy(t)
end
torch_core.copy_hooks = torch_core.copy_hooks or {}
torch_core.copy_hooks['torch.CudaTensor'] = function(dst, src)
   local host = to_host(src, 'torch.FloatTensor')
   return dst:copy(host)
end
torch_core.add_tensor_method('cuda', function(self)
   return self:type('torch.CudaTensor')
end)

-------------------------------------------------------------------------------------------
-- indexing: t[i] is an element of a vector, or a sub-tensor; t[i] = v fills it

local function index(self, k)
   if type(k) == 'number' then
      if self._ndim == 1 then
         local s = self._storage
         check(C.t7cu_storage_get(s, self._offset + (k - 1) * self._stride[0], core.float1), 2)
         return tonumber(core.float1[0])
      end
      return self:select(1, k)
   end
   return Tensor[k]
end

local function newindex(self, k, value)
   if type(k) ~= 'number' then error('a CudaTensor is indexed by numbers', 2) end
   local target = self:select(1, k)
   if type(value) == 'number' then
      target:fill(value)
   else
      target:copy(value)
   end
end

core.float1 = ffi.new('float[1]')
core.tensor_operators = {}

local function operator(name)
   return function(a, b) return core.tensor_operators[name](a, b) end
end

ffi.metatype('T7CudaTensor', {
   __index = index,
   __newindex = newindex,
   __len = function(self) return self:size() end,
   __tostring = function(self) return Tensor.__tostring__(self) end,
   __add = operator('add'),
   __sub = operator('sub'),
   __mul = operator('mul'),
   __div = operator('div'),
   __unm = operator('unm'),
})

torch.CudaTensor = torch_core.register_cdata_class('torch.CudaTensor', Tensor,
   function() return core.new_tensor() end, construct,
   function(obj) if is_tensor(obj) then return 'torch.CudaTensor' end end)

return Tensor
