-- nn.Recursor(module[, rho]): makes any module a recurrent one (the AbstractRecurrent
-- interface): each time step runs in a clone of module sharing its parameters, so that a
-- module with recurrent modules inside (or none) can be stepped by a Sequencer.

local Recursor, parent = torch.class('nn.Recursor', 'nn.AbstractRecurrent')

function Recursor:__init(module, rho)
   parent.__init(self, rho or 9999999)
   self.recurrentModule = module
   self.module = module
   self.modules = {module}
   self.sharedClones[1] = module
end

function Recursor:updateOutput(input)
   return self:runStep(input)
end

function Recursor:_updateGradInput(input, gradOutput)
   assert(self.step > 1, 'expecting at least one updateOutput')
   local step = self.updateGradInputStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   module:setOutputStep(step)
   return module:updateGradInput(input, gradOutput)
end

function Recursor:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1, 'backward through more steps than were forwarded')
   local module = self:getStepModule(step)
   module:setOutputStep(step)
   module:accGradParameters(input, gradOutput, scale)
end

function Recursor:forget()
   parent.forget(self)
   return self
end

function Recursor:maxBPTTstep(rho)
   self.rho = rho
   nn.Module.maxBPTTstep(self, rho)
end

function Recursor:getHiddenState(...)
   return self.modules[1]:getHiddenState(...)
end

function Recursor:setHiddenState(...)
   return self.modules[1]:setHiddenState(...)
end

function Recursor:getGradHiddenState(...)
   return self.modules[1]:getGradHiddenState(...)
end

function Recursor:setGradHiddenState(...)
   return self.modules[1]:setGradHiddenState(...)
end

Recursor.__tostring__ = nn.Decorator.__tostring__

return Recursor
