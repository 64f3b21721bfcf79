-- A job queue between Lua states: jobs are (function, arguments) serialized with the
-- queue's serialization module, and carried as two byte storages by address through the
-- Python side (torch7_compat/lua_threads.py).

local ffi = require 'ffi'
local core = require 'torch.core'
local py = require('torch7_compat.python').module('torch7_compat.lua_threads')

local Queue = {}
Queue.__index = Queue

-- A new queue (size jobs at most, 0 for no limit), or the queue with that id.
function Queue.new(size, serialization, id)
   local self = setmetatable({}, Queue)
   self.qid = id or py.queue_new(size or 0)
   self.serialization = serialization or 'threads.serialize'
   return self
end

local function send(storage)
   core.C.t7_storage_retain(storage)
   return core.address(storage)
end

local function receive(address)
   return core.own_storage(ffi.cast('T7Storage *', address))
end

function Queue:id()
   return self.qid
end

function Queue:addjob(callback, ...)
   local serialize = require(self.serialization)
   local job = serialize.save(callback)
   local args = serialize.save({n = select('#', ...), ...})
   py.queue_put(self.qid, send(job), send(args))
end

-- Waits for the next job, runs it and returns what it returns.
function Queue:dojob()
   local serialize = require(self.serialization)
   local job, args = py.queue_get(self.qid)
   local callback = serialize.load(receive(job))
   args = serialize.load(receive(args))
   return callback(unpack(args, 1, args.n))
end

function Queue:isfull()
   return py.queue_full(self.qid)
end

function Queue:free()
   py.queue_free(self.qid)
end

return Queue
