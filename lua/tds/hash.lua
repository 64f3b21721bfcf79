-- tds.Hash: a hash table with #hash (its number of entries), pairs(hash) and hash[key]
-- (nil removes the key). Entries keep the order they were first inserted in: pairs goes
-- through them in that order, so a hash read from a file writes back the same bytes.

local tds = require 'tds.env'

local store, check_element = tds.store, tds.check_element
local REMOVED = {}      -- where a removed key was, until the key list is compacted

local Hash = {}
local new_hash

-- contents: keys (in insertion order, REMOVED where one went), position of each key,
-- values, count of live entries
local function contents(self)
   return store[self]
end

local function check_key(key)
   if key == nil then error('hash index is nil', 3) end
   if key ~= key then error('hash index is NaN', 3) end
end

local function compact(c)
   local keys, position = {}, {}
   for _, k in ipairs(c.keys) do
      if k ~= REMOVED then
         keys[#keys + 1] = k
         position[k] = #keys
      end
   end
   c.keys, c.position = keys, position
end

function Hash:__index(key)
   check_key(key)
   return contents(self).values[key]
end

function Hash:__newindex(key, value)
   check_key(key)
   local c = contents(self)
   if value == nil then
      local at = c.position[key]
      if at then
         c.keys[at], c.position[key], c.values[key] = REMOVED, nil, nil
         c.count = c.count - 1
         if #c.keys > 2 * c.count + 16 then compact(c) end
      end
      return
   end
   check_element(key)
   check_element(value)
   if c.values[key] == nil then
      c.keys[#c.keys + 1] = key
      c.position[key] = #c.keys
      c.count = c.count + 1
   end
   c.values[key] = value
end

function Hash:__len()
   return contents(self).count
end

function Hash:__pairs()
   local c = contents(self)
   local i = 0
   return function()
      local keys = c.keys
      repeat
         i = i + 1
         local k = keys[i]
         if k == nil then return nil end
         if k ~= REMOVED then return k, c.values[k] end
      until false
   end
end

local function key_text(k)
   local kind = type(k)
   if kind == 'string' or kind == 'number' or kind == 'boolean' then return tostring(k) end
   return torch.type(k)
end

-- At most 20 entries, keys padded to the longest of them, as the original printed.
function Hash:__tostring()
   local lines = {string.format('tds.Hash[%d]{', #self)}
   local width, shown = 0, 0
   for k in pairs(self) do
      width = math.max(width, #key_text(k))
      shown = shown + 1
      if shown == 20 then break end
   end
   shown = 0
   for k, v in pairs(self) do
      local text = key_text(k)
      lines[#lines + 1] = tds.entry(text .. string.rep(' ', width - #text) .. ' : ', v,
         width + 3)
      shown = shown + 1
      if shown == 20 then
         lines[#lines + 1] = '...'
         break
      end
   end
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

function Hash:__write(file)
   file:writeLong(#self)
   for k, v in pairs(self) do
      file:writeObject(k)
      file:writeObject(v)
   end
end

function Hash:__read(file)
   for _ = 1, file:readLong() do
      local k = file:readObject()
      self[k] = file:readObject()
   end
end

-- For thread pools: the entries in order, as a list k1, v1, k2, v2... (the pool sends it in
-- its own way: tensors in it by reference in shared mode), and a hash rebuilt from it.
function Hash:__share()
   local entries = {}
   for k, v in pairs(self) do
      entries[#entries + 1] = k
      entries[#entries + 1] = v
   end
   return entries
end

local ctype

-- tds.Hash([table]): nested tables become containers too.
function new_hash(...)
   local self = ctype()
   store[self] = {keys = {}, position = {}, values = {}, count = 0}
   local n = select('#', ...)
   local entries = ...
   if n == 1 and type(entries) == 'table' and not torch.typename(entries) then
      for k, v in pairs(entries) do self[tds.from_table(k)] = tds.from_table(v) end
   elseif n > 0 then
      error('lua table or nothing expected', 2)
   end
   return self
end

function Hash.__unshare(entries)
   local self = new_hash()
   for i = 1, #entries, 2 do self[entries[i]] = entries[i + 1] end
   return self
end

tds.Hash, ctype = tds.declare('tds.Hash', 't7_tds_hash', Hash, new_hash)
tds.hash = tds.Hash

return tds.Hash
