-- nn.MulConstant(constant[, inplace]): multiplies the input by a fixed number. In place,
-- the input itself is changed, and restored by the backward pass.

local MulConstant, parent = torch.class('nn.MulConstant', 'nn.Module')

function MulConstant:__init(constant_scalar, ip)
   parent.__init(self)
   assert(type(constant_scalar) == 'number', 'input is not scalar!')
   self.constant_scalar = constant_scalar
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then error('in-place flag must be boolean', 2) end
end

function MulConstant:updateOutput(input)
   if self.inplace then
      input:mul(self.constant_scalar)
      self.output:set(input)
   else
      self.output:mul(input, self.constant_scalar)
   end
   return self.output
end

function MulConstant:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   if self.inplace then
      gradOutput:mul(self.constant_scalar)
      self.gradInput:set(gradOutput)
      input:div(self.constant_scalar)        -- the input as it was
   else
      self.gradInput:mul(gradOutput, self.constant_scalar)
   end
   return self.gradInput
end

return MulConstant
