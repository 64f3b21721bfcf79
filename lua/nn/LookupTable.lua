-- nn.LookupTable(nIndex, nOutput[, paddingValue[, maxNorm[, normType]]]): rows of a learnt
-- nIndex x nOutput weight, picked by the indices of the input (a vector, or a batch of them
-- as a matrix). Rows named by paddingValue get no gradient; with maxNorm, the rows used
-- are first scaled down to that normType-norm (default 2). The weight starts N(0, 1).

local LookupTable, parent = torch.class('nn.LookupTable', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

LookupTable.__version = 4

function LookupTable:__init(nIndex, nOutput, paddingValue, maxNorm, normType)
   parent.__init(self)
   self.weight = torch.Tensor(nIndex, nOutput)
   self.gradWeight = torch.Tensor(nIndex, nOutput):zero()
   self.paddingValue = paddingValue or 0
   self.maxNorm = maxNorm or nil
   self.normType = normType or nil
   self:reset()
end

-- Models saved by older versions lack these.
function LookupTable:backCompatibility()
   self._count = self._count or torch.IntTensor()
   self._input = self._input or torch.LongTensor()
   if not self.shouldScaleGradByFreq then self.shouldScaleGradByFreq = false end
end

function LookupTable:accUpdateOnly()
   self.gradWeight = nil
   return self
end

function LookupTable:setPadding(paddingValue)
   self.paddingValue = paddingValue
   return self
end

function LookupTable:setMaxNorm(maxNorm)
   self.maxNorm = maxNorm
   return self
end

function LookupTable:setNormType(normType)
   self.normType = normType
   return self
end

-- Each row's gradient divided by how many times its index occurs in the batch.
function LookupTable:scaleGradByFreq()
   self.shouldScaleGradByFreq = true
   return self
end

function LookupTable:reset(stdv)
   self.weight:normal(0, stdv or 1)
end

-- The indices as a contiguous LongTensor (a copy in self._input when they are not).
function LookupTable:makeInputContiguous(input)
   if not input:isContiguous() or torch.type(input) ~= torch.type(self._input) then
      self.copiedInput = true
      self._input:resize(input:size()):copy(input)
      return self._input
   end
   self.copiedInput = false
   return input
end

local function check_indices(self, input)
   if input:dim() ~= 1 and input:dim() ~= 2 then
      THNN.fail(self, 'input must be a vector or matrix, got %s', THNN.sizes(input))
   end
end

function LookupTable:updateOutput(input)
   self:backCompatibility()
   check_indices(self, input)
   self:renorm(input)
   input = self:makeInputContiguous(input)
   if input:dim() == 1 then
      self.output:index(self.weight, 1, input)
   else
      self.output:index(self.weight, 1, input:view(-1))
      self.output = self.output:view(input:size(1), input:size(2), self.weight:size(2))
   end
   return self.output
end

-- Indices have no gradient: a zero tensor of the input's type and size.
function LookupTable:updateGradInput(input, gradOutput)
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   if not self.gradInput:isSameSizeAs(input) then self.gradInput:resizeAs(input):zero() end
   return self.gradInput
end

function LookupTable:accGradParameters(input, gradOutput, scale)
   self:backCompatibility()
   check_indices(self, input)
   input = self.copiedInput and self._input or self:makeInputContiguous(input)
   check(C.t7_nn_lookup_acc_grad(self.gradWeight, input:view(-1), gradOutput,
      self.shouldScaleGradByFreq and self._count or nil, self.paddingValue or 0,
      THNN.INDEX_BASE, scale or 1), self)
end

function LookupTable:renorm(input)
   if not self.maxNorm then return end
   self._input:resize(input:size()):copy(input)
   check(C.t7_nn_lookup_renorm(self.weight, self._input:view(-1), self.maxNorm,
      self.normType or 2, THNN.INDEX_BASE), self)
end

function LookupTable:type(typename, tensorCache)
   parent.type(self, typename, tensorCache)
   self._count = torch.IntTensor()
   self._input = torch.LongTensor()
   return self
end

function LookupTable:clearState()
   nn.utils.clear(self, '_count', '_input')
   return parent.clearState(self)
end

-- Shared weights: each module updates them itself, no gradient needed.
function LookupTable:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

return LookupTable
