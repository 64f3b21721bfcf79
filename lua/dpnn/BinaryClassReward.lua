-- nn.BinaryClassReward(module[, scale[, criterion]]): nn.VRClassReward for two classes.
-- input = {p, b}: p a vector of probabilities of class 1 (one per example), b the
-- baseline; targets are 0 or 1. The prediction is 1 where p > 0.5; rewards, loss and
-- gradients are then VRClassReward's.

local BinaryClassReward, parent = torch.class('nn.BinaryClassReward', 'nn.VRClassReward')

function BinaryClassReward:updateOutput(input, target)
   local probability = self:probabilityOf(input)
   self._binary = self._binary or probability.new()
   self._binary:gt(probability, 0.5)
   local reward = self:rawReward(self._binary, target, probability)
   self.output = -reward:sum()
   if self.sizeAverage then self.output = self.output / probability:size(1) end
   return self.output
end

function BinaryClassReward:probabilityOf(input)
   if torch.type(input) ~= 'table' or not torch.isTensor(input[1]) or input[1]:dim() ~= 1 then
      error('nn.BinaryClassReward: expecting input {probabilities (a vector), baseline}', 3)
   end
   return input[1]
end

function BinaryClassReward:updateGradInput(input, target)
   return self:rewardBackward(self:probabilityOf(input), input[2])
end

function BinaryClassReward:type(typename, cache)
   self._binary = nil
   return parent.type(self, typename, cache)
end

return BinaryClassReward
