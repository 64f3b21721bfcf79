-- nn.L1Penalty(l1weight[, sizeAverage[, provideOutput]]): passes its input through, and
-- adds l1weight * sign(x) (divided by the element count with sizeAverage) to the gradient,
-- the gradient of the penalty l1weight * ||x||_1 (kept in self.loss). provideOutput false:
-- the gradOutput is ignored (the penalty alone is returned).

local L1Penalty, parent = torch.class('nn.L1Penalty', 'nn.Module')

function L1Penalty:__init(l1weight, sizeAverage, provideOutput)
   parent.__init(self)
   self.l1weight = l1weight
   self.sizeAverage = sizeAverage or false
   if provideOutput == nil then
      self.provideOutput = true
   else
      self.provideOutput = provideOutput
   end
end

function L1Penalty:weightFor(input)
   if self.sizeAverage == true then return self.l1weight / input:nElement() end
   return self.l1weight
end

function L1Penalty:updateOutput(input)
   self._abs = self._abs or input.new()
   self.loss = self:weightFor(input) * self._abs:abs(input):sum()
   self.output = input
   return self.output
end

function L1Penalty:updateGradInput(input, gradOutput)
   self.gradInput:sign(input):mul(self:weightFor(input))
   if self.provideOutput == true then self.gradInput:add(gradOutput) end
   return self.gradInput
end

function L1Penalty:clearState()
   nn.utils.clear(self, '_abs')
   return parent.clearState(self)
end

return L1Penalty
