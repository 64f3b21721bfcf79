-- nn.MultiLabelMarginCriterion: the multi-label hinge loss: for each target class t of a
-- sample and each non-target class j, max(0, 1 - (x[t] - x[j])), summed and divided by
-- the number of classes (and averaged over a batch with sizeAverage). The targets are a
-- LongTensor shaped like the input whose first entries name the target classes, ended by
-- 0 (or the end of the row).

local MultiLabelMarginCriterion, parent = torch.class('nn.MultiLabelMarginCriterion',
   'nn.Criterion')
local THNN = require 'nn.THNN'
local core = require 'torch.core'
local C, check = THNN.C, THNN.check

function MultiLabelMarginCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
   self.isTarget = torch.Tensor()
end

function MultiLabelMarginCriterion:updateOutput(input, target)
   THNN.checkFloating(self, input)
   self.isTarget = self.isTarget:typeAs(input)
   check(C.t7_nn_multi_label_margin(input, target:long(), self.isTarget,
      self.sizeAverage and 1 or 0, THNN.INDEX_BASE, core.out1), self)
   self.output = core.out1[0]
   return self.output
end

function MultiLabelMarginCriterion:updateGradInput(input, target)
   self.isTarget = self.isTarget:typeAs(input)
   check(C.t7_nn_multi_label_margin_backward(self.gradInput, input, target:long(),
      self.isTarget, self.sizeAverage and 1 or 0, THNN.INDEX_BASE), self)
   return self.gradInput
end

return MultiLabelMarginCriterion
