-- The nn kernels of the tensor core (the original's THNN library), as modules reach them:
-- the C functions, a check that turns a kernel's failure into a Lua error naming the
-- module, and fillers of the geometry structs the kernels take.

local core = require 'torch.core'
local ffi = core.ffi

local THNN = {C = core.C, ffi = ffi}

-- Raises the core's last error, prefixed by the module's class name, at the caller of
-- the module method that called this (level 3), when status is not 0.
function THNN.check(status, module)
   if status ~= 0 then
      error(torch.type(module) .. ': ' .. core.last_error(), 3)
   end
end

-- Raises a Lua error naming the module, at the caller of the module's method.
function THNN.fail(module, message, ...)
   error(torch.type(module) .. ': ' .. string.format(message, ...), 3)
end

-- Raises a Lua error naming the module (at the caller of the module's method) unless cond.
function THNN.assert(module, cond, message, ...)
   if not cond then
      error(torch.type(module) .. ': ' .. string.format(message, ...), 3)
   end
end

-- "2x3x4", the sizes of a tensor, for messages.
function THNN.sizes(t)
   if not torch.isTensor(t) then return torch.type(t) end
   if t:dim() == 0 then return 'empty' end
   return table.concat(t:size():totable(), 'x')
end

-- The tensors of a table input must all have the first one's element count (the
-- element-wise table modules, which, as the original's, need equal counts, not shapes); at
-- least `least` of them (default 1).
function THNN.checkTableSizes(module, input, least)
   if torch.type(input) ~= 'table' or #input < (least or 1) then
      error(string.format('%s: a table of at least %d tensors expected, got %s',
         torch.type(module), least or 1, torch.type(input) == 'table' and #input .. ' elements'
         or torch.type(input)), 3)
   end
   for i = 2, #input do
      if input[i]:nElement() ~= input[1]:nElement() then
         error(string.format('%s: input %d of size %s does not match input 1 of size %s',
            torch.type(module), i, THNN.sizes(input[i]), THNN.sizes(input[1])), 3)
      end
   end
end

-- The kernels accept only Float and Double tensors.
function THNN.checkFloating(module, t)
   local dtype = torch.isTensor(t) and t._dtype
   if dtype ~= core.DTYPE.Float and dtype ~= core.DTYPE.Double then
      error(torch.type(module) .. ': only FloatTensor and DoubleTensor are supported, got '
         .. torch.type(t), 3)
   end
end

-- A geometry struct per kind, filled before each call: one Lua state runs one call at a
-- time, so one of each is enough.
local conv = ffi.new('T7ConvShape')

-- Fills the convolution geometry: a 2-D one when kT is nil (entry 0, the depth, is then
-- left at a kernel of 1). Absent values take the neutral defaults.
function THNN.convShape(dims, nInputPlane, nOutputPlane, kT, kH, kW, dT, dH, dW,
                        padT, padH, padW, dilT, dilH, dilW, adjT, adjH, adjW, transposed,
                        groups)
   conv.dims = dims
   conv.transposed = transposed and 1 or 0
   conv.groups = groups or 1
   conv.input_planes = nInputPlane
   conv.output_planes = nOutputPlane
   conv.kernel[0], conv.kernel[1], conv.kernel[2] = kT or 1, kH, kW
   conv.stride[0], conv.stride[1], conv.stride[2] = dT or 1, dH or 1, dW or 1
   conv.pad[0], conv.pad[1], conv.pad[2] = padT or 0, padH or 0, padW or 0
   conv.dilation[0], conv.dilation[1], conv.dilation[2] = dilT or 1, dilH or 1, dilW or 1
   conv.adj[0], conv.adj[1], conv.adj[2] = adjT or 0, adjH or 0, adjW or 0
   return conv
end

local pool = ffi.new('T7PoolShape')

-- Fills the pooling geometry, depth first as for convolutions (kT nil: a 2-D pooling).
function THNN.poolShape(dims, kT, kH, kW, dT, dH, dW, padT, padH, padW, dilT, dilH, dilW,
                        ceilMode, countIncludePad)
   pool.dims = dims
   pool.ceil_mode = ceilMode and 1 or 0
   pool.count_include_pad = countIncludePad and 1 or 0
   pool.kernel[0], pool.kernel[1], pool.kernel[2] = kT or 1, kH, kW
   pool.stride[0], pool.stride[1], pool.stride[2] = dT or 1, dH, dW
   pool.pad[0], pool.pad[1], pool.pad[2] = padT or 0, padH or 0, padW or 0
   pool.dilation[0], pool.dilation[1], pool.dilation[2] = dilT or 1, dilH or 1, dilW or 1
   return pool
end

-- The elementwise transfer functions (C.T7_TR_*): output = f(input; a, b), in place (the
-- input becomes the output) when asked; the gradient reads the input or the output as the
-- function needs, and in place reuses gradOutput.
function THNN.transfer(module, input, code, a, b, inplace)
   THNN.checkFloating(module, input)
   if inplace then
      THNN.check(core.C.t7_nn_transfer(input, input, code, a or 0, b or 0), module)
      module.output:set(input)
   else
      THNN.check(core.C.t7_nn_transfer(module.output, input, code, a or 0, b or 0), module)
   end
   return module.output
end

function THNN.transferBackward(module, input, gradOutput, code, a, b, inplace)
   local value = core.C.t7_nn_transfer_uses_output(code) ~= 0 and module.output or input
   if inplace then
      THNN.check(core.C.t7_nn_transfer_backward(gradOutput, gradOutput, value, code, a or 0,
         b or 0), module)
      module.gradInput:set(gradOutput)
   else
      THNN.check(core.C.t7_nn_transfer_backward(module.gradInput, gradOutput, value, code,
         a or 0, b or 0), module)
   end
   return module.gradInput
end

-- t becomes sign(t), with a random sign where t is 0 (one torch.random draw per zero, in
-- order, as the original did, so that an L1 gradient at 0 is not biased).
function THNN.randomSigns(t)
   local flat = t:contiguous()
   local values = flat:view(-1)
   for i = 1, values:nElement() do
      local x = values[i]
      if x == 0 then
         values[i] = 2 * torch.random(2) - 3
      else
         values[i] = x > 0 and 1 or -1
      end
   end
   if flat ~= t then t:copy(flat) end
   return t
end

-- Index tensors hold positions counted from 1 on the Lua side.
THNN.INDEX_BASE = 1

return THNN
