-- nn.Concat(dimension): every child gets the same input; their outputs are concatenated
-- along dimension.

local Concat, parent = torch.class('nn.Concat', 'nn.Container')
local branching = require 'nn.branching'

function Concat:__init(dimension)
   parent.__init(self)
   self.outputSize = torch.LongStorage()
   self.dimension = dimension
end

-- The part of t (the output or its gradient) that holds one child's output, which starts
-- at offset along the concatenated dimension.
function Concat:windowNarrow(t, childOutput, offset)
   return t:narrow(self.dimension, offset, childOutput:size(self.dimension))
end

-- outputSize: the children's sizes, summed along the concatenated dimension.
function Concat:combineSize(outputs)
   for i, output in ipairs(outputs) do
      if i == 1 then
         self.outputSize:resize(output:dim()):copy(output:size())
      else
         self.outputSize[self.dimension] = self.outputSize[self.dimension]
            + output:size(self.dimension)
      end
   end
end

function Concat:updateOutput(input)
   self.outputSize = self.outputSize or torch.LongStorage()
   local outputs = {}
   for i = 1, #self.modules do
      outputs[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
   end
   self:combineSize(outputs)
   self.output:resize(self.outputSize)
   self:fillGaps()
   local offset = 1
   for _, output in ipairs(outputs) do
      self:windowNarrow(self.output, output, offset):copy(output)
      offset = offset + output:size(self.dimension)
   end
   return self.output
end

-- Concat's windows cover the output; subclasses whose windows do not zero the rest.
function Concat:fillGaps()
end

-- Calls fn(i, module, gradOutput window) for each child.
function Concat:eachWindow(gradOutput, fn)
   local offset = 1
   for i, module in ipairs(self.modules) do
      fn(i, module, self:windowNarrow(gradOutput, module.output, offset))
      offset = offset + module.output:size(self.dimension)
   end
end

local function backward(self, method, input, gradOutput, scale)
   local windows = {}
   self:eachWindow(gradOutput, function(i, _, window) windows[i] = window end)
   return branching.backward(self, method, input, function(i) return windows[i] end, scale)
end

function Concat:updateGradInput(input, gradOutput)
   return backward(self, 'updateGradInput', input, gradOutput)
end

function Concat:backward(input, gradOutput, scale)
   return backward(self, 'backward', input, gradOutput, scale or 1)
end

function Concat:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self:eachWindow(gradOutput, function(i, module, window)
      self:rethrowErrors(module, i, 'accGradParameters', input, window, scale)
   end)
end

function Concat:accUpdateGradParameters(input, gradOutput, lr)
   self:eachWindow(gradOutput, function(i, module, window)
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input, window, lr)
   end)
end

Concat.__tostring__ = branching.describe

return Concat
