-- torch.{Byte,Char,Short,Int,Long,Float,Double,Half}Tensor: construction, geometry, views,
-- indexing and type conversion. Lua holds tensors as FFI pointers to the core's T7Tensor
-- (one metatype for all types; the class is chosen by the element type). Everything here
-- is 1-based, as Torch7; the core below is 0-based.

local core = require 'torch.core'
local C, ffi = core.C, core.ffi

local Tensor = {}          -- methods shared by every tensor class
local classes = {}         -- dtype code -> class (method table)
core.tensor_classes = classes

local is_tensor, is_storage = core.is_tensor, core.is_storage
local new_tensor = core.new_tensor
local POINTER_TYPES = core.POINTER_TYPES
local sizes_buffer, strides_buffer = core.sizes, core.strides
local LONG, BYTE = core.DTYPE.Long, core.DTYPE.Byte

local HALF = core.DTYPE.Half
local load, store = core.load_element, core.store_element   -- from torch/Storage.lua

-- Pointer to the element at 0-based offset `at` (in elements) of the storage.
local function storage_pointer(t, at)
   return ffi.cast(POINTER_TYPES[t._dtype], t._storage._data) + at
end

local function typename(t)
   return 'torch.' .. core.TYPE_NAMES[t._dtype] .. 'Tensor'
end
core.tensor_typename = typename

-- Torch7's argument errors: `bad argument #n to 'name' (message)`, blamed on the caller of
-- the function that detected them.
local function argerror(n, name, message, level)
   error(string.format("bad argument #%d to '%s' (%s)", n, name, message), (level or 2) + 1)
end
core.argerror = argerror

local function check(status, level)
   if status ~= 0 then core.raise((level or 2) + 1) end
end
core.check = check

