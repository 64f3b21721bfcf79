-- optim.lswolfe(opfunc, x, t, d, f, g, gtd[, options]): a line search along d from x for a
-- step satisfying the strong Wolfe conditions (sufficient decrease c1, curvature c2), by
-- bracketing then zooming with cubic interpolation (after minFunc). f, g and gtd are the
-- value, gradient and directional derivative at x; t the first step tried.
--
-- options (defaults): c1 (1e-4), c2 (0.9), tolX (1e-9: smallest bracket worth refining),
-- maxIter (20), verbose (false).
-- Returns f and g at the new point, x (moved there in place), the step t and the number of
-- function evaluations.

function optim.lswolfe(opfunc, x, t, d, f, g, gtd, options)
   options = options or {}
   local c1 = options.c1 or 1e-4
   local c2 = options.c2 or 0.9
   local tolX = options.tolX or 1e-9
   local maxIter = options.maxIter or 20
   local verbose = function() end
   if options.verbose then verbose = function(...) print('<optim.lswolfe> ', ...) end end

   local x_init = x:clone()
   local function evaluate_at(step)
      x:copy(x_init):add(step, d)
      local f_new, g_new = opfunc(x)
      return f_new, g_new:clone(), g_new:dot(d)
   end

   local f_new, g_new, gtd_new = evaluate_at(t)
   local evals, iter = 1, 0
   local t_prev, f_prev, g_prev, gtd_prev = 0, f, g:clone(), gtd
   -- the bracket: steps, their values and gradients (one entry once the search is done)
   local steps, values, grads
   local done = false
   while iter < maxIter do
      if f_new > f + c1 * t * gtd or (iter > 1 and f_new >= f_prev) then
         steps, values, grads = {t_prev, t}, {f_prev, f_new}, {g_prev, g_new}
         break
      elseif math.abs(gtd_new) <= -c2 * gtd then
         steps, values, grads = {t}, {f_new}, {g_new}
         done = true
         break
      elseif gtd_new >= 0 then
         steps, values, grads = {t_prev, t}, {f_prev, f_new}, {g_prev, g_new}
         break
      end
      -- extrapolate: the cubic's minimum between 1.01 and 10 times further
      local before = t_prev
      t_prev = t
      t = optim.polyinterp(x.new({{before, f_prev, gtd_prev}, {t, f_new, gtd_new}}),
         t + 0.01 * (t - before), t * 10)
      f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
      f_new, g_new, gtd_new = evaluate_at(t)
      evals = evals + 1
      iter = iter + 1
   end
   if iter == maxIter then
      steps, values, grads = {0, t}, {f, f_new}, {g, g_new}
   end

   -- zoom: shrink the bracket around a point satisfying the conditions
   local insufficient_progress = false
   while not done and iter < maxIter do
      local lo = values[1] <= values[2] and 1 or 2
      local hi = 3 - lo
      t = optim.polyinterp(x.new({{steps[1], values[1], grads[1]:dot(d)},
                                  {steps[2], values[2], grads[2]:dot(d)}}))
      local top, bottom = math.max(steps[1], steps[2]), math.min(steps[1], steps[2])
      -- a trial too close to an end moves to 10% inside, unless the last one was fine
      if math.min(top - t, t - bottom) / (top - bottom) < 0.1 then
         if insufficient_progress or t >= top or t <= bottom then
            if math.abs(t - top) < math.abs(t - bottom) then
               t = top - 0.1 * (top - bottom)
            else
               t = bottom + 0.1 * (top - bottom)
            end
            insufficient_progress = false
         else
            insufficient_progress = true
         end
      else
         insufficient_progress = false
      end

      f_new, g_new, gtd_new = evaluate_at(t)
      evals = evals + 1
      iter = iter + 1
      if f_new > f + c1 * t * gtd or f_new >= values[lo] then
         steps[hi], values[hi], grads[hi] = t, f_new, g_new
      else
         if math.abs(gtd_new) <= -c2 * gtd then
            done = true
         elseif gtd_new * (steps[hi] - steps[lo]) >= 0 then
            steps[hi], values[hi], grads[hi] = steps[lo], values[lo], grads[lo]
         end
         steps[lo], values[lo], grads[lo] = t, f_new, g_new
      end
      if not done and math.abs((steps[1] - steps[2]) * gtd_new) < tolX then break end
   end
   if iter == maxIter then verbose('reached max number of iterations') end

   local best = 1
   if values[2] and values[2] < values[1] then best = 2 end
   t = steps[best]
   x:copy(x_init):add(t, d)
   return values[best], grads[best], x, t, evals
end

return optim.lswolfe
