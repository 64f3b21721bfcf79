-- The Lua side of Python's CudaTensor (torch7_compat/cuda_tensor.py): a Python CudaTensor
-- holds a Lua torch.CudaTensor, and each of its operations is one call of a function here.
-- Requiring this file requires cutorch, so it fails with cutorch's reason where CUDA is
-- unavailable.

require 'cutorch'
local core = require 'cutorch.core'
local C, ffi = core.C, core.ffi

local face = {}
local geometry_lists = core.geometry_lists  -- (sizes, strides) as Lua lists

-- (first element's device address or 0, sizes, strides, device counted from 0)
function face.geometry(t)
   local data = t:data()
   local size, stride = geometry_lists(t)
   return data == nil and 0 or tonumber(ffi.cast('uintptr_t', data)), size, stride,
      t:getDevice() - 1
end

function face.from_cpu(t, device)
   if device == nil then return t:cuda() end
   return cutorch.withDevice(device + 1, function() return t:cuda() end)
end

-- A copy on another device (counted from 0).
function face.to_device(t, device)
   return cutorch.withDevice(device + 1, function()
      return torch.CudaTensor(t:size()):copy(t)
   end)
end

function face.to_cpu(t) return t:float() end

-- Makes the work queued on t's memory so far visible to a consumer on CUDA stream `stream`
-- (DLPack's numbering: nil or 1 the legacy default stream, else a stream handle).
function face.ready_for(t, stream)
   local ours = cutorch.getStream()
   if ours == 0 and (stream == nil or stream == 1) then return end
   cutorch.withDevice(t:getDevice(), function() cutorch.streamSynchronize(ours) end)
end

-- A CudaTensor over device memory another library owns: release(context) gives it back
-- when the last tensor over it is gone. The producer has ordered its work before the legacy
-- default stream, which our stream 0 is; other streams of ours do not wait for it.
function face.borrow(data, size, stride, device, context, release)
   if cutorch.getStream() ~= 0 then cutorch.synchronize() end
   local extent = 1
   for d = 1, #size do
      if size[d] == 0 then extent = 0 break end
      extent = extent + (size[d] - 1) * stride[d]
   end
   local storage = core.own_storage(C.t7cu_storage_borrow(ffi.cast('float *', data), extent,
      device, ffi.cast('void (*)(void *)', release), ffi.cast('void *', context)))
   local t = torch.CudaTensor()
   if #size == 0 then return t:set(storage, 1, torch.LongStorage{1}) end
   return t:set(storage, 1, torch.LongStorage(size), torch.LongStorage(stride))
end

-- t:name(...) for the methods Python reaches by name (views, fills, reductions...).
function face.call(t, name, ...)
   return t[name](t, ...)
end

-- New tensors from element-wise arithmetic: a op b, b a number or a CudaTensor.
local ELEMENT_WISE = {add = 'add', sub = 'sub', mul = 'cmul', div = 'cdiv'}
function face.arithmetic(op, a, b, in_place)
   local r = in_place and a or a:clone()
   if type(b) == 'number' then return r[op](r, b) end
   if not r:isSameSizeAs(b) then
      error(string.format('%s: sizes %s and %s differ (CUDA tensors do not broadcast)', op,
         table.concat((geometry_lists(a)), 'x'), table.concat((geometry_lists(b)), 'x')), 2)
   end
   local method = ELEMENT_WISE[op]
   return r[method](r, b)
end

function face.matmul(a, b)
   if a:dim() == 2 and b:dim() == 2 then return torch.CudaTensor():mm(a, b) end
   if a:dim() == 2 and b:dim() == 1 then return torch.CudaTensor():mv(a, b) end
   error(string.format('matmul: %dD @ %dD is not implemented for CUDA tensors (2D @ 2D or '
      .. '2D @ 1D)', a:dim(), b:dim()), 2)
end

return face
