-- What SpatialConvolutionMap and SpatialFullConvolutionMap share: a connection table
-- (rows of input plane, output plane) with a kernel per connection, its initialisation
-- (uniform, scaled by each output plane's number of inputs, drawn as the original), and
-- the calls to the kernels.

local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

local convolutionMap = {}

function convolutionMap.init(self, conMatrix, kW, kH, dW, dH)
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   local n = self.connTable:size(1)
   self.weight = torch.Tensor(n, kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(n, kH, kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

function convolutionMap.reset(self, stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      self.weight:uniform(-stdv, stdv)
      self.bias:uniform(-stdv, stdv)
      return
   end
   -- fan-in: how many connections reach each output plane
   local fanIn = {}
   local n = self.connTable:size(1)
   for i = 1, n do
      local o = self.connTable[i][2]
      fanIn[o] = (fanIn[o] or 0) + 1
   end
   for k = 1, n do
      local bound = 1 / math.sqrt(self.kW * self.kH * fanIn[self.connTable[k][2]])
      self.weight:select(1, k):uniform(-bound, bound)
   end
   for o = 1, self.bias:size(1) do
      local bound = 1 / math.sqrt(self.kW * self.kH * (fanIn[o] or 0))
      self.bias[o] = torch.uniform(-bound, bound)
   end
end

function convolutionMap.updateOutput(self, input, transposed)
   THNN.checkFloating(self, input)
   check(C.t7_nn_conv_map_forward(self.output, input, self.weight, self.bias, self.connTable,
      self.nInputPlane, self.nOutputPlane, self.dW, self.dH, transposed), self)
   return self.output
end

function convolutionMap.updateGradInput(self, input, gradOutput, transposed)
   check(C.t7_nn_conv_map_backward_input(self.gradInput, input, gradOutput, self.weight,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH, transposed), self)
   return self.gradInput
end

function convolutionMap.accGradParameters(self, input, gradOutput, scale, transposed)
   check(C.t7_nn_conv_map_backward_params(self.gradWeight, self.gradBias, input, gradOutput,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH, transposed,
      scale or 1), self)
end

return convolutionMap
