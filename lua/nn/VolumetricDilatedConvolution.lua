-- nn.VolumetricDilatedConvolution(nInputPlane, nOutputPlane, kT, kW, kH[, dT, dW, dH, padT,
-- padW, padH, dilationT, dilationW, dilationH]): a VolumetricConvolution whose kernel taps
-- are dilation apart (default 1).

local VolumetricDilatedConvolution, parent = torch.class('nn.VolumetricDilatedConvolution',
   'nn.VolumetricConvolution')
local conv = require 'nn.convolution'

function VolumetricDilatedConvolution:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW,
                                             dH, padT, padW, padH, dilationT, dilationW,
                                             dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   self.dilationT = dilationT or 1
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function VolumetricDilatedConvolution:__tostring__()
   return conv.describe(self, {self.kT, self.kW, self.kH}, {self.dT, self.dW, self.dH},
      {self.padT, self.padW, self.padH}, {self.dilationT, self.dilationW, self.dilationH})
      .. conv.closing(self)
end

return VolumetricDilatedConvolution
