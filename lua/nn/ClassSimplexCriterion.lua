-- nn.ClassSimplexCriterion(nClasses): classification as regression onto the vertices of a
-- regular simplex: class k's target is the k-th vertex (unit vectors, all equally far
-- apart, padded with zeros to nClasses), and the loss is the mean squared error to it
-- (arXiv:1506.08230).

local ClassSimplexCriterion, parent = torch.class('nn.ClassSimplexCriterion',
   'nn.MSECriterion')

-- The n + 1 vertices (rows) of a regular simplex in n dimensions, centred on the origin,
-- each of norm 1: vertex k has k - 1 coordinates shared with the later ones, its own k-th
-- coordinate making its norm 1, and the later vertices all take the same value there.
local function simplex(n)
   local a = torch.zeros(n + 1, n)
   for k = 1, n do
      if k == 1 then
         a[1][1] = 1
      else
         local previous = a[k]:narrow(1, 1, k - 1)
         a[k][k] = math.sqrt(1 - previous:dot(previous))
      end
      local c = (a[k][k] ^ 2 - 1 - 1 / n) / a[k][k]
      a:narrow(1, k + 1, n + 1 - k):select(2, k):fill(c)
   end
   return a
end

function ClassSimplexCriterion:__init(nClasses)
   parent.__init(self)
   assert(nClasses and nClasses > 1 and nClasses == (nClasses - (nClasses % 1)),
      'Required positive integer argument nClasses > 1')
   self.nClasses = nClasses
   local vertices = simplex(nClasses - 1)
   self.simplex = torch.zeros(vertices:size(1), nClasses)
   self.simplex:narrow(2, 1, vertices:size(2)):copy(vertices)
   self._target = torch.Tensor(nClasses)
end

local function transform_target(self, target)
   if torch.type(target) == 'number' then
      self._target:resize(self.nClasses):copy(self.simplex[target])
   elseif torch.isTensor(target) then
      assert(target:dim() == 1, '1D tensors only!')
      self._target:resize(target:size(1), self.nClasses)
      for i = 1, target:size(1) do self._target[i]:copy(self.simplex[target[i]]) end
   end
end

function ClassSimplexCriterion:updateOutput(input, target)
   transform_target(self, target)
   assert(input:nElement() == self._target:nElement())
   return parent.updateOutput(self, input, self._target)
end

function ClassSimplexCriterion:updateGradInput(input, target)
   assert(input:nElement() == self._target:nElement())
   return parent.updateGradInput(self, input, self._target)
end

function ClassSimplexCriterion:getPredictions(input)
   if input:dim() == 1 then input = input:view(1, -1) end
   return torch.mm(input, self.simplex:t())
end

function ClassSimplexCriterion:getTopPrediction(input)
   local scores = self:getPredictions(input)
   local _, best = scores:max(scores:nDimension())
   return best:view(-1)
end

return ClassSimplexCriterion
