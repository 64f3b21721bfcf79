-- nn.VRClassReward(module[, scale[, criterion]]): the reward criterion of REINFORCE for a
-- classifier (variance reduced). input = {y, b}: y the class scores (batch x classes, or
-- a vector for one example), b the predicted baseline (one per example); target holds the
-- class indices. The raw reward R is 1 where argmax(y) is the target, else 0, and
--    loss = -scale * sum(R)            (divided by the batch size with sizeAverage).
-- The backward gives y no gradient. It hands module (the network holding the nn.Reinforce
-- modules) the reward scale * (R - b) (divided by the batch size with sizeAverage) through
-- module:reinforce, and trains the baseline towards scale * R with criterion (default
-- nn.MSECriterion): subtracting a baseline leaves the expected gradient as it is and
-- lowers its variance.

local VRClassReward, parent = torch.class('nn.VRClassReward', 'nn.Criterion')

function VRClassReward:__init(module, scale, criterion)
   parent.__init(self)
   self.module = module
   self.scale = scale or 1
   self.criterion = criterion or nn.MSECriterion()
   self.sizeAverage = true
   self.gradInput = {torch.Tensor()}
end

-- The class scores, as a batch.
function VRClassReward:predictionOf(input)
   if torch.type(input) ~= 'table' or not torch.isTensor(input[1]) then
      error(torch.type(self) .. ': expecting input {prediction, baseline}', 3)
   end
   return self:toBatch(input[1], 1)
end

-- Fills self.reward (of scores' type) with scale * (predicted == target), one per example.
function VRClassReward:rawReward(predicted, target, scores)
   if not torch.isTensor(target) or target:nElement() ~= predicted:nElement() then
      error(torch.type(self) .. ': expecting a target of one class per example', 3)
   end
   self._predicted = self._predicted or torch.LongTensor()
   self._predicted:resize(predicted:size()):copy(predicted)
   self._target = self._target or torch.LongTensor()
   self._target:resize(target:nElement()):copy(target:contiguous():view(-1))
   self._hit = self._hit or torch.LongTensor()
   self._hit:eq(self._predicted:view(-1), self._target)
   self.reward = self.reward or scores.new()
   self.reward:resize(self._hit:size(1)):copy(self._hit):mul(self.scale)
   return self.reward
end

function VRClassReward:updateOutput(input, target)
   local scores = self:predictionOf(input)
   self._maxValue = self._maxValue or scores.new()
   self._maxIndex = self._maxIndex or torch.LongTensor()
   torch.max(self._maxValue, self._maxIndex, scores, 2)
   local reward = self:rawReward(self._maxIndex:select(2, 1), target, scores)
   self.output = -reward:sum()
   if self.sizeAverage then self.output = self.output / scores:size(1) end
   return self.output
end

-- The common backward of the reward criterions; the gradients are shaped as the prediction
-- and the baseline given.
function VRClassReward:rewardBackward(prediction, baseline)
   if not self.reward then
      error(torch.type(self) .. ': backward needs the forward just before it', 3)
   end
   local count = self.reward:size(1)
   if not torch.isTensor(baseline) or baseline:nElement() ~= count then
      error(torch.type(self) .. ': expecting a baseline of one value per example', 3)
   end
   self.vrReward = self.vrReward or self.reward.new()
   self.vrReward:resizeAs(self.reward):copy(self.reward)
   self.vrReward:add(-1, baseline:contiguous():view(count))
   if self.sizeAverage then self.vrReward:div(count) end
   self.module:reinforce(self.vrReward)
   self.gradInput[1]:resizeAs(prediction):zero()
   -- the baseline's target: the raw reward, shaped as the baseline
   local rewardLike = self.reward:view(baseline:size())
   self.criterion:forward(baseline, rewardLike)
   self.gradInput[2] = self.criterion:backward(baseline, rewardLike)
   return self.gradInput
end

function VRClassReward:updateGradInput(input, target)
   self:predictionOf(input)
   return self:rewardBackward(input[1], input[2])
end

-- Converting the criterion leaves the network it rewards alone.
function VRClassReward:type(typename, cache)
   local module = self.module
   self.module = nil
   self._maxIndex, self._predicted, self._target, self._hit = nil, nil, nil, nil
   parent.type(self, typename, cache)
   self.module = module
   return self
end

return VRClassReward
