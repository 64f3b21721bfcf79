-- The tensor math library: torch.f(...) functions and their x:f(...) methods, declared as
-- argument forms (torch/dispatch.lua) over the core's kernels, and the operators. The forms
-- follow the original's TensorMath.lua: which arguments may be left out, in which order,
-- and on which element types each function exists.

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'

local C, ffi = core.C, core.ffi
local check = core.check
local is_tensor, new_tensor = core.is_tensor, core.new_tensor
local RES, OUT, OUT_LONG, SRC, TENSOR = dispatch.RES, dispatch.OUT, dispatch.OUT_LONG,
   dispatch.SRC, dispatch.TENSOR
local BYTE_TENSOR = dispatch.BYTE_TENSOR
local NUMBER, INDEX, BOOLEAN, FIXED = dispatch.NUMBER, dispatch.INDEX, dispatch.BOOLEAN,
   dispatch.FIXED
local FLOATING = dispatch.FLOATING
local out = core.out1
local result = core.result
local flag = ffi.new('int[1]')
local sizes = core.sizes
local BYTE = core.DTYPE.Byte

-- The original declares its math on every type but HalfTensor (whose few methods live
-- elsewhere): forms on tensors that name no types get all the others.
local NOT_HALF = dispatch.types('Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double')

local function without_half(forms)
   for _, form in ipairs(forms) do
      for _, arg in ipairs(form) do
         if arg.kind ~= 'number' and arg.kind ~= 'boolean' and arg.kind ~= 'fixed' then
            form.types = form.types or NOT_HALF
         end
      end
   end
end

local function define(name, forms, opts)
   without_half(forms)
   if opts and opts.method_forms then without_half(opts.method_forms) end
   dispatch.define(name, forms, opts)
end

local function dim_check(t, dim, argn)
   if dim < 1 or dim > t._ndim then
      core.argerror(argn, '?', string.format('dimension %d out of range of %dD tensor', dim,
         t._ndim), 3)
   end
end

-- the default dimension of sort, topk, kthvalue, median and mode (whose third argument
-- is the source): its last one
local function last_dim(_, _, t)
   return t._ndim
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

-- r = t op value and r = t op t2, on every type: the name with a number, 'c' .. name with a
-- tensor (fmod/cfmod, ...); mod and cmod are the original's aliases of fmod and cfmod
local SCALAR_AND_TENSOR = {
   fmod = C.T7_OP_FMOD, remainder = C.T7_OP_REMAINDER, lshift = C.T7_OP_LSHIFT,
   rshift = C.T7_OP_RSHIFT, bitand = C.T7_OP_BITAND, bitor = C.T7_OP_BITOR,
   bitxor = C.T7_OP_BITXOR, mod = C.T7_OP_FMOD,
}
for name, op in pairs(SCALAR_AND_TENSOR) do
   define(name, {{RES, SRC, NUMBER(), impl = function(r, t, v)
      check(C.t7_scalar_op(r, t, op, v)); return r end}})
   define('c' .. name, {{RES, SRC, TENSOR, impl = function(r, a, b)
      check(C.t7_tensor_op(r, a, op, b)); return r end}})
end

define('cpow', {{RES, SRC, TENSOR, impl = function(r, a, b)
   check(C.t7_tensor_op(r, a, C.T7_OP_POW, b)); return r end}})

for name, op in pairs({cmax = C.T7_OP_MAX, cmin = C.T7_OP_MIN}) do
   define(name, {
      {RES, SRC, TENSOR, impl = function(r, a, b)
         check(C.t7_tensor_op(r, a, op, b)); return r end},
      {RES, SRC, NUMBER(), impl = function(r, a, v)
         check(C.t7_scalar_op(r, a, op, v)); return r end},
   })
end

define('pow', {
   {RES, SRC, NUMBER(), types = FLOATING, impl = function(r, t, e)
      check(C.t7_pow_scalar(r, t, e)); return r end},
   {RES, NUMBER(), SRC, types = FLOATING, impl = function(r, v, t)
      check(C.t7_rpow(r, v, t)); return r end},
   {NUMBER(), NUMBER(), impl = function(x, e) return x ^ e end},
})

