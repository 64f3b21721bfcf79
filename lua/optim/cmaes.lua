-- optim.cmaes(opfunc, x[, config][, state]): CMA-ES, the covariance matrix adaptation
-- evolution strategy (after N. Hansen's barecmaes2/purecma). Each iteration samples
-- lambda points from N(mean, sigma^2 C), moves the mean to the weighted average of the
-- best mu = lambda / 2, and adapts C (rank-one and rank-mu updates through the evolution
-- path pc) and sigma (through the path ps). Only f is used from opfunc. x gives the
-- starting mean (any shape; candidates are passed to opfunc in x's shape).
--
-- config (or state; defaults): sigma (initial step size, required), maxEval (1e3 N^2),
-- ftarget (stop below it), popsize (lambda: 4 + floor(3 log N)), verb_disp (print every
-- verb_disp iterations; 0, the default, never), min_iterations (1).
-- Stops on the first of: maxEval evaluations, ftarget reached, condition of C above 1e14,
-- spread of the sorted values below 1e-12, sigma * max(D) below 1e-11.
-- Returns the best point found (flat), the list of the best value of each iteration
-- (after f(x) first and before the overall best last) and the number of evaluations.

local function best_tracker()
   return {
      update = function(self, point, value, evals)
         if self.f == nil or value < self.f then
            self.x, self.f, self.evals = point:clone(), value, evals
         end
      end,
   }
end

function optim.cmaes(opfunc, x, config, state)
   local typename = torch.typename(x)
   if typename ~= 'torch.DoubleTensor' and typename ~= 'torch.FloatTensor' then
      error('Unsupported Tensor ' .. tostring(typename)
         .. ' please use Float- or DoubleTensor for x', 2)
   end
   config = config or {}
   state = state or config
   local xmean = x:clone():view(-1)
   local N = xmean:size(1)
   local sigma = state.sigma
   local ftarget = state.ftarget
   local maxEval = tonumber(state.maxEval) or 1e3 * N ^ 2
   local verb_disp = state.verb_disp or 0
   local min_iterations = state.min_iterations or 1

   -- selection and recombination: log-decreasing weights over the best mu points
   local lambda = state.popsize or 4 + math.floor(3 * math.log(N))
   local mu = lambda / 2
   local n_parents = math.floor(mu)
   local weights = torch.Tensor(n_parents)
   for i = 1, n_parents do weights[i] = math.log(mu + 0.5) - math.log(i) end
   weights:div(weights:sum())
   local mueff = weights:sum() ^ 2 / torch.pow(weights, 2):sum()
   weights = weights:typeAs(x)

   -- adaptation constants
   local cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
   local cs = (mueff + 2) / (N + mueff + 5)
   local c1 = 2 / ((N + 1.3) ^ 2 + mueff)
   local cmu = math.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ^ 2 + mueff))
   local damps = 2 * mueff / lambda + 0.3 + cs

   local pc = torch.zeros(N):typeAs(x)
   local ps = torch.zeros(N):typeAs(x)
   local B = torch.eye(N):typeAs(x)          -- eigenvectors of C
   local D = torch.ones(N):typeAs(x)         -- square roots of its eigenvalues
   local C = torch.eye(N):typeAs(x)
   local invsqrtC = torch.eye(N):typeAs(x)
   local candidates = torch.Tensor(lambda, N):typeAs(x)
   local fitvals = torch.Tensor(lambda)
   local eigeneval, counteval, iteration = 0, 0, 0
   local f_hist = {(opfunc(x))}             -- the value alone (opfunc may return a gradient)
   local best = best_tracker()

   -- mean + sigma * B * (D .* z), z standard normal, one row per candidate; the
   -- decomposition of C is refreshed only every so many evaluations (O(N^2) per sample)
   local function ask()
      if counteval - eigeneval > lambda / (c1 + cmu) / N / 10 then
         eigeneval = counteval
         C = torch.triu(C) + torch.triu(C, 1):t()
         D, B = torch.symeig(C, 'V')
         D = torch.sqrt(D)
         invsqrtC = B * torch.diag(torch.pow(D, -1)) * B:t()
      end
      for k = 1, lambda do
         local z = D:clone():normal(0, 1):cmul(D)
         candidates[k]:copy(xmean):add(sigma, B * z)
      end
      return candidates
   end

   local function tell(arx)
      counteval = counteval + lambda
      local xold = xmean:clone()
      local order
      fitvals, order = torch.sort(fitvals)
      arx = arx:index(1, order:narrow(1, 1, n_parents))
      f_hist[#f_hist + 1] = fitvals[1]
      best:update(arx[1], fitvals[1], counteval)
      xmean:zero():addmv(arx:t(), weights)

      local y = xmean - xold
      local z = invsqrtC * y
      ps:mul(1 - cs):add(math.sqrt(cs * (2 - cs) * mueff) / sigma, z)
      local hsig = torch.pow(ps, 2):sum() / (1 - (1 - cs) ^ (2 * counteval / lambda)) / N
         < 2 + 4 / (N + 1)
      hsig = hsig and 1 or 0
      pc:mul(1 - cc):add(math.sqrt(cc * (2 - cc) * mueff) / sigma * hsig, y)

      -- C = (1 - c1a - cmu) C + c1 pc pc' + cmu sum_k w_k y_k y_k' / sigma^2
      local c1a = c1 - (1 - hsig ^ 2) * c1 * cc * (2 - cc)
      local steps = arx - xold:view(1, N):expandAs(arx)
      local weighted = torch.cmul(steps, weights:view(n_parents, 1):expandAs(steps))
      C:mul(1 - c1a - cmu):addr(c1, pc, pc):addmm(cmu / sigma ^ 2, weighted:t(), steps)

      sigma = sigma * math.exp(math.min(0.6,
         (cs / damps) * (torch.pow(ps, 2):sum() / N - 1) / 2))
   end

   local function stop()
      local reasons = {}
      if counteval > 0 then
         if counteval >= maxEval then reasons.evals = maxEval end
         if ftarget ~= nil and fitvals:nElement() > 0 and fitvals[1] <= ftarget then
            reasons.ftarget = ftarget
         end
         if D:max() > 1e7 * D:min() then reasons.condition = 1e7 end
         if fitvals:nElement() > 1 and fitvals[fitvals:nElement()] - fitvals[1] < 1e-12 then
            reasons.tolfun = 1e-12
         end
         if sigma * D:max() < 1e-11 then reasons.tolx = 1e-11 end
      end
      return reasons
   end

   local function display()
      if verb_disp == 0 then return end
      local it = counteval / lambda
      if it == 1 or it % (10 * verb_disp) == 0 then
         print('evals:\t ax-ratio max(std)   f-value')
      end
      if it <= 2 or it % verb_disp == 0 then
         local max_std = math.sqrt(torch.diag(C):max())
         print(tostring(counteval) .. ': ' .. string.format(' %6.1f %8.1e ',
            D:max() / D:min(), sigma * max_std) .. tostring(fitvals[1]))
      end
   end

   while next(stop()) == nil or iteration < min_iterations do
      iteration = iteration + 1
      local X = ask()
      for i = 1, lambda do fitvals[i] = opfunc(X[i]:viewAs(x)) end
      tell(X)
      display()
   end

   if verb_disp > 0 then
      for k, v in pairs(stop()) do print('termination by', k, '=', v) end
      print('best f-value =', best.f)
      print('solution = ')
      print(best.x)
      print('best found at iteration: ', best.evals / lambda, ' , total iterations: ',
         iteration)
   end
   f_hist[#f_hist + 1] = best.f
   return best.x, f_hist, counteval
end

return optim.cmaes
