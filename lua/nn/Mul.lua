-- nn.Mul: multiplies the input by one learnt number.

local Mul, parent = torch.class('nn.Mul', 'nn.Module')

function Mul:__init()
   parent.__init(self)
   self.weight = torch.Tensor(1)
   self.gradWeight = torch.Tensor(1)
   self:reset()
end

function Mul:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
end

function Mul:updateOutput(input)
   return self.output:mul(input, self.weight[1])
end

function Mul:updateGradInput(input, gradOutput)
   return self.gradInput:mul(gradOutput, self.weight[1])
end

function Mul:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self.gradWeight[1] = self.gradWeight[1] + scale * input:dot(gradOutput)
end

return Mul
