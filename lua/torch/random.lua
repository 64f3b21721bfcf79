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

-- torch.getRNGState([gen,] [state]): the generator's state as a ByteTensor (a copy, held in
-- state when given); torch.setRNGState([gen,] state) puts it back.
local STATE_BYTES = ffi.sizeof('T7Generator')

local function state_arguments(name, a, b)
   local g, state = torch._gen, a
   if is_generator(a) then g, state = a, b end
   if state ~= nil and not (core.is_tensor(state) and state._dtype == core.DTYPE.Byte) then
      core.argerror(is_generator(a) and 2 or 1, name, 'torch.ByteTensor expected, got '
         .. torch.type(state), 3)
   end
   return g, state
end

function torch.getRNGState(a, b)
   local g, state = state_arguments('getRNGState', a, b)
   state = state or torch.ByteTensor()
   state:resize(STATE_BYTES)
   if not state:isContiguous() then
      core.argerror(1, '?', 'RNG state needs to be contiguous', 2)
   end
   ffi.copy(state:data(), g, STATE_BYTES)
   return state
end

function torch.setRNGState(a, b)
   local g, state = state_arguments('setRNGState', a, b)
   if state == nil then core.argerror(1, '?', 'torch.ByteTensor expected, got nil', 2) end
   if state:nElement() ~= STATE_BYTES then core.argerror(1, '?', 'RNG state is wrong size', 2) end
   if not state:isContiguous() then
      core.argerror(1, '?', 'RNG state needs to be contiguous', 2)
   end
   if C.t7_generator_copy(g, ffi.cast('T7Generator *', state:data())) ~= 0 then
      core.argerror(1, '?', core.last_error(), 2)
   end
   return state
end

-- Serialization (torch.save and friends call these): the generator's raw state, as bytes.
function Generator.write(self, file)
   local bytes = torch.ByteStorage(STATE_BYTES)
   ffi.copy(bytes:data(), self, STATE_BYTES)
   file:writeByte(bytes)
end

function Generator.read(self, file)
   local bytes = file:readByte(STATE_BYTES)
   if bytes:size() ~= STATE_BYTES then      -- a quiet file gives what it had
      error('torch.Generator: the file ends within a generator\'s state', 2)
   end
   if C.t7_generator_copy(self, ffi.cast('T7Generator *', bytes:data())) ~= 0 then
      error('torch.Generator: ' .. core.last_error() .. ' in the file', 2)
   end
end

