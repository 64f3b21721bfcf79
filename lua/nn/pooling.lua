-- What the max pooling modules share. Each class gives its geometry through a
-- poolShape() method (see nn.THNN) and takes these methods; the positions of the maxima
-- go to self.indices (a LongTensor), which the gradient and unpooling read.

local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

local pooling = {}

function pooling.updateOutput(self, input)
   THNN.checkFloating(self, input)
   self.indices = (self.indices or torch.LongTensor()):long()
   check(C.t7_nn_max_pool(self.output, self.indices, input, self:poolShape(), THNN.INDEX_BASE),
      self)
   return self.output
end

-- The gradient goes, whole, to the position each maximum came from.
function pooling.scatterGradient(self, input, gradOutput, dims)
   THNN.checkFloating(self, gradOutput)
   if not gradOutput:isSameSizeAs(self.indices) then
      THNN.fail(self, 'gradOutput of size %s does not match the output (%s)',
         THNN.sizes(gradOutput), THNN.sizes(self.indices))
   end
   self.gradInput:resizeAs(input):zero()
   check(C.t7_nn_scatter_by_index(self.gradInput, gradOutput, self.indices, dims,
      THNN.INDEX_BASE), self)
   return self.gradInput
end

function pooling.clearState(self, parent)
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

return pooling
