-- The serialization that carries jobs, their arguments and their results between the Lua
-- states of a thread pool (threads.serialize and threads.sharedserialize are its two
-- modes). As the original's, it carries values by copy: tables (cycles and shared parts
-- kept), functions with their upvalues (as bytecode: a function runs in the globals of the
-- state that receives it), torch objects (their class found by name there), tensors and
-- storages; objects of classes that are not tables go as the parts their class's __share
-- gives (tds.AtomicCounter), or else as .t7 bytes (tds containers). Shared mode passes
-- tensors and storages by reference instead, with no copy.
--
-- Unlike the original, a loaded package, a function or table found directly in one
-- (`local insert = table.insert`, `local nn = require 'nn'`) and a torch class travel by
-- name, and the receiving state uses its own: C functions can then be upvalues too.

local ffi = require 'ffi'
require 'torch'
local core = require 'torch.core'
local classes = require 'torch.serialization_classes'
local C = core.C

local serializer = {}

local SEPARATOR = '\0'

-------------------------------------------------------------------------------------------
-- values that travel by name

local names, names_for = nil, -1

local function count_packages()
   local n = 0
   for _ in pairs(package.loaded) do n = n + 1 end
   return n
end

-- value -> name for every loaded package, its direct fields that are functions or tables,
-- and every torch class; rebuilt when packages were loaded since.
local function named_values()
   local packages = count_packages()
   if names and names_for == packages then return names end
   names, names_for = {}, packages
   for package_name, package in pairs(package.loaded) do
      if type(package) == 'table' and type(package_name) == 'string' then
         for k, v in pairs(package) do
            local kind = type(v)
            if type(k) == 'string' and (kind == 'function' or kind == 'table')
                  and names[v] == nil then
               names[v] = 'field' .. SEPARATOR .. package_name .. SEPARATOR .. k
            end
         end
      end
   end
   -- packages themselves win over a field holding them (_G.torch is the torch package)
   for package_name, package in pairs(package.loaded) do
      if type(package) == 'table' and type(package_name) == 'string' then
         names[package] = 'package' .. SEPARATOR .. package_name
      end
   end
   return names
end

local function class_name_of_metatable(v)
   local name = rawget(v, '__typename')
   if type(name) == 'string' and torch.getmetatable(name) == v then return name end
end

local function load_package(name)
   local package = package.loaded[name]
   if package == nil then package = require(name) end
   return package
end

local function class_metatable(name)
   local mt = torch.getmetatable(name)
   if not mt then
      pcall(require, name:match('^[^.]+'))
      mt = torch.getmetatable(name)
   end
   if not mt then error('unknown Torch class <' .. name .. '>') end
   return mt
end

local function value_named(name)
   local kind, first, second = name:match('^(%a+)%z([^%z]*)%z?(.*)$')
   if kind == 'package' then return load_package(first) end
   if kind == 'field' then
      local value = load_package(first)[second]
      if value == nil then error('no ' .. first .. '.' .. second .. ' in this thread') end
      return value
   end
   if kind == 'class' then return class_metatable(first) end
   error('bad name in serialized data: ' .. name)
end

-------------------------------------------------------------------------------------------
-- writing

local function number_text(x)
   if x ~= x then return 'nan' end
   if x == math.huge then return 'inf' end
   if x == -math.huge then return '-inf' end
   return string.format('%.17g', x)
end

-- A writer appends the text of values to its list of pieces; `refs` numbers the tables,
-- functions, tensors and storages already written, so that shared parts and cycles are
-- written once.
local Writer = {}
Writer.__index = Writer

local function new_writer(shared)
   return setmetatable({out = {}, n = 0, refs = {}, nrefs = 0, named = named_values(),
                        shared = shared}, Writer)
end

function Writer:put(s)
   local n = self.n + 1
   self.n = n
   self.out[n] = s
end

