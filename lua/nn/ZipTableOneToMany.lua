-- nn.ZipTableOneToMany: {e, {a1, a2, ...}} becomes {{e, a1}, {e, a2}, ...}; e's gradient
-- is the sum of its copies'.

local ZipTableOneToMany, parent = torch.class('nn.ZipTableOneToMany', 'nn.Module')

function ZipTableOneToMany:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
   self.gradInputEl = torch.Tensor()
end

function ZipTableOneToMany:updateOutput(input)
   assert(#input == 2, 'input must be table of element and table')
   local element, list = input[1], input[2]
   self.output = {}
   for i, v in ipairs(list) do self.output[i] = {element, v} end
   return self.output
end

function ZipTableOneToMany:updateGradInput(input, gradOutput)
   assert(#input == 2, 'input must be table of element and table')
   self.gradInputEl:resizeAs(input[1]):zero()
   local grads = {}
   for i, pair in ipairs(gradOutput) do
      self.gradInputEl:add(pair[1])
      grads[i] = pair[2]
   end
   self.gradInput = {self.gradInputEl, grads}
   return self.gradInput
end

return ZipTableOneToMany
