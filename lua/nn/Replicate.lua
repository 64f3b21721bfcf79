-- nn.Replicate(nFeature[, dim[, ndim]]): nFeature copies of the input along a new
-- dimension dim (default 1), as a view with stride 0 (no memory). With ndim, an input of
-- more dimensions is a batch and dim counts within a sample.

local Replicate, parent = torch.class('nn.Replicate', 'nn.Module')

function Replicate:__init(nf, dim, ndim)
   parent.__init(self)
   self.nfeatures = nf
   self.dim = dim or 1
   self.ndim = ndim
   assert(self.dim > 0, 'Can only replicate across positive integer dimensions.')
end

-- Sizes and strides of the input with one more dimension at rdim, of size n and stride 0.
local function with_dimension(input, rdim, n)
   local size, stride = {}, {}
   for i = 1, input:dim() do
      local at = i >= rdim and i + 1 or i
      size[at], stride[at] = input:size(i), input:stride(i)
   end
   size[rdim], stride[rdim] = n, 0
   return torch.LongStorage(size), torch.LongStorage(stride)
end

function Replicate:replicatedDim(input)
   self.dim = self.dim or 1        -- models saved by older versions
   return self.dim + ((self.ndim and input:dim() > self.ndim) and 1 or 0)
end

function Replicate:updateOutput(input)
   assert(self.dim <= input:dim() + 1, 'Not enough input dimensions to replicate along '
      .. 'dimension ' .. tostring(self.dim) .. '.')
   local size, stride = with_dimension(input, self:replicatedDim(input), self.nfeatures)
   self.output:set(input:storage(), input:storageOffset(), size, stride)
   return self.output
end

function Replicate:updateGradInput(input, gradOutput)
   local rdim = self:replicatedDim(input)
   self.gradInput:resizeAs(input)
   local size = with_dimension(input, rdim, 1)
   self.gradInput:view(size):sum(gradOutput, rdim)
   return self.gradInput
end

return Replicate