-------------------------------------------------------------------------------------------
-- Draws: torch.f([gen,] params) gives one number; x:f([gen,] params) and torch.f(x, [gen,]
-- params) fill x element by element in row-major order (TensorMath.lua's forms).

local FLOATING = dispatch.FLOATING
local NOT_HALF = dispatch.types('Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double')

-- (errors blame the caller of torch.f: the dispatcher tail-calls these)
local function filled(kernel)
   return function(r, g, a, b)
      check(kernel(r, g, a, b))
      return r
   end
end

local function filled_1(kernel)
   return function(r, g, a)
      check(kernel(r, g, a))
      return r
   end
end

local function positive_stdv(stdv)
   if not (stdv > 0) then
      core.argerror(2, '?', 'standard deviation must be strictly positive', 3)
   end
end

-- uniform, normal, cauchy, logNormal: two parameters with defaults; exponential: a rate.
local TWO_PARAMETERS = {
   {'uniform', C.t7_uniform, C.t7_tensor_uniform, 0, 1},
   {'normal', C.t7_normal, C.t7_tensor_normal, 0, 1, positive_stdv},
   {'cauchy', C.t7_cauchy, C.t7_tensor_cauchy, 0, 1},
   {'logNormal', C.t7_log_normal, C.t7_tensor_log_normal, 1, 2, positive_stdv},
}
for _, spec in ipairs(TWO_PARAMETERS) do
   local name, draw, fill, a, b, validate = unpack(spec)
   local fill_tensor = filled(fill)
   define(name, {
      {GENERATOR, NUMBER(a), NUMBER(b), impl = function(g, x, y)
         if validate then validate(y) end
         return draw(g, x, y) end},
      {RES, GENERATOR, NUMBER(a), NUMBER(b), types = FLOATING, impl = fill_tensor},
   })
end

define('exponential', {
   {GENERATOR, NUMBER(), impl = function(g, rate) return C.t7_exponential(g, rate) end},
   {RES, GENERATOR, NUMBER(), types = FLOATING, impl = filled_1(C.t7_tensor_exponential)},
})

define('geometric', {
   {GENERATOR, NUMBER(), impl = function(g, p)
      if not (p > 0 and p < 1) then core.argerror(1, '?', 'must be > 0 and < 1', 2) end
      return C.t7_geometric(g, p) end},
   {RES, GENERATOR, NUMBER(), types = NOT_HALF, impl = filled_1(C.t7_tensor_geometric)},
})

-- bernoulli([gen,] [p = 0.5]): 1 with probability p; x:bernoulli([gen,] [p]) takes p as a
-- number or as a FloatTensor/DoubleTensor of one probability per element.
local function bernoulli(a, b, c)
   if not core.is_tensor(a) then
      local g, p = torch._gen, a
      if is_generator(a) then g, p = a, b end
      p = p == nil and 0.5 or p
      if type(p) ~= 'number' then
         core.argerror(is_generator(a) and 2 or 1, 'bernoulli', 'number expected, got '
            .. torch.type(p), 2)
      end
      if not (p >= 0 and p <= 1) then core.argerror(1, '?', 'must be >= 0 and <= 1', 2) end
      return C.t7_bernoulli(g, p)
   end
   local t, g, p = a, torch._gen, b
   if is_generator(b) then g, p = b, c end
   if t._dtype == core.DTYPE.Half then
      error('torch.HalfTensor does not implement the torch.bernoulli() function', 2)
   end
   if p == nil or type(p) == 'number' then
      check(C.t7_tensor_bernoulli(t, g, p == nil and 0.5 or p))
   elseif core.is_tensor(p) then
      check(C.t7_tensor_bernoulli_tensor(t, g, p))
   else
      core.argerror(is_generator(b) and 3 or 2, 'bernoulli',
         'number, FloatTensor or DoubleTensor expected, got ' .. torch.type(p), 2)
   end
   return t
end
torch.bernoulli = bernoulli
core.add_tensor_method('bernoulli', bernoulli, NOT_HALF)

-- random([gen,] [a,] [b]): a 32-bit draw, or one in [1, b], or in [a, b] (bounds are C
-- longs: truncated towards zero)
local function truncate(x)
   if x >= 0 then return math.floor(x) end
   return math.ceil(x)
end

local function bounded(g, a, b)
   if b < a then core.argerror(2, '?', 'upper bound must be larger than lower bound', 3) end
   return tonumber(C.t7_random(g) % (b + 1 - a)) + a
end
local function upper_bounded(b)
   if truncate(b) <= 0 then core.argerror(1, '?', 'upper bound must be strictly positive', 3) end
end
define('random', {
   {GENERATOR, NUMBER(), NUMBER(), impl = function(g, a, b)
      return bounded(g, truncate(a), truncate(b)) end},
   {GENERATOR, NUMBER(), impl = function(g, b)
      upper_bounded(b)
      return bounded(g, 1, truncate(b)) end},
   {GENERATOR, impl = function(g) return tonumber(C.t7_random(g)) end},
   {RES, GENERATOR, NUMBER(), NUMBER(), types = NOT_HALF, impl = function(r, g, a, b)
      check(C.t7_tensor_random_range(r, g, a, b)); return r end},
   {RES, GENERATOR, NUMBER(), types = NOT_HALF, impl = function(r, g, b)
      upper_bounded(b)
      check(C.t7_tensor_random_range(r, g, 1, b)); return r end},
   {RES, GENERATOR, types = NOT_HALF, impl = function(r, g)
      check(C.t7_tensor_random(r, g)); return r end},
})

-- torch.rand/randn([res,] [gen,] sizes...): uniform in [0, 1), or standard normal
local function sized_fill(name, kernel, a, b)
   return function(first, ...)
      local r, g = nil, torch._gen
      local args = {first, ...}
      local i = 1
      if core.is_tensor(args[i]) then r = args[i]; i = i + 1 end
      if is_generator(args[i]) then g = args[i]; i = i + 1 end
      r = r or core.new_tensor(dispatch.default_dtype)
      if not FLOATING[r._dtype] then
         error(string.format('%s does not implement the torch.%s() function',
            torch.typename(r), name), 2)
      end
      r:resize(unpack(args, i, select('#', first, ...)))
      check(kernel(r, g, a, b))
      return r
   end
end
torch.rand = sized_fill('rand', C.t7_tensor_uniform, 0, 1)
torch.randn = sized_fill('randn', C.t7_tensor_normal, 0, 1)

define('randperm', {{RES, GENERATOR, NUMBER(), types = NOT_HALF, impl = function(r, g, n)
   if n <= 0 then core.argerror(1, '?', 'must be strictly positive', 2) end
   check(C.t7_randperm(r, g, n, 1))
   return r end}})

-------------------------------------------------------------------------------------------
-- multinomial and the alias method

local LONG = core.DTYPE.Long

local function is_long_tensor(x)
   return core.is_tensor(x) and x._dtype == LONG
end

-- multinomial([res,] [gen,] p, n[, replacement = false]): n category indices per row of p
-- (a vector or a matrix), drawn with probabilities proportional to p's entries
local function multinomial(...)
   local args, i = {...}, 1
   local res, g = nil, torch._gen
   if is_long_tensor(args[1]) and (core.is_tensor(args[2]) or is_generator(args[2])) then
      res, i = args[1], 2
   end
   if is_generator(args[i]) then g, i = args[i], i + 1 end
   local p, n, replacement = args[i], args[i + 1], args[i + 2]
   if replacement == nil then replacement = false end
   if not (core.is_tensor(p) and FLOATING[p._dtype] and type(n) == 'number'
           and type(replacement) == 'boolean') or select('#', ...) > i + 2 then
      local given = {}
      for k = 1, select('#', ...) do
         given[k] = (torch.type(args[k]):gsub('^torch%.', '')) .. ' '
      end
      error(string.format('invalid arguments: %s\nexpected arguments: [*LongTensor*] '
         .. '[Generator] %s int [boolean]', table.concat(given),
         core.is_tensor(p) and (torch.typename(p):gsub('^torch%.', '')) or 'DoubleTensor'), 2)
   end
   res = res or core.new_tensor(LONG)
   check(C.t7_multinomial(res, g, p, truncate(n), replacement and 1 or 0, 1))
   return res
end
torch.multinomial = multinomial
core.add_tensor_method('multinomial', multinomial, FLOATING)

-- multinomialAliasSetup_(probs[, alias, table]) -> alias, table: the alias method's
-- tables for the distribution probs (summing to 1)
local function alias_setup(probs, alias, threshold)
   if not (core.is_tensor(probs) and FLOATING[probs._dtype]) then
      core.argerror(1, 'multinomialAliasSetup', 'FloatTensor or DoubleTensor expected, got '
         .. torch.type(probs), 2)
   end
   alias = alias or core.new_tensor(LONG)
   threshold = threshold or core.new_tensor(probs._dtype)
   check(C.t7_multinomial_alias_setup(probs, alias, threshold, 1))
   return alias, threshold
end
torch.multinomialAliasSetup_ = alias_setup
core.add_tensor_method('multinomialAliasSetup_', alias_setup, FLOATING)

-- multinomialAlias_(output, [gen,] alias, table): output filled with draws from the tables
local function alias_draw(output, g, alias, threshold)
   if not is_generator(g) then g, alias, threshold = torch._gen, g, alias end
   if not (is_long_tensor(output) and is_long_tensor(alias) and core.is_tensor(threshold)) then
      error('invalid arguments: expected arguments: *LongTensor* [Generator] LongTensor '
         .. 'FloatTensor | *LongTensor* [Generator] LongTensor DoubleTensor', 2)
   end
   check(C.t7_multinomial_alias_draw(output, g, alias, threshold, 1))
   return output
end
torch.multinomialAlias_ = alias_draw
core.add_tensor_method('multinomialAlias_', alias_draw, FLOATING)

-- torch.multinomialAliasSetup(probs[, state]) -> state = {alias, table};
-- torch.multinomialAlias(output, state) fills output with draws and returns it.
function torch.multinomialAliasSetup(probs, state)
   if torch.type(state) == 'table' then
      state[1], state[2] = alias_setup(probs, state[1], state[2])
      return state
   end
   return {alias_setup(probs)}
end

function torch.multinomialAlias(output, state)
   return alias_draw(output, state[1], state[2])
end

-- A fresh state at load, as the original (seeded from /dev/urandom).
torch.seed()
