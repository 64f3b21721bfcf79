-- nn.HardShrink([lambda]): x where |x| > lambda (default 0.5), else 0.

local HardShrink, parent = torch.class('nn.HardShrink', 'nn.Module')
local THNN = require 'nn.THNN'

function HardShrink:__init(lam)
   parent.__init(self)
   self.lambda = lam or 0.5
end

function HardShrink:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_HARDSHRINK, self.lambda)
end

function HardShrink:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_HARDSHRINK, self.lambda)
end

return HardShrink
