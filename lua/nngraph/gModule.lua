-- nn.gModule(inputs, outputs): a module made of a directed acyclic graph of modules, built
-- from the nngraph.Node objects that calling modules on nodes returns.
--
-- The graph is declared from the outputs back: each node points to its inputs. Two extra
-- routing nodes close it: `outnode` takes every output node as input, and a dummy input
-- node (`innode` in the forward graph) feeds the declared inputs (through a split when
-- there are several). bg, the backward graph, is everything reachable from outnode; fg,
-- the forward graph, is bg reversed (new node objects over the same data tables).
-- forward runs the modules in a topological order of fg, backward in one of bg.
--
-- Each node has one output (possibly a table). node.data.input collects the node's inputs
-- by position during forward; node.data.gradOutput collects the gradients that its
-- consumers send back, summed before use (into data.gradOutputBuffer when needed).
--
-- Fields, as in saved files: fg, bg, innode, outnode, forwardnodes, backwardnodes, modules
-- (the modules in forward order), nInputs, verbose, output, gradInput.

local nesting = require 'nngraph.nesting'
local utils = require 'nngraph.utils'

local gModule, parent = torch.class('nn.gModule', 'nn.Container')

local function is_node(x)
   return torch.typename(x) == 'nngraph.Node'
end

local function check_nodes(list, name)
   for i = 1, utils.tableMaxN(list) do
      if not is_node(list[i]) then
         error(utils.expectingNodeErrorMessage(list[i], name, i), 3)
      end
   end
end

-- Refuses graphs with a split output nobody uses, or a node that consumes part of the
-- graph without leading to an output (it would silently never run).
local function check_connections(forwardnodes)
   local position = {}
   for i, node in ipairs(forwardnodes) do position[node.data] = i end
   for i, node in ipairs(forwardnodes) do
      local data = node.data
      if data.nSplitOutputs and data.nSplitOutputs ~= #node.children then
         error(string.format('%d of split(%d) outputs from the node declared at %s are '
            .. 'unused', data.nSplitOutputs - #node.children, data.nSplitOutputs,
            tostring(data.annotations._debugLabel)), 3)
      end
      for consumer in pairs(data.reverseMap) do
         if not (position[consumer.data] and position[consumer.data] > i) then
            error(string.format('node declared on %s does not connect to gmodule output',
               tostring(consumer.data.annotations._debugLabel)), 3)
         end
      end
   end
end

-- Finds the dummy input node among the forward graph's roots. Other roots may only be
-- parameter nodes (nnop.Parameters modules, which take no input).
local function find_innode(fg, innode_data)
   local found
   for _, root in ipairs(fg:roots()) do
      if root.data == innode_data then
         found = root
      else
         local module = root.data.module
         assert(module, 'Expected nnop.Parameters node, module not found in node')
         assert(torch.typename(module) == 'nnop.Parameters',
            'Expected nnop.Parameters node, found : ' .. tostring(torch.typename(module)))
      end
   end
   assert(found, 'input node not found among roots')
   return found
end

