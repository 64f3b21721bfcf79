-- tds.AtomicCounter: a counter with inc (returning the value before it), get and set.
-- Each Lua state here has its own objects, so the counter is never shared between threads.

local tds = require 'tds.env'

local store = tds.store

local AtomicCounter = {}
local methods = {}

function methods:inc()
   local value = store[self]
   store[self] = value + 1
   return value
end

function methods:get()
   return store[self]
end

function methods:set(value)
   store[self] = tonumber(value) or error('number expected', 2)
end

function AtomicCounter:__index(key)
   local method = methods[key]
   if method == nil then error('no such method', 2) end
   return method
end

function AtomicCounter:__tostring()
   return 'tds.AtomicCounter=' .. store[self]
end

function AtomicCounter:__write(file)
   file:writeLong(store[self])
end

function AtomicCounter:__read(file)
   store[self] = file:readLong()
end

local ctype

local function new_counter()
   local self = ctype()
   store[self] = 0
   return self
end

tds.AtomicCounter, ctype = tds.declare('tds.AtomicCounter', 't7_tds_atomic_counter',
   AtomicCounter, new_counter)
tds.atomic_counter = tds.AtomicCounter

return tds.AtomicCounter
