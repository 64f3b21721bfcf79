-- nngraph.Node: a graph.Node whose data describes one step of a gModule. Calling a module
-- on nodes (nn.Linear(3, 4)(x)) makes one.
--
-- data fields (saved with the gModule): module (absent for pure routing nodes), input (the
-- inputs received during forward, by position), gradOutput (the gradients received during
-- backward, to be summed), mapindex (the data of the input nodes in order, and each one's
-- position), reverseMap (the nodes consuming this one), annotations (name, description,
-- graphAttributes, and _debugLabel: where the node was declared), selectindex and
-- nSplitOutputs (the nodes made by split), forwardNodeId (the id shown in labels).

local utils = require 'nngraph.utils'

local Node, parent = torch.class('nngraph.Node', 'graph.Node')

local function location(info, format)
   return string.format(format, info.short_src, info.currentline)
end

function Node:__init(data)
   parent.__init(self, data)
   data.annotations = data.annotations or {}
   data.mapindex = data.mapindex or {}
   data.reverseMap = data.reverseMap or {}
   if not data.annotations._debugLabel then
      local info = utils.userFrame()
      if info then data.annotations._debugLabel = location(info, '[%s]:%d_') end
   end
end

-- add(child[, domap]): child is an input of this node (the graph points from consumers to
-- their inputs). With domap the input's position is recorded, and the input learns that
-- this node consumes it (to find nodes left dangling).
function Node:add(child, domap)
   parent.add(self, child)
   if not domap then return end
   local mapindex = self.data.mapindex
   local input_data = child.data
   assert(not mapindex[input_data], "Don't pass the same input twice.")
   mapindex[#mapindex + 1] = input_data
   mapindex[input_data] = #mapindex
   local consumers = input_data.reverseMap
   assert(not consumers[self], 'this connection has already been made!')
   consumers[self] = true
end

-- split(n): n nodes, the i-th giving the i-th item of this node's output (a table).
function Node:split(noutput)
   if noutput == 1 then return nngraph.JustElement()(self) end
   local label = self.data.annotations._debugLabel or ''
   local info = utils.userFrame()
   local where = info and location(info, ' split at [%s]:%d') or ''
   local splitter = nngraph.Node({nSplitOutputs = noutput,
                                  annotations = {_debugLabel = label .. where .. '-mnode'}})
   splitter:add(self, true)
   local outputs = {}
   for i = 1, noutput do
      local select = nngraph.Node({selectindex = i, input = {},
                                   annotations = {_debugLabel = label .. '-' .. i}})
      select:add(splitter, true)
      outputs[i] = select
   end
   return unpack(outputs)
end

-- annotate{name = ..., description = ..., graphAttributes = {...}}: returns the node.
function Node:annotate(annotations)
   for k, v in pairs(annotations) do self.data.annotations[k] = v end
   return self
end

function Node:graphNodeName()
   local name = self.data.annotations.name
   if name then return name .. ' (' .. self.id .. ')' end
   return 'Node' .. self.id
end

-- The Graphviz attributes of the node: the user's, with the declaration place as tooltip.
function Node:graphNodeAttributes()
   local annotations = self.data.annotations
   annotations.graphAttributes = annotations.graphAttributes or {}
   local attributes = annotations.graphAttributes
   if not attributes.tooltip then attributes.tooltip = annotations._debugLabel end
   return attributes
end

-- 'NaN', 'inf' or '-inf' when the tensor holds such values (the first that applies). The
-- core's max propagates NaN, so one reduction finds both NaN and inf.
local function special_values(t)
   if t:nElement() == 0 then return '' end
   local largest = t:max()
   if largest ~= largest then return 'NaN' end
   if largest == math.huge then return 'inf' end
   if t:min() == -math.huge then return '-inf' end
   return ''
end

local function describe(value)
   if torch.isTensor(value) then
      local kind = 'Tensor'
      if value:type() ~= torch.Tensor():type() then kind = value:type() end
      return kind .. '[' .. table.concat(value:size():totable(), 'x') .. ']'
         .. special_values(value)
   elseif utils.istable(value) then
      local parts = {}
      for i, item in ipairs(value) do parts[i] = describe(item) end
      return '{' .. table.concat(parts, ',') .. '}'
   end
   return (tostring(value):gsub('\n', '\\l'))
end

-- The text shown in a graph drawing: the description annotation, then one line per data
-- field (sorted by name), the inputs named by the ids of their nodes.
function Node:label()
   local data = self.data
   local keys = {}
   for k in pairs(data) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   local lines = {}
   for _, k in ipairs(keys) do
      local v = data[k]
      if k == 'mapindex' then
         if #v > 1 then
            local ids = {}
            for i, input_data in ipairs(v) do
               ids[i] = 'Node' .. (input_data.forwardNodeId or '')
            end
            lines[#lines + 1] = 'mapindex = {' .. table.concat(ids, ',') .. '}'
         end
      elseif k ~= 'forwardNodeId' and k ~= 'annotations' then
         lines[#lines + 1] = tostring(k) .. ' = ' .. describe(v)
      end
   end
   local description = data.annotations.description
   local head = description and ('desc = ' .. description .. '\\n') or ''
   return head .. table.concat(lines, '\\l')
end

-- nodeA - module is module(nodeA): graphs may be written as chains.
function Node.__sub__(prev, next)
   return next(prev)
end

return Node
