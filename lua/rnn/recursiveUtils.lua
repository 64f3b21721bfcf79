-- rnn's helpers over nested tables of tensors (hidden states are such tables).

rnn.recursiveResizeAs = nn.utils.recursiveResizeAs
rnn.recursiveCopy = nn.utils.recursiveCopy
rnn.recursiveFill = nn.utils.recursiveFill

function rnn.recursiveAdd(t1, t2)
   return nn.utils.recursiveAdd(t1, 1, t2)
end

-- Calls f(tensor) on every tensor of a nested table, which becomes f's result.
local function map_tensors(t, f, name)
   if torch.type(t) == 'table' then
      for key, value in pairs(t) do t[key] = map_tensors(value, f, name) end
      return t
   elseif torch.isTensor(t) then
      return f(t)
   end
   error(string.format('%s: expecting tensor or table thereof. Got %s instead', name,
      torch.type(t)), 3)
end

-- t1 becomes a nested table of views of t2's tensors (set, not copied).
function rnn.recursiveSet(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {t1}
      for key in pairs(t2) do t1[key], t2[key] = rnn.recursiveSet(t1[key], t2[key]) end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:set(t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and '
         .. torch.type(t2) .. ' instead', 2)
   end
   return t1, t2
end

-- Whether two nested tables of tensors agree within 1e-5 everywhere.
function rnn.recursiveTensorEq(t1, t2)
   if torch.type(t2) == 'table' then
      if torch.type(t1) ~= 'table' then return false end
      for key in pairs(t2) do
         if not rnn.recursiveTensorEq(t1[key], t2[key]) then return false end
      end
      return true
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      return (t1 - t2):abs():max() < 0.00001
   end
   error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and '
      .. torch.type(t2) .. ' instead', 2)
end

function rnn.recursiveNormal(t)
   return map_tensors(t, function(x) return x:normal() end, 'recursiveNormal')
end

function rnn.recursiveType(t, typename)
   return nn.utils.recursiveType(t, typename)
end

function rnn.recursiveSum(t)
   local sum = 0
   map_tensors(t, function(x) sum = sum + x:sum() return x end, 'recursiveSum')
   return sum
end

-- A nested table of new empty tensors of the same types.
function rnn.recursiveNew(t)
   if torch.type(t) == 'table' then
      local result = {}
      for key, value in pairs(t) do result[key] = rnn.recursiveNew(value) end
      return result
   end
   return map_tensors(t, function(x) return x.new() end, 'recursiveNew')
end

return rnn
