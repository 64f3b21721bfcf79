-- nn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH[, dW, dH[, padW, padH]]): a 2-D
-- convolution of 3-D (planes x height x width) or 4-D (batch) input. Strides default to
-- 1, padH to padW, padW to 0. The weight is nOutputPlane x nInputPlane x kH x kW.

local SpatialConvolution, parent = torch.class('nn.SpatialConvolution', 'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'

function SpatialConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane, kH, kW)
   self.gradBias = torch.Tensor(nOutputPlane)
   self:reset()
end

SpatialConvolution.noBias = conv.noBias

function SpatialConvolution:reset(stdv)
   conv.reset(self, stdv, self.kW * self.kH * self.nInputPlane)
end

-- Models saved by older versions: one `padding` field, or the weight as a matrix.
function SpatialConvolution:backCompatibility()
   conv.splitPadding(self)
   self.padW = self.padW or 0
   self.padH = self.padH or 0
   local shape = {self.nOutputPlane, self.nInputPlane, self.kH, self.kW}
   if self.weight:dim() == 2 then self.weight = self.weight:view(unpack(shape)) end
   if self.gradWeight and self.gradWeight:dim() == 2 then
      self.gradWeight = self.gradWeight:view(unpack(shape))
   end
end

function SpatialConvolution:convShape()
   return THNN.convShape(2, self.nInputPlane, self.nOutputPlane, nil, self.kH, self.kW,
      nil, self.dH, self.dW, nil, self.padH, self.padW, nil, self.dilationH, self.dilationW)
end

function SpatialConvolution:updateOutput(input)
   self:backCompatibility()
   return conv.updateOutput(self, input)
end

function SpatialConvolution:updateGradInput(input, gradOutput)
   self:backCompatibility()
   return conv.updateGradInput(self, input, gradOutput)
end

function SpatialConvolution:accGradParameters(input, gradOutput, scale)
   self:backCompatibility()
   return conv.accGradParameters(self, input, gradOutput, scale)
end

function SpatialConvolution:type(typename, tensorCache)
   return conv.type(self, parent, typename, tensorCache)
end

function SpatialConvolution:clearState()
   return conv.clearState(self, parent)
end

function SpatialConvolution:__tostring__()
   return conv.describe(self, {self.kW, self.kH}, {self.dW, self.dH}, {self.padW, self.padH})
      .. conv.closing(self)
end

return SpatialConvolution
