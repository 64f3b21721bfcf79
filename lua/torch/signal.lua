-- Convolution and cross-correlation: torch.conv2/xcorr2 on images, torch.conv3/xcorr3 on
-- volumes, 'V'alid (the default) or 'F'ull, with the original's three forms chosen by the
-- operands' dimensions (conv2: 2D with 2D; 3D with 3D, plane by plane; 3D with 4D, output
-- plane j summing input plane i with kernel (j, i)), as functions and as methods.

local core = require 'torch.core'
local dispatch = require 'torch.dispatch'

local C = core.C
local check = core.check
local OUT, TENSOR_DIM, CHAR = dispatch.OUT, dispatch.TENSOR_DIM, dispatch.CHAR

local ANY_BUT_HALF = dispatch.types('Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double')
local MODE = CHAR({'V', 'F'}, 'V')

for _, spec in ipairs({{'conv2', 2, C.t7_conv2, 1}, {'xcorr2', 2, C.t7_conv2, 0},
                       {'conv3', 3, C.t7_conv3, 1}, {'xcorr3', 3, C.t7_conv3, 0}}) do
   local name, dims, kernel, convolution = spec[1], spec[2], spec[3], spec[4]
   local function impl(r, x, k, mode)
      check(kernel(r, x, k, mode == 'F' and 1 or 0, convolution)); return r
   end
   local forms = {}
   for i, kdims in ipairs({dims, dims + 1, dims + 2}) do
      local xdims = i == 1 and dims or dims + 1
      forms[i] = {OUT, TENSOR_DIM(xdims), TENSOR_DIM(kdims), MODE, types = ANY_BUT_HALF,
                  impl = impl}
   end
   dispatch.define(name, forms)
end
