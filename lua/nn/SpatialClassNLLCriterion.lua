-- nn.SpatialClassNLLCriterion([weights[, sizeAverage]]): ClassNLLCriterion at every
-- position: input batch x classes x h x w (log-probabilities), target batch x h x w (class
-- indices from 1); averaged by the total weight with sizeAverage (the default).

local SpatialClassNLLCriterion, parent = torch.class('nn.SpatialClassNLLCriterion',
   'nn.Criterion')
local THNN = require 'nn.THNN'
local core = require 'torch.core'
local classNLL = require 'nn.classNLL'
local C, check = THNN.C, THNN.check

function SpatialClassNLLCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   classNLL.init(self, weights, sizeAverage)
end

SpatialClassNLLCriterion.__len = classNLL.len

function SpatialClassNLLCriterion:updateOutput(input, target)
   THNN.checkFloating(self, input)
   check(C.t7_nn_spatial_class_nll(input, classNLL.targetTensor(self, target), self.weights,
      THNN.INDEX_BASE, core.out1, core.out2), self)
   local loss, total = core.out1[0], core.out2[0]
   if self.sizeAverage and total ~= 0 then loss = loss / total end
   self.output_tensor[1] = loss
   self.total_weight_tensor[1] = total
   self.output = loss
   return self.output
end

function SpatialClassNLLCriterion:updateGradInput(input, target)
   local total = self.total_weight_tensor[1]
   if not (total > 0) then
      self.gradInput:resizeAs(input):zero()
      return self.gradInput
   end
   local scale = self.sizeAverage and 1 / total or 1
   check(C.t7_nn_spatial_class_nll_backward(self.gradInput, input,
      classNLL.targetTensor(self, target), self.weights, scale, THNN.INDEX_BASE), self)
   return self.gradInput
end

return SpatialClassNLLCriterion
