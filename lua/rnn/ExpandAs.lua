-- nn.ExpandAs(): {a, b} -> {a, b expanded as a} (b's singleton dimensions repeated, no
-- copy). The gradient of b sums the gradient over the dimensions it was expanded along.

local ExpandAs, parent = torch.class('nn.ExpandAs', 'nn.Module')

function ExpandAs:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
   self.sum1 = torch.Tensor()
   self.sum2 = torch.Tensor()
end

function ExpandAs:updateOutput(input)
   self.output[1] = input[1]
   self.output[2] = input[2]:expandAs(input[1])
   return self.output
end

function ExpandAs:updateGradInput(input, gradOutput)
   local small, gradExpanded = input[2], gradOutput[2]
   -- sums dimension by dimension, each into the buffer the previous one did not write
   local source, buffers = gradExpanded, {self.sum1, self.sum2}
   for d = 1, small:dim() do
      if small:size(d) ~= gradExpanded:size(d) then
         local target = buffers[1]
         target:sum(source, d)
         source = target
         buffers[1], buffers[2] = buffers[2], buffers[1]
      end
   end
   self.gradInput[1] = gradOutput[1]
   self.gradInput[2] = source
   return self.gradInput
end

function ExpandAs:clearState()
   return nn.utils.clear(self, 'output', 'gradInput', 'sum1', 'sum2')
end

return ExpandAs
