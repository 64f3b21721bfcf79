-- nn.SpatialConvolutionLocal(nInputPlane, nOutputPlane, iW, iH, kW, kH[, dW, dH, padW,
-- padH]): a locally connected layer: like a SpatialConvolution on iW x iH input, but with
-- a separate kernel (and bias) at each output position. The weight is oH x oW x
-- nOutputPlane x nInputPlane x kH x kW, the bias nOutputPlane x oH x oW.

local SpatialConvolutionLocal, parent = torch.class('nn.SpatialConvolutionLocal', 'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'
local C, check = THNN.C, THNN.check

function SpatialConvolutionLocal:__init(nInputPlane, nOutputPlane, iW, iH, kW, kH, dW, dH,
                                        padW, padH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kW = kW
   self.kH = kH
   self.iW = iW
   self.iH = iH
   self.dW = dW or 1
   self.dH = dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.oW = math.floor((self.padW * 2 + iW - self.kW) / self.dW) + 1
   self.oH = math.floor((self.padH * 2 + iH - self.kH) / self.dH) + 1
   assert(1 <= self.oW and 1 <= self.oH,
      'illegal configuration: output width or height less than 1')
   self.weight = torch.Tensor(self.oH, self.oW, nOutputPlane, nInputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane, self.oH, self.oW)
   self.gradWeight = torch.Tensor():resizeAs(self.weight)
   self.gradBias = torch.Tensor():resizeAs(self.bias)
   self:reset()
end

function SpatialConvolutionLocal:reset(stdv)
   conv.reset(self, stdv, self.kW * self.kH * self.nInputPlane)
end

function SpatialConvolutionLocal:checkInputSize(input)
   local n = input:nDimension()
   if n ~= 3 and n ~= 4 then
      THNN.fail(self, '3D or 4D(batch mode) tensor expected, got %s', THNN.sizes(input))
   end
   if input:size(n - 2) ~= self.nInputPlane or input:size(n - 1) ~= self.iH
         or input:size(n) ~= self.iW then
      THNN.fail(self, 'Given input size: (%s) inconsistent with expected input size: '
         .. '(%s%dx%dx%d).', THNN.sizes(input), n == 4 and 'batchsize x' or '',
         self.nInputPlane, self.iH, self.iW)
   end
end

function SpatialConvolutionLocal:convShape()
   return THNN.convShape(2, self.nInputPlane, self.nOutputPlane, nil, self.kH, self.kW, nil,
      self.dH, self.dW, nil, self.padH, self.padW)
end

function SpatialConvolutionLocal:updateOutput(input)
   self:checkInputSize(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_conv_local_forward(self.output, input, self.weight, self.bias,
      self:convShape()), self)
   return self.output
end

function SpatialConvolutionLocal:updateGradInput(input, gradOutput)
   self:checkInputSize(input)
   if self.gradInput then
      check(C.t7_nn_conv_local_backward_input(self.gradInput, input, gradOutput, self.weight,
         self:convShape()), self)
      return self.gradInput
   end
end

function SpatialConvolutionLocal:accGradParameters(input, gradOutput, scale)
   self:checkInputSize(input)
   check(C.t7_nn_conv_local_backward_params(self.gradWeight, self.gradBias, input, gradOutput,
      scale or 1, self:convShape()), self)
end

function SpatialConvolutionLocal:type(typename, tensorCache)
   return conv.type(self, parent, typename, tensorCache)
end

function SpatialConvolutionLocal:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d, %dx%d', torch.type(self), self.nInputPlane,
      self.nOutputPlane, self.iW, self.iH, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if self.padW ~= 0 or self.padH ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

function SpatialConvolutionLocal:clearState()
   return conv.clearState(self, parent)
end

return SpatialConvolutionLocal
