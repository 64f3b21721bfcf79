-- nn.Narrow(dimension, offset[, length]): a copy of input:narrow(dimension, offset,
-- length) (length default 1). A negative dimension counts from the last; a negative
-- length leaves out -length - 1 elements at the end; a negative offset takes the first
-- size - length elements.

local Narrow, parent = torch.class('nn.Narrow', 'nn.Module')

function Narrow:__init(dimension, offset, length)
   parent.__init(self)
   self.dimension = dimension
   self.index = offset
   self.length = length or 1
   if not dimension or not offset then error('nn.Narrow(dimension, offset, length)', 2) end
end

-- The dimension, first index and length for this input.
function Narrow:span(input)
   local dim = self.dimension < 0 and input:dim() + self.dimension + 1 or self.dimension
   local length = self.length
   if length < 0 then length = input:size(dim) - self.index + self.length + 2 end
   local index = self.index
   if index < 0 then
      index = 1
      length = input:size(dim) - length
   end
   return dim, index, length
end

function Narrow:updateOutput(input)
   local part = input:narrow(self:span(input))
   self.output = self.output:typeAs(part)
   self.output:resizeAs(part):copy(part)
   return self.output
end

function Narrow:updateGradInput(input, gradOutput)
   self.gradInput = self.gradInput:typeAs(input)
   self.gradInput:resizeAs(input):zero()
   self.gradInput:narrow(self:span(input)):copy(gradOutput)
   return self.gradInput
end

return Narrow
