-- nn.DistKLDivCriterion: the Kullback-Leibler divergence sum y (log y - x) of the target
-- distribution y from the input's, which holds log-probabilities (terms where y is 0
-- count 0); averaged (self.sizeAverage, default true).

local DistKLDivCriterion, parent = torch.class('nn.DistKLDivCriterion', 'nn.Criterion')
local THNN = require 'nn.THNN'
local pairLoss = require 'nn.pairLoss'

function DistKLDivCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
end

local function check_shapes(self, input, target)
   if not input:isSameSizeAs(target) then
      THNN.fail(self, 'input and target should have the same size, got %s and %s',
         THNN.sizes(input), THNN.sizes(target))
   end
end

function DistKLDivCriterion:updateOutput(input, target)
   check_shapes(self, input, target)
   return pairLoss.updateOutput(self, input, target, THNN.C.T7_LOSS_DIST_KL)
end

function DistKLDivCriterion:updateGradInput(input, target)
   check_shapes(self, input, target)
   return pairLoss.updateGradInput(self, input, target, THNN.C.T7_LOSS_DIST_KL)
end

return DistKLDivCriterion
