-- The Lua half of the Python bridge (its Python half: torch7_compat/bridge.py).
--
-- lupa converts nothing beyond numbers, strings and booleans: tensors cross here, by
-- address, each side taking one reference to the C tensor it receives. Lua strings are
-- bytes, and lupa hands them to Python as str, decoded as UTF-8: a string that is not valid
-- UTF-8 crosses as a T7Bytes blob instead, which Python turns into bytes.

require 'torch'
local core = require 'torch.core'
local utf8 = require 'torch7_compat.utf8'
local C, ffi = core.C, core.ffi

local boot = package.loaded['torch7_compat.boot']
local adopt, adopt_cuda = boot.adopt_tensor, boot.adopt_cuda_tensor
local is_tensor = core.is_tensor

local bridge = {}

-- A Lua tensor over the C tensor at `address` (Python keeps its own reference).
function bridge.import_tensor(address)
   local t = ffi.cast('T7Tensor *', address)
   C.t7_tensor_retain(t)
   return core.own_tensor(t)
end

if not pcall(ffi.typeof, 'T7Bytes') then
   ffi.cdef('typedef struct { int64_t length; uint8_t data[?]; } T7Bytes;')
end
local Bytes = ffi.typeof('T7Bytes')
local find = string.find

local function as_bytes(s)
   local b = Bytes(#s)
   b.length = #s
   ffi.copy(b.data, s, #s)
   return b
end

-- (address, length) of a T7Bytes blob's contents, or nil for any other value.
function bridge.bytes(v)
   if ffi.istype(Bytes, v) then
      return tonumber(ffi.cast('uintptr_t', v.data)), tonumber(v.length)
   end
end

-- Python's Tensor (or CudaTensor) for a Lua tensor, T7Bytes for a string Python cannot
-- decode, or the value itself.
local function export(v)
   if type(v) == 'string' then
      if find(v, '[\128-\255]') and not utf8.is_valid(v) then return as_bytes(v) end
      return v
   end
   if is_tensor(v) then
      C.t7_tensor_retain(v)
      return adopt(core.address(v))
   end
   if type(v) == 'cdata' then
      local cuda = package.loaded['cutorch.core']
      if cuda and cuda.is_tensor(v) then return adopt_cuda(v) end
   end
   return v
end
bridge.export = export

local function export_all(...)
   local n = select('#', ...)
   if n <= 1 then return export((...)) end
   local values = {...}
   for i = 1, n do values[i] = export(values[i]) end
   return unpack(values, 1, n)
end

-- Calls f with the given arguments; tensors among the results become Python Tensors.
function bridge.call(f, ...)
   return export_all(f(...))
end

-- obj[key], and whether it is a method to bind to obj: a function found through the class
-- of a torch object (a table or cdata such as a torch.CudaTensor) rather than stored in the
-- object itself.
function bridge.get(obj, key)
   local value = obj[key]
   local kind = type(obj)
   local bind = type(value) == 'function' and torch.typename(obj) ~= nil
      and (kind == 'cdata' or (kind == 'table' and rawget(obj, key) == nil))
   return export(value), bind
end

function bridge.set(obj, key, value)
   obj[key] = value
end

-- What a Lua value is, for the Python proxy.
function bridge.kind(v)
   if is_tensor(v) then return 'tensor' end
   local t = type(v)
   if t == 'table' and torch.typename(v) then return 'object' end
   return t
end

-- A number naming a Lua value, so that two Python proxies of one table, function or
-- userdata compare and hash equal (lupa wraps each crossing anew). Weak keys: the
-- numbering keeps nothing alive.
local identities, last_identity = setmetatable({}, {__mode = 'k'}), 0
function bridge.identity(v)
   local id = identities[v]
   if id == nil then
      last_identity = last_identity + 1
      id = last_identity
      identities[v] = id
   end
   return id
end

function bridge.tostring(v)
   return export(tostring(v))
end

function bridge.length(v)
   return #v
end

-- The key/value pairs of a table, as two lists.
function bridge.items(t)
   local keys, values = {}, {}
   for k, v in pairs(t) do
      keys[#keys + 1] = export(k)
      values[#values + 1] = export(v)
   end
   return keys, values
end

return bridge
