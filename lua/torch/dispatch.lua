-- Argument-form dispatch for the tensor library, in the manner of the original's cwrap.
--
-- A function is declared once as a list of forms; each form is a list of argument kinds
-- and an implementation. From that one declaration come both faces the original had:
--   torch.add([res,] t, [value,] t2)     the function: an optional leading result tensor
--   x:add([t,] [value,] t2)              the method: self is the result, `src` defaults to it
-- Every combination of optional arguments of every form becomes one test in a generated
-- Lua function (so a call costs a few comparisons, and LuaJIT compiles it), tried in order;
-- when none fits, the error lists what was given and what is accepted, as cwrap did.
--
-- Kinds:
--   RES        the result tensor: optional (a new tensor) for the function, self for the method
--   OUT        an optional result tensor in both faces (a new one when absent)
--   OUT_LONG   the same, a LongTensor (indices)
--   SRC        a tensor; for the method, optional and then self
--   TENSOR     a tensor of the call's type
--   LONG_TENSOR, BYTE_TENSOR   tensors of those types, whatever the call's type
--   NUMBER(d)  a number, optional when a default d is given (d may be a function of the
--              earlier arguments); INDEX(d) likewise, documented as an index
--   BOOLEAN(d) a boolean
--   GENERATOR  an optional torch.Generator (torch._gen when absent)
--   FIXED(v)   not an argument at all: always v (cwrap's invisible arguments)
--   GIVEN, GIVEN_INT   a result tensor (of the call's type; an IntTensor) the caller must
--              give, in both faces
--   NEW, NEW_INT   not an argument: a new tensor (cwrap's invisible results)
--   TENSOR_DIM(n)  a tensor of the call's type with n dimensions
--   CHAR(values, d)  a string read by its first letter, one of `values` (cwrap's
--              charoption); the implementation gets that letter

local core = require 'torch.core'
local ffi = core.ffi

local dispatch = {}

local function kind(name, fields)
   fields.kind = name
   return fields
end

dispatch.RES = kind('res', {})
dispatch.OUT = kind('out', {optional = true})
dispatch.OUT_LONG = kind('out_long', {optional = true})
dispatch.SRC = kind('src', {})
dispatch.TENSOR = kind('tensor', {})
dispatch.LONG_TENSOR = kind('long_tensor', {})
dispatch.BYTE_TENSOR = kind('byte_tensor', {})
dispatch.GENERATOR = kind('generator', {optional = true})

function dispatch.NUMBER(default)
   return kind('number', {optional = default ~= nil, default = default, label = 'double'})
end
function dispatch.INDEX(default)
   return kind('number', {optional = default ~= nil, default = default, label = 'index'})
end
function dispatch.BOOLEAN(default)
   return kind('boolean', {optional = default ~= nil, default = default})
end
function dispatch.FIXED(value)
   return kind('fixed', {default = value})
end
dispatch.GIVEN = kind('given', {})
dispatch.GIVEN_INT = kind('given_int', {})
dispatch.NEW = kind('new', {})
dispatch.NEW_INT = kind('new_int', {})
function dispatch.TENSOR_DIM(n)
   return kind('tensor', {ndim = n})
end
function dispatch.CHAR(values, default)
   local letters = {}
   for _, v in ipairs(values) do letters[v:byte()] = v end
   return kind('char', {optional = default ~= nil, default = default, letters = letters,
                        label = '(' .. table.concat(values, '|') .. ')'})
end

-- Kinds that are no argument of the call.
local INVISIBLE = {fixed = true, new = true, new_int = true}

-- The default tensor type's code, kept current by torch.setdefaulttensortype.
dispatch.default_dtype = core.DTYPE.Double
-- torch._gen, set by torch/random.lua.
dispatch.default_generator = nil

local is_tensor = core.is_tensor
local new_tensor = core.new_tensor

-- How each kind is tested and described; `%s` is the argument variable.
local TESTS = {
   res = 'is_tensor(%s) and %s._dtype == D',
   out = 'is_tensor(%s) and %s._dtype == D',
   src = 'is_tensor(%s) and %s._dtype == D',
   tensor = 'is_tensor(%s) and %s._dtype == D',
   out_long = 'is_tensor(%s) and %s._dtype == 4',
   long_tensor = 'is_tensor(%s) and %s._dtype == 4',
   byte_tensor = 'is_tensor(%s) and %s._dtype == 0',
   number = 'type(%s) == "number"',
   boolean = 'type(%s) == "boolean"',
   generator = 'is_generator(%s)',
   given = 'is_tensor(%s) and %s._dtype == D',
   given_int = 'is_tensor(%s) and %s._dtype == 3',
   char = 'type(%s) == "string" and @.letters[%s:byte()] ~= nil',
}

local function describe(arg, method, tname)
   local label
   if arg.kind == 'res' then
      return method and ('*' .. tname .. '*') or ('[*' .. tname .. '*]')
   elseif arg.kind == 'out' then
      return '[*' .. tname .. '*]'
   elseif arg.kind == 'out_long' then
      return '[*LongTensor*]'
   elseif arg.kind == 'given' then
      return '*' .. tname .. '*'
   elseif arg.kind == 'given_int' then
      return '*IntTensor*'
   elseif arg.kind == 'src' then
      return method and ('[' .. tname .. ']') or tname
   elseif arg.kind == 'tensor' then
      label = tname
   elseif arg.kind == 'long_tensor' then
      label = 'LongTensor'
   elseif arg.kind == 'byte_tensor' then
      label = 'ByteTensor'
   elseif arg.kind == 'generator' then
      return '[Generator]'
   else
      label = arg.label or arg.kind
   end
   return arg.optional and ('[' .. label .. ']') or label
end

-- Which arguments a caller may leave out in this face.
local function omittable(arg, method)
   if arg.kind == 'res' then return not method end
   if arg.kind == 'src' then return method end
   return arg.optional
end

-- Every subset of omittable arguments, in cwrap's order: by the number of arguments given
-- (the call's count picks among those at run time), then by which are given, read as a
-- binary number whose bit i is the i-th omittable argument. So torch.topk(x, 3) gives k,
-- the first of its optional numbers, and leaves the dimension to its default.
local function patterns(form, method)
   local optional, fixed = {}, {}
   for i, arg in ipairs(form) do
      if INVISIBLE[arg.kind] then fixed[i] = true
      elseif omittable(arg, method) then optional[#optional + 1] = i end
   end
   local result = {}
   for given = 0, 2 ^ #optional - 1 do
      local dropped, count = {}, 0
      for i in pairs(fixed) do dropped[i] = true end
      for bit = 1, #optional do
         if math.floor(given / 2 ^ (bit - 1)) % 2 == 0 then
            dropped[optional[bit]] = true
            count = count + 1
         end
      end
      result[#result + 1] = {dropped = dropped, count = count, given = given}
   end
   table.sort(result, function(a, b)
      if a.count ~= b.count then return a.count < b.count end
      return a.given < b.given
   end)
   return result
end

local function value_when_absent(arg, i, form_var)
   if arg.kind == 'res' or arg.kind == 'out' then return 'new_tensor(D)' end
   if arg.kind == 'out_long' then return 'new_tensor(4)' end
   if arg.kind == 'new' then return 'new_tensor(D)' end
   if arg.kind == 'new_int' then return 'new_tensor(3)' end
   if arg.kind == 'src' then return 'a1' end   -- only the method face omits it: self
   if arg.kind == 'generator' then return 'dispatch.default_generator' end
   if type(arg.default) == 'function' then
      return string.format('%s[%d].default(%s)', form_var, i, '__EARLIER__')
   end
   return string.format('%s[%d].default', form_var, i)
end

local MAX_ARGS = 10

-- Generates the dispatcher of one face (method or function) of a declaration.
local function generate(name, forms, method)
   local lines = {}
   local function emit(...) lines[#lines + 1] = string.format(...) end
   local params = {}
   for i = 1, MAX_ARGS do params[i] = 'a' .. i end
   emit('local dispatch, forms, is_tensor, is_generator, new_tensor, fail = ...')
   if method then
      -- the method face is made once per class, whose element type D it checks against,
      -- as the original's methods did: x.lt(bytes, x, v) writes x's comparison into bytes
      emit('return function(D)')
   end
   emit('return function(%s)', table.concat(params, ', '))
   emit('  local n = %s', (function()
      local parts = {}
      for i = MAX_ARGS, 1, -1 do parts[#parts + 1] = string.format('(a%d ~= nil and %d)', i, i) end
      return table.concat(parts, ' or ') .. ' or 0'
   end)())
   if not method then
      emit('  local D = is_tensor(a1) and a1._dtype or is_tensor(a2) and a2._dtype'
           .. ' or dispatch.default_dtype')
   end
   for f, form in ipairs(forms) do
      local form_var = string.format('forms[%d]', f)
      for _, pattern in ipairs(patterns(form, method)) do
         local conds, values, actual = {}, {}, 0
         local fixed = 0
         for _, arg in ipairs(form) do if INVISIBLE[arg.kind] then fixed = fixed + 1 end end
         conds[1] = 'n == ' .. (#form - pattern.count - fixed)
         if form.types then conds[#conds + 1] = form_var .. '.types[D]' end
         for i, arg in ipairs(form) do
            if pattern.dropped[i] then
               local earlier = {}
               for j = 1, i - 1 do earlier[j] = 'v' .. j end
               values[i] = (value_when_absent(arg, i, form_var):gsub('__EARLIER__',
                  table.concat(earlier, ', ')))
            else
               actual = actual + 1
               local spec = string.format('%s[%d]', form_var, i)
               local test = TESTS[arg.kind]:gsub('%%s', 'a' .. actual):gsub('@', spec)
               if arg.ndim then test = test .. ' and a' .. actual .. '._ndim == ' .. arg.ndim end
               conds[#conds + 1] = test
               values[i] = 'a' .. actual
               if arg.kind == 'char' then
                  values[i] = string.format('%s.letters[a%d:byte()]', spec, actual)
               end
            end
         end
         emit('  if %s then', table.concat(conds, ' and '))
         local vars = {}
         for i = 1, #form do
            emit('    local v%d = %s', i, values[i])
            vars[i] = 'v' .. i
         end
         emit('    return %s.impl(%s)', form_var, table.concat(vars, ', '))
         emit('  end')
      end
   end
   emit('  return fail(n, D, %s)', table.concat(params, ', '))
   emit('end')
   if method then emit('end') end
   return table.concat(lines, '\n')
end

local function type_label(x)
   if is_tensor(x) then return core.TYPE_NAMES[x._dtype] .. 'Tensor' end
   local t = torch.typename(x)
   if t then return (t:gsub('^torch%.', '')) end
   return type(x)
end

local TENSOR_KINDS = {res = true, out = true, out_long = true, src = true, tensor = true,
                      long_tensor = true, byte_tensor = true, given = true, given_int = true}

local function takes_tensors(form)
   for _, arg in ipairs(form) do
      if TENSOR_KINDS[arg.kind] then return true end
   end
   return false
end

local function failure(name, forms, method)
   return function(n, D, ...)
      local given = {}
      for i = 1, n do given[i] = type_label((select(i, ...))) .. ' ' end
      local tname = core.TYPE_NAMES[D] .. 'Tensor'
      local tensor_given = false
      for i = 1, n do tensor_given = tensor_given or is_tensor((select(i, ...))) end
      local expected = {}
      for _, form in ipairs(forms) do
         if (not form.types or form.types[D]) and (takes_tensors(form) or not tensor_given) then
            local words = {}
            for _, arg in ipairs(form) do
               if not INVISIBLE[arg.kind] then
                  words[#words + 1] = describe(arg, method, tname)
               end
            end
            expected[#expected + 1] = table.concat(words, ' ')
         end
      end
      if #expected == 0 then
         error(string.format('torch.%s does not implement the torch.%s() function', tname,
            name), 2)
      end
      -- level 2: the dispatchers reach here by tail calls, which leave no frame of their own
      error(string.format('invalid arguments: %s\nexpected arguments: %s',
         table.concat(given), table.concat(expected, ' | ')), 2)
   end
end

local function is_generator(x)
   return torch.typename(x) == 'torch.Generator'
end

local function compile(name, forms, method)
   local source = generate(name, forms, method)
   local chunk = assert(loadstring(source, '=[dispatch ' .. name .. ']'))
   return chunk(dispatch, forms, is_tensor, is_generator, new_tensor, failure(name, forms, method))
end

-- A set of dtype codes from type names ('Float', 'Double', ...), for form.types.
function dispatch.types(...)
   local set = {}
   for _, name in ipairs({...}) do set[core.DTYPE[name]] = true end
   return set
end
dispatch.FLOATING = dispatch.types('Float', 'Double')

-- The type codes some form of a declaration accepts (nil: every type).
local function accepted_types(forms)
   local union = {}
   for _, form in ipairs(forms) do
      if not form.types then return nil end
      for code in pairs(form.types) do union[code] = true end
   end
   return union
end

-- A function that compiles its dispatcher when first called: start-up then pays only for
-- what a script uses (the library declares hundreds). The call is a tail call, so that
-- errors still blame the caller.
local function lazily(build)
   local dispatcher
   return function(...)
      dispatcher = dispatcher or build()
      return dispatcher(...)
   end
end

-- Declares `name`: torch.name, and the method on the tensor classes of the types its forms
-- accept. forms: a list of {kind..., impl = f[, types = set]}; opts.method_forms replaces
-- them for the method where the two faces differ (as addmm's); opts.method = false or
-- opts.func = false leaves one face out.
function dispatch.define(name, forms, opts)
   opts = opts or {}
   if opts.func ~= false then
      torch[name] = lazily(function() return compile(name, forms, false) end)
   end
   if opts.method ~= false then
      -- forms on plain numbers (torch.sqrt(4)) have no method face
      local method_forms = {}
      for _, form in ipairs(opts.method_forms or forms) do
         if takes_tensors(form) then method_forms[#method_forms + 1] = form end
      end
      local make
      local types = accepted_types(method_forms)
      for code = 0, 7 do
         if types == nil or types[code] then
            core.add_tensor_method(name, lazily(function()
               make = make or compile(name, method_forms, true)
               return make(code)
            end), {[code] = true})
         end
      end
   end
end

dispatch._generate = generate   -- for tests and for reading what a declaration becomes

return dispatch
