-- nn.MaskZeroCriterion(criterion, nInputDim): applies criterion to the samples of a batch
-- whose input (its first tensor, samples of nInputDim dimensions) is not all zeros; the
-- others add nothing to the loss and get a zero gradient. A batch of only such samples
-- has a loss of 0.

local MaskZeroCriterion, parent = torch.class('nn.MaskZeroCriterion', 'nn.Criterion')

function MaskZeroCriterion:__init(criterion, nInputDim)
   parent.__init(self)
   assert(torch.isTypeOf(criterion, 'nn.Criterion'), 'expecting nn.Criterion at arg 1')
   assert(torch.type(nInputDim) == 'number', 'Expecting nInputDim number at arg 2')
   self.criterion = criterion
   self.nInputDim = nInputDim
end

MaskZeroCriterion.recursiveGetFirst = nn.MaskZero.recursiveGetFirst

-- The rows of src (each tensor of a nested table) listed in indices.
local function select_rows(dst, src, indices)
   if torch.type(src) == 'table' then
      dst = torch.type(dst) == 'table' and dst or {}
      for k, v in ipairs(src) do dst[k] = select_rows(dst[k], v, indices) end
      return dst
   end
   dst = torch.isTensor(dst) and dst or src.new()
   return dst:index(src, 1, indices)
end

-- dst shaped as input, zero except the rows listed in indices, which come from src.
local function scatter_rows(dst, src, indices, input)
   if torch.type(input) == 'table' then
      dst = torch.type(dst) == 'table' and dst or {}
      for k, v in ipairs(input) do dst[k] = scatter_rows(dst[k], src and src[k], indices, v) end
      for k = #input + 1, #dst do dst[k] = nil end
      return dst
   end
   dst = torch.isTensor(dst) and dst or input.new()
   dst:resizeAs(input):zero()
   if indices:nElement() > 0 then dst:indexCopy(1, indices, src) end
   return dst
end

function MaskZeroCriterion:updateOutput(input, target)
   local first = self:recursiveGetFirst(input):contiguous()
   if first:dim() == self.nInputDim then
      error('does not support online (i.e. non-batch) mode', 2)
   elseif first:dim() ~= self.nInputDim + 1 then
      error('nInputDim error: ' .. first:dim() .. ', ' .. self.nInputDim, 2)
   end
   local norms = first:view(first:size(1), -1):norm(2, 2):view(-1)
   self.zeroMask = self.zeroMask or torch.LongTensor()
   self.zeroMask:resize(norms:size(1))
   local kept = 0
   for i = 1, norms:size(1) do
      if norms[i] ~= 0 then
         kept = kept + 1
         self.zeroMask[kept] = i
      end
   end
   self.zeroMask:resize(kept)
   if kept == 0 then
      self.output = 0
      return self.output
   end
   self.input = select_rows(self.input, input, self.zeroMask)
   self.target = select_rows(self.target, target, self.zeroMask)
   self.output = self.criterion:updateOutput(self.input, self.target)
   return self.output
end

function MaskZeroCriterion:updateGradInput(input, target)
   local gradient
   if self.zeroMask:nElement() > 0 then
      gradient = self.criterion:updateGradInput(self.input, self.target)
   end
   self.gradInput = scatter_rows(self.gradInput, gradient, self.zeroMask, input)
   return self.gradInput
end

function MaskZeroCriterion:type(typename, ...)
   self.zeroMask, self.input, self.target = nil, nil, nil
   return parent.type(self, typename, ...)
end

return MaskZeroCriterion
