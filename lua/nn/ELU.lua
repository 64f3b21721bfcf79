-- nn.ELU([alpha[, inplace]]): x where x > 0, alpha * (exp(x) - 1) elsewhere (alpha
-- default 1) (Clevert, Unterthiner, Hochreiter, 2015).

local ELU, parent = torch.class('nn.ELU', 'nn.Module')
local THNN = require 'nn.THNN'

function ELU:__init(alpha, inplace)
   parent.__init(self)
   self.alpha = alpha or 1
   assert(type(self.alpha) == 'number')
   self.inplace = inplace or false
   assert(type(self.inplace) == 'boolean')
end

function ELU:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_ELU, self.alpha, 0, self.inplace)
end

function ELU:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_ELU, self.alpha, 0,
      self.inplace)
end

function ELU:__tostring__()
   return string.format('%s (alpha:%f)', torch.type(self), self.alpha)
end

return ELU
