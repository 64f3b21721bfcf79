-- nn.Reinforce([stochastic]): the base of the modules trained with REINFORCE (Williams,
-- "Simple statistical gradient-following algorithms for connectionist reinforcement
-- learning", 1992). Such a module's output is a sample of a distribution its input
-- parameterises. Nothing differentiable links the sample to the loss, so the backward
-- ignores gradOutput: a reward criterion (nn.VRClassReward, ...) first hands every module
-- one reward per example through reinforce(reward), and the gradient becomes
--    gradInput = -reward * d ln f(output | input) / d input
-- (minus: the optimisers descend, and rewarded samples should become likelier).
-- stochastic = true keeps sampling in evaluate() mode; otherwise evaluation gives a
-- deterministic summary of the distribution (each subclass says which).
-- This base class itself passes its input through, and its gradient is the reward.

local Reinforce, parent = torch.class('nn.Reinforce', 'nn.Module')

function Reinforce:__init(stochastic)
   parent.__init(self)
   self.stochastic = stochastic
end

function Reinforce:reinforce(reward)
   parent.reinforce(self, reward)
   self.reward = reward
end

-- Whether forward draws samples (always in training mode).
function Reinforce:sampling()
   return self.stochastic or self.train ~= false
end

function Reinforce:updateOutput(input)
   self.output:set(input)
   return self.output
end

function Reinforce:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(self:rewardAs(input))
   return self.gradInput
end

-- The reward (one value per example) spread over input's size: each example's reward for
-- every element of it. A single reward for an input whose first size differs stands for
-- an input of one example.
function Reinforce:rewardAs(input)
   local reward = self.reward
   if not torch.isTensor(reward) then
      error(torch.type(self) .. ': no reward; a reward criterion must call reinforce(reward) '
         .. 'before the backward', 2)
   end
   if reward:dim() ~= 1 then
      error(torch.type(self) .. ': expecting a reward of one dimension (one per example), '
         .. 'got ' .. reward:dim(), 2)
   end
   if input:isSameSizeAs(reward) then return reward end
   local sizes = input:size():totable()
   local shape = {}
   for d = 1, #sizes do shape[d] = 1 end
   if reward:size(1) == sizes[1] then
      shape[1] = sizes[1]
   elseif reward:size(1) ~= 1 then
      error(string.format('%s: %d rewards for %d examples', torch.type(self), reward:size(1),
         sizes[1]), 2)
   end
   return reward:view(unpack(shape)):expand(unpack(sizes))
end

-- The two parameters of a distribution whose second one (named names[2]) is either given to
-- the constructor, as self[names[2]], or with the first in the input {first, second}.
function Reinforce:distributionParameters(input, names)
   if torch.type(input) == 'table' then
      if #input ~= 2 then
         error(string.format('%s: expecting input {%s, %s}, got a table of %d',
            torch.type(self), names[1], names[2], #input), 3)
      end
      return input[1], input[2]
   end
   if self[names[2]] == nil then
      error(string.format('%s: no %s; give it to the constructor or input {%s, %s}',
         torch.type(self), names[2], names[1], names[2]), 3)
   end
   return input, self[names[2]]
end

-- A distribution's second parameter spread over the first's size: a number stays one, a
-- tensor of one example's size is shared by the batch.
function Reinforce:spreadParameter(first, second, name)
   if torch.type(second) == 'number' then return second end
   if not torch.isTensor(second) then
      error(string.format('%s: expecting a number or tensor %s, got %s', torch.type(self),
         name, torch.type(second)), 3)
   end
   local sizes = second:size():totable()
   if second:dim() + 1 == first:dim() then table.insert(sizes, 1, first:size(1)) end
   if not first:isSize(torch.LongStorage(sizes)) then
      error(string.format('%s: %s must have the size of the input, or that of one example',
         torch.type(self), name), 3)
   end
   if second:dim() == first:dim() then return second end
   return second:view(1, unpack(second:size():totable())):expand(first:size())
end

return Reinforce
