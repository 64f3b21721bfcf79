-- nn.ReinforceBernoulli([stochastic]): samples (0 or 1) of Bernoulli distributions whose
-- probabilities of a 1 are the input, trained with REINFORCE (see nn.Reinforce). In
-- evaluate() mode (not stochastic) the output is the probabilities themselves.
-- For a sample x of B(p): d ln f / d p = (x - p) / (p (1 - p)).

local ReinforceBernoulli, parent = torch.class('nn.ReinforceBernoulli', 'nn.Reinforce')

function ReinforceBernoulli:updateOutput(input)
   self.output:resizeAs(input)
   if self:sampling() then
      self._uniform = self._uniform or input.new()
      self._uniform:resizeAs(input):uniform(0, 1)
      self.output:lt(self._uniform, input)
   else
      self.output:copy(input)
   end
   return self.output
end

function ReinforceBernoulli:updateGradInput(input, gradOutput)
   self._variance = self._variance or input.new()
   self._variance:resizeAs(input):fill(1):add(-1, input):cmul(input)
   self.gradInput:resizeAs(input):copy(self.output):add(-1, input):cdiv(self._variance)
   self.gradInput:cmul(self:rewardAs(input)):mul(-1)
   return self.gradInput
end

return ReinforceBernoulli