define('atan2', {
   {RES, SRC, TENSOR, types = FLOATING, impl = function(r, a, b)
      check(C.t7_tensor_op(r, a, C.T7_OP_ATAN2, b)); return r end},
   {NUMBER(), NUMBER(), impl = math.atan2},
})

define('lerp', {
   {RES, SRC, TENSOR, NUMBER(), types = FLOATING, impl = function(r, a, b, w)
      check(C.t7_lerp(r, a, b, w)); return r end},
   {NUMBER(), NUMBER(), NUMBER(), impl = function(a, b, w) return a + w * (b - a) end},
})

-- one-argument functions: in place as methods (x:exp()), into a result as functions
-- (torch.exp([res,] x)), and most of them on plain numbers too (torch.exp(1))
local SIGNED = dispatch.types('Char', 'Short', 'Int', 'Long', 'Float', 'Double')
-- the C library's functions where Lua's math has none (declared unless already declared)
for _, name in ipairs({'log1p', 'round', 'trunc'}) do
   pcall(ffi.cdef, string.format('double %s(double);', name))
end
local libm = ffi.C
local UNARY = {
   {'abs', C.T7_FN_ABS, SIGNED, math.abs},
   {'sign', C.T7_FN_SIGN, nil},
   {'neg', C.T7_FN_NEG, SIGNED},
   {'cinv', C.T7_FN_CINV, FLOATING},
   {'sqrt', C.T7_FN_SQRT, FLOATING, math.sqrt},
   {'rsqrt', C.T7_FN_RSQRT, FLOATING, function(x) return 1 / math.sqrt(x) end},
   {'exp', C.T7_FN_EXP, FLOATING, math.exp},
   {'log', C.T7_FN_LOG, FLOATING, math.log},
   {'log1p', C.T7_FN_LOG1P, FLOATING, function(x) return libm.log1p(x) end},
   {'cos', C.T7_FN_COS, FLOATING, math.cos},
   {'acos', C.T7_FN_ACOS, FLOATING, math.acos},
   {'cosh', C.T7_FN_COSH, FLOATING, math.cosh},
   {'sin', C.T7_FN_SIN, FLOATING, math.sin},
   {'asin', C.T7_FN_ASIN, FLOATING, math.asin},
   {'sinh', C.T7_FN_SINH, FLOATING, math.sinh},
   {'tan', C.T7_FN_TAN, FLOATING, math.tan},
   {'atan', C.T7_FN_ATAN, FLOATING, math.atan},
   {'tanh', C.T7_FN_TANH, FLOATING, math.tanh},
   {'ceil', C.T7_FN_CEIL, FLOATING, math.ceil},
   {'floor', C.T7_FN_FLOOR, FLOATING, math.floor},
   {'round', C.T7_FN_ROUND, FLOATING, function(x) return libm.round(x) end},
   {'trunc', C.T7_FN_TRUNC, FLOATING, function(x) return libm.trunc(x) end},
   {'frac', C.T7_FN_FRAC, FLOATING, function(x) return x - libm.trunc(x) end},
   {'sigmoid', C.T7_FN_SIGMOID, FLOATING, function(x) return 1 / (1 + math.exp(-x)) end},
}
for _, spec in ipairs(UNARY) do
   local name, code, types, on_number = spec[1], spec[2], spec[3], spec[4]
   local forms = {{RES, SRC, types = types, impl = function(r, t)
      check(C.t7_unary(r, t, code)); return r end}}
   if on_number then forms[2] = {NUMBER(), impl = on_number} end
   define(name, forms)
end

-------------------------------------------------------------------------------------------
-- comparisons: a ByteTensor of 0/1 (a new one, or the one given first), or the same values
-- written into a tensor of the compared type: torch.lt(a, b), torch.lt(bytes, a, b),
-- c:lt(a, b)

