-- nn.Bilinear(inputSize1, inputSize2, outputSize[, bias]): y_k = x1^T W_k x2 + b_k for a
-- batch of pairs {x1, x2} (both matrices, one sample per row). The weight is
-- outputSize x inputSize1 x inputSize2; bias = false leaves b out.

local Bilinear, parent = torch.class('nn.Bilinear', 'nn.Module')
local THNN = require 'nn.THNN'

local function isint(x)
   return type(x) == 'number' and x == math.floor(x)
end

function Bilinear:__assertInput(input)
   THNN.assert(self, input and torch.type(input) == 'table' and #input == 2,
      'input should be a table containing two data Tensors')
   THNN.assert(self, input[1]:nDimension() == 2 and input[2]:nDimension() == 2,
      'input Tensors should be two-dimensional, got %s and %s', THNN.sizes(input[1]),
      THNN.sizes(input[2]))
   THNN.assert(self, input[1]:size(1) == input[2]:size(1),
      'input Tensors should have the same number of rows (instances), got %s and %s',
      THNN.sizes(input[1]), THNN.sizes(input[2]))
   THNN.assert(self, input[1]:size(2) == self.weight:size(2),
      'dimensionality of first input is erroneous: %s, %d columns expected',
      THNN.sizes(input[1]), self.weight:size(2))
   THNN.assert(self, input[2]:size(2) == self.weight:size(3),
      'dimensionality of second input is erroneous: %s, %d columns expected',
      THNN.sizes(input[2]), self.weight:size(3))
end

function Bilinear:__assertInputGradOutput(input, gradOutput)
   THNN.assert(self, input[1]:size(1) == gradOutput:size(1),
      'number of rows in gradOutput does not match input: %s and %s', THNN.sizes(gradOutput),
      THNN.sizes(input[1]))
   THNN.assert(self, gradOutput:size(2) == self.weight:size(1),
      'number of columns in gradOutput does not output size of layer: %s, %d expected',
      THNN.sizes(gradOutput), self.weight:size(1))
end

function Bilinear:__init(inputSize1, inputSize2, outputSize, bias)
   assert(self and inputSize1 and inputSize2 and outputSize,
      'should specify inputSize1 and inputSize2 and outputSize')
   assert(isint(inputSize1) and isint(inputSize2) and isint(outputSize),
      'inputSize1 and inputSize2 and outputSize should be integer numbers')
   assert(inputSize1 > 0 and inputSize2 > 0 and outputSize > 0,
      'inputSize1 and inputSize2 and outputSize should be positive numbers')
   parent.__init(self)
   if bias == nil then bias = true end
   self.weight = torch.Tensor(outputSize, inputSize1, inputSize2)
   self.gradWeight = torch.Tensor(outputSize, inputSize1, inputSize2)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   self:reset()
end

function Bilinear:reset(stdv)
   if stdv then
      assert(type(stdv) == 'number' and stdv > 0, 'standard deviation should be a positive number')
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

function Bilinear:updateOutput(input)
   self:__assertInput(input)
   local x1, x2 = input[1], input[2]
   self.buff2 = self.buff2 or x1.new()
   self.output:resize(x1:size(1), self.weight:size(1))
   for k = 1, self.weight:size(1) do
      self.buff2:resize(x2:size()):mm(x1, self.weight[k]):cmul(x2)
      self.output:narrow(2, k, 1):sum(self.buff2, 2)
   end
   if self.bias then
      self.output:add(self.bias:view(1, self.bias:nElement()):expandAs(self.output))
   end
   return self.output
end

-- d y_k / d x1 = W_k x2 and d y_k / d x2 = W_k^T x1, weighted by gradOutput column k.
function Bilinear:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:__assertInputGradOutput(input, gradOutput)
   local x1, x2 = input[1], input[2]
   if #self.gradInput == 0 then
      self.gradInput[1], self.gradInput[2] = x1.new(), x1.new()
   end
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   g1:resizeAs(x1):zero()
   g2:resizeAs(x2):zero()
   self.buff1 = self.buff1 or x1.new()
   self.buff2 = self.buff2 or x1.new()
   for k = 1, self.weight:size(1) do
      local column = gradOutput:narrow(2, k, 1)
      self.buff1:resizeAs(x1):mm(x2, self.weight[k]:t()):cmul(column:expandAs(x1))
      g1:add(self.buff1)
      self.buff2:resizeAs(x2):mm(x1, self.weight[k]):cmul(column:expandAs(x2))
      g2:add(self.buff2)
   end
   return self.gradInput
end

function Bilinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self:__assertInputGradOutput(input, gradOutput)
   local x1, x2 = input[1], input[2]
   self.buff1 = self.buff1 or x1.new()
   for k = 1, self.weight:size(1) do
      self.buff1:resizeAs(x1):cmul(x1, gradOutput:narrow(2, k, 1):expandAs(x1))
      self.gradWeight[k]:addmm(scale, self.buff1:t(), x2)
   end
   if self.bias then self.gradBias:add(scale, gradOutput:sum(1)) end
end

function Bilinear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Bilinear:__tostring__()
   return torch.type(self) .. string.format('(%dx%d -> %d) %s', self.weight:size(2),
      self.weight:size(3), self.weight:size(1), self.bias == nil and ' without bias' or '')
end

function Bilinear:clearState()
   if self.buff2 then self.buff2:set() end
   if self.buff1 then self.buff1:set() end
   return parent.clearState(self)
end

return Bilinear
