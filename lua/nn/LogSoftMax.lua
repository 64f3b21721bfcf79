-- nn.LogSoftMax: y = log(softmax(x)), over the same dimension as nn.SoftMax, computed
-- without forming the softmax itself (stable for large inputs).

local LogSoftMax = torch.class('nn.LogSoftMax', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function LogSoftMax:updateOutput(input)
   check(C.t7_nn_softmax(self.output, input, 1), self)
   return self.output
end

function LogSoftMax:updateGradInput(input, gradOutput)
   check(C.t7_nn_softmax_backward(self.gradInput, gradOutput, self.output, 1), self)
   return self.gradInput
end

return LogSoftMax
