-- torch.Timer. Only lower bounds on elapsed time are asserted (a sleep lasts at least what
-- was asked), never upper ones, so that a loaded machine cannot fail these tests.

require 'torch'
local ffi = require 'ffi'

ffi.cdef [[
   struct test_timer_timespec { long tv_sec; long tv_nsec; };
   int test_timer_nanosleep(const struct test_timer_timespec *request,
                            struct test_timer_timespec *remaining) __asm__("nanosleep");
]]

local tester = torch.Tester()
local tests = torch.TestSuite()

local function sleep(seconds)
   local request = ffi.new('struct test_timer_timespec')
   request.tv_sec = math.floor(seconds)
   request.tv_nsec = (seconds - math.floor(seconds)) * 1e9
   local remaining = ffi.new('struct test_timer_timespec')
   while ffi.C.test_timer_nanosleep(request, remaining) ~= 0 do
      request.tv_sec, request.tv_nsec = remaining.tv_sec, remaining.tv_nsec
   end
end

function tests.time_has_real_user_and_sys_seconds()
   local times = torch.Timer():time()
   for _, field in ipairs({'real', 'user', 'sys'}) do
      tester:eq(type(times[field]), 'number', field)
      tester:assertge(times[field], 0, field)
   end
end

function tests.real_time_counts_a_sleep()
   local timer = torch.Timer()
   sleep(0.2)
   tester:assertge(timer:time().real, 0.2)
end

function tests.user_time_counts_computation()
   local timer = torch.Timer()
   local x = 0
   -- getrusage advances in ticks: compute until one shows (or give up after 10 s)
   while timer:time().user == 0 and timer:time().real < 10 do
      for i = 1, 1e5 do x = x + math.sin(i) end
   end
   tester:assertgt(timer:time().user, 0)
end

function tests.stop_freezes_and_resume_adds()
   local timer = torch.Timer()
   sleep(0.1)
   timer:stop()
   local stopped = timer:time()
   sleep(0.1)
   tester:eq(timer:time(), stopped, 'a stopped timer does not count')
   timer:resume()
   sleep(0.1)
   tester:assertge(timer:time().real, stopped.real + 0.1, 'resume adds to what was counted')
end

function tests.reset_zeroes_and_keeps_the_state()
   local timer = torch.Timer()
   sleep(0.1)
   timer:stop():reset()
   sleep(0.05)
   tester:eq(timer:time(), {real = 0, user = 0, sys = 0}, 'a stopped timer stays stopped')
   timer:resume()
   sleep(0.2)
   local before = timer:time().real
   timer:reset()
   tester:assertlt(timer:time().real, before, 'a running timer starts again from zero')
   sleep(0.05)
   tester:assertge(timer:time().real, 0.05, 'and goes on counting')
end

function tests.methods_return_the_timer_and_print_the_state()
   local timer = torch.Timer()
   tester:eq(torch.type(timer), 'torch.Timer')
   tester:eq(timer:stop() == timer and timer:resume() == timer and timer:reset() == timer, true)
   tester:eq(tostring(timer), 'torch.Timer [status: running]')
   timer:stop()
   tester:eq(tostring(timer), 'torch.Timer [status: stopped]')
end

tester:add(tests)
tester:run()
