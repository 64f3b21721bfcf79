-- nn.MaskedSelect: given {input, mask} (mask a ByteTensor of input's size), the elements
-- of input where mask is 1, as a vector. The mask gets a zero gradient.

local MaskedSelect, parent = torch.class('nn.MaskedSelect', 'nn.Module')

function MaskedSelect:__init()
   parent.__init(self)
   self._maskIndices = torch.LongTensor()
   self._maskIndexBuffer = torch.LongTensor()
   self._maskIndexBufferCPU = torch.FloatTensor()
   self._gradBuffer = torch.Tensor()
   self._gradMask = torch.ByteTensor()
end

function MaskedSelect:updateOutput(input)
   self.output:maskedSelect(input[1], input[2])
   return self.output
end

-- The selected elements' positions (1..n in the mask's shape, masked the same way) say
-- where each gradient element goes.
function MaskedSelect:updateGradInput(input, gradOutput)
   local t, mask = input[1], input[2]
   self._maskIndexBuffer:range(1, mask:nElement()):resize(mask:size())
   self._maskIndices:maskedSelect(self._maskIndexBuffer, mask)
   self._gradBuffer:resize(t:nElement()):zero()
   self._gradBuffer:scatter(1, self._maskIndices, gradOutput)
   self._gradBuffer:resize(t:size())
   self.gradInput = {self._gradBuffer, self._gradMask:resize(mask:size()):fill(0)}
   return self.gradInput
end

function MaskedSelect:type(typename, tensorCache)
   if not typename then return self._type end
   self._gradBuffer = self._gradBuffer:type(typename)
   self.gradInput = nn.utils.recursiveType(self.gradInput, typename)
   self.output = self.output:type(typename)
   self._type = typename
   return self
end

function MaskedSelect:clearState()
   return nn.utils.clear(self, {'output', 'gradInput', '_maskIndexBuffer',
      '_maskIndexBufferCPU', '_maskIndices', '_gradBuffer', '_gradMask'})
end

return MaskedSelect
