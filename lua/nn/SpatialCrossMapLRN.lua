-- nn.SpatialCrossMapLRN(size[, alpha[, beta[, k]]]): local response normalisation across
-- planes (Krizhevsky et al., 2012): x / (k + alpha / size * sum of x^2 over size
-- neighbouring planes)^beta; defaults alpha 1e-4, beta 0.75, k 1. self.scale keeps the
-- denominators' base.

local SpatialCrossMapLRN, parent = torch.class('nn.SpatialCrossMapLRN', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SpatialCrossMapLRN:__init(size, alpha, beta, k)
   parent.__init(self)
   self.size = size
   self.alpha = alpha or 0.0001
   self.beta = beta or 0.75
   self.k = k or 1
end

function SpatialCrossMapLRN:updateOutput(input)
   if input:dim() ~= 3 and input:dim() ~= 4 then
      THNN.fail(self, 'Input must be 3D or 4D, got %s', THNN.sizes(input))
   end
   THNN.checkFloating(self, input)
   self.scale = self.scale or input.new()
   check(C.t7_nn_cross_map_lrn(self.output, self.scale, input, self.size, self.alpha,
      self.beta, self.k), self)
   return self.output
end

function SpatialCrossMapLRN:updateGradInput(input, gradOutput)
   if input:dim() ~= 3 and input:dim() ~= 4 then
      THNN.fail(self, 'Input must be 3D or 4D, got %s', THNN.sizes(input))
   end
   check(C.t7_nn_cross_map_lrn_backward(self.gradInput, input, gradOutput, self.output,
      self.scale, self.size, self.alpha, self.beta, self.k), self)
   return self.gradInput
end

function SpatialCrossMapLRN:clearState()
   nn.utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
   return parent.clearState(self)
end

return SpatialCrossMapLRN
