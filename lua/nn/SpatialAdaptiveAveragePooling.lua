-- nn.SpatialAdaptiveAveragePooling(W, H): average pooling into an output of W x H whatever
-- the input's size; window i spans floor(i * in / out) to ceil((i + 1) * in / out).

local SpatialAdaptiveAveragePooling, parent = torch.class('nn.SpatialAdaptiveAveragePooling',
   'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SpatialAdaptiveAveragePooling:__init(W, H)
   parent.__init(self)
   self.W = W
   self.H = H
end

function SpatialAdaptiveAveragePooling:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_adaptive_pool(self.output, nil, input, self.H, self.W, THNN.INDEX_BASE), self)
   return self.output
end

function SpatialAdaptiveAveragePooling:updateGradInput(input, gradOutput)
   check(C.t7_nn_adaptive_avg_pool_backward(self.gradInput, input, gradOutput), self)
   return self.gradInput
end

function SpatialAdaptiveAveragePooling:empty()
   self:clearState()
end

return SpatialAdaptiveAveragePooling
