-- nn.WeightNorm(module[, outputDim]): reparametrises module's weight as w = g * v / ||v||
-- per slice along outputDim (default 1), learning g (self.g) and the direction v (self.v)
-- instead (Salimans and Kingma, 2016). The module's weight is recomputed from them before
-- each forward pass in training.

local WeightNorm, parent = torch.class('nn.WeightNorm', 'nn.Decorator')

function WeightNorm:__init(module, outputDim)
   parent.__init(self, module)
   assert(module.weight)
   if module.bias then
      self.bias = module.bias
      self.gradBias = module.gradBias
   end
   self.gradWeight = module.gradWeight
   self.weight = module.weight
   self.outputDim = outputDim or 1
   self.otherDims = self.weight:nElement() / self.weight:size(self.outputDim)
   self.viewIn = torch.LongStorage({self.weight:size(self.outputDim), self.otherDims})
   -- the weight's size with outputDim moved first
   self.viewOut = self.weight:size()
   for i = self.outputDim - 1, 1, -1 do
      self.viewOut[i], self.viewOut[i + 1] = self.viewOut[i + 1], self.viewOut[i]
   end
   self.weightSize = self.weight:size()
   local rows = self.viewIn[1]
   self.v = torch.Tensor(rows, self.viewIn[2])
   self.g = torch.Tensor(rows)
   self._norm = torch.Tensor(rows)
   self._scale = torch.Tensor(rows)
   self.gradG = torch.Tensor(rows):zero()
   self.gradV = torch.Tensor(self.viewIn)
   self:resetInit()
end

-- t (weight-shaped) with outputDim moved first, and back.
function WeightNorm:permuteIn(t)
   for i = self.outputDim - 1, 1, -1 do t = t:transpose(i, i + 1) end
   return t
end

function WeightNorm:permuteOut(t)
   for i = 1, self.outputDim - 1 do t = t:transpose(i, i + 1) end
   return t
end

-- The rows' 2-norms, into result.
local function row_norms(result, t)
   local squares = torch.cmul(t, t)
   return result:sum(squares, 2):view(t:size(1)):sqrt()
end

function WeightNorm:resetInit()
   self.v:normal(0, math.sqrt(2 / self.viewIn[2]))
   row_norms(self.g, self.v)
   if self.bias then self.bias:zero() end
end

function WeightNorm:evaluate()
   if self.train ~= false then
      self:updateWeight()
      parent.evaluate(self)
   end
end

-- weight = g * v / n, n = sqrt(||v||^2 + 1e-4) per row.
function WeightNorm:updateWeight()
   row_norms(self._norm, self.v):pow(2):add(10e-5):sqrt()
   self._scale:cdiv(self.g, self._norm)
   local rows, cols = self.viewIn[1], self.viewIn[2]
   self._weight = self._weight or self.v.new()
   self._weight:resize(rows, cols):copy(self.v)
      :cmul(self._scale:view(rows, 1):expand(rows, cols))
   self.weight:copy(self:permuteOut(self._weight:view(self.viewOut)))
end

function WeightNorm:updateOutput(input)
   if self.train ~= false then self:updateWeight() end
   self.output:set(self.modules[1]:updateOutput(input))
   return self.output
end

function WeightNorm:updateGradInput(input, gradOutput)
   self.gradInput:set(self.modules[1]:updateGradInput(input, gradOutput))
   return self.gradInput
end

-- From G = dL/dw (the module's gradWeight), per row: dL/dg = G . v / n, and
-- dL/dv = (g / n) (G - (dL/dg / n) v).
function WeightNorm:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale or 1)
   local rows, cols = self.viewIn[1], self.viewIn[2]
   self._gradW = self._gradW or self.v.new()
   self._gradW:resize(self.viewOut):copy(self:permuteIn(self.gradWeight))
   local G = self._gradW:view(rows, cols)
   local norm = self._norm:view(rows, 1):expand(rows, cols)
   self._buffer = self._buffer or self.v.new()
   self._buffer:resize(rows, cols):cmul(G, self.v):cdiv(norm)
   self.gradG:sum(self._buffer, 2)
   self._buffer:copy(self.v):cdiv(norm)
      :cmul(self.gradG:view(rows, 1):expand(rows, cols))
   self.gradV:resize(rows, cols):copy(G):add(-1, self._buffer)
      :cmul(self._scale:view(rows, 1):expand(rows, cols))
end

function WeightNorm:zeroGradParameters()
   self.modules[1]:zeroGradParameters()
   self.gradV:zero()
   self.gradG:zero()
end

function WeightNorm:updateParameters(lr)
   self.modules[1]:updateParameters(lr)
   self.g:add(-lr, self.gradG)
   self.v:add(-lr, self.gradV)
end

function WeightNorm:parameters()
   if self.bias then
      return {self.v, self.g, self.bias}, {self.gradV, self.gradG, self.gradBias}
   end
   return {self.v, self.g}, {self.gradV, self.gradG}
end

-- The weight follows from v and g: it is left out of saved files and rebuilt on reading.
function WeightNorm:write(file)
   local module = self.modules[1]
   local weight, gradWeight = module.weight, module.gradWeight
   self.weight, self.gradWeight = nil, nil
   module.weight, module.gradWeight = nil, nil
   self.weightSize = self.weightSize or weight:size()
   parent.write(self, file)
   module.weight, module.gradWeight = weight, gradWeight
   self.weight, self.gradWeight = weight, gradWeight
end

function WeightNorm:read(file)
   parent.read(self, file)
   if not self.weight then
      local module = self.modules[1]
      module.weight = self.v.new(self.weightSize)
      module.gradWeight = self.v.new(self.weightSize):zero()
      self.weight, self.gradWeight = module.weight, module.gradWeight
      self:updateWeight()
   end
end

function WeightNorm:clearState()
   nn.utils.clear(self, '_weight', '_gradW', '_buffer')
   return parent.clearState(self)
end

return WeightNorm
