-- nn.Sequencer(module): applies module to every element of a sequence, a table of
-- tensors (or a tensor whose first dimension is time), giving a sequence of the same
-- length and kind. A module that is not recurrent is wrapped in an nn.Recursor. Before
-- each forward the recurrent state is forgotten, unless remember() says otherwise.
-- backward goes through the steps in reverse order (backpropagation through time).

local Sequencer, parent = torch.class('nn.Sequencer', 'nn.AbstractSequencer')

function Sequencer:__init(module)
   parent.__init(self)
   if not torch.isTypeOf(module, 'nn.Module') then
      error('Sequencer: expecting nn.Module instance at arg 1', 2)
   end
   self.module = torch.isTypeOf(module, 'nn.AbstractRecurrent') and module
      or nn.Recursor(module)
   self.modules = {self.module}
   self.output = {}
   self.tableoutput = {}
   self.tablegradInput = {}
   -- spare output tables of evaluation, kept out of medium serializations
   self._output = {}
   self.dpnn_mediumEmpty = {}
   for _, name in ipairs(nn.Module.dpnn_mediumEmpty) do
      self.dpnn_mediumEmpty[#self.dpnn_mediumEmpty + 1] = name
   end
   self.dpnn_mediumEmpty[#self.dpnn_mediumEmpty + 1] = '_output'
   self._remember = 'neither'
end

local function sequence_length(input)
   if torch.isTensor(input) then return input:size(1) end
   if torch.type(input) ~= 'table' then error('expecting input table', 3) end
   return #input
end

-- A tensor with the steps' outputs along a new first dimension.
local function stack(result, steps)
   result = torch.isTensor(result) and result or steps[1].new()
   result:resize(#steps, unpack(steps[1]:size():totable()))
   for step, value in ipairs(steps) do result[step]:copy(value) end
   return result
end

function Sequencer:updateOutput(input)
   local nStep = sequence_length(input)
   self.module:maxBPTTstep(nStep)
   if not self:hasMemory() then self.module:forget() end
   if self.train ~= false then
      self.tableoutput = {}
      for step = 1, nStep do
         self.tableoutput[step] = self.module:updateOutput(input[step])
      end
      self.output = torch.isTensor(input) and stack(self.output, self.tableoutput)
         or self.tableoutput
   elseif torch.isTensor(input) then
      -- in evaluation the recurrent module reuses its output: each step is copied out
      local outputs = {}
      for step = 1, nStep do
         outputs[1] = self.module:updateOutput(input[step])
         if step == 1 then
            self.output = torch.isTensor(self.output) and self.output or outputs[1].new()
            self.output:resize(nStep, unpack(outputs[1]:size():totable()))
         end
         self.output[step]:copy(outputs[1])
      end
   else
      for step = 1, nStep do
         self.tableoutput[step] = rnn.recursiveCopy(
            self.tableoutput[step] or table.remove(self._output, 1),
            self.module:updateOutput(input[step]))
      end
      for step = nStep + 1, #self.tableoutput do
         table.insert(self._output, self.tableoutput[step])
         self.tableoutput[step] = nil
      end
      self.output = self.tableoutput
   end
   return self.output
end

local function check_gradient(input, gradOutput)
   if torch.isTensor(input) then
      assert(torch.isTensor(gradOutput), 'expecting gradOutput Tensor since input is a Tensor')
      assert(gradOutput:size(1) == input:size(1),
         'gradOutput should have as many elements as input')
      return input:size(1)
   end
   assert(torch.type(gradOutput) == 'table', 'expecting gradOutput table')
   assert(#gradOutput == #input, 'gradOutput should have as many elements as input')
   return #input
end

function Sequencer:updateGradInput(input, gradOutput)
   local nStep = check_gradient(input, gradOutput)
   self.tablegradinput = {}
   for step = nStep, 1, -1 do
      self.tablegradinput[step] = self.module:updateGradInput(input[step], gradOutput[step])
   end
   self.gradInput = torch.isTensor(input) and stack(self.gradInput, self.tablegradinput)
      or self.tablegradinput
   return self.gradInput
end

function Sequencer:accGradParameters(input, gradOutput, scale)
   local nStep = check_gradient(input, gradOutput)
   for step = nStep, 1, -1 do
      self.module:accGradParameters(input[step], gradOutput[step], scale)
   end
end

function Sequencer:accUpdateGradParameters()
   error('Sequencer: accUpdateGradParameters is not implemented', 2)
end

function Sequencer:training()
   if self.train == false then
      self:forget()
      self._output = {}
      self.tableoutput = nil
   end
   parent.training(self)
end

function Sequencer:evaluate()
   if self.train ~= false then
      self:forget()
      self.tableoutput = {}
   end
   parent.evaluate(self)
end

function Sequencer:clearState()
   if torch.isTensor(self.output) then
      self.output:set()
      self.gradInput:set()
   else
      self.output = {}
      self.gradInput = {}
   end
   self._output = {}
   self.tableoutput = {}
   self.tablegradinput = {}
   self.module:clearState()
   return self
end

Sequencer.__tostring__ = nn.Decorator.__tostring__

return Sequencer
