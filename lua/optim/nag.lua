-- optim.nag(opfunc, x[, config][, state]): SGD with Nesterov's accelerated gradient, as
-- Sutskever et al. (ICML 2013) write it: the gradient is taken after moving along the
-- velocity v, then
--    x += momentum v (before evaluating);  v = momentum v - clr g;  x -= clr g
-- with g the gradient (plus weightDecay * x, times learningRates when given) and
-- clr = learningRate / (1 + n learningRateDecay), n the steps made before.
--
-- config (defaults): learningRate (1e-3), learningRateDecay (0), weightDecay (0),
-- momentum (0.9, must be positive), learningRates (a tensor of per-parameter factors).
-- state (config when not given): evalCounter, dfdx (v), deltaParameters (a buffer).
-- Returns x and {f(x)}, f evaluated at the moved point.

function optim.nag(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   local mom = config.momentum or 0.9
   local lrs = config.learningRates
   state.evalCounter = state.evalCounter or 0
   if mom <= 0 then
      error('Momentum must be positive for Nesterov Accelerated Gradient', 2)
   end

   if state.dfdx then x:add(mom, state.dfdx) end
   local fx, dfdx = opfunc(x)
   if wd ~= 0 then dfdx:add(wd, x) end
   local clr = lr / (1 + state.evalCounter * lrd)

   if state.dfdx then
      state.dfdx:mul(mom)
   else
      state.dfdx = torch.Tensor():typeAs(dfdx):resizeAs(dfdx):zero()
   end
   local step = dfdx
   if lrs then
      state.deltaParameters = state.deltaParameters
         or torch.Tensor():typeAs(x):resizeAs(dfdx)
      step = state.deltaParameters:copy(lrs):cmul(dfdx)
   end
   x:add(-clr, step)
   state.dfdx:add(-clr, step)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end

return optim.nag
