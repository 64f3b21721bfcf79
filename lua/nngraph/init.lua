-- require 'nngraph': graphs of nn modules. Calling a module on nodes makes a node
-- (nn.Linear(3, 4)(x); nn.Identity()() has no inputs; {a, b} - nn.CAddTable() and
-- x - nn.Tanh() are the same calls written as chains), and nn.gModule(inputs, outputs)
-- turns the graph between them into a module.

require 'nn'
require 'graph'

nngraph = nngraph or {}

local utils = require 'nngraph.utils'

require 'nngraph.nest'
require 'nngraph.Node'
require 'nngraph.gModule'
require 'nngraph.graphinspecting'
require 'nngraph.JustElement'
require 'nngraph.JustTable'
require 'nngraph.ModuleFromCriterion'

nngraph.simple_print = require 'nngraph.simple_print'

local Module = torch.getmetatable('nn.Module')

-- module(node), module({node, ...}) or module(): a new node applying the module to the
-- outputs of the given nodes (in that order). This replaces nn's module(input), which ran
-- forward, as the original nngraph did.
function Module:__call__(...)
   local n = select('#', ...)
   assert(n <= 1, 'Use {input1, input2} to pass multiple inputs.')
   local input = ...
   if n == 1 and input == nil then
      error(utils.expectingNodeErrorMessage(input, 'inputs', 1), 2)
   end
   -- an empty table is most likely a list of misspelt variables
   if type(input) == 'table' and next(input) == nil then
      error('cannot pass an empty table of inputs. To indicate no incoming connections, '
         .. 'leave the second set of parens blank.', 2)
   end
   if not utils.istable(input) then input = {input} end
   local node = nngraph.Node({module = self})
   for i = 1, utils.tableMaxN(input) do
      if torch.typename(input[i]) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(input[i], 'inputs', i), 2)
      end
      node:add(input[i], true)
   end
   return node
end

-- -module is module(); a - module is module(a).
function Module.__unm__(module)
   return module()
end

function Module.__sub__(prev, next)
   return next(prev)
end

-- A criterion called on nodes becomes a ModuleFromCriterion node.
local Criterion = torch.getmetatable('nn.Criterion')
function Criterion:__call__(...)
   return nn.ModuleFromCriterion(self)(...)
end

return nngraph
