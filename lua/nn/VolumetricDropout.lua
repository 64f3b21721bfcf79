-- nn.VolumetricDropout([p[, stochasticInference]]): drops whole planes of a 4-D
-- (planes x t x h x w) or 5-D (batch) input, as nn.SpatialDropout does in 2-D.

local VolumetricDropout, parent = torch.class('nn.VolumetricDropout', 'nn.Module')
local planeDropout = require 'nn.planeDropout'

function VolumetricDropout:__init(p, stochasticInference)
   parent.__init(self)
   self.p = p or 0.5
   self.train = true
   self.stochastic_inference = stochasticInference or false
   self.noise = torch.Tensor()
end

function VolumetricDropout:updateOutput(input)
   return planeDropout.updateOutput(self, input, 3,
      'Input must be 5D (nbatch, nfeat, t, h, w) or 4D (nfeat, t, h, w)')
end

VolumetricDropout.updateGradInput = planeDropout.updateGradInput
VolumetricDropout.setp = planeDropout.setp
VolumetricDropout.__tostring__ = planeDropout.tostring

function VolumetricDropout:clearState()
   return planeDropout.clearState(self, parent)
end

return VolumetricDropout
