-- nn.LogSigmoid: log(1 / (1 + exp(-x))), computed without overflow for large |x|.

local LogSigmoid, parent = torch.class('nn.LogSigmoid', 'nn.Module')
local THNN = require 'nn.THNN'

function LogSigmoid:updateOutput(input)
   return THNN.transfer(self, input, THNN.C.T7_TR_LOGSIGMOID)
end

function LogSigmoid:updateGradInput(input, gradOutput)
   return THNN.transferBackward(self, input, gradOutput, THNN.C.T7_TR_LOGSIGMOID)
end

-- The original kept exp(-x) in self.buffer; models saved by it carry the field.
function LogSigmoid:clearState()
   if self.buffer then self.buffer:set() end
   return parent.clearState(self)
end

return LogSigmoid
