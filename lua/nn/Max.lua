-- nn.Max([dimension[, nInputDims]]): the maximum along dimension (default 1;
-- negative counts from the last; counted within a sample when nInputDims says the input
-- is a batch), that dimension removed. The gradient goes to where each maximum was.

local Max, parent = torch.class('nn.Max', 'nn.Module')

function Max:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims
end

function Max:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input:dim() + dimension + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
      dimension = dimension + 1
   end
   return dimension
end

function Max:_lazyInit()
   self._output = self._output or self.output.new()
   self._indices = self._indices or torch.LongTensor()
end

function Max:updateOutput(input)
   self:_lazyInit()
   local dimension = self:_getPositiveDimension(input)
   torch.max(self._output, self._indices, input, dimension)
   if input:dim() > 1 then
      self.output:set(self._output:select(dimension, 1))
   else
      self.output:set(self._output)
   end
   return self.output
end

function Max:updateGradInput(input, gradOutput)
   self:_lazyInit()
   local dimension = self:_getPositiveDimension(input)
   local gradOutputView = gradOutput
   if input:dim() > 1 then
      gradOutputView = nn.utils.addSingletonDimension(gradOutput, dimension)
   end
   self.gradInput:resizeAs(input):zero():scatter(dimension, self._indices, gradOutputView)
   return self.gradInput
end

function Max:type(typename, tensorCache)
   self._indices = nil
   parent.type(self, typename, tensorCache)
   return self
end

function Max:clearState()
   nn.utils.clear(self, '_indices', '_output')
   return parent.clearState(self)
end

return Max
