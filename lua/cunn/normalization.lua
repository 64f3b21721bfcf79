-- CUDA batch normalization (nn.BatchNormalization and its Spatial/Volumetric subclasses),
-- the CPU module's steps with the CUDA kernel: contiguous input, a single sample in
-- evaluation seen as a batch of one, batch statistics only in training with more than one
-- sample.

local core = require 'cutorch.core'
local dispatch = require 'cunn.dispatch'
local batchNorm = require 'nn.batchNorm'
local C, check, implement = core.C, dispatch.check, dispatch.implement

local function contiguous(self, t, name)
   if t:isContiguous() then return t end
   self[name] = core.is_tensor(self[name]) and self[name] or torch.CudaTensor()
   return self[name]:resizeAs(t):copy(t)
end

local function cuda_buffer(self, name, like)
   if not core.is_tensor(self[name]) then self[name] = torch.CudaTensor() end
   return self[name]:resizeAs(like)
end

local methods = batchNorm.gradientMethods(C.t7cu_nn_batch_norm_backward, contiguous, check)
methods.updateOutput = function(self, input)
   self:checkInputDim(input)
   input = batchNorm.asBatch(self, contiguous(self, input, '_input'))
   local save_mean = cuda_buffer(self, 'save_mean', self.running_mean)
   local save_std = cuda_buffer(self, 'save_std', self.running_var)
   check(C.t7cu_nn_batch_norm(self.output, input, self.weight, self.bias,
      self.running_mean, self.running_var, save_mean, save_std,
      batchNorm.batchStatistics(self, input), self.momentum, self.eps), self)
   return self.output
end
implement('nn.BatchNormalization', methods)
