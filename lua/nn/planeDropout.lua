-- What SpatialDropout and VolumetricDropout share: one Bernoulli draw per plane (batch x
-- planes, then size 1 in each of the `dims` spatial dimensions), expanded over the plane.

local planeDropout = {}

function planeDropout.updateOutput(self, input, dims, message)
   self.output:resizeAs(input):copy(input)
   if self.train or self.stochastic_inference then
      local n = input:dim()
      if n ~= dims + 1 and n ~= dims + 2 then error(message, 3) end
      local size = {}
      for d = 1, n - dims do size[d] = input:size(d) end
      for d = n - dims + 1, n do size[d] = 1 end
      self.noise:resize(unpack(size)):bernoulli(1 - self.p)
      self.output:cmul(self.noise:expandAs(input))
   else
      self.output:mul(1 - self.p)
   end
   return self.output
end

function planeDropout.updateGradInput(self, input, gradOutput)
   if not self.train then error('backprop only defined while training', 2) end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   self.gradInput:cmul(self.noise:expandAs(input))
   return self.gradInput
end

function planeDropout.setp(self, p)
   self.p = p
end

function planeDropout.tostring(self)
   return string.format('%s(%f)', torch.type(self), self.p)
end

function planeDropout.clearState(self, parent)
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end

return planeDropout
