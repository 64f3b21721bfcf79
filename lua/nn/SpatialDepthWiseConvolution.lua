-- nn.SpatialDepthWiseConvolution(nInputPlane, nOutputPlane, kW, kH[, dW, dH, padW, padH]):
-- each input plane convolved on its own with nOutputPlane kernels, giving
-- nInputPlane * nOutputPlane planes (plane (i - 1) * nOutputPlane + o from input plane i
-- and kernel o). The weight is nOutputPlane x (nInputPlane * kH * kW), the bias
-- nOutputPlane x nInputPlane. As the original's kernels did, forward and backward leave the
-- weight (and accGradParameters the gradWeight) shaped nOutputPlane x nInputPlane x kH x kW.
--
-- This is a convolution with one group per input plane; the kernels want each group's
-- weights together, so weights and gradients are transposed on the way in and out.

local SpatialDepthWiseConvolution, parent = torch.class('nn.SpatialDepthWiseConvolution',
   'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'
local C, check = THNN.C, THNN.check

function SpatialDepthWiseConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW,
                                            padH)
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
   self.bias = torch.Tensor(nOutputPlane, nInputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.gradBias = torch.Tensor(nOutputPlane, nInputPlane)
   self:reset()
end

SpatialDepthWiseConvolution.noBias = conv.noBias

function SpatialDepthWiseConvolution:reset(stdv)
   conv.reset(self, stdv, self.kW * self.kH * self.nInputPlane)
end

function SpatialDepthWiseConvolution:convShape()
   conv.splitPadding(self)
   return THNN.convShape(2, self.nInputPlane, self.nInputPlane * self.nOutputPlane, nil,
      self.kH, self.kW, nil, self.dH, self.dW, nil, self.padH, self.padW, nil, nil, nil, nil,
      nil, nil, false, self.nInputPlane)
end

-- A (nOutputPlane x nInputPlane x rest) tensor's elements in group order (nInputPlane x
-- nOutputPlane x rest), copied into buffer `name`.
local function grouped(self, name, t)
   local rest = t:nElement() / (self.nOutputPlane * self.nInputPlane)
   local source = t:view(self.nOutputPlane, self.nInputPlane, rest):transpose(1, 2)
   self[name] = self[name] or t.new()
   return self[name]:resize(source:size()):copy(source)
end

-- The original's kernels resized the weight (and gradWeight) to 4-D in place.
local function fourD(self, t)
   if t:dim() == 2 then t:resize(self.nOutputPlane, self.nInputPlane, self.kH, self.kW) end
end

function SpatialDepthWiseConvolution:updateOutput(input)
   THNN.checkFloating(self, input)
   fourD(self, self.weight)
   local bias = self.bias and grouped(self, '_groupedBias', self.bias)
   check(C.t7_nn_conv_forward(self.output, input, grouped(self, '_groupedWeight', self.weight),
      bias, self:convShape()), self)
   return self.output
end

function SpatialDepthWiseConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      fourD(self, self.weight)
      check(C.t7_nn_conv_backward_input(self.gradInput, input, gradOutput,
         grouped(self, '_groupedWeight', self.weight), self:convShape()), self)
      return self.gradInput
   end
end

-- The kernel adds into zeroed buffers in group order; those are then added, transposed
-- back, to the gradients.
function SpatialDepthWiseConvolution:accGradParameters(input, gradOutput, scale)
   fourD(self, self.gradWeight)
   local gradWeight = grouped(self, '_groupedGradWeight', self.gradWeight):zero()
   local gradBias = self.gradBias and grouped(self, '_groupedGradBias', self.gradBias):zero()
   check(C.t7_nn_conv_backward_params(gradWeight, gradBias, input, gradOutput, scale or 1,
      self:convShape()), self)
   local nOut, nIn = self.nOutputPlane, self.nInputPlane
   self.gradWeight:view(nOut, nIn, self.kH * self.kW)
      :add(gradWeight:view(nIn, nOut, self.kH * self.kW):transpose(1, 2))
   if gradBias then self.gradBias:add(gradBias:view(nIn, nOut):t()) end
end

function SpatialDepthWiseConvolution:type(typename, tensorCache)
   nn.utils.clear(self, '_groupedWeight', '_groupedBias', '_groupedGradWeight',
      '_groupedGradBias')
   return conv.type(self, parent, typename, tensorCache)
end

function SpatialDepthWiseConvolution:clearState()
   nn.utils.clear(self, '_groupedWeight', '_groupedBias', '_groupedGradWeight',
      '_groupedGradBias')
   return conv.clearState(self, parent)
end

function SpatialDepthWiseConvolution:__tostring__()
   return conv.describe(self, {self.kW, self.kH}, {self.dW, self.dH}, {self.padW, self.padH})
      .. conv.closing(self)
end

return SpatialDepthWiseConvolution
