-- nn.Tanh: y = tanh(x), elementwise.

local Tanh = torch.class('nn.Tanh', 'nn.Module')
local C, check = require('torch.core').C, require('torch.core').check

function Tanh:updateOutput(input)
   self.output:tanh(input)
   return self.output
end

-- dy/dx = 1 - y^2: computed from the output, so the input is not needed.
function Tanh:updateGradInput(input, gradOutput)
   check(C.t7_nn_tanh_backward(self.gradInput, gradOutput, self.output))
   return self.gradInput
end

return Tanh
