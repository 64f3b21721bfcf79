-- nn.Clip(minval, maxval): the input bounded to [minval, maxval]; the gradient passes
-- through unchanged, as in dpnn.

local Clip, parent = torch.class('nn.Clip', 'nn.Module')

function Clip:__init(minval, maxval)
   if torch.type(minval) ~= 'number' or torch.type(maxval) ~= 'number' then
      error('nn.Clip(minval, maxval) expects two numbers', 2)
   end
   parent.__init(self)
   self.minval = minval
   self.maxval = maxval
end

function Clip:updateOutput(input)
   self.output:resizeAs(input):copy(input):clamp(self.minval, self.maxval)
   return self.output
end

function Clip:updateGradInput(input, gradOutput)
   self.gradInput:set(gradOutput)
   return self.gradInput
end

return Clip
