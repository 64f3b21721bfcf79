-- nn.SpatialConvolutionMM(nInputPlane, nOutputPlane, kW, kH[, dW, dH[, padW, padH]]): the
-- same convolution as nn.SpatialConvolution, with the weight kept as a matrix
-- nOutputPlane x (nInputPlane * kH * kW), the form the matrix product uses.

local SpatialConvolutionMM, parent = torch.class('nn.SpatialConvolutionMM', 'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'

function SpatialConvolutionMM:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.gradBias = torch.Tensor(nOutputPlane)
   self:reset()
end

SpatialConvolutionMM.noBias = conv.noBias

function SpatialConvolutionMM:reset(stdv)
   conv.reset(self, stdv, self.kW * self.kH * self.nInputPlane)
end

function SpatialConvolutionMM:convShape()
   conv.splitPadding(self)
   return THNN.convShape(2, self.nInputPlane, self.nOutputPlane, nil, self.kH, self.kW,
      nil, self.dH, self.dW, nil, self.padH, self.padW)
end

SpatialConvolutionMM.updateOutput = conv.updateOutput
SpatialConvolutionMM.updateGradInput = conv.updateGradInput
SpatialConvolutionMM.accGradParameters = conv.accGradParameters

function SpatialConvolutionMM:type(typename, tensorCache)
   return conv.type(self, parent, typename, tensorCache)
end

function SpatialConvolutionMM:clearState()
   return conv.clearState(self, parent)
end

function SpatialConvolutionMM:__tostring__()
   return conv.describe(self, {self.kW, self.kH}, {self.dW, self.dH}, {self.padW, self.padH})
      .. conv.closing(self)
end

return SpatialConvolutionMM
