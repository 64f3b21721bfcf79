-- nn.SpatialAdaptiveMaxPooling(W, H): max pooling into an output of W x H whatever the
-- input's size; window i spans floor(i * in / out) to ceil((i + 1) * in / out).

local SpatialAdaptiveMaxPooling, parent = torch.class('nn.SpatialAdaptiveMaxPooling',
   'nn.Module')
local THNN = require 'nn.THNN'
local pooling = require 'nn.pooling'
local C, check = THNN.C, THNN.check

function SpatialAdaptiveMaxPooling:__init(W, H)
   parent.__init(self)
   self.W = W
   self.H = H
end

function SpatialAdaptiveMaxPooling:updateOutput(input)
   THNN.checkFloating(self, input)
   self.indices = (self.indices or torch.LongTensor()):long()
   check(C.t7_nn_adaptive_pool(self.output, self.indices, input, self.H, self.W,
      THNN.INDEX_BASE), self)
   return self.output
end

function SpatialAdaptiveMaxPooling:updateGradInput(input, gradOutput)
   return pooling.scatterGradient(self, input, gradOutput, 2)
end

function SpatialAdaptiveMaxPooling:empty()
   self:clearState()
end

function SpatialAdaptiveMaxPooling:clearState()
   return pooling.clearState(self, parent)
end

return SpatialAdaptiveMaxPooling
