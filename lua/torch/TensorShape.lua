-- Construction and shape: torch.range/linspace/logspace/eye/diag/tril/triu/cat/reshape/
-- squeeze/numel, repeatTensor, permute, split, chunk, and the function forms of the view
-- methods (torch.view, torch.expand, ...). Argument forms and results are the original's
-- (TensorMath.lua's declarations and Tensor.lua's functions).

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'
local Tensor = require 'torch.Tensor'

local C, ffi = core.C, core.ffi
local check, argerror = core.check, core.argerror
local is_tensor, new_tensor = core.is_tensor, core.new_tensor
local OUT, RES, TENSOR = dispatch.OUT, dispatch.RES, dispatch.TENSOR
local NUMBER, INDEX = dispatch.NUMBER, dispatch.INDEX
local define = dispatch.define
local sizes = core.sizes
local DTYPE = core.DTYPE

local NOT_HALF = dispatch.types('Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double')
local FLOATING = dispatch.FLOATING

-- C's conversion of a double to an integer: towards zero.
local function truncate(x)
   if x >= 0 then return math.floor(x) end
   return math.ceil(x)
end

local function is_floating(t)
   return t._dtype == DTYPE.Float or t._dtype == DTYPE.Double
end

-- The value x takes as the tensor's element type (Float rounds to single precision).
local function as_real(t, x)
   if t._dtype == DTYPE.Float then return tonumber(ffi.new('float', x)) end
   return x
end

local function resize_1d(r, n)
   if r:nElement() ~= n then
      sizes[0] = n
      check(C.t7_tensor_resize(r, 1, sizes, nil), 3)
   end
end

-------------------------------------------------------------------------------------------
-- sequences

-- torch.range([res,] x, y[, step]): x, x+step, ... up to y included; integer types compute
-- in integers, as the original's accreal.
define('range', {{RES, NUMBER(), NUMBER(), NUMBER(1), types = NOT_HALF,
   impl = function(r, xmin, xmax, step)
      if not is_floating(r) then
         xmin, xmax, step = truncate(xmin), truncate(xmax), truncate(step)
      end
      if step == 0 then argerror(3, '?', 'step must be a non-null number', 2) end
      if (step > 0 and xmax < xmin) or (step < 0 and xmax > xmin) then
         argerror(2, '?', 'upper bound and larger bound incoherent with step sign', 2)
      end
      resize_1d(r, truncate((xmax - xmin) / step + 1))
      check(C.t7_range_fill(r, xmin, step))
      return r
   end}})

-- torch.linspace/logspace([res,] a, b[, n = 100]): n points from a to b (logspace: powers
-- of ten of those), in the tensor's precision.
for name, fill in pairs({linspace = C.t7_linspace_fill, logspace = C.t7_logspace_fill}) do
   define(name, {{RES, NUMBER(), NUMBER(), NUMBER(100), types = FLOATING,
      impl = function(r, a, b, n)
         n = truncate(n)
         if not (n > 1 or (n == 1 and as_real(r, a) == as_real(r, b))) then
            argerror(3, '?', 'invalid number of points', 2)
         end
         resize_1d(r, n)
         check(fill(r, a, b))
         return r
      end}})
end

-------------------------------------------------------------------------------------------
-- matrices

-- A strided view of t: `count` elements from `offset` (0-based, in the storage) by `step`.
local function line_view(t, offset, count, step)
   local v = new_tensor(t._dtype)
   sizes[0] = count
   core.strides[0] = step
   check(C.t7_tensor_set_storage(v, t._storage, offset, 1, sizes, core.strides), 3)
   return v
end

-- torch.eye([res,] n[, m = n]): ones on the diagonal
define('eye', {{RES, NUMBER(), NUMBER(0), types = NOT_HALF, impl = function(r, n, m)
   n, m = truncate(n), truncate(m)
   if n <= 0 then argerror(1, '?', 'invalid argument', 2) end
   if m <= 0 then m = n end
   sizes[0], sizes[1] = n, m
   check(C.t7_tensor_resize(r, 2, sizes, nil))
   check(C.t7_tensor_fill(r, 0))
   local diagonal = line_view(r, r._offset, math.min(n, m), r._stride[0] + r._stride[1])
   check(C.t7_tensor_fill(diagonal, 1))
   return r
end}})

