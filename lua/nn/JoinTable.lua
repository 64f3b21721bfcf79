-- nn.JoinTable(dimension[, nInputDims]): the tensors of the input table concatenated along
-- dimension (negative counts from the last; counted within a sample when nInputDims says
-- the inputs are batches).

local JoinTable, parent = torch.class('nn.JoinTable', 'nn.Module')
local THNN = require 'nn.THNN'

function JoinTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.size = torch.LongStorage()
   self.dimension = dimension
   self.gradInput = {}
   self.nInputDims = nInputDims
end

function JoinTable:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input[1]:dim() + dimension + 1
   elseif self.nInputDims and input[1]:dim() == self.nInputDims + 1 then
      dimension = dimension + 1
   end
   return dimension
end

-- The inputs must agree in every dimension but the joined one.
local function check(self, input, dimension)
   for i = 2, #input do
      local ok = input[i]:dim() == input[1]:dim()
      for d = 1, input[1]:dim() do
         ok = ok and (d == dimension or input[i]:size(d) == input[1]:size(d))
      end
      if not ok then
         THNN.fail(self, 'input %d of size %s cannot be joined to input 1 of size %s along '
            .. 'dimension %d', i, THNN.sizes(input[i]), THNN.sizes(input[1]), dimension)
      end
   end
end

function JoinTable:updateOutput(input)
   local dimension = self:_getPositiveDimension(input)
   check(self, input, dimension)
   for i = 1, #input do
      if i == 1 then
         self.size:resize(input[i]:dim()):copy(input[i]:size())
      else
         self.size[dimension] = self.size[dimension] + input[i]:size(dimension)
      end
   end
   self.output:resize(self.size)
   local offset = 1
   for i = 1, #input do
      local length = input[i]:size(dimension)
      self.output:narrow(dimension, offset, length):copy(input[i])
      offset = offset + length
   end
   return self.output
end

function JoinTable:updateGradInput(input, gradOutput)
   local dimension = self:_getPositiveDimension(input)
   local offset = 1
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      local length = input[i]:size(dimension)
      self.gradInput[i]:resizeAs(input[i]):copy(gradOutput:narrow(dimension, offset, length))
      offset = offset + length
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

function JoinTable:type(typename, tensorCache)
   self.gradInput = {}
   return parent.type(self, typename, tensorCache)
end

return JoinTable
