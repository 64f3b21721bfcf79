-- nn.AbstractRecurrent([rho]): the base of modules that take one time step per forward.
-- Each step of a sequence runs in a clone of self.recurrentModule sharing its parameters
-- (self.sharedClones[step]), so that the intermediate results of every step survive
-- until the backward pass. Backward calls come in reverse order of time, one per step.
-- At most rho steps (default 99999) are kept for backpropagation through time: older
-- clones are reused for new steps. forget() starts a new sequence. In evaluation a single
-- module (recurrentModule) runs every step, keeping nothing for a backward pass.
-- Subclasses provide updateOutput, _updateGradInput(input, gradOutput) and
-- _accGradParameters(input, gradOutput, scale) for the step being backpropagated.

local AbstractRecurrent, parent = torch.class('nn.AbstractRecurrent', 'nn.Container')

-- sharedClone(..., stepClone) keeps instances inside a step clone as they are.
AbstractRecurrent.dpnn_stepclone = true

function AbstractRecurrent:__init(rho)
   parent.__init(self)
   self.rho = rho or 99999
   self.outputs = {}
   self.gradInputs = {}
   self._gradOutputs = {}
   self.gradOutputs = {}
   self.step = 1
   self.sharedClones = {}
end

-- module computes one time step: the first of the clones that later steps get
function AbstractRecurrent:setStepModule(module)
   self.recurrentModule = module
   self.modules[1] = module
   self.sharedClones[1] = module
end

