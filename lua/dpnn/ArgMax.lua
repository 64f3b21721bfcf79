-- nn.ArgMax([dim[, nInputDim[, asLong]]]): the index of the largest value along dim (one
-- further for batches: inputs of more than nInputDim dimensions), as a LongTensor unless
-- asLong is false. Nothing flows back through an index: the gradient is zero.

local ArgMax, parent = torch.class('nn.ArgMax', 'nn.Module')

function ArgMax:__init(dim, nInputDim, asLong)
   parent.__init(self)
   self.dim = dim or 1
   self.nInputDim = nInputDim or 9999
   if asLong == nil then asLong = true end
   self.asLong = asLong
   if asLong then self.output = torch.LongTensor() end
end

function ArgMax:updateOutput(input)
   self._value = self._value or input.new()
   self._indices = self._indices or torch.LongTensor()
   local dim = input:dim() > self.nInputDim and self.dim + 1 or self.dim
   torch.max(self._value, self._indices, input, dim)
   local indices = input:dim() > 1 and self._indices:select(dim, 1) or self._indices
   self.output:resize(indices:size()):copy(indices)
   return self.output
end

function ArgMax:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   return self.gradInput
end

function ArgMax:type(typename, cache)
   local indices = self._indices
   self._indices = nil
   parent.type(self, typename, cache)
   self._indices = indices
   if self.asLong then self.output = torch.LongTensor() end
   return self
end

return ArgMax