local function new_bytes() return new_tensor(BYTE) end
for name, cmp in pairs({lt = C.T7_CMP_LT, le = C.T7_CMP_LE, gt = C.T7_CMP_GT,
                        ge = C.T7_CMP_GE, eq = C.T7_CMP_EQ, ne = C.T7_CMP_NE}) do
   local function with_value(r, t, v)
      check(C.t7_compare_scalar(r, t, cmp, v)); return r
   end
   local function with_tensor(r, a, b)
      check(C.t7_compare_tensor(r, a, cmp, b)); return r
   end
   define(name, {
      {BYTE_TENSOR, TENSOR, NUMBER(), impl = with_value},
      {TENSOR, NUMBER(), impl = function(t, v) return with_value(new_bytes(), t, v) end},
      {RES, TENSOR, NUMBER(), impl = with_value},
      {BYTE_TENSOR, TENSOR, TENSOR, impl = with_tensor},
      {TENSOR, TENSOR, impl = function(a, b) return with_tensor(new_bytes(), a, b) end},
      {RES, TENSOR, TENSOR, impl = with_tensor},
   })
end

for name, kernel in pairs({all = C.t7_logical_all, any = C.t7_logical_any}) do
   define(name, {{TENSOR, types = dispatch.types('Byte'), impl = function(t)
      check(kernel(t, flag)); return flag[0] ~= 0 end}})
end

define('equal', {{TENSOR, TENSOR, impl = function(a, b)
   check(C.t7_equal(a, b, flag)); return flag[0] ~= 0 end}})

-------------------------------------------------------------------------------------------
-- reductions: a number over all elements, or a tensor along a dimension (kept, size 1)

local function number_of(kernel)
   return function(t) check(kernel(t, out)); return result(out) end
end

local function along(kernel)
   return function(r, t, dim)
      dim_check(t, dim, 2)
      check(kernel(r, t, dim - 1)); return r
   end
end

define('sum', {
   {TENSOR, impl = number_of(C.t7_sum_all)},
   {OUT, TENSOR, INDEX(), impl = along(C.t7_sum_dim)},
})

define('prod', {
   {TENSOR, impl = number_of(C.t7_prod_all)},
   {OUT, TENSOR, INDEX(), impl = along(C.t7_prod_dim)},
})

define('mean', {
   {TENSOR, types = FLOATING, impl = function(t)
      local n = t:nElement()
      if n == 0 then error('empty Tensor', 2) end
      check(C.t7_sum_all(t, out))
      return result(out) / n end},
   {OUT, TENSOR, INDEX(), types = FLOATING, impl = function(r, t, dim)
      dim_check(t, dim, 2)
      check(C.t7_sum_dim(r, t, dim - 1))
      check(C.t7_div_scalar(r, r, t:size(dim))); return r end},
})

for name, root in pairs({var = 0, std = 1}) do
   define(name, {
      {TENSOR, BOOLEAN(false), types = FLOATING, impl = function(t, biased)
         check(C.t7_var_all(t, biased and 1 or 0, out))
         return root == 1 and math.sqrt(result(out)) or result(out) end},
      {OUT, TENSOR, INDEX(), BOOLEAN(false), types = FLOATING,
       impl = function(r, t, dim, biased)
         dim_check(t, dim, 2)
         check(C.t7_var_dim(r, t, dim - 1, biased and 1 or 0, root)); return r end},
   })
end

define('norm', {
   {TENSOR, NUMBER(2), types = FLOATING, impl = function(t, p)
      check(C.t7_norm_all(t, p, out)); return result(out) end},
   {OUT, TENSOR, NUMBER(), INDEX(), types = FLOATING, impl = function(r, t, p, dim)
      dim_check(t, dim, 3)
      check(C.t7_norm_dim(r, t, p, dim - 1)); return r end},
})

define('dist', {{TENSOR, TENSOR, NUMBER(2), types = FLOATING, impl = function(a, b, p)
   check(C.t7_dist(a, b, p, out)); return result(out) end}})

define('renorm', {{RES, SRC, NUMBER(), INDEX(), NUMBER(), types = FLOATING,
   impl = function(r, t, p, dim, maxnorm)
      dim_check(t, dim, 3)
      check(C.t7_renorm(r, t, p, dim - 1, maxnorm)); return r end}})