local function size_string(t)
   if t._ndim == 0 then return 'no dimension' end
   local parts = {}
   for d = 0, t._ndim - 1 do parts[#parts + 1] = tostring(tonumber(t._size[d])) end
   return table.concat(parts, 'x')
end
core.size_string = size_string

-------------------------------------------------------------------------------------------
-- sizes given as numbers or as a LongStorage (and strides as a second LongStorage)

local function is_long_storage(x)
   return is_storage(x) and x._dtype == LONG
end

-- Reads the sizes (and strides) a function got from argument `first` on, into the shared
-- buffers. Returns the number of dimensions and the strides buffer or nil.
local function read_sizes(name, first, ...)
   local a, b = ...
   if is_long_storage(a) then
      local n = tonumber(a._size)
      if n > 32 then argerror(first, name, 'at most 32 dimensions', 3) end
      local data = ffi.cast('int64_t *', a._data)
      for i = 0, n - 1 do sizes_buffer[i] = data[i] end
      if b ~= nil then
         if not is_long_storage(b) or b._size ~= a._size then
            argerror(first + 1, name, 'provided stride and size are inconsistent', 3)
         end
         local sdata = ffi.cast('int64_t *', b._data)
         for i = 0, n - 1 do strides_buffer[i] = sdata[i] end
         return n, strides_buffer
      end
      return n, nil
   end
   local n = select('#', ...)
   if n > 32 then argerror(first + 32, name, 'at most 32 dimensions', 3) end
   for i = 1, n do
      local v = select(i, ...)
      if type(v) ~= 'number' then
         argerror(first + i - 1, name, 'number expected, got ' .. torch.type(v), 3)
      end
      sizes_buffer[i - 1] = v
   end
   return n, nil
end

core.read_sizes = read_sizes

local function check_sizes(name, first, n)
   for i = 0, n - 1 do
      if sizes_buffer[i] < 0 then
         argerror(first + i, name, string.format('invalid size %d: sizes must be non-negative',
            tonumber(sizes_buffer[i])), 3)
      end
   end
end

-------------------------------------------------------------------------------------------
-- construction

-- Sizes of a nested table {{1,2},{3,4}}, following first elements (as the original did).
local function table_sizes(tbl)
   local n = 0
   local level = tbl
   while type(level) == 'table' and #level > 0 do
      sizes_buffer[n] = #level
      n = n + 1
      level = level[1]
   end
   return n
end

local function fill_from_table(t, tbl, ndim)
   local dtype = t._dtype
   local data = ffi.cast(POINTER_TYPES[dtype], t._storage._data)
   local at = 0
   local long_sizes = {}
   for d = 0, ndim - 1 do long_sizes[d + 1] = tonumber(t._size[d]) end
   local function walk(level, depth)
      if type(level) ~= 'table' then error('invalid tensor definition', 4 + depth) end
      if #level ~= long_sizes[depth] then error('invalid tensor sizes', 4 + depth) end
      if depth == ndim then
         for i = 1, #level do
            local v = level[i]
            if type(v) ~= 'number' then error('invalid element (not a number)', 4 + depth) end
            store(dtype, data + at, v)
            at = at + 1
         end
      else
         for i = 1, #level do walk(level[i], depth + 1) end
      end
   end
   walk(tbl, 1)
end

local function construct(dtype, a, ...)
   local t = new_tensor(dtype)
   if a == nil then return t end
   -- a LongStorage gives sizes, except to a LongTensor, which views it (as the original)
   if type(a) == 'number' or (is_long_storage(a) and dtype ~= LONG) then
      local n, strides = read_sizes('torch.' .. core.TYPE_NAMES[dtype] .. 'Tensor', 1, a, ...)
      check_sizes('constructor', 1, n)
      check(C.t7_tensor_resize(t, n, sizes_buffer, strides), 3)
      return t
   end
   if is_tensor(a) then
      if a._dtype ~= dtype then
         argerror(1, 'constructor', string.format('%s expected, got %s',
            'torch.' .. core.TYPE_NAMES[dtype] .. 'Tensor', typename(a)), 2)
      end
      check(C.t7_tensor_set(t, a), 3)
      return t
   end
   if is_storage(a) then
      if a._dtype ~= dtype then
         argerror(1, 'constructor', string.format('torch.%sStorage expected, got %s',
            core.TYPE_NAMES[dtype], torch.type(a)), 2)
      end
      return t:set(a, ...)
   end
   if type(a) == 'table' then
      local n = table_sizes(a)
      check(C.t7_tensor_resize(t, n, sizes_buffer, nil), 3)
      if n > 0 then fill_from_table(t, a, n) end
      return t
   end
   argerror(1, 'constructor', 'expecting number or ' .. 'torch.' .. core.TYPE_NAMES[dtype]
      .. 'Tensor or torch.' .. core.TYPE_NAMES[dtype] .. 'Storage, got ' .. torch.type(a), 2)
end

-------------------------------------------------------------------------------------------
-- geometry

function Tensor.dim(self)
   return self._ndim
end
Tensor.nDimension = Tensor.dim

-- t:size() / t:stride(): a LongStorage of all; with a dimension, that one number.
local function geometry(field, name)
   return function(self, dim)
      local values = self[field]
      if dim == nil then
         local n = self._ndim
         local s = core.new_storage(LONG, n)
         local data = ffi.cast('int64_t *', s._data)
         for d = 0, n - 1 do data[d] = values[d] end
         return s
      end
      if type(dim) ~= 'number' then argerror(2, name, 'number expected') end
      if not (dim >= 1 and dim <= self._ndim) then   -- (NaN fails too)
         argerror(2, name, string.format('dimension %d out of range of %dD tensor', dim,
            self._ndim))
      end
      return tonumber(values[dim - 1])
   end
end
Tensor.size = geometry('_size', 'size')
Tensor.stride = geometry('_stride', 'stride')

function Tensor.nElement(self)
   return tonumber(C.t7_tensor_nelement(self))
end
Tensor.numel = Tensor.nElement

function Tensor.storage(self)
   local s = self._storage
   if s == nil then return nil end
   C.t7_storage_retain(s)
   return core.own_storage(s)
end

function Tensor.storageOffset(self)
   return tonumber(self._offset) + 1
end

function Tensor.isContiguous(self)
   return C.t7_tensor_is_contiguous(self) ~= 0
end

function Tensor.isSameSizeAs(self, other)
   if not is_tensor(other) then argerror(2, 'isSameSizeAs', 'tensor expected') end
   if self._ndim ~= other._ndim then return false end
   for d = 0, self._ndim - 1 do
      if self._size[d] ~= other._size[d] then return false end
   end
   return true
end

function Tensor.isSize(self, size)
   if not is_long_storage(size) then argerror(2, 'isSize', 'torch.LongStorage expected') end
   if self._ndim ~= size._size then return false end
   local data = ffi.cast('int64_t *', size._data)
   for d = 0, self._ndim - 1 do
      if self._size[d] ~= data[d] then return false end
   end
   return true
end

function Tensor.isSetTo(self, other)
   if not is_tensor(other) then argerror(2, 'isSetTo', 'tensor expected') end
   if self._storage == nil or self._storage ~= other._storage then return false end
   if self._offset ~= other._offset or self._ndim ~= other._ndim then return false end
   for d = 0, self._ndim - 1 do
      if self._size[d] ~= other._size[d] or self._stride[d] ~= other._stride[d] then
         return false
      end
   end
   return true
end

function Tensor.resize(self, ...)
   local n, strides = read_sizes('resize', 2, ...)
   check_sizes('resize', 2, n)
   check(C.t7_tensor_resize(self, n, sizes_buffer, strides))
   return self
end

function Tensor.resizeAs(self, other)
   if not is_tensor(other) then
      argerror(2, 'resizeAs', 'tensor expected, got ' .. torch.type(other))
   end
   check(C.t7_tensor_resize_as(self, other))
   return self
end

-- t:set(tensor) | t:set(storage[, offset[, sizes...]]) | t:set()
function Tensor.set(self, a, offset, ...)
   if a == nil then
      sizes_buffer[0] = 0
      check(C.t7_tensor_set_storage(self, nil, 0, 0, sizes_buffer, nil))
      return self
   end
   if is_tensor(a) then
      check(C.t7_tensor_set(self, a))
      return self
   end
   if not is_storage(a) then
      argerror(2, 'set', 'tensor or storage expected, got ' .. torch.type(a))
   end
   if a._dtype ~= self._dtype then
      argerror(2, 'set', string.format('torch.%sStorage expected, got %s',
         core.TYPE_NAMES[self._dtype], torch.type(a)))
   end
   local n, strides
   if offset == nil then
      offset = 1
      sizes_buffer[0] = a._size
      n = 1
   else
      if type(offset) ~= 'number' then argerror(3, 'set', 'number expected') end
      local first = ...
      if type(first) == 'number' then
         -- sizes and strides interleaved: size1, stride1, size2, stride2, ...
         n = 0
         local args = {...}
         local count = select('#', ...)
         local with_strides = false
         for i = 1, count, 2 do
            if type(args[i]) ~= 'number' then argerror(3 + i, 'set', 'number expected') end
            sizes_buffer[n] = args[i]
            if args[i + 1] ~= nil then
               if type(args[i + 1]) ~= 'number' then argerror(4 + i, 'set', 'number expected') end
               with_strides = true
            end
            n = n + 1
         end
         if with_strides then
            -- a missing last stride means contiguous, as the original's -1
            local running = 1
            for d = n - 1, 0, -1 do
               local s = args[2 * d + 2]
               strides_buffer[d] = s ~= nil and s or running
               running = tonumber(sizes_buffer[d]) * tonumber(strides_buffer[d])
            end
            strides = strides_buffer
         end
      else
         n, strides = read_sizes('set', 4, ...)
      end
   end
   check(C.t7_tensor_set_storage(self, a, offset - 1, n, sizes_buffer, strides))
   return self
end

-------------------------------------------------------------------------------------------
-- views

local function check_dim(self, dim, argn, name)
   if type(dim) ~= 'number' then argerror(argn, name, 'number expected', 3) end
   if not (dim >= 1 and dim <= self._ndim) then
      argerror(argn, name, string.format('dimension %d out of range of %dD tensor', dim,
         self._ndim), 3)
   end
end

function Tensor.narrow(self, dim, first, size)
   check_dim(self, dim, 2, 'narrow')
   local n = tonumber(self._size[dim - 1])
   if type(first) ~= 'number' or not (first >= 1 and first <= n) then
      argerror(3, 'narrow', string.format('out of range: first index %s of a dimension of '
         .. 'size %d', tostring(first), n))
   end
   if type(size) ~= 'number' or not (size >= 1 and first + size - 1 <= n) then
      argerror(4, 'narrow', string.format('out of range: %s elements from index %d of a '
         .. 'dimension of size %d', tostring(size), first, n))
   end
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_narrow(r, self, dim - 1, first - 1, size))
   return r
