-- What rnn adds to every nn.Module. Containers pass these on to their children, so a
-- call on a whole network reaches the recurrent modules inside it (which override them).

local Module = nn.Module

local function each_child(self, method, ...)
   if self.modules then
      for _, module in ipairs(self.modules) do module[method](module, ...) end
   end
end

-- Forgets the past: recurrent modules start a new sequence at their next forward.
function Module:forget()
   each_child(self, 'forget')
   return self
end

-- Sequencers' choice of keeping the hidden state between calls to forward.
function Module:remember(remember)
   each_child(self, 'remember', remember)
   return self
end

-- A clone for one time step: parameters and gradients shared, recurrent modules inside
-- kept as they are (they keep their own clones per step).
function Module:stepClone(shareParams, shareGradParams)
   return self:sharedClone(shareParams, shareGradParams, true)
end

-- Makes the recurrent modules inside show their outputs of the given step (a step clone
-- backpropagates through containers that read their children's .output).
function Module:setOutputStep(step)
   each_child(self, 'setOutputStep', step)
end

-- The most time steps recurrent modules backpropagate through.
function Module:maxBPTTstep(rho)
   each_child(self, 'maxBPTTstep', rho)
end

function Module:getHiddenState(step)
   if not self.modules then return end
   local states = {}
   for i, module in ipairs(self.modules) do states[i] = module:getHiddenState(step) end
   return states
end

function Module:setHiddenState(step, hiddenState)
   if not self.modules then return end
   assert(torch.type(hiddenState) == 'table', 'expecting a table of hidden states')
   for i, module in ipairs(self.modules) do module:setHiddenState(step, hiddenState[i]) end
end

function Module:getGradHiddenState(step)
   if not self.modules then return end
   local states = {}
   for i, module in ipairs(self.modules) do states[i] = module:getGradHiddenState(step) end
   return states
end

function Module:setGradHiddenState(step, gradHiddenState)
   if not self.modules then return end
   assert(torch.type(gradHiddenState) == 'table', 'expecting a table of gradient states')
   for i, module in ipairs(self.modules) do
      module:setGradHiddenState(step, gradHiddenState[i])
   end
end

return Module
