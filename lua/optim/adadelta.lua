-- optim.adadelta(opfunc, x[, config][, state]): ADADELTA (Zeiler, arXiv:1212.5701). With g
-- the gradient plus weightDecay * x, each step:
--    v  = rho v + (1 - rho) g^2
--    dx = sqrt(a + eps) / sqrt(v + eps) * g
--    x -= dx;  a = rho a + (1 - rho) dx^2
--
-- config (defaults): rho (0.9), eps (1e-6), weightDecay (0).
-- state (config when not given): evalCounter, paramVariance (v), accDelta (a), delta (dx),
-- paramStd (a buffer).
-- Returns x and {f(x)}, f evaluated before the step.

function optim.adadelta(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table, ADADELTA initializing')
   end
   config = config or {}
   state = state or config
   local rho = config.rho or 0.9
   local eps = config.eps or 1e-6
   local wd = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0

   local fx, dfdx = opfunc(x)
   if wd ~= 0 then dfdx:add(wd, x) end

   if not state.paramVariance then
      local function zeros() return torch.Tensor():typeAs(x):resizeAs(dfdx):zero() end
      state.paramVariance = zeros()
      state.paramStd = zeros()
      state.delta = zeros()
      state.accDelta = zeros()
   end
   state.paramVariance:mul(rho):addcmul(1 - rho, dfdx, dfdx)
   state.paramStd:resizeAs(state.paramVariance):copy(state.paramVariance):add(eps):sqrt()
   state.delta:resizeAs(state.paramVariance):copy(state.accDelta):add(eps):sqrt()
      :cdiv(state.paramStd):cmul(dfdx)
   x:add(-1, state.delta)
   state.accDelta:mul(rho):addcmul(1 - rho, state.delta, state.delta)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end

return optim.adadelta
