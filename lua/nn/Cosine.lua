-- nn.Cosine(inputSize, outputSize): y_j = (w_j . x) / (||w_j|| ||x||), the cosine
-- similarity of the input to each row w_j of a learnt outputSize x inputSize weight.

local Cosine, parent = torch.class('nn.Cosine', 'nn.Module')

function Cosine:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   self:reset()
end

function Cosine:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
end

-- result = the 2-norms of t's rows (as a column), nudged off 0 as the original did.
local function row_norms(result, t)
   return result:cmul(t, t):sum(result:clone(), 2):sqrt():add(1e-12)
end

-- The input as rows, and the number of rows.
local function as_rows(input)
   if input:dim() == 1 then return input:view(1, -1), 1 end
   if input:dim() == 2 then return input, input:size(1) end
   error('input must be vector or matrix', 3)
end

function Cosine:updateOutput(input)
   local x, batch = as_rows(input)
   local outputSize = self.weight:size(1)
   self._weightNorm = row_norms(self._weightNorm or self.weight.new(), self.weight)
   self._inputNorm = row_norms(self._inputNorm or input.new(), x)
   self.output:resize(batch, outputSize):mm(x, self.weight:t())
   self.output:cdiv(self._weightNorm:view(1, outputSize):expandAs(self.output))
   self.output:cdiv(self._inputNorm:expandAs(self.output))
   if input:dim() == 1 then self.output:resize(outputSize) end
   return self.output
end

-- dy_j / dx = w_j / (||w_j|| ||x||) - y_j x / ||x||^2, summed with the gradOutput.
function Cosine:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local x, batch = as_rows(input)
   local outputSize = self.weight:size(1)
   local g = gradOutput:contiguous():view(batch, outputSize)
   local y = self.output:view(batch, outputSize)
   self._gradOutput = self._gradOutput or g.new()
   self._sum = self._sum or g.new()
   self._gradOutput:cdiv(g, self._weightNorm:view(1, outputSize):expandAs(g))
   self.gradInput:resize(batch, x:size(2)):mm(self._gradOutput, self.weight)
   self.gradInput:cdiv(self._inputNorm:expandAs(self.gradInput))
   self._sum:cmul(g, y):sum(self._sum:clone(), 2)       -- sum_j g_j y_j, per row
   self._sum:cdiv(self._inputNorm)
   self._input = self._input or x.new()
   self._input:cdiv(x, self._inputNorm:expandAs(x))
   self.gradInput:addcmul(-1, self._sum:expandAs(x), self._input)
   self.gradInput:resizeAs(input)
   return self.gradInput
end

-- dy_j / dw_j = x / (||w_j|| ||x||) - y_j w_j / ||w_j||^2.
function Cosine:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local x, batch = as_rows(input)
   local outputSize = self.weight:size(1)
   local g = gradOutput:contiguous():view(batch, outputSize)
   local y = self.output:view(batch, outputSize)
   self._weight = self._weight or self.weight.new()
   self._input = self._input or x.new()
   self._input:cdiv(x, self._inputNorm:expandAs(x))
   self._weight:resizeAs(self.weight):mm(g:t(), self._input)
   self._sum = self._sum or g.new()
   self._sum:cmul(g, y):sum(self._sum:clone(), 1)        -- sum_b g_bj y_bj
   self._sum:cdiv(self._weightNorm:view(1, outputSize))
   self._weight:addcmul(-1, self._sum:view(outputSize, 1):expandAs(self.weight), self.weight)
   self._weight:cdiv(self._weightNorm:expandAs(self.weight))
   self.gradWeight:add(scale, self._weight)
end

function Cosine:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function Cosine:clearState()
   nn.utils.clear(self, {'_input', '_weight', '_gradOutput', '_sum', '_inputNorm',
      '_weightNorm'})
   return parent.clearState(self)
end

return Cosine
