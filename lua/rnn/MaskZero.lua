-- nn.MaskZero(module, nInputDim[, silent]): zero masking for padded sequences. Samples
-- whose input is all zeros (the first tensor of a table input; nInputDim is the number of
-- dimensions of one sample, one more meaning a batch) get zero outputs, and the gradients
-- arriving at their outputs are zeroed before going back through module.

local MaskZero, parent = torch.class('nn.MaskZero', 'nn.Decorator')

function MaskZero:__init(module, nInputDim, silent)
   parent.__init(self, module)
   assert(torch.isTypeOf(module, 'nn.Module'), 'expecting nn.Module instance at arg 1')
   if torch.isTypeOf(module, 'nn.AbstractRecurrent') and not silent then
      print('Warning : you are most likely using MaskZero the wrong way. You should '
         .. 'probably use AbstractRecurrent:maskZero() so that it wraps the internal '
         .. 'AbstractRecurrent.recurrentModule instead of wrapping the AbstractRecurrent '
         .. 'module itself.')
   end
   assert(torch.type(nInputDim) == 'number', 'Expecting nInputDim number at arg 1')
   self.nInputDim = nInputDim
end

function MaskZero:recursiveGetFirst(input)
   if torch.type(input) == 'table' then return self:recursiveGetFirst(input[1]) end
   assert(torch.isTensor(input), 'expecting a tensor or a table of tensors')
   return input
end

-- output becomes a copy of input with the masked samples zeroed.
function MaskZero:recursiveMask(output, input, mask)
   if torch.type(input) == 'table' then
      output = torch.type(output) == 'table' and output or {}
      for k, v in ipairs(input) do output[k] = self:recursiveMask(output[k], v, mask) end
      return output
   end
   assert(torch.isTensor(input), 'expecting a tensor or a table of tensors')
   output = torch.isTensor(output) and output or input.new()
   local shape = input:size():fill(1)
   if self.batchmode then shape[1] = input:size(1) end
   mask:resize(shape)
   output:resizeAs(input):copy(input)
   output:maskedFill(mask:expandAs(input), 0)
   return output
end

-- Sets self.zeroMask (a ByteTensor, 1 for each sample whose input is all zeros) and
-- self.batchmode for input.
function MaskZero:updateZeroMask(input)
   local first = self:recursiveGetFirst(input):contiguous()
   if first:dim() == self.nInputDim then
      self.batchmode = false
      first = first:view(-1)
   elseif first:dim() == self.nInputDim + 1 then
      self.batchmode = true
      first = first:view(first:size(1), -1)
   else
      error('nInputDim error: ' .. first:dim() .. ', ' .. self.nInputDim, 3)
   end
   self._zeroMask = self._zeroMask or first.new()
   self._zeroMask:norm(first, 2, first:dim())
   self.zeroMask = self.zeroMask or torch.ByteTensor()
   self.zeroMask:resize(self._zeroMask:size()):copy(self._zeroMask:eq(0))
   return self.zeroMask
end

function MaskZero:updateOutput(input)
   self:updateZeroMask(input)
   self.output = self:recursiveMask(self.output, self.modules[1]:updateOutput(input),
      self.zeroMask)
   return self.output
end

function MaskZero:updateGradInput(input, gradOutput)
   self.gradOutput = self:recursiveMask(self.gradOutput, gradOutput, self.zeroMask)
   self.gradInput = self.modules[1]:updateGradInput(input, self.gradOutput)
   return self.gradInput
end

function MaskZero:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, self.gradOutput, scale)
end

function MaskZero:type(typename, ...)
   self.zeroMask = nil
   self._zeroMask = nil
   return parent.type(self, typename, ...)
end

return MaskZero
