-- nn.ClassNLLCriterion([weights[, sizeAverage[, ignoreIndex]]]): the negative
-- log-likelihood of the target classes, given log-probabilities (a LogSoftMax output):
-- loss = -sum_i w[t_i] x[i][t_i], divided by sum_i w[t_i] when sizeAverage (the default).
-- The input is one sample (a vector over classes, the target a number or a tensor whose
-- first element counts) or a batch (a matrix, the target a vector of class indices from 1). Samples whose
-- target is ignoreIndex (default -100) count for nothing.

local ClassNLLCriterion, parent = torch.class('nn.ClassNLLCriterion', 'nn.Criterion')
local core = require 'torch.core'
local THNN = require 'nn.THNN'
local classNLL = require 'nn.classNLL'
local C, check = THNN.C, THNN.check

local INDEX_BASE = 1

function ClassNLLCriterion:__init(weights, sizeAverage, ignoreIndex)
   parent.__init(self)
   classNLL.init(self, weights, sizeAverage)
   self.ignoreIndex = ignoreIndex or -100
end

ClassNLLCriterion.__len = classNLL.len

-- One sample takes the first element of a longer target vector, as THNN read it.
local function sample_target(input, target)
   if input:dim() == 1 and torch.isTensor(target) and target:dim() == 1
         and target:nElement() > 1 then
      return target[1]
   end
   return target
end

function ClassNLLCriterion:updateOutput(input, target)
   target = classNLL.targetTensor(self, sample_target(input, target))
   local loss, total = core.out1, core.out2
   check(C.t7_nn_class_nll(input, target, self.weights, self.ignoreIndex, INDEX_BASE, loss,
      total), self)
   local output, total_weight = core.result(loss), core.result(total)
   if self.sizeAverage and total_weight ~= 0 then output = output / total_weight end
   self.output_tensor[1] = output
   self.total_weight_tensor[1] = total_weight
   self.output = output
   return self.output, total_weight
end

-- Uses the total weight of the last forward pass, as the original did.
function ClassNLLCriterion:updateGradInput(input, target)
   target = classNLL.targetTensor(self, sample_target(input, target))
   local total_weight = self.total_weight_tensor[1]
   if not (total_weight > 0) then
      self.gradInput:resizeAs(input):zero()
      return self.gradInput
   end
   local scale = self.sizeAverage and 1 / total_weight or 1
   check(C.t7_nn_class_nll_backward(self.gradInput, input, target, self.weights, scale,
      self.ignoreIndex, INDEX_BASE), self)
   return self.gradInput
end

return ClassNLLCriterion
