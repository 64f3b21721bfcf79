-- nn.Copy([intype[, outtype[, forceCopy[, dontCast]]]]): converts its input to the tensor
-- type outtype, and the gradient back to intype (both default torch.Tensor's type). With
-- equal types and no forceCopy it passes the tensors through. dontCast: :type() leaves it
-- alone.

local Copy, parent = torch.class('nn.Copy', 'nn.Module')

local function pass_output(self, input)
   self.output:set(input)
   return input
end

local function pass_gradient(self, input, gradOutput)
   self.gradInput:set(gradOutput)
   return gradOutput
end

function Copy:__init(intype, outtype, forceCopy, dontCast)
   intype = intype or torch.Tensor.__typename
   outtype = outtype or torch.Tensor.__typename
   self.dontCast = dontCast
   parent.__init(self)
   self.gradInput = torch.getmetatable(intype).new()
   self.output = torch.getmetatable(outtype).new()
   if not forceCopy and intype == outtype then
      self.updateOutput = pass_output
      self.updateGradInput = pass_gradient
   end
end

function Copy:updateOutput(input)
   self.output:resize(input:size()):copy(input)
   return self.output
end

function Copy:updateGradInput(input, gradOutput)
   self.gradInput:resize(gradOutput:size()):copy(gradOutput)
   return self.gradInput
end

function Copy:type(typename, tensorCache)
   if typename and self.dontCast then return self end
   return parent.type(self, typename, tensorCache)
end

return Copy
