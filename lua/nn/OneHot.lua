-- nn.OneHot(outputSize): class indices (a number, or a tensor of them) as one-hot vectors
-- of outputSize elements, along a new last dimension. Indices get no gradient.

local OneHot, parent = torch.class('nn.OneHot', 'nn.Module')

function OneHot:__init(outputSize)
   parent.__init(self)
   self.outputSize = outputSize
end

function OneHot:updateOutput(input)
   local size
   if type(input) == 'number' then
      self._single = self._single or torch.LongTensor(1)
      self._single[1] = input
      input = self._single
      size = {}
   else
      size = input:size():totable()
   end
   size[#size + 1] = self.outputSize
   self.output:resize(unpack(size)):zero()
   size[#size] = 1
   local indices = input:view(unpack(size))
   if torch.type(indices) ~= 'torch.LongTensor' then
      self._input = self._input or torch.LongTensor()
      indices = self._input:resize(indices:size()):copy(indices)
   end
   self.output:scatter(self.output:dim(), indices, 1)
   return self.output
end

function OneHot:updateGradInput(input, gradOutput)
   if type(input) == 'number' then return 0 end
   self.gradInput:resize(input:size()):zero()
   return self.gradInput
end

function OneHot:clearState()
   self._single = nil
   self._input = nil
   return parent.clearState(self)
end

function OneHot:type(typename, typecache)
   self:clearState()
   return parent.type(self, typename, typecache)
end

return OneHot
