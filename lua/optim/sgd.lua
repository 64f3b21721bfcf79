-- optim.sgd(opfunc, x[, config][, state]): one step of stochastic gradient descent.
--
-- config (defaults):
--   learningRate (1e-3), learningRateDecay (0): the step is
--       learningRate / (1 + evalCounter * learningRateDecay)
--   weightDecay (0): adds weightDecay * x to the gradient; or weightDecays, a tensor of one
--       decay per parameter (used only when weightDecay is 0)
--   momentum (0), dampening (= momentum): the velocity v starts as the first gradient,
--       then v = momentum * v + (1 - dampening) * gradient; the step follows v
--   nesterov (false): the step follows gradient + momentum * v (needs momentum > 0 and
--       dampening 0)
--   learningRates: a tensor of one factor per parameter, multiplying the step
-- state (config itself when not given):
--   evalCounter: the number of steps made; dfdx: the velocity; decayParameters and
--   deltaParameters: buffers for the per-parameter decays and learning rates.
-- Returns x and {f(x)}, f evaluated before the step.

local function check_nesterov(nesterov, momentum, dampening)
   if nesterov and not (momentum > 0 and dampening == 0) then
      error('Nesterov momentum requires a momentum and zero dampening', 3)
   end
end

-- The gradient plus the weight decay term, in the gradient's own memory.
local function add_weight_decay(gradient, x, config, state)
   local decay = config.weightDecay or 0
   if decay ~= 0 then
      gradient:add(decay, x)
   elseif config.weightDecays then
      state.decayParameters = state.decayParameters
         or torch.Tensor():typeAs(x):resizeAs(gradient)
      gradient:add(state.decayParameters:copy(config.weightDecays):cmul(x))
   end
end

-- The direction of the step: the gradient, or with momentum the velocity state.dfdx
-- (nesterov: the gradient plus momentum times the updated velocity).
local function step_direction(gradient, momentum, dampening, nesterov, state)
   if momentum == 0 then return gradient end
   local velocity = state.dfdx
   if velocity then
      velocity:mul(momentum):add(1 - dampening, gradient)
   else
      velocity = torch.Tensor():typeAs(gradient):resizeAs(gradient):copy(gradient)
      state.dfdx = velocity
   end
   if nesterov then return gradient:add(momentum, velocity) end
   return velocity
end

function optim.sgd(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local momentum = config.momentum or 0
   local dampening = config.dampening or momentum
   local nesterov = config.nesterov or false
   check_nesterov(nesterov, momentum, dampening)
   state.evalCounter = state.evalCounter or 0

   local fx, gradient = opfunc(x)
   add_weight_decay(gradient, x, config, state)
   local direction = step_direction(gradient, momentum, dampening, nesterov, state)

   local rate = (config.learningRate or 1e-3)
      / (1 + state.evalCounter * (config.learningRateDecay or 0))
   if config.learningRates then
      state.deltaParameters = state.deltaParameters
         or torch.Tensor():typeAs(x):resizeAs(direction)
      direction = state.deltaParameters:copy(config.learningRates):cmul(direction)
   end
   x:add(-rate, direction)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end

return optim.sgd
