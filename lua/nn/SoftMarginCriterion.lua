-- nn.SoftMarginCriterion: the two-class logistic loss log(1 + exp(-y x)) for targets
-- y of 1 or -1, averaged (self.sizeAverage, default true).

local SoftMarginCriterion, parent = torch.class('nn.SoftMarginCriterion', 'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local C = require('nn.THNN').C

function SoftMarginCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
end

function SoftMarginCriterion:updateOutput(input, target)
   return pairLoss.updateOutput(self, input, target, C.T7_LOSS_SOFT_MARGIN)
end

function SoftMarginCriterion:updateGradInput(input, target)
   return pairLoss.updateGradInput(self, input, target, C.T7_LOSS_SOFT_MARGIN)
end

return SoftMarginCriterion
