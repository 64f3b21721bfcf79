-- Torch7's class system (luaT): named classes with single inheritance, a registry by name,
-- constructor tables, and operator overloading through __add__-style methods.
--
-- A class is its metatable: it holds the methods, __typename, __version, and its parent as
-- its own metatable. torch.class(name[, parent][, module]) returns (metatable, parent).

local core = require 'torch.core'

local torch = torch

local registry = {}            -- class name -> metatable
local constructors = {}        -- class name -> constructor table
local special_typename = {}    -- cdata classes (tensors, storages...): function(obj) -> name

local OPERATORS = {
   __add = {'__add__', 'addition'}, __sub = {'__sub__', 'subtraction'},
   __mul = {'__mul__', 'multiplication'}, __div = {'__div__', 'division'},
   __mod = {'__mod__', 'modulo'}, __pow = {'__pow__', 'power'},
   __concat = {'__concat__', 'concatenation'},
   __lt = {'__lt__', 'comparison'}, __le = {'__le__', 'comparison'},
}

local function typename_of(obj)
   local kind = type(obj)
   if kind == 'table' or kind == 'userdata' then
      local mt = getmetatable(obj)
      if type(mt) == 'table' then return rawget(mt, '__typename') end
   elseif kind == 'cdata' then
      for _, name_of in ipairs(special_typename) do
         local name = name_of(obj)
         if name then return name end
      end
   end
end

-- Finds a method through the class chain without triggering __index hooks.
local function find_in_chain(mt, key)
   while type(mt) == 'table' do
      local v = rawget(mt, key)
      if v ~= nil then return v end
      mt = getmetatable(mt)
   end
end
core.find_in_chain = find_in_chain

local function install_metamethods(mt, name)
   for event, spec in pairs(OPERATORS) do
      local method, what = spec[1], spec[2]
      mt[event] = function(a, b)
         local f = find_in_chain(getmetatable(a), method) or find_in_chain(getmetatable(b), method)
         if not f then
            error(string.format('both %s and %s have no %s operator',
               torch.type(a), torch.type(b), what), 2)
         end
         return f(a, b)
      end
   end
   mt.__unm = function(a)
      local f = find_in_chain(getmetatable(a), '__unm__')
      if not f then error(string.format('%s has no negation operator', name), 2) end
      return f(a)
   end
   mt.__call = function(self, ...)
      local f = find_in_chain(getmetatable(self), '__call__')
      if not f then error(string.format('attempt to call a %s value', name), 2) end
      return f(self, ...)
   end
   mt.__tostring = function(self)
      local f = find_in_chain(getmetatable(self), '__tostring__')
      if f then return f(self) end
      return name
   end
end