-- torch.diag([res,] x[, k = 0]): the k-th diagonal of a matrix as a vector, or a matrix with
-- the vector x on its k-th diagonal (k > 0 above the main one, k < 0 below)
define('diag', {{OUT, TENSOR, NUMBER(0), types = NOT_HALF, impl = function(r, t, k)
   k = truncate(k)
   if t._ndim ~= 1 and t._ndim ~= 2 then
      argerror(1, '?', 'matrix or a vector expected', 2)
   end
   if r == t then t = t:clone() end
   if t._ndim == 1 then
      local n = tonumber(t._size[0])
      local side = n + math.abs(k)
      sizes[0], sizes[1] = side, side
      check(C.t7_tensor_resize(r, 2, sizes, nil))
      check(C.t7_tensor_fill(r, 0))
      local first = k >= 0 and k * r._stride[1] or -k * r._stride[0]
      check(C.t7_tensor_copy(line_view(r, r._offset + first, n, r._stride[0] + r._stride[1]), t))
   else
      local rows, cols = tonumber(t._size[0]), tonumber(t._size[1])
      local n = k >= 0 and math.min(rows, cols - k) or math.min(rows + k, cols)
      resize_1d(r, math.max(n, 0))
      if n > 0 then
         local first = k >= 0 and k * t._stride[1] or -k * t._stride[0]
         check(C.t7_tensor_copy(r, line_view(t, t._offset + first, n,
            t._stride[0] + t._stride[1])))
      end
   end
   return r
end}})

-- torch.tril/triu([res,] x[, k = 0]): x with the elements above (tril) or below (triu) the
-- k-th diagonal set to zero
local function triangle(name, zeroed_columns)
   define(name, {{OUT, TENSOR, NUMBER(0), types = NOT_HALF, impl = function(r, t, k)
      k = truncate(k)
      if t._ndim ~= 2 then argerror(1, '?', 'expected a matrix', 2) end
      if r ~= t then
         check(C.t7_tensor_resize_as(r, t))
         check(C.t7_tensor_copy(r, t))
      end
      local rows, cols = tonumber(r._size[0]), tonumber(r._size[1])
      local part = new_tensor(r._dtype)
      for i = 0, rows - 1 do
         local first, last = zeroed_columns(i, k, cols)
         if first <= last then
            check(C.t7_tensor_select(part, r, 0, i))
            check(C.t7_tensor_narrow(part, part, 0, first, last - first + 1))
            check(C.t7_tensor_fill(part, 0))
         end
      end
      return r
   end}})
end
triangle('tril', function(i, k, cols) return math.max(0, i + k + 1), cols - 1 end)
triangle('triu', function(i, k, cols) return 0, math.min(i + k, cols) - 1 end)

-------------------------------------------------------------------------------------------
-- cat([res,] x1, x2[, dim]) | cat([res,] {x1, x2, ...}[, dim]): along dim (default: the
-- last dimension of the largest input); the type comes from the inputs

local function cat_usage(tname)
   return string.format('[*%s*] %s %s [index] | [*%s*] {%s+} [index]', tname, tname, tname,
      tname, tname)
end

local function cat_failure(...)
   local given = {}
   for i = 1, select('#', ...) do
      local v = select(i, ...)
      local name = torch.typename(v)
      given[i] = (name and name:gsub('^torch%.', '') or type(v)) .. ' '
   end
   local tname = core.TYPE_NAMES[dispatch.default_dtype] .. 'Tensor'
   error(string.format('invalid arguments: %s\nexpected arguments: %s', table.concat(given),
      cat_usage(tname)), 3)
end

local function is_tensor_list(x)
   return type(x) == 'table' and not torch.typename(x) and is_tensor(x[1])
