-- nn.SeqReverseSequence(dim): the input (up to 3 dimensions) with its elements along dim
-- in reverse order; the gradient is reversed back the same way.

local SeqReverseSequence, parent = torch.class('nn.SeqReverseSequence', 'nn.Module')

function SeqReverseSequence:__init(dim)
   parent.__init(self)
   assert(dim, 'Must specify dimension to reverse sequence over')
   assert(dim <= 3, 'Dimension has to be no greater than 3 (Only supports up to a 3D Tensor).')
   self.dim = dim
end

-- result (resized) becomes source reversed along self.dim.
function SeqReverseSequence:reverse(result, source)
   local n = source:size(self.dim)
   self._indices = self._indices or torch.LongTensor()
   self._indices:resize(n)
   for i = 1, n do self._indices[i] = n + 1 - i end
   return result:index(source, self.dim, self._indices)
end

function SeqReverseSequence:updateOutput(input)
   self.output = self:reverse(self.output, input)
   return self.output
end

function SeqReverseSequence:updateGradInput(input, gradOutput)
   self.gradInput = self:reverse(self.gradInput, gradOutput)
   return self.gradInput
end

function SeqReverseSequence:type(typename, cache)
   self._indices = nil
   return parent.type(self, typename, cache)
end

return SeqReverseSequence
