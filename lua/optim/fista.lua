-- optim.FistaLS(f, g, pl, xinit[, params]): FISTA with backtracking line search (Beck and
-- Teboulle, SIAM J. Imaging Sciences 2009) for min f(x) + g(x), f smooth and g not:
--    f(x, 'dx') returns f(x) and its gradient, f(x) the value alone; g(x) the value;
--    pl(x, L) replaces x by argmin_z g(z) + L/2 |z - x|^2 (for an L1 g, a shrinkage).
-- Each iteration searches L (multiplying by Lstep) until the quadratic model at y bounds
-- f at the proximal step, then (FISTA) moves y with momentum, or (ISTA) sets y to it.
--
-- params (defaults): L (0.1), Lstep (1.5), maxiter (50), maxline (20), errthres (1e-4:
-- stop when f + g changes less), doFistaUpdate (FISTA when true), verbose (keep every
-- iterate in the history and print progress). params.L is updated; params.xkm, params.y
-- and params.ply are buffers reused by later calls.
-- Returns the solution (xinit holds it too) and the history: per iteration nline, L, F
-- (f + g), Fply, Gply, Q (and xk, y when verbose).

function optim.FistaLS(f, g, pl, xinit, params)
   params = params or {}
   local L = params.L or 0.1
   local Lstep = params.Lstep or 1.5
   local maxiter = params.maxiter or 50
   local maxline = params.maxline or 20
   local errthres = params.errthres or 1e-4
   local doFistaUpdate = params.doFistaUpdate
   local verbose = params.verbose

   params.xkm = params.xkm or torch.Tensor()
   params.y = params.y or torch.Tensor()
   params.ply = params.ply or torch.Tensor()
   local xkm, y, ply = params.xkm, params.y, params.ply   -- previous x, FISTA point, step
   local xk = xinit
   xkm:resizeAs(xk):zero()
   ply:resizeAs(xk):zero()
   y:resizeAs(xk):zero()

   local history = {}
   local tk, tkp = 1, 0
   g(y)
   for niter = 1, maxiter do
      local fy, gfy = f(y, 'dx')
      local fply, Q = 0, 0
      local nline = 0
      while true do
         -- proximal gradient step from y, and the quadratic model of f around y there
         ply:copy(y):add(-1 / L, gfy)
         pl(ply, L)
         xk:copy(ply)
         fply = f(ply)
         ply:add(-1, y)
         local Q2 = gfy:dot(ply)
         local Q3 = L / 2 * ply:dot(ply)
         Q = fy + Q2 + Q3
         if verbose then
            print(string.format('nline=%d L=%g fply=%g Q=%g fy=%g Q2=%g Q3=%g', nline, L,
               fply, Q, fy, Q2, Q3))
         end
         nline = nline + 1
         if fply <= Q then break end
         if nline > maxline then
            xk:copy(xkm)             -- no better point found: stay where we were
            break
         end
         L = L * Lstep
      end

      if doFistaUpdate then
         tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
         xkm:add(-1, xk)
         y:copy(xk):add((1 - tk) / tkp, xkm)
         xkm:copy(xk)
      else
         y:copy(xk)
      end
      tk = tkp
      fply = f(y)
      local gply = g(y)
      if verbose then
         print(string.format('iter=%d eold=%g enew=%g', niter - 1,
            history[niter - 1] and history[niter - 1].F or math.huge, fply + gply))
      end

      history[niter] = {nline = nline, L = L, F = fply + gply, Fply = fply, Gply = gply,
                        Q = Q}
      params.L = L
      if verbose then
         history[niter].xk = xk:clone()
         history[niter].y = y:clone()
      end
      if (niter > 1 and math.abs(history[niter].F - history[niter - 1].F) <= errthres)
            or niter >= maxiter then
         xinit:copy(y)
         return y, history
      end
   end
end

return optim.FistaLS
