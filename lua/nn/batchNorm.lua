-- What the CPU and CUDA batch normalizations (nn.BatchNormalization and cunn's version of
-- it) share: how they see their input as a batch, when they use the batch's statistics, and
-- their gradient methods around a backward kernel.

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

-- backward, updateGradInput and accGradParameters over `kernel` (the core's
-- t7_nn_batch_norm_backward or the CUDA extension's, same arguments). contiguous(self, t,
-- field) gives t, or a contiguous copy of it kept in self[field]; check(status, self)
-- raises the kernel's error.
function batchNorm.gradientMethods(kernel, contiguous, check)
   local function backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias)
      self:checkInputDim(input)
      self:checkInputDim(gradOutput)
      assert(self.save_mean and self.save_std, 'must call :updateOutput() first')
      input = batchNorm.asBatch(self, contiguous(self, input, '_input'))
      gradOutput = batchNorm.asBatch(self, contiguous(self, gradOutput, '_gradOutput'))
      if gradInput then gradInput:resizeAs(gradOutput) end
      check(kernel(input, gradOutput, gradInput, gradWeight, gradBias, self.weight,
         self.running_mean, self.running_var, self.save_mean, self.save_std,
         batchNorm.batchStatistics(self, input), scale or 1, self.eps), self)
      return self.gradInput
   end
   return {
      backward = function(self, input, gradOutput, scale)
         return backward(self, input, gradOutput, scale, self.gradInput, self.gradWeight,
            self.gradBias)
      end,
      updateGradInput = function(self, input, gradOutput)
         return backward(self, input, gradOutput, 1, self.gradInput)
      end,
      accGradParameters = function(self, input, gradOutput, scale)
         return backward(self, input, gradOutput, scale, nil, self.gradWeight, self.gradBias)
      end,
   }
end

return batchNorm