end

-- select(dim, index): the slice at index along dim, one dimension less. On a vector, as
-- the original, the element itself (a number), whatever dim says.
function Tensor.select(self, dim, index)
   -- in a vector, the element itself; the original ignores the dimension there
   if self._ndim ~= 1 then check_dim(self, dim, 2, 'select') else dim = 1 end
   local n = tonumber(self._size[dim - 1])
   if type(index) ~= 'number' then argerror(3, 'select', 'number expected') end
   if index < 0 then index = index + n + 1 end
   if not (index >= 1 and index <= n) then
      argerror(3, 'select', string.format('out of range: index %d of a dimension of size %d',
         index, n))
   end
   if self._ndim == 1 then
      return load(self._dtype, storage_pointer(self, self._offset + (index - 1) * self._stride[0]))
   end
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_select(r, self, dim - 1, index - 1))
   return r
end

function Tensor.transpose(self, dim1, dim2)
   check_dim(self, dim1, 2, 'transpose')
   check_dim(self, dim2, 3, 'transpose')
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_transpose(r, self, dim1 - 1, dim2 - 1))
   return r
end

function Tensor.t(self)
   if self._ndim ~= 2 then
      argerror(1, 't', string.format('2D tensor expected, got %dD', self._ndim))
   end
   return self:transpose(1, 2)
