-- nn.NormStabilizer([beta]): norm stabilization of the hidden states of an RNN (Krueger
-- and Memisevic, "Regularizing RNNs by Stabilizing Activations"). Stepped like the other
-- recurrent modules (in a Sequencer, after the RNN), it passes each step's batch of hidden
-- states h[t] (batch x size) on unchanged, and its backward adds the gradient of
--   beta * sum over t = 2..T of the mean over the batch of (||h[t]|| - ||h[t-1]||)^2
-- to the gradient of each h[t]. updateLoss() gives that sum divided by T (the gradient is
-- not: beta need not change with the length of the sequences). beta defaults to 1.

local NormStabilizer, parent = torch.class('nn.NormStabilizer', 'nn.AbstractRecurrent')

function NormStabilizer:__init(beta)
   parent.__init(self, 99999)
   self.beta = beta or 1
   self:setStepModule(nn.CopyGrad())
end

function NormStabilizer:updateOutput(input)
   if not torch.isTensor(input) or input:dim() ~= 2 then
      error('nn.NormStabilizer: expecting a batch of hidden states (a 2D tensor)', 2)
   end
   local output = self:runStep(input)
   if self.train ~= false then
      -- each step's norms stay with its clone, for the backward pass
      local module = self:getStepModule(self.step - 1)
      module.norm = module.norm or input.new()
      module.norm:norm(output, 2, 2)
   end
   return output
end

-- The stabilization loss of the steps forwarded (see the header).
function NormStabilizer:updateLoss()
   local steps = self.step - 1
   self.loss = 0
   for step = 2, steps do
      local difference = self:getStepModule(step).norm - self:getStepModule(step - 1).norm
      self.loss = self.loss + difference:pow(2):mean()
   end
   self.loss = self.beta * self.loss / steps
   return self.loss
end

function NormStabilizer:_updateGradInput(input, gradOutput)
   local step = self.updateGradInputStep - 1
   local last = self.step - 1
   assert(step >= 1 and step <= last, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   local gradInput = module:updateGradInput(input, gradOutput)
   local hidden, norm = module.output, module.norm
   -- d/dh[t] of beta * mean_i (||h[t]|| - ||h[s]||)^2, for the neighbours s of t:
   --   2 beta / batch * (||h[t]|| - ||h[s]||) * h[t] / ||h[t]||
   local coefficient = norm.new():resizeAs(norm):zero()
   for _, neighbour in ipairs({step - 1, step + 1}) do
      if neighbour >= 1 and neighbour <= last then
         coefficient:add(norm):add(-1, self:getStepModule(neighbour).norm)
      end
   end
   -- a zero hidden state (zero norm) gets no gradient rather than 0 / 0
   coefficient:cdiv(norm:clone():clamp(1e-12, math.huge))
   coefficient:mul(2 * self.beta / hidden:size(1))
   gradInput:addcmul(hidden, coefficient:expandAs(hidden))
   return gradInput
end

function NormStabilizer:_accGradParameters(input, gradOutput, scale)
end

function NormStabilizer:__tostring__()
   return 'nn.NormStabilizer'
end

return NormStabilizer
