-- nn.SplitTable(dimension[, nInputDims]): the input's slices along dimension, as a table
-- (views, not copies).

local SplitTable, parent = torch.class('nn.SplitTable', 'nn.Module')

function SplitTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension
   self.nInputDims = nInputDims
end

function SplitTable:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input:dim() + dimension + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
      dimension = dimension + 1
   end
   return dimension
end

function SplitTable:updateOutput(input)
   local dimension = self:_getPositiveDimension(input)
   local slices = {}
   for i = 1, input:size(dimension) do slices[i] = input:select(dimension, i) end
   self.output = slices
   return self.output
end

function SplitTable:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local dimension = self:_getPositiveDimension(input)
   self.gradInput:resizeAs(input)
   for i = 1, input:size(dimension) do
      self.gradInput:select(dimension, i):copy(gradOutput[i])
   end
   return self.gradInput
end

return SplitTable
