-- nn.Identity: passes its input through (the same tensor, not a copy).

local Identity = torch.class('nn.Identity', 'nn.Module')

function Identity:updateOutput(input)
   self.output = input
   return self.output
end

function Identity:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput
   return self.gradInput
end

-- output and gradInput are someone else's tensors: let go of them without emptying them.
function Identity:clearState()
   return nn.utils.detach(self, 'output', 'gradInput')
end

return Identity
