-- nn.SpatialLogSoftMax: the log-softmax over the planes at each position (as
-- nn.SpatialSoftMax).

local SpatialLogSoftMax = torch.class('nn.SpatialLogSoftMax', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SpatialLogSoftMax:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_softmax(self.output, input, 1), self)
   return self.output
end

function SpatialLogSoftMax:updateGradInput(input, gradOutput)
   check(C.t7_nn_softmax_backward(self.gradInput, gradOutput, self.output, 1), self)
   return self.gradInput
end

return SpatialLogSoftMax
