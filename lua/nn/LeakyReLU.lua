-- nn.LeakyReLU([negval[, inplace]]): x where x > 0, negval * x elsewhere (negval default
-- 1/100). A negative slope forbids working in place (the sign no longer tells which
-- elements were scaled).

local LeakyReLU, parent = torch.class('nn.LeakyReLU', 'nn.Module')
local THNN = require 'nn.THNN'

function LeakyReLU:__init(negval, ip)
   parent.__init(self)
   if type(negval) == 'boolean' then
      ip, negval = negval, nil
   end
   self.negval = negval or 1 / 100
   self.inplace = ip or false
   if self.negval < 0 then self.inplace = false end
end

function LeakyReLU:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_LEAKYRELU, self.negval, 0, self.inplace)
end

function LeakyReLU:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_LEAKYRELU, self.negval,
      0, self.inplace)
end

function LeakyReLU:__tostring__()
   return torch.type(self) .. string.format('(%g)', self.negval)
end

return LeakyReLU