local function count(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

-- The lazy dropouts of a step clone use the step module's masks: one mask per sequence.
local function shareLazyMasks(stepModule, clone)
   local masters, copies = stepModule:findModules('nn.Dropout'), clone:findModules('nn.Dropout')
   for i, master in ipairs(masters) do
      if master.lazy and copies[i] ~= master then copies[i].maskOwner = master end
   end
end

-- The clone running the given step (made on first use).
function AbstractRecurrent:getStepModule(step)
   assert(step, 'expecting step at arg 1')
   local module = self.sharedClones[step]
   if not module then
      module = self.recurrentModule:stepClone()
      shareLazyMasks(self.recurrentModule, module)
      self.sharedClones[step] = module
      self.nSharedClone = count(self.sharedClones)
   end
   return module
end

-- Before a step beyond the rho kept: the clone of the oldest step kept runs the new one,
-- and the results of steps no longer kept are dropped.
function AbstractRecurrent:recycle()
   self.nSharedClone = self.nSharedClone or count(self.sharedClones)
   local kept = math.max(self.rho + 1, self.nSharedClone)
   local step = self.step
   if self.sharedClones[step] == nil then
      self.sharedClones[step] = self.sharedClones[step - kept]
      self.sharedClones[step - kept] = nil
      self._gradOutputs[step] = self._gradOutputs[step - kept]
      self._gradOutputs[step - kept] = nil
   end
   self.outputs[step - kept - 1] = nil
   self.gradInputs[step - kept - 1] = nil
   return self
end

-- The first step that runs in a clone of recurrentModule.
AbstractRecurrent.firstClonedStep = 1

-- The values of a table keyed by step, renumbered first, first + 1, ... in step order.
local function compact(t, first)
   local keys = {}
   for key in pairs(t) do keys[#keys + 1] = key end
   table.sort(keys)
   local result = {}
   for i, key in ipairs(keys) do result[first + i - 1] = t[key] end
   return result
end

-- Starts a new sequence: the next forward is step 1 again, from the initial state.
function AbstractRecurrent:forget()
   parent.forget(self)     -- recurrent modules inside the recurrent module forget too
   if self.train ~= false then
      self.outputs = {}
      self.gradInputs = {}
      self.sharedClones = compact(self.sharedClones, self.firstClonedStep)
      self._gradOutputs = compact(self._gradOutputs, self.firstClonedStep)
      self.gradOutputs = {}
      if self.cells then
         self.cells = {}
         self.gradCells = {}
      end
   end
   self.step = 1
   return self
end

-- Backward for one step, the latest not yet backpropagated.
function AbstractRecurrent:updateGradInput(input, gradOutput)
   self.updateGradInputStep = self.updateGradInputStep or self.step
   self.gradInput = self:_updateGradInput(input, gradOutput)
   self.updateGradInputStep = self.updateGradInputStep - 1
   self.gradInputs[self.updateGradInputStep] = self.gradInput
   return self.gradInput
end

function AbstractRecurrent:accGradParameters(input, gradOutput, scale)
   self.accGradParametersStep = self.accGradParametersStep or self.step
   if self.updateGradInputStep == nil or self.updateGradInputStep >= self.step
         or self.accGradParametersStep <= self.updateGradInputStep then
      error('Missing updateGradInput: accGradParameters follows updateGradInput for '
         .. 'each step', 2)
   end
   self:_accGradParameters(input, gradOutput, scale)
   self.accGradParametersStep = self.accGradParametersStep - 1
end

-- Forwards stepInput through the step module of the current step (its clone for the step
-- in training) and records the result as the step's output.
function AbstractRecurrent:runStep(stepInput)
   local module = self.recurrentModule
   if self.train ~= false then
      self:recycle()
      module = self:getStepModule(self.step)
   end
   self.output = module:updateOutput(stepInput)
   self.outputs[self.step] = self.output
   self.step = self.step + 1
   self:startBackward()
   return self.output
end

-- After a forward: the next backward starts from the latest step.
function AbstractRecurrent:startBackward()
   self.gradPrevOutput = nil
   self.updateGradInputStep = nil
   self.accGradParametersStep = nil
end

function AbstractRecurrent:accUpdateGradParameters(input, gradOutput, lr)
   error(torch.type(self) .. ': accUpdateGradParameters is not supported, use '
      .. 'accGradParameters and updateParameters', 2)
end

-- The step being backpropagated, and the hidden-state step arguments' meaning: nil is the
-- latest step, a negative number counts back from it.
function AbstractRecurrent:resolveStep(step, latest)
   if step == nil then return latest end
   if step < 0 then return latest + step + 1 end
   return step
end

-- self.zeroTensor (the initial state of LSTM and GRU) as zeros for input's shape: a
-- sample, or a batch of them.
function AbstractRecurrent:sizeZeroTensor(input)
   if input:dim() == 2 then
      self.zeroTensor:resize(input:size(1), self.outputSize):zero()
   else
      self.zeroTensor:resize(self.outputSize):zero()
   end
end

-- Runs f with the step clones counted among self.modules (for training, evaluate, ...).
function AbstractRecurrent:includingSharedClones(f)
   local modules, clones = self.modules, self.sharedClones
   local all = {}
   for _, module in ipairs(modules) do all[#all + 1] = module end
   for _, module in pairs(clones) do all[#all + 1] = module end
   if self.initialModule then all[#all + 1] = self.initialModule end
   self.modules = all
   local ok, result = pcall(f)
   self.modules = modules
   if not ok then error(result, 0) end
   return result
end

-- Variational dropout (LSTM, FastLSTM and GRU with p > 0): module after a lazy dropout of
-- probability self.p, so that each sequence sees one mask; module alone when p is 0.
function AbstractRecurrent:afterDropout(module)
   if self.p == 0 then return module end
   return nn.Sequential()
      :add(nn.Dropout(self.p, false, false, true, self.mono))
      :add(module)
end

-- count blocks of outputSize from newLinear(size): one module newLinear(count *
-- outputSize) without dropout; with it (p > 0), count separately dropped-out copies of
-- the input, each through its own newLinear(outputSize), joined.
function AbstractRecurrent:blocksAfterDropout(count, newLinear)
   if self.p == 0 then return newLinear(count * self.outputSize) end
   local dropouts, linears = nn.ConcatTable(), nn.ParallelTable()
   for _ = 1, count do
      dropouts:add(nn.Dropout(self.p, false, false, true, self.mono))
      linears:add(newLinear(self.outputSize))
   end
   return nn.Sequential():add(dropouts):add(linears):add(nn.JoinTable(1, 1))
end

function AbstractRecurrent:training()
   return self:includingSharedClones(function() return parent.training(self) end)
end

function AbstractRecurrent:evaluate()
   return self:includingSharedClones(function() return parent.evaluate(self) end)
end

-- The module that ran the given step (Recurrent runs its first one in initialModule).
function AbstractRecurrent:moduleOfStep(step)
   return self:getStepModule(step)
end

-- One reward for every step, or one per step for the latest steps: a table of rewards, or a
-- tensor indexed by step first, whose last element goes to the latest step.
function AbstractRecurrent:reinforce(reward)
   local count = torch.type(reward) == 'table' and #reward
      or torch.isTensor(reward) and reward:dim() >= 2 and reward:size(1)
   if not count then
      return self:includingSharedClones(function() return parent.reinforce(self, reward) end)
   end
   local steps = self.step - 1
   if count > steps then
      error(string.format('%s: %d rewards for the %d steps run', torch.type(self), count, steps),
         2)
   end
   for r = 1, count do self:moduleOfStep(steps - count + r):reinforce(reward[r]) end
end

function AbstractRecurrent:type(typename, cache)
   if typename then
      self:forget()
      self:clearState()
   end
   return parent.type(self, typename, cache)
end

function AbstractRecurrent:clearState()
   self:forget()
   nn.utils.clear(self, '_input', '_gradOutput', '_gradOutputs', 'gradPrevOutput', 'cell',
      'cells', 'gradCells', 'outputs', 'gradInputs', 'gradOutputs')
   for _, clone in pairs(self.sharedClones) do clone:clearState() end
   self.recurrentModule:clearState()
   return parent.clearState(self)
end

-- Wraps the recurrent module in nn.MaskZero: samples whose input is all zeros get a zero
-- output (and a zero state for the next step).
function AbstractRecurrent:maskZero(nInputDim)
   self.recurrentModule = nn.MaskZero(self.recurrentModule, nInputDim, true)
   self.sharedClones = {self.recurrentModule}
   self.modules[1] = self.recurrentModule
   return self
end

-- As maskZero, with nn.TrimZero: the masked samples are left out of each step's batch.
-- With dropout between steps (p > 0) the masks must be shared by the batch (mono).
function AbstractRecurrent:trimZero(nInputDim)
   if (self.p or 0) ~= 0 and not self.mono then
      error(torch.type(self) .. ': trimZero with dropout (p > 0) needs the mono option', 2)
   end
   self.recurrentModule = nn.TrimZero(self.recurrentModule, nInputDim, true)
   self.sharedClones = {self.recurrentModule}
   self.modules[1] = self.recurrentModule
   return self
end

-- Used by nn.Recursor's step clones: show the output of the given step.
function AbstractRecurrent:setOutputStep(step)
   self.output = self.outputs[step]
   if not self.output then error('no output for step ' .. step, 2) end
   self.gradInput = self.gradInputs[step]
end

function AbstractRecurrent:maxBPTTstep(rho)
   self.rho = rho
end

-- rnn's nested-table helpers, also reachable as fields of every recurrent module
for _, name in ipairs({'recursiveResizeAs', 'recursiveSet', 'recursiveCopy', 'recursiveAdd',
      'recursiveTensorEq', 'recursiveNormal'}) do
   AbstractRecurrent[name] = rnn[name]
end

function AbstractRecurrent:__tostring__()
   if self.inputSize and self.outputSize then
      return torch.type(self) .. string.format('(%d -> %d)', self.inputSize, self.outputSize)
   end
   return torch.type(self)
end

return AbstractRecurrent
