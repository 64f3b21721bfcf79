-- nn.SoftSign: x / (1 + |x|); the gradient is gradOutput / (1 + |x|)^2.

local SoftSign, parent = torch.class('nn.SoftSign', 'nn.Module')

function SoftSign:updateOutput(input)
   self.temp = self.temp or input.new()
   self.temp:abs(input):add(1)
   return self.output:cdiv(input, self.temp)
end

function SoftSign:updateGradInput(input, gradOutput)
   self.tempgrad = self.tempgrad or input.new()
   self.tempgrad:abs(input):add(1)
   self.tempgrad:cmul(self.tempgrad)
   return self.gradInput:cdiv(gradOutput, self.tempgrad)
end

function SoftSign:clearState()
   nn.utils.clear(self, 'temp', 'tempgrad')
   return parent.clearState(self)
end

return SoftSign
