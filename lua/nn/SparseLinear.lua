-- nn.SparseLinear(inputSize, outputSize[, doGradInput]): a Linear layer over sparse input:
-- one sample as an nnz x 2 tensor of (index, value) rows, a batch as a table of such
-- tensors, or (the legacy form) a batch x nnz x 2 tensor. Updates and zeroing touch only
-- the weight columns of the last input when a single accumulation happened since. With
-- doGradInput, the gradient comes back dense, as (index, value) rows.

local SparseLinear, parent = torch.class('nn.SparseLinear', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

-- Since the last zeroGradParameters: no accumulation, one, or more than one.
local NO_LAST_INPUT, ONE_LAST_INPUT, ACC_MULTIPLE_TIMES = 0, 1, 2

function SparseLinear:__init(inputSize, outputSize, doGradInput)
   parent.__init(self)
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.weight = torch.Tensor(outputSize, inputSize):zero()
   self.bias = torch.Tensor(outputSize):zero()
   self.gradWeight = torch.Tensor(outputSize, inputSize):zero()
   self.gradBias = torch.Tensor(outputSize):zero()
   assert(type(self.doGradInput) == 'boolean')
   self.lastInput = nil
   self.sparseUpdate = NO_LAST_INPUT
   self.formatted_input = nil
   self.gradInput = {}
   self.output:resize(outputSize)
   self:reset()
end

function SparseLinear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
end

-- The input as a list of samples, whether it is a batch, and whether it is legacy.
function SparseLinear:reshapeInput(input)
   if torch.type(input) == 'table' then return input, true, false end
   if input:dim() == 2 then return {input}, false, false end
   return input, true, true
end

-- All nonzeros as (sample, index, value) rows in self.formatted_input (legacy entries of
-- value 0 left out, as the original skipped them).
function SparseLinear:coordinates(input, legacy)
   self.formatted_input = self.formatted_input or self.weight.new()
   local rows = {}
   if legacy then
      for b = 1, input:size(1) do
         for j = 1, input:size(2) do
            if input[b][j][2] ~= 0 then
               rows[#rows + 1] = {b, input[b][j][1], input[b][j][2]}
            end
         end
      end
      self.formatted_input:resize(math.max(#rows, 1), 3)
      for i, r in ipairs(rows) do
         self.formatted_input[i][1], self.formatted_input[i][2] = r[1], r[2]
         self.formatted_input[i][3] = r[3]
      end
      return self.formatted_input:narrow(1, 1, #rows > 0 and #rows or 1), #rows
   end
   local nnz = 0
   for i = 1, #input do nnz = nnz + input[i]:size(1) end
   self.formatted_input:resize(nnz, 3)
   local at = 1
   for i = 1, #input do
      local n = input[i]:size(1)
      local block = self.formatted_input:narrow(1, at, n)
      block:narrow(2, 2, 2):copy(input[i])
      block:select(2, 1):fill(i)
      at = at + n
   end
   return self.formatted_input, nnz
end

function SparseLinear:updateOutput(input)
   if self.sparseUpdate == ONE_LAST_INPUT then self.sparseUpdate = ACC_MULTIPLE_TIMES end
   local samples, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   local batch = legacy and samples:size(1) or #samples
   if batch == 0 then
      self.output:copy(self.bias)
      return self.output
   end
   local coo, nnz = self:coordinates(samples, legacy)
   if nnz == 0 then
      self.output:resize(batch, self.weight:size(1)):copy(self.bias:view(1, -1)
         :expand(batch, self.weight:size(1)))
   else
      check(C.t7_nn_sparse_linear(self.output, coo, self.weight, self.bias, batch,
         THNN.INDEX_BASE), self)
   end
   if not batchMode then self.output = self.output[1] end
   return self.output
end

function SparseLinear:accGradParameters(input, gradOutput, scale)
   local samples, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   local coo, nnz = self:coordinates(samples, legacy)
   self.lastInput = self.lastInput or gradOutput.new()
   if self.sparseUpdate == NO_LAST_INPUT then
      self.lastInput:resizeAs(coo):copy(coo)
      self.lastNnz = nnz
      self.sparseUpdate = ONE_LAST_INPUT
   elseif self.sparseUpdate == ONE_LAST_INPUT then
      self.sparseUpdate = ACC_MULTIPLE_TIMES
   end
   if not batchMode then gradOutput = gradOutput:view(1, gradOutput:size(1)) end
   if nnz == 0 then
      self.gradBias:add(scale or 1, gradOutput:sum(1):view(-1))
      if (self.weightDecay or 0) ~= 0 then self.gradWeight:add(self.weightDecay, self.weight) end
      return
   end
   check(C.t7_nn_sparse_linear_acc_grad(self.gradWeight, self.gradBias, coo, gradOutput,
      self.weight, self.weightDecay or 0, scale or 1, THNN.INDEX_BASE), self)
end

-- The dense gradient with respect to the values, as (index, value) rows.
function SparseLinear:updateGradInput(input, gradOutput)
   if self.legacyMode then
      if torch.type(self.gradInput) ~= torch.type(gradOutput) then
         self.gradInput = gradOutput.new()
      end
      self.gradInput:resizeAs(input)
   else
      self.gradInput = {}
   end
   if not self.doGradInput then return self.gradInput end
   local inputSize = self.weight:size(2)
   local dense, batchMode
   if gradOutput:dim() == 1 then
      dense, batchMode = self.weight:t() * gradOutput, false
   else
      dense, batchMode = gradOutput * self.weight, true
   end
   local indices = torch.range(1, inputSize):typeAs(gradOutput)
   if self.legacyMode then
      local batch = self.gradInput:size(1)
      self.gradInput:resize(batch, inputSize, 2)
      self.gradInput:select(3, 1):copy(indices:view(1, -1):expand(batch, inputSize))
      self.gradInput:select(3, 2):copy(dense)
   else
      if not batchMode then dense = dense:view(1, inputSize) end
      for i = 1, dense:size(1) do
         self.gradInput[i] = gradOutput.new(inputSize, 2)
         self.gradInput[i]:select(2, 2):copy(dense[i])
         self.gradInput[i]:select(2, 1):copy(indices)
      end
   end
   return self.gradInput
end

-- After a single accumulation, only the columns of that input move (or are zeroed).
local function sparse_step(self)
   return self.lastInput and self.sparseUpdate == ONE_LAST_INPUT and (self.lastNnz or 0) > 0
end

function SparseLinear:updateParameters(learningRate)
   if sparse_step(self) then
      check(C.t7_nn_sparse_linear_update(self.weight, self.bias, self.gradWeight,
         self.gradBias, self.lastInput, learningRate, THNN.INDEX_BASE), self)
   else
      parent.updateParameters(self, learningRate)
   end
end

function SparseLinear:zeroGradParameters()
   if sparse_step(self) then
      check(C.t7_nn_sparse_linear_zero_grad(self.gradWeight, self.gradBias, self.lastInput,
         THNN.INDEX_BASE), self)
   else
      parent.zeroGradParameters(self)
   end
   self.sparseUpdate = NO_LAST_INPUT
end

function SparseLinear:clearState()
   if self.lastInput then self.lastInput:set() end
   return parent.clearState(self)
end

return SparseLinear
