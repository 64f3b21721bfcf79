-- nn.BCECriterion([weights[, sizeAverage]]): the binary cross-entropy
-- -sum w (y log x + (1 - y) log(1 - x)) of probabilities x against targets y in [0, 1],
-- with optional weights per class (one per column of a batch); averaged with sizeAverage
-- (the default).

local BCECriterion, parent = torch.class('nn.BCECriterion', 'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local THNN = require 'nn.THNN'
local C = THNN.C

function BCECriterion:__init(weights, sizeAverage)
   parent.__init(self)
   self.sizeAverage = pairLoss.sizeAverage(sizeAverage)
   if weights ~= nil then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

function BCECriterion:__len()
   return self.weights and #self.weights or 0
end

-- The weights spread over a batch's rows.
local function weights_for(self, target)
   local w = self.weights
   if w ~= nil and target:dim() ~= 1 then
      return w:view(1, target:size(2)):expandAs(target)
   end
   return w
end

function BCECriterion:updateOutput(input, target)
   THNN.assert(self, input:nElement() == target:nElement(),
      'input and target size mismatch: %s and %s', THNN.sizes(input), THNN.sizes(target))
   return pairLoss.updateOutput(self, input, target, C.T7_LOSS_BCE, 0,
      weights_for(self, target))
end

function BCECriterion:updateGradInput(input, target)
   THNN.assert(self, input:nElement() == target:nElement(),
      'input and target size mismatch: %s and %s', THNN.sizes(input), THNN.sizes(target))
   return pairLoss.updateGradInput(self, input, target, C.T7_LOSS_BCE, 0,
      weights_for(self, target))
end

return BCECriterion
