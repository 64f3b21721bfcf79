-- nn.Recurrence(stepmodule, outputSize, nInputDim[, rho]): the general recurrence, one
-- time step per forward:  output[t] = stepmodule({input[t], output[t-1]}).
-- The first step of a sequence sees zeros as output[0], shaped after outputSize: a number,
-- a table of numbers or a LongStorage (one tensor), or a nested table of those (for a step
-- module whose output is a table of tensors, e.g. {h, c}), with a leading batch dimension
-- when the input has one more dimension than nInputDim (for a table input, its first
-- tensor, depth first, decides). Unlike nn.Recurrent every step, the first included, runs
-- the same step module, so it can be masked (maskZero) and may contain recurrent modules.

local Recurrence, parent = torch.class('nn.Recurrence', 'nn.AbstractRecurrent')

local function isSizeKind(value)
   local kind = torch.type(value)
   return kind == 'number' or kind == 'table' or kind == 'torch.LongStorage'
end

function Recurrence:__init(stepmodule, outputSize, nInputDim, rho)
   parent.__init(self, rho or 9999)
   if not isSizeKind(outputSize) then
      error('nn.Recurrence: expecting outputSize (arg 2) of type number, table or '
         .. 'torch.LongStorage, got ' .. torch.type(outputSize), 2)
   end
   if torch.type(nInputDim) ~= 'number' then
      error('nn.Recurrence: expecting nInputDim (arg 3) of type number, got '
         .. torch.type(nInputDim), 2)
   end
   if not torch.isTypeOf(stepmodule, 'nn.Module') then
      error('nn.Recurrence: expecting stepmodule (arg 1) of type nn.Module, got '
         .. torch.type(stepmodule), 2)
   end
   self.outputSize = torch.type(outputSize) == 'number' and {outputSize} or outputSize
   self.nInputDim = nInputDim
   self:setStepModule(stepmodule)
   -- its type is that of the zeros of output[0]
   self.typeTensor = torch.Tensor()
end

-- tensor (or a new one) resized to size, with batchSize rows in front when given, zeroed;
-- nested sizes give nested tables of such tensors.
function Recurrence:recursiveResizeZero(tensor, size, batchSize)
   local dims
   if torch.type(size) == 'torch.LongStorage' then
      dims = size:totable()
   elseif torch.type(size) == 'table' and torch.type(size[1]) == 'number' then
      dims = size
   elseif torch.type(size) == 'table' then
      tensor = torch.type(tensor) == 'table' and tensor or {}
      for i, inner in ipairs(size) do
         tensor[i] = self:recursiveResizeZero(tensor[i], inner, batchSize)
      end
      return tensor
   else
      error('nn.Recurrence: unknown size type ' .. torch.type(size), 2)
   end
   tensor = torch.isTensor(tensor) and tensor or self.typeTensor.new()
   if batchSize then
      tensor:resize(batchSize, unpack(dims))
   else
      tensor:resize(unpack(dims))
   end
   return tensor:zero()
end

-- The batch size of input (nil for a single sample), read off its first tensor.
function Recurrence:getBatchSize(input, nInputDim)
   nInputDim = nInputDim or self.nInputDim
   if torch.type(input) == 'table' then return self:getBatchSize(input[1], nInputDim) end
   if not torch.isTensor(input) then
      error('nn.Recurrence: expecting a tensor or a table of tensors as input, got '
         .. torch.type(input), 3)
   end
   if input:dim() == nInputDim then return nil end
   if input:dim() == nInputDim + 1 then return input:size(1) end
   error(string.format('nn.Recurrence: input has %d dimensions, expecting %d (a sample) '
      .. 'or %d (a batch)', input:dim(), nInputDim, nInputDim + 1), 3)
end

-- {output of the given step, hidden states of the recurrent modules inside}; step 0 is
-- the initial state (zeros, sized after input when given).
function Recurrence:getHiddenState(step, input)
   step = self:resolveStep(step, self.step - 1)
   local prevOutput
   if step == 0 then
      if input then
         self.zeroTensor = self:recursiveResizeZero(self.zeroTensor, self.outputSize,
            self:getBatchSize(input))
      end
      prevOutput = self.userPrevOutput or self.outputs[0] or self.zeroTensor
   else
      prevOutput = self.outputs[step]
   end
   return {prevOutput, parent.getHiddenState(self, step)}
end

function Recurrence:setHiddenState(step, hiddenState)
   step = self:resolveStep(step, self.step - 1)
   assert(torch.type(hiddenState) == 'table' and hiddenState[1] ~= nil,
      'expecting the table {output[, hidden states inside]}')
   self.outputs[step] = hiddenState[1]
   if hiddenState[2] then parent.setHiddenState(self, step, hiddenState[2]) end
end

function Recurrence:updateOutput(input)
   return self:runStep({input, self:getHiddenState(self.step - 1, input)[1]})
end

-- {gradient arriving at the given step's output from the next step, those of the
-- recurrent modules inside}
function Recurrence:getGradHiddenState(step)
   step = self:resolveStep(step, (self.updateGradInputStep or self.step) - 1)
   local gradOutput
   if step == self.step - 1 then
      gradOutput = self.userNextGradOutput or self.gradOutputs[step] or self.zeroTensor
   else
      gradOutput = self.gradOutputs[step]
   end
   return {gradOutput, parent.getGradHiddenState(self, step)}
end

function Recurrence:setGradHiddenState(step, gradHiddenState)
   step = self:resolveStep(step, (self.updateGradInputStep or self.step) - 1)
   assert(torch.type(gradHiddenState) == 'table' and gradHiddenState[1] ~= nil,
      'expecting the table {gradOutput[, gradient states inside]}')
   self.gradOutputs[step] = gradHiddenState[1]
   if gradHiddenState[2] then parent.setGradHiddenState(self, step, gradHiddenState[2]) end
end

function Recurrence:_updateGradInput(input, gradOutput)
   assert(self.step > 1, 'expecting at least one updateOutput')
   local step = self.updateGradInputStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   -- recurrent modules inside show their outputs of that step to the modules after them
   module:setOutputStep(step)
   -- the output of this step went both to the caller and to the next step
   self._gradOutputs[step] = rnn.recursiveCopy(self._gradOutputs[step],
      self:getGradHiddenState(step)[1])
   rnn.recursiveAdd(self._gradOutputs[step], gradOutput)
   local gradInputs = module:updateGradInput({input, self:getHiddenState(step - 1)[1]},
      self._gradOutputs[step])
   self:setGradHiddenState(step - 1, {gradInputs[2]})
   return gradInputs[1]
end

function Recurrence:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   module:setOutputStep(step)
   module:accGradParameters({input, self:getHiddenState(step - 1)[1]},
      self._gradOutputs[step] or self:getGradHiddenState(step)[1], scale)
end

function Recurrence:clearState()
   self.zeroTensor = nil
   return parent.clearState(self)
end

Recurrence.__tostring__ = nn.Decorator.__tostring__

return Recurrence
