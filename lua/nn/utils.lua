-- Helpers shared by the modules: type conversion of nested tensors, clearing of buffers,
-- and the deep copy behind clone().

nn.utils = {}

local function storage_typename(tensor_typename)
   return (tensor_typename:gsub('Tensor$', 'Storage'))
end

-- Converts every tensor inside `value` (a tensor, a table, a module or a criterion, nested
-- in any way) to the tensor type `typename`, and returns the converted value. `cache` maps
-- each source storage (by address) to its converted copy, so that tensors which shared
-- memory before the conversion share it after; passing the same cache to several calls
-- keeps the sharing between networks too.
function nn.utils.recursiveType(value, typename, cache)
   cache = cache or {}
   if torch.type(value) == 'table' then
      for key, item in pairs(value) do
         value[key] = nn.utils.recursiveType(item, typename, cache)
      end
   elseif torch.isTypeOf(value, 'nn.Module') or torch.isTypeOf(value, 'nn.Criterion') then
      value:type(typename, cache)
   elseif torch.isTensor(value) and torch.typename(value) ~= typename then
      local converted = cache[value]
      if not converted then
         local constructor = torch.getconstructortable(typename)
         if not constructor then error('unknown tensor type ' .. tostring(typename), 2) end
         converted = constructor()
         local storage = value:storage()
         if storage then
            local key = torch.pointer(storage)
            if not cache[key] then
               cache[key] = storage:type(storage_typename(typename))
            end
            converted:set(cache[key], value:storageOffset(), value:size(), value:stride())
         end
         cache[value] = converted
      end
      value = converted
   end
   return value
end

-- Empties the named fields of a module (nn.utils.clear(m, 'a', 'b') or clear(m, {'a', 'b'})):
-- tensors keep their identity but drop their memory, tables become empty, the rest nil.
function nn.utils.clear(self, ...)
   local names = {...}
   if torch.type(names[1]) == 'table' then names = names[1] end
   for _, name in ipairs(names) do
      local value = self[name]
      if torch.isTensor(value) then
         value:set()
      elseif torch.type(value) == 'table' then
         self[name] = {}
      elseif value ~= nil then
         self[name] = nil
      end
   end
   return self
end

-- Like clear, for fields that may be other modules' tensors (a container's output is its
-- last child's): each is replaced by a new empty value, and the old one is left untouched.
function nn.utils.detach(self, ...)
   for _, name in ipairs({...}) do
      local value = self[name]
      if torch.isTensor(value) then
         self[name] = value.new()
      elseif torch.type(value) == 'table' then
         self[name] = {}
      else
         self[name] = nil
      end
   end
   return self
end

-- A deep copy of tables, torch objects, tensors and storages in which whatever was shared
-- inside `value` is shared the same way inside the copy (two tensors over one storage
-- become two tensors over one new storage), and nothing is shared with the original.
-- The original nn cloned through serialization (torch.MemoryFile), which gives the same
-- result; this copy stands in for it until torch.serialize exists.
function nn.utils.deepCopy(value, copies)
   copies = copies or {}
   local kind = type(value)
   if kind ~= 'table' and kind ~= 'cdata' then return value end
   local key = torch.pointer(value) or value
   if copies[key] ~= nil then return copies[key] end
   local copy
   if torch.isStorage(value) then
      copy = torch.getconstructortable(torch.typename(value))(value:size()):copy(value)
   elseif torch.isTensor(value) then
      copy = value.new()
      local storage = value:storage()
      if storage then
         copy:set(nn.utils.deepCopy(storage, copies), value:storageOffset(), value:size(),
            value:stride())
      end
   elseif kind == 'table' then
      copy = {}
      copies[key] = copy
      for k, v in pairs(value) do
         copy[nn.utils.deepCopy(k, copies)] = nn.utils.deepCopy(v, copies)
      end
      setmetatable(copy, getmetatable(value))
   else
      return value          -- other FFI objects (a torch.Generator...) are not copied
   end
   copies[key] = copy
   return copy
end

return nn.utils
