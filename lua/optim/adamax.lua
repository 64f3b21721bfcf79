-- optim.adamax(opfunc, x[, config][, state]): AdaMax, Adam's infinity-norm variant
-- (arXiv:1412.6980). With g the gradient plus weightDecay * x and t the step number:
--    m = beta1 m + (1 - beta1) g;  u = max(beta2 u, |g| + epsilon)
--    x -= learningRate / (1 - beta1^t) * m / u
--
-- config (defaults): learningRate (0.002), beta1 (0.9), beta2 (0.999), epsilon (1e-38),
-- weightDecay (0).
-- state (config when not given): t, m, u, and max (2 x n: the two candidates of u).
-- Returns x and {f(x)}, f evaluated before the step.

function optim.adamax(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 0.002
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-38
   local wd = config.weightDecay or 0

   local fx, dfdx = opfunc(x)
   if wd ~= 0 then dfdx:add(wd, x) end

   local n = dfdx:nElement()
   state.t = state.t or 0
   state.m = state.m or x.new(dfdx:size()):zero()
   state.u = state.u or x.new(dfdx:size()):zero()
   state.max = state.max or x.new(2, n):zero()

   state.t = state.t + 1
   state.m:mul(beta1):add(1 - beta1, dfdx)
   -- u is the larger of the two rows of `max`, taken along the first dimension
   state.max[1]:copy(state.u):mul(beta2)
   state.max[2]:copy(dfdx):abs():add(epsilon)
   state.u:view(1, n):max(state.max, 1)

   x:addcdiv(-lr / (1 - beta1 ^ state.t), state.m, state.u)
   return x, {fx}
end

return optim.adamax
