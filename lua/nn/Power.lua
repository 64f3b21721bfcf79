-- nn.Power(p): x^p; the gradient is p * x^(p-1) * gradOutput.

local Power, parent = torch.class('nn.Power', 'nn.Module')

function Power:__init(p)
   parent.__init(self)
   if not p then error('nn.Power(power)', 2) end
   self.pow = p
end

function Power:updateOutput(input)
   return self.output:pow(input, self.pow)
end

function Power:updateGradInput(input, gradOutput)
   self.gradInput:pow(input, self.pow - 1)
   return self.gradInput:cmul(gradOutput):mul(self.pow)
end

return Power