end

function Tensor.unfold(self, dim, size, step)
   check_dim(self, dim, 2, 'unfold')
   if type(size) ~= 'number' or type(step) ~= 'number' then
      argerror(3, 'unfold', 'size and step expected')
   end
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_unfold(r, self, dim - 1, size, step))
   return r
end

-- Shape methods take an optional result first, as the original: r:view(src, sizes...)
-- makes r the view; src:view(sizes...) makes a new tensor.
local function result_and_source(self, a)
   if is_tensor(a) then return self, a, 3 end
   return new_tensor(self._dtype), self, 2
end

-- view([result,] sizes...) with at most one size -1, inferred from the element count
function Tensor.view(self, a, ...)
   local r, src, first = result_and_source(self, a)
   local n
   if src == self then
      n = read_sizes('view', first, a, ...)
   else
      n = read_sizes('view', first, ...)
   end
   local known, inferred = 1, nil
   for i = 0, n - 1 do
      local s = tonumber(sizes_buffer[i])
      if s == -1 then
         if inferred then argerror(first + i, 'view', 'only one dimension can be inferred') end
         inferred = i
      elseif s < 0 then
         argerror(first + i, 'view', 'invalid size ' .. s)
      else
         known = known * s
      end
   end
   local count = src:nElement()
   if inferred then
      if known == 0 or count % known ~= 0 then
         error(string.format("size mismatch: cannot infer the size of a view of %d elements "
            .. "with the other sizes giving %d", count, known), 2)
      end
      sizes_buffer[inferred] = count / known
      known = count
   end
   if known ~= count then
      local parts = {}
      for i = 0, n - 1 do parts[#parts + 1] = tostring(tonumber(sizes_buffer[i])) end
      error(string.format('Wrong size for view. Input size: %s. Output size: %s',
         size_string(src), table.concat(parts, 'x')), 2)
   end
   check(C.t7_tensor_view(r, src, n, sizes_buffer))
   return r
end

function Tensor.viewAs(self, a, b)
   local r, src = result_and_source(self, b and a or nil)
   local template = b or a
   if not is_tensor(template) then argerror(b and 3 or 2, 'viewAs', 'tensor expected') end
   if r == src then return src:view(template:size()) end
   return r:view(src, template:size())
end

-- expand([result,] sizes...)
function Tensor.expand(self, a, ...)
   local r, src, first = result_and_source(self, a)
   local n
   if src == self then
      n = read_sizes('expand', first, a, ...)
   else
      n = read_sizes('expand', first, ...)
   end
   check(C.t7_tensor_expand(r, src, n, sizes_buffer))
   return r
end

function Tensor.expandAs(self, a, b)
   local template = b or a
   if not is_tensor(template) then argerror(b and 3 or 2, 'expandAs', 'tensor expected') end
   if b then return self:expand(a, template:size()) end
   return self:expand(template:size())
end

function Tensor.unsqueeze(self, dim)
   if type(dim) ~= 'number' or not (dim >= 1 and dim <= self._ndim + 1) then
      argerror(2, 'unsqueeze', string.format('dimension %s out of range of %dD tensor',
         tostring(dim), self._ndim + 1))
   end
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_unsqueeze(r, self, dim - 1))
   return r
