-- nn.Repeater(module, rho): feeds the same input to module for rho time steps and returns
-- the rho outputs as a table (module is wrapped in an nn.Recursor unless recurrent). The
-- gradient of the input sums the steps' gradients.

local Repeater, parent = torch.class('nn.Repeater', 'nn.AbstractSequencer')

function Repeater:__init(module, rho)
   parent.__init(self)
   if torch.type(rho) ~= 'number' then error('expecting number value for arg 2', 2) end
   self.rho = rho
   self.module = torch.isTypeOf(module, 'nn.AbstractRecurrent') and module
      or nn.Recursor(module)
   self.module:maxBPTTstep(rho)
   self.modules[1] = self.module
   self.output = {}
end

function Repeater:updateOutput(input)
   self.module:forget()
   for step = 1, self.rho do
      self.output[step] = rnn.recursiveCopy(self.output[step], self.module:updateOutput(input))
   end
   return self.output
end

local function check_gradient(self, gradOutput)
   assert(self.module.step - 1 == self.rho, 'inconsistent rnn steps')
   assert(torch.type(gradOutput) == 'table', 'expecting gradOutput table')
   assert(#gradOutput == self.rho, 'gradOutput should have rho elements')
end

function Repeater:updateGradInput(input, gradOutput)
   check_gradient(self, gradOutput)
   for step = self.rho, 1, -1 do
      local gradInput = self.module:updateGradInput(input, gradOutput[step])
      if step == self.rho then
         self.gradInput = rnn.recursiveCopy(self.gradInput, gradInput)
      else
         rnn.recursiveAdd(self.gradInput, gradInput)
      end
   end
   return self.gradInput
end

function Repeater:accGradParameters(input, gradOutput, scale)
   check_gradient(self, gradOutput)
   for step = self.rho, 1, -1 do
      self.module:accGradParameters(input, gradOutput[step], scale)
   end
end

function Repeater:maxBPTTstep(rho)
   self.rho = rho
   self.module:maxBPTTstep(rho)
end

function Repeater:__tostring__()
   local inner = tostring(self.modules[1]):gsub('\n', '\n  ')
   return torch.type(self) .. ' {\n'
      .. '  [  input,    input,  ...,  input  ]\n'
      .. '       V         V             V     \n'
      .. '  ' .. inner .. '\n'
      .. '       V         V             V     \n'
      .. '  [output(1),output(2),...,output(' .. self.rho .. ')]\n}'
end

return Repeater
