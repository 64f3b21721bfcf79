-- nn.CosineDistance: the cosine similarity a . b / (||a|| ||b||) of the pair {a, b}, or row
-- by row for a pair of matrices.

local CosineDistance, parent = torch.class('nn.CosineDistance', 'nn.Module')
local THNN = require 'nn.THNN'

function CosineDistance:__init()
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

-- Both inputs as contiguous rows.
local function as_rows(self, input)
   local a, b = input[1], input[2]
   if not a:isContiguous() then
      self._input1 = (self._input1 or a.new()):resizeAs(a):copy(a)
      a = self._input1
   end
   if not b:isContiguous() then
      self._input2 = (self._input2 or b.new()):resizeAs(b):copy(b)
      b = self._input2
   end
   if a:dim() == 1 then return a:view(1, -1), b:view(1, -1) end
   return a, b
end

-- Kept per row: w1 = a . b, w22 = 1 / ||a||^2, w32 = 1 / ||b||^2, w = 1 / (||a|| ||b||).
function CosineDistance:updateOutput(input)
   THNN.checkTableSizes(self, input, 2)
   local a, b = as_rows(self, input)
   if not self.buffer then
      self.buffer, self.w1, self.w22 = a.new(), a.new(), a.new()
      self.w, self.w32, self.ones = a.new(), a.new(), a.new()
   end
   local epsilon = 1e-12
   self.buffer:cmul(a, b)
   self.w1:sum(self.buffer, 2)
   self.buffer:cmul(a, a)
   self.w22:sum(self.buffer, 2):add(epsilon)
   self.ones:resizeAs(self.w22):fill(1)
   self.w22:cdiv(self.ones, self.w22)
   self.buffer:cmul(b, b)
   self.w32:sum(self.buffer, 2):add(epsilon)
   self.w32:cdiv(self.ones, self.w32)
   self.w:resizeAs(self.w22):copy(self.w22):cmul(self.w32):sqrt()
   self.output:cmul(self.w1, self.w):resize(a:size(1))
   return self.output
end

-- d cos / d a = (b - (a . b) a / ||a||^2) / (||a|| ||b||), and symmetrically for b.
function CosineDistance:updateGradInput(input, gradOutput)
   local a, b = as_rows(self, input)
   local ga, gb = self.gradInput[1] or a.new(), self.gradInput[2] or a.new()
   self.gradInput[1], self.gradInput[2] = ga, gb
   ga:resizeAs(a):copy(b)
   gb:resizeAs(a):copy(a)
   self.buffer:cmul(self.w1, self.w22)
   ga:addcmul(-1, self.buffer:expandAs(a), a):cmul(self.w:expandAs(a))
   self.buffer:cmul(self.w1, self.w32)
   gb:addcmul(-1, self.buffer:expandAs(a), b):cmul(self.w:expandAs(a))
   local go = gradOutput:contiguous():view(-1, 1):expandAs(a)
   ga:cmul(go)
   gb:cmul(go)
   if input[1]:dim() == 1 then
      ga:resize(ga:size(2))
      gb:resize(gb:size(2))
   end
   return self.gradInput
end

function CosineDistance:clearState()
   nn.utils.clear(self, {'buffer', 'w1', 'w22', 'w', 'w32', 'ones'})
   return parent.clearState(self)
end

return CosineDistance
