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

-- Defines nn.SpatialReflectionPadding or nn.SpatialReplicationPadding(pad_l[, pad_r, pad_t,
-- pad_b]): each plane of a 3-D or 4-D input padded in the kernel's mode; the pads left out
-- default to pad_l.
function padding.spatial(name, mode)
   local class, parent = torch.class(name, 'nn.Module')

   function class:__init(pad_l, pad_r, pad_t, pad_b)
      parent.__init(self)
      self.pad_l = pad_l
      self.pad_r = pad_r or self.pad_l
      self.pad_t = pad_t or self.pad_l
      self.pad_b = pad_b or self.pad_l
   end

   function class:updateOutput(input)
      return padding.updateOutput(self, input, 2, mode, 0, 0, self.pad_t, self.pad_b,
         self.pad_l, self.pad_r)
   end

   function class:updateGradInput(input, gradOutput)
      return padding.updateGradInput(self, input, gradOutput, 2, mode, 0, 0, self.pad_t,
         self.pad_b, self.pad_l, self.pad_r)
   end

   function class:__tostring__()
      return torch.type(self) .. string.format('(l=%d, r=%d, t=%d, b=%d)', self.pad_l,
         self.pad_r, self.pad_t, self.pad_b)
   end

   return class
end

return padding
