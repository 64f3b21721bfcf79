-- nn.Select(dimension, index): a copy of input:select(dimension, index); negative
-- dimension and index count from the end.

local Select, parent = torch.class('nn.Select', 'nn.Module')

function Select:__init(dimension, index)
   parent.__init(self)
   self.dimension = dimension
   self.index = index
end

function Select:place(input)
   local dim = self.dimension < 0 and input:dim() + self.dimension + 1 or self.dimension
   local index = self.index < 0 and input:size(dim) + self.index + 1 or self.index
   return dim, index
end

function Select:updateOutput(input)
   local part = input:select(self:place(input))
   return self.output:resizeAs(part):copy(part)
end

function Select:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   self.gradInput:select(self:place(input)):copy(gradOutput)
   return self.gradInput
end

return Select
