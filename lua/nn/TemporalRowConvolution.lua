-- nn.TemporalRowConvolution(inputFrameSize, kW[, dW[, featFirst]]): each feature
-- convolved along the frames with its own kernel of kW taps (weight inputFrameSize x 1 x
-- kW), plus a bias per feature. Input: frames x features (features x frames with
-- featFirst), or a batch of them.
--
-- Computed as a grouped convolution, one group per feature, of features x 1 x frames.

local TemporalRowConvolution, parent = torch.class('nn.TemporalRowConvolution', 'nn.Module')
local THNN = require 'nn.THNN'
local conv = require 'nn.convolution'
local C, check = THNN.C, THNN.check

function TemporalRowConvolution:__init(inputFrameSize, kW, dW, featFirst)
   parent.__init(self)
   self.inputFrameSize = inputFrameSize
   self.kW = kW
   self.dW = dW or 1
   self.weight = torch.Tensor(inputFrameSize, 1, kW)
   self.bias = torch.Tensor(inputFrameSize)
   self.gradWeight = torch.Tensor(inputFrameSize, 1, kW)
   self.gradBias = torch.Tensor(inputFrameSize)
   self.featFirst = featFirst and true or false
   self:reset()
end

TemporalRowConvolution.noBias = conv.noBias

function TemporalRowConvolution:reset(stdv)
   conv.reset(self, stdv, self.kW * self.inputFrameSize)
end

function TemporalRowConvolution:convShape()
   local n = self.inputFrameSize
   return THNN.convShape(2, n, n, nil, 1, self.kW, nil, 1, self.dW, nil, 0, 0, nil, nil, nil,
      nil, nil, nil, false, n)
end

-- t (in the module's layout) as features x 1 x frames planes (or a batch of them).
function TemporalRowConvolution:asPlanes(t, name)
   local n = t:dim()
   if n ~= 2 and n ~= 3 then
      THNN.fail(self, '2D or 3D (batch mode) tensor expected, got %s', THNN.sizes(t))
   end
   local featureDim = self.featFirst and n - 1 or n
   if t:size(featureDim) ~= self.inputFrameSize then
      THNN.fail(self, '%d features expected in dimension %d, but got %s of size %s',
         self.inputFrameSize, featureDim, name == '_input' and 'input' or 'gradOutput',
         THNN.sizes(t))
   end
   if not self.featFirst then
      local planes = t:transpose(n - 1, n)
      self[name] = self[name] or t.new()
      t = self[name]:resizeAs(planes):copy(planes)
   end
   local size = t:size():totable()
   table.insert(size, n, 1)
   return t:contiguous():view(unpack(size))
end

-- planes back into result, in the module's layout.
function TemporalRowConvolution:fromPlanes(result, planes)
   local n = planes:dim()
   local rows = planes:select(n - 1, 1)
   if not self.featFirst then rows = rows:transpose(n - 2, n - 1) end
   return result:resize(rows:size()):copy(rows)
end

function TemporalRowConvolution:updateOutput(input)
   THNN.checkFloating(self, input)
   self._planes = self._planes or input.new()
   check(C.t7_nn_conv_forward(self._planes, self:asPlanes(input, '_input'), self.weight,
      self.bias, self:convShape()), self)
   return self:fromPlanes(self.output, self._planes)
end

function TemporalRowConvolution:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self._gradPlanes = self._gradPlanes or input.new()
   check(C.t7_nn_conv_backward_input(self._gradPlanes, self:asPlanes(input, '_input'),
      self:asPlanes(gradOutput, '_gradOutput'), self.weight, self:convShape()), self)
   return self:fromPlanes(self.gradInput, self._gradPlanes)
end

function TemporalRowConvolution:accGradParameters(input, gradOutput, scale)
   check(C.t7_nn_conv_backward_params(self.gradWeight, self.gradBias,
      self:asPlanes(input, '_input'), self:asPlanes(gradOutput, '_gradOutput'), scale or 1,
      self:convShape()), self)
end

function TemporalRowConvolution:type(typename, tensorCache)
   if self.finput then self.finput:set() end
   if self.fgradInput then self.fgradInput:set() end
   return parent.type(self, typename, tensorCache)
end

function TemporalRowConvolution:__tostring__()
   local s = string.format('%s(%d, %d', torch.type(self), self.inputFrameSize, self.kW)
   if self.dW ~= 1 then s = s .. string.format(', %d', self.dW) end
   if self.padW and self.padW ~= 0 then s = s .. ', ' .. self.padW end
   return s .. conv.closing(self)
end

function TemporalRowConvolution:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput', '_planes',
      '_gradPlanes')
   return parent.clearState(self)
end

return TemporalRowConvolution
