-- optim.cg(opfunc, x[, config][, state]): nonlinear conjugate gradients (Polak-Ribiere
-- directions) with a line search by cubic interpolation and extrapolation under the
-- Wolfe-Powell conditions: C. E. Rasmussen's minimize.m, except that, as in the original
-- optim.cg, the first failed line search ends the run.
--
-- config (defaults): maxEval (maxIter * 1.25: the budget of function evaluations),
-- maxIter (20: evaluations per line search), rho (0.01) and sig (0.5) (the Wolfe-Powell
-- constants), int (0.1: do not evaluate closer than this fraction to the bracket's ends),
-- ext (3.0: extrapolate at most this many times the current step), ratio (100: largest
-- growth of the initial step from one line search to the next).
-- state (config when not given): df0, df1, df2, df3, x0, s: buffers, reused when given.
-- Returns x, the list of f values (before, then after each successful line search) and
-- the number of evaluations.

function optim.cg(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local rho = config.rho or 0.01
   local sig = config.sig or 0.5
   local int = config.int or 0.1
   local ext = config.ext or 3.0
   local maxIter = config.maxIter or 20
   local ratio = config.ratio or 100
   local maxEval = config.maxEval or maxIter * 1.25
   local red = 1

   local function buffer(name)
      local t = state[name] or x.new()
      t:resizeAs(x)
      return t
   end
   local df0, df1, df2, df3 = buffer('df0'), buffer('df1'), buffer('df2'), buffer('df3')
   local s, x0 = buffer('s'), buffer('x0')

   local evals = 0
   local fx = {}
   local function evaluate(into)
      local f, grad = opfunc(x)
      into:copy(grad)
      evals = evals + 1
      return f
   end
   local function not_finite(v)
      return v ~= v or v == math.huge or v == -math.huge
   end

   -- point 1 is where the line search starts, point 2 the current trial, point 3 the
   -- previous trial; z is the distance along s, d the slope along s
   local f1 = evaluate(df1)
   fx[1] = f1
   s:copy(df1):mul(-1)
   local d1 = -s:dot(s)
   local z1 = red / (1 - d1)

   while evals < math.abs(maxEval) do
      x0:copy(x)
      local f0 = f1
      df0:copy(df1)

      x:add(z1, s)
      local f2 = evaluate(df2)
      local d2 = df2:dot(s)
      local f3, d3, z3 = f1, d1, -z1
      local budget = math.min(maxIter, maxEval - evals)
      local success, limit = false, -1

      while true do
         -- while the trial is too far (not enough decrease, or slope still too steep
         -- the wrong way), pull it back by interpolation
         while (f2 > f1 + z1 * rho * d1 or d2 > -sig * d1) and budget > 0 do
            limit = z1
            local z2
            if f2 > f1 then
               z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)        -- quadratic
            else
               local A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)                 -- cubic
               local B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
               z2 = (math.sqrt(B * B - A * d2 * z3 * z3) - B) / A
            end
            if not_finite(z2) then z2 = z3 / 2 end
            z2 = math.max(math.min(z2, int * z3), (1 - int) * z3)
            z1 = z1 + z2
            x:add(z2, s)
            f2 = evaluate(df2)
            budget = budget - 1
            d2 = df2:dot(s)
            z3 = z3 - z2
         end
         if f2 > f1 + z1 * rho * d1 or d2 > -sig * d1 then break end
         if d2 > sig * d1 then
            success = true
            break
         end
         if budget == 0 then break end
         -- extrapolate by a cubic, within the limits
         local A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
         local B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
         local z2 = -d2 * z3 * z3 / (B + math.sqrt(B * B - A * d2 * z3 * z3))
         if not_finite(z2) or z2 < 0 then
            if limit < -0.5 then z2 = z1 * (ext - 1) else z2 = (limit - z1) / 2 end
         elseif limit > -0.5 and z2 + z1 > limit then
            z2 = (limit - z1) / 2
         elseif limit < -0.5 and z2 + z1 > z1 * ext then
            z2 = z1 * (ext - 1)
         elseif z2 < -z3 * int then
            z2 = -z3 * int
         elseif limit > -0.5 and z2 < (limit - z1) * (1 - int) then
            z2 = (limit - z1) * (1 - int)
         end
         f3, d3, z3 = f2, d2, -z2
         z1 = z1 + z2
         x:add(z2, s)
         f2 = evaluate(df2)
         budget = budget - 1
         d2 = df2:dot(s)
      end

      if success then
         f1 = f2
         fx[#fx + 1] = f1
         -- Polak-Ribiere direction; steepest descent when it does not descend
         s:mul((df2:dot(df2) - df2:dot(df1)) / df1:dot(df1)):add(-1, df2)
         df3:copy(df1)
         df1:copy(df2)
         df2:copy(df3)
         d2 = df1:dot(s)
         if d2 > 0 then
            s:copy(df1):mul(-1)
            d2 = -s:dot(s)
         end
         z1 = z1 * math.min(ratio, d1 / (d2 - 1e-320))
         d1 = d2
      else
         -- back to the start of this line search, and stop: the original always stops
         -- here (minimize.m retries once along the steepest descent), and results are
         -- kept identical to the original's
         x:copy(x0)
         f1 = f0
         df1:copy(df0)
         break
      end
   end

   state.df0, state.df1, state.df2, state.df3 = df0, df1, df2, df3
   state.x0, state.s = x0, s
   return x, fx, evals
end

return optim.cg
