-- nngraph.nest(structure): a node whose output has the nesting of `structure`, a node or a
-- (nested) list of nodes: nngraph.nest({a, {b}, c}) outputs {a's, {b's}, c's}.

local function is_node(x)
   return torch.typename(x) == 'nngraph.Node'
end

local function nest(structure)
   if is_node(structure) then return structure end
   if type(structure) ~= 'table' or #structure == 0 then
      error('what is this in the nest input? ' .. tostring(structure), 3)
   end
   if #structure == 1 then return nngraph.JustTable()(structure) end
   local nodes = {}
   for i, item in ipairs(structure) do nodes[i] = nest(item) end
   return nn.Identity()(nodes)
end

function nngraph.nest(...)
   local n = select('#', ...)
   assert(n <= 1, 'Use {input1, input2} to pass multiple inputs.')
   local structure = ...
   assert(n > 0 and structure ~= nil, 'Pass an input.')
   return nest(structure)
end
