-- nn.BatchNormalization(nOutput[, eps[, momentum[, affine]]]): y = (x - mean) / sqrt(var +
-- eps) * weight + bias per feature (Ioffe and Szegedy, 2015), for batches of nOutput
-- features. In training the batch's statistics normalise and update running estimates
-- (momentum default 0.1); in evaluation the running ones normalise, and a single sample
-- is accepted. affine = false: no weight and bias. eps defaults to 1e-5.
-- SpatialBatchNormalization and VolumetricBatchNormalization are this class with more
-- dimensions (nDim).

local BN, parent = torch.class('nn.BatchNormalization', 'nn.Module')
local THNN = require 'nn.THNN'
local batchNorm = require 'nn.batchNorm'
local C, check = THNN.C, THNN.check

BN.__version = 2
BN.nDim = 2

function BN:__init(nOutput, eps, momentum, affine)
   parent.__init(self)
   assert(nOutput and type(nOutput) == 'number', 'Missing argument #1: dimensionality of input. ')
   assert(nOutput ~= 0, 'To set affine=false call BatchNormalization'
      .. '(nOutput,  eps, momentum, false) ')
   if affine ~= nil then
      assert(type(affine) == 'boolean', 'affine has to be true/false')
      self.affine = affine
   else
      self.affine = true
   end
   self.eps = eps or 1e-5
   self.train = true
   self.momentum = momentum or 0.1
   self.running_mean = torch.zeros(nOutput)
   self.running_var = torch.ones(nOutput)
   if self.affine then
      self.weight = torch.Tensor(nOutput)
      self.bias = torch.Tensor(nOutput)
      self.gradWeight = torch.Tensor(nOutput)
      self.gradBias = torch.Tensor(nOutput)
      self:reset()
   end
end

function BN:reset()
   if self.weight then self.weight:uniform() end
   if self.bias then self.bias:zero() end
   self.running_mean:zero()
   self.running_var:fill(1)
end

function BN:checkInputDim(input)
   local n = input:dim()
   if not (n == self.nDim or (n == self.nDim - 1 and self.train == false)) then
      THNN.fail(self, 'only mini-batch supported (%dD tensor), got %dD tensor instead',
         self.nDim, n)
   end
   local featDim = (n == self.nDim - 1) and 1 or 2
   if input:size(featDim) ~= self.running_mean:nElement() then
      THNN.fail(self, 'got %d-feature tensor, expected %d', input:size(featDim),
         self.running_mean:nElement())
   end
end

local function contiguous(self, t, name)
   if t:isContiguous() then return t end
   self[name] = self[name] or t.new()
   return self[name]:resizeAs(t):copy(t)
end

function BN:updateOutput(input)
   self:checkInputDim(input)
   THNN.checkFloating(self, input)
   input = batchNorm.asBatch(self, contiguous(self, input, '_input'))
   self.save_mean = self.save_mean or input.new()
   self.save_mean:resizeAs(self.running_mean)
   self.save_std = self.save_std or input.new()
   self.save_std:resizeAs(self.running_var)
   local output = self.output
   check(C.t7_nn_batch_norm(output, input, self.weight, self.bias, self.running_mean,
      self.running_var, self.save_mean, self.save_std, batchNorm.batchStatistics(self, input),
      self.momentum, self.eps), self)
   return self.output
end

for name, method in pairs(batchNorm.gradientMethods(C.t7_nn_batch_norm_backward, contiguous,
      check)) do
   BN[name] = method
end

-- Version 1 kept the running standard deviation's inverse instead of the variance.
function BN:read(file, version)
   parent.read(self, file)
   if version < 2 and self.running_std then
      self.running_var = self.running_std:pow(-2):add(-self.eps)
      self.running_std = nil
   end
end

function BN:clearState()
   nn.utils.clear(self, {'buffer', 'buffer2', 'centered', 'std', 'normalized', '_input',
      '_gradOutput', 'save_mean', 'save_std'})
   return parent.clearState(self)
end

function BN:__tostring__()
   return string.format('%s (%dD) (%d)', torch.type(self), self.nDim,
      self.running_mean:nElement())
end

return BN
