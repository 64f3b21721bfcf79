-- Random numbers: torch.Generator objects, the default generator torch._gen, and the
-- draws of the original (torch.manualSeed(s) then any call gives Torch7's numbers).

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'
local C, ffi = core.C, core.ffi
local check = core.check
local RES, NUMBER, GENERATOR = dispatch.RES, dispatch.NUMBER, dispatch.GENERATOR
local define = dispatch.define

-- Generators are FFI objects freed by the collector; their class is torch.Generator.
local Generator = {}
local GeneratorPtr = ffi.typeof('T7Generator *')

local function new_generator()
   local g = C.t7_generator_new()
   if g == nil then core.raise(2) end
   return ffi.gc(g, C.t7_generator_free)
end

ffi.metatype('T7Generator', {
   __index = Generator,
   __tostring = function() return 'torch.Generator' end,
})

core.register_cdata_class('torch.Generator', Generator, new_generator, new_generator,
   function(obj) if ffi.istype(GeneratorPtr, obj) then return 'torch.Generator' end end)
torch.Generator = torch.getconstructortable('torch.Generator')

torch._gen = new_generator()
dispatch.default_generator = torch._gen

local function is_generator(x)
   return ffi.istype(GeneratorPtr, x)
end

-- Functions on the generator take it optionally first: torch.manualSeed([gen,] seed).
local function with_generator(fn)
   return function(a, ...)
      if is_generator(a) then return fn(a, ...) end
      return fn(torch._gen, a, ...)
   end
end

torch.manualSeed = with_generator(function(g, seed)
   if type(seed) ~= 'number' then
      core.argerror(1, 'manualSeed', 'number expected, got ' .. type(seed), 2)
   end
   -- the original converts the seed to a C long, then to unsigned long
   C.t7_manual_seed(g, ffi.cast('uint64_t', ffi.cast('int64_t', seed)))
end)

torch.seed = with_generator(function(g)
   return tonumber(C.t7_seed(g))
end)

torch.initialSeed = with_generator(function(g)
   return tonumber(C.t7_initial_seed(g))
end)

-- torch.random([gen,] [a,] [b]): a 32-bit draw, in [1, b], or in [a, b]
torch.random = with_generator(function(g, a, b)
   local x = tonumber(C.t7_random(g))
   if a == nil then return x end
   if b == nil then
      if a < 1 then core.argerror(1, 'random', 'upper bound must be strictly positive', 2) end
      return x % a + 1
   end
   if b < a then core.argerror(2, 'random', 'upper bound must be larger than lower bound', 2) end
   return x % (b + 1 - a) + a
end)

torch.uniform = with_generator(function(g, a, b)
   return C.t7_uniform(g, a or 0, b or 1)
end)

torch.normal = with_generator(function(g, mean, stdv)
   stdv = stdv or 1
   if not (stdv > 0) then core.argerror(2, 'normal', 'standard deviation must be strictly positive', 2) end
   return C.t7_normal(g, mean or 0, stdv)
end)

torch.bernoulli = with_generator(function(g, p)
   p = p or 0.5
   if not (p >= 0 and p <= 1) then core.argerror(1, 'bernoulli', 'must be >= 0 and <= 1', 2) end
   return C.t7_bernoulli(g, p)
end)

function torch.getRNGState(g)
   g = g or torch._gen
   local state = torch.ByteTensor(ffi.sizeof('T7Generator'))
   ffi.copy(state:data(), g, ffi.sizeof('T7Generator'))
   return state
end

function torch.setRNGState(g, state)
   if state == nil then g, state = torch._gen, g end
   if not core.is_tensor(state) or state._dtype ~= 0
      or state:nElement() ~= ffi.sizeof('T7Generator') or not state:isContiguous() then
      error('RNG state must be a contiguous ByteTensor of the size torch.getRNGState gives', 2)
   end
   check(C.t7_generator_copy(g, ffi.cast('T7Generator *', state:data())))
   return state
end

-- Tensor fills: x:uniform([gen,] [a, b]) and friends, element by element in row-major order
local function fill_method(name, kernel, default_a, default_b)
   core.add_tensor_method(name, function(self, a, b, c)
      local g = torch._gen
      if is_generator(a) then g, a, b = a, b, c end
      if a == nil then a = default_a end
      if b == nil then b = default_b end
      check(kernel(self, g, a, b))
      return self
   end)
end
fill_method('uniform', C.t7_tensor_uniform, 0, 1)
fill_method('normal', C.t7_tensor_normal, 0, 1)

core.add_tensor_method('bernoulli', function(self, a, b)
   local g = torch._gen
   if is_generator(a) then g, a = a, b end
   check(C.t7_tensor_bernoulli(self, g, a or 0.5))
   return self
end)

-- x:random([gen,] [a,] [b]): integers in [a, b], in [1, b], or over the type's range
core.add_tensor_method('random', function(self, g, a, b)
   if not is_generator(g) then g, a, b = torch._gen, g, a end
   if a == nil then
      check(C.t7_tensor_random(self, g))
   elseif b == nil then
      if a <= 0 then core.argerror(2, 'random', 'upper bound must be strictly positive') end
      check(C.t7_tensor_random_range(self, g, 1, a))
   else
      check(C.t7_tensor_random_range(self, g, a, b))
   end
   return self
end)

-- torch.rand/randn([res,] [gen,] sizes...)
local function sized_fill(kernel, a, b)
   return function(first, ...)
      local r, g = nil, torch._gen
      local args = {first, ...}
      local i = 1
      if core.is_tensor(args[i]) then r = args[i]; i = i + 1 end
      if is_generator(args[i]) then g = args[i]; i = i + 1 end
      r = r or core.new_tensor(dispatch.default_dtype)
      r:resize(unpack(args, i, select('#', first, ...)))
      check(kernel(r, g, a, b))
      return r
   end
end
torch.rand = sized_fill(C.t7_tensor_uniform, 0, 1)
torch.randn = sized_fill(C.t7_tensor_normal, 0, 1)

define('randperm', {{RES, GENERATOR, NUMBER(), impl = function(r, g, n)
   if n <= 0 then core.argerror(1, '?', 'must be strictly positive', 2) end
   check(C.t7_randperm(r, g, n, 1))
   return r end}}, {method = false})

-- A fresh state at load, as the original (seeded from /dev/urandom).
torch.seed()
