-- nn.SpatialSoftMax: the softmax over the planes at each position of a 3-D (planes x h x w)
-- or 4-D (batch) input, or over the features of a vector or matrix.

local SpatialSoftMax = torch.class('nn.SpatialSoftMax', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SpatialSoftMax:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_softmax(self.output, input, 0), self)
   return self.output
end

function SpatialSoftMax:updateGradInput(input, gradOutput)
   check(C.t7_nn_softmax_backward(self.gradInput, gradOutput, self.output, 0), self)
   return self.gradInput
end

return SpatialSoftMax
