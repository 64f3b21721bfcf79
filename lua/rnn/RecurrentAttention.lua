-- nn.RecurrentAttention(rnn, action, nStep, hiddenSize): the recurrent attention model's
-- loop (Mnih et al., "Recurrent Models of Visual Attention"). For nStep steps, action
-- chooses where to look from the previous output of rnn (from zeros of batch x hiddenSize
-- at the first step), and rnn takes {input, action} to its next output:
--   a[1] = action(0),  a[t] = action(h[t-1]),  h[t] = rnn({input, a[t]})
-- The output is {h[1], ..., h[nStep]} ({{h[t], a[t]}} with forwardActions = true).
-- rnn and action are recurrent modules, or modules wrapped in nn.Recursor. Actions are
-- treated as samples: no gradient goes back through rnn's action input, and action gets a
-- zero gradOutput (a REINFORCE module such as dpnn's ReinforceNormal learns from its reward
-- instead) unless forwardActions is set, when it gets the gradient given for a[t].

local RecurrentAttention, parent = torch.class('nn.RecurrentAttention', 'nn.AbstractSequencer')

local function recurrentOf(module)
   if torch.isTypeOf(module, 'nn.AbstractRecurrent') then return module end
   return nn.Recursor(module)
end

function RecurrentAttention:__init(rnn, action, nStep, hiddenSize)
   parent.__init(self)
   if not torch.isTypeOf(rnn, 'nn.Module') then
      error('nn.RecurrentAttention: expecting nn.Module rnn at arg 1', 2)
   end
   if not torch.isTypeOf(action, 'nn.Module') then
      error('nn.RecurrentAttention: expecting nn.Module action at arg 2', 2)
   end
   if torch.type(nStep) ~= 'number' then
      error('nn.RecurrentAttention: expecting number nStep at arg 3', 2)
   end
   if torch.type(hiddenSize) ~= 'table' or torch.type(hiddenSize[1]) ~= 'number' then
      error('nn.RecurrentAttention: expecting a table of numbers hiddenSize at arg 4 '
         .. '(table hidden layers are not supported)', 2)
   end
   self.rnn = recurrentOf(rnn)
   self.action = recurrentOf(action)
   self.nStep = nStep
   self.hiddenSize = hiddenSize
   self.modules = {self.rnn, self.action}
   self.output = {}
   self.actions = {}
   self.forwardActions = false
   self.gradHidden = {}
end

function RecurrentAttention:updateOutput(input)
   self.rnn:forget()
   self.action:forget()
   for step = 1, self.nStep do
      local seen
      if step == 1 then
         self._initInput = self._initInput or input.new()
         self._initInput:resize(input:size(1), unpack(self.hiddenSize)):zero()
         seen = self._initInput
      else
         seen = self:hiddenOutput(step - 1)
      end
      self.actions[step] = self.action:updateOutput(seen)
      local output = self.rnn:updateOutput({input, self.actions[step]})
      self.output[step] = self.forwardActions and {output, self.actions[step]} or output
   end
   for step = self.nStep + 1, #self.output do self.output[step] = nil end
   return self.output
end

-- h[step] (the rnn's part of output[step])
function RecurrentAttention:hiddenOutput(step)
   return self.forwardActions and self.output[step][1] or self.output[step]
end

function RecurrentAttention:checkBackward(gradOutput)
   if self.rnn.step - 1 ~= self.nStep then
      error('nn.RecurrentAttention: inconsistent rnn steps (a backward needs the forward '
         .. 'just before it)', 3)
   end
   if torch.type(gradOutput) ~= 'table' or #gradOutput ~= self.nStep then
      error('nn.RecurrentAttention: expecting gradOutput, a table of nStep elements', 3)
   end
end

-- The gradients given for h[step] and a[step] (zeros for a[step] unless forwardActions).
function RecurrentAttention:stepGradients(gradOutput, step)
   if self.forwardActions then return gradOutput[step][1], gradOutput[step][2] end
   local actionOutput = self.actions[step]
   self._gradAction = self._gradAction or actionOutput.new()
   if not self._gradAction:isSameSizeAs(actionOutput) then
      self._gradAction:resizeAs(actionOutput):zero()
   end
   return gradOutput[step], self._gradAction
end

function RecurrentAttention:updateGradInput(input, gradOutput)
   self:checkBackward(gradOutput)
   for step = self.nStep, 1, -1 do
      local gradHidden, gradAction = self:stepGradients(gradOutput, step)
      -- h[step] went to the caller and, through a[step + 1], to the next step's action
      if step == self.nStep then
         self.gradHidden[step] = rnn.recursiveCopy(self.gradHidden[step], gradHidden)
      else
         rnn.recursiveAdd(self.gradHidden[step], gradHidden)
      end
      if step == 1 then
         self.action:updateGradInput(self._initInput, gradAction)
      else
         self.gradHidden[step - 1] = rnn.recursiveCopy(self.gradHidden[step - 1],
            self.action:updateGradInput(self:hiddenOutput(step - 1), gradAction))
      end
      local gradInput = self.rnn:updateGradInput({input, self.actions[step]},
         self.gradHidden[step])[1]
      if step == self.nStep then
         self.gradInput:resizeAs(gradInput):copy(gradInput)
      else
         self.gradInput:add(gradInput)
      end
   end
   return self.gradInput
end

function RecurrentAttention:accGradParameters(input, gradOutput, scale)
   self:checkBackward(gradOutput)
   for step = self.nStep, 1, -1 do
      local _, gradAction = self:stepGradients(gradOutput, step)
      local seen = step == 1 and self._initInput or self:hiddenOutput(step - 1)
      self.action:accGradParameters(seen, gradAction, scale)
      self.rnn:accGradParameters({input, self.actions[step]}, self.gradHidden[step], scale)
   end
end

function RecurrentAttention:__tostring__()
   local function show(module) return tostring(module):gsub('\n', '\n    |    ') end
   return torch.type(self) .. ' {\n'
      .. '  action : ' .. show(self.action) .. '\n'
      .. '  rnn     : ' .. show(self.rnn) .. '\n'
      .. '}'
end

return RecurrentAttention
