-- nn.CosineEmbeddingCriterion([margin]): for pairs {a, b} (vectors, or rows of matrices)
-- and y = 1 (similar) or -1, the loss 1 - cos(a, b) where y = 1 and max(0, cos(a, b) -
-- margin) where y = -1 (margin default 0), averaged over the pairs (self.sizeAverage).

local THNN = require 'nn.THNN'
local CosineEmbeddingCriterion, parent = torch.class('nn.CosineEmbeddingCriterion',
   'nn.Criterion')

function CosineEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 0
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   self.sizeAverage = true
end

local function rows(t)
   if t:dim() == 1 then return t:view(1, -1) end
   return t
end

local function targets(self, y, like)
   if type(y) ~= 'number' then return y end
   self._y = self._y or like.new(1)
   self._y[1] = y
   return self._y
end

-- Per row: w1 = a . b, w22 = 1 / ||a||^2, w32 = 1 / ||b||^2, w = 1 / (||a|| ||b||), and
-- the cosine in _cos.
function CosineEmbeddingCriterion:cosines(a, b)
   if not self.buffer then
      self.buffer, self.w1, self.w22 = a.new(), a.new(), a.new()
      self.w, self.w32, self._cos = a.new(), a.new(), a.new()
   end
   local epsilon = 1e-12
   self.buffer:cmul(a, b)
   self.w1:sum(self.buffer, 2)
   self.buffer:cmul(a, a)
   self.w22:sum(self.buffer, 2):add(epsilon)
   self.w22:pow(-1)
   self.buffer:cmul(b, b)
   self.w32:sum(self.buffer, 2):add(epsilon)
   self.w32:pow(-1)
   self.w:resizeAs(self.w22):copy(self.w22):cmul(self.w32):sqrt()
   self._cos:cmul(self.w1, self.w)
end

function CosineEmbeddingCriterion:updateOutput(input, y)
   THNN.checkTableSizes(self, input, 2)
   local a, b = rows(input[1]), rows(input[2])
   y = targets(self, y, a)
   self:cosines(a, b)
   local total = 0
   self._losses = {}
   for i = 1, a:size(1) do
      local c = self._cos[i][1]
      local loss = y[i] == -1 and math.max(0, c - self.margin) or 1 - c
      self._losses[i] = loss
      total = total + loss
   end
   self.output = self.sizeAverage and total / y:size(1) or total
   return self.output
end

-- d cos / d a = (b - (a . b) a / ||a||^2) / (||a|| ||b||); the loss's derivative is
-- -d cos for y = 1, d cos for y = -1, and 0 for pairs that contribute no loss.
function CosineEmbeddingCriterion:updateGradInput(input, y)
   local a, b = rows(input[1]), rows(input[2])
   y = targets(self, y, a)
   local ga, gb = self.gradInput[1], self.gradInput[2]
   ga:resizeAs(a):copy(b)
   gb:resizeAs(a):copy(a)
   self.buffer:cmul(self.w1, self.w22)
   ga:addcmul(-1, self.buffer:expandAs(a), a):cmul(self.w:expandAs(a))
   self.buffer:cmul(self.w1, self.w32)
   gb:addcmul(-1, self.buffer:expandAs(a), b):cmul(self.w:expandAs(a))
   self._coef = self._coef or a.new()
   self._coef:resize(a:size(1), 1)
   for i = 1, a:size(1) do
      local sign = y[i] == 1 and -1 or 1
      self._coef[i][1] = self._losses[i] <= 0 and 0 or sign
   end
   if self.sizeAverage then self._coef:div(y:size(1)) end
   ga:cmul(self._coef:expandAs(ga))
   gb:cmul(self._coef:expandAs(gb))
   if input[1]:dim() == 1 then
      ga:resize(ga:size(2))
      gb:resize(gb:size(2))
   end
   return self.gradInput
end

return CosineEmbeddingCriterion
