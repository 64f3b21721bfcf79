-- nn.SpatialSubSampling(nInputPlane, kW, kH[, dW, dH]): the sum of each kW x kH window,
-- times a learnt weight per plane, plus a learnt bias per plane (windows dW, dH apart,
-- default 1).

local SpatialSubSampling, parent = torch.class('nn.SpatialSubSampling', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function SpatialSubSampling:__init(nInputPlane, kW, kH, dW, dH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.weight = torch.Tensor(nInputPlane)
   self.bias = torch.Tensor(nInputPlane)
   self.gradWeight = torch.Tensor(nInputPlane)
   self.gradBias = torch.Tensor(nInputPlane)
   self:reset()
end

function SpatialSubSampling:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.kH)
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

function SpatialSubSampling:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_subsampling(self.output, input, self.weight, self.bias, self.kW, self.kH,
      self.dW, self.dH), self)
   return self.output
end

function SpatialSubSampling:updateGradInput(input, gradOutput)
   if self.gradInput then
      check(C.t7_nn_subsampling_backward_input(self.gradInput, input, gradOutput, self.weight,
         self.kW, self.kH, self.dW, self.dH), self)
      return self.gradInput
   end
end

function SpatialSubSampling:accGradParameters(input, gradOutput, scale)
   check(C.t7_nn_subsampling_backward_params(self.gradWeight, self.gradBias, input, gradOutput,
      self.kW, self.kH, self.dW, self.dH, scale or 1), self)
end

return SpatialSubSampling
