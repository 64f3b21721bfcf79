-- optim.rmsprop(opfunc, x[, config][, state]): gradient steps divided by a running root
-- mean square of the gradient. With g the gradient plus weightDecay * x:
--    m = alpha m + (1 - alpha) g^2;  x -= learningRate * g / (sqrt(m) + epsilon)
--
-- config (defaults): learningRate (1e-2), alpha (0.99), epsilon (1e-8), weightDecay (0),
-- initialMean (0: m's first value).
-- state (config when not given): m, tmp (a buffer).
-- Returns x and {f(x)}, f evaluated before the step.

function optim.rmsprop(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-2
   local alpha = config.alpha or 0.99
   local epsilon = config.epsilon or 1e-8
   local wd = config.weightDecay or 0

   local fx, dfdx = opfunc(x)
   if wd ~= 0 then dfdx:add(wd, x) end

   if not state.m then
      state.m = torch.Tensor():typeAs(x):resizeAs(dfdx):fill(config.initialMean or 0)
      state.tmp = torch.Tensor():typeAs(x):resizeAs(dfdx)
   end
   state.m:mul(alpha):addcmul(1 - alpha, dfdx, dfdx)
   state.tmp:sqrt(state.m):add(epsilon)
   x:addcdiv(-lr, dfdx, state.tmp)
   return x, {fx}
end

return optim.rmsprop
