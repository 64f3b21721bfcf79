-- What the up-sampling modules share: the calls to the kernel, which repeats values
-- (nearest neighbour, by an integer factor) or interpolates them linearly with aligned
-- corners (to a given size), over 2 or 3 spatial dimensions.

local THNN = require 'nn.THNN'
local C, check, ffi = THNN.C, THNN.check, THNN.ffi

local resampling = {}

local size = ffi.new('int64_t[3]')

-- sizes: the output's spatial sizes for linear interpolation (depth first), or nil.
local function fill(sizes)
   size[0], size[1], size[2] = 1, 1, 1
   if sizes then
      for i = 1, #sizes do size[3 - #sizes + i - 1] = sizes[i] end
   end
   return size
end

function resampling.updateOutput(self, input, dims, scale, sizes)
   THNN.checkFloating(self, input)
   check(C.t7_nn_upsample(self.output, input, dims, scale or 0, fill(sizes)), self)
   return self.output
end

function resampling.updateGradInput(self, input, gradOutput, dims, scale, sizes)
   check(C.t7_nn_upsample_backward(self.gradInput, input, gradOutput, dims, scale or 0,
      fill(sizes)), self)
   return self.gradInput
end

-- An integer scale factor of at least 1, as the modules require.
function resampling.checkScale(scale)
   if scale < 1 then error('scale_factor must be greater than 1', 3) end
   if math.floor(scale) ~= scale then error('scale_factor must be integer', 3) end
end

return resampling
