-- nn.RepeaterCriterion(criterion): applies criterion to every step of a sequence of
-- inputs (a table, or a tensor whose first dimension is time) against one and the same
-- target, summing the losses.

local RepeaterCriterion, parent = torch.class('nn.RepeaterCriterion', 'nn.Criterion')

function RepeaterCriterion:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.gradInput = {}
   self.clones = {}
end

RepeaterCriterion.getStepCriterion = nn.SequencerCriterion.getStepCriterion

local function repeated(input, target)
   local targets = {}
   local nStep = torch.isTensor(input) and input:size(1) or #input
   for step = 1, nStep do targets[step] = target end
   return targets
end

function RepeaterCriterion:updateOutput(input, target)
   self.output = 0
   for step, value in ipairs(repeated(input, target)) do
      self.output = self.output + self:getStepCriterion(step):forward(input[step], value)
   end
   return self.output
end

function RepeaterCriterion:updateGradInput(input, target)
   self.gradInput = {}
   for step, value in ipairs(repeated(input, target)) do
      self.gradInput[step] = self:getStepCriterion(step):backward(input[step], value)
   end
   if torch.isTensor(input) then
      local stacked = self.gradInput[1].new()
      stacked:resize(#self.gradInput, unpack(self.gradInput[1]:size():totable()))
      for step, value in ipairs(self.gradInput) do stacked[step]:copy(value) end
      self.gradInput = stacked
   end
   return self.gradInput
end

return RepeaterCriterion
