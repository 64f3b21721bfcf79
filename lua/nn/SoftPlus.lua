-- nn.SoftPlus([beta]): log(1 + exp(beta * x)) / beta (beta default 1), the identity where
-- beta * x exceeds self.threshold (20), where the exponential would overflow.

local SoftPlus, parent = torch.class('nn.SoftPlus', 'nn.Module')
local THNN = require 'nn.THNN'

function SoftPlus:__init(beta)
   parent.__init(self)
   self.beta = beta or 1
   self.threshold = 20
end

function SoftPlus:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_SOFTPLUS, self.beta, self.threshold)
end

-- From the output: with z = exp(beta * y), the derivative is (z - 1) / z.
function SoftPlus:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_SOFTPLUS, self.beta,
      self.threshold)
end

return SoftPlus
