-- nn.Unsqueeze(pos[, numInputDims]): a view of the input with a dimension of size 1
-- inserted at pos (counted within a sample when numInputDims says how many dimensions a
-- sample has, so that batches work alike).

local Unsqueeze, parent = torch.class('nn.Unsqueeze', 'nn.Module')

function Unsqueeze:__init(pos, numInputDims)
   parent.__init(self)
   self.pos = pos or error('the position to insert singleton dim not specified', 2)
   self:setNumInputDims(numInputDims)
end

function Unsqueeze:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

function Unsqueeze:_getActualPosition(input)
   local inputDim = input:dim()
   self.numInputDims = self.numInputDims or inputDim
   local offset = inputDim - self.numInputDims
   assert(offset >= 0, 'input feature map dim (numInputDims) must be <= input:dim()')
   local pos = self.pos + offset
   assert(pos >= 1 and pos <= inputDim + 1, string.format('Invalid position: %d. input:dim() '
      .. 'is %d, input feature map dim (numInputDims) is %d.', self.pos, inputDim,
      self.numInputDims))
   return pos
end

function Unsqueeze:updateOutput(input)
   assert(torch.isTensor(input), 'This module only works on tensor')
   nn.utils.addSingletonDimension(self.output, input, self:_getActualPosition(input))
   return self.output
end

function Unsqueeze:updateGradInput(input, gradOutput)
   assert(torch.isTensor(input) and torch.isTensor(gradOutput),
      'This module only works on tensor')
   assert(input:nElement() == gradOutput:nElement())
   self.gradInput:view(gradOutput, input:size())
   return self.gradInput
end

function Unsqueeze:__tostring__()
   return torch.type(self) .. '(dim ' .. self.pos .. ')'
end

return Unsqueeze
