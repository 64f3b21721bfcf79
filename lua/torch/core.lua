-- The tensor core as LuaJIT sees it: the C ABI (cython_ext/t7_abi.h) bound through the FFI.
--
-- torch7_compat's Python side loads the extension module and leaves its path and the ABI
-- header in package.loaded['torch7_compat.boot'] before any Lua code runs.

local ffi = require 'ffi'

local boot = package.loaded['torch7_compat.boot']
if type(boot) ~= 'table' then
   error('torch7_compat: the tensor core is reached through `th` or `import torch7_compat`', 2)
end

-- ffi.cdef takes no preprocessor lines. The tensor and storage fields become const for Lua,
-- so that Lua code can read geometry directly but only the C side can change it.
local function lua_view_of(header)
   header = header:gsub('\n#[^\n]*', '\n')
   return (header:gsub('(typedef struct T7%w+ {.-})', function(body)
      body = body:gsub('\n(%s+)([%w_]+ %*)(_[%w_]+;)', '\n%1%2const %3')
      body = body:gsub('\n(%s+)([%w_]+ )(_[%w_]+[%[%d%]]*;)', '\n%1const %2%3')
      return body
   end))
end

ffi.cdef((lua_view_of(boot.abi_header)))
local C = ffi.load(boot.core_path)

if ffi.sizeof('T7Tensor') ~= boot.tensor_struct_size then
   error(string.format('torch7_compat: the ABI header (%d-byte tensors) does not match the '
      .. 'compiled core (%d-byte tensors): rebuild the package', ffi.sizeof('T7Tensor'),
      boot.tensor_struct_size))
end

local core = {C = C, ffi = ffi}
-- the same reading of other ABI headers (cutorch's)
core.lua_view_of = lua_view_of

-- Lua holds tensors and storages as C references (`T7Tensor &`), not pointers: indexing a
-- pointer with a number is pointer arithmetic in the FFI, while a reference leaves t[i] to
-- the metatype's __index. C functions taking pointers accept references as they are.
core.TensorRef = ffi.typeof('T7Tensor &')
core.StorageRef = ffi.typeof('T7Storage &')
local TensorPtr, StoragePtr = ffi.typeof('T7Tensor *'), ffi.typeof('T7Storage *')

-- Element types in Torch7's order; dtype codes index these lists from 0.
core.TYPE_NAMES = {[0] = 'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double', 'Half'}
core.C_TYPES = {[0] = 'unsigned char', 'char', 'short', 'int', 'long', 'float', 'double',
                'uint16_t'}
core.DTYPE = {}
for code = 0, 7 do core.DTYPE[core.TYPE_NAMES[code]] = code end
core.POINTER_TYPES = {}
for code = 0, 7 do core.POINTER_TYPES[code] = ffi.typeof(core.C_TYPES[code] .. ' *') end

function core.last_error()
   return ffi.string(C.t7_last_error())
end

-- Raises the core's last error as a Lua error, blaming the caller `level` frames up
-- (2: the caller of the function that calls this).
function core.raise(level)
   error(core.last_error(), (level or 2) + 1)
end

-- Reading a double into a Lua number. LuaJIT keeps its own type tags in the bits of NaNs
-- above 0xfff8000000000000 (its canonical NaN); a stored double with such bits (a NaN with
-- a payload, from numpy or a file) would be read as some other type and crash the process.
-- Such values are read as the canonical NaN instead; floats convert to doubles keeping their
-- payload, so a negative float NaN is caught the same way.
local bits64, bits32 = ffi.typeof('uint64_t *'), ffi.typeof('uint32_t *')
local LUAJIT_NAN64, NEGATIVE_INFINITY32 = 0xfff8000000000000ULL, 0xff800000
function core.load_double(p)
   if ffi.cast(bits64, p)[0] > LUAJIT_NAN64 then return 0 / 0 end
   return p[0]
end
function core.load_float(p)
   if ffi.cast(bits32, p)[0] > NEGATIVE_INFINITY32 then return 0 / 0 end
   return p[0]
end

-- The number a C function left in a scratch output (below), read safely.
function core.result(buffer)
   return core.load_double(buffer)
end

-- Scratch outputs for functions returning numbers through pointers. One Lua state runs one
-- thread at a time, so one buffer per state is enough.
core.out1 = ffi.new('double[1]')
core.out2 = ffi.new('double[1]')
core.sizes = ffi.new('int64_t[32]')
core.strides = ffi.new('int64_t[32]')

-- Tensor memory lives outside Lua's heap: when it outgrows the limit the core keeps, run a
-- full collection so that unreachable tensors give their memory back (setheaptracking).
local heap = C.t7_heap()
core.heap_tracking = true
function core.check_heap()
   if core.heap_tracking and heap.allocated > heap.soft_limit then
      collectgarbage('collect')
      C.t7_heap_collected()
   end
end

-- The Lua object for a C tensor (or storage) whose reference this side now owns.
local release_tensor, release_storage = C.t7_tensor_release, C.t7_storage_release
local TensorRef, StorageRef = core.TensorRef, core.StorageRef
function core.own_tensor(ptr)
   return ffi.gc(ffi.cast(TensorRef, ptr), release_tensor)
end
function core.own_storage(ptr)
   return ffi.gc(ffi.cast(StorageRef, ptr), release_storage)
end

function core.new_tensor(dtype)
   core.check_heap()
   local t = C.t7_tensor_new(dtype)
   if t == nil then core.raise(2) end
   return ffi.gc(ffi.cast(TensorRef, t), release_tensor)
end

local T7Tensor, T7Storage = ffi.typeof('T7Tensor'), ffi.typeof('T7Storage')
function core.is_tensor(x)
   return ffi.istype(T7Tensor, x)
end

function core.is_storage(x)
   return ffi.istype(T7Storage, x)
end

-- The C address of a tensor or storage, as a number.
function core.address(x)
   if ffi.istype(T7Tensor, x) then x = ffi.cast(TensorPtr, x)
   elseif ffi.istype(T7Storage, x) then x = ffi.cast(StoragePtr, x) end
   -- through a pointer: other classes' objects (tds containers) are struct values
   return tonumber(ffi.cast('uintptr_t', ffi.cast('const void *', x)))
end

return core
