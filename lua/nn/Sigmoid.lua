-- nn.Sigmoid: y = 1 / (1 + exp(-x)), elementwise.

local Sigmoid = torch.class('nn.Sigmoid', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function Sigmoid:updateOutput(input)
   self.output:sigmoid(input)
   return self.output
end

-- dy/dx = y (1 - y): computed from the output, so the input is not needed.
function Sigmoid:updateGradInput(input, gradOutput)
   check(C.t7_nn_sigmoid_backward(self.gradInput, gradOutput, self.output), self)
   return self.gradInput
end

return Sigmoid
