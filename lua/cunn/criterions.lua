-- CUDA versions of ClassNLLCriterion and MSECriterion (CrossEntropyCriterion composes
-- LogSoftMax and ClassNLL, so it follows). Targets may stay on the CPU: they are copied
-- to the GPU, as class indices in floats.

local core = require 'cutorch.core'
local dispatch = require 'cunn.dispatch'
local C, check, implement = core.C, dispatch.check, dispatch.implement

local INDEX_BASE = 1

local function cuda_target(self, target)
   if type(target) == 'number' then target = torch.FloatTensor({target}) end
   if core.is_tensor(target) then return target end
   if not core.is_tensor(self._cuda_target) then self._cuda_target = torch.CudaTensor() end
   return self._cuda_target:resize(target:size()):copy(target)
end

implement('nn.ClassNLLCriterion', {
   updateOutput = function(self, input, target)
      target = cuda_target(self, target)
      check(C.t7cu_nn_class_nll(input, target, self.weights, self.ignoreIndex, INDEX_BASE,
         core.out1, core.out2), self)
      local output, total_weight = tonumber(core.out1[0]), tonumber(core.out2[0])
      if self.sizeAverage and total_weight ~= 0 then output = output / total_weight end
      self.output = output
      self._total_weight = total_weight
      return self.output, total_weight
   end,
   updateGradInput = function(self, input, target)
      target = cuda_target(self, target)
      local total_weight = self._total_weight
      if not (total_weight and total_weight > 0) then
         self.gradInput:resizeAs(input):zero()
         return self.gradInput
      end
      local scale = self.sizeAverage and 1 / total_weight or 1
      check(C.t7cu_nn_class_nll_backward(self.gradInput, input, target, self.weights, scale,
         self.ignoreIndex, INDEX_BASE), self)
      return self.gradInput
   end,
})

implement('nn.MSECriterion', {
   updateOutput = function(self, input, target)
      check(C.t7cu_nn_mse(input, target, core.out1), self)
      self.output = tonumber(core.out1[0])
      if self.sizeAverage then self.output = self.output / input:nElement() end
      return self.output
   end,
   updateGradInput = function(self, input, target)
      local norm = self.sizeAverage and 2 / input:nElement() or 2
      self.gradInput:resizeAs(input)
      check(C.t7cu_map(self.gradInput, input, target, nil, C.T7CU_SCALED_DIFF, norm, 0), self)
      return self.gradInput
   end,
})
