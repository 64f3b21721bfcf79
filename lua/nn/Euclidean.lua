-- nn.Euclidean(inputSize, outputSize): y_j = || x - w_j ||, the distance from the input
-- to each of outputSize learnt centres (the columns w_j of the inputSize x outputSize
-- weight), for one sample or a batch.

local Euclidean, parent = torch.class('nn.Euclidean', 'nn.Module')
local distance = require 'nn.distance'

function Euclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   self.gradInput:resize(inputSize)
   self.output:resize(outputSize)
   self.fastBackward = true
   self:reset()
end

function Euclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
end

function Euclidean:updateOutput(input)
   return distance.updateOutput(self, input)
end

function Euclidean:updateGradInput(input, gradOutput)
   if self.gradInput then return distance.updateGradInput(self, input, gradOutput) end
end

-- d y_j / d w_j = (w_j - x) / y_j: the input gradient's terms, negated and summed over
-- the batch.
function Euclidean:accGradParameters(input, gradOutput, scale)
   distance.prepareGradient(self, input, gradOutput)
   self.gradWeight:add(-(scale or 1), distance.batchSum(self, self._repeat2, input))
end

function Euclidean:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function Euclidean:clearState()
   distance.clearState(self)
   return parent.clearState(self)
end

return Euclidean
