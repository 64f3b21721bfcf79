-- A job queue between Lua states: jobs are (function, arguments) serialized with the
-- queue's serialization module into two byte storages, whose addresses go through a queue
-- of the core (cython_ext/thread_sync.pxi). The state that takes a job adopts the storages'
-- references.

local ffi = require 'ffi'
local core = require 'torch.core'
local C = core.C

local Queue = {}
Queue.__index = Queue

local slots = ffi.new('uint64_t[2]')

local function own(queue)
   return ffi.gc(queue, C.t7_queue_release)
end

-- A new queue (size jobs at most, 0 for no limit), or the queue at address `id`.
function Queue.new(size, serialization, id)
   local queue
   if id then queue = C.t7_queue_find(id) else queue = C.t7_queue_new(size or 0) end
   if queue == nil then core.raise(2) end
   return setmetatable({queue = own(queue), serialization = serialization
                        or 'threads.serialize'}, Queue)
end

local function send(storage)
   C.t7_storage_retain(storage)
   return ffi.cast('uint64_t', ffi.cast('T7Storage *', storage))
end

local function receive(address)
   return core.own_storage(ffi.cast('T7Storage *', address))
end

-- The queue's address, which Queue.new takes in another state.
function Queue:id()
   return core.address(self.queue)
end

function Queue:addjob(callback, ...)
   local serialize = require(self.serialization)
   local job = serialize.save(callback)
   local args = serialize.save({n = select('#', ...), ...})
   core.check(C.t7_queue_put(self.queue, send(job), send(args)))
end

-- Waits for the next job, runs it and returns what it returns.
function Queue:dojob()
   local serialize = require(self.serialization)
   C.t7_queue_get(self.queue, slots, slots + 1)
   local job, args = slots[0], slots[1]
   local callback = serialize.load(receive(job))
   args = serialize.load(receive(args))
   return callback(unpack(args, 1, args.n))
end

function Queue:isfull()
   return C.t7_queue_is_full(self.queue) ~= 0
end

-- Drops this state's reference now rather than at collection.
function Queue:free()
   C.t7_queue_release(ffi.gc(self.queue, nil))
   self.queue = nil
end

return Queue
