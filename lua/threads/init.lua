-- The threads package: thread pools whose workers each run a Lua state of their own
-- (threads.Threads), and the synchronisation objects such code shares between states:
-- threads.Mutex and threads.Condition, reachable from any state by their id.

require 'torch'
local py = require('torch7_compat.python').module('torch7_compat.lua_threads')

local threads = {}

threads.Threads = require 'threads.threads'
threads.serialize = require 'threads.serialize'
threads.sharedserialize = require 'threads.sharedserialize'
threads.safe = require 'threads.safe'

local Mutex = {}
Mutex.__index = Mutex

-- threads.Mutex(): a new mutex; threads.Mutex(id): the mutex with that id (made elsewhere).
function threads.Mutex(id)
   if id ~= nil and not py.mutex_exists(id) then error('no mutex with id ' .. id, 2) end
   return setmetatable({mid = id or py.mutex_new()}, Mutex)
end

function Mutex:lock() py.mutex_lock(self.mid) end
function Mutex:unlock() py.mutex_unlock(self.mid) end
function Mutex:id() return self.mid end
function Mutex:free() py.mutex_free(self.mid) end

local Condition = {}
Condition.__index = Condition

-- threads.Condition() or threads.Condition(id), as Mutex.
function threads.Condition(id)
   if id ~= nil and not py.condition_exists(id) then error('no condition with id ' .. id, 2) end
   return setmetatable({cid = id or py.condition_new()}, Condition)
end

-- Waits for a signal, the mutex (locked by the caller) let go meanwhile.
function Condition:wait(mutex) py.condition_wait(self.cid, mutex:id()) end
function Condition:signal() py.condition_signal(self.cid) end
function Condition:broadcast() py.condition_broadcast(self.cid) end
function Condition:id() return self.cid end
function Condition:free() py.condition_free(self.cid) end

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
