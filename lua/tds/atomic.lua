-- tds.AtomicCounter: a counter with inc (returning the value before it), get and set. Its
-- value lives in a LongStorage guarded by a core mutex, so that thread pools in shared mode
-- (threads.sharedserialize) give their workers the same counter, as the original's did;
-- in copy mode and in .t7 files it travels as its value.

local ffi = require 'ffi'
local core = require 'torch.core'
local tds = require 'tds.env'

local C, store = core.C, tds.store

local AtomicCounter = {}
local methods = {}

-- contents: the storage holding the value, its first element's address, the mutex
local function with_lock(self, action, value)
   local c = store[self]
   core.check(C.t7_mutex_lock(c.mutex))
   local old = c.cell[0]
   if action == 'inc' then c.cell[0] = old + 1 elseif action == 'set' then c.cell[0] = value end
   core.check(C.t7_mutex_unlock(c.mutex))
   return tonumber(old)
end

function methods:inc()
   return with_lock(self, 'inc')
end

function methods:get()
   return with_lock(self, 'get')
end

function methods:set(value)
   with_lock(self, 'set', tonumber(value) or error('number expected', 2))
end

function AtomicCounter:__index(key)
   local method = methods[key]
   if method == nil then error('no such method', 2) end
   return method
end

function AtomicCounter:__tostring()
   return 'tds.AtomicCounter=' .. self:get()
end

function AtomicCounter:__write(file)
   file:writeLong(self:get())
end

function AtomicCounter:__read(file)
   self:set(file:readLong())
end

local ctype

local function counter_over(storage, mutex)
   local self = ctype()
   store[self] = {storage = storage, cell = storage:data(), mutex = mutex}
   return self
end

local function new_counter()
   local mutex = C.t7_mutex_new()
   if mutex == nil then core.raise(2) end
   local storage = torch.LongStorage(1)
   storage[1] = 0
   return counter_over(storage, ffi.gc(mutex, C.t7_mutex_release))
end

-- For thread pools: the parts another state rebuilds the same counter from (the storage
-- travels by reference in shared mode, by copy otherwise), and that rebuilding.
function AtomicCounter:__share()
   local c = store[self]
   return {c.storage, core.address(c.mutex)}
end

function AtomicCounter.__unshare(parts)
   local mutex = C.t7_mutex_find(parts[2])
   if mutex == nil then core.raise(2) end
   return counter_over(parts[1], ffi.gc(mutex, C.t7_mutex_release))
end

tds.AtomicCounter, ctype = tds.declare('tds.AtomicCounter', 't7_tds_atomic_counter',
   AtomicCounter, new_counter)
tds.atomic_counter = tds.AtomicCounter

return tds.AtomicCounter
