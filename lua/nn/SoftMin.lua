-- nn.SoftMin: the softmax of -x (over the same dimensions as nn.SoftMax).

local SoftMin, parent = torch.class('nn.SoftMin', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SoftMin:updateOutput(input)
   THNN.checkFloating(self, input)
   self.mininput = self.mininput or input.new()
   self.mininput:mul(input, -1)
   check(C.t7_nn_softmax(self.output, self.mininput, 0), self)
   return self.output
end

function SoftMin:updateGradInput(input, gradOutput)
   check(C.t7_nn_softmax_backward(self.gradInput, gradOutput, self.output, 0), self)
   return self.gradInput:mul(-1)
end

function SoftMin:clearState()
   if self.mininput then self.mininput:set() end
   return parent.clearState(self)
end

return SoftMin