end

-- t:sub(d1s, d1e [, d2s, d2e ...]): inclusive ranges, negative indices from the end
function Tensor.sub(self, ...)
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_set(r, self))
   local n = select('#', ...)
   if n % 2 ~= 0 or n / 2 > self._ndim then
      error(string.format('sub expects 2 indices per dimension, for at most %d dimensions',
         self._ndim), 2)
   end
   for d = 1, n / 2 do
      local first, last = select(2 * d - 1, ...)
      local size = tonumber(self._size[d - 1])
      if first < 0 then first = first + size + 1 end
      if last < 0 then last = last + size + 1 end
      if not (first >= 1 and first <= size) then argerror(2 * d, 'sub', 'out of range') end
      if not (last >= first and last <= size) then
         argerror(2 * d + 1, 'sub', 'out of range')
      end
      check(C.t7_tensor_narrow(r, r, d - 1, first - 1, last - first + 1))
   end
   return r
end

-------------------------------------------------------------------------------------------
-- contents

function Tensor.fill(self, value)
   if type(value) ~= 'number' then
      argerror(2, 'fill', 'number expected, got ' .. torch.type(value))
   end
   check(C.t7_tensor_fill(self, value))
   return self
end

function Tensor.zero(self)
   check(C.t7_tensor_fill(self, 0))
   return self
end

function Tensor.copy(self, src)
   if not is_tensor(src) then
      -- tensors of other packages (torch.CudaTensor) know how to give their values
      local hook = core.copy_hooks and core.copy_hooks[torch.type(src)]
      if hook then
         hook(self, src)
         return self
      end
      argerror(2, 'copy', 'tensor expected, got ' .. torch.type(src))
   end
   check(C.t7_tensor_copy(self, src))
   return self
end

function Tensor.clone(self)
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_resize(r, self._ndim, self._size, nil))
   check(C.t7_tensor_copy(r, self))
   return r
end

function Tensor.contiguous(self)
   if C.t7_tensor_is_contiguous(self) ~= 0 then return self end
   return self:clone()
end

-- A pointer to the first element, of the element's C type (Torch7's ffi interface).
function Tensor.data(self)
   if self._storage == nil then return nil end
   return ffi.cast(POINTER_TYPES[self._dtype], self._storage._data) + self._offset
end

function Tensor.cdata(self)
   return self
end

-------------------------------------------------------------------------------------------
-- types

function Tensor.type(self, name)
   if name == nil then return typename(self) end
   if name == typename(self) then return self end
   local ctor = torch.getconstructortable(name)
   local dtype = name:match('^torch%.(%a+)Tensor$')
   dtype = dtype and core.DTYPE[dtype]
   if not ctor or not dtype then
      -- GPU types and the like are handled by the packages that define them
      local hook = core.type_conversion_hooks and core.type_conversion_hooks[name]
      if hook then return hook(self) end
      error('unknown tensor type ' .. tostring(name), 2)
   end
   local r = new_tensor(dtype)
   check(C.t7_tensor_resize(r, self._ndim, self._size, nil))
   check(C.t7_tensor_copy(r, self))
   return r
end

function Tensor.typeAs(self, other)
   return self:type(torch.typename(other))
end

for code = 0, 7 do
   local name = core.TYPE_NAMES[code]
   Tensor[name:lower()] = function(self) return self:type('torch.' .. name .. 'Tensor') end
end

-- The default tensor type (torch.setdefaulttensortype).
function Tensor.real(self)
   return self:type(torch.getdefaulttensortype())
end

Tensor.retain, Tensor.free = core.manual_reference_methods(C.t7_tensor_retain,
   C.t7_tensor_release)

function Tensor.elementSize(self)
   return C.t7_element_size(self._dtype)
end

Tensor.isTensor = torch.isTensor

-------------------------------------------------------------------------------------------
-- indexing: t[i], t[{...}], t[LongStorage], t[mask] and assignment to them, following the
-- original's generic/Tensor.c (__index__, __newindex__)

-- Element i (1-based) of a vector.
local function read_element(self, i)
   return load(self._dtype, storage_pointer(self, self._offset + (i - 1) * self._stride[0]))
end

