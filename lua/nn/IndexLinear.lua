-- nn.IndexLinear(inputSize, outputSize[, doGradInput[, keysOffset[, weight[, bias[,
-- normalize]]]]]): a linear layer over sparse inputs given as keys (feature indices,
-- counted from keysOffset, default 1) and values. Input forms: {keys, values} (one sample),
-- {{keys1, keys2, ...}, {values1, values2, ...}} (a batch), or {allKeys, allValues, sizes}
-- (a batch concatenated, with each sample's size). The weight is inputSize x (outputSize +
-- 4 when normalize, the four leading columns holding, per feature, the largest |value|
-- seen, its inverse, an update scale and an offset; values are divided by that largest
-- magnitude). Gradients are kept dense, one row per key seen since zeroGradParameters (in
-- self.running); updateParameters applies them.

local IndexLinear, parent = torch.class('nn.IndexLinear', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function IndexLinear:__init(inputSize, outputSize, doGradInput, keysOffset, weight, bias,
                            normalize)
   parent.__init(self)
   -- the four bookkeeping columns per feature when normalising
   self.normalize = normalize and 4 or 0
   -- a given weight is used as it is (it can be very large)
   self.weight = weight or torch.Tensor(inputSize, outputSize + self.normalize):zero()
   self.bias = bias or torch.Tensor(outputSize):zero()
   self.inputSize = self.weight and self.weight:size(1) or inputSize
   self.outputSize = self.weight and (self.weight:size(2) - self.normalize) or outputSize
   -- dense per-key gradients live in self.running; no full-size gradWeight
   self.gradWeight = torch.Tensor()
   self.gradBias = torch.Tensor(self.outputSize):zero()
   self.gradWeightBuffer = torch.Tensor()
   self.valuesBuffer = torch.Tensor()
   self.normalizedValues = torch.Tensor()
   -- keys and gradients of each accumulation since the last zeroGradParameters
   self.running = {
      cumSumSizes = {},
      keys = {},
      gradWeight = {},
      counter = 1,
   }
   self.sizesCache = {}
   self.cumSumSizesCache = {}
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.offset = keysOffset and keysOffset - 1 or -1 -- added to the keys: rows from 0
end

-- Draws the weight and the (tiny) bias; the bookkeeping columns start at 0.
function IndexLinear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
   if self.normalize and self.normalize > 0 then
      self.weight[{{}, {1, self.normalize}}]:zero()
   end
end

local function badInput(self, message, ...)
   error('nn.IndexLinear: ' .. string.format(message, ...), 4)
end

-- The keys and values of the input as lists (or, for the flat form, the tensors and the
-- sizes), setting self.isFlat and self.noBatch.
function IndexLinear:reshapeInput(input)
   if torch.type(input) ~= 'table' or (#input ~= 2 and #input ~= 3) then
      badInput(self, 'a table of 2 or 3 elements expected as input, got %s',
         torch.type(input) == 'table' and #input .. ' elements' or torch.type(input))
   end
   if #input == 3 then
      local fkeys, fvals = input[1], input[2]
      local fsizes = torch.isTensor(input[3]) and input[3] or torch.LongTensor{input[3]}
      if fkeys:nElement() ~= fvals:nElement() then
         badInput(self, 'keys and values should be of same size, got %s and %s',
            THNN.sizes(fkeys), THNN.sizes(fvals))
      end
      if fkeys:dim() ~= 1 then
         badInput(self, 'keys and values should be 1D, got keys of size %s', THNN.sizes(fkeys))
      end
      self.isFlat = true
      self.noBatch = false
      return fkeys, fvals, fsizes
   end
   local keys, values = input[1], input[2]
   local lkeys, lvalues
   if torch.type(keys) == 'table' and torch.type(values) == 'table' then
      lkeys, lvalues = keys, values
      self.isFlat = false
      self.noBatch = false
   elseif torch.isTensor(keys) and torch.isTensor(values) then
      lkeys, lvalues = {keys}, {values}
      self.isFlat = false
      self.noBatch = true
   else
      badInput(self, 'wrong input format: {keys, values} of tensors or tables expected, ' ..
         'got {%s, %s}', torch.type(keys), torch.type(values))
   end
   if #lkeys ~= #lvalues then
      badInput(self, '%d key tensors but %d value tensors', #lkeys, #lvalues)
   end
   for i = 1, #lkeys do
      if lvalues[i]:dim() ~= 1 or lkeys[i]:dim() ~= 1
            or lkeys[i]:nElement() ~= lvalues[i]:nElement() then
         badInput(self, 'sample %d: keys and values should be 1D and of the same size, got ' ..
            '%s and %s', i, THNN.sizes(lkeys[i]), THNN.sizes(lvalues[i]))
      end
   end
   return lkeys, lvalues
end

function IndexLinear:longTensor(...)
   return torch.LongTensor(...)
end

-- result = the tensors of list one after the other (1-D); result is resized.
local function concatenate(result, list)
   local total = 0
   for i = 1, #list do total = total + list[i]:nElement() end
   result:resize(total)
   local at = 1
   for i = 1, #list do
      local n = list[i]:nElement()
      if n > 0 then
         result:narrow(1, at, n):copy(list[i])
         at = at + n
      end
   end
   return result
end

-- result[i] = sizes[1] + ... + sizes[i].
local function cumulate(result, sizes)
   result:resize(sizes:size(1))
   local sum = 0
   for i = 1, sizes:size(1) do
      sum = sum + sizes[i]
      result[i] = sum
   end
   return result
end

-- Gathers the input into self.keys (the running keys of this accumulation), self.values,
-- self.sizes and self.cumSumSizes.
function IndexLinear:flattenInputs(input)
   local lkeys, lvalues, sizes = self:reshapeInput(input)
   local counter = self.running.counter
   self.running.keys[counter] = self.running.keys[counter] or self:longTensor()
   self.keys = self.running.keys[counter]
   if self.isFlat then
      self.values = self.values or lvalues.new()
      self.sizes = self.sizes or self:longTensor()
      self.keys:resize(lkeys:size()):copy(lkeys)
      self.values:resize(lvalues:size()):copy(lvalues)
      self.sizes = sizes
      self.cumSumSizes = self.cumSumSizes or self.sizes.new()
      cumulate(self.cumSumSizes, self.sizes)
   else
      self.values = self.values or lvalues[1].new()
      self.lkeys = lkeys
      self.lvalues = lvalues
      local batchSize = #self.lkeys
      self.sizesCache[1] = self.sizesCache[1] or torch.LongTensor(batchSize)
      self.cumSumSizesCache[1] = self.cumSumSizesCache[1] or torch.LongTensor(batchSize)
      self.sizes = self.sizesCache[1]
      self.cumSumSizes = self.cumSumSizesCache[1]
      self.sizes:resize(batchSize)
      for i = 1, batchSize do
         self.sizes[i] = self.lkeys[i]:size(1)
      end
      cumulate(self.cumSumSizes, self.sizes)
      concatenate(self.keys, self.lkeys)
      concatenate(self.values, self.lvalues)
   end
   self.running.cumSumSizes[counter] = self.cumSumSizes
end

-- The sizes as a contiguous LongTensor, whatever the input gave.
local function longSizes(self)
   if torch.type(self.sizes) ~= 'torch.LongTensor' or not self.sizes:isContiguous() then
      self.sizes = torch.LongTensor(self.sizes:size()):copy(self.sizes)
   end
   return self.sizes
end

function IndexLinear:updateOutput(input)
   self:flattenInputs(input)
   check(C.t7_nn_index_linear(self.output, self.keys, self.offset, self.values,
      longSizes(self), self.weight, self.bias, self.normalizedValues, self.train and 1 or 0),
      self)
   if self.noBatch then
      self.output:resize(self.output:size(2))
   end
   return self.output
end

-- The values the gradients multiply: the normalised ones when normalising.
function IndexLinear:gradValues()
   return self.normalize > 0 and self.normalizedValues or self.values
end

local function denseGradOutput(gradOutput)
   return gradOutput:isContiguous() and gradOutput or gradOutput:contiguous()
end

function IndexLinear:accUpdateGradParameters(input, gradOutput, scale)
   check(C.t7_nn_index_linear_acc_update(self.weight, self.bias, self.keys, self.offset,
      self:gradValues(), longSizes(self), denseGradOutput(gradOutput), self.weightDecay or 0,
      scale or 1), self)
end

function IndexLinear:accGradParameters(input, gradOutput, scale)
   local counter = self.running.counter
   self.running.gradWeight[counter] = self.running.gradWeight[counter] or self.values.new()
   check(C.t7_nn_index_linear_acc_grad(self.running.gradWeight[counter], self.gradBias,
      self.keys, self.offset, self:gradValues(), longSizes(self), denseGradOutput(gradOutput),
      self.weight, self.bias, scale or 1), self)
   -- the next accumulation gets buffers of its own until zeroGradParameters
   self.running.counter = self.running.counter + 1
end

-- With doGradInput (and no normalisation): the dense gradient with respect to every
-- feature, as (keys 1..inputSize, values) in the input's form.
function IndexLinear:updateGradInput(input, gradOutput)
   self.gradInput = {}
   if self.doGradInput and self.normalize > 0 then
      error('nn.IndexLinear: updateGradInput is not implemented in max-normalize mode', 2)
   end
   local ini = self.weight:size(1)
   if self.doGradInput then
      local gi = gradOutput.new()
      if gradOutput:dim() == 1 then
         gi:resize(self.weight:size(1))
         gi:mv(self.weight, gradOutput)
         gi:resize(1, self.weight:size(1))
      elseif gradOutput:dim() == 2 then
         gi:resize(gradOutput:size(1), self.weight:size(1))
         gi:mm(gradOutput, self.weight:t())
      end
      local indices = self.running.keys[1].new(ini):range(1, ini)
      if self.isFlat then
         self.gradInput[1] = indices.new(gi:size(1), ini)
            :copy(indices:view(1, ini):expand(gi:size(1), ini))
         self.gradInput[2] = gi
      else
         self.gradInput[1] = {}
         self.gradInput[2] = {}
         for i = 1, gi:size(1) do
            self.gradInput[1][i] = self.running.keys[1].new(ini)
            self.gradInput[1][i]:copy(indices)
            self.gradInput[2][i] = gradOutput.new(ini)
            self.gradInput[2][i]:copy(gi[i])
         end
      end
   end
   if self.noBatch then
      if self.isFlat then
         self.gradInput = {self.gradInput[1]:resize(ini), self.gradInput[2]:resize(ini)}
      else
         self.gradInput = {self.gradInput[1][1], self.gradInput[2][1]}
      end
   end
   return self.gradInput
end

-- Applies the accumulated per-key gradients (and the bias gradient) with rate lr.
function IndexLinear:updateParameters(lr)
   local counter = self.running.counter
   if counter > 1 then
      if counter == 2 then
         self.updateKeys = self.running.keys[1]
         self.gradWeight = self.running.gradWeight[1]
      else
         self.updateKeysBuffer = self.updateKeysBuffer or self:longTensor()
         local lkeys, lgweights, lCumSumSizes = {}, {}, {}
         local totalSize = 0
         for i = 1, counter - 1 do
            lkeys[i] = self.running.keys[i]
            lgweights[i] = self.running.gradWeight[i]:contiguous()
            lgweights[i]:resize(lgweights[i]:nElement())
            lCumSumSizes[i] = self.running.cumSumSizes[i] + totalSize
            totalSize = totalSize + lkeys[i]:size(1)
         end
         concatenate(self.updateKeysBuffer, lkeys)
         concatenate(self.gradWeightBuffer, lgweights)
         self.cumSumSizes = self.cumSumSizes.new()
         concatenate(self.cumSumSizes, lCumSumSizes)
         self.gradWeightBuffer:resize(totalSize, self.gradWeightBuffer:nElement()
            / math.max(totalSize, 1))
         self.gradWeight = self.gradWeightBuffer
         self.updateKeys = self.updateKeysBuffer
      end
      check(C.t7_nn_index_linear_update(self.weight, self.bias, self.gradWeight,
         self.gradBias, self.updateKeys, self.offset, self.weightDecay or 0,
         lr or error('nn.IndexLinear: you must specify a learning rate', 2)), self)
   end
end

function IndexLinear:zeroGradParameters()
   -- the weight gradients are per accumulation; only the bias's is kept dense
   self.gradBias:zero()
   self.running.counter = 1
end

function IndexLinear:parameters()
   return {self.weight, self.bias}, {self.running, self.gradBias}
end

function IndexLinear:clearState()
   self.running.keys = {}
   self.running.gradWeight = {}
   self.keys = nil
   self.zerokeys = nil
   self.updateKeys = nil
   self.values = nil
   self.sizes = nil
   self.lkeys = {}
   self.lvalues = {}
   self.gradWeightBuffer = self.gradWeightBuffer.new()
   self.valuesBuffer = self.valuesBuffer.new()
   self.updateKeysBuffer = nil
   return parent.clearState(self)
end
