-- torch.CudaTensor's math: the element-wise, reduction, BLAS and random methods that nn,
-- optim and training scripts use, in the original's method forms (x:f(...) works in place
-- on x; r:f(x, ...) writes f(x, ...) into r).

local core = require 'cutorch.core'
local C, ffi = core.C, core.ffi
local Tensor = core.Tensor
local check, is_tensor = core.check, core.is_tensor

local function map(r, x, y, z, op, a, b)
   check(C.t7cu_map(r, x, y, z, op, a or 0, b or 0), 3)
   return r
end

-- The result of r:f(x, ...) takes x's sizes (r:f() on itself keeps them).
local function result_for(r, x)
   if r ~= x then r:resizeAs(x) end
   return r
end

function Tensor.fill(self, value) return map(self, nil, nil, nil, C.T7CU_FILL, value) end
function Tensor.zero(self) return map(self, nil, nil, nil, C.T7CU_FILL, 0) end

-- add: x:add(v), x:add(y), x:add(v, y), r:add(x, v), r:add(x, y), r:add(x, v, y)
function Tensor.add(self, a, b, c)
   if c ~= nil then return map(result_for(self, a), a, c, nil, C.T7CU_ADD, b) end
   if b ~= nil then
      if type(b) == 'number' then
         return map(result_for(self, a), a, nil, nil, C.T7CU_ADD_SCALAR, b)
      end
      if type(a) == 'number' then return map(self, self, b, nil, C.T7CU_ADD, a) end
      return map(result_for(self, a), a, b, nil, C.T7CU_ADD, 1)
   end
   if type(a) == 'number' then return map(self, self, nil, nil, C.T7CU_ADD_SCALAR, a) end
   return map(self, self, a, nil, C.T7CU_ADD, 1)
end

-- sub: as add, with the second term negated
function Tensor.sub(self, a, b, c)
   if c ~= nil then return map(result_for(self, a), a, c, nil, C.T7CU_ADD, -b) end
   if b ~= nil then
      if type(b) == 'number' then
         return map(result_for(self, a), a, nil, nil, C.T7CU_ADD_SCALAR, -b)
      end
      if type(a) == 'number' then return map(self, self, b, nil, C.T7CU_ADD, -a) end
      return map(result_for(self, a), a, b, nil, C.T7CU_ADD, -1)
   end
   if type(a) == 'number' then return map(self, self, nil, nil, C.T7CU_ADD_SCALAR, -a) end
   return map(self, self, a, nil, C.T7CU_ADD, -1)
end

-- Methods of a scalar (x:f(v) / r:f(x, v)) and of a second tensor (x:f(y) / r:f(x, y)).
local function scalar_method(op)
   return function(self, a, b)
      if b == nil then return map(self, self, nil, nil, op, a) end
      return map(result_for(self, a), a, nil, nil, op, b)
   end
end
local function tensor_method(op)
   return function(self, a, b)
      if b == nil then return map(self, self, a, nil, op) end
      return map(result_for(self, a), a, b, nil, op)
   end
end

Tensor.mul = scalar_method(C.T7CU_MUL_SCALAR)
Tensor.div = scalar_method(C.T7CU_DIV_SCALAR)
Tensor.pow = scalar_method(C.T7CU_POW)
Tensor.cmul = tensor_method(C.T7CU_MUL)
Tensor.cdiv = tensor_method(C.T7CU_DIV)

-- x:f() in place, r:f(x) into r
local function unary(op)
   return function(self, x)
      if x == nil then return map(self, self, nil, nil, op) end
      return map(result_for(self, x), x, nil, nil, op)
   end
end
Tensor.abs = unary(C.T7CU_ABS)
Tensor.exp = unary(C.T7CU_EXP)
Tensor.log = unary(C.T7CU_LOG)
Tensor.sqrt = unary(C.T7CU_SQRT)
Tensor.tanh = unary(C.T7CU_TANH)
Tensor.sigmoid = unary(C.T7CU_SIGMOID)
Tensor.neg = unary(C.T7CU_NEG)
Tensor.square = unary(C.T7CU_SQUARE)

function Tensor.clamp(self, a, b, c)
   if is_tensor(a) then return map(result_for(self, a), a, nil, nil, C.T7CU_CLAMP, b, c) end
   return map(self, self, nil, nil, C.T7CU_CLAMP, a, b)
end

-- addcmul / addcdiv: x:f([v,] t1, t2) adds v * t1 op t2 to x; r:f(x, [v,] t1, t2)
local function ternary(op)
   return function(self, ...)
      local args = {...}
      local n = select('#', ...)
      if n == 4 or (n == 3 and is_tensor(args[1]) and is_tensor(args[2])) then
         local x = args[1]
         local value = n == 4 and args[2] or 1
         return map(result_for(self, x), x, args[n - 1], args[n], op, value)
      end
      local value = n == 3 and args[1] or 1
      return map(self, self, args[n - 1], args[n], op, value)
   end
end
Tensor.addcmul = ternary(C.T7CU_ADDCMUL)
Tensor.addcdiv = ternary(C.T7CU_ADDCDIV)

-------------------------------------------------------------------------------------------
-- reductions

local result = ffi.new('double[1]')

local function reduce_all(self, op)
   check(C.t7cu_reduce_all(self, op, result), 3)
   return tonumber(result[0])
end

