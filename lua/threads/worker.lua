-- The loop each pool thread runs in its own Lua state: take a job (from the thread's own
-- queue while the pool is in specific mode, else from the shared one), run it under
-- xpcall, send the outcome back to the main queue. A job may end the loop
-- (__queue_running = false) or switch the queue (__queue_specific).

require 'torch'
local Queue = require 'threads.queue'

local worker = {}

-- The jobs that travel most are the pool's own functions: as fields of this loaded package
-- they travel by name, not as bytecode.

-- Runs a pool job in this state: the callback's results (or its error with a traceback),
-- tagged with the id of the end callback waiting for them.
function worker.run_job(callback, endcallbackid, ...)
   local args = {n = select('#', ...), ...}
   local results = {xpcall(function() return callback(unpack(args, 1, args.n)) end,
                           debug.traceback)}
   local status = table.remove(results, 1)
   results.n = #results
   return status, results, endcallbackid
end

-- What a thread sends back to the main state: the outcome of a job, as it is.
function worker.outcome(...)
   return ...
end

function worker.run(threadid, serialization, main_id, shared_id, own_id)
   rawset(_G, '__threadid', threadid)
   local main = Queue.new(nil, serialization, main_id)
   local shared = Queue.new(nil, serialization, shared_id)
   local own = Queue.new(nil, serialization, own_id)
   rawset(_G, '__queue_running', true)
   rawset(_G, '__queue_specific', true)
   while rawget(_G, '__queue_running') do
      local queue = rawget(_G, '__queue_specific') and own or shared
      -- the job's own errors come back from run_job; what fails here is reading the job
      -- (a class or package this state cannot find), reported without its callback's id
      local read, status, results, endcallbackid = pcall(queue.dojob, queue)
      if not read then status, results, endcallbackid = false, {status, n = 1}, nil end
      local sent, err = pcall(main.addjob, main, worker.outcome, status, results,
                              endcallbackid, threadid)
      if not sent then
         -- results that cannot travel (a coroutine, a userdata) are the job's error
         main:addjob(worker.outcome, false, {'cannot send the results back: ' .. err, n = 1},
                     endcallbackid, threadid)
      end
   end
end

return worker
