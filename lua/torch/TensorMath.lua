-- The tensor math library: torch.f(...) functions and their x:f(...) methods, declared as
-- argument forms (torch/dispatch.lua) over the core's kernels, and the operators.

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'

local C = core.C
local check = core.check
local is_tensor, new_tensor = core.is_tensor, core.new_tensor
local RES, OUT, OUT_LONG, SRC, TENSOR = dispatch.RES, dispatch.OUT, dispatch.OUT_LONG,
   dispatch.SRC, dispatch.TENSOR
local NUMBER, INDEX, FIXED = dispatch.NUMBER, dispatch.INDEX, dispatch.FIXED
local FLOATING = dispatch.FLOATING
local define = dispatch.define
local out = core.out1

local function dim_check(t, dim, argn)
   if dim < 1 or dim > t._ndim then
      core.argerror(argn, '?', string.format('dimension %d out of range of %dD tensor', dim,
         t._ndim), 3)
   end
end

-------------------------------------------------------------------------------------------
-- pointwise arithmetic

define('add', {
   {RES, SRC, NUMBER(), impl = function(r, t, v)
      check(C.t7_add_scalar(r, t, v)); return r end},
   {RES, SRC, NUMBER(1), TENSOR, impl = function(r, t, v, t2)
      check(C.t7_cadd(r, t, v, t2)); return r end},
})

define('csub', {
   {RES, SRC, NUMBER(), impl = function(r, t, v)
      check(C.t7_add_scalar(r, t, -v)); return r end},
   {RES, SRC, NUMBER(1), TENSOR, impl = function(r, t, v, t2)
      check(C.t7_cadd(r, t, -v, t2)); return r end},
})

define('mul', {{RES, SRC, NUMBER(), impl = function(r, t, v)
   check(C.t7_mul_scalar(r, t, v)); return r end}})

define('div', {{RES, SRC, NUMBER(), impl = function(r, t, v)
   check(C.t7_div_scalar(r, t, v)); return r end}})

define('cmul', {{RES, SRC, TENSOR, impl = function(r, a, b)
   check(C.t7_cmul(r, a, b)); return r end}})

define('cdiv', {{RES, SRC, TENSOR, impl = function(r, a, b)
   check(C.t7_cdiv(r, a, b)); return r end}})

define('addcmul', {{RES, SRC, NUMBER(1), TENSOR, TENSOR, impl = function(r, t, v, a, b)
   check(C.t7_addcmul(r, t, v, a, b)); return r end}})

define('addcdiv', {{RES, SRC, NUMBER(1), TENSOR, TENSOR, impl = function(r, t, v, a, b)
   check(C.t7_addcdiv(r, t, v, a, b)); return r end}})

define('clamp', {{RES, SRC, NUMBER(), NUMBER(), impl = function(r, t, lo, hi)
   check(C.t7_clamp(r, t, lo, hi)); return r end}})

define('pow', {
   {RES, SRC, NUMBER(), types = FLOATING, impl = function(r, t, e)
      check(C.t7_pow_scalar(r, t, e)); return r end},
   {NUMBER(), NUMBER(), impl = function(x, e) return x ^ e end},
})

-- one-argument functions: in place as methods, also on plain numbers as functions
local SIGNED = dispatch.types('Char', 'Short', 'Int', 'Long', 'Float', 'Double')
local UNARY = {
   {'abs', C.T7_FN_ABS, SIGNED, math.abs},
   {'neg', C.T7_FN_NEG, SIGNED, function(x) return -x end},
   {'sign', C.T7_FN_SIGN, SIGNED, function(x) return x > 0 and 1 or (x < 0 and -1 or 0) end},
   {'sqrt', C.T7_FN_SQRT, FLOATING, math.sqrt},
   {'exp', C.T7_FN_EXP, FLOATING, math.exp},
   {'log', C.T7_FN_LOG, FLOATING, math.log},
   {'tanh', C.T7_FN_TANH, FLOATING, math.tanh},
   {'sigmoid', C.T7_FN_SIGMOID, FLOATING, function(x) return 1 / (1 + math.exp(-x)) end},
}
for _, spec in ipairs(UNARY) do
   local name, code, types, on_number = spec[1], spec[2], spec[3], spec[4]
   define(name, {
      {RES, SRC, types = types, impl = function(r, t)
         check(C.t7_unary(r, t, code)); return r end},
      {NUMBER(), impl = on_number},
   })
end

-------------------------------------------------------------------------------------------
-- reductions

local function sum_all(t)
   check(C.t7_sum_all(t, out)); return out[0]
end

define('sum', {
   {TENSOR, impl = sum_all},
   {OUT, SRC, INDEX(), impl = function(r, t, dim)
      dim_check(t, dim, 2)
      check(C.t7_sum_dim(r, t, dim - 1)); return r end},
})

define('mean', {
   {TENSOR, types = FLOATING, impl = function(t)
      local n = t:nElement()
      if n == 0 then error('mean of an empty tensor', 2) end
      return sum_all(t) / n end},
   {OUT, SRC, INDEX(), types = FLOATING, impl = function(r, t, dim)
      dim_check(t, dim, 2)
      check(C.t7_sum_dim(r, t, dim - 1))
      check(C.t7_div_scalar(r, r, t:size(dim))); return r end},
})

for _, which in ipairs({'max', 'min'}) do
   local all, along = C['t7_' .. which .. '_all'], C['t7_' .. which .. '_dim']
   define(which, {
      {TENSOR, impl = function(t) check(all(t, out)); return out[0] end},
      {OUT, OUT_LONG, SRC, INDEX(), impl = function(values, indices, t, dim)
         dim_check(t, dim, 2)
         check(along(values, indices, t, dim - 1, 1)); return values, indices end},
   })
