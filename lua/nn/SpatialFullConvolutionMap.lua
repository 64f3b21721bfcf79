-- nn.SpatialFullConvolutionMap(connTable, kW, kH[, dW, dH]): the transposed convolution of
-- nn.SpatialConvolutionMap (output size (in - 1) * d + k), planes joined by connTable.

local SpatialFullConvolutionMap, parent = torch.class('nn.SpatialFullConvolutionMap',
   'nn.Module')
local convolutionMap = require 'nn.convolutionMap'

function SpatialFullConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   convolutionMap.init(self, conMatrix, kW, kH, dW, dH)
   self:reset()
end

SpatialFullConvolutionMap.reset = convolutionMap.reset

function SpatialFullConvolutionMap:updateOutput(input)
   return convolutionMap.updateOutput(self, input, 1)
end

function SpatialFullConvolutionMap:updateGradInput(input, gradOutput)
   return convolutionMap.updateGradInput(self, input, gradOutput, 1)
end

function SpatialFullConvolutionMap:accGradParameters(input, gradOutput, scale)
   convolutionMap.accGradParameters(self, input, gradOutput, scale, 1)
end

return SpatialFullConvolutionMap
