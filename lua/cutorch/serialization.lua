-- .t7 files: CudaTensor and CudaStorage are written as cutorch wrote them, in the CPU
-- layout under their Cuda names (values copied from the device as floats), and read back
-- onto the current device.

local core = require 'cutorch.core'
local C = core.C

local Storage = torch.getmetatable('torch.CudaStorage')
local Tensor = core.Tensor

function Storage.write(self, file)
   self:float():write(file)
end

function Storage.read(self, file)
   local cpu = torch.FloatStorage()
   cpu:read(file)
   self:resize(cpu:size()):copy(cpu)
end

function Tensor.write(self, file)
   file:writeInt(self:dim())
   file:writeLong(self:size())
   file:writeLong(self:stride())
   file:writeLong(self:storageOffset())
   file:writeObject(self:storage())
end

function Tensor.read(self, file)
   local ndim = file:readInt()
   if ndim < 0 or ndim > 32 then
      error(string.format('corrupt file: a tensor of %d dimensions', ndim), 0)
   end
   local size = ndim > 0 and file:readLong(ndim) or torch.LongStorage()
   local stride = ndim > 0 and file:readLong(ndim) or torch.LongStorage()
   local offset = file:readLong()
   local storage = file:readObject()
   if storage == nil then return end
   if not core.is_storage(storage) then
      error('corrupt file: a CudaTensor\'s storage is a ' .. torch.type(storage), 0)
   end
   for d = 1, ndim do
      core.sizes[d - 1], core.strides[d - 1] = size[d], stride[d]
   end
   if C.t7cu_tensor_set(self, storage, offset - 1, ndim, core.sizes, core.strides) ~= 0 then
      error('corrupt file: ' .. core.last_error(), 0)
   end
end