end

-------------------------------------------------------------------------------------------
-- linear algebra

define('dot', {{TENSOR, TENSOR, impl = function(a, b)
   check(C.t7_dot(a, b, out)); return out[0] end}})

local function two_d(name, m, argn)
   if m._ndim ~= 2 then
      core.argerror(argn, name, string.format('matrix expected, got %dD tensor', m._ndim), 3)
   end
end

-- addmm, addmv, addr: r = beta*M + alpha*(a op b), with the method's two forms
for name, kernel in pairs({addmm = C.t7_addmm, addmv = C.t7_addmv, addr = C.t7_addr}) do
   local function impl(r, beta, m, alpha, a, b)
      check(kernel(r, beta, m, alpha, a, b)); return r
   end
   define(name, {{RES, NUMBER(1), TENSOR, NUMBER(1), TENSOR, TENSOR, impl = impl}}, {
      method_forms = {
         {RES, FIXED(1), SRC, NUMBER(1), TENSOR, TENSOR, impl = impl},
         {RES, NUMBER(), SRC, NUMBER(), TENSOR, TENSOR, impl = impl},
      }})
end

local sizes = core.sizes

define('mm', {{RES, TENSOR, TENSOR, impl = function(r, a, b)
   two_d('mm', a, 2); two_d('mm', b, 3)
   sizes[0], sizes[1] = a._size[0], b._size[1]
   check(C.t7_tensor_resize(r, 2, sizes, nil))
   check(C.t7_addmm(r, 0, r, 1, a, b)); return r end}})

define('mv', {{RES, TENSOR, TENSOR, impl = function(r, m, v)
   two_d('mv', m, 2)
   sizes[0] = m._size[0]
   check(C.t7_tensor_resize(r, 1, sizes, nil))
   check(C.t7_addmv(r, 0, r, 1, m, v)); return r end}})

define('ger', {{RES, TENSOR, TENSOR, impl = function(r, x, y)
   if x._ndim ~= 1 or y._ndim ~= 1 then error('vectors expected', 2) end
   sizes[0], sizes[1] = x._size[0], y._size[0]
   check(C.t7_tensor_resize(r, 2, sizes, nil))
   check(C.t7_addr(r, 0, r, 1, x, y)); return r end}})

-------------------------------------------------------------------------------------------
-- construction

local function filled(value)
   return function(r, ...)
      r:resize(...)
      check(C.t7_tensor_fill(r, value))
      return r
   end
end

-- torch.zeros/ones([res,] sizes...): declared by hand, since sizes come as a list
for name, value in pairs({zeros = 0, ones = 1}) do
   local make = filled(value)
   torch[name] = function(a, ...)
      if is_tensor(a) then return make(a, ...) end
      return make(new_tensor(dispatch.default_dtype), a, ...)
   end
   core.add_tensor_method(name, make)
end

-------------------------------------------------------------------------------------------
-- operators, with Torch7's meanings (TORCH7_NOTES.md §5)

local ops = core.tensor_operators

local function same_type(a, b, what)
   if a._dtype ~= b._dtype then
      error(string.format('%s between %s and %s: types must match (convert one with :type())',
         what, torch.typename(a), torch.typename(b)), 3)
   end
end

function ops.add(a, b)
   if type(a) == 'number' then a, b = b, a end
   local r = new_tensor(a._dtype)
   if type(b) == 'number' then check(C.t7_add_scalar(r, a, b), 2) return r end
   same_type(a, b, 'addition')
   check(C.t7_cadd(r, a, 1, b), 2)
   return r
end

function ops.sub(a, b)
   if type(a) == 'number' then     -- n - t
      local r = new_tensor(b._dtype)
      check(C.t7_unary(r, b, C.T7_FN_NEG), 2)
      check(C.t7_add_scalar(r, r, a), 2)
      return r
   end
   local r = new_tensor(a._dtype)
   if type(b) == 'number' then check(C.t7_add_scalar(r, a, -b), 2) return r end
   same_type(a, b, 'subtraction')
   check(C.t7_cadd(r, a, -1, b), 2)
   return r
end

function ops.mul(a, b)
   if type(a) == 'number' then a, b = b, a end
   if type(b) == 'number' then
      local r = new_tensor(a._dtype)
      check(C.t7_mul_scalar(r, a, b), 2)
      return r
   end
   same_type(a, b, 'multiplication')
   local da, db = a._ndim, b._ndim
   if da == 1 and db == 1 then return torch.dot(a, b) end
   if da == 2 and db == 1 then return torch.mv(a, b) end
   if da == 2 and db == 2 then return torch.mm(a, b) end
   error(string.format('multiplication between %dD and %dD tensors not yet supported', da, db), 2)
end

function ops.div(a, b)
   if type(b) ~= 'number' then
      error('division of a tensor is only by a number', 2)
   end
   local r = new_tensor(a._dtype)
   check(C.t7_div_scalar(r, a, b), 2)
   return r
end

function ops.unm(a)
   local r = new_tensor(a._dtype)
   check(C.t7_unary(r, a, C.T7_FN_NEG), 2)
   return r
end

-- Operators Torch7 tensors do not have give its message.
local NAMES = {mod = 'modulo', pow = 'power', concat = 'concatenation'}
setmetatable(ops, {__index = function(_, name)
   return function(a, b)
      error(string.format('both %s and %s have no %s operator', torch.type(a), torch.type(b),
         NAMES[name] or name), 3)
   end
end})
