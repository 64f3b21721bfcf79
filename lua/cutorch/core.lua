-- The CUDA extension as LuaJIT sees it: its C ABI (cython_ext/cuda/t7_cuda_abi.h) bound
-- through the FFI, or a clear error saying why it cannot be: not built, not loadable, or no
-- GPU. Nothing else of cutorch runs before this file succeeds.

local ffi = require 'ffi'
local torch_core = require 'torch.core'

local boot = package.loaded['torch7_compat.boot']

-- Lua 5.1's require leaves a marker for a module that failed, and a second require would
-- then report only "loop or previous error": the markers go, so each try says why.
local function unavailable(reason)
   for _, name in ipairs({'cutorch.core', 'cutorch', 'cunn', 'cudnn'}) do
      package.loaded[name] = nil
   end
   error('cutorch: ' .. reason, 0)
end

local path, header = boot.cuda_library()
if not path then unavailable(header) end

-- A second require after a failure finds the declarations made already.
if not pcall(ffi.typeof, 'T7CudaTensor') then
   ffi.cdef((torch_core.lua_view_of(header)))
end

local loaded, C = pcall(ffi.load, path)
if not loaded then
   unavailable('the CUDA extension could not be loaded (' .. tostring(C) .. '); is the '
      .. 'nvidia-cublas-cu12 package installed (pip install "torch7_compat[cuda]")?')
end

local count = ffi.new('int32_t[1]')
if C.t7cu_device_count(count) ~= 0 then
   unavailable('no usable CUDA GPU found: ' .. ffi.string(C.t7cu_last_error())
      .. '; run on the CPU (e.g. -gpuid -1)')
end
if count[0] == 0 then
   unavailable('no CUDA GPU found (the CUDA extension is built, but the driver reports no '
      .. 'device); run on the CPU (e.g. -gpuid -1)')
end

local core = {C = C, ffi = ffi, device_count = count[0]}

core.TensorRef = ffi.typeof('T7CudaTensor &')
core.StorageRef = ffi.typeof('T7CudaStorage &')
local T7CudaTensor, T7CudaStorage = ffi.typeof('T7CudaTensor'), ffi.typeof('T7CudaStorage')
local TensorPtr, StoragePtr = ffi.typeof('T7CudaTensor *'), ffi.typeof('T7CudaStorage *')

function core.last_error()
   return ffi.string(C.t7cu_last_error())
end

-- Raises the extension's last error, blamed `level` frames up (2: the caller's caller).
function core.check(status, level)
   if status ~= 0 then error(core.last_error(), (level or 2) + 1) end
end

function core.is_tensor(x) return ffi.istype(T7CudaTensor, x) end
function core.is_storage(x) return ffi.istype(T7CudaStorage, x) end

local release_tensor, release_storage = C.t7cu_tensor_release, C.t7cu_storage_release

-- The Lua object for a C tensor (or storage) whose reference this side now owns.
function core.own_tensor(ptr)
   if ptr == nil then error(core.last_error(), 3) end
   return ffi.gc(ffi.cast(core.TensorRef, ptr), release_tensor)
end

function core.own_storage(ptr)
   if ptr == nil then error(core.last_error(), 3) end
   return ffi.gc(ffi.cast(core.StorageRef, ptr), release_storage)
end

function core.new_tensor()
   return core.own_tensor(C.t7cu_tensor_new())
end

-- torch.pointer for CUDA objects: the address of the C struct.
local cpu_address = torch_core.address
function torch_core.address(x)
   if ffi.istype(T7CudaTensor, x) then
      return tonumber(ffi.cast('uintptr_t', ffi.cast(TensorPtr, x)))
   elseif ffi.istype(T7CudaStorage, x) then
      return tonumber(ffi.cast('uintptr_t', ffi.cast(StoragePtr, x)))
   end
   return cpu_address(x)
end

-- Scratch outputs for functions returning numbers through pointers.
core.out1 = ffi.new('double[1]')
core.out2 = ffi.new('double[1]')
core.sizes = ffi.new('int64_t[32]')
core.strides = ffi.new('int64_t[32]')

return core
