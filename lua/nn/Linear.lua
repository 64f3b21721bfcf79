-- nn.Linear(inputSize, outputSize[, bias]): y = W x + b, for one sample (1-D input) or a
-- batch (2-D input, one sample per row). bias = false leaves b out.

local Linear, parent = torch.class('nn.Linear', 'nn.Module')
local THNN = require 'nn.THNN'

function Linear:__init(inputSize, outputSize, bias)
   parent.__init(self)
   if bias == nil then bias = true end
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function Linear:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

-- Weights, then biases, uniform in [-stdv, stdv): by default stdv = 1/sqrt(inputSize);
-- reset(s) gives a standard deviation s instead. Drawn in this order and row-major, so
-- that torch.manualSeed gives the original's numbers. (The original's nn.oldSeed mode drew
-- the same sequence element by element; here both ways are one.)
function Linear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- A column of ones as long as the batch: the bias is added to every row as an outer
-- product (ones x bias), so that BLAS does it.
function Linear:updateAddBuffer(input)
   local nframe = input:size(1)
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= nframe then
      self.addBuffer:resize(nframe):fill(1)
   end
end

-- The original's BLAS messages, naming the module.
local function checkFeatures(self, input)
   local n = input:size(input:dim())
   if n ~= self.weight:size(2) then
      local w = THNN.sizes(self.weight):gsub('x', ' x ')
      if input:dim() == 1 then
         THNN.fail(self, 'size mismatch, [%s], [%d]', w, n)
      end
      THNN.fail(self, 'size mismatch, m1: [%d x %d], m2: [%d x %d]', input:size(1), n,
         self.weight:size(2), self.weight:size(1))
   end
end

function Linear:updateOutput(input)
   if input:dim() == 1 or input:dim() == 2 then checkFeatures(self, input) end
   if input:dim() == 1 then
      self.output:resize(self.weight:size(1))
      if self.bias then self.output:copy(self.bias) else self.output:zero() end
      self.output:addmv(1, self.weight, input)
   elseif input:dim() == 2 then
      -- a factor 0 on the old contents does not read them (as BLAS), so they need no zeroing
      self.output:resize(input:size(1), self.weight:size(1))
      self:updateAddBuffer(input)
      self.output:addmm(0, self.output, 1, input, self.weight:t())
      if self.bias then self.output:addr(1, self.addBuffer, self.bias) end
   else
      THNN.fail(self, 'input must be vector or matrix, got %s', THNN.sizes(input))
   end
   return self.output
end

function Linear:updateGradInput(input, gradOutput)
   if self.gradInput then
      self.gradInput:resizeAs(input)
      if input:dim() == 1 then
         self.gradInput:addmv(0, 1, self.weight:t(), gradOutput)
      elseif input:dim() == 2 then
         self.gradInput:addmm(0, 1, gradOutput, self.weight)
      end
      return self.gradInput
   end
end

function Linear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:addr(scale, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   elseif input:dim() == 2 then
      self.gradWeight:addmm(scale, gradOutput:t(), input)
      if self.bias then
         -- the batch may differ from the last forward's (accGradParameters called alone)
         self:updateAddBuffer(input)
         self.gradBias:addmv(scale, gradOutput:t(), self.addBuffer)
      end
   end
end

-- Shared weights are updated once per module that uses them, so no gradient is needed.
function Linear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Linear:clearState()
   if self.addBuffer then self.addBuffer:set() end
   return parent.clearState(self)
end

function Linear:__tostring__()
   return torch.type(self) .. string.format('(%d -> %d)', self.weight:size(2),
      self.weight:size(1)) .. (self.bias == nil and ' without bias' or '')
end

return Linear
