-- nn.VolumetricFullConvolution(nInputPlane, nOutputPlane, kT, kW, kH[, dT, dW, dH, padT,
-- padW, padH, adjT, adjW, adjH]): the transposed 3-D convolution, of output size
-- (in - 1) * d - 2 * pad + k + adj. The weight is nInputPlane x nOutputPlane x kT x kH x kW.
-- As with nn.SpatialFullConvolution, the input may be a table {input, target} whose target
-- gives the output size.

local VolumetricFullConvolution, parent = torch.class('nn.VolumetricFullConvolution',
   'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'

function VolumetricFullConvolution:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH,
                                          padT, padW, padH, adjT, adjW, adjH)
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
   self.padW = padW or 0
   self.padH = padH or 0
   self.adjT = adjT or 0
   self.adjW = adjW or 0
   self.adjH = adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 or self.adjT > self.dT - 1 then
      error('adjW, adjH and adjT must be smaller than self.dW - 1, self.dH - 1 and '
         .. 'self.dT - 1 respectively', 2)
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.ones = torch.Tensor()
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   self:reset()
end

VolumetricFullConvolution.noBias = conv.noBias

function VolumetricFullConvolution:reset(stdv)
   conv.reset(self, stdv, self.kW * self.kH * self.kT * self.nInputPlane)
end

-- Models saved by older versions: the weight transposed, the paddings named pT, pW, pH.
function VolumetricFullConvolution:backCompatibility()
   if not self.adjW then self.weight = self.weight:transpose(1, 2):contiguous() end
   self.padW = self.padW or self.pW
   self.padH = self.padH or self.pH
   self.padT = self.padT or self.pT
   self.adjW = self.adjW or 0
   self.adjH = self.adjH or 0
   self.adjT = self.adjT or 0
end

function VolumetricFullConvolution:convShape(input)
   self:backCompatibility()
   local adjT, adjW, adjH = self.adjT, self.adjW, self.adjH
   if torch.type(input) == 'table' then
      local target = input[2]
      local n = target:dim()
      adjT = conv.adjustment(target:size(n - 2), self.kT, self.padT, self.dT)
      adjW = conv.adjustment(target:size(n), self.kW, self.padW, self.dW)
      adjH = conv.adjustment(target:size(n - 1), self.kH, self.padH, self.dH)
   end
   return THNN.convShape(3, self.nInputPlane, self.nOutputPlane, self.kT, self.kH, self.kW,
      self.dT, self.dH, self.dW, self.padT, self.padH, self.padW, nil, nil, nil, adjT, adjH,
      adjW, true)
end

VolumetricFullConvolution.updateOutput = conv.transposedUpdateOutput
VolumetricFullConvolution.updateGradInput = conv.transposedUpdateGradInput
VolumetricFullConvolution.accGradParameters = conv.transposedAccGradParameters

function VolumetricFullConvolution:type(typename, tensorCache)
   return conv.type(self, parent, typename, tensorCache)
end

function VolumetricFullConvolution:clearState()
   return conv.clearState(self, parent)
end

function VolumetricFullConvolution:__tostring__()
   local adj
   if self.adjT ~= 0 or self.adjW ~= 0 or self.adjH ~= 0 then
      adj = {self.adjT, self.adjW, self.adjH}
   end
   return conv.describe(self, {self.kT, self.kW, self.kH}, {self.dT, self.dW, self.dH},
      {self.padT, self.padW, self.padH}, adj) .. ')'
end

return VolumetricFullConvolution
