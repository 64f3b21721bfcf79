-- optim.rprop(opfunc, x[, config][, state]): resilient propagation (Riedmiller). Each
-- parameter has its own step size, multiplied by etaplus when its gradient keeps its sign
-- from one step to the next, by etaminus when the sign flips, then kept within
-- [stepsizemin, stepsizemax]. A parameter whose sign flipped does not move this step
-- (and its gradient is remembered as 0); the others move by their step size against the
-- sign of their gradient.
--
-- config (defaults): stepsize (0.1, the initial step), etaplus (1.2), etaminus (0.5),
-- stepsizemax (50), stepsizemin (1e-6), niter (1: steps made per call).
-- state (config when not given): delta (the last gradient), stepsize, sign, and the masks
-- psign, nsign, zsign.
-- Returns x and the list of f(x) before each step.

function optim.rprop(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table RPROP initializing')
   end
   config = config or {}
   state = state or config
   local etaplus = config.etaplus or 1.2
   local etaminus = config.etaminus or 0.5
   local stepsizemax = config.stepsizemax or 50.0
   local stepsizemin = config.stepsizemin or 1e-6

   local history = {}
   for i = 1, config.niter or 1 do
      local fx, dfdx = opfunc(x)
      if not state.delta then
         local size = dfdx:size()
         state.delta = dfdx.new(size):zero()
         state.stepsize = dfdx.new(size):fill(config.stepsize or 0.1)
         state.sign = dfdx.new(size)
         state.psign = torch.ByteTensor(size)
         state.nsign = torch.ByteTensor(size)
         state.zsign = torch.ByteTensor(size)
      end
      -- the sign of gradient times last gradient says kept (+), flipped (-) or zero
      local sign = state.sign
      torch.cmul(sign, dfdx, state.delta):sign()
      sign.gt(state.psign, sign, 0)     -- the method: its class (not the result) gives the type
      sign.lt(state.nsign, sign, 0)
      sign.eq(state.zsign, sign, 0)
      sign:maskedFill(state.psign, etaplus)
      sign:maskedFill(state.nsign, etaminus)
      sign:maskedFill(state.zsign, 1)
      state.stepsize:cmul(sign):clamp(stepsizemin, stepsizemax)

      dfdx:maskedFill(state.nsign, 0)
      torch.sign(sign, dfdx)
      x:addcmul(-1, sign, state.stepsize)
      state.delta:copy(dfdx)
      history[i] = fx
   end
   return x, history
end

return optim.rprop
