-- nn.VolumetricFractionalMaxPooling(poolSizeT, poolSizeW, poolSizeH, outT, outW, outH) or
-- (poolSizeT, poolSizeW, poolSizeH, ratioT, ratioW, ratioH): fractional max pooling in
-- 3-D. As in the original, the input's spatial dimensions are height x width x time.

local VolumetricFractionalMaxPooling, parent = torch.class(
   'nn.VolumetricFractionalMaxPooling', 'nn.Module')
local pooling = require 'nn.pooling'
local fractional = require 'nn.fractional'

function VolumetricFractionalMaxPooling:__init(poolSizeT, poolSizeW, poolSizeH, arg1, arg2,
                                               arg3)
   parent.__init(self)
   assert(poolSizeT >= 2)
   assert(poolSizeW >= 2)
   assert(poolSizeH >= 2)
   self.poolSizeT = poolSizeT
   self.poolSizeW = poolSizeW
   self.poolSizeH = poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 and arg3 >= 1 then
      self.outT = arg1
      self.outW = arg2
      self.outH = arg3
   else
      self.ratioT = arg1
      self.ratioW = arg2
      self.ratioH = arg3
      assert(self.ratioT > 0 and self.ratioT < 1)
      assert(self.ratioW > 0 and self.ratioW < 1)
      assert(self.ratioH > 0 and self.ratioH < 1)
   end
end

function VolumetricFractionalMaxPooling:getOutputSizes_(input)
   local outT, outW, outH = self.outT, self.outW, self.outH
   if self.ratioW ~= nil and self.ratioH ~= nil then
      local n = input:dim()
      if n ~= 4 and n ~= 5 then error('input must be dim 4 or 5', 2) end
      outT = math.floor(input:size(n) * self.ratioT)
      outW = math.floor(input:size(n - 1) * self.ratioW)
      outH = math.floor(input:size(n - 2) * self.ratioH)
      assert(outT > 0, 'reduction ratio or input time too small')
      assert(outW > 0, 'reduction ratio or input width too small')
      assert(outH > 0, 'reduction ratio or input height too small')
   else
      assert(outT ~= nil and outW ~= nil and outH ~= nil)
   end
   return outT, outW, outH
end

VolumetricFractionalMaxPooling.fixPoolingRegions = fractional.fixPoolingRegions

function VolumetricFractionalMaxPooling:updateOutput(input)
   local outT, outW, outH = self:getOutputSizes_(input)
   return fractional.updateOutput(self, input, {outH, outW, outT},
      {self.poolSizeH, self.poolSizeW, self.poolSizeT})
end

function VolumetricFractionalMaxPooling:updateGradInput(input, gradOutput)
   assert(self.randomSamples ~= nil, 'must call updateOutput/forward first')
   return pooling.scatterGradient(self, input, gradOutput, 3)
end

function VolumetricFractionalMaxPooling:empty()
   self:clearState()
end

function VolumetricFractionalMaxPooling:clearState()
   return fractional.clearState(self, parent)
end

function VolumetricFractionalMaxPooling:__tostring__()
   return string.format('%s(%dx%dx%d, %d,%d,%d)', torch.type(self), self.outT or self.ratioT,
      self.outW or self.ratioW, self.outH or self.ratioH, self.poolSizeT, self.poolSizeW,
      self.poolSizeH)
end

return VolumetricFractionalMaxPooling