-- The elements as nested Lua tables, one level per dimension.
function Tensor.totable(self)
   local function rows(t)
      if t._ndim == 1 then
         local values = {}
         for i = 1, tonumber(t._size[0]) do values[i] = read_element(t, i) end
         return values
      end
      local result = {}
      for i = 1, tonumber(t._size[0]) do result[i] = rows(t:select(1, i)) end
      return result
   end
   if self._ndim == 0 then return {} end
   return rows(self)
end

-- C's conversion of a double to a long: towards zero.
local function truncate(x)
   if x >= 0 then return math.floor(x) end
   return math.ceil(x)
end

-- t[i]: the 0-based position along the first dimension (negative counts from the end).
local function first_dim_position(self, i, name)
   if self._ndim == 0 then argerror(1, name, 'empty tensor', 3) end
   local size = tonumber(self._size[0])
   local z = truncate(i) - 1
   if z < 0 then z = z + size + 1 end
   if not (z >= 0 and z < size) then
      argerror(2, name, string.format('index %s out of range for a dimension of size %d',
         tostring(i), size), 3)
   end
   return z
end

-- The view t[{...}] designates, or (nil, pointer) when it designates one element: numbers
-- select, {a, b} narrows to a..b, {a} to a..a, {} keeps the dimension; the first entry of
-- another kind ends the list.
local function table_view(self, spec)
   local ndim = self._ndim
   if #spec > ndim then argerror(2, '?', 'too many indices provided', 3) end
   local r = new_tensor(self._dtype)
   check(C.t7_tensor_set(r, self), 3)
   local cdim = 0                  -- the dimension of r the next entry applies to
   local element
   for dim = 1, ndim do
      local s = spec[dim]
      if type(s) == 'number' then
         local size = tonumber(r._size[cdim])
         local z = truncate(s - 1)
         if z < 0 then z = z + size + 1 end
         if not (z >= 0 and z < size) then
            argerror(2, '?', string.format('index %s out of bound for dimension %d of size %d',
               tostring(s), dim, size), 3)
         end
         if r._ndim == 1 then
            element = storage_pointer(r, r._offset + z * r._stride[0])
         else
            check(C.t7_tensor_select(r, r, cdim, z), 3)
         end
      elseif type(s) == 'table' then
         local size = tonumber(r._size[cdim])
         local first, last = 0, size - 1
         if type(s[1]) == 'number' then
            first = truncate(s[1] - 1)
            last = first
         end
         if first < 0 then first = first + size + 1 end
         if not (first >= 0 and first < size) then
            argerror(2, '?', string.format('start index %s out of bound for dimension %d of '
               .. 'size %d', tostring(s[1]), dim, size), 3)
         end
         if type(s[2]) == 'number' then last = truncate(s[2] - 1) end
         if last < 0 then last = last + size + 1 end
         if not (last >= 0 and last < size) then
            argerror(2, '?', string.format('end index %s out of bound for dimension %d of '
               .. 'size %d', tostring(s[2]), dim, size), 3)
         end
         if last < first then
            argerror(2, '?', 'end index must be greater or equal to start index', 3)
         end
         check(C.t7_tensor_narrow(r, r, cdim, first, last - first + 1), 3)
         cdim = cdim + 1
      else
         break
      end
   end
   if element then return nil, element end
   return r
end

-- t[LongStorage]: the element at those (1-based, negative from the end) indices.
local function storage_index_pointer(self, k)
   if k._size ~= self._ndim then
      argerror(2, '?', string.format('invalid size: %d indices for a %dD tensor',
         tonumber(k._size), self._ndim), 3)
   end
   local idx = ffi.cast('int64_t *', k._data)
   local at = self._offset
   for d = 0, self._ndim - 1 do
      local size = self._size[d]
      local z = idx[d] - 1
      if z < 0 then z = z + size + 1 end
      if not (z >= 0 and z < size) then argerror(2, '?', 'index out of bound', 3) end
      at = at + z * self._stride[d]
   end
   return storage_pointer(self, tonumber(at))
end

local function check_mask_indexing(self)
   if self._dtype == HALF then
      error('ByteTensor based indexing not yet supported with half type', 3)
   end
end

