-- nn.Transpose({d1, d2}, {d3, d4}, ...): a copy of the input with those pairs of
-- dimensions swapped in turn (counted within a sample after setNumInputDims).

local Transpose, parent = torch.class('nn.Transpose', 'nn.Module')

function Transpose:__init(...)
   parent.__init(self)
   self.permutations = {...}
   self.numInputDims = nil
end

function Transpose:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

function Transpose:offset(input)
   return self.numInputDims and input:nDimension() - self.numInputDims or 0
end

function Transpose:updateOutput(input)
   local offset = self:offset(input)
   for _, perm in ipairs(self.permutations) do
      input = input:transpose(perm[1] + offset, perm[2] + offset)
   end
   return self.output:resizeAs(input):copy(input)
end

function Transpose:updateGradInput(input, gradOutput)
   local offset = self:offset(input)
   for i = #self.permutations, 1, -1 do
      local perm = self.permutations[i]
      gradOutput = gradOutput:transpose(perm[1] + offset, perm[2] + offset)
   end
   return self.gradInput:resizeAs(gradOutput):copy(gradOutput)
end

return Transpose
