-- optim.adagrad(opfunc, x[, config][, state]): gradient steps scaled per parameter by the
-- root of the sum of that parameter's squared gradients:
--    v += g^2;  x -= lr / (1 + n lrd) * g / (sqrt(v) + 1e-10)
-- with g the gradient plus weightDecay * x, and n the steps made before this one.
--
-- config (defaults): learningRate (1e-3), learningRateDecay (0), weightDecay (0).
-- state (config when not given): evalCounter, paramVariance (v), paramStd (a buffer).
-- Returns x and {f(x)}, f evaluated before the step.

function optim.adagrad(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table, ADAGRAD initializing')
   end
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0

   local fx, dfdx = opfunc(x)
   if wd ~= 0 then dfdx:add(wd, x) end
   local clr = lr / (1 + state.evalCounter * lrd)

   if not state.paramVariance then
      state.paramVariance = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
      state.paramStd = torch.Tensor():typeAs(x):resizeAs(dfdx)
   end
   state.paramVariance:addcmul(1, dfdx, dfdx)
   state.paramStd:resizeAs(state.paramVariance):copy(state.paramVariance):sqrt():add(1e-10)
   x:addcdiv(-clr, dfdx, state.paramStd)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end

return optim.adagrad
