-- What the convolution modules share. Each class says how its fields describe the
-- convolution (a convShape(input) method filling the kernels' geometry, see nn.THNN) and
-- takes these methods; the kernels (unfold + matrix product) do the rest.

local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

local convolution = {}

-- The weights start uniform in [-1/sqrt(fan-in), 1/sqrt(fan-in)), weights then bias, as
-- the original drew them; reset(stdv) asks for that standard deviation instead.
function convolution.reset(self, stdv, fanIn)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(fanIn)
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
end

-- Models saved by older versions kept one `padding` field for both sides.
function convolution.splitPadding(self)
   if self.padding then
      self.padW, self.padH, self.padding = self.padding, self.padding, nil
   end
end

function convolution.noBias(self)
   self.bias = nil
   self.gradBias = nil
   return self
end

function convolution.updateOutput(self, input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_conv_forward(self.output, input, self.weight, self.bias,
      self:convShape(input)), self)
   return self.output
end

function convolution.updateGradInput(self, input, gradOutput)
   if self.gradInput then
      check(C.t7_nn_conv_backward_input(self.gradInput, input, gradOutput, self.weight,
         self:convShape(input)), self)
      return self.gradInput
   end
end

function convolution.accGradParameters(self, input, gradOutput, scale)
   check(C.t7_nn_conv_backward_params(self.gradWeight, self.gradBias, input, gradOutput,
      scale or 1, self:convShape(input)), self)
end

-- The original kept unfold buffers in these fields; models saved by it carry them.
function convolution.type(self, parent, typename, tensorCache)
   self.finput = self.finput and torch.Tensor()
   self.fgradInput = self.fgradInput and torch.Tensor()
   return parent.type(self, typename, tensorCache)
end

function convolution.clearState(self, parent)
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

-- The adjustment that makes a transposed convolution's output `target` long.
function convolution.adjustment(target, kernel, pad, stride)
   return (target + 2 * pad - kernel) % stride
end

-- "nn.X(3 -> 8, 5x5, 2,2, 1,1": the strides when they or the paddings are not the
-- defaults, then the paddings when set, then `extra` (a list of numbers, or nil); the
-- caller closes it.
function convolution.describe(self, kernel, strides, pads, extra)
   local function all(values, v)
      for _, x in ipairs(values) do if x ~= v then return false end end
      return true
   end
   local s = string.format('%s(%d -> %d, %s', torch.type(self), self.nInputPlane,
      self.nOutputPlane, table.concat(kernel, 'x'))
   if not all(strides, 1) or not all(pads, 0) then
      s = s .. ', ' .. table.concat(strides, ',')
   end
   if not all(pads, 0) then s = s .. ', ' .. table.concat(pads, ',') end
   if extra then s = s .. ', ' .. table.concat(extra, ',') end
   return s
end

-- The closing of a description: ') without bias' for a module without one.
function convolution.closing(self)
   return self.bias and ')' or ') without bias'
end

-- The transposed convolutions (nn.SpatialFullConvolution, nn.VolumetricFullConvolution) also
-- take {input, target}, the target giving the output's size (self:convShape(input) reads it).

local function tensor_of(input)
   if torch.type(input) == 'table' then return input[1] end
   return input
end

function convolution.transposedUpdateOutput(self, input)
   local x = tensor_of(input)
   THNN.checkFloating(self, x)
   check(C.t7_nn_conv_forward(self.output, x, self.weight, self.bias, self:convShape(input)),
      self)
   return self.output
end

function convolution.transposedUpdateGradInput(self, input, gradOutput)
   if not self.gradInput then return end
   if torch.type(self.gradInput) == 'table' then
      self.gradInput = self.gradInput[1] or tensor_of(input).new()
   end
   check(C.t7_nn_conv_backward_input(self.gradInput, tensor_of(input), gradOutput,
      self.weight, self:convShape(input)), self)
   if torch.type(input) == 'table' then
      -- the target only gives a size: its gradient is zero, one shared zero expanded
      local target = input[2]
      self.zeroScalar = self.zeroScalar or target.new(1):zero()
      self.ones:resize(target:dim()):fill(1)
      local zeros = self.zeroScalar:view(unpack(self.ones:totable())):expandAs(target)
      self.gradInput = {self.gradInput, zeros}
   end
   return self.gradInput
end

function convolution.transposedAccGradParameters(self, input, gradOutput, scale)
   check(C.t7_nn_conv_backward_params(self.gradWeight, self.gradBias, tensor_of(input),
      gradOutput, scale or 1, self:convShape(input)), self)
end

return convolution
