-- nn.CMinTable: the element-wise minimum of the tensors of the input table; the
-- gradient goes, at each element, to the input that held the minimum (the first one on ties).

local CMinTable, parent = torch.class('nn.CMinTable', 'nn.Module')
local THNN = require 'nn.THNN'

function CMinTable:__init()
   parent.__init(self)
   self.gradInput = {}
   self.minIdx = torch.Tensor()
   self.mask = torch.Tensor()
   self.minVals = torch.Tensor()
   self.gradMaxVals = torch.Tensor()
end

function CMinTable:updateOutput(input)
   THNN.checkTableSizes(self, input)
   self.output:resizeAs(input[1]):copy(input[1])
   self.minIdx:resizeAs(input[1]):fill(1)
   -- (a ByteTensor again if a type conversion turned it into another type)
   if torch.type(self.maskByteTensor) ~= 'torch.ByteTensor' then
      self.maskByteTensor = torch.ByteTensor()
   end
   for i = 2, #input do
      self.mask:lt(input[i], self.output)
      self.maskByteTensor:resize(self.mask:size()):copy(self.mask)
      self.minIdx:maskedFill(self.maskByteTensor, i)
      self.minVals:maskedSelect(input[i], self.maskByteTensor)
      self.output:maskedCopy(self.maskByteTensor, self.minVals)
   end
   return self.output
end

function CMinTable:updateGradInput(input, gradOutput)
   if torch.type(self.maskByteTensor) ~= 'torch.ByteTensor' then
      self.maskByteTensor = torch.ByteTensor()
   end
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      self.gradInput[i]:resizeAs(input[i]):fill(0)
      self.mask:eq(self.minIdx, i)
      self.maskByteTensor:resize(self.mask:size()):copy(self.mask)
      self.gradMaxVals:maskedSelect(gradOutput, self.maskByteTensor)
      self.gradInput[i]:maskedCopy(self.maskByteTensor, self.gradMaxVals)
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

return CMinTable
