-- nn.SequencerCriterion(criterion[, sizeAverage]): applies criterion at every step of a
-- sequence (tables of inputs and targets, or tensors whose first dimension is time) and
-- sums the losses (averages them over the steps when sizeAverage is true). Each step has
-- its own clone of criterion.

local SequencerCriterion, parent = torch.class('nn.SequencerCriterion', 'nn.Criterion')

function SequencerCriterion:__init(criterion, sizeAverage)
   parent.__init(self)
   if torch.isTypeOf(criterion, 'nn.ModuleCriterion') then
      error("SequencerCriterion shouldn't decorate a ModuleCriterion. Instead, try the "
         .. 'other way around : ModuleCriterion decorates a SequencerCriterion. Its '
         .. 'modules can also be similarly decorated with a Sequencer.', 2)
   end
   self.criterion = criterion
   self.sizeAverage = sizeAverage or false
   self.clones = {}
   self.gradInput = {}
end

function SequencerCriterion:getStepCriterion(step)
   assert(step, 'expecting step at arg 1')
   self.clones[step] = self.clones[step] or self.criterion:clone()
   return self.clones[step]
end

local function sequence_length(input, target)
   if torch.isTensor(input) then
      assert(torch.isTensor(target), 'expecting target Tensor since input is a Tensor')
      assert(target:size(1) == input:size(1), 'target should have as many elements as input')
      return input:size(1)
   end
   assert(torch.type(target) == 'table', 'expecting target table')
   assert(#target == #input, 'target should have as many elements as input')
   return #input
end

function SequencerCriterion:updateOutput(input, target)
   local nStep = sequence_length(input, target)
   self.output = 0
   for step = 1, nStep do
      self.output = self.output
         + self:getStepCriterion(step):forward(input[step], target[step])
   end
   if self.sizeAverage then self.output = self.output / nStep end
   return self.output
end

local function divide(value, by)
   if torch.type(value) == 'table' then
      for _, item in ipairs(value) do divide(item, by) end
   else
      value:div(by)
   end
end

function SequencerCriterion:updateGradInput(input, target)
   local nStep = sequence_length(input, target)
   local gradInputs = {}
   for step = 1, nStep do
      gradInputs[step] = self:getStepCriterion(step):backward(input[step], target[step])
      if self.sizeAverage then divide(gradInputs[step], nStep) end
   end
   if torch.isTensor(input) then
      self.gradInput = gradInputs[1].new()
      self.gradInput:resize(nStep, unpack(gradInputs[1]:size():totable()))
      for step = 1, nStep do self.gradInput[step]:copy(gradInputs[step]) end
   else
      self.gradInput = gradInputs
   end
   return self.gradInput
end

return SequencerCriterion
