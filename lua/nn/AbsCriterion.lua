-- nn.AbsCriterion([sizeAverage]): the mean (or, without sizeAverage, the sum) of the absolute
-- differences |x - y|.

local AbsCriterion, parent = torch.class('nn.AbsCriterion', 'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local C = require('nn.THNN').C

function AbsCriterion:__init(sizeAverage)
   parent.__init(self)
   self.sizeAverage = pairLoss.sizeAverage(sizeAverage)
end

function AbsCriterion:updateOutput(input, target)
   return pairLoss.updateOutput(self, input, target, C.T7_LOSS_ABS)
end

function AbsCriterion:updateGradInput(input, target)
   return pairLoss.updateGradInput(self, input, target, C.T7_LOSS_ABS)
end

return AbsCriterion
