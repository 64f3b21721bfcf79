-- The serialization that carries jobs, their arguments and their results between the Lua
-- states of a thread pool (threads.serialize and threads.sharedserialize are its two
-- modes). As the original's, it carries values by copy: tables (cycles and shared parts
-- kept), functions with their upvalues (as bytecode: a function runs in the globals of the
-- state that receives it), torch objects (their class found by name there), tensors and
-- storages. Shared mode passes tensors and storages by reference instead, with no copy.
--
-- Unlike the original, a loaded package, a function or table found directly in one
-- (`local insert = table.insert`, `local nn = require 'nn'`) and a torch class travel by
-- name, and the receiving state uses its own: C functions can then be upvalues too.

local ffi = require 'ffi'
require 'torch'
local core = require 'torch.core'
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

local function writer(shared)
   local out, n = {}, 0
   local refs, nrefs = {}, 0
   local named = named_values()

   local function put(s)
      n = n + 1
      out[n] = s
   end
   local function put_field(s)
      put(#s .. ':')
      put(s)
   end

   local write

   local function write_storage(s)
      put('S')
      put_field(tostring(s._dtype))
      put_field(tostring(tonumber(s._size)))
      put_field(ffi.string(s._data, tonumber(s._size) * C.t7_element_size(s._dtype)))
   end

   local function write_tensor(t)
      put('X')
      put_field(tostring(t._dtype))
      put_field(tostring(t._ndim))
      for d = 0, t._ndim - 1 do
         put_field(tostring(tonumber(t._size[d])))
         put_field(tostring(tonumber(t._stride[d])))
      end
      if t._ndim > 0 then
         put_field(tostring(tonumber(t._offset)))
         write(t:storage())
      end
   end

   local function write_shared(v, kind)
      if kind == 'tensor' then C.t7_tensor_retain(v) else C.t7_storage_retain(v) end
      put('P')
      put_field(kind)
      put_field(string.format('%.0f', core.address(v)))
   end

   local function write_function(f)
      local ok, code = pcall(string.dump, f)
      if not ok then
         error('cannot serialize a C function that no loaded package holds (' ..
            tostring(f) .. ')', 0)
      end
      put('F')
      put_field(code)
      local count = debug.getinfo(f, 'u').nups
      put_field(tostring(count))
      for i = 1, count do
         local _, value = debug.getupvalue(f, i)
         write(value)
      end
   end

   local function write_table(t)
      local typename = torch.typename(t)
      if typename then
         put('O')
         put_field(typename)
      else
         put('T')
      end
      for k, v in next, t do
         write(k)
         write(v)
      end
      put('e')
   end

   function write(v)
      local kind = type(v)
      if v == nil then return put('n') end
      if kind == 'boolean' then return put(v and 't' or 'f') end
      if kind == 'number' then
         put('d')
         return put_field(number_text(v))
      end
      if kind == 'string' then
         put('s')
         return put_field(v)
      end
      -- a storage is a new cdata each time it is asked for: known by its address
      local key = v
      if core.is_storage(v) then key = 'storage ' .. core.address(v) end
      if refs[key] then
         put('r')
         return put_field(tostring(refs[key]))
      end
      local name = named[v]
      if name == nil and kind == 'table' then
         local class = class_name_of_metatable(v)
         if class then name = 'class' .. SEPARATOR .. class end
      end
      if name then
         put('g')
         return put_field(name)
      end
      nrefs = nrefs + 1
      refs[key] = nrefs
      if kind == 'table' then return write_table(v) end
      if kind == 'function' then return write_function(v) end
      if core.is_tensor(v) then
         if shared then return write_shared(v, 'tensor') end
         return write_tensor(v)
      end
      if core.is_storage(v) then
         if shared then return write_shared(v, 'storage') end
         return write_storage(v)
      end
      error('cannot serialize a ' .. torch.type(v), 0)
   end

   return write, function() return table.concat(out, '', 1, n) end
end

-------------------------------------------------------------------------------------------
-- reading

local function reader(data)
   local position = 1
   local refs = {}

   local function tag()
      local t = data:sub(position, position)
      position = position + 1
      return t
   end
   local function field()
      local colon = data:find(':', position, true)
      local length = tonumber(data:sub(position, colon - 1))
      local s = data:sub(colon + 1, colon + length)
      position = colon + length + 1
      return s
   end
   local function number_field() return tonumber(field()) end

   local read

   local function read_storage()
      local dtype, size = number_field(), number_field()
      local bytes = field()
      local s = torch[core.TYPE_NAMES[dtype] .. 'Storage'](size)
      refs[#refs + 1] = s
      if size > 0 then ffi.copy(s._data, bytes, #bytes) end
      return s
   end

   local function read_tensor()
      local dtype, ndim = number_field(), number_field()
      local constructor = torch[core.TYPE_NAMES[dtype] .. 'Tensor']
      local slot = #refs + 1
      refs[slot] = false
      if ndim == 0 then
         local t = constructor()
         refs[slot] = t
         return t
      end
      local sizes, strides = torch.LongStorage(ndim), torch.LongStorage(ndim)
      for d = 1, ndim do
         sizes[d] = number_field()
         strides[d] = number_field()
      end
      local offset = number_field()
      local storage = read()
      local t = constructor(storage, offset + 1, sizes, strides)
      refs[slot] = t
      return t
   end

   local function read_shared()
      local kind = field()
      local address = number_field()
      local v
      if kind == 'tensor' then
         v = core.own_tensor(ffi.cast('T7Tensor *', address))
      else
         v = core.own_storage(ffi.cast('T7Storage *', address))
      end
      refs[#refs + 1] = v
      return v
   end

   local function read_function()
      local code = field()
      local f = assert(loadstring(code))
      refs[#refs + 1] = f
      for i = 1, number_field() do debug.setupvalue(f, i, read()) end
      return f
   end

   local function read_table(typename)
      local t = {}
      refs[#refs + 1] = t
      while data:sub(position, position) ~= 'e' do
         local k = read()
         rawset(t, k, read())
      end
      position = position + 1
      if typename then setmetatable(t, class_metatable(typename)) end
      return t
   end

   local NUMBERS = {nan = 0 / 0, inf = math.huge, ['-inf'] = -math.huge}

   function read()
      local t = tag()
      if t == 'n' then return nil end
      if t == 't' then return true end
      if t == 'f' then return false end
      if t == 'd' then
         local text = field()
         return NUMBERS[text] or tonumber(text)
      end
      if t == 's' then return field() end
      if t == 'r' then return refs[number_field()] end
      if t == 'g' then return value_named(field()) end
      if t == 'T' then return read_table(nil) end
      if t == 'O' then return read_table(field()) end
      if t == 'F' then return read_function() end
      if t == 'X' then return read_tensor() end
      if t == 'S' then return read_storage() end
      if t == 'P' then return read_shared() end
      error('bad serialized data (tag ' .. t .. ')')
   end

   return read
end

-------------------------------------------------------------------------------------------
-- the two modes, with the original's interface: save(value) gives a ByteStorage, load
-- takes it back

function serializer.mode(shared)
   local mode = {}

   function mode.save(value)
      local write, result = writer(shared)
      write(value)
      local bytes = result()
      local storage = torch.ByteStorage(#bytes)
      ffi.copy(storage._data, bytes, #bytes)
      return storage
   end

   function mode.load(storage)
      local bytes = ffi.string(storage._data, tonumber(storage._size))
      return reader(bytes)()
   end

   return mode
end

return serializer
