-- torch.Timer: wall-clock, user and system time accumulated while the timer runs, in
-- seconds, as the shell's `time` reports them. It starts running when made.
--
-- Wall-clock time comes from the monotonic clock (the original read gettimeofday, which
-- jumps when the system clock is set); CPU times from getrusage, as the original.

local ffi = require 'ffi'

-- Own struct names and __asm__-bound function names, so that another package declaring
-- the libc originals with its own types cannot clash with these.
if not pcall(ffi.typeof, 'struct timer_timespec') then
   ffi.cdef [[
      struct timer_timespec { long tv_sec; long tv_nsec; };
      struct timer_timeval { long tv_sec; long tv_usec; };
      struct timer_rusage {
         struct timer_timeval ru_utime;
         struct timer_timeval ru_stime;
         long ru_fields[14];
      };
   ]]
end
ffi.cdef [[
   int timer_clock_gettime(int clock, struct timer_timespec *now) __asm__("clock_gettime");
   int timer_getrusage(int who, struct timer_rusage *usage) __asm__("getrusage");
]]
local C = ffi.C

local CLOCK_MONOTONIC = 1
local RUSAGE_SELF = 0

local now = ffi.new('struct timer_timespec')
local usage = ffi.new('struct timer_rusage')

local function real_time()
   C.timer_clock_gettime(CLOCK_MONOTONIC, now)
   return tonumber(now.tv_sec) + tonumber(now.tv_nsec) * 1e-9
end

-- user and system CPU time of the whole process (all its threads)
local function cpu_times()
   C.timer_getrusage(RUSAGE_SELF, usage)
   local user = tonumber(usage.ru_utime.tv_sec) + tonumber(usage.ru_utime.tv_usec) * 1e-6
   local sys = tonumber(usage.ru_stime.tv_sec) + tonumber(usage.ru_stime.tv_usec) * 1e-6
   return user, sys
end

local Timer = torch.class('torch.Timer')

local function start_counting(self)
   self._start_real = real_time()
   self._start_user, self._start_sys = cpu_times()
end

function Timer:__init()
   self._running = true
   self._total_real, self._total_user, self._total_sys = 0, 0, 0
   start_counting(self)
end

-- Back to zero; a running timer goes on counting from now, a stopped one stays stopped.
function Timer:reset()
   self._total_real, self._total_user, self._total_sys = 0, 0, 0
   start_counting(self)
   return self
end

function Timer:stop()
   if self._running then
      local user, sys = cpu_times()
      self._total_real = self._total_real + real_time() - self._start_real
      self._total_user = self._total_user + user - self._start_user
      self._total_sys = self._total_sys + sys - self._start_sys
      self._running = false
   end
   return self
end

function Timer:resume()
   if not self._running then
      self._running = true
      start_counting(self)
   end
   return self
end

function Timer:time()
   if not self._running then
      return {real = self._total_real, user = self._total_user, sys = self._total_sys}
   end
   local user, sys = cpu_times()
   return {
      real = self._total_real + real_time() - self._start_real,
      user = self._total_user + user - self._start_user,
      sys = self._total_sys + sys - self._start_sys,
   }
end

function Timer:__tostring__()
   return string.format('torch.Timer [status: %s]', self._running and 'running' or 'stopped')
end

return Timer
