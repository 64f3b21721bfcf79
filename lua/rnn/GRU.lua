-- nn.GRU(inputSize, outputSize[, rho[, p[, mono]]]): gated recurrent units, one time step
-- per forward,
-- on a sample or a batch, starting each sequence from a zero state:
--   r = sigmoid(Wr x + Ur s[t-1] + br),   z = sigmoid(Wz x + Uz s[t-1] + bz)
--   h = tanh(Wh x + Uh (r * s[t-1]) + bh),   s[t] = (1 - z) * h + z * s[t-1]
-- r and z come out of i2g = Linear(inputSize, 2 * outputSize) and o2g =
-- LinearNoBias(outputSize, 2 * outputSize), r first. The step module maps {x, s[t-1]} to
-- s[t]. With p > 0 (a Bayesian GRU, Gal's variational dropout) each of the six products
-- sees its own lazy dropout of x, s[t-1] or r * s[t-1] (mono: one mask for the batch),
-- the same for every step of a sequence; i2g and o2g then join a Linear per gate.

local GRU, parent = torch.class('nn.GRU', 'nn.AbstractRecurrent')

function GRU:__init(inputSize, outputSize, rho, p, mono)
   parent.__init(self, rho or 9999)
   self.p = p or 0
   self.mono = mono or false
   self.inputSize = inputSize
   self.outputSize = outputSize
   self:setStepModule(self:buildModel())
   self.zeroTensor = torch.Tensor()
end

function GRU:buildModel()
   local H = self.outputSize
   self.i2g = self:blocksAfterDropout(2, function(n) return nn.Linear(self.inputSize, n) end)
   self.o2g = self:blocksAfterDropout(2, function(n) return nn.LinearNoBias(H, n) end)
   -- {x, s} -> {r, z}
   local gates = nn.Sequential()
      :add(nn.ParallelTable():add(self.i2g):add(self.o2g))
      :add(nn.CAddTable())
      :add(nn.Reshape(2, H))
      :add(nn.SplitTable(1, 2))
      :add(nn.ParallelTable():add(nn.Sigmoid()):add(nn.Sigmoid()))
   local step = nn.Sequential()
      :add(nn.ConcatTable():add(nn.Identity()):add(gates))
      :add(nn.FlattenTable())                             -- {x, s, r, z}
      :add(nn.ConcatTable():add(nn.NarrowTable(1, 4)):add(nn.SelectTable(2)))
      :add(nn.FlattenTable())                             -- {x, s, r, z, s}
   local candidate = nn.Sequential()
      :add(nn.ConcatTable()
         :add(nn.Sequential():add(nn.SelectTable(1))
            :add(self:afterDropout(nn.Linear(self.inputSize, H))))
         :add(nn.Sequential():add(nn.NarrowTable(2, 2)):add(nn.CMulTable())
            :add(self:afterDropout(nn.LinearNoBias(H, H)))))
      :add(nn.CAddTable())
      :add(nn.Tanh())
   local oneMinusZ = nn.Sequential():add(nn.SelectTable(4)):add(nn.SAdd(-1, true))
   local newPart = nn.Sequential()
      :add(nn.ConcatTable():add(candidate):add(oneMinusZ))
      :add(nn.CMulTable())
   local keptPart = nn.Sequential():add(nn.NarrowTable(4, 2)):add(nn.CMulTable())
   step:add(nn.Sequential()
      :add(nn.ConcatTable():add(newPart):add(keptPart))
      :add(nn.CAddTable()))
   return step
end

-- The state after the given step (0: the initial one, sized after input when given).
function GRU:getHiddenState(step, input)
   step = self:resolveStep(step, self.step - 1)
   if step == 0 then
      if input then self:sizeZeroTensor(input) end
      return self.userPrevOutput or self.outputs[0] or self.zeroTensor
   end
   return self.outputs[step]
end

function GRU:setHiddenState(step, hiddenState)
   assert(torch.isTensor(hiddenState), 'expecting a tensor')
   self.outputs[self:resolveStep(step, self.step - 1)] = hiddenState
end

function GRU:updateOutput(input)
   return self:runStep({input, self:getHiddenState(self.step - 1, input)})
end

function GRU:getGradHiddenState(step)
   step = self:resolveStep(step, (self.updateGradInputStep or self.step) - 1)
   if step == self.step - 1 then
      return self.userNextGradOutput or self.gradOutputs[step] or self.zeroTensor
   end
   return self.gradOutputs[step]
end

function GRU:setGradHiddenState(step, gradHiddenState)
   assert(torch.isTensor(gradHiddenState), 'expecting a tensor')
   step = self:resolveStep(step, (self.updateGradInputStep or self.step) - 1)
   self.gradOutputs[step] = gradHiddenState
end

function GRU:_updateGradInput(input, gradOutput)
   assert(self.step > 1, 'expecting at least one updateOutput')
   local step = self.updateGradInputStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   self._gradOutputs[step] = rnn.recursiveCopy(self._gradOutputs[step],
      self:getGradHiddenState(step))
   rnn.recursiveAdd(self._gradOutputs[step], gradOutput)
   local gradInputs = module:updateGradInput({input, self:getHiddenState(step - 1)},
      self._gradOutputs[step])
   self:setGradHiddenState(step - 1, gradInputs[2])
   return gradInputs[1]
end

function GRU:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   module:accGradParameters({input, self:getHiddenState(step - 1)},
      self._gradOutputs[step] or self:getGradHiddenState(step), scale)
end

function GRU:clearState()
   self.zeroTensor:set()
   return parent.clearState(self)
end

-- Loads the 6 parameters of a GRU without dropout into this one with dropout (9).
function GRU:migrate(params)
   local own = self:parameters()
   assert(self.p ~= 0, 'only support for BGRUs.')
   assert(#params == 6, '# of source params should be 6.')
   assert(#own == 9, '# of destination params should be 9.')
   local H = self.outputSize
   for gate = 1, 2 do
      local rows = {(gate - 1) * H + 1, gate * H}
      own[2 * gate - 1]:copy(params[1][{rows}])          -- i2g weight of the gate
      own[2 * gate]:copy(params[2][{rows}])              -- its bias
      own[4 + gate]:copy(params[3][{rows}])              -- o2g weight of the gate
   end
   for i = 7, 9 do own[i]:copy(params[i - 3]) end       -- the candidate's parameters
end

function GRU:__tostring__()
   return string.format('%s(%d -> %d, %.2f)', torch.type(self), self.inputSize,
      self.outputSize, self.p)
end

return GRU
