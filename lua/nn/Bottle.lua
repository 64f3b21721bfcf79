-- nn.Bottle(module[, nInputDim[, nOutputDim]]): runs module (which takes nInputDim
-- dimensions, default 2, and gives nOutputDim, default nInputDim) on an input with more
-- leading dimensions, by folding them all into the first one and unfolding the result.

local Bottle, parent = torch.class('nn.Bottle', 'nn.Decorator')

function Bottle:__init(module, nInputDim, nOutputDim)
   parent.__init(self, module)
   self.nInputDim = nInputDim or 2
   self.nOutputDim = nOutputDim or self.nInputDim
   self.dimDelta = self.nInputDim - self.nOutputDim
   -- the folded shapes of the last call, as the original kept them
   self.inShape = torch.Tensor(self.nInputDim)
   self.outShape = torch.Tensor(self.nOutputDim)
end

function Bottle:updateOutput(input)
   local batchDims = input:dim() - self.nInputDim + 1
   if batchDims <= 1 then
      self.output:set(self.modules[1]:updateOutput(input))
      return self.output
   end
   local size = input:size():totable()
   local folded = 1
   for d = 1, batchDims - 1 do folded = folded * size[d] end
   local inShape = {}
   for d = batchDims, input:dim() do inShape[#inShape + 1] = size[d] end
   inShape[1] = inShape[1] * folded
   self.inShape:copy(torch.Tensor(inShape))
   local output = self.modules[1]:updateOutput(input:view(unpack(inShape)))
   assert(output:dim() == self.nOutputDim, 'Wrong number of output dims on module. '
      .. 'Expected: ' .. self.nOutputDim .. ' but got ' .. tostring(output and output:dim()))
   local outShape = output:size():totable()
   self.outShape:copy(torch.Tensor(outShape))
   local unfolded = {}
   for d = 1, batchDims - 1 do unfolded[d] = size[d] end
   for d = 1, #outShape do unfolded[batchDims - 1 + d] = outShape[d] end
   unfolded[batchDims] = unfolded[batchDims] / folded
   self.output:set(output:view(unpack(unfolded)))
   return self.output
end

function Bottle:updateGradInput(input, gradOutput)
   local module = self.modules[1]
   if input:dim() > self.nInputDim then
      module:updateGradInput(input:view(unpack(self.inShape:totable())),
         gradOutput:view(unpack(self.outShape:totable())))
      if module.gradInput then
         self.gradInput:set(module.gradInput:viewAs(input))
      else
         self.gradInput = nil
      end
   elseif module.gradInput then
      self.gradInput:set(module:updateGradInput(input, gradOutput))
   else
      self.gradInput = nil
   end
   return self.gradInput
end

function Bottle:accGradParameters(input, gradOutput, scale)
   if input:dim() > self.nInputDim then
      input = input:view(unpack(self.inShape:totable()))
      gradOutput = gradOutput:view(unpack(self.outShape:totable()))
   end
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

return Bottle
