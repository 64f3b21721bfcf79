-- nn.SpatialMaxUnpooling(poolingModule): the inverse of a SpatialMaxPooling whose windows
-- do not overlap (kernel = stride): each value goes back to where the pooling found its
-- maximum, zeros elsewhere, in an output of the pooling's input size.

local SpatialMaxUnpooling, parent = torch.class('nn.SpatialMaxUnpooling', 'nn.Module')
local unpooling = require 'nn.unpooling'

function SpatialMaxUnpooling:__init(poolingModule)
   parent.__init(self)
   assert(torch.type(poolingModule) == 'nn.SpatialMaxPooling',
      'Argument must be a nn.SpatialMaxPooling module')
   assert(poolingModule.kH == poolingModule.dH and poolingModule.kW == poolingModule.dW,
      "The size of pooling module's kernel must be equal to its stride")
   self.pooling = poolingModule
end

function SpatialMaxUnpooling:setParams()
   self.indices = self.pooling.indices
   self.oheight = self.pooling.iheight
   self.owidth = self.pooling.iwidth
end

function SpatialMaxUnpooling:updateOutput(input)
   self:setParams()
   return unpooling.updateOutput(self, input, {self.oheight, self.owidth})
end

function SpatialMaxUnpooling:updateGradInput(input, gradOutput)
   self:setParams()
   return unpooling.updateGradInput(self, input, gradOutput, 2)
end

function SpatialMaxUnpooling:empty()
   self:clearState()
end

function SpatialMaxUnpooling:__tostring__()
   return 'nn.SpatialMaxUnpooling associated to ' .. tostring(self.pooling)
end

return SpatialMaxUnpooling
