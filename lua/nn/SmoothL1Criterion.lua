-- nn.SmoothL1Criterion([sizeAverage]): the Huber loss: 0.5 (x - y)^2 where |x - y| < 1, else
-- |x - y| - 0.5; averaged with sizeAverage (the default).

local SmoothL1Criterion, parent = torch.class('nn.SmoothL1Criterion', 'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local C = require('nn.THNN').C

function SmoothL1Criterion:__init(sizeAverage)
   parent.__init(self)
   self.sizeAverage = pairLoss.sizeAverage(sizeAverage)
end

function SmoothL1Criterion:updateOutput(input, target)
   return pairLoss.updateOutput(self, input, target, C.T7_LOSS_SMOOTH_L1)
end

function SmoothL1Criterion:updateGradInput(input, target)
   return pairLoss.updateGradInput(self, input, target, C.T7_LOSS_SMOOTH_L1)
end

return SmoothL1Criterion
