-- nn.MultiLabelSoftMarginCriterion([weights[, sizeAverage]]): the multi-label logistic
-- loss: per class, log(1 + exp(x)) - y x (the binary cross-entropy of sigmoid(x) against
-- y in {0, 1}), weighted per class when weights are given, averaged over all elements with
-- sizeAverage (the default).

local MultiLabelSoftMarginCriterion, parent = torch.class('nn.MultiLabelSoftMarginCriterion',
   'nn.Criterion')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function MultiLabelSoftMarginCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
   if weights ~= nil then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
   self.sigmoid = nn.Sigmoid()
end

local function weights_for(self, target)
   local w = self.weights
   if w ~= nil and target:dim() ~= 1 then
      return w:view(1, target:size(2)):expandAs(target)
   end
   return w
end

function MultiLabelSoftMarginCriterion:updateOutput(input, target)
   THNN.checkFloating(self, input)
   THNN.assert(self, input:nElement() == target:nElement(),
      'input and target size mismatch: %s and %s', THNN.sizes(input), THNN.sizes(target))
   local x = input:contiguous():view(input:nElement())
   local t = target:contiguous():view(target:nElement())
   self.sigmoid:updateOutput(x)
   self._buffer2 = self._buffer2 or input.new()
   -- log(1 + exp(x)), then - y x
   check(C.t7_nn_transfer(self._buffer2, x, C.T7_TR_SOFTPLUS, 1, 20), self)
   self._buffer2:addcmul(-1, t, x)
   local weights = weights_for(self, target)
   if weights ~= nil then self._buffer2:cmul(weights:contiguous():view(-1)) end
   self.output = self._buffer2:sum()
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

function MultiLabelSoftMarginCriterion:updateGradInput(input, target)
   self.gradInput:resizeAs(input):copy(self.sigmoid.output):add(-1, target)
   local weights = weights_for(self, target)
   if weights ~= nil then self.gradInput:cmul(weights) end
   if self.sizeAverage then self.gradInput:div(target:nElement()) end
   return self.gradInput
end

return MultiLabelSoftMarginCriterion
