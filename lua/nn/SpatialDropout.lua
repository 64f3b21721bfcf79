-- nn.SpatialDropout([p[, stochasticInference]]): drops whole planes (each with probability
-- p, default 0.5) of a 3-D (planes x h x w) or 4-D (batch) input in training; scales by
-- 1 - p in evaluation. For convolution outputs, whose neighbouring values correlate
-- (Tompson et al., 2015).

local SpatialDropout, parent = torch.class('nn.SpatialDropout', 'nn.Module')
local planeDropout = require 'nn.planeDropout'

function SpatialDropout:__init(p, stochasticInference)
   parent.__init(self)
   self.p = p or 0.5
   self.train = true
   self.stochastic_inference = stochasticInference or false
   self.noise = torch.Tensor()
end

function SpatialDropout:updateOutput(input)
   return planeDropout.updateOutput(self, input, 2,
      'Input must be 4D (nbatch, nfeat, h, w) or 3D (nfeat, h, w)')
end

SpatialDropout.updateGradInput = planeDropout.updateGradInput
SpatialDropout.setp = planeDropout.setp
SpatialDropout.__tostring__ = planeDropout.tostring

function SpatialDropout:clearState()
   return planeDropout.clearState(self, parent)
end

return SpatialDropout
