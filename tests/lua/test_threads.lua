-- The threads package: pools of Lua states in threads, what crosses between them (by copy
-- and shared), errors, specific mode, mutexes and condition variables.

require 'torch'
local threads = require 'threads'

local tester = torch.Tester()
local tests = torch.TestSuite()

-- A pool whose jobs share tensors with this state instead of copying them.
local function sharing_pool(n)
   threads.Threads.serialization('threads.sharedserialize')
   local pool = threads.Threads(n)
   threads.Threads.serialization('threads.serialize')
   return pool
end

function tests.jobs_run_in_other_states_and_end_callbacks_here()
   local pool, initres = threads.Threads(3, function(id) marker = 'thread ' .. id; return id end)
   tester:eq(#initres, 3)
   tester:eq(initres[2][1], 2)
   local seen, total = {}, 0
   for i = 1, 30 do
      pool:addjob(function(x)
         -- globals of this state are the thread's own
         return x * x, __threadid, marker, rawget(_G, 'main_only')
      end, function(square, id, m, other)
         total = total + square
         seen[id] = true
         tester:eq(m, 'thread ' .. id)
         tester:eq(other, nil)
      end, i)
   end
   main_only = true
   pool:synchronize()
   main_only = nil
   tester:eq(total, 30 * 31 * 61 / 6)
   tester:assert(not pool:hasjob())
   pool:terminate()
   tester:assert(not pool:isrunning())
end

function tests.upvalues_cross_by_copy()
   local pool = threads.Threads(1)
   local config = {depth = 3, name = 'net', nested = {1, 2, 3}}
   config.self = config
   local insert = table.insert
   local t = torch.DoubleTensor(4):fill(2)
   local view = t:narrow(1, 2, 2)
   local timer = torch.Timer()
   local got
   pool:addjob(function()
      local list = {}
      insert(list, config.name)
      t:fill(5)          -- a copy: the main state's tensor stays as it is
      return list[1], config.self == config, config.nested[3], t:sum(),
         view:storage() == t:storage(), torch.type(timer), 0 / 0, -math.huge, '\0bin\255'
   end, function(...) got = {...} end)
   pool:synchronize()
   tester:eq(got[1], 'net')
   tester:eq(got[2], true)
   tester:eq(got[3], 3)
   tester:eq(got[4], 20)
   tester:eq(got[5], true)
   tester:eq(got[6], 'torch.Timer')
   tester:assert(got[7] ~= got[7])
   tester:assert(got[8] == -math.huge)
   tester:eq(got[9], '\0bin\255')
   tester:eq(t:sum(), 8)
   pool:terminate()
end

function tests.shared_serialization_passes_tensors_without_copies()
   local pool = sharing_pool(2)
   local t = torch.DoubleTensor(10):zero()
   for i = 1, 10 do
      pool:addjob(function(k) t[k] = k * 10 end, nil, i)
   end
   pool:synchronize()
   pool:terminate()
   for i = 1, 10 do tester:eq(t[i], i * 10) end
end

function tests.errors_in_jobs_reach_the_main_state()
   local pool = threads.Threads(2)
   pool:addjob(function() error('broken in a thread') end)
   tester:assertErrorPattern(function() pool:synchronize() end,
      '%[thread %d+ callback%].*broken in a thread')
   pool:addjob(function() return 1 end, function() error('broken at the end') end)
   tester:assertErrorPattern(function() pool:synchronize() end,
      '%[thread %d+ endcallback%].*broken at the end')
   pool:terminate()
end

function tests.jobs_or_results_that_cannot_travel_are_errors_here()
   local pool = threads.Threads(1)
   -- a class only this state knows
   torch.class('test_threads.MainOnly')
   local object = torch.factory('test_threads.MainOnly')()
   pool:addjob(function(o) return o end, nil, object)
   tester:assertErrorPattern(function() pool:synchronize() end,
      '%[thread 1 callback%].*unknown Torch class <test_threads.MainOnly>')
   pool:addjob(function() return coroutine.create(print) end)
   tester:assertErrorPattern(function() pool:synchronize() end,
      '%[thread 1 callback%] cannot send the results back: cannot serialize a thread')
   local got
   pool:addjob(function() return 'still working' end, function(v) got = v end)
   pool:synchronize()
   tester:eq(got, 'still working')
   pool:terminate()
end

function tests.specific_mode_sends_jobs_to_one_thread()
   local pool = threads.Threads(3)
   pool:specific(true)
   tester:eq(pool:specific(), true)
   local ids = {}
   for k = 1, 3 do
      for _ = 1, 4 do
         pool:addjob(k, function() return __threadid end, function(id) ids[#ids + 1] = {k, id} end)
      end
   end
   pool:synchronize()
   tester:eq(#ids, 12)
   for _, pair in ipairs(ids) do tester:eq(pair[1], pair[2]) end
   tester:assertError(function() pool:addjob(4, function() end) end)
   pool:terminate()
end

function tests.a_c_function_upvalue_not_in_a_package_is_refused()
   local pool = threads.Threads(1)
   local generator = coroutine.wrap(function() coroutine.yield(1) end)   -- a C closure
   tester:assertErrorPattern(function()
      pool:addjob(function() return generator() end)
   end, 'cannot serialize a C function')
   -- a C function that a package holds travels by name
   local byte = string.byte
   local got
   pool:addjob(function() return byte('A') end, function(v) got = v end)
   pool:synchronize()
   tester:eq(got, 65)
   pool:terminate()
end

function tests.mutex_and_condition_between_threads()
   local mutex, ready = threads.Mutex(), threads.Condition()
   local mid, cid = mutex:id(), ready:id()
   local box = torch.DoubleTensor(1):zero()
   local pool = sharing_pool(1)
   mutex:lock()
   pool:addjob(function()
      local t = require 'threads'
      local m, c = t.Mutex(mid), t.Condition(cid)
      m:lock()
      box[1] = 42
      c:signal()
      m:unlock()
   end)
   ready:wait(mutex)          -- lets the mutex go while waiting
   tester:eq(box[1], 42)
   mutex:unlock()
   pool:synchronize()
   pool:terminate()
   tester:assertErrorPattern(function() threads.Mutex(123456789) end, 'no mutex with id')
   tester:assertErrorPattern(function() mutex:unlock() end, 'does not hold')
   mutex:lock()
   tester:assertErrorPattern(function() mutex:lock() end, 'holds the mutex already')
   mutex:unlock()
   tester:assertErrorPattern(function() ready:wait(mutex) end, 'locked by this thread')
end

function tests.safe_functions_take_a_lock()
   local pool = sharing_pool(4)
   local counter = torch.DoubleTensor(1):zero()
   local bump = threads.safe(function()
      local v = counter[1]
      for _ = 1, 200 do end
      counter[1] = v + 1
   end)
   for _ = 1, 200 do pool:addjob(bump) end
   pool:synchronize()
   pool:terminate()
   tester:eq(counter[1], 200)
end

function tests.serializers_round_trip_objects()
   local s = require 'threads.serialize'
   local value = {a = {1, 2, {x = 'y'}}, t = torch.FloatTensor(2, 3):fill(1.5),
                  f = function(n) return n + 1 end, timer = torch.Timer()}
   local back = s.load(s.save(value))
   tester:eq(back.a[3].x, 'y')
   tester:eq(torch.type(back.t), 'torch.FloatTensor')
   tester:eq(back.t:size():totable(), {2, 3})
   tester:eq(back.t[2][3], 1.5)
   tester:assert(back.t:storage() ~= value.t:storage())
   tester:eq(back.f(1), 2)
   tester:eq(torch.type(back.timer), 'torch.Timer')
   local shared = require 'threads.sharedserialize'
   local t = torch.DoubleTensor(3)
   tester:eq(torch.pointer(shared.load(shared.save(t))), torch.pointer(t))
end

tester:add(tests)
tester:run()
