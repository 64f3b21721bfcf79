-- nn.MultiMarginCriterion([p[, weights[, margin]]]): the multi-class hinge loss
-- sum over classes j != y of max(0, margin - x[y] + x[j])^p / (number of classes), p 1 or 2,
-- margin default 1, each term weighted by the target class's weight when given; averaged
-- over a batch with sizeAverage (the default). Targets count classes from 1.

local MultiMarginCriterion, parent = torch.class('nn.MultiMarginCriterion', 'nn.Criterion')
local THNN = require 'nn.THNN'
local core = require 'torch.core'
local C, check = THNN.C, THNN.check

function MultiMarginCriterion:__init(p, weights, margin)
   assert(p == nil or p == 1 or p == 2, 'only p=1 and p=2 supported')
   self.p = p or 1
   self.margin = margin or 1.0
   parent.__init(self)
   self.sizeAverage = true
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

local function target_tensor(self, target)
   if not torch.isTensor(target) then
      self.target_tensor = self.target_tensor or torch.LongTensor(1)
      self.target_tensor[1] = target
      target = self.target_tensor
   end
   return target:long()
end

function MultiMarginCriterion:updateOutput(input, target)
   THNN.checkFloating(self, input)
   self.p = self.p or 1
   check(C.t7_nn_multi_margin(input, target_tensor(self, target), self.weights, self.p,
      self.margin, self.sizeAverage and 1 or 0, THNN.INDEX_BASE, core.out1), self)
   self.output = core.out1[0]
   return self.output
end

function MultiMarginCriterion:updateGradInput(input, target)
   check(C.t7_nn_multi_margin_backward(self.gradInput, input, target_tensor(self, target),
      self.weights, self.p, self.margin, self.sizeAverage and 1 or 0, THNN.INDEX_BASE), self)
   return self.gradInput
end

return MultiMarginCriterion