-- Lookup order of the original: the class's own field, then an __index__(self, key) hook
-- answering (value, true), then the parents (each class's metatable is its parent).
local function class_index(mt)
   return function(self, key)
      local v = rawget(mt, key)
      if v ~= nil then return v end
      local hook = find_in_chain(mt, '__index__')
      if hook then
         local value, handled = hook(self, key)
         if handled then return value end
      end
      return find_in_chain(getmetatable(mt), key)
   end
end

local function class_newindex(mt)
   return function(self, key, value)
      local hook = find_in_chain(mt, '__newindex__')
      if hook and hook(self, key, value) then return end
      rawset(self, key, value)
   end
end

-- Records a class under its name, with its constructor table: calling that table builds an
-- instance; reading or writing a field of it reaches the class (nn.Linear.updateOutput,
-- torch.DoubleTensor.myMethod = f).
local function register(name, mt, constructor)
   local ctor = setmetatable({}, {
      __index = mt,
      __newindex = mt,
      __call = function(_, ...) return constructor(...) end,
      __tostring = function() return name end,
      __metatable = mt,
   })
   mt.__constructor = ctor
   registry[name] = mt
   constructors[name] = ctor
   return ctor
end

local function module_slot(name, module)
   local parts = {}
   for part in name:gmatch('[^%.]+') do parts[#parts + 1] = part end
   if module then return module, parts[#parts] end
   local container = _G
   for i = 1, #parts - 1 do
      local next_container = rawget(container, parts[i])
      if next_container == nil then
         next_container = {}
         rawset(container, parts[i], next_container)
      end
      container = next_container
   end
   return container, parts[#parts]
end

function torch.newmetatable(name, parent_name, constructor, destructor, factory, module)
   assert(type(name) == 'string', 'class name expected')
   if registry[name] then error(string.format('%s has been already assigned', name), 2) end
   local parent
   if parent_name then
      parent = registry[parent_name]
      if not parent then error(string.format('bad argument #2 (invalid parent class name %s)',
         tostring(parent_name)), 2) end
   end
   local mt = {}
   mt.__typename = name
   mt.__version = 1
   mt.__index = class_index(mt)
   mt.__newindex = class_newindex(mt)
   mt.__metatable = mt
   mt.__factory = factory
   mt.new = constructor
   install_metamethods(mt, name)
   setmetatable(mt, parent)

   local ctor = register(name, mt, constructor)
   if constructor then
      local container, key = module_slot(name, module)
      rawset(container, key, ctor)
   end
   return mt
end

function torch.class(...)
   local name, parent_name, module
   local n = select('#', ...)
   local a, b, c = ...
   if n == 3 and type(a) == 'string' and type(b) == 'string' and type(c) == 'table' then
      name, parent_name, module = a, b, c
   elseif n == 2 and type(a) == 'string' and type(b) == 'string' then
      name, parent_name = a, b
   elseif n == 2 and type(a) == 'string' and type(b) == 'table' then
      name, module = a, b
   elseif n == 1 and type(a) == 'string' then
      name = a
   else
      error('<class name> [<parent class name>] [<module table>] expected', 2)
   end
   local mt
   local function constructor(...)
      local self = setmetatable({}, mt)
      local init = self.__init
      if init then init(self, ...) end
      return self
   end
   local function factory()
      return setmetatable({}, mt)
   end
   mt = torch.newmetatable(name, parent_name, constructor, nil, factory, module)
   return mt, parent_name and registry[parent_name] or nil
end

-- Registers a class whose instances are not Lua tables (tensors and storages are FFI
-- cdata): the metatable is a method table, typename_of answers for its objects.
function core.register_cdata_class(name, methods, factory, constructor, name_of)
   methods.__typename = name
   methods.__version = methods.__version or 1
   methods.__factory = factory
   methods.new = constructor
   local ctor = register(name, methods, constructor)
   if name_of then special_typename[#special_typename + 1] = name_of end
   return ctor
end

-- Makes `alias` a second name of the class `name` for torch.getmetatable, torch.factory
-- (the .t7 reader) and torch.getconstructortable; objects keep the class's own typename.
function core.alias_class(alias, name)
   registry[alias] = assert(registry[name], 'no class ' .. name)
   constructors[alias] = constructors[name]
end

function torch.getmetatable(name)
   return registry[name]
end

function torch.getconstructortable(name)
   return constructors[name]
end

function torch.factory(name)
   local mt = registry[name]
   return mt and rawget(mt, '__factory') or nil
end

function torch.typename(obj)
   local name = typename_of(obj)
   if name then return name end
end

function torch.type(obj)
   return typename_of(obj) or type(obj)
end

function torch.setmetatable(obj, name)
   local mt = registry[name]
   if not mt then error(string.format('unknown class <%s>', tostring(name)), 2) end
   -- as luaT's, also over an object's current class (whose __metatable protects it)
   return debug.setmetatable(obj, mt)
end

function torch.isTypeOf(obj, spec)
   if type(spec) ~= 'string' then
      spec = getmetatable(spec) and getmetatable(spec).__typename
      assert(type(spec) == 'string', 'type must be provided as [regexp] string, or factory')
   end
   local name = typename_of(obj)
   local mt = name and registry[name]
   while type(mt) == 'table' do
      local tname = rawget(mt, '__typename')
      if tname then
         local match = tname:match(spec)
         if match and (match ~= spec or match == tname) then return true end
      end
      mt = getmetatable(mt)
   end
   return false
end

function torch.isTensor(obj)
   local name = typename_of(obj)
   return name ~= nil and name:find('torch%..*Tensor') ~= nil
end

function torch.isStorage(obj)
   local name = typename_of(obj)
   return name ~= nil and name:find('torch%..*Storage') ~= nil
end

-- The address of the C object (tensors, storages) or of the Lua object: what .t7 files use
-- to recognise an object seen twice.
function torch.pointer(obj)
   if type(obj) == 'cdata' then
      return core.address(obj)
   end
   local kind = type(obj)
   if kind == 'table' or kind == 'userdata' or kind == 'function' or kind == 'thread' then
      return tonumber(string.format('%p', obj))
   end
end

return torch
