-- nn.CMulTable: the element-wise product of the tensors of the input table.

local CMulTable, parent = torch.class('nn.CMulTable', 'nn.Module')
local THNN = require 'nn.THNN'

function CMulTable:__init()
   parent.__init(self)
   self.gradInput = {}
end

function CMulTable:updateOutput(input)
   THNN.checkTableSizes(self, input)
   self.output:resizeAs(input[1]):copy(input[1])
   for i = 2, #input do self.output:cmul(input[i]) end
   return self.output
end

-- The gradient for input i: gradOutput times the product of the other inputs (not the
-- output divided by input i, which fails where input i is 0).
function CMulTable:updateGradInput(input, gradOutput)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      self.gradInput[i]:resizeAs(input[i]):copy(gradOutput)
      for j = 1, #input do
         if i ~= j then self.gradInput[i]:cmul(input[j]) end
      end
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

-- The original's faster gradient through the output, wrong where an input is 0.
function CMulTable:updateGradInput_efficient(input, gradOutput)
   self.tout = self.tout or input[1].new()
   self.tout:resizeAs(self.output)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      self.tout:copy(self.output):cdiv(input[i])
      self.gradInput[i]:resizeAs(input[i]):copy(gradOutput):cmul(self.tout)
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

function CMulTable:clearState()
   if self.tout then self.tout:set() end
   return parent.clearState(self)
end

return CMulTable
