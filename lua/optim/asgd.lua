-- optim.asgd(opfunc, x[, config][, state]): averaged stochastic gradient descent, as in
-- L. Bottou's sgd-2.0. Each step:
--    x  = (1 - lambda eta_t) x - eta_t df/dx
--    ax = ax + mu_t (x - ax)                      (ax = x while mu_t = 1)
-- then eta_t = eta0 / (1 + lambda eta0 t)^alpha and mu_t = 1 / max(1, t - t0), t counting
-- the steps made.
--
-- config (defaults): eta0 (1e-4), lambda (1e-4), alpha (0.75), t0 (1e6); the defaults are
-- written into config.
-- state (config when not given): eta_t, mu_t, t, ax (the average) and tmp (a buffer).
-- Returns x, {f(x)} (f before the step) and the averaged x.

function optim.asgd(opfunc, x, config, state)
   config = config or {}
   state = state or config
   config.eta0 = config.eta0 or 1e-4
   config.lambda = config.lambda or 1e-4
   config.alpha = config.alpha or 0.75
   config.t0 = config.t0 or 1e6
   state.eta_t = state.eta_t or config.eta0
   state.mu_t = state.mu_t or 1
   state.t = state.t or 0

   local fx, dfdx = opfunc(x)
   x:mul(1 - config.lambda * state.eta_t)
   x:add(-state.eta_t, dfdx)

   state.ax = state.ax or torch.Tensor():typeAs(x):resizeAs(x):zero()
   state.tmp = state.tmp or torch.Tensor():typeAs(state.ax):resizeAs(state.ax)
   if state.mu_t ~= 1 then
      state.tmp:copy(x):add(-1, state.ax):mul(state.mu_t)
      state.ax:add(state.tmp)
   else
      state.ax:copy(x)
   end

   state.t = state.t + 1
   state.eta_t = config.eta0
      / math.pow(1 + config.lambda * config.eta0 * state.t, config.alpha)
   state.mu_t = 1 / math.max(1, state.t - config.t0)
   return x, {fx}, state.ax
end

return optim.asgd
