-- nn.VolumetricAveragePooling(kT, kW, kH[, dT, dW, dH]): the mean of each kT x kH x kW
-- window of 4-D or 5-D (batch) input; strides default to the kernel size.

local VolumetricAveragePooling, parent = torch.class('nn.VolumetricAveragePooling',
   'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function VolumetricAveragePooling:__init(kT, kW, kH, dT, dW, dH)
   parent.__init(self)
   self.kT = kT
   self.kH = kH
   self.kW = kW
   self.dT = dT or kT
   self.dW = dW or kW
   self.dH = dH or kH
end

function VolumetricAveragePooling:poolShape()
   return THNN.poolShape(3, self.kT, self.kH, self.kW, self.dT, self.dH, self.dW, 0, 0, 0,
      nil, nil, nil, false, true)
end

function VolumetricAveragePooling:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_avg_pool(self.output, input, self:poolShape()), self)
   return self.output
end

function VolumetricAveragePooling:updateGradInput(input, gradOutput)
   check(C.t7_nn_avg_pool_backward(self.gradInput, input, gradOutput, self:poolShape()), self)
   return self.gradInput
end

function VolumetricAveragePooling:empty()
   return parent.clearState(self)
end

function VolumetricAveragePooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW,
      self.kH, self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH)
         and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

return VolumetricAveragePooling
