-- nn.Convert([inputShape[, outputShape]]): converts between tensor layouts named by
-- letters ('b' batch, 'f' features, 't' time, 'c' channels, 'h' height, 'w' width, ...,
-- e.g. 'bchw' to 'bf'), and between tensor types (to the module's own). A sample without
-- the batch dimension is handled as a batch of one. 'b*' keeps any layout (a type
-- conversion only).

local Convert, parent = torch.class('nn.Convert', 'nn.Container')

function Convert:__init(inputShape, outputShape)
   if outputShape and not inputShape then
      error('Expecting non-nil arg 1 when arg 2 is provided', 2)
   end
   inputShape = inputShape or 'b*'
   outputShape = outputShape or inputShape
   self.inputShape = inputShape:find('b') and inputShape or ('b' .. inputShape)
   self.outputShape = outputShape:find('b') and outputShape or ('b' .. outputShape)
   self.inputBatchDim = self.inputShape:find('b')
   self.outputBatchDim = self.outputShape:find('b')
   if self.inputShape == 'b*' or self.outputShape == 'b*' then
      assert(self.inputShape == 'b*' and self.outputShape == 'b*',
         'Both or neither shapes must be b*')
      self.nInputDim = -1
      self.nOutputDim = -1
      self.transposition = true
   else
      self.nInputDim = #self.inputShape
      self.nOutputDim = #self.outputShape
      -- the same letters in another order: a transposition
      if self.nInputDim == self.nOutputDim then
         self.transposition = true
         for i = 1, self.nInputDim do
            if not self.outputShape:find(self.inputShape:sub(i, i)) then
               self.transposition = false
               break
            end
         end
      end
   end
   parent.__init(self)
end

-- The module doing the conversion, built at the first forward from the input's shape.
function Convert:buildConverter(input)
   if self.transposition then
      self.converter = self:transpose(self.outputShape)
   else
      if torch.type(self[self.outputShape]) ~= 'function' then
         error(string.format('Unrecognized conversion of shape %s to %s', self.inputShape,
            self.outputShape), 3)
      end
      self.converter = self[self.outputShape](self, input)
   end
   assert(torch.isTensor(self.output), 'Expecting Tensor output')
   self.converter:type(torch.type(self.output))
   self.modules[1] = self.converter
end

function Convert:updateOutput(input)
   assert(torch.isTensor(input), 'expecting Tensor')
   if not torch.isTypeOf(input, torch.type(self.output)) then
      self._input = self._input or self.output.new()
      self._input:resize(input:size()):copy(input)
      input = self._input
   end
   self.batchMode = true
   if input:dim() < self.nInputDim then
      local size = input:size():totable()
      table.insert(size, self.inputBatchDim, 1)
      self.__input = self.__input or input.new()
      self.__input:set(input):resize(unpack(size))
      input = self.__input
      self.batchMode = false
   end
   if not self.converter then self:buildConverter(input) end
   self.output = self.converter:updateOutput(input)
   if not self.batchMode then
      local size = self.output:size():totable()
      table.remove(size, self.outputBatchDim)
      self.__output = self.__output or self.output.new()
      self.__output:set(self.output):resize(unpack(size))
      self.output = self.__output
   end
   return self.output
end

function Convert:updateGradInput(input, gradOutput)
   local original = input
   input = self._input or input
   if not self.batchMode then
      input = self.__input
      self.__gradOutput = self.__gradOutput or gradOutput.new()
      self.__gradOutput:set(gradOutput):resize(self.converter.output:size())
      gradOutput = self.__gradOutput
   end
   local gradInput = self.converter:updateGradInput(input, gradOutput)
   if not self.batchMode then
      self.__gradInput = self.__gradInput or gradInput.new()
      self.__gradInput:set(gradInput):resize(original:size())
      gradInput = self.__gradInput
   end
   if self._input then
      self._gradInput = self._gradInput or input.new()
      self._gradInput:resize(input:size()):copy(gradInput)
      self.gradInput = self._gradInput
   else
      self.gradInput = gradInput
   end
   return self.gradInput
end

function Convert:accGradParameters(input, gradOutput, scale)
   input = self.batchMode and self.__input or self._input or input
   gradOutput = self.batchMode and self.__gradOutput or gradOutput
   self.converter:accGradParameters(input, gradOutput, scale)
end

function Convert:accUpdateGradParameters(input, gradOutput, lr)
   input = self.batchMode and self.__input or self._input or input
   gradOutput = self.batchMode and self.__gradOutput or gradOutput
   self.converter:accUpdateGradParameters(input, gradOutput, lr)
end

-- The converters, named by the output shape.

-- batch x features: other dimensions folded into the features
function Convert:bf(input)
   local b = self:findAxis('b', self.inputShape)
   local dim = #self.inputShape
   if self.inputShape == 'bt' then
      error('Conversion of shape bt to bf not supported: open an issue on github', 3)
   end
   if dim == 1 then return nn.Reshape(1) end
   local converter
   if b ~= 1 then converter = nn.Transpose({1, b}) end
   if dim > 2 then
      local reshape = nn.Reshape(input:select(self:findAxis('b'), 1):nElement())
      if converter then
         converter = nn.Sequential():add(converter):add(reshape)
      else
         converter = reshape
      end
   end
   return converter or nn.Identity()
end

-- batch only: the single time step or feature
function Convert:b(input)
   if self.inputShape == 'bt' or self.inputShape == 'tb' then
      return nn.Select(self:findAxis('t'), 1)
   elseif self.inputShape == 'bf' or self.inputShape == 'fb' then
      local f = self:findAxis('f')
      if input:size(f) > 1 then
         error('Cannot convert shape ' .. self.inputShape .. ' to b when feature > 1', 3)
      end
      return nn.Select(f, 1)
   end
   error('Cannot convert shape ' .. self.inputShape .. ' to shape b', 3)
end

function Convert:default()
   return nn.Identity()
end

function Convert:bt()
   if self.inputShape == 'b' then return nn.Reshape(1) end
   error("cannot convert shape '" .. self.inputShape .. "' to bt", 3)
end

-- The transpositions that reorder the input's letters into newShape.
function Convert:transpose(newShape)
   if newShape == self.inputShape then return nn.Identity() end
   local shape = {}
   for i = 1, #self.inputShape do shape[i] = self.inputShape:sub(i, i) end
   local swaps = {}
   for i = 1, #newShape do
      local j
      for k, letter in ipairs(shape) do
         if letter == newShape:sub(i, i) then j = k break end
      end
      if i ~= j then
         shape[i], shape[j] = shape[j], shape[i]
         swaps[#swaps + 1] = {j, i}
      end
   end
   return nn.Transpose(unpack(swaps))
end

function Convert:findAxis(axis_char, shape, silent)
   shape = shape or self.inputShape
   local position = shape:find(axis_char)
   if not silent and not position then
      error("Provided shape '" .. shape .. "' has no axis '" .. axis_char .. "'", 2)
   end
   return position
end

function Convert:clearState()
   self._input, self._gradInput = nil, nil
   self.__input, self.__output, self.__gradInput, self.__gradOutput = nil, nil, nil, nil
   return self
end

function Convert:type(typename)
   self:clearState()
   return parent.type(self, typename)
end

return Convert
