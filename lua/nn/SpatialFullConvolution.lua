-- nn.SpatialFullConvolution(nInputPlane, nOutputPlane, kW, kH[, dW, dH, padW, padH, adjW,
-- adjH]): the transposed convolution (the gradient of a SpatialConvolution with respect to
-- its input, run forward), of output size (in - 1) * d - 2 * pad + k + adj. The weight is
-- nInputPlane x nOutputPlane x kH x kW.
--
-- The input may also be a table {input, target}: the adjustments are then those that give
-- the output target's height and width, and the gradient with respect to target is zero.

local SpatialFullConvolution, parent = torch.class('nn.SpatialFullConvolution', 'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'

function SpatialFullConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH,
                                       adjW, adjH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.padW = padW or 0
   self.padH = padH or 0
   self.adjW = adjW or 0
   self.adjH = adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 then
      error('adjW and adjH must be smaller than self.dW - 1 and self.dH - 1 respectively', 2)
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.ones = torch.Tensor()
   self:reset()
end

SpatialFullConvolution.noBias = conv.noBias

function SpatialFullConvolution:reset(stdv)
   conv.reset(self, stdv, self.kW * self.kH * self.nInputPlane)
end

-- The tensor to convolve and the geometry, for a plain or a table input.
function SpatialFullConvolution:convShape(input)
   self.adjW = self.adjW or 0       -- models saved by older versions
   self.adjH = self.adjH or 0
   local adjW, adjH = self.adjW, self.adjH
   if torch.type(input) == 'table' then
      local target = input[2]
      local n = target:dim()
      adjW = conv.adjustment(target:size(n), self.kW, self.padW, self.dW)
      adjH = conv.adjustment(target:size(n - 1), self.kH, self.padH, self.dH)
   end
   return THNN.convShape(2, self.nInputPlane, self.nOutputPlane, nil, self.kH, self.kW, nil,
      self.dH, self.dW, nil, self.padH, self.padW, nil, nil, nil, nil, adjH, adjW, true)
end

SpatialFullConvolution.updateOutput = conv.transposedUpdateOutput
SpatialFullConvolution.updateGradInput = conv.transposedUpdateGradInput
SpatialFullConvolution.accGradParameters = conv.transposedAccGradParameters

function SpatialFullConvolution:type(typename, tensorCache)
   return conv.type(self, parent, typename, tensorCache)
end

function SpatialFullConvolution:clearState()
   return conv.clearState(self, parent)
end

function SpatialFullConvolution:__tostring__()
   local adj
   if (self.adjW or 0) ~= 0 or (self.adjH or 0) ~= 0 then adj = {self.adjW, self.adjH} end
   return conv.describe(self, {self.kW, self.kH}, {self.dW, self.dH}, {self.padW, self.padH},
      adj) .. conv.closing(self)
end

return SpatialFullConvolution
