-- nn.CMul(size...) or nn.CMul(LongStorage): multiplies the input element-wise by a learnt
-- weight tensor of that size, expanded over the batch or over any dimension of size 1.

local CMul, parent = torch.class('nn.CMul', 'nn.Module')
local THNN = require 'nn.THNN'

function CMul:__init(...)
   parent.__init(self)
   local args = {...}
   if #args == 1 and torch.type(args[1]) == 'torch.LongStorage' then
      self.size = torch.LongStorage(#args[1]):copy(args[1])
   else
      self.size = torch.LongStorage(args)
   end
   self.weight = torch.Tensor(self.size)
   self.gradWeight = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CMul:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:nElement())
   end
   self.weight:uniform(-stdv, stdv)
end

-- t (the input's size) and param (the weight's) as views that line up.
local function aligned(t, param, batch)
   if param:dim() == t:dim() then return t, param end
   return t:view(batch, -1), param:view(1, -1)
end

function CMul:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if input:nElement() == self.weight:nElement() then
      self.output:view(-1):cmul(self.weight:view(-1))
   else
      THNN.assert(self, self.weight:dim() == input:dim() or (input:dim() > 0
         and input:nElement() / input:size(1) == self.weight:nElement()),
         'input of size %s does not match the weight of size %s (per sample, or as a whole)',
         THNN.sizes(input), THNN.sizes(self.weight))
      local output, weight = aligned(self.output, self.weight, input:size(1))
      output:cmul(weight:expandAs(output))
   end
   return self.output
end

function CMul:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self.gradInput:resizeAs(input):zero()
   if self.weight:nElement() == gradOutput:nElement() then
      self.gradInput:addcmul(1, self.weight, gradOutput)
   else
      self._gradOutput = nn.utils.contiguousView(self._gradOutput, gradOutput,
         gradOutput:size())
      local gradInput, weight = aligned(self.gradInput, self.weight, input:size(1))
      local grad = aligned(self._gradOutput, self.weight, input:size(1))
      gradInput:addcmul(1, weight:expandAs(grad), grad)
   end
   return self.gradInput
end

-- The gradient is input * gradOutput summed over the dimensions the weight was expanded
-- along.
function CMul:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if self.weight:nElement() == gradOutput:nElement() then
      self.gradWeight:addcmul(scale, input, gradOutput)
      return
   end
   self._repeat = self._repeat or input.new()
   self._repeat:resizeAs(input):copy(input):cmul(gradOutput)
   local product, gradWeight = aligned(self._repeat, self.gradWeight, input:size(1))
   for d = 1, gradWeight:dim() do
      if gradWeight:size(d) == 1 and product:size(d) ~= 1 then
         self._sum = self._sum or product.new()
         product = self._sum:sum(product, d):clone()
      end
   end
   gradWeight:add(scale, product)
end

function CMul:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function CMul:clearState()
   nn.utils.clear(self, {'_input', '_output', '_weight', '_gradWeight', '_expand', '_repeat',
      '_sum', '_gradOutput'})
   return parent.clearState(self)
end

return CMul
