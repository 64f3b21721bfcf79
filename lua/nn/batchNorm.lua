-- What the CPU and CUDA batch normalizations (nn.BatchNormalization and cunn's version of
-- it) share: how they see their input as a batch and when they use the batch's statistics.

local batchNorm = {}

-- A single sample (evaluation only) as a batch of one.
function batchNorm.asBatch(self, t)
   if self.train == false and t:dim() == self.nDim - 1 then
      return nn.utils.addSingletonDimension(t, 1)
   end
   return t
end

-- The kernels' flag: 1 to normalise by the batch's statistics, 0 by the running ones.
-- Statistics of a batch of one are meaningless: such a batch uses the running ones.
function batchNorm.batchStatistics(self, input)
   return (self.train and input:size(1) > 1) and 1 or 0
end

return batchNorm
