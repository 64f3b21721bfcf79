-- nn.Reshape(d1, d2, ...[, batchMode]) or nn.Reshape(LongStorage[, batchMode]): the input's
-- elements seen with the sizes given. An input with more elements than that (or whose
-- first size is 1) is taken as a batch and keeps its first size, unless batchMode says
-- which it is: true for always a batch, false for never.

local Reshape, parent = torch.class('nn.Reshape', 'nn.Module')
local THNN = require 'nn.THNN'

function Reshape:__init(...)
   parent.__init(self)
   local args = {...}
   self.size = torch.LongStorage()
   self.batchsize = torch.LongStorage()
   if torch.type(args[#args]) == 'boolean' then
      self.batchMode = table.remove(args)
   end
   if #args == 1 and torch.typename(args[1]) == 'torch.LongStorage' then
      self.size:resize(#args[1]):copy(args[1])
   else
      self.size:resize(#args)
      for i = 1, #args do self.size[i] = args[i] end
   end
   -- batchsize holds the sizes after a leading batch size, filled in per call
   self.nelement = 1
   self.batchsize:resize(#self.size + 1)
   for i = 1, #self.size do
      self.nelement = self.nelement * self.size[i]
      self.batchsize[i + 1] = self.size[i]
   end
end

function Reshape:updateOutput(input)
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input)
      input = self._input
   end
   local single = self.batchMode == false or (self.batchMode == nil
      and input:nElement() == self.nelement and input:size(1) ~= 1)
   if single then
      self.output:set(input:view(self.size))
   else
      THNN.assert(self, input:dim() > 0 and input:nElement() == input:size(1) * self.nelement,
         'input of size %s cannot be reshaped to %s (%d elements per sample)',
         THNN.sizes(input), table.concat(self.size:totable(), 'x'), self.nelement)
      self.batchsize[1] = input:size(1)
      self.output:set(input:view(self.batchsize))
   end
   return self.output
end

function Reshape:updateGradInput(input, gradOutput)
   if not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      gradOutput = self._gradOutput
   end
   self.gradInput:set(gradOutput:viewAs(input))
   return self.gradInput
end

function Reshape:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), 'x') .. ')'
end

function Reshape:clearState()
   nn.utils.clear(self, '_input', '_gradOutput')
   return parent.clearState(self)
end

return Reshape
