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

return Reinforce
