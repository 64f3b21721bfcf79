-- cutorch without CUDA, for callers who asked for it (TORCH7_COMPAT_CUDA_FALLBACK=1): a GPU
-- script then runs unchanged on the CPU. torch.CudaTensor and torch.CudaStorage become other
-- names of torch.FloatTensor and torch.FloatStorage (float32, as on the GPU), :cuda()
-- converts to float, and the cutorch.* functions answer for one device, the CPU. A warning
-- on stderr says so once, with the reason CUDA could not be used.
--
-- Returns a function(reason) that installs the fallback and gives the cutorch table.

local torch_core = require 'torch.core'

local VARIABLE = 'TORCH7_COMPAT_CUDA_FALLBACK'

local fallback = {VARIABLE = VARIABLE}

-- Whether the caller asked for the fallback (the variable set to anything but 0 or empty).
function fallback.requested()
   local value = os.getenv(VARIABLE)
   return value ~= nil and value ~= '' and value ~= '0'
end

-- The system memory as (available, total) bytes: the CPU's answer to getMemoryUsage.
local function system_memory()
   local f = io.open('/proc/meminfo')
   if not f then return 0, 0 end
   local text = f:read('*a')
   f:close()
   local function field(name)
      return (tonumber(text:match(name .. ':%s*(%d+)')) or 0) * 1024
   end
   return field('MemAvailable'), field('MemTotal')
end

local function only_device(name, device)
   if device ~= nil and device ~= 1 then
      error(string.format('%s: device %s does not exist (running on the CPU, one device)',
         name, tostring(device)), 3)
   end
end

local function install(reason)
   io.stderr:write('warning: cutorch: ' .. reason:gsub('^cutorch: ', '')
      .. '\nwarning: running on the CPU instead, as ' .. VARIABLE .. ' asks: '
      .. 'torch.CudaTensor is torch.FloatTensor\n')

   torch_core.alias_class('torch.CudaTensor', 'torch.FloatTensor')
   torch_core.alias_class('torch.CudaStorage', 'torch.FloatStorage')
   torch.CudaTensor = torch.FloatTensor
   torch.CudaStorage = torch.FloatStorage
   torch_core.type_conversion_hooks = torch_core.type_conversion_hooks or {}
   torch_core.type_conversion_hooks['torch.CudaTensor'] = function(t) return t:float() end
   torch_core.add_tensor_method('cuda', function(self) return self:float() end)
   torch_core.add_tensor_method('getDevice', function() return 1 end)

   local cutorch = {cpuFallback = true}
   rawset(_G, 'cutorch', cutorch)

   local seed = torch.initialSeed()
   local stream = 0
   local function nothing() end

   function cutorch.getDeviceCount() return 1 end
   function cutorch.getDevice() return 1 end
   function cutorch.setDevice(device)
      if type(device) ~= 'number' then error('cutorch.setDevice: a device number expected', 2) end
      only_device('cutorch.setDevice', device)
   end
   function cutorch.withDevice(device, f)
      only_device('cutorch.withDevice', device)
      return f()
   end
   cutorch.synchronize, cutorch.synchronizeAll, cutorch.emptyCache = nothing, nothing, nothing
   function cutorch.getMemoryUsage(device)
      only_device('cutorch.getMemoryUsage', device)
      return system_memory()
   end
   function cutorch.getDeviceProperties(device)
      only_device('cutorch.getDeviceProperties', device)
      local free, total = system_memory()
      return {name = 'CPU (cutorch fallback)', major = 0, minor = 0, totalGlobalMem = total,
              freeGlobalMem = free}
   end
   -- one random generator serves both, as CPU and "GPU" draws now come from the same place
   function cutorch.manualSeed(s) seed = s; torch.manualSeed(s) end
   cutorch.manualSeedAll = cutorch.manualSeed
   function cutorch.initialSeed() return seed end
   function cutorch.seed() seed = torch.seed(); return seed end
   cutorch.seedAll = cutorch.seed
   -- streams order work on a GPU; on the CPU everything already runs in order
   local streams = 0
   function cutorch.reserveStreams(n) streams = math.max(streams, n) end
   function cutorch.getNumStreams() return streams end
   function cutorch.setStream(s)
      if s < 0 or s > streams then
         error(string.format('cutorch.setStream: stream %d is not reserved', s), 2)
      end
      stream = s
   end
   function cutorch.getStream() return stream end
   function cutorch.setDefaultStream() stream = 0 end
   cutorch.streamWaitFor, cutorch.streamBarrier = nothing, nothing
   cutorch.streamSynchronize = nothing
   function cutorch.createCudaHostTensor(...) return torch.FloatTensor(...) end
   return cutorch
end

fallback.install = install

-- For cunn: modules converted to 'torch.CudaTensor' (module:cuda()) get FloatTensors.
function fallback.install_nn()
   local recursive_type = nn.utils.recursiveType
   function nn.utils.recursiveType(value, typename, cache)
      if typename == 'torch.CudaTensor' then typename = 'torch.FloatTensor' end
      return recursive_type(value, typename, cache)
   end
end

return fallback
