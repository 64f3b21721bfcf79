-- Operations on nested values (a tensor, or a table of nested values), used for the sums of
-- gradients in gModule. require 'nngraph.nesting' returns them (other packages use them).

local nesting = {}

-- A deep copy of the tensors, in tables of the same shape.
function nesting.cloneNested(obj)
   if torch.isTensor(obj) then return obj:clone() end
   local copy = {}
   for key, child in pairs(obj) do copy[key] = nesting.cloneNested(child) end
   return copy
end

function nesting.fillNested(obj, value)
   if torch.isTensor(obj) then
      obj:fill(value)
      return
   end
   for _, child in pairs(obj) do nesting.fillNested(child, value) end
end

-- Gives `output` the shape of `input`: tensors resized, entries missing from output added
-- (as copies), entries input lacks removed.
function nesting.resizeNestedAs(output, input)
   if torch.isTensor(output) then
      output:resizeAs(input)
      return
   end
   for key, child in pairs(input) do
      if output[key] == nil then
         output[key] = nesting.cloneNested(child)
      else
         nesting.resizeNestedAs(output[key], child)
      end
   end
   for key in pairs(output) do
      if input[key] == nil then output[key] = nil end
   end
end

function nesting.copyNested(output, input)
   if torch.isTensor(output) then
      output:copy(input)
      return
   end
   for key, child in pairs(input) do nesting.copyNested(output[key], child) end
   for key in pairs(output) do
      if input[key] == nil then
         error('key ' .. tostring(key) .. ' present in output but not in input', 2)
      end
   end
end

-- output += input, element by element, through the nesting.
function nesting.addNestedTo(output, input)
   if torch.isTensor(output) then
      output:add(input)
      return
   end
   for key, child in pairs(input) do
      assert(output[key] ~= nil, 'missing key')
      nesting.addNestedTo(output[key], child)
   end
end

return nesting
