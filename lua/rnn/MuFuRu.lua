-- nn.MuFuRu(inputSize, outputSize[, ops[, rho]]): the multi-function recurrent unit
-- (Weissenborn and Rocktäschel, "MuFuRU: The Multi-Function Recurrent Unit"), a GRU whose
-- update mixes several composition operations of the previous state s[t-1] and a new
-- feature vector v[t], weighted per unit by a softmax over the operations:
--   r[t] = sigmoid(W[x->r] x[t] + W[s->r] s[t-1] + b[r])
--   v[t] = tanh(W[v] [x[t], r[t] * s[t-1]] + b[v])
--   p[t] = softmax over j of (W[p] [x[t], s[t-1]] + b[p])[j]
--   s[t] = sum over j of p[t][j] * op[j](s[t-1], v[t])
-- ops names the operations (default all of them, in this order): keep (s[t-1]), replace
-- (v[t]), mul, diff (s[t-1] - v[t]), forget (0), sqrt_diff (0.25 sqrt|s[t-1] - v[t]|),
-- max and min. {'keep', 'replace'} is a GRU with a softmax update gate. The rest (steps,
-- forget, hidden states) is nn.GRU's.

local MuFuRu, parent = torch.class('nn.MuFuRu', 'nn.GRU')

-- The operations, as modules taking {s[t-1], v[t]}; new instances per step module.
local OPERATIONS = {
   keep = function() return nn.SelectTable(1) end,
   replace = function() return nn.SelectTable(2) end,
   mul = function() return nn.CMulTable() end,
   diff = function() return nn.CSubTable() end,
   forget = function()
      return nn.Sequential():add(nn.SelectTable(1)):add(nn.MulConstant(0))
   end,
   sqrt_diff = function()
      return nn.Sequential():add(nn.CSubTable()):add(nn.Abs()):add(nn.Sqrt())
         :add(nn.MulConstant(0.25))
   end,
   max = function() return nn.CMaxTable() end,
   min = function() return nn.CMinTable() end,
}

local ALL = {'keep', 'replace', 'mul', 'diff', 'forget', 'sqrt_diff', 'max', 'min'}

function MuFuRu:__init(inputSize, outputSize, ops, rho)
   self.ops = ops or ALL
   if torch.type(self.ops) ~= 'table' or #self.ops == 0 then
      error('nn.MuFuRu: expecting a table of operation names at arg 3', 2)
   end
   for _, name in ipairs(self.ops) do
      if not OPERATIONS[name] then
         error('nn.MuFuRu: unknown operation ' .. tostring(name) .. ' (expecting some of '
            .. table.concat(ALL, ', ') .. ')', 2)
      end
   end
   self.num_ops = #self.ops
   parent.__init(self, inputSize, outputSize, rho or 9999)
end

-- {x, s[t-1]} -> s[t]
function MuFuRu:buildModel()
   local D, H, J = self.inputSize, self.outputSize, self.num_ops
   local resetGate = nn.Sequential()
      :add(nn.ParallelTable():add(nn.Linear(D, H)):add(nn.Linear(H, H)))
      :add(nn.CAddTable())
      :add(nn.Sigmoid())
   -- {x, s, r} -> v
   local feature = nn.Sequential()
      :add(nn.ConcatTable()
         :add(nn.SelectTable(1))
         :add(nn.Sequential():add(nn.NarrowTable(2, 2)):add(nn.CMulTable())))
      :add(nn.JoinTable(1, 1))
      :add(nn.Linear(D + H, H))
      :add(nn.Tanh())
   -- {x, s, r} -> {p[1], ..., p[J]}: the weights come out unit by unit (H x J), so that the
   -- softmax runs over the last dimension, batch or not
   local weights = nn.Sequential()
      :add(nn.NarrowTable(1, 2))
      :add(nn.JoinTable(1, 1))
      :add(nn.Linear(D + H, H * J))
      :add(nn.View(H, J):setNumInputDims(1))
      :add(nn.Bottle(nn.SoftMax()))
      :add(nn.SplitTable(-1))
   local operations = nn.ConcatTable()
   for _, name in ipairs(self.ops) do operations:add(OPERATIONS[name]()) end
   -- {s, v, {p[j]}} -> sum of p[j] * op[j](s, v)
   local combine = nn.Sequential()
      :add(nn.ConcatTable()
         :add(nn.Sequential():add(nn.NarrowTable(1, 2)):add(operations))
         :add(nn.SelectTable(3)))
      :add(nn.ZipTable())
      :add(nn.MapTable(nn.CMulTable()))
      :add(nn.CAddTable())
   return nn.Sequential()
      :add(nn.ConcatTable():add(nn.SelectTable(1)):add(nn.SelectTable(2)):add(resetGate))
      :add(nn.ConcatTable():add(nn.SelectTable(2)):add(feature):add(weights))
      :add(combine)
end

function MuFuRu:migrate()
   error('nn.MuFuRu: migrate is not supported', 2)
end

function MuFuRu:__tostring__()
   return string.format('%s(%d -> %d) { %s }', torch.type(self), self.inputSize,
      self.outputSize, table.concat(self.ops, ' '))
end

return MuFuRu
