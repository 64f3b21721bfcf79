-- rnn's nn.Dropout(p[, v1[, inplace[, lazy[, mono]]]]), replacing nn's constructor
-- (whose 4th argument, stochasticInference, it drops) and the drawing of the mask:
--   lazy: the mask is drawn again only after a backward (or clearState), so every forward
--         of a sequence, until it is backpropagated, uses the same mask.
--   mono: one mask for the whole batch (drawn for the first dimension's size 1, shared by
--         every sample).
-- The step clones of a recurrent module (AbstractRecurrent:getStepModule) share the mask
-- of their lazy dropouts with the step module's own (self.maskOwner): a sequence has one
-- mask for all its time steps, as in Gal's variational dropout for LSTMs and GRUs.

local Dropout = nn.Dropout
local nnInit = Dropout.__init
local nnUpdateGradInput = Dropout.updateGradInput
local nnClearState = Dropout.clearState

function Dropout:__init(p, v1, inplace, lazy, mono)
   nnInit(self, p, v1, inplace)
   self.lazy = lazy or false
   self.mono = mono or false
   self.flag = true            -- a lazy dropout draws its next mask at its next forward
end

-- Whether mask (drawn for an earlier input) can mask input.
local function fits(mask, input, mono)
   if not torch.isTensor(mask) or mask:dim() ~= input:dim() then return false end
   for d = mono and 2 or 1, input:dim() do
      if mask:size(d) ~= input:size(d) then return false end
   end
   return true
end

-- The mask for input: drawn again unless lazy and not yet backpropagated. The mask holder
-- (self, or the module whose mask self shares) keeps the mask drawn in its drawnNoise;
-- self.noise is the mask applied (drawnNoise expanded to the batch with mono).
function Dropout:updateNoise(input)
   local holder = self.maskOwner or self
   local drawn = holder.drawnNoise
   if not holder.lazy or holder.flag or not fits(drawn, input, holder.mono) then
      local size = input:size()
      if holder.mono then size[1] = 1 end
      drawn = torch.isTensor(drawn) and drawn or input.new()
      drawn:resize(size):bernoulli(1 - holder.p)
      if holder.v2 then drawn:div(1 - holder.p) end
      holder.drawnNoise = drawn
      holder.flag = false
   end
   self.noise = holder.mono and drawn:expandAs(input) or drawn
   return self.noise
end

function Dropout:updateGradInput(input, gradOutput)
   if self.lazy then (self.maskOwner or self).flag = true end
   return nnUpdateGradInput(self, input, gradOutput)
end

function Dropout:__tostring__()
   return string.format('%s(%.1f, %s)', torch.type(self), self.p,
      self.lazy and 'lazy' or 'busy')
end

function Dropout:clearState()
   self.flag = true
   self.drawnNoise = nil
   return nnClearState(self)
end

return Dropout