end

local function cat(...)
   local a, b, c, d = ...
   local count = select('#', ...)
   local result, inputs, dim, most
   if is_tensor(a) and is_tensor(b) and is_tensor(c) then
      result, inputs, dim, most = a, {b, c}, d, 4
   elseif is_tensor(a) and is_tensor(b) then
      inputs, dim, most = {a, b}, c, 3
   elseif is_tensor(a) and is_tensor_list(b) then
      result, inputs, dim, most = a, b, c, 3
   elseif is_tensor_list(a) then
      inputs, dim, most = a, b, 2
   end
   if not inputs or count > most or (dim ~= nil and type(dim) ~= 'number') then
      cat_failure(...)
   end
   result = result or new_tensor(inputs[1]._dtype)
   local n = #inputs
   local array = ffi.new('T7Tensor *[?]', n)
   for i = 1, n do
      local x = inputs[i]
      if not is_tensor(x) or x._dtype ~= result._dtype or x._dtype == DTYPE.Half then
         cat_failure(...)
      end
      array[i - 1] = x
   end
   if dim ~= nil then
      dim = truncate(dim)
      if dim < 1 then argerror(4, '?', 'invalid dimension ' .. dim, 2) end
   end
   check(C.t7_cat(result, array, n, dim and dim - 1 or -1))
   return result
end
torch.cat = cat
core.add_tensor_method('cat', cat, NOT_HALF)

-------------------------------------------------------------------------------------------
-- reshape, squeeze, numel

