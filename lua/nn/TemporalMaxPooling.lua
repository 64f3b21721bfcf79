-- nn.TemporalMaxPooling(kW[, dW]): the maximum over each kW frames, dW frames apart
-- (default kW), of a frames x features input (or batch x frames x features).

local TemporalMaxPooling, parent = torch.class('nn.TemporalMaxPooling', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function TemporalMaxPooling:__init(kW, dW)
   parent.__init(self)
   self.kW = kW
   self.dW = dW or kW
end

function TemporalMaxPooling:updateOutput(input)
   THNN.checkFloating(self, input)
   self.indices = (self.indices or torch.LongTensor()):long()
   check(C.t7_nn_temporal_max_pool(self.output, self.indices, input, self.kW, self.dW), self)
   return self.output
end

function TemporalMaxPooling:updateGradInput(input, gradOutput)
   if self.gradInput then
      check(C.t7_nn_temporal_max_pool_backward(self.gradInput, input, gradOutput,
         self.indices, self.kW, self.dW), self)
      return self.gradInput
   end
end

function TemporalMaxPooling:empty()
   self:clearState()
end

function TemporalMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

return TemporalMaxPooling
