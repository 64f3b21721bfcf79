-- nn.MSECriterion([sizeAverage]): the sum of squared differences between input and target,
-- divided by their element count when sizeAverage (the default).

local MSECriterion, parent = torch.class('nn.MSECriterion', 'nn.Criterion')
local core = require 'torch.core'
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function MSECriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

function MSECriterion:updateOutput(input, target)
   local sum = core.out1
   check(C.t7_nn_mse(input, target, sum), self)
   self.output = core.result(sum)
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

function MSECriterion:updateGradInput(input, target)
   local norm = self.sizeAverage and 2 / input:nElement() or 2
   check(C.t7_nn_mse_backward(self.gradInput, input, target, norm), self)
   return self.gradInput
end

return MSECriterion
