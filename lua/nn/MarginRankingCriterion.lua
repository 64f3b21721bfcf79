-- nn.MarginRankingCriterion([margin]): for a pair {x1, x2} of scores and y = 1 (x1 should
-- rank higher) or -1, the loss max(0, -y (x1 - x2) + margin) (margin default 1); with
-- batches, averaged (self.sizeAverage, default true). A number y: one pair of 1-element
-- tensors.

local MarginRankingCriterion, parent = torch.class('nn.MarginRankingCriterion',
   'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local THNN = require 'nn.THNN'
local C = THNN.C

function MarginRankingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.gradInput = {torch.Tensor(1), torch.Tensor(1)}
   self.sizeAverage = true
end

-- x1 - x2, the argument of the margin loss max(0, margin - y (x1 - x2)).
local function difference(self, input)
   THNN.checkTableSizes(self, input, 2)
   self._output = self._output or input[1].new()
   return self._output:resizeAs(input[1]):copy(input[1]):add(-1, input[2])
end

-- For a batch, the loss is the margin criterion's on x1 - x2 (averaged over the pairs).
function MarginRankingCriterion:updateOutput(input, y)
   if torch.type(y) == 'number' then
      self.output = math.max(0, -y * (input[1][1] - input[2][1]) + self.margin)
      return self.output
   end
   return pairLoss.updateOutput(self, difference(self, input), y, C.T7_LOSS_MARGIN,
      self.margin)
end

function MarginRankingCriterion:updateGradInput(input, y)
   if torch.type(y) == 'number' then
      local distance = -y * (input[1][1] - input[2][1]) + self.margin
      self.gradInput[1][1] = distance < 0 and 0 or -y
      self.gradInput[2][1] = distance < 0 and 0 or y
      return self.gradInput
   end
   self.dist = self.dist or input[1].new()
   local grad = pairLoss.updateGradInput(self, difference(self, input), y, C.T7_LOSS_MARGIN,
      self.margin, nil, self.dist)
   self.gradInput[1]:resizeAs(grad):copy(grad)
   self.gradInput[2]:resizeAs(grad):copy(grad):mul(-1)
   return self.gradInput
end

return MarginRankingCriterion
