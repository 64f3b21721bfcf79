-- nn.WeightedEuclidean(inputSize, outputSize): y_j = || c_j * (x - w_j) ||, a distance to
-- each learnt centre w_j with its own learnt diagonal scaling c_j (self.diagCov, starting
-- at 1); both are inputSize x outputSize.

local WeightedEuclidean, parent = torch.class('nn.WeightedEuclidean', 'nn.Module')
local distance = require 'nn.distance'

function WeightedEuclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   self.diagCov = torch.Tensor(inputSize, outputSize)
   self.gradDiagCov = torch.Tensor(inputSize, outputSize)
   self:reset()
end

function WeightedEuclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
   self.diagCov:fill(1)
end

function WeightedEuclidean:updateOutput(input)
   return distance.updateOutput(self, input, self.diagCov)
end

function WeightedEuclidean:updateGradInput(input, gradOutput)
   if self.gradInput then
      return distance.updateGradInput(self, input, gradOutput, self.diagCov)
   end
end

-- d y_j / d w_j = -c_j^2 (x - w_j) / y_j; d y_j / d c_j = c_j (x - w_j)^2 / y_j.
function WeightedEuclidean:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   distance.prepareGradient(self, input, gradOutput, self.diagCov)
   self.gradWeight:add(-scale, distance.batchSum(self, self._repeat2, input))
   -- _repeat2 holds c^2 (x - w) g / y; times (x - w) / c: c (x - w)^2 g / y
   self._repeat3 = self._repeat3 or input.new()
   self._repeat3:resizeAs(self._repeat):copy(self._diff):cmul(self._diff)
   self._repeat3:cmul(distance.expanded(self, self.diagCov, input))
   self._repeat3:cmul(distance.ratio(self, input))
   self.gradDiagCov:add(scale, distance.batchSum(self, self._repeat3, input))
end

function WeightedEuclidean:parameters()
   return {self.weight, self.diagCov}, {self.gradWeight, self.gradDiagCov}
end

function WeightedEuclidean:accUpdateGradParameters(input, gradOutput, lr)
   local gradWeight, gradDiagCov = self.gradWeight, self.gradDiagCov
   self.gradWeight, self.gradDiagCov = self.weight, self.diagCov
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradDiagCov = gradWeight, gradDiagCov
end

function WeightedEuclidean:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function WeightedEuclidean:clearState()
   distance.clearState(self)
   nn.utils.clear(self, '_repeat3')
   return parent.clearState(self)
end

return WeightedEuclidean
