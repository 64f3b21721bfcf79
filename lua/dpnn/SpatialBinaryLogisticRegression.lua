-- nn.SpatialBinaryLogisticRegression(): the two-class logistic loss per pixel,
-- log(1 + exp(-t x)), for one-plane score maps x and target maps t in {-1, 1}, shaped
-- 1 x height x width or batch x 1 x height x width. The sum is divided by
-- 2 * height * width, and by the batch size too when sizeAverage (set to true).

local SpatialBinaryLogisticRegression, parent =
   torch.class('nn.SpatialBinaryLogisticRegression', 'nn.Criterion')

function SpatialBinaryLogisticRegression:__init()
   parent.__init(self)
   self.sizeAverage = true
end

-- The divisor of the summed loss for this input's shape.
local function normalizer(self, input)
   local dim = input:nDimension()
   local images = dim == 4 and input:size(1) or 1
   local size = 2 * input:size(dim - 1) * input:size(dim)
   if self.sizeAverage then size = size * images end
   return size
end

function SpatialBinaryLogisticRegression:updateOutput(input, target)
   local dim = input:nDimension()
   if dim ~= target:nDimension() then
      error("nDimension of input and target don't match.", 2)
   end
   if dim ~= 3 and dim ~= 4 then error("Expecting image or batch on images", 2) end
   for i = 1, dim do
      if input:size(i) ~= target:size(i) then
         error("Input and target dimensions don't match.", 2)
      end
   end
   if input:size(dim - 2) ~= 1 then error("No. of channels should be 1.", 2) end

   -- exp(-t x) and 1 + exp(-t x) are kept for the gradient.
   self._exponential = self._exponential or input.new()
   self._exponential:resizeAs(input):copy(input):cmul(target):mul(-1):exp()
   self._denominator = self._denominator or input.new()
   self._denominator:resizeAs(input):copy(self._exponential):add(1)
   self._log = self._log or input.new()
   self._log:resizeAs(input):copy(self._denominator):log()
   self._normalizer = normalizer(self, input)
   self.output = self._log:sum() / self._normalizer
   return self.output
end

-- d/dx log(1 + exp(-t x)) = -t exp(-t x) / (1 + exp(-t x)), over the same divisor.
function SpatialBinaryLogisticRegression:updateGradInput(input, target)
   self.gradInput:resizeAs(target):copy(target):mul(-1)
   self.gradInput:cmul(self._exponential):cdiv(self._denominator)
   self.gradInput:div(self._normalizer)
   return self.gradInput
end

function SpatialBinaryLogisticRegression:type(type, tensorCache)
   if type then
      self._exponential, self._denominator, self._log = nil, nil, nil
   end
   return parent.type(self, type, tensorCache)
end

return SpatialBinaryLogisticRegression
