-- nn.HardTanh([min_value[, max_value[, inplace]]]): the input clipped to [min, max]
-- (default [-1, 1]); the gradient passes strictly inside.

local HardTanh, parent = torch.class('nn.HardTanh', 'nn.Module')
local THNN = require 'nn.THNN'

function HardTanh:__init(min_value, max_value, inplace)
   parent.__init(self)
   self.min_val = min_value or -1
   self.max_val = max_value or 1
   self.inplace = inplace or false
   if inplace and type(inplace) ~= 'boolean' then error('in-place flag must be boolean', 2) end
   assert(self.max_val > self.min_val, 'max_value must be larger than min_value')
end

function HardTanh:updateOutput(input)
   self.min_val = self.min_val or -1        -- models saved by older versions
   self.max_val = self.max_val or 1
   return THNN.transfer(self, input, THNN.C.T7_TR_HARDTANH, self.min_val, self.max_val,
      self.inplace)
end

function HardTanh:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_HARDTANH, self.min_val,
      self.max_val, self.inplace)
end

return HardTanh
