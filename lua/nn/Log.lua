-- nn.Log: log(x); the gradient is gradOutput / x.

local Log = torch.class('nn.Log', 'nn.Module')

function Log:updateOutput(input)
   return self.output:log(input)
end

function Log:updateGradInput(input, gradOutput)
   return self.gradInput:cdiv(gradOutput, input)
end

return Log
