-- nn.WeightedMSECriterion(weight): the mean squared error between the input and the
-- target times weight (a tensor shaped like one sample, applied to each of a batch).

local WeightedMSECriterion, parent = torch.class('nn.WeightedMSECriterion', 'nn.MSECriterion')

function WeightedMSECriterion:__init(w)
   parent.__init(self)
   self.weight = w:clone()
end

-- target * weight, into self.buffer.
local function weighted_target(self, input, target)
   self.buffer = self.buffer or input.new()
   self.buffer:resizeAs(input):copy(target)
   if input:dim() - 1 == self.weight:dim() then
      for i = 1, input:size(1) do self.buffer[i]:cmul(self.weight) end
   else
      self.buffer:cmul(self.weight)
   end
   return self.buffer
end

function WeightedMSECriterion:updateOutput(input, target)
   return parent.updateOutput(self, input, weighted_target(self, input, target))
end

function WeightedMSECriterion:updateGradInput(input, target)
   return parent.updateGradInput(self, input, weighted_target(self, input, target))
end

return WeightedMSECriterion