local function index(self, k)
   local class = classes[self._dtype]
   local method = class[k]
   if method ~= nil then return method end
   local kind = type(k)
   if kind == 'number' then
      local z = first_dim_position(self, k, '__index')
      if self._ndim == 1 then
         return load(self._dtype, storage_pointer(self, self._offset + z * self._stride[0]))
      end
      local r = new_tensor(self._dtype)
      check(C.t7_tensor_select(r, self, 0, z))
      return r
   elseif kind == 'table' then
      local view, pointer = table_view(self, k)
      if pointer then return load(self._dtype, pointer) end
      return view
   elseif is_long_storage(k) then
      return load(self._dtype, storage_index_pointer(self, k))
   elseif is_tensor(k) and k._dtype == BYTE then
      check_mask_indexing(self)
      return class.maskedSelect(self, k)
   end
end

-- t[...] = value for a view: a number fills it, a tensor (any type) is copied into it.
-- Errors blame the assignment's line.
local function assign(target, value)
   if type(value) == 'number' then
      check(C.t7_tensor_fill(target, value), 3)
   elseif is_tensor(value) then
      check(C.t7_tensor_copy(target, value), 3)
   else
      argerror(3, '?', 'torch.*Tensor expected, got ' .. torch.type(value), 3)
   end
end

local function number_expected(value)
   if type(value) ~= 'number' then
      argerror(3, '?', 'number expected, got ' .. torch.type(value), 3)
   end
end

local function newindex(self, k, value)
   local kind = type(k)
   if kind == 'number' then
      local z = first_dim_position(self, k, '__newindex')
      if self._ndim == 1 and type(value) == 'number' then
         store(self._dtype, storage_pointer(self, self._offset + z * self._stride[0]), value)
         return
      end
      local r = new_tensor(self._dtype)
      check(C.t7_tensor_narrow(r, self, 0, z, 1))
      assign(r, value)
   elseif kind == 'table' then
      local view, pointer = table_view(self, k)
      if pointer then
         number_expected(value)
         store(self._dtype, pointer, value)
      else
         assign(view, value)
      end
   elseif is_long_storage(k) then
      number_expected(value)
      store(self._dtype, storage_index_pointer(self, k), value)
   elseif is_tensor(k) and k._dtype == BYTE then
      check_mask_indexing(self)
      if type(value) == 'number' then
         classes[self._dtype].maskedFill(self, k, value)
      elseif is_tensor(value) then
         classes[self._dtype].maskedCopy(self, k, value)
      else
         error(string.format('number or %s expected', typename(self)), 2)
      end
   else
      error(string.format('the class %s cannot be indexed', typename(self)), 2)
   end
end

-- Operators and printing are looked up when used: torch/TensorMath.lua and torch/print.lua
-- fill these in, and the metatype below cannot change once set. As with the original's
-- metatables, an operator a script puts in a class (torch.HalfTensor.__sub = f) comes first,
-- the first operand's class before the second's.
core.tensor_operators = {}
local operators = core.tensor_operators

local function operator(name)
   local event = '__' .. name
   return function(a, b)
      local own = is_tensor(a) and rawget(classes[a._dtype], event)
         or is_tensor(b) and rawget(classes[b._dtype], event)
      if own then return own(a, b) end
      return operators[name](a, b)
   end
end

ffi.metatype('T7Tensor', {
   __index = index,
   __newindex = newindex,
   __len = function(self) return self:size() end,
   __tostring = function(self) return classes[self._dtype].__tostring__(self) end,
   __add = operator('add'),
   __sub = operator('sub'),
   __mul = operator('mul'),
   __div = operator('div'),
   __mod = operator('mod'),
   __pow = operator('pow'),
   __unm = operator('unm'),
   __concat = operator('concat'),
})

-------------------------------------------------------------------------------------------
-- the classes

local function name_of(obj)
   if is_tensor(obj) then return typename(obj) end
end

for code = 0, 7 do
   local class = {}
   classes[code] = class
   local tname = core.TYPE_NAMES[code]
   local function make(...) return construct(code, ...) end
   local ctor = core.register_cdata_class('torch.' .. tname .. 'Tensor', class,
      function() return new_tensor(code) end, make, code == 0 and name_of or nil)
   torch[tname .. 'Tensor'] = ctor
end

-- Installs a method on every tensor class (or on those whose codes `types` holds).
function core.add_tensor_method(name, fn, types)
   for code = 0, 7 do
      if types == nil or types[code] then rawset(classes[code], name, fn) end
   end
end

for name, fn in pairs(Tensor) do core.add_tensor_method(name, fn) end

return Tensor
