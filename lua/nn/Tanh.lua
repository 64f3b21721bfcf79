-- nn.Tanh: y = tanh(x), elementwise.

local Tanh = torch.class('nn.Tanh', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function Tanh:updateOutput(input)
   self.output:tanh(input)
   return self.output
end

-- dy/dx = 1 - y^2: computed from the output, so the input is not needed.
function Tanh:updateGradInput(input, gradOutput)
   check(C.t7_nn_tanh_backward(self.gradInput, gradOutput, self.output), self)
   return self.gradInput
end

return Tanh
