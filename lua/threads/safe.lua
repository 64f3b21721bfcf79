-- threads.safe(func [, mutex]): func made to run under a mutex, in whichever thread state
-- it is sent to (the mutex travels as its id). A mutex of its own is made when none is
-- given; it lives as long as the process.

return function(func, mutex)
   local threads = require 'threads'
   assert(type(func) == 'function', 'function, [mutex] expected')
   mutex = mutex or threads.Mutex()
   local mutexid = mutex:id()
   return function(...)
      local lock = require('threads').Mutex(mutexid)
      lock:lock()
      local results = {pcall(func, ...)}
      lock:unlock()
      if not results[1] then error(results[2], 0) end
      return unpack(results, 2, table.maxn(results))
   end
end
