-- nn.SpatialFractionalMaxPooling(poolSizeW, poolSizeH, outW, outH) or
-- nn.SpatialFractionalMaxPooling(poolSizeW, poolSizeH, ratioW, ratioH): max pooling over
-- pseudo-random overlapping windows of poolSizeW x poolSizeH (Graham's fractional max
-- pooling), into outW x outH or floor(ratio * input size), ratios in (0, 1).

local SpatialFractionalMaxPooling, parent = torch.class('nn.SpatialFractionalMaxPooling',
   'nn.Module')
local pooling = require 'nn.pooling'
local fractional = require 'nn.fractional'

function SpatialFractionalMaxPooling:__init(poolSizeW, poolSizeH, arg1, arg2)
   parent.__init(self)
   assert(poolSizeW >= 2)
   assert(poolSizeH >= 2)
   self.poolSizeW = poolSizeW
   self.poolSizeH = poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 then
      self.outW = arg1
      self.outH = arg2
   else
      self.ratioW = arg1
      self.ratioH = arg2
      assert(self.ratioW > 0 and self.ratioW < 1)
      assert(self.ratioH > 0 and self.ratioH < 1)
   end
end

function SpatialFractionalMaxPooling:getOutputSizes_(input)
   local outW, outH = self.outW, self.outH
   if self.ratioW ~= nil and self.ratioH ~= nil then
      local n = input:dim()
      if n ~= 3 and n ~= 4 then error('input must be dim 3 or 4', 2) end
      outW = math.floor(input:size(n) * self.ratioW)
      outH = math.floor(input:size(n - 1) * self.ratioH)
      assert(outW > 0, 'reduction ratio or input width too small')
      assert(outH > 0, 'reduction ratio or input height too small')
   else
      assert(outW ~= nil and outH ~= nil)
   end
   return outW, outH
end

SpatialFractionalMaxPooling.fixPoolingRegions = fractional.fixPoolingRegions

function SpatialFractionalMaxPooling:updateOutput(input)
   local outW, outH = self:getOutputSizes_(input)
   return fractional.updateOutput(self, input, {outH, outW}, {self.poolSizeH, self.poolSizeW})
end

function SpatialFractionalMaxPooling:updateGradInput(input, gradOutput)
   assert(self.randomSamples ~= nil, 'must call updateOutput/forward first')
   return pooling.scatterGradient(self, input, gradOutput, 2)
end

function SpatialFractionalMaxPooling:empty()
   self:clearState()
end

function SpatialFractionalMaxPooling:clearState()
   return fractional.clearState(self, parent)
end

function SpatialFractionalMaxPooling:__tostring__()
   return string.format('%s(%dx%d, %d,%d)', torch.type(self), self.outW or self.ratioW,
      self.outH or self.ratioH, self.poolSizeW, self.poolSizeH)
end

return SpatialFractionalMaxPooling
