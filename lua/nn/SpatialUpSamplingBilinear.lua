-- nn.SpatialUpSamplingBilinear(scale) or nn.SpatialUpSamplingBilinear({oheight=h,
-- owidth=w}): bilinear interpolation of each plane (3-D or 4-D input) to scale times its
-- size, or to h x w, the corner values kept.

local SpatialUpSamplingBilinear, parent = torch.class('nn.SpatialUpSamplingBilinear',
   'nn.Module')
local THNN = require 'nn.THNN'
local resampling = require 'nn.resampling'

function SpatialUpSamplingBilinear:__init(params)
   parent.__init(self)
   if torch.type(params) == 'table' then
      self.owidth, self.oheight = params.owidth, params.oheight
   else
      self.scale_factor = params
      resampling.checkScale(params)
   end
   self.inputSize = torch.LongStorage(4)
   self.outputSize = torch.LongStorage(4)
end

function SpatialUpSamplingBilinear:sizes(input)
   local n = input:dim()
   if self.scale_factor then
      return {input:size(n - 1) * self.scale_factor, input:size(n) * self.scale_factor}
   end
   return {self.oheight, self.owidth}
end

function SpatialUpSamplingBilinear:updateOutput(input)
   if input:dim() ~= 4 and input:dim() ~= 3 then
      THNN.fail(self, 'only supports 3D or 4D tensors, got %s', THNN.sizes(input))
   end
   return resampling.updateOutput(self, input, 2, 0, self:sizes(input))
end

function SpatialUpSamplingBilinear:updateGradInput(input, gradOutput)
   if input:dim() ~= gradOutput:dim() then
      THNN.fail(self, 'Input and gradOutput should be of same dimension')
   end
   return resampling.updateGradInput(self, input, gradOutput, 2, 0, self:sizes(input))
end

function SpatialUpSamplingBilinear:__tostring__()
   if self.scale_factor ~= nil then
      return string.format('%s(%d)', torch.type(self), self.scale_factor)
   end
   return string.format('%s(%d, %d)', torch.type(self), self.oheight, self.owidth)
end

return SpatialUpSamplingBilinear