function Writer:field(s)
   self:put(#s .. ':')
   self:put(s)
end

function Writer:storage(s)
   self:put('S')
   self:field(tostring(s._dtype))
   self:field(tostring(tonumber(s._size)))
   self:field(ffi.string(s._data, tonumber(s._size) * C.t7_element_size(s._dtype)))
end

function Writer:tensor(t)
   self:put('X')
   self:field(tostring(t._dtype))
   self:field(tostring(t._ndim))
   for d = 0, t._ndim - 1 do
      self:field(tostring(tonumber(t._size[d])))
      self:field(tostring(tonumber(t._stride[d])))
   end
   if t._ndim > 0 then
      self:field(tostring(tonumber(t._offset)))
      self:write(t:storage())
   end
end

function Writer:shared_reference(v, kind)
   if kind == 'tensor' then C.t7_tensor_retain(v) else C.t7_storage_retain(v) end
   self:put('P')
   self:field(kind)
   self:field(string.format('%.0f', core.address(v)))
end

function Writer:func(f)
   local ok, code = pcall(string.dump, f)
   if not ok then
      error('cannot serialize a C function that no loaded package holds (' ..
         tostring(f) .. ')', 0)
   end
   self:put('F')
   self:field(code)
   local count = debug.getinfo(f, 'u').nups
   self:field(tostring(count))
   for i = 1, count do
      local _, value = debug.getupvalue(f, i)
      self:write(value)
   end
end

function Writer:table(t)
   local typename = torch.typename(t)
   if typename then
      self:put('O')
      self:field(typename)
   else
      self:put('T')
   end
   for k, v in next, t do
      self:write(k)
      self:write(v)
   end
   self:put('e')
end

function Writer:write(v)
   local kind = type(v)
   if v == nil then return self:put('n') end
   if kind == 'boolean' then return self:put(v and 't' or 'f') end
   if kind == 'number' then
      self:put('d')
      return self:field(number_text(v))
   end
   if kind == 'string' then
      self:put('s')
      return self:field(v)
   end
   -- a storage is a new cdata each time it is asked for: known by its address
   local key = v
   if core.is_storage(v) then key = 'storage ' .. core.address(v) end
   local ref = self.refs[key]
   if ref then
      self:put('r')
      return self:field(tostring(ref))
   end
   local name = self.named[v]
   if name == nil and kind == 'table' then
      local class = class_name_of_metatable(v)
      if class then name = 'class' .. SEPARATOR .. class end
   end
   if name then
      self:put('g')
      return self:field(name)
   end
   self.nrefs = self.nrefs + 1
   self.refs[key] = self.nrefs
   if kind == 'table' then return self:table(v) end
   if kind == 'function' then return self:func(v) end
   if core.is_tensor(v) then
      if self.shared then return self:shared_reference(v, 'tensor') end
      return self:tensor(v)
   end
   if core.is_storage(v) then
      if self.shared then return self:shared_reference(v, 'storage') end
      return self:storage(v)
   end
   local class = torch.typename(v) and torch.getmetatable(torch.typename(v))
   if class and rawget(class, '__share') then
      -- a class that says what to send for its objects (tds.AtomicCounter): those parts
      self:put('H')
      self:field(torch.typename(v))
      return self:write(class.__share(v))
   end
   if class and torch.factory(torch.typename(v)) then
      -- other classes' objects (tds containers): their own .t7 serialization, a copy
      self:put('C')
      return self:field(torch.serialize(v))
   end
   error('cannot serialize a ' .. torch.type(v), 0)
end

function Writer:text()
   return table.concat(self.out, '', 1, self.n)
end

-------------------------------------------------------------------------------------------
-- reading

local Reader = {}
Reader.__index = Reader

local function new_reader(data)
   return setmetatable({data = data, position = 1, refs = {}, nrefs = 0}, Reader)
end

function Reader:tag()
   local position = self.position
   self.position = position + 1
   return self.data:sub(position, position)
end

function Reader:field()
   local data = self.data
   local colon = data:find(':', self.position, true)
   local length = tonumber(data:sub(self.position, colon - 1))
   self.position = colon + length + 1
   return data:sub(colon + 1, colon + length)
end

function Reader:number_field()
   return tonumber(self:field())
end

-- Numbers a value read, in the order the writer numbered them; returns the slot.
function Reader:remember(v)
   self.nrefs = self.nrefs + 1
   self.refs[self.nrefs] = v
   return self.nrefs
end

function Reader:storage()
   local dtype, size = self:number_field(), self:number_field()
   local bytes = self:field()
   local s = torch[core.TYPE_NAMES[dtype] .. 'Storage'](size)
   self:remember(s)
   if size > 0 then ffi.copy(s._data, bytes, #bytes) end
   return s
end

function Reader:tensor()
   local dtype, ndim = self:number_field(), self:number_field()
   local constructor = torch[core.TYPE_NAMES[dtype] .. 'Tensor']
   local slot = self:remember(false)
   if ndim == 0 then
      local t = constructor()
      self.refs[slot] = t
      return t
   end
   local sizes, strides = torch.LongStorage(ndim), torch.LongStorage(ndim)
   for d = 1, ndim do
      sizes[d] = self:number_field()
      strides[d] = self:number_field()
   end
   local offset = self:number_field()
   local storage = self:read()
   local t = constructor(storage, offset + 1, sizes, strides)
   self.refs[slot] = t
   return t
end

function Reader:shared_reference()
   local kind = self:field()
   local address = self:number_field()
   local v
   if kind == 'tensor' then
      v = core.own_tensor(ffi.cast('T7Tensor *', address))
   else
      v = core.own_storage(ffi.cast('T7Storage *', address))
   end
   self:remember(v)
   return v
end

function Reader:func()
   local f = assert(loadstring(self:field()))
   self:remember(f)
   for i = 1, self:number_field() do debug.setupvalue(f, i, self:read()) end
   return f
end

function Reader:table(typename)
   local t = {}
   self:remember(t)
   local data = self.data
   while data:sub(self.position, self.position) ~= 'e' do
      local k = self:read()
      rawset(t, k, self:read())
   end
   self.position = self.position + 1
   if typename then setmetatable(t, class_metatable(typename)) end
   return t
end

local SPECIAL_NUMBERS = {nan = 0 / 0, inf = math.huge, ['-inf'] = -math.huge}

function Reader:read()
   local t = self:tag()
   if t == 'n' then return nil end
   if t == 't' then return true end
   if t == 'f' then return false end
   if t == 'd' then
      local text = self:field()
      return SPECIAL_NUMBERS[text] or tonumber(text)
   end
   if t == 's' then return self:field() end
   if t == 'r' then return self.refs[self:number_field()] end
   if t == 'g' then return value_named(self:field()) end
   if t == 'T' then return self:table(nil) end
   if t == 'O' then return self:table(self:field()) end
   if t == 'F' then return self:func() end
   if t == 'X' then return self:tensor() end
   if t == 'S' then return self:storage() end
   if t == 'P' then return self:shared_reference() end
   if t == 'C' then
      local v = torch.deserialize(self:field())
      self:remember(v)
      return v
   end
   if t == 'H' then
      local name = self:field()
      classes.resolve(name)      -- loads our package declaring it (tds) if need be
      local class = torch.getmetatable(name)
      if not class then error('unknown Torch class <' .. name .. '>', 0) end
      local slot = self:remember(false)
      local v = class.__unshare(self:read())
      self.refs[slot] = v
      return v
   end
   error('bad serialized data (tag ' .. t .. ')')
end

-------------------------------------------------------------------------------------------
-- the two modes, with the original's interface: save(value) gives a ByteStorage, load
-- takes it back

function serializer.mode(shared)
   local mode = {}

   function mode.save(value)
      local writer = new_writer(shared)
      writer:write(value)
      local bytes = writer:text()
      local storage = torch.ByteStorage(#bytes)
      ffi.copy(storage._data, bytes, #bytes)
      return storage
   end

   function mode.load(storage)
      local bytes = ffi.string(storage._data, tonumber(storage._size))
      return new_reader(bytes):read()
   end

   return mode
end

return serializer
