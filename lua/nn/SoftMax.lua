-- nn.SoftMax: y_i = exp(x_i) / sum_j exp(x_j), over the one dimension of a vector, over
-- each row of a matrix (a batch), or over the feature dimension of 3-D and 4-D inputs.

local SoftMax = torch.class('nn.SoftMax', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SoftMax:updateOutput(input)
   check(C.t7_nn_softmax(self.output, input, 0), self)
   return self.output
end

function SoftMax:updateGradInput(input, gradOutput)
   check(C.t7_nn_softmax_backward(self.gradInput, gradOutput, self.output, 0), self)
   return self.gradInput
end

return SoftMax