local function reduction(op)
   return function(self, dim)
      if dim == nil then return reduce_all(self, op) end
      local r = core.new_tensor()
      check(C.t7cu_reduce_dim(r, self, dim - 1, op), 2)
      return r
   end
end
Tensor.sum = reduction(C.T7CU_SUM)
Tensor.mean = reduction(C.T7CU_MEAN)

-- max(): the largest value; max(dim): values and their positions along dim
function Tensor.max(self, dim)
   if dim == nil then return reduce_all(self, C.T7CU_MAX) end
   local values, positions = core.new_tensor(), core.new_tensor()
   check(C.t7cu_max_dim(values, positions, self, dim - 1))
   return values, positions
end

function Tensor.min(self, dim)
   if dim == nil then return reduce_all(self, C.T7CU_MIN) end
   local values = core.new_tensor()
   check(C.t7cu_reduce_dim(values, self, dim - 1, C.T7CU_MIN))
   return values
end

function Tensor.norm(self, p)
   if p ~= nil and p ~= 2 then error('CudaTensor:norm supports the 2-norm only', 2) end
   return math.sqrt(reduce_all(self, C.T7CU_SUMSQ))
end

function Tensor.dot(self, other)
   check(C.t7cu_dot(self, other, result))
   return tonumber(result[0])
end

-------------------------------------------------------------------------------------------
-- BLAS: r:addmm([beta,] [M,] [alpha,] a, b) and the like. Without M the result itself is
-- added to; a lone number is alpha then; a number before M is beta, one after it alpha.

local function product(kernel, name)
   return function(self, ...)
      local tensors, numbers, before_m = {}, {}, nil
      for i = 1, select('#', ...) do
         local v = select(i, ...)
         if type(v) == 'number' then
            numbers[#numbers + 1] = v
         elseif is_tensor(v) then
            tensors[#tensors + 1] = v
            if #tensors == 1 then before_m = #numbers end
         else
            error(string.format("bad argument #%d to '%s' (number or CudaTensor expected, "
               .. 'got %s)', i, name, torch.type(v)), 2)
         end
      end
      local m, a, b
      if #tensors == 3 then
         m, a, b = tensors[1], tensors[2], tensors[3]
      elseif #tensors == 2 then
         m, a, b = self, tensors[1], tensors[2]
         before_m = #numbers == 2 and 1 or 0
      else
         error(name .. ': expects [beta,] [M,] [alpha,] and two tensors', 2)
      end
      local beta, alpha = 1, 1
      if #numbers == 2 then
         beta, alpha = numbers[1], numbers[2]
      elseif #numbers == 1 then
         if before_m == 1 then beta = numbers[1] else alpha = numbers[1] end
      end
      check(kernel(self, beta, m, alpha, a, b))
      return self
   end
end
Tensor.addmm = product(C.t7cu_addmm, 'addmm')
Tensor.addmv = product(C.t7cu_addmv, 'addmv')
Tensor.addr = product(C.t7cu_addr, 'addr')

-- r:mm(a, b) = a b; r:mv(a, x) = a x
function Tensor.mm(self, a, b)
   self:resize(a:size(1), b:size(2))
   check(C.t7cu_addmm(self, 0, self, 1, a, b))
   return self
end

function Tensor.mv(self, a, x)
   self:resize(a:size(1))
   check(C.t7cu_addmv(self, 0, self, 1, a, x))
   return self
end

-------------------------------------------------------------------------------------------
-- random fills (cutorch's own generator: cutorch.manualSeed, not torch.manualSeed)

function Tensor.uniform(self, a, b)
   check(C.t7cu_random(self, C.T7CU_UNIFORM, a or 0, b or 1))
   return self
end

function Tensor.normal(self, mean, std)
   check(C.t7cu_random(self, C.T7CU_NORMAL, mean or 0, std or 1))
   return self
end

function Tensor.bernoulli(self, p)
   check(C.t7cu_random(self, C.T7CU_BERNOULLI, p or 0.5, 0))
   return self
end

-------------------------------------------------------------------------------------------
-- r:index(src, 1, indices): rows of a matrix (LookupTable), indices a CudaTensor or any CPU
-- tensor of 1-based positions

function Tensor.index(self, src, dim, indices)
   if dim ~= 1 then error('CudaTensor:index picks rows (dimension 1) only', 2) end
   if not is_tensor(indices) then indices = torch.CudaTensor(indices:size()):copy(indices) end
   check(C.t7cu_index_rows(self, src, indices, 1))
   return self
end

-------------------------------------------------------------------------------------------
-- operators: new tensors

local operators = core.tensor_operators

local function operand_result(a, b)
   return (is_tensor(a) and a or b):clone()
end

function operators.add(a, b)
   if type(a) == 'number' then return b:clone():add(a) end
   return operand_result(a, b):add(b)
end

function operators.sub(a, b)
   if type(a) == 'number' then return b:clone():mul(-1):add(a) end
   return a:clone():sub(b)
end

function operators.mul(a, b)
   if type(a) == 'number' then return b:clone():mul(a) end
   if type(b) == 'number' then return a:clone():mul(b) end
   if a:dim() == 2 and b:dim() == 2 then return core.new_tensor():mm(a, b) end
   if a:dim() == 2 and b:dim() == 1 then return core.new_tensor():mv(a, b) end
   return a:dot(b)
end

function operators.div(a, b)
   if type(b) ~= 'number' then error('a CudaTensor divides by a number', 2) end
   return a:clone():div(b)
end

function operators.unm(a) return a:clone():neg() end

return Tensor
