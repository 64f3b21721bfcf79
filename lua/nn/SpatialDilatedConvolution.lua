-- nn.SpatialDilatedConvolution(nInputPlane, nOutputPlane, kW, kH[, dW, dH, padW, padH,
-- dilationW, dilationH]): a SpatialConvolution whose kernel taps are dilationW/H apart
-- (default 1: the plain convolution).

local SpatialDilatedConvolution, parent = torch.class('nn.SpatialDilatedConvolution',
   'nn.SpatialConvolution')
local conv = require 'nn.convolution'

function SpatialDilatedConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW,
                                          padH, dilationW, dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function SpatialDilatedConvolution:__tostring__()
   return conv.describe(self, {self.kW, self.kH}, {self.dW, self.dH}, {self.padW, self.padH},
      {self.dilationW, self.dilationH}) .. conv.closing(self)
end

return SpatialDilatedConvolution
