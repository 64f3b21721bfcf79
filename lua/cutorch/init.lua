-- require 'cutorch': torch.CudaTensor / torch.CudaStorage (float32 on the GPU) and the
-- cutorch.* functions of the original (devices counted from 1, streams from 0 = default).
-- Where the CUDA extension is not built or no GPU is present, this require fails with a
-- message saying which (cutorch/core.lua), unless the caller asked for the CPU fallback
-- (cutorch/cpu_fallback.lua).

require 'torch'
local fallback = require 'cutorch.cpu_fallback'
local found, core = pcall(require, 'cutorch.core')
if not found then
   if fallback.requested() then return fallback.install(core) end
   error(core .. '; or set ' .. fallback.VARIABLE .. '=1 to run GPU scripts on the CPU', 0)
end
local C, ffi = core.C, core.ffi
local check = core.check

local cutorch = {}
rawset(_G, 'cutorch', cutorch)

require 'cutorch.Storage'
require 'cutorch.Tensor'
require 'cutorch.TensorMath'
require 'cutorch.serialization'

function cutorch.getDeviceCount()
   return core.device_count
end

function cutorch.setDevice(device)
   if type(device) ~= 'number' then error('cutorch.setDevice: a device number expected', 2) end
   check(C.t7cu_set_device(device - 1))
end

function cutorch.getDevice()
   return C.t7cu_get_device() + 1
end

local function restore_device(previous, ok, ...)
   cutorch.setDevice(previous)
   if not ok then error((...), 0) end
   return ...
end

-- Runs f with `device` current, then restores the previous one.
function cutorch.withDevice(device, f)
   local previous = cutorch.getDevice()
   cutorch.setDevice(device)
   return restore_device(previous, pcall(f))
end

function cutorch.synchronize()
   check(C.t7cu_synchronize())
end
cutorch.synchronizeAll = cutorch.synchronize

-- Free and total bytes of a device (default: the current one), as the original.
function cutorch.getMemoryUsage(device)
   local free, total = ffi.new('int64_t[1]'), ffi.new('int64_t[1]')
   check(C.t7cu_memory_usage((device or cutorch.getDevice()) - 1, free, total))
   return tonumber(free[0]), tonumber(total[0])
end

-- Bytes the caching allocator has handed out and holds (in use + cached) on a device.
function cutorch.getAllocatorStats(device)
   local stats = ffi.new('T7CudaAllocatorStats')
   check(C.t7cu_allocator_stats((device or cutorch.getDevice()) - 1, stats))
   return {allocated = tonumber(stats.allocated), reserved = tonumber(stats.reserved)}
end

function cutorch.emptyCache()
   check(C.t7cu_empty_cache())
end

function cutorch.getDeviceProperties(device)
   local info = ffi.new('T7CudaDeviceInfo')
   check(C.t7cu_device_info(device - 1, info))
   return {
      name = ffi.string(info.name), major = info.major, minor = info.minor,
      multiProcessorCount = info.multi_processor_count, warpSize = info.warp_size,
      totalGlobalMem = tonumber(info.total_global_mem),
      sharedMemPerBlock = tonumber(info.shared_mem_per_block),
      maxThreadsPerBlock = info.max_threads_per_block, clockRate = info.clock_rate_khz,
      freeGlobalMem = (cutorch.getMemoryUsage(device)),
   }
end

-- The GPU random generator: cutorch's own, seeded apart from torch.manualSeed's.
function cutorch.manualSeed(seed)
   check(C.t7cu_manual_seed(seed))
end
cutorch.manualSeedAll = cutorch.manualSeed

function cutorch.initialSeed()
   return tonumber(C.t7cu_initial_seed())
end

function cutorch.seed()
   local seed = math.floor(os.time() * 1000 + os.clock() * 1e6) % 2 ^ 53
   cutorch.manualSeed(seed)
   return seed
end
cutorch.seedAll = cutorch.seed

-- Streams: 0 is the device's default stream, 1..n those reserveStreams(n) made.
function cutorch.reserveStreams(n)
   check(C.t7cu_reserve_streams(n))
end

function cutorch.getNumStreams()
   return C.t7cu_get_num_streams()
end

function cutorch.setStream(stream)
   check(C.t7cu_set_stream(stream))
end

function cutorch.getStream()
   return C.t7cu_get_stream()
end

function cutorch.setDefaultStream()
   cutorch.setStream(0)
end

-- streamWaitFor(waiting, {waited...}): work queued on `waiting` from now on runs after the
-- work queued so far on each waited stream (no host synchronization).
function cutorch.streamWaitFor(waiting, waited)
   if type(waited) ~= 'table' then
      error('cutorch.streamWaitFor: a table of streams expected', 2)
   end
   local list = ffi.new('int32_t[?]', math.max(#waited, 1))
   for i, s in ipairs(waited) do list[i - 1] = s end
   check(C.t7cu_stream_wait_for(waiting, list, #waited))
end

-- streamBarrier({streams...}): each stream waits for all the others.
function cutorch.streamBarrier(streams)
   for _, s in ipairs(streams) do cutorch.streamWaitFor(s, streams) end
end

function cutorch.streamSynchronize(stream)
   check(C.t7cu_stream_synchronize(stream))
end

-- The original's helper for the types it defined.
function cutorch.createCudaHostTensor(...)
   return torch.FloatTensor(...)
end

return cutorch
