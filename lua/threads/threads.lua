-- threads.Threads(N, init1, init2, ...): a pool of N threads, each running its own Lua
-- state. init functions run once in every thread (given the thread's number). Then
-- pool:addjob(callback, endcallback, ...) runs callback(...) in some thread and, back in
-- the main thread, endcallback(results of callback) during a later addjob, dojob or
-- synchronize. In specific mode (pool:specific(true)) addjob takes a thread number first.
-- Values cross between states serialized (copied; see threads.serialize), or with tensors
-- shared after Threads.serialization('threads.sharedserialize').

local Queue = require 'threads.queue'
local worker = require 'threads.worker'
local py = require('torch7_compat.python').module('torch7_compat.lua_threads')

local Threads = {}
Threads.__index = Threads
Threads.__serialize = 'threads.serialize'

local constructor = setmetatable({}, {
   __index = Threads,
   __newindex = Threads,
   __call = function(_, ...) return Threads.new(...) end,
})

-- Sets (or, with no name, gives) the serialization module the next pools use.
function Threads.serialization(name)
   if name == nil then return Threads.__serialize end
   assert(type(name) == 'string', 'module name expected')
   require(name)
   Threads.__serialize = name
end

local WORKER = [[
require('threads.worker').run(%d, %q, %.0f, %.0f, %.0f)
]]

function Threads.new(N, ...)
   assert(type(N) == 'number' and N >= 1, 'number of threads expected')
   local self = setmetatable({N = N, endcallbacks = {n = 0}, errors = false,
                              __specific = true, __running = true,
                              __serialize = Threads.__serialize}, Threads)
   local inits = {...}
   if #inits == 0 then inits = {function() end} end
   self.mainqueue = Queue.new(0, self.__serialize)
   self.threadqueue = Queue.new(N, self.__serialize)
   self.threadspecificqueues = {}
   self.threads = {}
   for i = 1, N do
      self.threadspecificqueues[i] = Queue.new(N, self.__serialize)
      self.threads[i] = py.thread_start(string.format(WORKER, i, self.__serialize,
         self.mainqueue:id(), self.threadqueue:id(), self.threadspecificqueues[i]:id()))
   end
   -- the pool ends with the state that made it, when nothing holds it any more
   self.__gc__ = newproxy(true)
   getmetatable(self.__gc__).__gc = function() self:terminate() end

   local initres = {}
   for j, init in ipairs(inits) do
      for i = 1, N do
         local keep = j == #inits and function(...) initres[i] = {...} end or function() end
         self:addjob(i, init, keep, i)
      end
   end
   self:specific(false)
   return self, initres
end

function Threads:isrunning()
   return self.__running
end

local function check_running(self)
   assert(self:isrunning(), 'thread system is not running')
end

-- With a flag, switches specific mode on or off (after the running jobs end); without,
-- says whether it is on.
function Threads:specific(flag)
   check_running(self)
   if flag == nil then return self.__specific end
   assert(type(flag) == 'boolean', 'boolean expected')
   self:synchronize()
   if self.__specific ~= flag then
      for i = 1, self.N do
         if self.__specific then
            self:addjob(i, function() __queue_specific = false end)
         else
            self:addjob(function() __queue_specific = true end)
         end
      end
      self.__specific = flag
      self:synchronize()
   end
end

-- Waits for one job to finish and runs its end callback here.
function Threads:dojob()
   check_running(self)
   self.errors = false
   local ok, results, endcallbackid, threadid = self.mainqueue:dojob()
   -- a job the thread could not read comes back with no id: its end callback never runs
   local endcallback = endcallbackid and self.endcallbacks[endcallbackid]
   if endcallbackid then self.endcallbacks[endcallbackid] = nil end
   self.endcallbacks.n = self.endcallbacks.n - 1
   if not ok then
      self.errors = true
      error(string.format('[thread %d callback] %s', threadid, results[1]), 0)
   end
   local done, message = xpcall(function()
      return endcallback(unpack(results, 1, results.n))
   end, debug.traceback)
   if not done then
      self.errors = true
      error(string.format('[thread %d endcallback] %s', threadid, message), 0)
   end
end

local function queue_for(self, idx)
   if self:specific() then
      assert(type(idx) == 'number' and idx >= 1 and idx <= self.N, 'thread index expected')
      return self.threadspecificqueues[idx]
   end
   return self.threadqueue
end

function Threads:acceptsjob(idx)
   check_running(self)
   return not queue_for(self, idx):isfull()
end

-- addjob([idx,] callback [, endcallback] [, args...])
function Threads:addjob(...)
   check_running(self)
   self.errors = false
   local idx, callback, endcallback, first
   if self:specific() then
      idx, callback, endcallback = ...
      first = 4
   else
      callback, endcallback = ...
      first = 3
   end
   local queue = queue_for(self, idx)
   assert(type(callback) == 'function', 'function callback expected')
   assert(endcallback == nil or type(endcallback) == 'function',
      'function (or nil) endcallback expected')
   while queue:isfull() do self:dojob() end
   local endcallbacks = self.endcallbacks
   local id = #endcallbacks + 1
   endcallbacks[id] = endcallback or function() end
   endcallbacks.n = endcallbacks.n + 1
   local ok, err = pcall(queue.addjob, queue, worker.run_job, callback, id, select(first, ...))
   if not ok then
      -- nothing was sent: no result will come back for this end callback
      endcallbacks[id] = nil
      endcallbacks.n = endcallbacks.n - 1
      error(err, 2)
   end
end

function Threads:haserror()
   return false
end

function Threads:hasjob()
   check_running(self)
   return self.endcallbacks.n > 0
end

-- Runs until every job added so far has finished and had its end callback.
function Threads:synchronize()
   if not self:isrunning() then return end
   self.errors = false
   while self:hasjob() do self:dojob() end
end

-- Ends the threads (after the jobs already added) and frees the queues.
function Threads:terminate()
   if not self:isrunning() or self.errors then return end
   local ok, err = pcall(function()
      for i = 1, self.N do
         if self:specific() then
            self:addjob(i, function() __queue_running = false end)
         else
            self:addjob(function() __queue_running = false end)
         end
      end
      self:synchronize()
      for i = 1, self.N do py.thread_join(self.threads[i]) end
      self.mainqueue:free()
      self.threadqueue:free()
      for i = 1, self.N do self.threadspecificqueues[i]:free() end
   end)
   self.__running = false
   if not ok then error(err, 0) end
end

return constructor
