-- nn.L1Cost: the L1 norm sum |x| of its input (no target); the gradient is sign(x).

local L1Cost, parent = torch.class('nn.L1Cost', 'nn.Criterion')
local pairLoss = require 'nn.pairLoss'
local C = require('nn.THNN').C

function L1Cost:__init()
   parent.__init(self)
end

function L1Cost:updateOutput(input)
   return pairLoss.updateOutput(self, input, nil, C.T7_LOSS_L1)
end

function L1Cost:updateGradInput(input)
   return pairLoss.updateGradInput(self, input, nil, C.T7_LOSS_L1)
end

function L1Cost:clearState()
   if self.output_tensor then self.output_tensor:set() end
   return parent.clearState(self)
end

return L1Cost
