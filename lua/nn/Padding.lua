-- nn.Padding(dim, pad[, nInputDim[, value[, index]]]): |pad| elements of value (default
-- 0) inserted along dim: before the input for a negative pad, after it for a positive one;
-- index (default 1) moves the insertion point, counted from that end. With nInputDim, an
-- input of other dimensionality is a batch and dim counts within a sample.

local Padding, parent = torch.class('nn.Padding', 'nn.Module')

function Padding:__init(dim, pad, nInputDim, value, index)
   self.value = value or 0
   self.index = index or 1
   self.dim = dim
   self.pad = pad
   self.nInputDim = nInputDim
   self.outputSize = torch.LongStorage()
   parent.__init(self)
end

-- The padded dimension, the input's first index that moves, and the pad's length.
function Padding:layout(input)
   local dim = self.dim
   if self.nInputDim and input:dim() ~= self.nInputDim then dim = dim + 1 end
   local index, pad = self.index, self.pad
   if pad > 0 then
      index = input:size(dim) - index + 2
   else
      pad = -pad
   end
   return dim, index, pad
end

function Padding:updateOutput(input)
   local dim, index, pad = self:layout(input)
   local n = input:size(dim)
   self.outputSize:resize(input:dim()):copy(input:size())
   self.outputSize[dim] = self.outputSize[dim] + pad
   self.output:resize(self.outputSize):fill(self.value)
   if index > 1 then
      self.output:narrow(dim, 1, index - 1):copy(input:narrow(dim, 1, index - 1))
   end
   if index <= n then
      self.output:narrow(dim, index + pad, n - index + 1):copy(input:narrow(dim, index,
         n - index + 1))
   end
   return self.output
end

function Padding:updateGradInput(input, gradOutput)
   local dim, index, pad = self:layout(input)
   local n = input:size(dim)
   self.gradInput:resizeAs(input)
   if index > 1 then
      self.gradInput:narrow(dim, 1, index - 1):copy(gradOutput:narrow(dim, 1, index - 1))
   end
   if index <= n then
      self.gradInput:narrow(dim, index, n - index + 1):copy(gradOutput:narrow(dim,
         index + pad, n - index + 1))
   end
   return self.gradInput
end

return Padding
