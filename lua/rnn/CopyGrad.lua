-- nn.CopyGrad(): an nn.Identity whose gradInput is a copy of gradOutput rather than the
-- same tensor, so that it can be changed in place (nn.NormStabilizer adds to it).

local CopyGrad = torch.class('nn.CopyGrad', 'nn.Identity')

function CopyGrad:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

return CopyGrad
