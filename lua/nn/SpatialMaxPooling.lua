-- nn.SpatialMaxPooling(kW, kH[, dW, dH, padW, padH]): the maximum of each kW x kH window,
-- windows dW, dH apart (default: the kernel size), over 3-D or 4-D (batch) input.
-- :ceil() rounds the output size up (the last window may then hang over the edge),
-- :floor() down (the default).

local SpatialMaxPooling, parent = torch.class('nn.SpatialMaxPooling', 'nn.Module')
local THNN = require 'nn.THNN'
local pooling = require 'nn.pooling'

function SpatialMaxPooling:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.kW = kW
   self.kH = kH
   self.dW = dW or kW
   self.dH = dH or kH
   self.padW = padW or 0
   self.padH = padH or 0
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function SpatialMaxPooling:ceil()
   self.ceil_mode = true
   return self
end

function SpatialMaxPooling:floor()
   self.ceil_mode = false
   return self
end

function SpatialMaxPooling:poolShape()
   -- fields missing from models saved by older versions
   self.ceil_mode = self.ceil_mode or false
   self.padW = self.padW or 0
   self.padH = self.padH or 0
   return THNN.poolShape(2, nil, self.kH, self.kW, nil, self.dH, self.dW, nil, self.padH,
      self.padW, nil, self.dilationH, self.dilationW, self.ceil_mode)
end

-- The input's size is kept for nn.SpatialMaxUnpooling.
function SpatialMaxPooling:updateOutput(input)
   local n = input:dim()
   THNN.assert(self, n == 3 or n == 4,
      '3D or 4D (batch mode) tensor expected for input, but got: %s', THNN.sizes(input))
   self.iheight = input:size(n - 1)
   self.iwidth = input:size(n)
   return pooling.updateOutput(self, input)
end

function SpatialMaxPooling:updateGradInput(input, gradOutput)
   return pooling.scatterGradient(self, input, gradOutput, 2)
end

function SpatialMaxPooling:empty()
   self:clearState()
end

function SpatialMaxPooling:clearState()
   return pooling.clearState(self, parent)
end

function SpatialMaxPooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW,
      self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   if self.dilationW then s = s .. ', ' .. self.dilationW .. ',' .. self.dilationH end
   return s .. ')'
end

return SpatialMaxPooling
