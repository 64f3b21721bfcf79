-- Indexing with index tensors and masks: index, indexCopy, indexAdd, indexFill and the
-- masked methods (methods only, with the original's generic/Tensor.c forms and messages;
-- HalfTensor gets index, indexCopy and indexFill, which need no arithmetic),
-- gather and scatter (torch.f and x:f, TensorMath.lua's forms), and nonzero. Indices are
-- 1-based LongTensors; masks are ByteTensors of 0s and 1s.

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'

local C = core.C
local check, argerror = core.check, core.argerror
local is_tensor, new_tensor = core.is_tensor, core.new_tensor
local TENSOR, OUT, LONG_TENSOR = dispatch.TENSOR, dispatch.OUT, dispatch.LONG_TENSOR
local NUMBER, INDEX = dispatch.NUMBER, dispatch.INDEX
local LONG, BYTE = core.DTYPE.Long, core.DTYPE.Byte

local NOT_HALF = dispatch.types('Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double')

local function is_of(x, dtype)
   return is_tensor(x) and x._dtype == dtype
end

-- C's conversion of a dimension number to an int: towards zero.
local function truncate(x)
   if x >= 0 then return math.floor(x) end
   return math.ceil(x)
end

-- luaT_checkudata's complaint about argument n.
local function expect(ok, n, wanted, got)
   if not ok then argerror(n, '?', wanted .. ' expected, got ' .. torch.type(got), 3) end
end

local function install(code, tname)
   local methods = {}
   local function usage(...) error(table.concat({...}) .. ' expected', 3) end

   -- [result] index([result,] src, dim, index): the slices of src that index names
   function methods.index(...)
      local r, src, dim, idx
      local n = select('#', ...)
      if n == 3 then
         r = new_tensor(code)
         src, dim, idx = ...
      elseif n == 4 then
         r, src, dim, idx = ...
      else
         usage(tname, ', number, torch.LongTensor | ', tname, ', ', tname,
            ', number, torch.LongTensor')
      end
      local shift = n - 3
      expect(is_of(r, code), 1, tname, r)
      expect(is_of(src, code), 1 + shift, tname, src)
      expect(type(dim) == 'number', 2 + shift, 'number', dim)
      expect(is_of(idx, LONG), 3 + shift, 'torch.LongTensor', idx)
      check(C.t7_index_select(r, src, truncate(dim) - 1, idx, 1))
      return r
   end

   -- self:indexCopy(dim, index, src) and self:indexAdd(...): slice index[i] of self gets
   -- (or adds) slice i of src
   for name, kernel in pairs({indexCopy = C.t7_index_copy, indexAdd = C.t7_index_add}) do
      methods[name] = function(...)
         if select('#', ...) ~= 4 then
            usage(tname, ', number, torch.LongTensor, ', tname)
         end
         local self, dim, idx, src = ...
         expect(type(dim) == 'number', 2, 'number', dim)
         expect(is_of(idx, LONG), 3, 'torch.LongTensor', idx)
         expect(is_of(src, code), 4, tname, src)
         check(kernel(self, truncate(dim) - 1, idx, src, 1))
         return self
      end
   end

   -- self:indexFill(dim, index, value)
   function methods.indexFill(...)
      if select('#', ...) ~= 4 then usage(tname, ', number, torch.LongTensor, number') end
      local self, dim, idx, value = ...
      expect(type(dim) == 'number', 2, 'number', dim)
      expect(is_of(idx, LONG), 3, 'torch.LongTensor', idx)
      expect(type(value) == 'number', 4, 'number', value)
      check(C.t7_index_fill(self, truncate(dim) - 1, idx, value, 1))
      return self
   end

   -- [result] maskedSelect([result,] src, mask): the elements of src where mask is 1
   function methods.maskedSelect(...)
      local r, src, mask
      local n = select('#', ...)
      if n == 2 then
         r = new_tensor(code)
         src, mask = ...
      elseif n == 3 then
         r, src, mask = ...
      else
         usage(tname, ', torch.ByteTensor | ', tname, ', ', tname, ', torch.ByteTensor')
      end
      local shift = n - 2
      expect(is_of(r, code), 1, tname, r)
      expect(is_of(src, code), 1 + shift, tname, src)
      expect(is_of(mask, BYTE), 2 + shift, 'torch.ByteTensor', mask)
      check(C.t7_masked_select(r, src, mask))
      return r
   end

   -- self:maskedCopy(mask, src): where mask is 1, the next element of src (row-major)
   function methods.maskedCopy(...)
      if select('#', ...) ~= 3 then usage(tname, ', torch.ByteTensor, ', tname) end
      local self, mask, src = ...
      expect(is_of(mask, BYTE), 2, 'torch.ByteTensor', mask)
      expect(is_of(src, code), 3, tname, src)
      check(C.t7_masked_copy(self, mask, src))
      return self
   end

   -- self:maskedFill(mask, value)
   function methods.maskedFill(...)
      if select('#', ...) ~= 3 then usage(tname, ', torch.ByteTensor, number') end
      local self, mask, value = ...
      expect(is_of(mask, BYTE), 2, 'torch.ByteTensor', mask)
      expect(type(value) == 'number', 3, 'number', value)
      check(C.t7_masked_fill(self, mask, value))
      return self
   end

   if code == core.DTYPE.Half then         -- moving elements only: no arithmetic, no masks
      methods.indexAdd, methods.maskedSelect, methods.maskedCopy, methods.maskedFill = nil
   end
   for name, fn in pairs(methods) do core.add_tensor_method(name, fn, {[code] = true}) end
end

for code = 0, 7 do install(code, 'torch.' .. core.TYPE_NAMES[code] .. 'Tensor') end

-- torch.gather([res,] src, dim, index): res[i][j][k] = src[index[i][j][k]][j][k] (dim 1),
-- res taking index's sizes
dispatch.define('gather', {{OUT, TENSOR, INDEX(), LONG_TENSOR, types = NOT_HALF,
   impl = function(r, src, dim, idx)
      check(C.t7_gather(r, src, truncate(dim) - 1, idx, 1))
      return r
   end}})

-- torch.scatter(self, dim, index, src | value): self[index[i][j][k]][j][k] = src[i][j][k]
-- (dim 1), or value
dispatch.define('scatter', {
   {TENSOR, INDEX(), LONG_TENSOR, TENSOR, types = NOT_HALF,
    impl = function(t, dim, idx, src)
       check(C.t7_scatter(t, truncate(dim) - 1, idx, src, 1))
       return t
    end},
   {TENSOR, INDEX(), LONG_TENSOR, NUMBER(), types = NOT_HALF,
    impl = function(t, dim, idx, value)
       check(C.t7_scatter_fill(t, truncate(dim) - 1, idx, value, 1))
       return t
    end},
})

-- torch.nonzero([res,] x): a LongTensor of the subscripts of x's nonzero elements, one row
-- each, in row-major order. x.nonzero(res, x) writes into res, as the original.
local function nonzero(a, b)
   local r, t = a, b
   if b == nil then r, t = new_tensor(LONG), a end
   if not (is_of(r, LONG) and is_tensor(t)) or t._dtype == core.DTYPE.Half then
      error(string.format('invalid arguments: %s %s\nexpected arguments: [*LongTensor*] '
         .. 'Tensor', torch.type(a), b ~= nil and torch.type(b) or ''), 2)
   end
   check(C.t7_nonzero(r, t, 1))
   return r
end
torch.nonzero = nonzero
core.add_tensor_method('nonzero', nonzero, NOT_HALF)
