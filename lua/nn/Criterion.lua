-- nn.Criterion: a loss. forward(input, target) gives a number (also kept in self.output);
-- backward(input, target) the loss's gradient with respect to the input.

local Criterion = torch.class('nn.Criterion')

function Criterion:__init()
   self.gradInput = torch.Tensor()
   self.output = 0
end

function Criterion:updateOutput(input, target)
end

function Criterion:forward(input, target)
   return self:updateOutput(input, target)
end

function Criterion:backward(input, target)
   return self:updateGradInput(input, target)
end

function Criterion:updateGradInput(input, target)
end

-- A copy sharing nothing with self (see nn.utils.deepCopy).
function Criterion:clone()
   return nn.utils.deepCopy(self)
end

function Criterion:type(typename, tensorCache)
   assert(typename, 'Criterion: must provide a type to convert to')
   for key, value in pairs(self) do
      self[key] = nn.utils.recursiveType(value, typename, tensorCache)
   end
   return self
end

function Criterion:float()
   return self:type('torch.FloatTensor')
end

function Criterion:double()
   return self:type('torch.DoubleTensor')
end

function Criterion:cuda()
   return self:type('torch.CudaTensor')
end

function Criterion:__call__(input, target)
   self.output = self:forward(input, target)
   self.gradInput = self:backward(input, target)
   return self.output, self.gradInput
end

return Criterion
