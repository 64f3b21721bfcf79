-- nn.Abs: |x|; the gradient takes the sign of x (+1 at 0).

local Abs, parent = torch.class('nn.Abs', 'nn.Module')
local THNN = require 'nn.THNN'

function Abs:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_ABS)
end

function Abs:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_ABS)
end

return Abs
