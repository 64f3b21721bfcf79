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

local function backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias)
   self:checkInputDim(input)
   self:checkInputDim(gradOutput)
   assert(self.save_mean and self.save_std, 'must call :updateOutput() first')
   input = batchNorm.asBatch(self, contiguous(self, input, '_input'))
   gradOutput = batchNorm.asBatch(self, contiguous(self, gradOutput, '_gradOutput'))
   if gradInput then gradInput:resizeAs(gradOutput) end
   check(C.t7cu_nn_batch_norm_backward(input, gradOutput, gradInput, gradWeight, gradBias,
      self.weight, self.running_mean, self.running_var, self.save_mean, self.save_std,
      batchNorm.batchStatistics(self, input), scale or 1, self.eps), self)
   return self.gradInput
end

implement('nn.BatchNormalization', {
   updateOutput = function(self, input)
      self:checkInputDim(input)
      input = batchNorm.asBatch(self, contiguous(self, input, '_input'))
      local save_mean = cuda_buffer(self, 'save_mean', self.running_mean)
      local save_std = cuda_buffer(self, 'save_std', self.running_var)
      check(C.t7cu_nn_batch_norm(self.output, input, self.weight, self.bias,
         self.running_mean, self.running_var, save_mean, save_std,
         batchNorm.batchStatistics(self, input), self.momentum, self.eps), self)
      return self.output
   end,
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
})
