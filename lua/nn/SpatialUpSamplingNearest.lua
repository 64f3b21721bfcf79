-- nn.SpatialUpSamplingNearest(scale): each value of each plane repeated scale x scale
-- times (3-D or 4-D input).

local SpatialUpSamplingNearest, parent = torch.class('nn.SpatialUpSamplingNearest',
   'nn.Module')
local THNN = require 'nn.THNN'
local resampling = require 'nn.resampling'

function SpatialUpSamplingNearest:__init(scale)
   parent.__init(self)
   self.scale_factor = scale
   resampling.checkScale(scale)
   self.inputSize = torch.LongStorage(4)
   self.outputSize = torch.LongStorage(4)
end

function SpatialUpSamplingNearest:updateOutput(input)
   if input:dim() ~= 4 and input:dim() ~= 3 then
      THNN.fail(self, 'only support 3D or 4D tensors, got %s', THNN.sizes(input))
   end
   return resampling.updateOutput(self, input, 2, self.scale_factor)
end

function SpatialUpSamplingNearest:updateGradInput(input, gradOutput)
   return resampling.updateGradInput(self, input, gradOutput, 2, self.scale_factor)
end

return SpatialUpSamplingNearest
