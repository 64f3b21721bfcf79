-- tds.Vec: a vector indexed from 1 whose size (#vec) counts nil elements too: vec[i] = v
-- past the end grows it, with nils in between. Methods: insert, remove, resize, sort,
-- concat, concatstorage; ipairs and pairs go from 1 to #vec.

local tds = require 'tds.env'

local store, check_element = tds.store, tds.check_element

local Vec = {}
local methods = {}

-- contents: items (may hold nils) and size
local function contents(self)
   return store[self]
end

local function check_index(index, level)
   if type(index) ~= 'number' or index <= 0 then
      error('positive number expected as key', level + 1)
   end
end

function Vec:__index(key)
   if type(key) ~= 'number' then
      local method = methods[key]
      if method == nil then error('invalid key (number) or method name', 2) end
      return method
   end
   check_index(key, 2)
   return contents(self).items[key]
end

function Vec:__newindex(index, value)
   check_index(index, 2)
   if value ~= nil then check_element(value) end
   local c = contents(self)
   c.items[index] = value
   if index > c.size then c.size = index end
end

function Vec:__len()
   return contents(self).size
end

function Vec:__ipairs()
   local c = contents(self)
   local i = 0
   return function()
      i = i + 1
      if i <= c.size then return i, c.items[i] end
   end
end
Vec.__pairs = Vec.__ipairs

-- insert([index,] value): at index (1 to #vec + 1), shifting the elements above it.
function methods:insert(...)
   local n = select('#', ...)
   local index, value
   if n == 1 then
      index, value = #self + 1, ...
   elseif n == 2 then
      index, value = ...
   else
      error('[key] value expected', 2)
   end
   check_index(index, 2)
   local c = contents(self)
   if index > c.size + 1 then
      error(string.format('index %d out of range: the vector has %d elements', index, c.size), 2)
   end
   if value ~= nil then check_element(value) end
   local items = c.items
   for i = c.size, index, -1 do items[i + 1] = items[i] end
   items[index] = value
   c.size = c.size + 1
end

-- remove([index]): the element at index (the last by default) goes, those above shift down.
function methods:remove(index)
   local c = contents(self)
   index = index or c.size
   check_index(index, 2)
   if index > c.size then return end
   local items = c.items
   for i = index, c.size - 1 do items[i] = items[i + 1] end
   items[c.size] = nil
   c.size = c.size - 1
end

function methods:resize(size)
   if type(size) ~= 'number' or size < 0 then error('size must be a positive number', 2) end
   local c = contents(self)
   for i = size + 1, c.size do c.items[i] = nil end
   c.size = math.floor(size)
end

-- A stable merge sort: compare(a, b) says whether a goes before b; nils are compared too.
local function merge_sort(items, n, compare)
   local from, to = items, {}
   local width = 1
   while width < n do
      for left = 1, n, 2 * width do
         local middle, right = math.min(left + width, n + 1), math.min(left + 2 * width, n + 1)
         local i, j = left, middle
         for k = left, right - 1 do
            if i < middle and (j >= right or not compare(from[j], from[i])) then
               to[k] = from[i]
               i = i + 1
            else
               to[k] = from[j]
               j = j + 1
            end
         end
      end
      from, to = to, from
      width = 2 * width
   end
   if from ~= items then
      for k = 1, n do items[k] = from[k] end
   end
end

function methods:sort(compare)
   if type(compare) ~= 'function' then
      error('compare function must be a lua or C function', 2)
   end
   local c = contents(self)
   merge_sort(c.items, c.size, compare)
end

function methods:concatstorage(separator, i, j)
   return torch.CharStorage():string(self:concat(separator, i, j))
end

-- concat([separator [, i [, j]]]): the tostring of each element (nil too) joined.
function methods:concat(separator, i, j)
   local parts = {}
   for k = i or 1, j or #self do parts[#parts + 1] = tostring(self[k]) end
   return table.concat(parts, separator or '')
end

-- The first 20 elements, as the original printed them.
function Vec:__tostring()
   local lines = {string.format('tds.Vec[%d]{', #self)}
   for k, v in ipairs(self) do
      local key_text = string.format('%5d : ', k)
      lines[#lines + 1] = tds.entry(key_text, v, #key_text)
      if k == 20 then
         lines[#lines + 1] = '...'
         break
      end
   end
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

function Vec:__write(file)
   file:writeLong(#self)
   for _, v in ipairs(self) do file:writeObject(v) end
end

function Vec:__read(file)
   for i = 1, file:readLong() do self[i] = file:readObject() end
end

-- For thread pools: the size and the items (see Hash.__share), and a vector rebuilt.
function Vec:__share()
   local c = contents(self)
   return {size = c.size, items = c.items}
end

local ctype

-- tds.Vec(a, b, ...) or tds.Vec(table): nested tables become containers too.
local function new_vec(...)
   local self = ctype()
   store[self] = {items = {}, size = 0}
   local n = select('#', ...)
   local items = {...}
   if n == 1 and type(items[1]) == 'table' and not torch.typename(items[1]) then
      items = items[1]
   end
   for k in pairs(items) do
      if type(k) ~= 'number' then error('lua table with number keys expected', 2) end
   end
   for k, v in pairs(items) do self[k] = tds.from_table(v) end
   return self
end

function Vec.__unshare(parts)
   local self = new_vec()
   local c = contents(self)
   for i = 1, parts.size do c.items[i] = parts.items[i] end
   c.size = parts.size
   return self
end

tds.Vec, ctype = tds.declare('tds.Vec', 't7_tds_vec', Vec, new_vec)
tds.vec = tds.Vec

return tds.Vec
