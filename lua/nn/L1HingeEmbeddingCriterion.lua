-- nn.L1HingeEmbeddingCriterion([margin]): for a pair {a, b} and y = 1 (similar) or -1, the
-- loss ||a - b||_1 if y = 1, max(0, margin - ||a - b||_1) if y = -1 (margin default 1).

local L1HingeEmbeddingCriterion, parent = torch.class('nn.L1HingeEmbeddingCriterion',
   'nn.Criterion')
local THNN = require 'nn.THNN'

function L1HingeEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

local function l1_distance(self, a, b)
   self._diff = self._diff or a.new()
   return self._diff:resizeAs(a):copy(a):add(-1, b):abs():sum()
end

function L1HingeEmbeddingCriterion:updateOutput(input, y)
   self.output = l1_distance(self, input[1], input[2])
   if y == -1 then self.output = math.max(0, self.margin - self.output) end
   return self.output
end

function L1HingeEmbeddingCriterion:updateGradInput(input, y)
   local ga, gb = self.gradInput[1], self.gradInput[2]
   ga:resizeAs(input[1]):copy(input[1]):add(-1, input[2])
   gb:resizeAs(input[2])
   local distance = l1_distance(self, input[1], input[2])
   THNN.randomSigns(ga)
   if y == -1 then
      if distance > self.margin then ga:zero() else ga:mul(-1) end
   end
   gb:zero():add(-1, ga)
   return self.gradInput
end

function L1HingeEmbeddingCriterion:clearState()
   nn.utils.clear(self, '_diff')
   return parent.clearState(self)
end

return L1HingeEmbeddingCriterion
