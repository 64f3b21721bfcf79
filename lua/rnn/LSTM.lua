-- nn.LSTM(inputSize[, outputSize[, rho[, cell2gate[, p[, mono]]]]]): long short-term
-- memory, one time step per forward, on a sample (inputSize) or a batch (batch x
-- inputSize). The first step of a sequence starts from a zero output and cell. With
-- peepholes (cell2gate, default true) the gates also see the cell through a diagonal
-- weight (nn.CMul):
--   i = sigmoid(Wi x + Ui h[t-1] + Pi c[t-1] + bi)
--   f = sigmoid(Wf x + Uf h[t-1] + Pf c[t-1] + bf)
--   c[t] = f * c[t-1] + i * tanh(Wc x + Uc h[t-1] + bc)
--   o = sigmoid(Wo x + Uo h[t-1] + Po c[t] + bo)
--   h[t] = o * tanh(c[t])
-- The step module maps {x, h[t-1], c[t-1]} to {h[t], c[t]}; its layout (and so the order
-- of parameters()) is the original's: input gate, forget gate, hidden, output gate.
-- With p > 0 (Gal's variational dropout) each Linear sees its own lazy dropout of x or
-- h[t-1] (mono: one mask for the batch), the same for every step of a sequence.

local LSTM, parent = torch.class('nn.LSTM', 'nn.AbstractRecurrent')

function LSTM:__init(inputSize, outputSize, rho, cell2gate, p, mono)
   parent.__init(self, rho or 9999)
   self.p = p or 0
   self.mono = mono or false
   self.inputSize = inputSize
   self.outputSize = outputSize or inputSize
   if cell2gate == nil then cell2gate = true end
   self.cell2gate = cell2gate
   self:setStepModule(self:buildModel())
   -- the initial output and cell, and the gradient arriving after the last step
   self.zeroTensor = torch.Tensor()
   self.cells = {}
   self.gradCells = {}
end

-- sum of the input's and the previous output's contributions (and, with peepholes, the
-- cell's), through nonlinearity: {x, h, c} -> gate
function LSTM:buildGate(nonlinearity, peephole)
   local gate = nn.Sequential()
   if not peephole then gate:add(nn.NarrowTable(1, 2)) end
   local terms = nn.ParallelTable()
      :add(self:afterDropout(nn.Linear(self.inputSize, self.outputSize)))
      :add(self:afterDropout(nn.LinearNoBias(self.outputSize, self.outputSize)))
   if peephole then terms:add(nn.CMul(self.outputSize)) end
   return gate:add(terms):add(nn.CAddTable()):add(nonlinearity)
end

function LSTM:buildInputGate()
   self.inputGate = self:buildGate(nn.Sigmoid(), self.cell2gate)
   return self.inputGate
end

function LSTM:buildForgetGate()
   self.forgetGate = self:buildGate(nn.Sigmoid(), self.cell2gate)
   return self.forgetGate
end

function LSTM:buildHidden()
   self.hiddenLayer = self:buildGate(nn.Tanh(), false)
   return self.hiddenLayer
end

function LSTM:buildOutputGate()
   self.outputGate = self:buildGate(nn.Sigmoid(), self.cell2gate)
   return self.outputGate
end

-- {x, h[t-1], c[t-1]} -> c[t] = f * c[t-1] + i * hidden
function LSTM:buildCell()
   self:buildInputGate()
   self:buildForgetGate()
   self:buildHidden()
   local forget = nn.Sequential()
      :add(nn.ConcatTable():add(self.forgetGate):add(nn.SelectTable(3)))
      :add(nn.CMulTable())
   local write = nn.Sequential()
      :add(nn.ConcatTable():add(self.inputGate):add(self.hiddenLayer))
      :add(nn.CMulTable())
   self.cellLayer = nn.Sequential()
      :add(nn.ConcatTable():add(forget):add(write))
      :add(nn.CAddTable())
   return self.cellLayer
end

-- {x, h[t-1], c[t-1]} -> {h[t], c[t]}; the output gate sees {x, h[t-1], c[t]}.
function LSTM:buildModel()
   self:buildCell()
   self:buildOutputGate()
   local squashedCell = nn.Sequential():add(nn.SelectTable(3)):add(nn.Tanh())
   local output = nn.Sequential()
      :add(nn.ConcatTable():add(self.outputGate):add(squashedCell))
      :add(nn.CMulTable())
   return nn.Sequential()
      :add(nn.ConcatTable():add(nn.NarrowTable(1, 2)):add(self.cellLayer))
      :add(nn.FlattenTable())
      :add(nn.ConcatTable():add(output):add(nn.SelectTable(3)))
end

-- {h, c} after the given step (0: the initial state, sized after input when given).
function LSTM:getHiddenState(step, input)
   step = self:resolveStep(step, self.step - 1)
   if step == 0 then
      if input then self:sizeZeroTensor(input) end
      return {self.userPrevOutput or self.outputs[0] or self.zeroTensor,
              self.userPrevCell or self.cells[0] or self.zeroTensor}
   end
   return {self.outputs[step], self.cells[step]}
end

function LSTM:setHiddenState(step, hiddenState)
   step = self:resolveStep(step, self.step - 1)
   assert(torch.type(hiddenState) == 'table' and #hiddenState == 2,
      'expecting the table {output, cell}')
   self.outputs[step] = hiddenState[1]
   self.cells[step] = hiddenState[2]
end

function LSTM:updateOutput(input)
   local prevOutput, prevCell = unpack(self:getHiddenState(self.step - 1, input))
   local module = self.recurrentModule
   if self.train ~= false then
      self:recycle()
      module = self:getStepModule(self.step)
   end
   local result = module:updateOutput({input, prevOutput, prevCell})
   self.outputs[self.step] = result[1]
   self.cells[self.step] = result[2]
   self.output, self.cell = result[1], result[2]
   self.step = self.step + 1
   self:startBackward()
   return self.output
end

-- The gradients arriving at {h, c} of the given step from the steps after it.
function LSTM:getGradHiddenState(step)
   local latest = self.step - 1
   step = self:resolveStep(step, (self.updateGradInputStep or self.step) - 1)
   if step == latest then
      return {self.userNextGradOutput or self.gradOutputs[step] or self.zeroTensor,
              self.userNextGradCell or self.gradCells[step] or self.zeroTensor}
   end
   return {self.gradOutputs[step], self.gradCells[step]}
end

function LSTM:setGradHiddenState(step, gradHiddenState)
   step = self:resolveStep(step, (self.updateGradInputStep or self.step) - 1)
   assert(torch.type(gradHiddenState) == 'table' and #gradHiddenState == 2,
      'expecting the table {gradOutput, gradCell}')
   self.gradOutputs[step] = gradHiddenState[1]
   self.gradCells[step] = gradHiddenState[2]
end

function LSTM:_updateGradInput(input, gradOutput)
   assert(self.step > 1, 'expecting at least one updateOutput')
   local step = self.updateGradInputStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   local gradOutputNext, gradCell = unpack(self:getGradHiddenState(step))
   -- the output of this step went both to the caller and to the next step
   self._gradOutputs[step] = rnn.recursiveCopy(self._gradOutputs[step], gradOutputNext)
   rnn.recursiveAdd(self._gradOutputs[step], gradOutput)
   local inputs = self:getHiddenState(step - 1)
   table.insert(inputs, 1, input)
   local gradInputs = module:updateGradInput(inputs, {self._gradOutputs[step], gradCell})
   self:setGradHiddenState(step - 1, {gradInputs[2], gradInputs[3]})
   return gradInputs[1]
end

function LSTM:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   local inputs = self:getHiddenState(step - 1)
   table.insert(inputs, 1, input)
   local gradOutputs = self:getGradHiddenState(step)
   gradOutputs[1] = self._gradOutputs[step] or gradOutputs[1]
   module:accGradParameters(inputs, gradOutputs, scale)
end

function LSTM:clearState()
   self.zeroTensor:set()
   for _, name in ipairs({'userPrevOutput', 'userPrevCell', 'userGradPrevOutput',
         'userGradPrevCell'}) do
      if self[name] then self[name]:set() end
   end
   return parent.clearState(self)
end

return LSTM
