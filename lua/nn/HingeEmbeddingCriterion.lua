-- nn.HingeEmbeddingCriterion([margin]): for distances x and targets y of 1 (similar) or -1
-- (dissimilar), the loss x where y = 1 and max(0, margin - x) where y = -1 (margin default
-- 1), averaged (self.sizeAverage, default true). y may be a number for one sample.

local HingeEmbeddingCriterion, parent = torch.class('nn.HingeEmbeddingCriterion',
   'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local C = require('nn.THNN').C

function HingeEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.sizeAverage = true
end

local function target_tensor(self, input, y)
   if torch.isTensor(y) then return y end
   self.ty = self.ty or input.new(1)
   self.ty[1] = y
   return self.ty
end

function HingeEmbeddingCriterion:updateOutput(input, y)
   return pairLoss.updateOutput(self, input, target_tensor(self, input, y),
      C.T7_LOSS_HINGE_EMBEDDING, self.margin)
end

function HingeEmbeddingCriterion:updateGradInput(input, y)
   return pairLoss.updateGradInput(self, input, target_tensor(self, input, y),
      C.T7_LOSS_HINGE_EMBEDDING, self.margin)
end

return HingeEmbeddingCriterion
