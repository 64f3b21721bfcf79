-- nn.Square: x^2.

local Square, parent = torch.class('nn.Square', 'nn.Module')
local THNN = require 'nn.THNN'

function Square:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_SQUARE)
end

function Square:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_SQUARE)
end

return Square
