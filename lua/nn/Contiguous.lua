-- nn.Contiguous: the input itself when contiguous, else a contiguous copy (and likewise
-- for the gradient).

local Contiguous = torch.class('nn.Contiguous', 'nn.Module')

local function contiguous_into(result, t)
   if t:isContiguous() then
      result:set(t)
   else
      -- a result still viewing t's memory must not be resized over it
      if result:storage() == t:storage() then result:set() end
      result:resizeAs(t):copy(t)
   end
   return result
end

function Contiguous:updateOutput(input)
   return contiguous_into(self.output, input)
end

function Contiguous:updateGradInput(input, gradOutput)
   return contiguous_into(self.gradInput, gradOutput)
end

return Contiguous
