-- What the reflection and replication padding modules share: their pads as the kernel
-- wants them (before/after per dimension, depth first) and the calls.

local THNN = require 'nn.THNN'
local C, check, ffi = THNN.C, THNN.check, THNN.ffi

local padding = {}

local pads = ffi.new('int64_t[6]')

-- front, back, top, bottom, left, right
local function fill(front, back, top, bottom, left, right)
   pads[0], pads[1], pads[2], pads[3], pads[4], pads[5] = front, back, top, bottom, left, right
   return pads
end

function padding.updateOutput(self, input, dims, mode, ...)
   THNN.checkFloating(self, input)
   if input:dim() ~= dims + 1 and input:dim() ~= dims + 2 then
      THNN.fail(self, 'input must be %d or %d-dimensional, got %s', dims + 1, dims + 2,
         THNN.sizes(input))
   end
   check(C.t7_nn_pad(self.output, input, dims, mode, fill(...)), self)
   return self.output
end

function padding.updateGradInput(self, input, gradOutput, dims, mode, ...)
   if gradOutput:dim() ~= input:dim() then
      THNN.fail(self, 'input and gradOutput must be %d or %d-dimensional and have equal number '
         .. 'of dimensions, got %s and %s', dims + 1, dims + 2, THNN.sizes(input),
         THNN.sizes(gradOutput))
   end
   check(C.t7_nn_pad_backward(self.gradInput, input, gradOutput, dims, mode, fill(...)), self)
   return self.gradInput
end

return padding
