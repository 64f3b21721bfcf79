-- The threads package: thread pools whose workers each run a Lua state of their own
-- (threads.Threads), and the synchronisation objects such code shares between states:
-- threads.Mutex and threads.Condition (C objects of the core), reachable from any state by
-- their id.

require 'torch'
local ffi = require 'ffi'
local core = require 'torch.core'
local C = core.C
local py = require('torch7_compat.python').module('torch7_compat.lua_threads')

local threads = {}

threads.Threads = require 'threads.threads'
threads.serialize = require 'threads.serialize'
threads.sharedserialize = require 'threads.sharedserialize'
threads.safe = require 'threads.safe'

-- A C object of the core held by this state: `kind` is 'mutex' or 'condition'; made anew,
-- or found by the id (address) another state gave.
local function shared_object(kind, id, level)
   local object
   if id ~= nil then
      if type(id) ~= 'number' or id <= 0 then
         error(kind .. ' id (a number from :id()) expected', level + 1)
      end
      object = C['t7_' .. kind .. '_find'](id)
   else
      object = C['t7_' .. kind .. '_new']()
   end
   if object == nil then core.raise(level) end
   return ffi.gc(object, C['t7_' .. kind .. '_release'])
end

local function free(self, kind)
   C['t7_' .. kind .. '_release'](ffi.gc(self.object, nil))
   self.object = nil
end

local Mutex = {}
Mutex.__index = Mutex

-- threads.Mutex(): a new mutex; threads.Mutex(id): the one another state made (its id).
function threads.Mutex(id)
   return setmetatable({object = shared_object('mutex', id, 2)}, Mutex)
end

function Mutex:lock() core.check(C.t7_mutex_lock(self.object)) end
function Mutex:unlock() core.check(C.t7_mutex_unlock(self.object)) end
function Mutex:id() return core.address(self.object) end
function Mutex:free() free(self, 'mutex') end

local Condition = {}
Condition.__index = Condition

-- threads.Condition() or threads.Condition(id), as Mutex.
function threads.Condition(id)
   return setmetatable({object = shared_object('condition', id, 2)}, Condition)
end

-- Waits for a signal, the mutex (locked by the caller) let go meanwhile.
function Condition:wait(mutex) core.check(C.t7_condition_wait(self.object, mutex.object)) end
function Condition:signal() C.t7_condition_signal(self.object) end
function Condition:broadcast() C.t7_condition_broadcast(self.object) end
function Condition:id() return core.address(self.object) end
function Condition:free() free(self, 'condition') end

local Thread = {}
Thread.__index = Thread

-- threads.Thread(code): runs the Lua chunk `code` in a new thread and state;
-- thread:free() waits for it to end.
function threads.Thread(code)
   assert(type(code) == 'string', 'Lua code (a string) expected')
   return setmetatable({tid = py.thread_start(code)}, Thread)
end

function Thread:free() py.thread_join(self.tid) end

-- The original made the package itself callable like threads.Threads.
setmetatable(threads, {__call = function(_, ...) return threads.Threads(...) end,
                       __index = threads.Threads})

return threads
