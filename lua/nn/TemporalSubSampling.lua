-- nn.TemporalSubSampling(inputFrameSize, kW[, dW]): each output frame is the sum of kW
-- consecutive input frames, times a learnt weight per feature, plus a bias per feature.
-- Input: frames x inputFrameSize, or batch x frames x inputFrameSize.
--
-- Computed as a spatial sub-sampling of the features as planes of 1 x frames.

local TemporalSubSampling, parent = torch.class('nn.TemporalSubSampling', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function TemporalSubSampling:__init(inputFrameSize, kW, dW)
   parent.__init(self)
   self.inputFrameSize = inputFrameSize
   self.kW = kW
   self.dW = dW or 1
   self.weight = torch.Tensor(inputFrameSize)
   self.bias = torch.Tensor(inputFrameSize)
   self.gradWeight = torch.Tensor(inputFrameSize)
   self.gradBias = torch.Tensor(inputFrameSize)
   self:reset()
end

function TemporalSubSampling:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW)
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

-- frames x features (or batch x frames x features) as features x 1 x frames planes.
local function as_planes(self, t, name)
   local n = t:dim()
   if n ~= 2 and n ~= 3 then
      THNN.fail(self, '2D or 3D (batch mode) tensor expected, got %s', THNN.sizes(t))
   end
   local planes = t:transpose(n - 1, n)
   self[name] = self[name] or t.new()
   self[name]:resizeAs(planes):copy(planes)
   local size = self[name]:size():totable()
   table.insert(size, n, 1)
   return self[name]:view(unpack(size))
end

-- planes (features x 1 x frames, or with a batch) back into result as frames x features.
local function from_planes(result, planes)
   local n = planes:dim()
   local squeezed = planes:select(n - 1, 1)
   local frames = squeezed:transpose(n - 2, n - 1)
   return result:resize(frames:size()):copy(frames)
end

function TemporalSubSampling:updateOutput(input)
   THNN.checkFloating(self, input)
   if input:size(input:dim()) ~= self.inputFrameSize then
      THNN.fail(self, 'input frames of %d features expected, got %s', self.inputFrameSize,
         THNN.sizes(input))
   end
   self._planes = self._planes or input.new()
   check(C.t7_nn_subsampling(self._planes, as_planes(self, input, '_input'), self.weight,
      self.bias, self.kW, 1, self.dW, 1), self)
   return from_planes(self.output, self._planes)
end

function TemporalSubSampling:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self._gradPlanes = self._gradPlanes or input.new()
   check(C.t7_nn_subsampling_backward_input(self._gradPlanes, as_planes(self, input, '_input'),
      as_planes(self, gradOutput, '_gradOutput'), self.weight, self.kW, 1, self.dW, 1), self)
   return from_planes(self.gradInput, self._gradPlanes)
end

function TemporalSubSampling:accGradParameters(input, gradOutput, scale)
   check(C.t7_nn_subsampling_backward_params(self.gradWeight, self.gradBias,
      as_planes(self, input, '_input'), as_planes(self, gradOutput, '_gradOutput'), self.kW, 1,
      self.dW, 1, scale or 1), self)
end

function TemporalSubSampling:clearState()
   nn.utils.clear(self, '_input', '_gradOutput', '_planes', '_gradPlanes')
   return parent.clearState(self)
end

return TemporalSubSampling
