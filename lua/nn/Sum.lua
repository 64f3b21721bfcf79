-- nn.Sum([dimension[, nInputDims[, sizeAverage[, squeeze]]]]): the sum along dimension
-- (default 1; negative counts from the last; counted within a sample when nInputDims says
-- the input is a batch), the mean with sizeAverage. squeeze (default true) removes the
-- summed dimension.

local Sum, parent = torch.class('nn.Sum', 'nn.Module')

function Sum:__init(dimension, nInputDims, sizeAverage, squeeze)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims
   self.sizeAverage = sizeAverage or false
   if squeeze ~= nil then
      assert(type(squeeze) == 'boolean', 'squeeze has to be true/false')
      self.squeeze = squeeze
   else
      self.squeeze = true
   end
end

function Sum:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input:dim() + dimension + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
      dimension = dimension + 1
   end
   assert(input:dim() >= dimension, 'dimension exceeds input dimensions')
   return dimension
end

function Sum:updateOutput(input)
   local dimension = self:_getPositiveDimension(input)
   if type(self.output) == 'number' then self.output = input.new() end
   self.output:sum(input, dimension)
   if self.sizeAverage then self.output:div(input:size(dimension)) end
   if (self.squeeze == nil or self.squeeze) and self.output:nDimension() > 1 then
      self.output:set(self.output:select(dimension, 1))
   end
   return self.output
end

function Sum:updateGradInput(input, gradOutput)
   local dimension = self:_getPositiveDimension(input)
   local size = input:size()
   size[dimension] = 1
   if not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      gradOutput = self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
   end
   self.gradInput:resizeAs(input):copy(gradOutput:view(size):expandAs(input))
   if self.sizeAverage then self.gradInput:div(input:size(dimension)) end
   return self.gradInput
end

function Sum:clearState()
   nn.utils.clear(self, '_gradOutput')
   return parent.clearState(self)
end

return Sum
