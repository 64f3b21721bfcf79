-- nn.VolumetricConvolution(nInputPlane, nOutputPlane, kT, kW, kH[, dT, dW, dH, padT, padW,
-- padH]): a 3-D convolution of 4-D (planes x time x height x width) or 5-D (batch) input.
-- Strides default to 1, padT to 0, padW to padT, padH to padW. The weight is
-- nOutputPlane x nInputPlane x kT x kH x kW.

local VolumetricConvolution, parent = torch.class('nn.VolumetricConvolution', 'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'

function VolumetricConvolution:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH,
                                      padT, padW, padH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kT = kT
   self.kW = kW
   self.kH = kH
   self.dT = dT or 1
   self.dW = dW or 1
   self.dH = dH or 1
   self.padT = padT or 0
   self.padW = padW or self.padT
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
   self.gradBias = torch.Tensor(nOutputPlane)
   self:reset()
end

VolumetricConvolution.noBias = conv.noBias

function VolumetricConvolution:reset(stdv)
   conv.reset(self, stdv, self.kT * self.kW * self.kH * self.nInputPlane)
end

function VolumetricConvolution:convShape()
   return THNN.convShape(3, self.nInputPlane, self.nOutputPlane, self.kT, self.kH, self.kW,
      self.dT, self.dH, self.dW, self.padT, self.padH, self.padW, self.dilationT,
      self.dilationH, self.dilationW)
end

VolumetricConvolution.updateOutput = conv.updateOutput
VolumetricConvolution.updateGradInput = conv.updateGradInput
VolumetricConvolution.accGradParameters = conv.accGradParameters

function VolumetricConvolution:type(typename, tensorCache)
   return conv.type(self, parent, typename, tensorCache)
end

function VolumetricConvolution:clearState()
   return conv.clearState(self, parent)
end

function VolumetricConvolution:__tostring__()
   return conv.describe(self, {self.kT, self.kW, self.kH}, {self.dT, self.dW, self.dH},
      {self.padT, self.padW, self.padH}) .. ')'
end

return VolumetricConvolution
