-- nn.MM([transA[, transB]]): the product of the pair of matrices {a, b} (or of batches of
-- them: 3-D tensors, a product per batch element), each transposed first when asked.

local MM, parent = torch.class('nn.MM', 'nn.Module')
local THNN = require 'nn.THNN'

function MM:__init(transA, transB)
   parent.__init(self)
   self.transA = transA or false
   self.transB = transB or false
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function MM:updateOutput(input)
   THNN.assert(self, torch.type(input) == 'table' and #input == 2,
      'input must be a pair of minibatch matrices')
   local a, b = input[1], input[2]
   THNN.assert(self, a:nDimension() == 2 or a:nDimension() == 3,
      'input tensors must be 2D or 3D, got %s', THNN.sizes(a))
   if a:nDimension() == 2 then
      THNN.assert(self, b:nDimension() == 2, 'second input tensor must be 2D, got %s',
         THNN.sizes(b))
      if self.transA then a = a:t() end
      if self.transB then b = b:t() end
      THNN.assert(self, a:size(2) == b:size(1), 'matrix sizes do not match: %s and %s',
         THNN.sizes(a), THNN.sizes(b))
      self.output:resize(a:size(1), b:size(2)):mm(a, b)
   else
      THNN.assert(self, b:nDimension() == 3, 'second input tensor must be 3D, got %s',
         THNN.sizes(b))
      THNN.assert(self, a:size(1) == b:size(1),
         'inputs must contain the same number of minibatches: %s and %s', THNN.sizes(a),
         THNN.sizes(b))
      if self.transA then a = a:transpose(2, 3) end
      if self.transB then b = b:transpose(2, 3) end
      THNN.assert(self, a:size(3) == b:size(2), 'matrix sizes do not match: %s and %s',
         THNN.sizes(a), THNN.sizes(b))
      self.output:resize(a:size(1), a:size(2), b:size(3)):bmm(a, b)
   end
   return self.output
end

-- With C = op(a) op(b): dA = dC op(b)^T (transposed back if a was), dB likewise.
function MM:updateGradInput(input, gradOutput)
   assert(#input == 2, 'input must be a pair of tensors')
   local a, b = input[1], input[2]
   self.gradInput[1] = self.gradInput[1] or a.new()
   self.gradInput[2] = self.gradInput[2] or b.new()
   self.gradInput[1]:resizeAs(a)
   self.gradInput[2]:resizeAs(b)
   local n = gradOutput:nDimension()
   assert(n == 2 or n == 3, 'arguments must be a 2D or 3D Tensor')
   assert(a:nDimension() == n, 'first input tensor must be ' .. n .. 'D')
   assert(b:nDimension() == n, 'second input tensor must be ' .. n .. 'D')
   local h, w = n - 1, n
   local product = n == 2 and 'mm' or 'bmm'
   if self.transA == self.transB then
      a = a:transpose(h, w)
      b = b:transpose(h, w)
   end
   if self.transA then
      self.gradInput[1][product](self.gradInput[1], b, gradOutput:transpose(h, w))
   else
      self.gradInput[1][product](self.gradInput[1], gradOutput, b)
   end
   if self.transB then
      self.gradInput[2][product](self.gradInput[2], gradOutput:transpose(h, w), a)
   else
      self.gradInput[2][product](self.gradInput[2], a, gradOutput)
   end
   return self.gradInput
end

return MM
