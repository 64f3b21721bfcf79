-- optim.lbfgs(opfunc, x[, config][, state]): limited-memory BFGS (after minFunc by Mark
-- Schmidt). The direction is the two-loop L-BFGS product of the last nCorrection
-- (step, gradient change) pairs with the gradient; the step length comes from a line
-- search function when config.lineSearch is given (optim.lswolfe), else it is fixed
-- (learningRate, and on the very first iteration min(1, 1 / sum|g|) * learningRate).
-- Fixed steps suit stochastic objectives: the function is then not evaluated after the
-- last step of a call.
--
-- config (defaults): maxIter (20), maxEval (maxIter * 1.25), tolFun (1e-5: stop when
-- sum|g| falls below), tolX (1e-9: stop when the step, the change of f or the directional
-- derivative falls below), nCorrection (100), lineSearch, lineSearchOptions,
-- learningRate (1), verbose (false).
-- state (config when not given): funcEval, nIter (totals over calls), and the memory kept
-- between calls: d, t, old_dirs, old_stps, Hdiag, g_old, f_old, dir_bufs, stp_bufs (spare
-- vectors), ro, al, tmp1 (buffers).
-- Returns x, the list of f values (f[1] before any step) and the evaluations of this call.

-- The inverse-Hessian approximation times -g (two-loop recursion), into d.
local function lbfgs_direction(d, g, state, Hdiag)
   local old_dirs, old_stps = state.old_dirs, state.old_stps
   local k = #old_dirs
   local ro, al = state.ro, state.al
   for i = 1, k do ro[i] = 1 / old_stps[i]:dot(old_dirs[i]) end
   local q = state.tmp1
   q:mul(g, -1)
   for i = k, 1, -1 do
      al[i] = old_dirs[i]:dot(q) * ro[i]
      q:add(-al[i], old_stps[i])
   end
   d:mul(q, Hdiag)
   for i = 1, k do
      local be_i = old_stps[i]:dot(d) * ro[i]
      d:add(al[i] - be_i, old_dirs[i])
   end
end

local function sum_abs(buffer, v)
   return buffer:copy(v):abs():sum()
end

function optim.lbfgs(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local maxIter = tonumber(config.maxIter) or 20
   local maxEval = tonumber(config.maxEval) or maxIter * 1.25
   local tolFun = config.tolFun or 1e-5
   local tolX = config.tolX or 1e-9
   local nCorrection = config.nCorrection or 100
   local lineSearch = config.lineSearch
   local learningRate = config.learningRate or 1
   local verbose = function() end
   if config.verbose then verbose = function(...) print('<optim.lbfgs> ', ...) end end

   state.funcEval = state.funcEval or 0
   state.nIter = state.nIter or 0

   local f, g = opfunc(x)
   local f_hist = {f}
   local evals = 1
   state.funcEval = state.funcEval + 1

   state.tmp1 = state.tmp1 or g.new(g:size()):zero()
   local tmp1 = state.tmp1
   if sum_abs(tmp1, g) <= tolFun then
      verbose('optimality condition below tolFun')
      return x, f_hist
   end
   if not state.dir_bufs then
      verbose('creating recyclable direction/step/history buffers')
      state.dir_bufs, state.stp_bufs = {}, {}
      for i = 1, nCorrection + 1 do
         state.dir_bufs[i] = g.new(g:nElement())
         state.stp_bufs[i] = g.new(g:nElement())
      end
   end
   state.ro = state.ro or torch.Tensor(nCorrection)
   state.al = state.al or torch.zeros(nCorrection)

   local d, t = state.d, state.t
   local Hdiag, g_old, f_old = state.Hdiag, state.g_old, state.f_old
   local nIter = 0
   while nIter < maxIter do
      nIter = nIter + 1
      state.nIter = state.nIter + 1

      if state.nIter == 1 then
         d = g:clone():mul(-1)
         state.old_dirs, state.old_stps = {}, {}
         Hdiag = 1
      else
         -- remember the last (gradient change, step) pair if the curvature is positive
         local y = table.remove(state.dir_bufs)
         local s = table.remove(state.stp_bufs)
         y:add(g, -1, g_old)
         s:mul(d, t)
         local ys = y:dot(s)
         if ys > 1e-10 then
            if #state.old_dirs == nCorrection then
               table.insert(state.dir_bufs, table.remove(state.old_dirs, 1))
               table.insert(state.stp_bufs, table.remove(state.old_stps, 1))
            end
            table.insert(state.old_dirs, s)
            table.insert(state.old_stps, y)
            Hdiag = ys / y:dot(y)
         else
            table.insert(state.dir_bufs, y)
            table.insert(state.stp_bufs, s)
         end
         lbfgs_direction(d, g, state, Hdiag)
      end
      g_old = g_old or g:clone()
      g_old:copy(g)
      f_old = f

      local gtd = g:dot(d)
      if gtd > -tolX then break end          -- no descent along d

      if state.nIter == 1 then
         t = math.min(1, 1 / sum_abs(tmp1, g)) * learningRate
      else
         t = learningRate
      end

      local lsFuncEval = 0
      if type(lineSearch) == 'function' then
         f, g, x, t, lsFuncEval = lineSearch(opfunc, x, t, d, f, g, gtd,
            config.lineSearchOptions)
         f_hist[#f_hist + 1] = f
      else
         x:add(t, d)
         if nIter ~= maxIter then
            f, g = opfunc(x)
            lsFuncEval = 1
            f_hist[#f_hist + 1] = f
         end
      end
      evals = evals + lsFuncEval
      state.funcEval = state.funcEval + lsFuncEval

      if nIter == maxIter then
         verbose('reached max number of iterations')
         break
      end
      if evals >= maxEval then
         verbose('max nb of function evals')
         break
      end
      if sum_abs(tmp1, g) <= tolFun then
         verbose('optimality condition below tolFun')
         break
      end
      if tmp1:copy(d):mul(t):abs():sum() <= tolX then
         verbose('step size below tolX')
         break
      end
      if math.abs(f - f_old) < tolX then
         verbose('function value changing less than tolX')
         break
      end
   end

   state.Hdiag, state.g_old, state.f_old = Hdiag, g_old, f_old
   state.t, state.d = t, d
   return x, f_hist, evals
end

return optim.lbfgs
