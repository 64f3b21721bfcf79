-- nn.Squeeze([dim[, numInputDims]]): the input without its dimensions of size 1 (or only
-- dim). With numInputDims, a batch (one more dimension) keeps its batch dimension, even of
-- size 1, and dim counts within a sample.

local Squeeze, parent = torch.class('nn.Squeeze', 'nn.Module')

function Squeeze:__init(dim, numInputDims)
   parent.__init(self)
   self.dim = dim
   self:setNumInputDims(numInputDims)
end

function Squeeze:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

function Squeeze:updateOutput(input)
   assert(input and torch.isTensor(input), 'Squeeze only works on tensors')
   local dim, keep_batch = self.dim, false
   if self.numInputDims and input:dim() == self.numInputDims + 1 then
      if dim then
         dim = dim + 1
      elseif input:size(1) == 1 then
         keep_batch = true
      end
   end
   self.output:set(dim and input:squeeze(dim) or input:squeeze())
   if keep_batch then
      local size = self.output:size():totable()
      table.insert(size, 1, 1)
      self.output:set(self.output:view(torch.LongStorage(size)))
   end
   return self.output
end

function Squeeze:updateGradInput(input, gradOutput)
   assert(input and torch.isTensor(input), 'Squeeze only works on tensors')
   assert(gradOutput and torch.isTensor(gradOutput), 'Squeeze only works on tensors')
   assert(input:nElement() == gradOutput:nElement())
   self.gradInput:set(gradOutput:view(input:size()))
   return self.gradInput
end

return Squeeze
