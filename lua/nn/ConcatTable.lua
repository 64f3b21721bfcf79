-- nn.ConcatTable: every child gets the same input (a tensor or a table); the output is
-- the table of their outputs.

local ConcatTable, parent = torch.class('nn.ConcatTable', 'nn.Container')
local branching = require 'nn.branching'

function ConcatTable:__init()
   parent.__init(self)
   self.modules = {}
   self.output = {}
end

function ConcatTable:updateOutput(input)
   for i = 1, #self.modules do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
   end
   return self.output
end

function ConcatTable:updateGradInput(input, gradOutput)
   return branching.backward(self, 'updateGradInput', input,
      function(i) return gradOutput[i] end)
end

function ConcatTable:backward(input, gradOutput, scale)
   return branching.backward(self, 'backward', input, function(i) return gradOutput[i] end,
      scale)
end

function ConcatTable:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accGradParameters', input, gradOutput[i], scale)
   end
end

function ConcatTable:accUpdateGradParameters(input, gradOutput, lr)
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input, gradOutput[i], lr)
   end
end

ConcatTable.__tostring__ = branching.describe

return ConcatTable
