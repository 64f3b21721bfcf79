-- nn.Constant(value[, nInputDim]): outputs value (a number or a tensor) whatever the
-- input; an input of more than nInputDim dimensions is a batch and gets one copy per
-- sample. Its gradient is zero.

local Constant, parent = torch.class('nn.Constant', 'nn.Module')

function Constant:__init(value, nInputDim)
   self.value = value
   if torch.type(self.value) == 'number' then self.value = torch.Tensor{self.value} end
   assert(torch.isTensor(self.value), 'Expecting number or tensor at arg 1')
   self.nInputDim = nInputDim
   parent.__init(self)
end

function Constant:updateOutput(input)
   if self.nInputDim and input:dim() > self.nInputDim then
      local size = self.value:size():totable()
      self.output:resize(input:size(1), unpack(size))
      self.output:copy(self.value:view(1, unpack(size)):expand(self.output:size()))
   else
      self.output:resize(self.value:size()):copy(self.value)
   end
   return self.output
end

function Constant:updateGradInput(input, gradOutput)
   return self.gradInput:resizeAs(input):zero()
end

return Constant
