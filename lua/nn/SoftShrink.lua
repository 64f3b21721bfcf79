-- nn.SoftShrink([lambda]): x - lambda above lambda (default 0.5), x + lambda below
-- -lambda, 0 between.

local SoftShrink, parent = torch.class('nn.SoftShrink', 'nn.Module')
local THNN = require 'nn.THNN'

function SoftShrink:__init(lam)
   parent.__init(self)
   self.lambda = lam or 0.5
end

function SoftShrink:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_SOFTSHRINK, self.lambda)
end

function SoftShrink:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_SOFTSHRINK, self.lambda)
end

return SoftShrink
