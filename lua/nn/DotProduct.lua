-- nn.DotProduct: the dot product of the pair of vectors {a, b}, or row by row for a pair of
-- matrices.

local DotProduct, parent = torch.class('nn.DotProduct', 'nn.Module')
local THNN = require 'nn.THNN'

function DotProduct:__init()
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function DotProduct:updateOutput(input)
   THNN.checkTableSizes(self, input, 2)
   local a, b = input[1], input[2]
   if a:dim() == 1 then
      a, b = a:view(1, -1), b:view(1, -1)
   end
   self.buffer = self.buffer or a.new()
   self.buffer:cmul(a, b)
   self.output:sum(self.buffer, 2):resize(a:size(1))
   return self.output
end

function DotProduct:updateGradInput(input, gradOutput)
   local a, b = input[1], input[2]
   self.gradInput[1] = self.gradInput[1] or a.new()
   self.gradInput[2] = self.gradInput[2] or b.new()
   local rows = a:dim() == 1 and 1 or a:size(1)
   local go = gradOutput:contiguous():view(rows, 1):expand(rows, a:nElement() / rows)
   self.gradInput[1]:resizeAs(b):copy(b)
   self.gradInput[2]:resizeAs(a):copy(a)
   self.gradInput[1]:view(rows, -1):cmul(go)
   self.gradInput[2]:view(rows, -1):cmul(go)
   return self.gradInput
end

function DotProduct:clearState()
   if self.buffer then self.buffer:set() end
   return parent.clearState(self)
end

return DotProduct
