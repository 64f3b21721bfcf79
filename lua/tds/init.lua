-- tds (torch/tds): its two containers, tds.Hash and tds.Vec, as far as .t7 files need them:
-- made, filled, read and written in the original's layout (version 0: a long count, then
-- the keys and values, or the items). Here they are Lua tables whose own fields are the
-- keys or items, so pairs, ipairs and # work on them as on tables (# of a Hash counts its
-- list part only: use tds.Hash.size). The rest of the library comes with the ecosystem.

require 'torch'

local tds = {}

local Hash = torch.class('tds.Hash', tds)
Hash.__version = 0

function Hash:__init(entries)
   if entries ~= nil then
      assert(type(entries) == 'table', 'lua table or nothing expected')
      for k, v in pairs(entries) do self[k] = v end
   end
end

-- The number of entries (the original's #hash).
function tds.Hash.size(hash)
   local n = 0
   for _ in pairs(hash) do n = n + 1 end
   return n
end

function Hash:__write(file)
   file:writeLong(tds.Hash.size(self))
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

local Vec = torch.class('tds.Vec', tds)
Vec.__version = 0

-- tds.Vec(a, b, ...) or tds.Vec({a, b, ...})
function Vec:__init(...)
   local items = {...}
   if select('#', ...) == 1 and type(items[1]) == 'table' and not torch.typename(items[1]) then
      items = items[1]
   end
   for i, v in ipairs(items) do self[i] = v end
end

function Vec:insert(index, value)
   if value == nil then table.insert(self, index) else table.insert(self, index, value) end
end

function Vec:remove(index)
   return table.remove(self, index)
end

function Vec:resize(size)
   for i = #self, size + 1, -1 do self[i] = nil end
end

function Vec:sort(compare)
   table.sort(self, compare)
end

function Vec:concat(separator, i, j)
   return table.concat(self, separator, i, j)
end

function Vec:__write(file)
   file:writeLong(#self)
   for i = 1, #self do file:writeObject(self[i]) end
end

function Vec:__read(file)
   for i = 1, file:readLong() do self[i] = file:readObject() end
end

-- files from tds's first versions named the hash class this way
torch.serialization.substitute('tds_hash', 'tds.Hash')

return tds
