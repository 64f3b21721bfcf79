-- nn.CAddTensorTable: given {t, {t1, t2, ...}}, the table {t + t1, t + t2, ...}.

local CAddTensorTable, parent = torch.class('nn.CAddTensorTable', 'nn.Module')

function CAddTensorTable:__init()
   parent.__init(self)
   self.gradInput = {}
end

function CAddTensorTable:updateOutput(input)
   local t, list = input[1], input[2]
   local output = {}
   for i = 1, #list do
      output[i] = t.new():resizeAs(t):copy(list[i]):add(t)
   end
   self.output = output
   return self.output
end

function CAddTensorTable:updateGradInput(input, gradOutput)
   local t, list = input[1], input[2]
   self.gradInput[1] = self.gradInput[1] or t.new()
   self.gradInput[1]:resizeAs(t):copy(gradOutput[1])
   for i = 2, #list do self.gradInput[1]:add(gradOutput[i]) end
   self.gradInput[2] = self.gradInput[2] or {}
   local grads = self.gradInput[2]
   for i = 1, #list do
      grads[i] = grads[i] or t.new()
      grads[i]:resizeAs(t):copy(gradOutput[i])
   end
   for i = #list + 1, #grads do grads[i] = nil end
   return self.gradInput
end

return CAddTensorTable
