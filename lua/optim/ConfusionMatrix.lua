-- optim.ConfusionMatrix(nclasses[, classes]) or (classes): counts of (target, prediction)
-- pairs; mat[t][p] is how often class t was predicted as p. Printing gives the matrix with
-- each row's accuracy, the average row accuracy, the average intersection over union
-- (VOC measure) and the global accuracy.
--
-- Fields (as saved): mat (LongTensor), valids and unionvalids (per class, FloatTensor),
-- nclasses, totalValid, averageValid, averageUnionValid, classes, and buffers.

local ConfusionMatrix = torch.class('optim.ConfusionMatrix')

function ConfusionMatrix:__init(nclasses, classes)
   if type(nclasses) == 'table' then
      classes = nclasses
      nclasses = #classes
   end
   self.mat = torch.LongTensor(nclasses, nclasses):zero()
   self.valids = torch.FloatTensor(nclasses):zero()
   self.unionvalids = torch.FloatTensor(nclasses):zero()
   self.nclasses = nclasses
   self.totalValid = 0
   self.averageValid = 0
   self.classes = classes or {}
   self._mat_flat = self.mat:view(-1)
   self._target = torch.FloatTensor()
   self._prediction = torch.FloatTensor()
   self._max = torch.FloatTensor()
   self._pred_idx = torch.LongTensor()
   self._targ_idx = torch.LongTensor()
end

-- One (prediction, target) pair of class numbers; a target below 1 means "unknown" and
-- is not counted.
function ConfusionMatrix:_add(p, t)
   assert(p and type(p) == 'number')
   assert(t and type(t) == 'number')
   if t > 0 then self.mat[t][p] = self.mat[t][p] + 1 end
end

-- The class of a score vector: its first largest entry.
local function arg_max(self, scores, into)
   self._max:max(into, scores, 1)
   return into[1]
end

-- add(prediction, target): each is a class number or a vector of scores (its arg max).
function ConfusionMatrix:add(prediction, target)
   if type(prediction) == 'number' then
      self:_add(prediction, target)
      return
   end
   self._prediction:resize(prediction:size()):copy(prediction)
   assert(prediction:dim() == 1)
   local predicted = arg_max(self, self._prediction, self._pred_idx)
   if type(target) == 'number' then
      self:_add(predicted, target)
   else
      assert(target:dim() == 1)
      self._target:resize(target:size()):copy(target)
      self:_add(predicted, arg_max(self, self._target, self._targ_idx))
   end
end

-- The class of each row: a vector of classes, an n x 1 matrix of classes, or an n x k
-- matrix of scores (its arg max per row).
local function classes_of(self, values, buffer, indices, what)
   buffer:resize(values:size()):copy(values)
   if values:dim() == 1 then return buffer end
   if values:dim() ~= 2 then error(what .. ' has invalid number of dimensions', 3) end
   if values:size(2) == 1 then return buffer:select(2, 1) end
   self._max:max(indices, buffer, 2)
   return indices:select(2, 1)
end

-- batchAdd(predictions, targets): one pair per row.
function ConfusionMatrix:batchAdd(predictions, targets)
   local preds = classes_of(self, predictions, self._prediction, self._pred_idx,
      'predictions')
   local targs = classes_of(self, targets, self._target, self._targ_idx, 'targets')
   for i = 1, targs:size(1) do
      local t = targs[i]
      if t >= 1 then self:_add(preds[i], t) end
   end
end

function ConfusionMatrix:zero()
   self.mat:zero()
   self.valids:zero()
   self.unionvalids:zero()
   self.totalValid = 0
   self.averageValid = 0
end

-- Per class: valids = correct / row total, unionvalids = correct / (row + column -
-- correct); their averages over classes where they are defined; the global accuracy.
function ConfusionMatrix:updateValids()
   local mat = self.mat
   local total, count = 0, mat:sum()
   for t = 1, self.nclasses do
      local correct = mat[t][t]
      local row, column = mat:select(1, t):sum(), mat:select(2, t):sum()
      self.valids[t] = correct / row
      self.unionvalids[t] = correct / (row + column - correct)
      total = total + correct
   end
   self.totalValid = total / count
   local valid_sum, n_valid, union_sum, n_union = 0, 0, 0, 0
   for t = 1, self.nclasses do
      local v, u = self.valids[t], self.unionvalids[t]
      if v == v then
         valid_sum, n_valid = valid_sum + v, n_valid + 1
         if u == u then union_sum, n_union = union_sum + u, n_union + 1 end
      end
   end
   self.averageValid = valid_sum / n_valid
   self.averageUnionValid = union_sum / n_union
end

-- False rejection and false acceptance rates: per class (-1 for a class with no sample),
-- and as lists over the classes that have samples.
function ConfusionMatrix:farFrr()
   local mat = self.mat
   local n = mat:size(1)
   local counts = mat:sum(2)
   self._frrs = self._frrs or torch.zeros(n)
   self._fars = self._fars or torch.zeros(n)
   self._classFrrs = self._classFrrs or torch.zeros(n)
   self._classFars = self._classFars or torch.zeros(n)
   self._frrs:zero()
   self._fars:zero()
   self._classFrrs:fill(-1)
   self._classFars:fill(-1)
   local k = 0
   for i = 1, n do
      if counts[i][1] ~= 0 then
         k = k + 1
         self._frrs[k] = 1 - mat[i][i] / counts[i][1]
         self._classFrrs[i] = self._frrs[k]
         local far_sum, others = 0, 0
         for j = 1, n do
            if i ~= j and counts[j][1] ~= 0 then
               far_sum = far_sum + mat[j][i] / counts[j][1]
               others = others + 1
            end
         end
         self._fars[k] = far_sum / others
         self._classFars[i] = self._fars[k]
      end
   end
   if k == 0 then return self._classFrrs, self._classFars, self._frrs.new(), self._fars.new() end
   return self._classFrrs, self._classFars, self._frrs:narrow(1, 1, k),
      self._fars:narrow(1, 1, k)
end

function ConfusionMatrix:__tostring__()
   self:updateValids()
   local out = {'ConfusionMatrix:\n', '['}
   local width = math.max(8, 1 + math.ceil(math.log10(self.mat:max())))
   local named = self.classes and self.classes[1]
   for t = 1, self.nclasses do
      out[#out + 1] = t == 1 and '[' or ' ['
      for p = 1, self.nclasses do
         out[#out + 1] = string.format('%' .. width .. 'd', self.mat[t][p])
      end
      local close = t == self.nclasses and ']]  ' or ']   '
      local accuracy = string.format('%2.3f', self.valids[t] * 100)
      if named then
         out[#out + 1] = close .. accuracy .. '% \t[class: ' .. (self.classes[t] or '')
            .. ']\n'
      else
         out[#out + 1] = close .. accuracy .. '% \n'
      end
   end
   out[#out + 1] = ' + average row correct: ' .. (self.averageValid * 100) .. '% \n'
   out[#out + 1] = ' + average rowUcol correct (VOC measure): '
      .. (self.averageUnionValid * 100) .. '% \n'
   out[#out + 1] = ' + global correct: ' .. (self.totalValid * 100) .. '%'
   return table.concat(out)
end

-- The original drew the matrix in a Qt window (image, qtwidget); not available here.
function ConfusionMatrix:render()
   error('ConfusionMatrix:render needs the image and qtwidget packages, which are not '
      .. 'available', 2)
end

return ConfusionMatrix
