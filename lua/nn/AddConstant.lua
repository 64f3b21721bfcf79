-- nn.AddConstant(constant[, inplace]): adds a fixed number (or a vector, to each row of a
-- matrix). In place, the input itself is changed, and restored by the backward pass.

local AddConstant, parent = torch.class('nn.AddConstant', 'nn.Module')

function AddConstant:__init(constant_scalar, ip)
   parent.__init(self)
   self.constant_scalar = constant_scalar
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then error('in-place flag must be boolean', 2) end
end

-- The constant in a form that adds to the input: a number, or a vector repeated per row.
local function addend(self, input)
   local c = self.constant_scalar
   assert(type(c) == 'number' or (torch.isTensor(c) and input:nDimension() <= 2
      and input:size(input:nDimension()) == c:size(1)),
      'input is not scalar or doesn\'t match with the dimension of constant!')
   if torch.isTensor(c) and input:nDimension() == 2 then
      return c:view(1, c:size(1)):expand(input:size(1), c:size(1))
   end
   return c
end

function AddConstant:updateOutput(input)
   local c = addend(self, input)
   if self.inplace then
      input:add(c)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):add(c)
   end
   return self.output
end

function AddConstant:updateGradInput(input, gradOutput)
   if self.inplace then
      self.gradInput:set(gradOutput)
      local c = addend(self, input)          -- subtracted: the input as it was
      if type(c) == 'number' then input:add(-c) else input:add(-1, c) end
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
   return self.gradInput
end

return AddConstant
