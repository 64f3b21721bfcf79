-- x:apply(f), x:map(y, f), x:map2(y, z, f): a Lua function called on every element, in
-- row-major order; a number it returns replaces x's element, nil leaves it. The loops run
-- in Lua over FFI pointers, so LuaJIT compiles them with f inlined where it can: no C call
-- per element. The storages stay pinned while f runs (resizing them fails), so a function
-- that resizes or re-sets the tensors cannot leave the loop writing into freed memory.

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'

local C, ffi = core.C, core.ffi
local argerror = core.argerror
local is_tensor = core.is_tensor
local POINTER_TYPES = core.POINTER_TYPES

local NOT_HALF = dispatch.types('Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double')

-- Where each element of t lies: dimensions that walk as one are merged, so a contiguous
-- tensor is a single run.
local function cursor(t)
   local size, stride, n = {}, {}, 0
   for d = 0, t._ndim - 1 do
      local s, st = tonumber(t._size[d]), tonumber(t._stride[d])
      if s ~= 1 then
         if n > 0 and stride[n] == st * s then
            size[n], stride[n] = size[n] * s, st
         else
            n = n + 1
            size[n], stride[n] = s, st
         end
      end
   end
   if n == 0 then n, size[1], stride[1] = 1, 1, 1 end
   local index = {}
   for d = 1, n do index[d] = 0 end
   return {size = size, stride = stride, index = index, last = n,
           offset = tonumber(t._offset),
           data = ffi.cast(POINTER_TYPES[t._dtype], t._storage._data),
           dtype = t._dtype}
end

-- Moves c to the next element in row-major order.
local function advance(c)
   local d = c.last
   local index, size, stride = c.index, c.size, c.stride
   index[d] = index[d] + 1
   c.offset = c.offset + stride[d]
   while d > 1 and index[d] == size[d] do
      c.offset = c.offset - size[d] * stride[d]
      index[d] = 0
      d = d - 1
      index[d] = index[d] + 1
      c.offset = c.offset + stride[d]
   end
end

local function value(c)
   return core.load_element(c.dtype, c.data + c.offset)
end

-- A complaint of the loop itself (not of the user's function), raised again at the line
-- that called apply.
local BAD_RESULT = {'given function should return a number or nil'}

local function result(c, v)
   if v ~= nil then
      if type(v) ~= 'number' then error(BAD_RESULT) end
      c.data[c.offset] = v
   end
end

-- Runs f over the elements of the tensors (the first one written), storages pinned. The
-- methods tail-call this: errors at level 2 blame their caller.
local function each(name, fn, tensors, f)
   if type(f) ~= 'function' then
      argerror(#tensors + 1, name, 'function expected, got ' .. type(f), 2)
   end
   local n = tensors[1]:nElement()
   for i = 2, #tensors do
      if tensors[i]:nElement() ~= n then
         error(string.format('inconsistent tensor size, expected the %d tensors to have the '
            .. 'same number of elements', #tensors), 2)
      end
   end
   if n == 0 then return tensors[1] end
   local cursors, pinned = {}, {}
   for i, t in ipairs(tensors) do
      pinned[i] = t._storage
      C.t7_storage_pin(pinned[i])
      cursors[i] = cursor(t)
   end
   local ok, err = pcall(fn, n, f, cursors[1], cursors[2], cursors[3])
   for i = 1, #pinned do C.t7_storage_unpin(pinned[i]) end
   if err == BAD_RESULT then error(BAD_RESULT[1], 2) end   -- (apply tail-calls each)
   if not ok then error(err, 0) end
   return tensors[1]
end

local function apply_loop(n, f, x)
   for _ = 1, n do
      result(x, f(value(x)))
      advance(x)
   end
end

local function map_loop(n, f, x, y)
   for _ = 1, n do
      result(x, f(value(x), value(y)))
      advance(x)
      advance(y)
   end
end

local function map2_loop(n, f, x, y, z)
   for _ = 1, n do
      result(x, f(value(x), value(y), value(z)))
      advance(x)
      advance(y)
      advance(z)
   end
end

local function same_type(self, other, n, name)
   if not is_tensor(other) or other._dtype ~= self._dtype then
      argerror(n, name, torch.typename(self) .. ' expected, got ' .. torch.type(other), 3)
   end
end

core.add_tensor_method('apply', function(self, f)
   return each('apply', apply_loop, {self}, f)
end, NOT_HALF)

core.add_tensor_method('map', function(self, src, f)
   same_type(self, src, 2, 'map')
   return each('map', map_loop, {self, src}, f)
end, NOT_HALF)

core.add_tensor_method('map2', function(self, src1, src2, f)
   same_type(self, src1, 2, 'map2')
   same_type(self, src2, 3, 'map2')
   return each('map2', map2_loop, {self, src1, src2}, f)
end, NOT_HALF)
