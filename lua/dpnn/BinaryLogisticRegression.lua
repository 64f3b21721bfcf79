-- nn.BinaryLogisticRegression([sizeAverage]): the two-class logistic loss
-- sum_i log(1 + exp(-t_i x_i)) for scores x and targets t in {-1, 1}, both given as a
-- vector of batchSize or a batchSize x 1 (or 1 x batchSize) matrix; divided by the number
-- of elements when sizeAverage (the default).

local BinaryLogisticRegression, parent =
   torch.class('nn.BinaryLogisticRegression', 'nn.Criterion')

function BinaryLogisticRegression:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage == nil then
      self.sizeAverage = true
   else
      self.sizeAverage = sizeAverage
   end
end

-- A vector, or a matrix with one row or one column.
local function check_shape(tensor, name)
   local dim = tensor:nDimension()
   if dim ~= 1 and dim ~= 2 then
      error(name .. ":Expecting batchSize or batchSize x 1", 3)
   end
   if dim == 2 and tensor:size(1) ~= 1 and tensor:size(2) ~= 1 then
      error(name .. ": Expecting batchSize x 1.", 3)
   end
end

function BinaryLogisticRegression:updateOutput(input, target)
   check_shape(input, "Input")
   check_shape(target, "Target")
   if input:nElement() ~= target:nElement() then
      error("No of input and target elements should be same.", 2)
   end
   self._count = input:nElement()
   -- exp(-t x) and 1 + exp(-t x) are kept for the gradient.
   self._exponential = self._exponential or input.new()
   self._exponential:resize(self._count):copy(input:reshape(self._count))
   self._exponential:cmul(target:reshape(self._count)):mul(-1):exp()
   self._denominator = self._denominator or input.new()
   self._denominator:resizeAs(self._exponential):copy(self._exponential):add(1)
   self._log = self._log or input.new()
   self._log:resizeAs(self._denominator):copy(self._denominator):log()
   self.output = self._log:sum()
   if self.sizeAverage then self.output = self.output / self._count end
   return self.output
end

-- d/dx log(1 + exp(-t x)) = -t exp(-t x) / (1 + exp(-t x)).
function BinaryLogisticRegression:updateGradInput(input, target)
   self.gradInput:resizeAs(input)
   local flat = self.gradInput:view(self._count)
   flat:copy(target:reshape(self._count)):mul(-1)
   flat:cmul(self._exponential):cdiv(self._denominator)
   if self.sizeAverage then flat:div(self._count) end
   return self.gradInput
end

function BinaryLogisticRegression:type(type, tensorCache)
   if type then
      self._exponential, self._denominator, self._log = nil, nil, nil
   end
   return parent.type(self, type, tensorCache)
end

return BinaryLogisticRegression
