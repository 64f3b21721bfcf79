-- nn.ReinforceCategorical([stochastic]): one sample of a categorical distribution per
-- example, as a one-hot row, trained with REINFORCE (see nn.Reinforce). The input is the
-- probabilities (batch x n, or n for one example; a SoftMax's output, say). In evaluate()
-- mode (not stochastic) the output is the probabilities themselves.
-- For the sample i of Cat(p): d ln f / d p[i] = 1 / p[i], and 0 for the other categories.

local ReinforceCategorical, parent = torch.class('nn.ReinforceCategorical', 'nn.Reinforce')

-- Keeps 1 / p finite for a category drawn with a probability rounded to zero.
local tiny = 1e-8

function ReinforceCategorical:updateOutput(input)
   if input:dim() ~= 1 and input:dim() ~= 2 then
      error('nn.ReinforceCategorical: expecting probabilities of 1 or 2 dimensions '
         .. '(n or batch x n), got ' .. input:dim(), 2)
   end
   self.output:resizeAs(input)
   if self:sampling() then
      local probs = input:dim() == 1 and input:view(1, input:size(1)) or input
      self._index = self._index or torch.LongTensor()
      torch.multinomial(self._index, probs, 1)
      self.output:zero():view(probs:size()):scatter(2, self._index, 1)
   else
      self.output:copy(input)
   end
   return self.output
end

function ReinforceCategorical:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(self.output)
   self.gradInput:cdiv(torch.add(input, tiny)):cmul(self:rewardAs(input)):mul(-1)
   return self.gradInput
end

function ReinforceCategorical:type(typename, cache)
   local index = self._index
   self._index = nil
   parent.type(self, typename, cache)
   self._index = index
   return self
end

return ReinforceCategorical
