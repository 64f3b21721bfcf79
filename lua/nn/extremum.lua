-- What the maximum and minimum modules share: nn.Max and nn.Min (along a dimension, with
-- torch.max or torch.min) and nn.CMaxTable and nn.CMinTable (element-wise over a table, with
-- gt or lt). Each pair is one implementation; the field names are each original's own.

local THNN = require 'nn.THNN'

local extremum = {}

-- nn.Max / nn.Min([dimension[, nInputDims]]): the extremum along dimension (default 1;
-- negative counts from the last; counted within a sample when nInputDims says the input is a
-- batch), that dimension removed. The gradient goes to where each extremum was.
function extremum.alongDimension(name, reduce)
   local class, parent = torch.class(name, 'nn.Module')

   function class:__init(dimension, nInputDims)
      parent.__init(self)
      self.dimension = dimension or 1
      self.nInputDims = nInputDims
   end

   function class:_getPositiveDimension(input)
      local dimension = self.dimension
      if dimension < 0 then
         dimension = input:dim() + dimension + 1
      elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
         dimension = dimension + 1
      end
      return dimension
   end

   function class:_lazyInit()
      self._output = self._output or self.output.new()
      self._indices = self._indices or torch.LongTensor()
   end

   function class:updateOutput(input)
      self:_lazyInit()
      local dimension = self:_getPositiveDimension(input)
      torch[reduce](self._output, self._indices, input, dimension)
      if input:dim() > 1 then
         self.output:set(self._output:select(dimension, 1))
      else
         self.output:set(self._output)
      end
      return self.output
   end

   function class:updateGradInput(input, gradOutput)
      self:_lazyInit()
      local dimension = self:_getPositiveDimension(input)
      local gradOutputView = gradOutput
      if input:dim() > 1 then
         gradOutputView = nn.utils.addSingletonDimension(gradOutput, dimension)
      end
      self.gradInput:resizeAs(input):zero():scatter(dimension, self._indices, gradOutputView)
      return self.gradInput
   end

   function class:type(typename, tensorCache)
      self._indices = nil
      parent.type(self, typename, tensorCache)
      return self
   end

   function class:clearState()
      nn.utils.clear(self, '_indices', '_output')
      return parent.clearState(self)
   end

   return class
end

-- nn.CMaxTable / nn.CMinTable: the element-wise extremum of the tensors of the input table
-- (compare: 'gt' or 'lt'; the winners' indices in self[prefix .. 'Idx'], as the originals
-- named them); the gradient goes, at each element, to the input that held the extremum (the
-- first one on ties).
function extremum.overTable(name, compare, prefix)
   local class, parent = torch.class(name, 'nn.Module')
   local idx, vals = prefix .. 'Idx', prefix .. 'Vals'

   function class:__init()
      parent.__init(self)
      self.gradInput = {}
      self[idx] = torch.Tensor()
      self.mask = torch.Tensor()
      self[vals] = torch.Tensor()
      self.gradMaxVals = torch.Tensor()
   end

   -- (a ByteTensor again if a type conversion turned it into another type)
   local function byteMask(self)
      if torch.type(self.maskByteTensor) ~= 'torch.ByteTensor' then
         self.maskByteTensor = torch.ByteTensor()
      end
      return self.maskByteTensor
   end

   function class:updateOutput(input)
      THNN.checkTableSizes(self, input)
      self.output:resizeAs(input[1]):copy(input[1])
      self[idx]:resizeAs(input[1]):fill(1)
      local mask = byteMask(self)
      for i = 2, #input do
         self.mask[compare](self.mask, input[i], self.output)
         mask:resize(self.mask:size()):copy(self.mask)
         self[idx]:maskedFill(mask, i)
         self[vals]:maskedSelect(input[i], mask)
         self.output:maskedCopy(mask, self[vals])
      end
      return self.output
   end

   function class:updateGradInput(input, gradOutput)
      local mask = byteMask(self)
      for i = 1, #input do
         self.gradInput[i] = self.gradInput[i] or input[i].new()
         self.gradInput[i]:resizeAs(input[i]):fill(0)
         self.mask:eq(self[idx], i)
         mask:resize(self.mask:size()):copy(self.mask)
         self.gradMaxVals:maskedSelect(gradOutput, mask)
         self.gradInput[i]:maskedCopy(mask, self.gradMaxVals)
      end
      for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
      return self.gradInput
   end

   return class
end

return extremum
