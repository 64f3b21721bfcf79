-- nn.TemporalConvolution(inputFrameSize, outputFrameSize, kW[, dW]): a 1-D convolution over
-- frames: each output frame is a linear map of kW consecutive input frames, dW frames apart
-- (default 1). Input: frames x inputFrameSize, or batch x frames x inputFrameSize. The
-- weight is outputFrameSize x (kW * inputFrameSize).

local TemporalConvolution, parent = torch.class('nn.TemporalConvolution', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function TemporalConvolution:__init(inputFrameSize, outputFrameSize, kW, dW)
   parent.__init(self)
   self.inputFrameSize = inputFrameSize
   self.outputFrameSize = outputFrameSize
   self.kW = kW
   self.dW = dW or 1
   self.weight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.bias = torch.Tensor(outputFrameSize)
   self.gradWeight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.gradBias = torch.Tensor(outputFrameSize)
   self:reset()
end

function TemporalConvolution:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.inputFrameSize)
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

function TemporalConvolution:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_temporal_conv(self.output, input, self.weight, self.bias, self.kW, self.dW),
      self)
   return self.output
end

function TemporalConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      check(C.t7_nn_temporal_conv_backward_input(self.gradInput, input, gradOutput,
         self.weight, self.kW, self.dW), self)
      return self.gradInput
   end
end

function TemporalConvolution:accGradParameters(input, gradOutput, scale)
   check(C.t7_nn_temporal_conv_backward_params(self.gradWeight, self.gradBias, input,
      gradOutput, self.kW, self.dW, scale or 1), self)
end

function TemporalConvolution:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

return TemporalConvolution
