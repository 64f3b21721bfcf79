-- nn.ReLU6([inplace]): min(max(0, x), 6).

local ReLU6, parent = torch.class('nn.ReLU6', 'nn.Module')
local THNN = require 'nn.THNN'

function ReLU6:__init(inplace)
   parent.__init(self)
   self.inplace = inplace or false
   if inplace and type(inplace) ~= 'boolean' then error('in-place flag must be boolean', 2) end
end

function ReLU6:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_HARDTANH, 0, 6, self.inplace)
end

function ReLU6:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_HARDTANH, 0, 6,
      self.inplace)
end

return ReLU6
