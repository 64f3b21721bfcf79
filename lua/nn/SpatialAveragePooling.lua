-- nn.SpatialAveragePooling(kW, kH[, dW, dH, padW, padH]): the mean of each kW x kH window
-- (strides default to 1). :ceil()/:floor() choose how the output size rounds;
-- :setCountExcludePad() divides by the window's part inside the input rather than by the
-- whole padded window (:setCountIncludePad(), the default). Models saved with
-- `divide = false` summed instead of averaging.

local SpatialAveragePooling, parent = torch.class('nn.SpatialAveragePooling', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SpatialAveragePooling:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.padW = padW or 0
   self.padH = padH or 0
   self.ceil_mode = false
   self.count_include_pad = true
   self.divide = true
end

function SpatialAveragePooling:ceil()
   self.ceil_mode = true
   return self
end

function SpatialAveragePooling:floor()
   self.ceil_mode = false
   return self
end

function SpatialAveragePooling:setCountIncludePad()
   self.count_include_pad = true
   return self
end

function SpatialAveragePooling:setCountExcludePad()
   self.count_include_pad = false
   return self
end

function SpatialAveragePooling:poolShape()
   if self.ceil_mode == nil then     -- models saved by older versions
      self.ceil_mode = false
      self.count_include_pad = true
      self.padH = 0
      self.padW = 0
   end
   return THNN.poolShape(2, nil, self.kH, self.kW, nil, self.dH, self.dW, nil, self.padH,
      self.padW, nil, nil, nil, self.ceil_mode, self.count_include_pad)
end

function SpatialAveragePooling:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_avg_pool(self.output, input, self:poolShape()), self)
   if not self.divide then self.output:mul(self.kW * self.kH) end
   return self.output
end

function SpatialAveragePooling:updateGradInput(input, gradOutput)
   if self.gradInput then
      check(C.t7_nn_avg_pool_backward(self.gradInput, input, gradOutput, self:poolShape()),
         self)
      if not self.divide then self.gradInput:mul(self.kW * self.kH) end
      return self.gradInput
   end
end

function SpatialAveragePooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW,
      self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

return SpatialAveragePooling