define('trace', {{TENSOR, impl = number_of(C.t7_trace)}})

define('numel', {{TENSOR, impl = function(t) return t:nElement() end}}, {method = false})

for _, which in ipairs({'max', 'min'}) do
   local all, kernel = C['t7_' .. which .. '_all'], C['t7_' .. which .. '_dim']
   define(which, {
      {TENSOR, impl = number_of(all)},
      {OUT, OUT_LONG, TENSOR, INDEX(), impl = function(values, indices, t, dim)
         dim_check(t, dim, 2)
         check(kernel(values, indices, t, dim - 1, 1)); return values, indices end},
   })
end

for name, kernel in pairs({cumsum = C.t7_cumsum, cumprod = C.t7_cumprod}) do
   define(name, {{OUT, TENSOR, INDEX(1), impl = along(kernel)}})
end

define('cross', {{OUT, TENSOR, TENSOR, INDEX(0), impl = function(r, a, b, dim)
   if dim ~= 0 then dim_check(a, dim, 3) end
   check(C.t7_cross(r, a, b, dim - 1)); return r end}})

for name, kernel in pairs({histc = C.t7_histc, bhistc = C.t7_bhistc}) do
   define(name, {{OUT, TENSOR, NUMBER(100), NUMBER(0), NUMBER(0), types = FLOATING,
      impl = function(h, t, nbins, lo, hi)
         check(kernel(h, t, nbins, lo, hi)); return h end}})
end

-------------------------------------------------------------------------------------------
-- sorting and selection along a dimension (the last one by default): values and their
-- 1-based indices

define('sort', {{OUT, OUT_LONG, TENSOR, INDEX(last_dim), BOOLEAN(false),
   impl = function(values, indices, t, dim, descending)
      dim_check(t, dim, 2)
      check(C.t7_sort(values, indices, t, dim - 1, descending and 1 or 0, 1))
      return values, indices end}})

-- topk's last flag asks for sorted results; these always are
define('topk', {{OUT, OUT_LONG, TENSOR, NUMBER(1), INDEX(last_dim), BOOLEAN(false),
   BOOLEAN(false),
   impl = function(values, indices, t, k, dim, largest)
      dim_check(t, dim, 3)
      check(C.t7_topk(values, indices, t, k, dim - 1, largest and 1 or 0, 1))
      return values, indices end}})

define('kthvalue', {{OUT, OUT_LONG, TENSOR, NUMBER(), INDEX(last_dim),
   impl = function(values, indices, t, k, dim)
      dim_check(t, dim, 3)
      check(C.t7_kthvalue(values, indices, t, k, dim - 1, 1))
      return values, indices end}})

-- the median: the middle element, or the one before the middle for an even count
define('median', {{OUT, OUT_LONG, TENSOR, INDEX(last_dim),
   impl = function(values, indices, t, dim)
      dim_check(t, dim, 2)
      check(C.t7_kthvalue(values, indices, t, math.floor((t:size(dim) + 1) / 2), dim - 1, 1))
      return values, indices end}})

define('mode', {{OUT, OUT_LONG, TENSOR, INDEX(last_dim),
   impl = function(values, indices, t, dim)
      dim_check(t, dim, 2)
      check(C.t7_mode(values, indices, t, dim - 1, 1))
      return values, indices end}})

-------------------------------------------------------------------------------------------
-- linear algebra

define('dot', {{TENSOR, TENSOR, impl = function(a, b)
   check(C.t7_dot(a, b, out)); return result(out) end}})

local function dims(name, m, want, argn)
   if m._ndim ~= want then
      core.argerror(argn, name, string.format('%dD tensor expected, got %dD tensor', want,
         m._ndim), 3)
   end
end

-- r = beta*M + alpha*(a op b), with the method's two forms (x:addmm(m1, m2) adds to x;
-- x:addmm(beta, M, alpha, m1, m2) fills x)
local PRODUCTS = {addmm = C.t7_addmm, addmv = C.t7_addmv, addr = C.t7_addr,
                  addbmm = C.t7_addbmm, baddbmm = C.t7_baddbmm}
