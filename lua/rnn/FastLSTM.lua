-- nn.FastLSTM(inputSize[, outputSize[, rho[, eps, momentum, affine[, p[, mono]]]]]): an
-- LSTM without peepholes whose four gates come out of two matrix products per step:
-- i2g = Linear(inputSize, 4 * outputSize) on the input and o2g = LinearNoBias(outputSize,
-- 4 * outputSize) on the previous output, the 4 * outputSize columns being, in order, the
-- input gate i, the hidden candidate g, the forget gate f and the output gate o:
--   c[t] = f * c[t-1] + i * g,   h[t] = o * tanh(c[t])
-- With p > 0 (Gal's variational dropout) each gate's products see their own lazy dropout
-- of x and h[t-1], one mask per sequence; i2g and o2g then join a Linear per gate.
-- Set nn.FastLSTM.usenngraph = true before construction for the step module to be an
-- nngraph gModule (same parameters, same results), nn.FastLSTM.bn = true for recurrent batch
-- normalization (see nngraphModel).

local FastLSTM, parent = torch.class('nn.FastLSTM', 'nn.LSTM')

FastLSTM.usenngraph = false
FastLSTM.bn = false

function FastLSTM:__init(inputSize, outputSize, rho, eps, momentum, affine, p, mono)
   self.eps = eps
   self.momentum = momentum
   self.affine = affine == nil and true or affine
   parent.__init(self, inputSize, outputSize, rho, nil, p, mono)
end

-- {x, h[t-1], c[t-1]} -> {h[t], c[t]}
function FastLSTM:buildModel()
   local H = self.outputSize
   self.i2g = self:blocksAfterDropout(4, function(n) return nn.Linear(self.inputSize, n) end)
   self.o2g = self:blocksAfterDropout(4, function(n) return nn.LinearNoBias(H, n) end)
   if self.usenngraph or self.bn then return self:nngraphModel() end

   -- {x, h, c} -> {i, g, f, o}
   local gates = nn.Sequential()
      :add(nn.NarrowTable(1, 2))
      :add(nn.ParallelTable():add(self.i2g):add(self.o2g))
      :add(nn.CAddTable())
      :add(nn.Reshape(4, H))
      :add(nn.SplitTable(1, 2))
      :add(nn.ParallelTable():add(nn.Sigmoid()):add(nn.Tanh()):add(nn.Sigmoid())
         :add(nn.Sigmoid()))
   local step = nn.Sequential()
      :add(nn.ConcatTable():add(gates):add(nn.SelectTable(3)))
      :add(nn.FlattenTable())                       -- {i, g, f, o, c[t-1]}
   local written = nn.Sequential():add(nn.NarrowTable(1, 2)):add(nn.CMulTable())
   local kept = nn.Sequential()
      :add(nn.ConcatTable():add(nn.SelectTable(3)):add(nn.SelectTable(5)))
      :add(nn.CMulTable())
   local nextCell = nn.Sequential()
      :add(nn.ConcatTable():add(written):add(kept))
      :add(nn.CAddTable())
   step:add(nn.ConcatTable():add(nextCell):add(nn.SelectTable(4)))
      :add(nn.FlattenTable())                       -- {c[t], o}
   local output = nn.Sequential()
      :add(nn.ConcatTable()
         :add(nn.Sequential():add(nn.SelectTable(1)):add(nn.Tanh()))
         :add(nn.SelectTable(2)))
      :add(nn.CMulTable())
   step:add(nn.ConcatTable():add(output):add(nn.SelectTable(1)))
   return step
end

-- The same step as an nngraph gModule. With nn.FastLSTM.bn = true at construction,
-- recurrent batch normalization (Cooijmans et al.): the input's and the previous output's
-- products are normalized apart (eps, momentum, affine as given), a bias follows the
-- recurrent one, and the cell is normalized before its tanh; the scales start at 0.1.
function FastLSTM:nngraphModel()
   require 'nngraph'
   local H = self.outputSize
   local x, prevH, prevC = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local fromInput, fromOutput = self.i2g(x), self.o2g(prevH)
   local normalizedCell
   if self.bn then
      local function normalization(n)
         local bn = nn.BatchNormalization(n, self.eps, self.momentum, self.affine)
         if bn.weight then bn.weight:fill(0.1) end
         return bn
      end
      fromInput = normalization(4 * H)(fromInput)
      fromOutput = nn.Add(4 * H)(normalization(4 * H)(fromOutput))
      normalizedCell = normalization(H)
   end
   local sums = nn.CAddTable()({fromInput, fromOutput})
   local i, g, f, o = nn.SplitTable(2)(nn.Reshape(4, H)(sums)):split(4)
   local nextC = nn.CAddTable()({
      nn.CMulTable()({nn.Sigmoid()(f), prevC}),
      nn.CMulTable()({nn.Sigmoid()(i), nn.Tanh()(g)})})
   local cellOut = normalizedCell and normalizedCell(nextC) or nextC
   local nextH = nn.CMulTable()({nn.Sigmoid()(o), nn.Tanh()(cellOut)})
   return nn.gModule({x, prevH, prevC}, {nextH, nextC})
end

for _, name in ipairs({'buildGate', 'buildInputGate', 'buildForgetGate', 'buildHidden',
      'buildCell', 'buildOutputGate'}) do
   FastLSTM[name] = function()
      error('nn.FastLSTM:' .. name .. ' is not implemented: its gates are computed together',
         2)
   end
end

return FastLSTM
