-- What the element-wise criterions share (Abs, SmoothL1, SoftMargin, DistKLDiv, BCE,
-- Margin, L1Cost, HingeEmbedding): the sum of a loss over input and target elements,
-- averaged over the elements with sizeAverage, and its gradient (C.T7_LOSS_* codes).

local THNN = require 'nn.THNN'
local core = require 'torch.core'
local C, check = THNN.C, THNN.check

local pairLoss = {}

local function check_sizes(self, input, target)
   THNN.checkFloating(self, input)
   if target and input:nElement() ~= target:nElement() then
      THNN.fail(self, 'input and target size mismatch: %s and %s', THNN.sizes(input),
         THNN.sizes(target))
   end
end

function pairLoss.updateOutput(self, input, target, code, param, weights)
   check_sizes(self, input, target)
   check(C.t7_nn_pair_loss(input, target, weights, code, param or 0, core.out1), self)
   self.output = core.out1[0]
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

-- The gradient goes to self.gradInput, or to result when given.
function pairLoss.updateGradInput(self, input, target, code, param, weights, result)
   check_sizes(self, input, target)
   result = result or self.gradInput
   local scale = self.sizeAverage and 1 / input:nElement() or 1
   check(C.t7_nn_pair_loss_backward(result, input, target, weights, code, param or 0, scale),
      self)
   return result
end

-- sizeAverage as constructors take it: true unless false is given.
function pairLoss.sizeAverage(value)
   if value == nil then return true end
   return value
end

return pairLoss
