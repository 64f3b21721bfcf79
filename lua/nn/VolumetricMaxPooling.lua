-- nn.VolumetricMaxPooling(kT, kW, kH[, dT, dW, dH, padT, padW, padH]): the maximum of each
-- kT x kH x kW window over 4-D (planes x time x height x width) or 5-D (batch) input;
-- strides default to the kernel size. :ceil() and :floor() as for SpatialMaxPooling.

local VolumetricMaxPooling, parent = torch.class('nn.VolumetricMaxPooling', 'nn.Module')
local THNN = require 'nn.THNN'
local pooling = require 'nn.pooling'

VolumetricMaxPooling.__version = 2

function VolumetricMaxPooling:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH)
   parent.__init(self)
   self.kT = kT
   self.kH = kH
   self.kW = kW
   self.dT = dT or kT
   self.dW = dW or kW
   self.dH = dH or kH
   self.padT = padT or 0
   self.padW = padW or 0
   self.padH = padH or 0
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function VolumetricMaxPooling:ceil()
   self.ceil_mode = true
   return self
end

function VolumetricMaxPooling:floor()
   self.ceil_mode = false
   return self
end

function VolumetricMaxPooling:poolShape()
   return THNN.poolShape(3, self.kT, self.kH, self.kW, self.dT, self.dH, self.dW, self.padT,
      self.padH, self.padW, self.dilationT, self.dilationH, self.dilationW, self.ceil_mode)
end

-- The input's size is kept for nn.VolumetricMaxUnpooling.
function VolumetricMaxPooling:updateOutput(input)
   local n = input:dim()
   self.itime = input:size(n - 2)
   self.iheight = input:size(n - 1)
   self.iwidth = input:size(n)
   return pooling.updateOutput(self, input)
end

function VolumetricMaxPooling:updateGradInput(input, gradOutput)
   return pooling.scatterGradient(self, input, gradOutput, 3)
end

function VolumetricMaxPooling:empty()
   self:clearState()
end

function VolumetricMaxPooling:clearState()
   return pooling.clearState(self, parent)
end

-- Version 1 had no ceil mode.
function VolumetricMaxPooling:read(file, version)
   parent.read(self, file)
   if version < 2 then self.ceil_mode = false end
end

function VolumetricMaxPooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW,
      self.kH, self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH)
         and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   if self.dilationT then
      s = s .. ', ' .. self.dilationT .. ',' .. self.dilationW .. ',' .. self.dilationH
   end
   return s .. ')'
end

return VolumetricMaxPooling
