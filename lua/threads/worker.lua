-- The loop each pool thread runs in its own Lua state: take a job (from the thread's own
-- queue while the pool is in specific mode, else from the shared one), run it under
-- xpcall, send the outcome back to the main queue. A job may end the loop
-- (__queue_running = false) or switch the queue (__queue_specific).

require 'torch'
local Queue = require 'threads.queue'

local worker = {}

function worker.run(threadid, serialization, main_id, shared_id, own_id)
   rawset(_G, '__threadid', threadid)
   local main = Queue.new(nil, serialization, main_id)
   local shared = Queue.new(nil, serialization, shared_id)
   local own = Queue.new(nil, serialization, own_id)
   rawset(_G, '__queue_running', true)
   rawset(_G, '__queue_specific', true)
   while rawget(_G, '__queue_running') do
      local queue = rawget(_G, '__queue_specific') and own or shared
      local status, results, endcallbackid = queue:dojob()
      main:addjob(function()
         return status, results, endcallbackid, threadid
      end)
   end
end

return worker
