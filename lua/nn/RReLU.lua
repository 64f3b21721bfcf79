-- nn.RReLU([l[, u[, inplace]]]): randomized leaky ReLU (Xu et al., 2015). In training, each
-- non-positive element is scaled by a slope drawn uniform in [l, u) (default [1/8, 1/3)),
-- kept in self.noise; in evaluation the slope is (l + u) / 2.

local RReLU, parent = torch.class('nn.RReLU', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function RReLU:__init(l, u, ip)
   parent.__init(self)
   self.lower = l or 1 / 8
   self.upper = u or 1 / 3
   assert(self.lower <= self.upper and self.lower >= 0 and self.upper >= 0)
   self.noise = torch.Tensor()
   self.train = true
   self.inplace = ip or false
end

function RReLU:updateOutput(input)
   THNN.checkFloating(self, input)
   if not self.train then
      return THNN.transfer(self, input, C.T7_TR_RRELU_EVAL, (self.lower + self.upper) / 2, 0,
         self.inplace)
   end
   local output = self.inplace and input or self.output
   check(C.t7_nn_rrelu_train(output, self.noise, input, self.lower, self.upper, torch._gen),
      self)
   if self.inplace then self.output:set(input) end
   return self.output
end

function RReLU:updateGradInput(input, gradOutput)
   if not self.train then
      return THNN.transferBackward(self, input, gradOutput, C.T7_TR_RRELU_EVAL,
         (self.lower + self.upper) / 2, 0, self.inplace)
   end
   if self.inplace then
      gradOutput:cmul(self.noise)
      self.gradInput:set(gradOutput)
   else
      self.gradInput:cmul(gradOutput, self.noise)
   end
   return self.gradInput
end

function RReLU:__tostring__()
   return string.format('%s (l:%f, u:%f)', torch.type(self), self.lower, self.upper)
end

function RReLU:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end

return RReLU
