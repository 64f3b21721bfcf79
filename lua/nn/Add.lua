-- nn.Add(inputSize[, scalar]): adds a learnt bias of inputSize elements (one shared value
-- with scalar true) to the input, or to each sample of a batch.

local Add, parent = torch.class('nn.Add', 'nn.Module')
local THNN = require 'nn.THNN'

function Add:__init(inputSize, scalar)
   parent.__init(self)
   local size = scalar and 1 or inputSize
   self.scalar = scalar
   self.bias = torch.Tensor(size)
   self.gradBias = torch.Tensor(size)
   self._ones = torch.Tensor{1}
   self:reset()
end

function Add:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.bias:size(1))
   end
   self.bias:uniform(-stdv, stdv)
end

-- A column of ones as long as the batch, to add or sum over samples with BLAS.
local function ones(self, n)
   if self._ones:size(1) ~= n then self._ones:resize(n):fill(1) end
   return self._ones
end

function Add:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if self.scalar then
      self.output:add(self.bias[1])
   elseif input:isSameSizeAs(self.bias) then
      self.output:add(self.bias)
   else
      local batch = input:size(1)
      THNN.assert(self, input:nElement() == batch * self.bias:nElement(),
         'input of size %s does not match the bias of size %s (per sample)', THNN.sizes(input),
         THNN.sizes(self.bias))
      self.output:view(batch, -1):addr(1, ones(self, batch), self.bias:view(-1))
   end
   return self.output
end

function Add:updateGradInput(input, gradOutput)
   if self.gradInput then
      return self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
end

function Add:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if self.gradBias:size(1) == 1 then
      self.gradBias[1] = self.gradBias[1] + scale * gradOutput:sum()
   elseif input:isSameSizeAs(self.bias) then
      self.gradBias:add(scale, gradOutput)
   else
      local batch = input:size(1)
      self.gradBias:view(-1):addmv(scale, gradOutput:view(batch, -1):t(), ones(self, batch))
   end
end

return Add
