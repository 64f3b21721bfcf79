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

-- The recursive helpers below walk tables of tensors (nested any depth), as table
-- modules' inputs and outputs are; `t1` is made to mirror `t2`'s structure.

-- t1 (created or reused) gets t2's structure and sizes.
function nn.utils.recursiveResizeAs(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {t1}
      for key in pairs(t2) do
         t1[key], t2[key] = nn.utils.recursiveResizeAs(t1[key], t2[key])
      end
      for key in pairs(t1) do
         if not t2[key] then t1[key] = nil end
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resize(t2:size())
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and '
         .. torch.type(t2) .. ' instead', 2)
   end
   return t1, t2
end

function nn.utils.recursiveFill(t2, val)
   if torch.type(t2) == 'table' then
      for key in pairs(t2) do t2[key] = nn.utils.recursiveFill(t2[key], val) end
   elseif torch.isTensor(t2) then
      t2:fill(val)
   else
      error('expecting tensor or table thereof. Got ' .. torch.type(t2) .. ' instead', 2)
   end
   return t2
end

-- t1 = t1 + val * t2 (recursiveAdd(t1, t2) adds t2 once).
function nn.utils.recursiveAdd(t1, val, t2)
   if not t2 then
      assert(val, 'expecting at least two arguments')
      t2, val = val, 1
   end
   val = val or 1
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {t1}
      for key in pairs(t2) do
         t1[key], t2[key] = nn.utils.recursiveAdd(t1[key], val, t2[key])
      end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(val, t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and '
         .. torch.type(t2) .. ' instead', 2)
   end
   return t1, t2
end

-- t1 (created or reused) becomes a copy of t2. (`async` is accepted for GPU tensors'
-- sake; on the CPU every copy is synchronous.)
function nn.utils.recursiveCopy(t1, t2, async)
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {t1}
      for key in pairs(t2) do
         t1[key], t2[key] = nn.utils.recursiveCopy(t1[key], t2[key], async)
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resize(t2:size()):copy(t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and '
         .. torch.type(t2) .. ' instead', 2)
   end
   return t1, t2
end

-- addSingletonDimension([view,] t[, dim]): a view of t (into `view` when given) with a
-- dimension of size 1 inserted at dim (default 1).
function nn.utils.addSingletonDimension(...)
   local view, t, dim
   if select('#', ...) < 3 then
      t, dim = ...
   else
      view, t, dim = ...
      assert(torch.isTensor(view), 'output tensor expected, got ' .. torch.type(view))
   end
   assert(torch.isTensor(t), 'input tensor expected')
   dim = dim or 1
   assert(dim > 0 and dim <= t:dim() + 1, 'invalid dimension: ' .. dim .. '. Tensor is of '
      .. t:dim() .. ' dimensions.')
   view = view or t.new()
   local size, stride = {}, {}
   for d = 1, t:dim() do
      local at = d < dim and d or d + 1
      size[at], stride[at] = t:size(d), t:stride(d)
   end
   size[dim], stride[dim] = 1, 1
   view:set(t:storage(), t:storageOffset(), torch.LongStorage(size),
      torch.LongStorage(stride))
   return view
end

-- output (created or reused) = input viewed with the sizes given, through a contiguous
-- copy when input is not contiguous.
function nn.utils.contiguousView(output, input, ...)
   output = output or input.new()
   if input:isContiguous() then
      output:view(input, ...)
   else
      output:resize(input:size()):copy(input)
      output:set(output:view(...))
   end
   return output
end

-- Lua 5.2 code (and the original's tests) use table.unpack.
table.unpack = table.unpack or unpack

return nn.utils
