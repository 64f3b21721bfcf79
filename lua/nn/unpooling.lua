-- What the max unpooling modules share: values go back to the positions their pooling
-- module recorded (self.indices), into planes of the pooling's input size.

local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

local unpooling = {}

-- planeSize: the sizes of one output plane, e.g. {height, width}.
function unpooling.updateOutput(self, input, planeSize)
   THNN.checkFloating(self, input)
   if not self.indices or not input:isSameSizeAs(self.indices) then
      THNN.fail(self, 'input of size %s does not match the pooling output (%s)',
         THNN.sizes(input), self.indices and THNN.sizes(self.indices) or 'none: forward the '
         .. 'pooling module first')
   end
   local size = input:size():totable()
   for i = 1, #planeSize do size[#size - #planeSize + i] = planeSize[i] end
   self.output:resize(unpack(size)):zero()
   check(C.t7_nn_scatter_by_index(self.output, input, self.indices, #planeSize,
      THNN.INDEX_BASE), self)
   return self.output
end

function unpooling.updateGradInput(self, input, gradOutput, dims)
   THNN.checkFloating(self, gradOutput)
   if not gradOutput:isSameSizeAs(self.output) then
      THNN.fail(self, 'gradOutput of size %s does not match the output (%s)',
         THNN.sizes(gradOutput), THNN.sizes(self.output))
   end
   self.gradInput:resizeAs(input)
   check(C.t7_nn_gather_by_index(self.gradInput, gradOutput, self.indices, dims,
      THNN.INDEX_BASE), self)
   return self.gradInput
end

return unpooling
