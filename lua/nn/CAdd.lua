-- nn.CAdd(size...) or nn.CAdd(LongStorage): adds a learnt bias tensor of that size to the
-- input; the bias is expanded over the batch, or over any dimension where its size is 1.

local CAdd, parent = torch.class('nn.CAdd', 'nn.Module')

local function size_of(...)
   local args = {...}
   if #args == 1 and torch.type(args[1]) == 'torch.LongStorage' then
      return torch.LongStorage(#args[1]):copy(args[1])
   end
   return torch.LongStorage(args)
end

function CAdd:__init(...)
   parent.__init(self)
   self.size = size_of(...)
   self.bias = torch.Tensor(self.size)
   self.gradBias = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CAdd:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.bias:nElement())
   end
   self.bias:uniform(-stdv, stdv)
end

-- t (the input's size) and param (the bias's) as views that line up: the same dimensions,
-- or samples x features when the bias has fewer dimensions.
local function aligned(t, param, batch)
   if param:dim() == t:dim() then return t, param end
   return t:view(batch, -1), param:view(1, -1)
end

function CAdd:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if input:nElement() == self.bias:nElement() then
      self.output:add(self.bias)
   else
      local output, bias = aligned(self.output, self.bias, input:size(1))
      output:add(bias:expandAs(output))
   end
   return self.output
end

function CAdd:updateGradInput(input, gradOutput)
   self.gradInput = self.gradInput or input.new()
   return self.gradInput:resizeAs(gradOutput):copy(gradOutput)
end

-- The gradient is gradOutput summed over the dimensions the bias was expanded along.
function CAdd:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if self.bias:nElement() == gradOutput:nElement() then
      self.gradBias:add(scale, gradOutput)
      return
   end
   local grad, gradBias = aligned(nn.utils.contiguousView(self._gradOutput, gradOutput,
      gradOutput:size()), self.gradBias, input:size(1))
   self._gradOutput = grad
   for d = 1, gradBias:dim() do
      if gradBias:size(d) == 1 and grad:size(d) ~= 1 then
         self._sum = self._sum or grad.new()
         grad = self._sum:sum(grad, d):clone()
      end
   end
   gradBias:add(scale, grad)
end

function CAdd:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function CAdd:clearState()
   nn.utils.clear(self, {'_gradBias', '_expand', '_output', '_bias', '_repeat', '_gradOutput',
      '_sum'})
   return parent.clearState(self)
end

return CAdd
