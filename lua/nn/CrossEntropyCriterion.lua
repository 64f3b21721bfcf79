-- nn.CrossEntropyCriterion([weights[, sizeAverage]]): LogSoftMax then ClassNLLCriterion,
-- in one criterion taking raw scores. Singleton dimensions of input and target are
-- squeezed first, so a 1 x classes input counts as one sample.

local CrossEntropyCriterion, parent = torch.class('nn.CrossEntropyCriterion', 'nn.Criterion')

function CrossEntropyCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   self.lsm = nn.LogSoftMax()
   self.nll = nn.ClassNLLCriterion(weights, sizeAverage)
   self.sizeAverage = self.nll.sizeAverage
   self.oldSizeAverage = self.sizeAverage
end

-- Older code set nll.sizeAverage directly: forward a change of self.sizeAverage only.
local function sync_size_average(self)
   if self.sizeAverage ~= self.oldSizeAverage then
      self.nll.sizeAverage = self.sizeAverage
   end
   self.oldSizeAverage = self.sizeAverage
end

local function squeezed(target)
   if type(target) == 'number' then return target end
   return target:squeeze()
end

function CrossEntropyCriterion:updateOutput(input, target)
   sync_size_average(self)
   self.lsm:updateOutput(input:squeeze())
   self.nll:updateOutput(self.lsm.output, squeezed(target))
   self.output = self.nll.output
   return self.output
end

function CrossEntropyCriterion:updateGradInput(input, target)
   sync_size_average(self)
   local squeezed_input = input:squeeze()
   self.nll:updateGradInput(self.lsm.output, squeezed(target))
   self.lsm:updateGradInput(squeezed_input, self.nll.gradInput)
   self.gradInput:set(self.lsm.gradInput:view(input:size()))
   return self.gradInput
end

return CrossEntropyCriterion
