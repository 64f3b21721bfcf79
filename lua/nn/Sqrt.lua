-- nn.Sqrt([eps]): sqrt(x + eps) (eps default 0); the gradient is 0 where the output is.

local Sqrt, parent = torch.class('nn.Sqrt', 'nn.Module')
local THNN = require 'nn.THNN'

function Sqrt:__init(b)
   parent.__init(self)
   self.eps = b or 0
end

function Sqrt:updateOutput(input)
   self.eps = self.eps or 0        -- models saved by older versions
   return THNN.transfer(self, input, THNN.C.T7_TR_SQRT, self.eps)
end

function Sqrt:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_SQRT, self.eps)
end

return Sqrt
