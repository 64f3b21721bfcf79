-- nn.MarginCriterion([margin]): the two-class hinge loss max(0, margin - y x) for targets
-- y of 1 or -1 (margin default 1), averaged (self.sizeAverage, default true).

local MarginCriterion, parent = torch.class('nn.MarginCriterion', 'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local C = require('nn.THNN').C

function MarginCriterion:__init(margin)
   parent.__init(self)
   self.sizeAverage = true
   self.margin = margin or 1
end

function MarginCriterion:updateOutput(input, target)
   return pairLoss.updateOutput(self, input, target, C.T7_LOSS_MARGIN, self.margin)
end

function MarginCriterion:updateGradInput(input, target)
   return pairLoss.updateGradInput(self, input, target, C.T7_LOSS_MARGIN, self.margin)
end

return MarginCriterion
