-- nn.ZeroGrad(): passes its input on unchanged and backpropagates zeros (shaped as the
-- gradOutput, nested tables included): cuts the gradient along one path of a network.

local ZeroGrad, parent
if nn.ZeroGrad then      -- nnx has one: give it this behaviour rather than a second class
   ZeroGrad, parent = nn.ZeroGrad, nn.Module
else
   ZeroGrad, parent = torch.class('nn.ZeroGrad', 'nn.Module')
end

-- zeros shaped as template, reusing the tensors of into
local function zerosLike(into, template)
   if torch.type(template) == 'table' then
      into = torch.type(into) == 'table' and into or {}
      for key, value in pairs(template) do into[key] = zerosLike(into[key], value) end
      for key in pairs(into) do
         if template[key] == nil then into[key] = nil end
      end
      return into
   elseif torch.isTensor(template) then
      into = torch.isTensor(into) and into or template.new()
      return into:resizeAs(template):zero()
   end
   error('nn.ZeroGrad: expecting nested tensors or tables, got ' .. torch.type(template), 3)
end

function ZeroGrad:updateOutput(input)
   if torch.isTensor(input) then
      self.output = torch.isTensor(self.output) and self.output or input.new()
      self.output:set(input)
   else
      self.output = input
   end
   return self.output
end

function ZeroGrad:updateGradInput(input, gradOutput)
   self.gradInput = zerosLike(self.gradInput, gradOutput)
   return self.gradInput
end

return ZeroGrad
