-- rnn's nn.Dropout(p[, v1[, inplace[, lazy[, mono]]]]), replacing nn's constructor
-- (whose 4th argument, stochasticInference, it drops) and passes:
--   lazy: the mask is drawn again only after a backward (or clearState), so every forward
--         of a sequence, until it is backpropagated, uses the same mask.
--   mono: one mask for the whole batch (drawn for the first dimension's size 1, shared by
--         every sample).
-- The step clones of a recurrent module (AbstractRecurrent:getStepModule) share the mask
-- of their lazy dropouts with the step module's own (self.maskOwner): a sequence has one
-- mask for all its time steps, as in Gal's variational dropout for LSTMs and GRUs.

local Dropout = nn.Dropout
local nnInit = Dropout.__init

function Dropout:__init(p, v1, inplace, lazy, mono)
   nnInit(self, p, v1, inplace)
   self.lazy = lazy or false
   self.mono = mono or false
   self.flag = true            -- a lazy dropout draws its next mask at its next forward
end

-- Whether mask (drawn for an earlier input) can mask input.
local function fits(mask, input, mono)
   if mask:dim() ~= input:dim() then return false end
   for d = mono and 2 or 1, input:dim() do
      if mask:size(d) ~= input:size(d) then return false end
   end
   return true
end

-- The mask for input (kept in self.mask for the backward): drawn again unless lazy and not
-- yet backpropagated. The mask holder (self, or the module whose mask self shares) keeps
-- it in its noise.
function Dropout:updateNoise(input)
   local holder = self.maskOwner or self
   if not holder.lazy or holder.flag or not fits(holder.noise, input, holder.mono) then
      local size = input:size()
      if holder.mono then size[1] = 1 end
      holder.noise:resize(size):bernoulli(1 - holder.p)
      if holder.v2 then holder.noise:div(1 - holder.p) end
      holder.flag = false
   end
   self.mask = holder.noise
   if holder.mono then self.mask = self.mask:expandAs(input) end
   return self.mask
end

function Dropout:updateOutput(input)
   if self.inplace then
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input)
   end
   if self.p > 0 then
      if self.train or self.stochastic_inference then
         self.output:cmul(self:updateNoise(input))
      elseif not self.v2 then
         self.output:mul(1 - self.p)
      end
   end
   return self.output
end

function Dropout:updateGradInput(input, gradOutput)
   if self.lazy then (self.maskOwner or self).flag = true end
   if self.inplace then
      self.gradInput:set(gradOutput)
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
   if self.train then
      if self.p > 0 then self.gradInput:cmul(self.mask) end
   elseif not self.v2 and self.p > 0 then
      self.gradInput:mul(1 - self.p)
   end
   return self.gradInput
end

function Dropout:__tostring__()
   return string.format('%s(%.1f, %s)', torch.type(self), self.p,
      self.lazy and 'lazy' or 'busy')
end

local nnClearState = Dropout.clearState

function Dropout:clearState()
   self.flag = true
   self.mask = nil
   return nnClearState(self)
end

return Dropout
