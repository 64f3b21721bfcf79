-- nn.SpatialBinaryConvolution(nInputPlane, nOutputPlane, kW, kH[, dW, dH, padW, padH]):
-- XNOR-Net's binary-weight convolution (arXiv 1603.05279), an nn.SpatialConvolution
-- without bias whose forward convolves with the signs of the weights (+1 where w >= 0,
-- -1 elsewhere) and scales output plane o by alpha_o, the mean absolute weight of filter o.
-- The backward pass uses the signs too and scales input plane i of gradInput by the mean
-- absolute weight over all filters' plane i (an estimate, not the derivative of the
-- forward). The real-valued weights are kept in tempWeight and put back once
-- accGradParameters has run, or right after forward in evaluation, so that updates apply
-- to them.

local SpatialBinaryConvolution, parent =
   torch.class('nn.SpatialBinaryConvolution', 'nn.SpatialConvolution')

function SpatialBinaryConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW,
      padH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   self:noBias()
   -- Weights per output plane and per input plane, the divisors of the two scales.
   self.iwh = self.nInputPlane * self.kW * self.kH
   self.owh = self.nOutputPlane * self.kW * self.kH
   self.train = true
end

-- Puts the real-valued weights back if a forward left the signs in their place.
function SpatialBinaryConvolution:restoreWeight()
   if self._binarized then
      self.weight:copy(self.tempWeight)
      self._binarized = false
   end
end

-- Keeps the real-valued weights, computes both scales from them and replaces them by
-- their signs.
function SpatialBinaryConvolution:binarizeWeight()
   self:restoreWeight()
   self.tempWeight = self.tempWeight or self.weight.new()
   self.tempWeight:resizeAs(self.weight):copy(self.weight)
   local magnitude = torch.abs(self.weight)
   self.alphas = magnitude:view(self.nOutputPlane, -1):sum(2):view(self.nOutputPlane)
      :div(self.iwh)
   self.gradInputAlphas = magnitude:sum(1):view(self.nInputPlane, -1):sum(2)
      :view(self.nInputPlane):div(self.owh)
   self._nonNegative = self._nonNegative or torch.ByteTensor()
   self.weight.ge(self._nonNegative, self.weight, 0)
   self.weight:fill(-1):maskedFill(self._nonNegative, 1)
   self._binarized = true
end

-- Multiplies plane p of tensor (a map or a batch of maps) by scales[p].
local function scale_planes(tensor, scales)
   local planes = scales:nElement()
   local shape = tensor:dim() == 4 and {1, planes, 1, 1} or {planes, 1, 1}
   tensor:cmul(scales:view(unpack(shape)):expandAs(tensor))
end

function SpatialBinaryConvolution:updateOutput(input)
   self:binarizeWeight()
   self.output = parent.updateOutput(self, input)
   scale_planes(self.output, self.alphas)
   if not self.train then self:restoreWeight() end
   return self.output
end

function SpatialBinaryConvolution:updateGradInput(input, gradOutput)
   self.gradInput = parent.updateGradInput(self, input, gradOutput)
   scale_planes(self.gradInput, self.gradInputAlphas)
   return self.gradInput
end

function SpatialBinaryConvolution:accGradParameters(input, gradOutput, scale)
   parent.accGradParameters(self, input, gradOutput, scale)
   self:restoreWeight()
end

function SpatialBinaryConvolution:type(typename, tensorCache)
   self:restoreWeight()
   self.tempWeight, self.alphas, self.gradInputAlphas, self._nonNegative = nil, nil, nil, nil
   return parent.type(self, typename, tensorCache)
end

function SpatialBinaryConvolution:__tostring__()
   return 'Binary Convolution: ' .. parent.__tostring__(self)
end

return SpatialBinaryConvolution
