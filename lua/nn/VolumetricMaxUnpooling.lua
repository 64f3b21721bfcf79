-- nn.VolumetricMaxUnpooling(poolingModule): the inverse of a VolumetricMaxPooling whose
-- windows do not overlap (kernel = stride), as nn.SpatialMaxUnpooling in 3-D.

local VolumetricMaxUnpooling, parent = torch.class('nn.VolumetricMaxUnpooling', 'nn.Module')
local unpooling = require 'nn.unpooling'

function VolumetricMaxUnpooling:__init(poolingModule)
   parent.__init(self)
   assert(torch.type(poolingModule) == 'nn.VolumetricMaxPooling',
      'Argument must be a nn.VolumetricMaxPooling module')
   assert(poolingModule.kT == poolingModule.dT and poolingModule.kH == poolingModule.dH
      and poolingModule.kW == poolingModule.dW,
      "The size of pooling module's kernel must be equal to its stride")
   self.pooling = poolingModule
end

function VolumetricMaxUnpooling:setParams()
   local pool = self.pooling
   self.indices = pool.indices
   self.otime, self.oheight, self.owidth = pool.itime, pool.iheight, pool.iwidth
   self.dT, self.dH, self.dW = pool.dT, pool.dH, pool.dW
   self.padT, self.padH, self.padW = pool.padT, pool.padH, pool.padW
end

function VolumetricMaxUnpooling:updateOutput(input)
   self:setParams()
   return unpooling.updateOutput(self, input, {self.otime, self.oheight, self.owidth})
end

function VolumetricMaxUnpooling:updateGradInput(input, gradOutput)
   self:setParams()
   return unpooling.updateGradInput(self, input, gradOutput, 3)
end

function VolumetricMaxUnpooling:empty()
   self:clearState()
end

function VolumetricMaxUnpooling:__tostring__()
   return 'nn.VolumetricMaxUnpooling associated to ' .. tostring(self.pooling)
end

return VolumetricMaxUnpooling
