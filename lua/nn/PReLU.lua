-- nn.PReLU([nOutputPlane]): x where x > 0, a * x elsewhere, with a learnt slope a per
-- plane (dimension 2 of a batch, or the only dimension of a vector), or one slope shared by
-- all when nOutputPlane is absent or 0. Slopes start at 0.25.

local PReLU, parent = torch.class('nn.PReLU', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function PReLU:__init(nOutputPlane)
   parent.__init(self)
   self.nOutputPlane = nOutputPlane or 0
   self.weight = torch.Tensor(nOutputPlane or 1):fill(0.25)
   self.gradWeight = torch.Tensor(nOutputPlane or 1)
end

function PReLU:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_prelu(self.output, input, self.weight, self.nOutputPlane), self)
   return self.output
end

function PReLU:updateGradInput(input, gradOutput)
   check(C.t7_nn_prelu_backward(self.gradInput, input, gradOutput, self.weight,
      self.nOutputPlane), self)
   return self.gradInput
end

function PReLU:accGradParameters(input, gradOutput, scale)
   check(C.t7_nn_prelu_acc_grad(self.gradWeight, input, gradOutput, self.nOutputPlane,
      scale or 1), self)
   return self.gradWeight
end

-- The original kept buffers under these names; models saved by it carry them.
function PReLU:clearState()
   nn.utils.clear(self, 'gradWeightBuf', 'gradWeightBuf2')
   return parent.clearState(self)
end

return PReLU
