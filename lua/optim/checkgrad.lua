-- optim.checkgrad(opfunc, x[, eps]): compares the gradient opfunc returns at x with
-- central differences of step eps (default 1e-7), coordinate by coordinate (x is a
-- vector; it is restored afterwards). Returns the relative error
-- |dC - dC_est| / |dC + dC_est|, the gradient and its estimate.

function optim.checkgrad(opfunc, x, eps)
   eps = eps or 1e-7
   local value, dC = opfunc(x)
   dC:resize(x:size())
   -- an objective returning a tensor may return the same tensor at each call
   local function evaluate()
      local v = opfunc(x)
      if torch.isTensor(v) then return v:clone() end
      return v
   end

   local dC_est = torch.Tensor():typeAs(dC):resizeAs(dC)
   for i = 1, dC:size(1) do
      local keep = x[i]
      x[i] = keep + eps
      local above = evaluate()
      x[i] = keep - eps
      local below = evaluate()
      x[i] = keep
      dC_est[i] = (above - below) / (2 * eps)
   end
   local difference, total = dC - dC_est, dC + dC_est
   local diff = math.sqrt(difference:dot(difference)) / math.sqrt(total:dot(total))
   return diff, dC, dC_est
end

return optim.checkgrad
