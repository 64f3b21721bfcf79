-- nn.DistanceRatioCriterion([sizeAverage]): for {X, Y}, the distances between similar
-- and between dissimilar samples, the loss -log(exp(-X) / (exp(-X) + exp(-Y))) = X +
-- log(exp(-X) + exp(-Y)) (Hoffer and Ailon, arXiv:1610.00243), averaged over the samples
-- with sizeAverage (the default).

local DistanceRatioCriterion, parent = torch.class('nn.DistanceRatioCriterion',
   'nn.Criterion')

function DistanceRatioCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

local function check_input(input)
   assert(#input == 2, 'Invalid number of inputs')
   local X, Y = input[1], input[2]
   assert(X:nElement() == Y:nElement(), "Number of distances don't match.")
   assert(X:size(1) == Y:size(1), "Invalid distances' size.")
   return X, Y
end

function DistanceRatioCriterion:updateOutput(input)
   local X, Y = check_input(input)
   self._expMinusX = self._expMinusX or X.new()
   self._expMinusY = self._expMinusY or Y.new()
   self._expMinusX:mul(X, -1):exp()
   self._expMinusY:mul(Y, -1):exp()
   self._sumExpMinusXY = self._sumExpMinusXY or X.new()
   self._sumExpMinusXY:resizeAs(self._expMinusX):copy(self._expMinusX):add(self._expMinusY)
   self._logSumExpMinusXY = self._logSumExpMinusXY or X.new()
   self._logSumExpMinusXY:log(self._sumExpMinusXY)
   self.loss = self.loss or X.new()
   self.loss:resizeAs(X):copy(X):add(self._logSumExpMinusXY)
   local total = self.loss:sum()
   self.output = self.sizeAverage and total / X:size(1) or total
   return self.output
end

-- dL/dX = 1 - exp(-X) / (exp(-X) + exp(-Y)); dL/dY = -exp(-Y) / (exp(-X) + exp(-Y)).
function DistanceRatioCriterion:updateGradInput(input)
   local X, Y = check_input(input)
   self.dX = self.dX or X.new()
   self.dY = self.dY or Y.new()
   self.dX:cdiv(self._expMinusX, self._sumExpMinusXY):mul(-1):add(1)
   self.dY:cdiv(self._expMinusY, self._sumExpMinusXY):mul(-1)
   if self.sizeAverage then
      self.dX:div(X:size(1))
      self.dY:div(X:size(1))
   end
   self.gradInput = {self.dX, self.dY}
   return self.gradInput
end

function DistanceRatioCriterion:type(typename, tensorCache)
   if typename then
      self._expMinusX, self._expMinusY, self._sumExpMinusXY = nil, nil, nil
      self._logSumExpMinusXY, self.loss, self.dX, self.dY = nil, nil, nil, nil
   end
   return parent.type(self, typename, tensorCache)
end

return DistanceRatioCriterion
