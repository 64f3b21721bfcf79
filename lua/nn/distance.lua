-- What Euclidean and WeightedEuclidean share. With x the input (or a batch of them) and
-- w the inputSize x outputSize centres, self._repeat holds d = c * (x - w_j) for every
-- output j (c the optional scaling, else 1), shaped [batch x] inputSize x outputSize;
-- y_j = || d_j ||. The gradient with respect to x is sum_j g_j c_j d_j / y_j, whose terms
-- (before the sum) stay in self._repeat2 for accGradParameters; with a scaling, x - w
-- stays in self._diff.

local distance = {}

-- t (inputSize x outputSize, a parameter) seen with the shape of self._repeat.
function distance.expanded(self, t, input)
   if input:dim() == 1 then return t end
   return t:view(1, t:size(1), t:size(2)):expandAs(self._repeat)
end

function distance.updateOutput(self, input, scaling)
   local inputSize, outputSize = self.weight:size(1), self.weight:size(2)
   self._repeat = self._repeat or input.new()
   self._output = self._output or input.new()
   if (input:dim() == 1 or input:dim() == 2) and input:size(input:dim()) ~= inputSize then
      error(string.format('%s: input of size %s, %d features expected', torch.type(self),
         table.concat(input:size():totable(), 'x'), inputSize), 3)
   end
   if input:dim() == 1 then
      self._repeat:resize(inputSize, outputSize)
         :copy(input:contiguous():view(inputSize, 1):expand(inputSize, outputSize))
      self._repeat:add(-1, self.weight)
   elseif input:dim() == 2 then
      local batch = input:size(1)
      self._repeat:resize(batch, inputSize, outputSize)
         :copy(input:contiguous():view(batch, inputSize, 1):expand(batch, inputSize,
            outputSize))
      self._repeat:add(-1, distance.expanded(self, self.weight, input))
   else
      error(torch.type(self) .. ': 1D or 2D input expected, got ' .. input:dim() .. 'D', 3)
   end
   if scaling then
      self._diff = self._diff or input.new()
      self._diff:resizeAs(self._repeat):copy(self._repeat)
      self._repeat:cmul(distance.expanded(self, scaling, input))
   end
   -- the norms over the input dimension
   local d = input:dim()
   self._output:cmul(self._repeat, self._repeat)
   self.output:sum(self._output, d):sqrt()
   if d == 1 then
      self.output:resize(outputSize)
   else
      self.output:resize(input:size(1), outputSize)
   end
   return self.output
end

-- self._repeat2 = (g / y) c d, expanded over the input dimension (y nudged off 0).
function distance.prepareGradient(self, input, gradOutput, scaling)
   if not self.fastBackward then self:updateOutput(input) end
   self._div = self._div or input.new()
   self._repeat2 = self._repeat2 or input.new()
   self._div:resizeAs(self.output):copy(self.output):add(1e-7)
   self._div:cdiv(gradOutput:contiguous():viewAs(self._div), self._div)
   self._repeat2:resizeAs(self._repeat):copy(self._repeat):cmul(distance.ratio(self, input))
   if scaling then self._repeat2:cmul(distance.expanded(self, scaling, input)) end
end

-- g / y (kept in self._div by prepareGradient) seen with the shape of self._repeat.
function distance.ratio(self, input)
   local outputSize = self.weight:size(2)
   if input:dim() == 1 then
      return self._div:view(1, outputSize):expandAs(self._repeat)
   end
   return self._div:view(input:size(1), 1, outputSize):expandAs(self._repeat)
end

function distance.updateGradInput(self, input, gradOutput, scaling)
   distance.prepareGradient(self, input, gradOutput, scaling)
   self.gradInput:sum(self._repeat2, input:dim() + 1)
   self.gradInput:resizeAs(input)
   return self.gradInput
end

-- t summed over the batch (for a batch input), as inputSize x outputSize.
function distance.batchSum(self, t, input)
   if input:dim() == 1 then return t end
   self._sum = self._sum or t.new()
   return self._sum:sum(t, 1):view(self.weight:size(1), self.weight:size(2))
end

function distance.clearState(self)
   nn.utils.clear(self, {'_input', '_output', '_gradOutput', '_weight', '_div', '_sum',
      '_expand', '_expand2', '_expand3', '_expand4', '_repeat', '_repeat2', '_diff'})
end

return distance
