-- nn.Recurrent(start, input, feedback[, transfer[, rho[, merge]]]): a simple recurrent
-- network, one time step per forward:
--   h[1] = transfer(start(input(x[1])))
--   h[t] = transfer(merge({input(x[t]), feedback(h[t-1])}))
-- start is a module, or a size (number, table or LongStorage) for nn.Add of that size (a
-- learnt bias); transfer defaults to nn.Sigmoid(), merge to nn.CAddTable(). The first step
-- runs in self.initialModule, whose input and transfer modules share the others'
-- parameters.

local Recurrent, parent = torch.class('nn.Recurrent', 'nn.AbstractRecurrent')

-- step 1 runs in initialModule: the clones of recurrentModule start at step 2
Recurrent.firstClonedStep = 2

function Recurrent:__init(start, input, feedback, transfer, rho, merge)
   parent.__init(self, rho)
   local kind = torch.type(start)
   if kind == 'number' or kind == 'torch.LongStorage' then
      start = nn.Add(start)
   elseif kind == 'table' then
      start = nn.Add(torch.LongStorage(start))
   elseif not torch.isTypeOf(start, 'nn.Module') then
      error('Recurrent : expecting arg 1 of type nn.Module, torch.LongStorage, number or '
         .. 'table', 2)
   end
   self.startModule = start
   self.inputModule = input
   self.feedbackModule = feedback
   self.transferModule = transfer or nn.Sigmoid()
   self.mergeModule = merge or nn.CAddTable()
   self.modules = {self.startModule, self.inputModule, self.feedbackModule,
      self.transferModule, self.mergeModule}
   self.initialModule = nn.Sequential()
      :add(self.inputModule:sharedClone())
      :add(self.startModule)
      :add(self.transferModule:sharedClone())
   self.recurrentModule = nn.Sequential()
      :add(nn.ParallelTable():add(self.inputModule):add(self.feedbackModule))
      :add(self.mergeModule)
      :add(self.transferModule)
   self.sharedClones[2] = self.recurrentModule
end

function Recurrent:updateOutput(input)
   local output
   if self.step == 1 then
      output = self.initialModule:updateOutput(input)
   else
      local module = self.recurrentModule
      if self.train ~= false then
         self:recycle()
         module = self:getStepModule(self.step)
      end
      output = module:updateOutput({input, self.outputs[self.step - 1]})
   end
   self.outputs[self.step] = output
   self.output = output
   self.step = self.step + 1
   self:startBackward()
   return self.output
end

function Recurrent:_updateGradInput(input, gradOutput)
   assert(self.step > 1, 'expecting at least one updateOutput')
   local step = self.updateGradInputStep - 1
   if self.gradPrevOutput then
      -- the output of this step also fed the next one
      self._gradOutputs[step] = rnn.recursiveCopy(self._gradOutputs[step],
         self.gradPrevOutput)
      rnn.recursiveAdd(self._gradOutputs[step], gradOutput)
      gradOutput = self._gradOutputs[step]
   end
   if step > 1 then
      local gradInputs = self:getStepModule(step):updateGradInput(
         {input, self.outputs[step - 1]}, gradOutput)
      self.gradPrevOutput = gradInputs[2]
      return gradInputs[1]
   elseif step == 1 then
      return self.initialModule:updateGradInput(input, gradOutput)
   end
   error('non-positive time-step', 2)
end

function Recurrent:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   if step ~= self.step - 1 then gradOutput = self._gradOutputs[step] end
   if step > 1 then
      self:getStepModule(step):accGradParameters({input, self.outputs[step - 1]},
         gradOutput, scale)
   elseif step == 1 then
      self.initialModule:accGradParameters(input, gradOutput, scale)
   else
      error('non-positive time-step', 2)
   end
end

-- The modules and the way they connect, indented as nn's containers print.
function Recurrent:moduleOfStep(step)
   if step == 1 then return self.initialModule end
   return self:getStepModule(step)
end

function Recurrent:__tostring__()
   local function show(module, indent)
      return tostring(module):gsub('\n', '\n' .. indent)
   end
   return torch.type(self) .. ' {\n'
      .. '  [{input(t), output(t-1)} -> (1) -> (2) -> (3) -> output(t)]\n'
      .. '  (1):  {\n'
      .. '    input(t)\n'
      .. '      |`-> (t==0): ' .. show(self.startModule, '      |    ') .. '\n'
      .. '      |`-> (t~=0): ' .. show(self.inputModule, '      |    ') .. '\n'
      .. '    output(t-1)\n'
      .. '      |`-> ' .. show(self.feedbackModule, '      |    ') .. '\n'
      .. '  }\n'
      .. '  (2): ' .. show(self.mergeModule, '  ') .. '\n'
      .. '  (3): ' .. show(self.transferModule, '  ') .. '\n'
      .. '}'
end

function Recurrent:maskZero()
   error("Recurrent doesn't support maskZero as it uses a different module for the "
      .. 'first time-step. Use nn.Recurrence instead.', 2)
end

function Recurrent:trimZero()
   error("Recurrent doesn't support trimZero as it uses a different module for the "
      .. 'first time-step. Use nn.Recurrence instead.', 2)
end

return Recurrent
