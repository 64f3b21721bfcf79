-- CUDA LookupTable: the weight on the GPU, indices from the CPU or the GPU. The forward
-- pass is nn's own (CudaTensor:index picks the rows); the gradient runs here.

local core = require 'cutorch.core'
local dispatch = require 'cunn.dispatch'
local C, check, implement = core.C, dispatch.check, dispatch.implement

implement('nn.LookupTable', {
   accGradParameters = function(self, input, gradOutput, scale)
      if self.shouldScaleGradByFreq then
         error('nn.LookupTable: scaleGradByFreq is not implemented on the GPU', 2)
      end
      if input:dim() ~= 1 and input:dim() ~= 2 then
         error('nn.LookupTable: input must be a vector or matrix', 2)
      end
      local indices = input
      if not core.is_tensor(indices) then
         if not core.is_tensor(self._cuda_indices) then self._cuda_indices = torch.CudaTensor() end
         indices = self._cuda_indices:resize(input:size()):copy(input)
      end
      check(C.t7cu_nn_lookup_acc_grad(self.gradWeight, indices, gradOutput,
         self.paddingValue or 0, 1, scale or 1), self)
   end,
   renorm = function(self, input)
      if self.maxNorm then error('nn.LookupTable: maxNorm is not implemented on the GPU', 2) end
   end,
})
