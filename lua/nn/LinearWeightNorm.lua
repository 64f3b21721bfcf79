-- nn.LinearWeightNorm(inputSize, outputSize[, bias[, eps]]): a Linear layer whose weight
-- rows are w_i = g_i v_i / ||v_i|| (Salimans and Kingma, 2016); g (outputSize x 1) and v
-- are the parameters learnt. The norms are kept at least eps (default 1e-16).

local LinearWeightNorm, parent = torch.class('nn.LinearWeightNorm', 'nn.Linear')

function LinearWeightNorm:__init(inputSize, outputSize, bias, eps)
   nn.Module.__init(self)        -- not nn.Linear's: the weight is derived, not drawn
   if bias == nil then bias = true end
   self.eps = eps or 1e-16
   self.outputSize = outputSize
   self.inputSize = inputSize
   self.v = torch.Tensor(outputSize, inputSize)
   self.gradV = torch.Tensor(outputSize, inputSize)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.g = torch.Tensor(outputSize, 1)
   self.gradG = torch.Tensor(outputSize, 1)
   self.norm = torch.Tensor(outputSize, 1)
   self.scale = torch.Tensor(outputSize, 1)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

-- The rows' 2-norms, at least eps, into result (a column).
local function row_norms(self, result, t)
   return result:sum(torch.cmul(t, t), 2):sqrt():clamp(self.eps, math.huge)
end

function LinearWeightNorm:evaluate()
   if self.train ~= false then self:updateWeightMatrix() end
   parent.evaluate(self)
end

function LinearWeightNorm:initFromWeight(weight)
   weight = weight or self.weight
   row_norms(self, self.g, weight)
   self.v:copy(weight)
   return self
end

function LinearWeightNorm.fromLinear(linear)
   local module = nn.LinearWeightNorm(linear.weight:size(2), linear.weight:size(1),
      torch.isTensor(linear.bias))
   module.weight:copy(linear.weight)
   module:initFromWeight()
   if linear.bias then module.bias:copy(linear.bias) end
   return module
end

function LinearWeightNorm:toLinear()
   self:updateWeightMatrix()
   local module = nn.Linear(self.inputSize, self.outputSize, torch.isTensor(self.bias))
   module.weight:copy(self.weight)
   if self.bias then module.bias:copy(self.bias) end
   return module
end

function LinearWeightNorm:parameters()
   if self.bias then
      return {self.v, self.g, self.bias}, {self.gradV, self.gradG, self.gradBias}
   end
   return {self.v, self.g}, {self.gradV, self.gradG}
end

function LinearWeightNorm:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.inputSize)
   end
   self.weight:uniform(-stdv, stdv)
   self:initFromWeight()
   if self.bias then self.bias:uniform(-stdv, stdv) end
end

function LinearWeightNorm:updateWeightMatrix()
   if self.norm:dim() == 0 then self.norm:resizeAs(self.g) end
   if self.scale:dim() == 0 then self.scale:resizeAs(self.g) end
   if self.weight:dim() == 0 then self.weight:resizeAs(self.v) end
   row_norms(self, self.norm, self.v)
   self.scale:cdiv(self.g, self.norm)
   self.weight:cmul(self.v, self.scale:expandAs(self.v))
end

function LinearWeightNorm:updateOutput(input)
   if self.train ~= false then self:updateWeightMatrix() end
   return parent.updateOutput(self, input)
end

-- With G = dL/dw: dL/dg = G . v / ||v||, dL/dv = (g / ||v||) (G - (dL/dg / ||v||) v),
-- row by row; both added to the gradients, times scale.
function LinearWeightNorm:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self._gradW = self._gradW or self.v.new()
   local G = self._gradW:resizeAs(self.v)
   if input:dim() == 1 then
      G:zero():addr(1, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   elseif input:dim() == 2 then
      G:mm(gradOutput:t(), input)
      if self.bias then
         self:updateAddBuffer(input)
         self.gradBias:addmv(scale, gradOutput:t(), self.addBuffer)
      end
   end
   local norm = self.norm:expandAs(self.v)
   self._buffer = self._buffer or self.v.new()
   self._gradGStep = self._gradGStep or self.g.new()
   self._buffer:cmul(G, self.v):cdiv(norm)
   self._gradGStep:sum(self._buffer, 2)
   self.gradG:add(scale, self._gradGStep)
   self._buffer:cdiv(self.v, norm):cmul(self._gradGStep:expandAs(self.v))
   G:add(-1, self._buffer):cmul(self.scale:expandAs(self.v))
   self.gradV:add(scale, G)
end

function LinearWeightNorm:defaultAccUpdateGradParameters(input, gradOutput, lr)
   local gradV, gradG, gradBias = self.gradV, self.gradG, self.gradBias
   self.gradV, self.gradG, self.gradBias = self.v, self.g, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradV, self.gradG, self.gradBias = gradV, gradG, gradBias
end

function LinearWeightNorm:clearState()
   nn.utils.clear(self, 'weight', 'norm', 'scale', '_gradW', '_buffer', '_gradGStep')
   return parent.clearState(self)
end

function LinearWeightNorm:__tostring__()
   return torch.type(self) .. string.format('(%d -> %d)', self.inputSize, self.outputSize)
      .. (self.bias == nil and ' without bias' or '')
end

return LinearWeightNorm
