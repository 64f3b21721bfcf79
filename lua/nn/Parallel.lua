-- nn.Parallel(inputDimension, outputDimension): child i gets slice i of the input along
-- inputDimension; their outputs are concatenated along outputDimension.

local Parallel, parent = torch.class('nn.Parallel', 'nn.Container')
local branching = require 'nn.branching'

function Parallel:__init(inputDimension, outputDimension)
   parent.__init(self)
   self.modules = {}
   self.inputDimension = inputDimension
   self.outputDimension = outputDimension
end

function Parallel:updateOutput(input)
   local n = input:size(self.inputDimension)
   local outputs = {}
   self.totalOutputSize = self.totalOutputSize or torch.LongStorage()
   local size = self.totalOutputSize
   for i = 1, n do
      local output = self:rethrowErrors(self.modules[i], i, 'updateOutput',
         input:select(self.inputDimension, i))
      outputs[i] = output
      if i == 1 then
         size:resize(output:dim()):copy(output:size())
      else
         size[self.outputDimension] = size[self.outputDimension]
            + output:size(self.outputDimension)
      end
   end
   self.output:resize(size)
   local offset = 1
   for i = 1, n do
      local length = outputs[i]:size(self.outputDimension)
      self.output:narrow(self.outputDimension, offset, length):copy(outputs[i])
      offset = offset + length
   end
   return self.output
end

-- Calls fn(i, module, input slice, gradOutput window) for each child.
function Parallel:eachChild(input, gradOutput, fn)
   local offset = 1
   for i = 1, input:size(self.inputDimension) do
      local module = self.modules[i]
      local length = module.output:size(self.outputDimension)
      fn(i, module, input:select(self.inputDimension, i),
         gradOutput:narrow(self.outputDimension, offset, length))
      offset = offset + length
   end
end

function Parallel:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input)
   self:eachChild(input, gradOutput, function(i, module, slice, window)
      local gradInput = self:rethrowErrors(module, i, 'updateGradInput', slice, window)
      self.gradInput:select(self.inputDimension, i):copy(gradInput)
   end)
   return self.gradInput
end

function Parallel:accGradParameters(input, gradOutput, scale)
   self:eachChild(input, gradOutput, function(i, module, slice, window)
      self:rethrowErrors(module, i, 'accGradParameters', slice, window, scale)
   end)
end

function Parallel:accUpdateGradParameters(input, gradOutput, lr)
   self:eachChild(input, gradOutput, function(i, module, slice, window)
      self:rethrowErrors(module, i, 'accUpdateGradParameters', slice, window, lr)
   end)
end

Parallel.__tostring__ = branching.describe

return Parallel