-- Sizes given as numbers or as a LongStorage (the original's LongArg), into core.sizes.
local read_sizes = core.read_sizes

-- torch.reshape([res,] x, sizes...): a copy of x's elements with the given sizes
local function reshape(a, b, ...)
   if not is_tensor(a) then argerror(1, 'reshape', 'tensor expected', 2) end
   local r, t, n
   if is_tensor(b) then
      r, t, n = a, b, read_sizes('reshape', 3, ...)
   else
      r, t, n = new_tensor(a._dtype), a, read_sizes('reshape', 2, b, ...)
   end
   check(C.t7_tensor_resize(r, n, sizes, nil))
   check(C.t7_tensor_copy(r, t))
   return r
end
torch.reshape = reshape
core.add_tensor_method('reshape', reshape, NOT_HALF)

-- torch.squeeze([res,] x[, dim]): x without its dimensions of size 1 (or without dim, if
-- of size 1). As the original, a result of one element is returned as a number (for
-- squeeze(dim): when x had at most one dimension).
local function squeeze(r, t, dim)
   if dim == nil then
      check(C.t7_tensor_squeeze(r, t), 3)
   else
      dim = truncate(dim)
      if not (dim >= 1 and dim <= t._ndim) then
         argerror(2, '?', string.format('dimension %d out of range of %dD tensor', dim,
            t._ndim), 3)
      end
      check(C.t7_tensor_squeeze_dim(r, t, dim - 1), 3)
   end
   if r._ndim == 1 and r._size[0] == 1 and (dim == nil or t._ndim <= 1) then return r[1] end
   return r
end
define('squeeze', {
   {OUT, TENSOR, impl = function(r, t) return squeeze(r, t) end},
   {OUT, TENSOR, INDEX(), impl = squeeze},
})

define('numel', {{TENSOR, impl = function(t) return t:nElement() end}})

-------------------------------------------------------------------------------------------
-- repeatTensor, permute, split, chunk

-- The result first when two tensors lead the arguments (r:f(x, ...)), else a new one.
local function result_and_source(a, b)
   if is_tensor(b) then return a, b end
   return new_tensor(a._dtype), a
end

-- [result] repeatTensor([result,] x, sizes...): x tiled sizes[i] times along dimension i
-- (x gets leading dimensions of size 1 when sizes has more)
function Tensor.repeatTensor(a, b, ...)
   local r, t = result_and_source(a, b)
   local n
   if t == b then
      n = read_sizes('repeatTensor', 3, ...)
   else
      n = read_sizes('repeatTensor', 2, b, ...)
   end
   local repeats = {}
   for i = 1, n do repeats[i] = tonumber(sizes[i - 1]) end
   if n < t._ndim then
      error('Number of dimensions of repeat dims can not be smaller than number of '
         .. 'dimensions of tensor', 2)
   end
   if 2 * n > 32 then argerror(2, 'repeatTensor', 'at most 16 dimensions', 2) end
   local padded, count = {}, t:nElement()
   for i = 1, n do
      local d = i - (n - t._ndim)
      padded[i] = d >= 1 and tonumber(t._size[d - 1]) or 1
      count = count * repeats[i]
   end
   if count == 0 then return r:set() end
   -- the result seen as (r1, x1, r2, x2, ...) receives x seen as (1, x1, 1, x2, ...)
   -- expanded along the repeat dimensions
   local result_size, tiles, source_size = {}, {}, {}
   for i = 1, n do
      result_size[i] = repeats[i] * padded[i]
      tiles[2 * i - 1], tiles[2 * i] = repeats[i], padded[i]
      source_size[2 * i - 1], source_size[2 * i] = 1, padded[i]
   end
   r:resize(torch.LongStorage(result_size))
   local source = t:contiguous():view(torch.LongStorage(source_size))
   r:view(torch.LongStorage(tiles)):copy(source:expand(torch.LongStorage(tiles)))
   return r
end

-- permute(dim1, ..., dimn): the view whose dimension i is the tensor's dimension dim_i
function Tensor.permute(self, ...)
   local n = select('#', ...)
   if n ~= self._ndim then error('Invalid permutation', 2) end
   local seen, identity = {}, true
   for i = 1, n do
      local d = select(i, ...)
      if type(d) ~= 'number' or d < 1 or d > n or d ~= math.floor(d) or seen[d] then
         error('Invalid permutation', 2)
      end
      seen[d] = true
      identity = identity and d == i
   end
   if identity then return self end
   local r = new_tensor(self._dtype)
   for i = 1, n do
      local d = select(i, ...)
      sizes[i - 1] = self._size[d - 1]
      core.strides[i - 1] = self._stride[d - 1]
   end
   check(C.t7_tensor_set_storage(r, self._storage, self._offset, n, sizes, core.strides))
   return r
end

-- [result] split([result,] x, size[, dim = 1]): narrow views of `size` (the last one
-- shorter) covering dim; result, a table, is emptied first
function Tensor.split(result, tensor, size, dim)
   if torch.type(result) ~= 'table' then
      result, tensor, size, dim = {}, result, tensor, size
   else
      for k in pairs(result) do result[k] = nil end
   end
   dim = dim or 1
   if type(size) ~= 'number' or size < 1 then
      argerror(2, 'split', 'positive split size expected', 2)
   end
   local extent = tensor:size(dim)
   local first = 1
   while first <= extent do
      local count = math.min(size, extent - first + 1)
      result[#result + 1] = tensor:narrow(dim, first, count)
      first = first + count
   end
   return result
end

-- [result] chunk([result,] x, n[, dim = 1]): split into n parts of equal size (the last
-- one smaller)
function Tensor.chunk(result, tensor, n, dim)
   if torch.type(result) ~= 'table' then
      result, tensor, n, dim = {}, result, tensor, n
   end
   dim = dim or 1
   if type(n) ~= 'number' or n < 1 then argerror(2, 'chunk', 'positive count expected', 2) end
   return Tensor.split(result, tensor, math.ceil(tensor:size(dim) / n), dim)
end

for _, name in ipairs({'repeatTensor', 'permute', 'split', 'chunk'}) do
   core.add_tensor_method(name, Tensor[name])
end

-- The original's function forms of these methods: torch.view(x, 2, 3) is x:view(2, 3).
for _, name in ipairs({'view', 'viewAs', 'expand', 'expandAs', 'repeatTensor', 'permute',
                       'split', 'chunk'}) do
   torch[name] = Tensor[name]
end

return Tensor