function gModule:__init(inputs, outputs)
   parent.__init(self)
   check_nodes(outputs, 'outputs')
   check_nodes(inputs, 'inputs')
   assert(#inputs > 0, 'no inputs are not supported')

   local outnode = nngraph.Node({input = {}})
   for i = 1, utils.tableMaxN(outputs) do outnode:add(outputs[i], true) end

   local innode = nngraph.Node({input = {}})
   if #inputs == 1 then
      inputs[1]:add(innode, true)
   else
      local splits = {innode:split(#inputs)}
      for i = 1, #inputs do
         assert(#inputs[i].children == 0, 'an input should have no inputs')
      end
      for i = 1, #inputs do inputs[i]:add(splits[i], true) end
   end

   self.bg = outnode:graph()
   self.fg = self.bg:reverse()
   self.innode = find_innode(self.fg, innode.data)
   self.outnode = outnode
   self.verbose = false
   self.nInputs = #inputs

   self.forwardnodes = self.fg:topsort()
   self.backwardnodes = self.bg:topsort()
   check_connections(self.forwardnodes)
   for _, node in ipairs(self.forwardnodes) do
      node.data.forwardNodeId = node.id
      if node.data.module then self:add(node.data.module) end
   end

   self.output = nil
   self.gradInput = nil
   if #self.outnode.children > 1 then self.output = self.outnode.data.input end
end

-- What a node's module receives: its single input, or the list of its inputs. A node
-- without inputs but with a module (a parameter node) receives an empty list.
local function node_input(data)
   local input = data.input
   if input == nil then return {} end
   if #input == 1 then return input[1] end
   return input
end

-- Empties a list in place (nodes keep their tables across calls).
local function clear(list)
   if list then
      for i = #list, 1, -1 do list[i] = nil end
   end
end

-- The sum of the gradients a node received. One gradient is used as it is. A gradient that
-- is an expanded zero (a one-element storage holding 0) adds nothing, so when at most one
-- is not such a zero, that one is used without a copy (this is decided once per node:
-- after a buffer exists the node always sums into it).
local function total_grad_output(data)
   local received = data.gradOutput
   assert(utils.istable(received), 'expecting gradients to sum')
   if #received == 1 then return received[1] end
   if not data.gradOutputBuffer then
      local nonzero, count = 1, 0
      for i, g in ipairs(received) do
         local storage = torch.isTensor(g) and g:storage()
         if not (storage and storage:size() == 1 and storage[1] == 0) then
            nonzero, count = i, count + 1
         end
      end
      if count < 2 then return received[nonzero] end
      data.gradOutputBuffer = nesting.cloneNested(received[1])
   end
   local buffer = data.gradOutputBuffer
   nesting.resizeNestedAs(buffer, received[1])
   nesting.copyNested(buffer, received[1])
   for i = 2, #received do nesting.addNestedTo(buffer, received[i]) end
   return buffer
end

local function trace(gmodule, node)
   if gmodule.verbose then print(' V : ' .. node:label()) end
end

-- One forward step: computes the node's output and hands it to its consumers.
local function forward_node(node, gmodule, func)
   local data = node.data
   local output
   if data.selectindex then
      assert(not data.module, 'the selectindex-handling nodes should have no module')
      local input = data.input
      assert(#input == 1, 'only the splitted node should be the input')
      assert(utils.istable(input[1]), 'the input for a split should be a table')
      output = input[1][data.selectindex]
   else
      local input = node_input(data)
      output = input
      if data.module then output = func(data.module, input) end
      if data.nSplitOutputs and data.nSplitOutputs ~= #output then
         error(string.format('split(%d) cannot split %d outputs', data.nSplitOutputs,
            #output))
      end
   end
   for _, consumer in ipairs(node.children) do
      local cdata = consumer.data
      cdata.input = cdata.input or {}
      local position = cdata.mapindex[data]
      assert(not cdata.input[position], 'each input should have one source')
      cdata.input[position] = output
   end
   trace(gmodule, node)
end

-- One backward step: sums the node's gradients, and sends each input its part.
local function backward_node(node, gmodule)
   local data = node.data
   if data.selectindex then
      assert(not data.module, 'the selectindex-handling nodes should have no module')
      assert(#node.children == 1, 'only the splitted node should be the input')
      local splitter = node.children[1].data
      splitter.gradOutput = splitter.gradOutput or {}
      assert(#splitter.gradOutput <= 1, 'the splitted node should be used only once')
      splitter.gradOutput[1] = splitter.gradOutput[1] or {}
      assert(not splitter.gradOutput[1][data.selectindex],
         'no gradOutput should be assigned yet')
      splitter.gradOutput[1][data.selectindex] = total_grad_output(data)
   else
      local gradOutput = total_grad_output(data)
      local gradInput = gradOutput
      if data.module then
         gradInput = data.module:updateGradInput(node_input(data), gradOutput)
      end
      local single = #node.children == 1
      for _, input_node in ipairs(node.children) do
         local idata = input_node.data
         idata.gradOutput = idata.gradOutput or {}
         local part = single and gradInput or gradInput[data.mapindex[idata]]
         idata.gradOutput[#idata.gradOutput + 1] = part
      end
   end
   trace(gmodule, node)
end

-- One parameter-gradient step, with the gradient summed by backward_node.
local function accumulate_node(node, gmodule, scale)
   local data = node.data
   if data.module then
      local received = data.gradOutput
      local gradOutput = received[1]
      if #received > 1 then gradOutput = data.gradOutputBuffer or total_grad_output(data) end
      data.module:accGradParameters(node_input(data), gradOutput, scale)
   end
   trace(gmodule, node)
end

-- The per-node steps, for nngraph.setDebug to find the node that failed (each takes the
-- node as its first argument).
gModule._nodeSteps = {forward_node, backward_node, accumulate_node}

function gModule:updateOutput(input)
   return self:runForwardFunction('updateOutput', input)
end

-- Runs func(module, input) over the graph in forward order (func: a function, or the name
-- of a module method) and returns the graph's output.
function gModule:runForwardFunction(func, input)
   if type(func) == 'string' then
      local name = func
      func = function(module, x) return module[name](module, x) end
   end
   local nInputs = self.nInputs or #self.innode.children
   if nInputs <= 1 then
      input = {input}
   elseif type(input) ~= 'table' then
      error(string.format('expecting table of %d inputs', nInputs), 2)
   end
   if #input ~= nInputs then
      error(string.format('Got %d inputs instead of %d', #input, nInputs), 2)
   end
   for _, node in ipairs(self.forwardnodes) do clear(node.data.input) end
   local indata = self.innode.data
   indata.input = indata.input or {}
   for i, item in ipairs(input) do indata.input[i] = item end

   for _, node in ipairs(self.forwardnodes) do forward_node(node, self, func) end

   self.output = self.outnode.data.input
   if #self.outnode.children == 1 then self.output = self.output[1] end
   return self.output
end

local function check_grad_outputs(self, gradOutput)
   local n = #self.outnode.children
   if n > 1 and #gradOutput ~= n then
      error(string.format('Got %d gradOutputs instead of %d', #gradOutput, n), 3)
   end
end

function gModule:updateGradInput(input, gradOutput)
   check_grad_outputs(self, gradOutput)
   for _, node in ipairs(self.backwardnodes) do clear(node.data.gradOutput) end
   local outdata = self.outnode.data
   outdata.gradOutput = outdata.gradOutput or {}
   outdata.gradOutput[1] = gradOutput

   for _, node in ipairs(self.backwardnodes) do backward_node(node, self) end

   local received = self.innode.data.gradOutput
   assert(#received == 1, 'expecting the innode to be used only once')
   self.gradInput = received[1]
   return self.gradInput
end

function gModule:accGradParameters(input, gradOutput, scale)
   check_grad_outputs(self, gradOutput)
   for _, node in ipairs(self.backwardnodes) do accumulate_node(node, self, scale) end
end

-- replace(callback): as Module:replace, keeping the graph's nodes and `modules` in step.
function gModule:replace(callback)
   local result = callback(self)
   local position = {}
   for i, m in ipairs(self.modules) do position[m] = i end
   for _, node in ipairs(self.forwardnodes) do
      local old = node.data.module
      if old then
         node.data.module = old:replace(callback)
         self.modules[position[old]] = node.data.module
      end
   end
   return result
end

-- map(gm, func): func(module, twin) for each module of self and the module at the same
-- place in gm, a gModule of the same structure.
function gModule:map(gm, func)
   for i, node in ipairs(self.forwardnodes) do
      local twin = gm.forwardnodes[i]
      assert(twin, 'trying to map another gModule with a different structure')
      if node.data.module then
         assert(twin.data.module, 'trying to map another gModule with a different structure')
         func(node.data.module, twin.data.module)
      end
   end
end

-- type(name[, cache]): the modules, and the tensors the nodes hold between calls, all
-- through one cache, so that a node's input stays the very tensor its source module
-- outputs.
function gModule:type(typename, tensorCache)
   if not typename then return self._type end
   tensorCache = tensorCache or {}
   parent.type(self, typename, tensorCache)
   local convert = nn.utils.recursiveType
   for _, node in ipairs(self.forwardnodes) do
      local data = node.data
      for _, field in ipairs({'input', 'gradOutput', 'gradOutputBuffer'}) do
         if data[field] ~= nil then data[field] = convert(data[field], typename, tensorCache) end
      end
   end
   return self
end

function gModule:clearState()
   local result = parent.clearState(self)
   for _, node in ipairs(self.backwardnodes) do
      node.data.gradOutput = nil
      node.data.gradOutputBuffer = nil
   end
   for _, node in ipairs(self.forwardnodes) do node.data.input = nil end
   return result
end

-- Files written before `modules` existed rebuild it from the graph.
function gModule:read(file)
   parent.read(self, file)
   if not self.modules then
      self.modules = {}
      for _, node in ipairs(self.forwardnodes) do
         if node.data.module then self.modules[#self.modules + 1] = node.data.module end
      end
   end
end

function gModule:__tostring__()
   return self.name or torch.type(self)
end

return gModule