for name, kernel in pairs(PRODUCTS) do
   local function impl(r, beta, m, alpha, a, b)
      check(kernel(r, beta, m, alpha, a, b)); return r
   end
   define(name, {{RES, NUMBER(1), TENSOR, NUMBER(1), TENSOR, TENSOR, impl = impl}}, {
      method_forms = {
         {RES, FIXED(1), SRC, NUMBER(1), TENSOR, TENSOR, impl = impl},
         {RES, NUMBER(), SRC, NUMBER(), TENSOR, TENSOR, impl = impl},
      }})
end

define('mm', {{RES, TENSOR, TENSOR, impl = function(r, a, b)
   dims('mm', a, 2, 2); dims('mm', b, 2, 3)
   sizes[0], sizes[1] = a._size[0], b._size[1]
   check(C.t7_tensor_resize(r, 2, sizes, nil))
   check(C.t7_addmm(r, 0, r, 1, a, b)); return r end}})

define('mv', {{RES, TENSOR, TENSOR, impl = function(r, m, v)
   dims('mv', m, 2, 2); dims('mv', v, 1, 3)
   sizes[0] = m._size[0]
   check(C.t7_tensor_resize(r, 1, sizes, nil))
   check(C.t7_addmv(r, 0, r, 1, m, v)); return r end}})

define('bmm', {{RES, TENSOR, TENSOR, impl = function(r, a, b)
   dims('bmm', a, 3, 2); dims('bmm', b, 3, 3)
   sizes[0], sizes[1], sizes[2] = a._size[0], a._size[1], b._size[2]
   check(C.t7_tensor_resize(r, 3, sizes, nil))
   check(C.t7_baddbmm(r, 0, r, 1, a, b)); return r end}})

define('ger', {{RES, TENSOR, TENSOR, impl = function(r, x, y)
   dims('ger', x, 1, 2); dims('ger', y, 1, 3)
   sizes[0], sizes[1] = x._size[0], y._size[0]
   check(C.t7_tensor_resize(r, 2, sizes, nil))
   check(C.t7_addr(r, 0, r, 1, x, y)); return r end}})

-- r[i][j] = gain * |m1[i] - m2[j]|^2, rows being the first dimension's slices
define('match', {{RES, TENSOR, TENSOR, NUMBER(1), impl = function(r, m1, m2, gain)
   local n1, n2 = m1:size(1), m2:size(1)
   local a = m1:contiguous():view(n1, m1:nElement() / n1)
   local b = m2:contiguous():view(n2, m2:nElement() / n2)
   if a:size(2) ~= b:size(2) then
      core.argerror(3, 'match', 'm1 and m2 must have the same inner vector dim', 2)
   end
   r:resize(n1, n2)
   local difference = new_tensor(a._dtype)
   for i = 1, n1 do
      difference:resizeAs(b):copy(a[i]:view(1, a:size(2)):expandAs(b)):csub(b)
      r[i]:copy(difference:cmul(difference):sum(2)):mul(gain)
   end
   return r end}})

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

local function by_number(name, kernel)
   return function(a, b)
      if not is_tensor(a) or type(b) ~= 'number' then
         error(string.format('%s of a tensor is only by a number', name), 2)
      end
      local r = new_tensor(a._dtype)
      check(kernel(r, a, b), 2)
      return r
   end
end

ops.div = by_number('division', C.t7_div_scalar)

-- t % n: the remainder with the sign of n, as Lua's own %
ops.mod = by_number('modulo', function(r, a, n)
   return C.t7_scalar_op(r, a, C.T7_OP_REMAINDER, n)
end)

function ops.unm(a)
   local r = new_tensor(a._dtype)
   check(C.t7_unary(r, a, C.T7_FN_NEG), 2)
   return r
end

-- Operators Torch7 tensors do not have give its message.
local NAMES = {pow = 'power', concat = 'concatenation'}
setmetatable(ops, {__index = function(_, name)
   return function(a, b)
      error(string.format('both %s and %s have no %s operator', torch.type(a), torch.type(b),
         NAMES[name] or name), 3)
   end
end})
