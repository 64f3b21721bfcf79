-- The rest of the original's utility functions (its utils.c and luaT's Lua face): wall-clock
-- tic/toc, isatty, core count, object identity and environments, wrapping raw pointers.

local core = require 'torch.core'
local ffi = core.ffi

ffi.cdef [[
   struct torch_utility_timespec { int64_t tv_sec; long tv_nsec; };
   int torch_utility_clock_gettime(int clock, struct torch_utility_timespec *t)
      __asm__("clock_gettime");
   int torch_utility_isatty(int fd) __asm__("isatty");
   long torch_utility_sysconf(int name) __asm__("sysconf");
]]
local CLOCK_REALTIME, SC_NPROCESSORS_ONLN = 0, 84
local now = ffi.new('struct torch_utility_timespec')

-- Seconds since the epoch, with sub-second precision (the original's gettimeofday).
function torch.tic()
   ffi.C.torch_utility_clock_gettime(CLOCK_REALTIME, now)
   return tonumber(now.tv_sec) + tonumber(now.tv_nsec) * 1e-9
end

function torch.toc(start)
   if type(start) ~= 'number' then core.argerror(1, 'toc', 'number expected', 2) end
   return torch.tic() - start
end

-- Whether a standard stream is a terminal (other files never are here).
function torch.isatty(file)
   local fd = ({[io.stdin] = 0, [io.stdout] = 1, [io.stderr] = 2})[file]
   if fd == nil then
      if io.type(file) ~= 'file' then core.argerror(1, 'isatty', 'file expected', 2) end
      return false
   end
   return ffi.C.torch_utility_isatty(fd) == 1
end

function torch.getnumcores()
   return tonumber(ffi.C.torch_utility_sysconf(SC_NPROCESSORS_ONLN))
end

-- Whether two values are the same object: the same C object for tensors and storages.
function torch.isequal(a, b)
   if type(a) == 'cdata' and type(b) == 'cdata' then
      return torch.pointer(a) == torch.pointer(b)
   end
   return rawequal(a, b)
end

function torch.getenv(object)
   return debug.getfenv(object)
end

function torch.setenv(object, environment)
   debug.setfenv(object, environment)
end

-- luaT identified classes by their metatable.
function torch.typename2id(name)
   return torch.getmetatable(name)
end

function torch.id(object)
   local name = torch.typename(object)
   return name and torch.getmetatable(name)
end

-- A Lua object for a C tensor or storage given as an FFI pointer (or an address), taking a
-- reference of its own: how FFI code handed objects back to Lua.
function torch.pushudata(pointer, name)
   if type(pointer) == 'number' then pointer = ffi.cast('void *', pointer) end
   if name:match('^torch%.%a+Tensor$') then
      local t = ffi.cast('T7Tensor *', pointer)
      core.C.t7_tensor_retain(t)
      return core.own_tensor(t)
   elseif name:match('^torch%.%a+Storage$') then
      local s = ffi.cast('T7Storage *', pointer)
      core.C.t7_storage_retain(s)
      return core.own_storage(s)
   end
   error(string.format('pushudata: %s is not a tensor or storage class', tostring(name)), 2)
end

-- Error handlers and thread-local state were C globals of the original, to refresh when a
-- Lua state moved to another thread; here nothing is global to a thread.
function torch.updateerrorhandlers() end
function torch.updatethreadlocals() end

return torch
