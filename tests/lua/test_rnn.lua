-- rnn: finite-difference Jacobians of every recurrent module (through a Sequencer, with a
-- forward before each backward), the cells against the documented equations computed
-- here with plain tensor operations, SeqLSTM/SeqGRU against their step-by-step
-- counterparts with weights mapped by hand, forget/remember semantics, rho, zero masking,
-- an LSTM language model against one unrolled by hand in nngraph, and saving and loading.

require 'rnn'
require 'nngraph'

local tester = torch.Tester()
local tests = torch.TestSuite()
local precision = 1e-5
local checks = paths.dofile('rnn_checks.lua')
local max_difference = checks.max_difference

local function sigmoid(x)
   return torch.cdiv(torch.ones(x:size()), torch.exp(-x) + 1)
end

local function check_jacobians(module, input, name)
   checks.jacobians(tester, module, input, name, precision)
end

function tests.jacobians_of_stepped_modules()
   torch.manualSeed(1)
   local T, N, D, H = 3, 2, 4, 3
   local cases = {
      {'LSTM', nn.LSTM(D, H)},
      {'LSTM without peepholes', nn.LSTM(D, H, nil, false)},
      {'FastLSTM', nn.FastLSTM(D, H)},
      {'GRU', nn.GRU(D, H)},
      {'Recurrent', nn.Recurrent(H, nn.Linear(D, H), nn.Linear(H, H), nn.Tanh(), 5)},
      {'Recursor of a Linear', nn.Recursor(nn.Linear(D, H))},
      {'Sequential of LSTMs', nn.Sequential():add(nn.FastLSTM(D, H)):add(nn.GRU(H, H))},
   }
   for _, case in ipairs(cases) do
      check_jacobians(nn.Sequencer(case[2]), torch.randn(T, N, D), case[1])
   end
   check_jacobians(nn.Sequencer(nn.FastLSTM(D, H)), torch.randn(T, D), 'FastLSTM sample')
end

function tests.jacobians_of_sequence_modules()
   torch.manualSeed(2)
   local T, N, D, H = 4, 3, 3, 2
   check_jacobians(nn.SeqLSTM(D, H), torch.randn(T, N, D), 'SeqLSTM')
   check_jacobians(nn.SeqGRU(D, H), torch.randn(T, N, D), 'SeqGRU')
   local batchfirst = nn.SeqLSTM(D, H)
   batchfirst.batchfirst = true
   check_jacobians(batchfirst, torch.randn(N, T, D), 'SeqLSTM batchfirst')
   local bi = nn.Sequential()
      :add(nn.SplitTable(1))
      :add(nn.BiSequencer(nn.FastLSTM(D, H), nn.GRU(D, H)))
      :add(nn.JoinTable(1))
   check_jacobians(bi, torch.randn(T, D), 'BiSequencer')
   local repeater = nn.Sequential():add(nn.Repeater(nn.FastLSTM(D, H), 3))
      :add(nn.JoinTable(1))
   check_jacobians(repeater, torch.randn(N, D), 'Repeater')
end

-- The peephole LSTM of the documentation, one step, computed here from the module's own
-- gate modules' weights.
function tests.lstm_follows_its_equations()
   torch.manualSeed(3)
   local D, H, N = 4, 3, 2
   local lstm = nn.LSTM(D, H)
   local function gate_terms(gate, x, h, c)
      local para = torch.type(gate:get(1)) == 'nn.ParallelTable' and gate:get(1)
         or gate:get(2)
      local sum = para:get(1):forward(x) + para:get(2):forward(h)
      if c then sum:add(torch.cmul(c, para:get(3).weight:view(1, H):expand(N, H))) end
      return sum
   end
   local xs = {torch.randn(N, D), torch.randn(N, D)}
   local h, c = torch.zeros(N, H), torch.zeros(N, H)
   for t = 1, 2 do
      local x = xs[t]
      local i = sigmoid(gate_terms(lstm.inputGate, x, h, c))
      local f = sigmoid(gate_terms(lstm.forgetGate, x, h, c))
      local hidden = torch.tanh(gate_terms(lstm.hiddenLayer, x, h))
      local newc = torch.cmul(f, c) + torch.cmul(i, hidden)
      local o = sigmoid(gate_terms(lstm.outputGate, x, h, newc))
      h, c = torch.cmul(o, torch.tanh(newc)), newc
      tester:assertlt(max_difference(lstm:forward(x), h), 1e-12, 'output of step ' .. t)
      tester:assertlt(max_difference(lstm.cell, c), 1e-12, 'cell of step ' .. t)
   end
end

function tests.gru_follows_its_equations()
   torch.manualSeed(4)
   local D, H, N = 3, 4, 2
   local gru = nn.GRU(D, H)
   local params = gru:parameters()
   local Wg, bg, Ug, Wh, bh, Uh = unpack(params)
   local s = torch.zeros(N, H)
   for t = 1, 3 do
      local x = torch.randn(N, D)
      local gates = x * Wg:t() + bg:view(1, 2 * H):expand(N, 2 * H) + s * Ug:t()
      local r, z = sigmoid(gates:narrow(2, 1, H)), sigmoid(gates:narrow(2, H + 1, H))
      local candidate = torch.tanh(x * Wh:t() + bh:view(1, H):expand(N, H)
         + torch.cmul(r, s) * Uh:t())
      s = torch.cmul(-z + 1, candidate) + torch.cmul(z, s)
      tester:assertlt(max_difference(gru:forward(x), s), 1e-12, 'state of step ' .. t)
   end
end

-- SeqLSTM's weight columns are the gates i, f, o, g; FastLSTM's i2g/o2g rows are i, g, f, o.
local function fastlstm_like(seq)
   local D, H = seq.inputsize, seq.outputsize
   local lstm = nn.FastLSTM(D, H)
   local order = {1, 4, 2, 3}        -- FastLSTM block k is SeqLSTM block order[k]
   for k = 1, 4 do
      local cols = {{}, {(order[k] - 1) * H + 1, order[k] * H}}
      local rows = {(k - 1) * H + 1, k * H}
      lstm.i2g.weight[{rows}]:copy(seq.weight[{{1, D}}][cols]:t())
      lstm.i2g.bias[{rows}]:copy(seq.bias[{cols[2]}])
      lstm.o2g.weight[{rows}]:copy(seq.weight[{{D + 1, D + H}}][cols]:t())
   end
   return lstm
end

function tests.seqlstm_equals_fastlstm_and_lstm_in_a_sequencer()
   torch.manualSeed(5)
   local T, N, D, H = 5, 3, 4, 6
   local seq = nn.SeqLSTM(D, H)
   local fast = fastlstm_like(seq)
   -- nn.LSTM without peepholes: the same cell with one Linear per gate
   local lstm = nn.LSTM(D, H, nil, false)
   local blocks = {lstm.inputGate, lstm.hiddenLayer, lstm.forgetGate, lstm.outputGate}
   for k, gate in ipairs(blocks) do
      local rows = {(k - 1) * H + 1, k * H}
      local para = gate:get(2)
      para:get(1).weight:copy(fast.i2g.weight[{rows}])
      para:get(1).bias:copy(fast.i2g.bias[{rows}])
      para:get(2).weight:copy(fast.o2g.weight[{rows}])
   end
   local x, gradOutput = torch.randn(T, N, D), torch.randn(T, N, H)
   local y = seq:forward(x)
   seq:zeroGradParameters()
   local gx = seq:backward(x, gradOutput)
   for _, other in ipairs({{'FastLSTM', fast}, {'LSTM', lstm}}) do
      local sequencer = nn.Sequencer(other[2])
      tester:assertlt(max_difference(sequencer:forward(x), y), 1e-12, other[1] .. ' output')
      sequencer:zeroGradParameters()
      tester:assertlt(max_difference(sequencer:backward(x, gradOutput), gx), 1e-12,
         other[1] .. ' gradInput')
   end
   -- the parameter gradients, mapped through the same layout
   local mapped = fastlstm_like({inputsize = D, outputsize = H, weight = seq.gradWeight,
      bias = seq.gradBias})
   tester:assertlt(max_difference(mapped.i2g.weight, fast.i2g.gradWeight), 1e-12, 'dWx')
   tester:assertlt(max_difference(mapped.i2g.bias, fast.i2g.gradBias), 1e-12, 'db')
   tester:assertlt(max_difference(mapped.o2g.weight, fast.o2g.gradWeight), 1e-12, 'dWh')
end

function tests.seqlstm_to_fastlstm_and_seqgru_to_gru()
   torch.manualSeed(6)
   local x = torch.randn(4, 2, 3)
   local seq = nn.SeqLSTM(3, 5)
   tester:assertlt(max_difference(nn.Sequencer(seq:toFastLSTM()):forward(x), seq:forward(x)),
      1e-12, 'toFastLSTM')
   local fast = fastlstm_like(seq)
   tester:assertle(max_difference(seq:toFastLSTM().i2g.weight, fast.i2g.weight), 0, 'layout')
   local sgru = nn.SeqGRU(3, 5)
   tester:assertlt(max_difference(nn.Sequencer(sgru:toGRU()):forward(x), sgru:forward(x)),
      1e-12, 'toGRU')
end

function tests.seqlstm_initial_states_and_their_gradients()
   torch.manualSeed(7)
   local T, N, D, H = 3, 2, 3, 4
   local seq = nn.SeqLSTM(D, H)
   local c0, h0, x = torch.randn(N, H), torch.randn(N, H), torch.randn(T, N, D)
   local y = seq:forward({c0, h0, x})
   -- the same through FastLSTM, its initial state set by hand
   local fast = fastlstm_like(seq)
   fast.userPrevOutput, fast.userPrevCell = h0, c0
   local steps = nn.Sequencer(fast)
   tester:assertlt(max_difference(steps:forward(x), y), 1e-12, 'output from h0, c0')
   local gradOutput = torch.randn(T, N, H)
   local grads = seq:backward({c0, h0, x}, gradOutput)
   tester:eq(#grads, 3, '{grad_c0, grad_h0, grad_x}')
   -- d loss / d h0 by central differences, loss = sum(y * gradOutput)
   local numeric = torch.Tensor(N, H)
   for i = 1, N do
      for j = 1, H do
         local keep = h0[i][j]
         h0[i][j] = keep + 1e-6
         local up = torch.cmul(seq:forward({c0, h0, x}), gradOutput):sum()
         h0[i][j] = keep - 1e-6
         local down = torch.cmul(seq:forward({c0, h0, x}), gradOutput):sum()
         h0[i][j] = keep
         numeric[i][j] = (up - down) / 2e-6
      end
   end
   tester:assertlt(max_difference(numeric, grads[2]), 1e-6, 'grad_h0')
end

function tests.sequencer_forgets_by_default_and_remembers_when_told()
   torch.manualSeed(8)
   local D, H = 3, 4
   local lstm = nn.FastLSTM(D, H)
   local seq = nn.Sequencer(lstm)
   local a, b = torch.randn(3, 2, D), torch.randn(2, 2, D)
   local fresh = seq:forward(b):clone()
   seq:forward(a)
   tester:assertle(max_difference(seq:forward(b), fresh), 0, 'neither: starts afresh')
   -- with remember, the second call continues the first: as the concatenated sequence
   local whole = seq:forward(torch.cat(a, b, 1)):clone()
   seq:remember('both')
   seq:forget()
   seq:forward(a)
   local continued = seq:forward(b)
   tester:assertlt(max_difference(continued, whole:narrow(1, 4, 2)), 1e-12, 'both')
   seq:forget()
   tester:assertle(max_difference(seq:forward(b), fresh), 0, 'forget')
   -- 'train' remembers in training only
   seq:remember('train')
   seq:evaluate()
   seq:forward(a)
   tester:assertlt(max_difference(seq:forward(b), fresh), 1e-12, 'train mode, evaluating')
   seq:remember('eval')
   seq:forget()
   seq:forward(a)
   tester:assertlt(max_difference(seq:forward(b), whole:narrow(1, 4, 2)), 1e-12,
      'eval mode, evaluating')
   seq:training()
   seq:forward(a)
   tester:assertlt(max_difference(seq:forward(b), fresh), 1e-12, 'eval mode, training')
   tester:assertError(function() seq:remember('always') end, 'unknown mode')
end

function tests.seqlstm_and_seqgru_remember()
   torch.manualSeed(9)
   for _, class in ipairs({'SeqLSTM', 'SeqGRU'}) do
      local m = nn[class](3, 4)
      local a, b = torch.randn(3, 2, 3), torch.randn(2, 2, 3)
      local whole = m:forward(torch.cat(a, b, 1)):clone()
      local fresh = m:forward(b):clone()
      m:remember('both')
      m:forget()
      m:forward(a)
      tester:assertlt(max_difference(m:forward(b), whole:narrow(1, 4, 2)), 1e-12,
         class .. ' remembers')
      m:forget()
      tester:assertlt(max_difference(m:forward(b), fresh), 1e-12, class .. ' forgets')
      m:remember('neither')
      m:forward(a)
      tester:assertlt(max_difference(m:forward(b), fresh), 1e-12, class .. ' neither')
   end
end

function tests.stepping_by_hand_and_forget()
   torch.manualSeed(10)
   local lstm = nn.FastLSTM(3, 2)
   local xs = {torch.randn(3), torch.randn(3), torch.randn(3)}
   local outputs = {}
   for t = 1, 3 do outputs[t] = lstm:forward(xs[t]):clone() end
   tester:eq(lstm.step, 4, 'one step per forward')
   -- backward in reverse order, then the parameter gradients of the whole sequence
   lstm:zeroGradParameters()
   local gradInputs = {}
   for t = 3, 1, -1 do gradInputs[t] = lstm:backward(xs[t], torch.ones(2)):clone() end
   local reference = nn.Sequencer(lstm:sharedClone())
   local stacked = torch.Tensor(3, 3)
   for t = 1, 3 do stacked[t]:copy(xs[t]) end
   reference:forward(stacked)
   tester:assertlt(max_difference(reference:backward(stacked, torch.ones(3, 2))[1],
      gradInputs[1]), 1e-12, 'gradInput of the first step')
   lstm:forget()
   tester:eq(lstm.step, 1, 'forget restarts at step 1')
   tester:assertle(max_difference(lstm:forward(xs[1]), outputs[1]), 0, 'from a zero state')
   tester:assertError(function()
      local fresh = nn.FastLSTM(3, 2)
      fresh:forward(xs[1])
      fresh:accGradParameters(xs[1], torch.ones(2))
   end, 'accGradParameters before updateGradInput')
end

function tests.rho_bounds_the_clones_kept()
   torch.manualSeed(11)
   local lstm = nn.FastLSTM(3, 2, 2)
   local reference = nn.FastLSTM(3, 2, 9999)
   reference.i2g.weight:copy(lstm.i2g.weight)
   reference.i2g.bias:copy(lstm.i2g.bias)
   reference.o2g.weight:copy(lstm.o2g.weight)
   for t = 1, 10 do
      local x = torch.randn(4, 3)
      tester:assertlt(max_difference(lstm:forward(x), reference:forward(x)), 1e-12,
         'step ' .. t)
   end
   local clones = 0
   for _ in pairs(lstm.sharedClones) do clones = clones + 1 end
   tester:assertle(clones, 3, 'at most rho + 1 clones')
   tester:eq(lstm.outputs[5], nil, 'old outputs dropped')
   lstm:maxBPTTstep(4)
   tester:eq(lstm.rho, 4, 'maxBPTTstep sets rho')
end

function tests.evaluation_runs_without_clones()
   torch.manualSeed(12)
   local seq = nn.Sequencer(nn.FastLSTM(3, 4))
   local x = {torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 3)}
   local training = seq:forward(x)
   local copies = {}
   for t = 1, 3 do copies[t] = training[t]:clone() end
   seq:evaluate()
   local evaluated = seq:forward(x)
   for t = 1, 3 do
      tester:assertlt(max_difference(evaluated[t], copies[t]), 1e-12, 'step ' .. t)
   end
   tester:assert(evaluated[1] ~= evaluated[2], 'each step its own tensor')
end

function tests.mask_zero_zeroes_masked_steps()
   torch.manualSeed(13)
   local T, N, D, H = 4, 3, 3, 5
   local x = torch.randn(T, N, D)
   x[2][2]:zero()                      -- sample 2 is padding at step 2
   local lstm = nn.FastLSTM(D, H):maskZero(1)
   local seq = nn.Sequencer(lstm)
   local y = seq:forward(x)
   tester:assertlt(torch.abs(y[2][2]):max(), 1e-300, 'masked output is zero')
   tester:assertgt(torch.abs(y[3][2]):max(), 0, 'later steps go on')
   -- sample 2 from step 3 on is a fresh sequence: as if run alone from a zero state
   local alone = nn.Sequencer(lstm:sharedClone()):forward(x:narrow(1, 3, 2):narrow(2, 2, 1))
   tester:assertlt(max_difference(alone, y:narrow(1, 3, 2):narrow(2, 2, 1)), 1e-12,
      'the state restarts after a masked step')
   -- other samples are unaffected by the padding
   local others = nn.Sequencer(lstm:sharedClone()):forward(x:narrow(2, 1, 1))
   tester:assertlt(max_difference(others, y:narrow(2, 1, 1)), 1e-12, 'sample 1 unchanged')
   local gradOutput = torch.randn(T, N, H)
   seq:zeroGradParameters()
   local gx = seq:backward(x, gradOutput)
   tester:assertlt(torch.abs(gx[2][2]):max(), 1e-300, 'no gradient into the masked step')
   -- the masked step contributes nothing to the parameters' gradients
   local _, gradParams = seq:parameters()
   local before = {}
   for i, g in ipairs(gradParams) do before[i] = g:clone() end
   local changed = gradOutput:clone()
   changed[2][2]:normal()
   seq:forward(x)
   seq:zeroGradParameters()
   seq:backward(x, changed)
   for i, g in ipairs(gradParams) do
      tester:assertlt(max_difference(g, before[i]), 1e-12, 'gradient ' .. i)
   end
end

function tests.seqlstm_mask_zero_matches_fastlstm()
   torch.manualSeed(14)
   local x = torch.randn(4, 3, 3)
   x[1][3]:zero()
   x[3][1]:zero()
   local seq = nn.SeqLSTM(3, 4)
   seq:maskZero()
   local fast = fastlstm_like(seq):maskZero(1)
   local steps = nn.Sequencer(fast)
   local gradOutput = torch.randn(4, 3, 4)
   tester:assertlt(max_difference(seq:forward(x), steps:forward(x)), 1e-12, 'output')
   tester:assertlt(max_difference(seq:backward(x, gradOutput), steps:backward(x, gradOutput)),
      1e-12, 'gradInput')
   local gru = nn.SeqGRU(3, 4)
   gru:maskZero()
   local steps = nn.Sequencer(gru:toGRU():maskZero(1))
   local y = gru:forward(x)
   tester:assertlt(torch.abs(y[1][3]):max() + torch.abs(y[3][1]):max(), 1e-300,
      'SeqGRU masked')
   tester:assertlt(max_difference(y, steps:forward(x)), 1e-12, 'SeqGRU as GRU')
   local gx = gru:backward(x, gradOutput)
   tester:assertlt(max_difference(gx, steps:backward(x, gradOutput)), 1e-12,
      'SeqGRU gradInput as GRU')
   tester:assertle(torch.abs(gx[1][3]):max(), 0, 'no gradient into a masked step')
end

function tests.lookup_table_mask_zero()
   local lookup = nn.LookupTableMaskZero(5, 3)
   local input = torch.LongTensor({{0, 2}, {5, 0}})
   local output = lookup:forward(input)
   tester:assertlt(torch.abs(output[1][1]):max() + torch.abs(output[2][2]):max(), 1e-300,
      'index 0')
   tester:assertle(max_difference(output[1][2], lookup.weight[3]), 0, 'index 2 at row 3')
   tester:eq(lookup.weight:size(1), 6, 'one row more')
   lookup:zeroGradParameters()
   lookup:backward(input, torch.ones(2, 2, 3))
   tester:assertle(max_difference(lookup.gradWeight[6], torch.ones(3)), 0, 'gradient row')
end

function tests.sequencer_criterion_sums_the_steps()
   torch.manualSeed(15)
   local criterion = nn.SequencerCriterion(nn.MSECriterion())
   local input, target = torch.randn(3, 2, 4), torch.randn(3, 2, 4)
   local expected = 0
   for t = 1, 3 do expected = expected + nn.MSECriterion():forward(input[t], target[t]) end
   tester:assertlt(math.abs(criterion:forward(input, target) - expected), 1e-12, 'sum')
   local grad = criterion:backward(input, target)
   tester:assertlt(max_difference(grad[2], nn.MSECriterion():backward(input[2], target[2])),
      1e-12, 'gradient of a step')
   local averaged = nn.SequencerCriterion(nn.MSECriterion(), true)
   tester:assertlt(math.abs(averaged:forward(input, target) - expected / 3), 1e-12, 'mean')
   local tables = criterion:forward({input[1], input[2]}, {target[1], target[2]})
   tester:assertlt(math.abs(tables - nn.MSECriterion():forward(input[1], target[1])
      - nn.MSECriterion():forward(input[2], target[2])), 1e-12, 'tables')
   local repeated = nn.RepeaterCriterion(nn.MSECriterion())
   tester:assertlt(math.abs(repeated:forward({input[1], input[2]}, target[3])
      - nn.MSECriterion():forward(input[1], target[3])
      - nn.MSECriterion():forward(input[2], target[3])), 1e-12, 'RepeaterCriterion')
end

-- The language model of rnn's examples: embeddings, an LSTM, a softmax classifier per step.
local V, E, H, T, N = 7, 4, 5, 6, 3

local function rnn_language_model()
   return nn.Sequential()
      :add(nn.LookupTable(V, E))
      :add(nn.SplitTable(1))
      :add(nn.Sequencer(nn.FastLSTM(E, H)))
      :add(nn.Sequencer(nn.Linear(H, V)))
      :add(nn.Sequencer(nn.LogSoftMax()))
end

-- The same model unrolled by hand: an nngraph LSTM cell written here (gates in the order
-- i, f, o, g, each with its own pair of Linears), cloned per step sharing parameters.
-- Returns the cell and its Linears: fromInput[k], fromHidden[k] of gate k, classifier.
local function nngraph_cell()
   local linears = {fromInput = {}, fromHidden = {}, classifier = nn.Linear(H, V)}
   local x, prevH, prevC = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local function gate(k, transfer)
      linears.fromInput[k], linears.fromHidden[k] = nn.Linear(E, H), nn.Linear(H, H)
      return transfer(nn.CAddTable()({linears.fromInput[k](x), linears.fromHidden[k](prevH)}))
   end
   local i, f, o, g = gate(1, nn.Sigmoid()), gate(2, nn.Sigmoid()), gate(3, nn.Sigmoid()),
      gate(4, nn.Tanh())
   local nextC = nn.CAddTable()({nn.CMulTable()({f, prevC}), nn.CMulTable()({i, g})})
   local nextH = nn.CMulTable()({o, nn.Tanh()(nextC)})
   local logits = nn.LogSoftMax()(linears.classifier(nextH))
   return nn.gModule({x, prevH, prevC}, {nextH, nextC, logits}), linears
end

function tests.lstm_language_model_equals_nngraph_version()
   torch.manualSeed(16)
   local lm = rnn_language_model()
   local criterion = nn.SequencerCriterion(nn.ClassNLLCriterion())
   local cell, linears = nngraph_cell()
   local embedding = nn.LookupTable(V, E)
   embedding.weight:copy(lm:get(1).weight)
   local lstm = lm:get(3).module
   local decoder = lm:get(4).module.module
   -- FastLSTM's blocks of rows are i, g, f, o
   local block = {1, 3, 4, 2}
   for k = 1, 4 do
      local rows = {(block[k] - 1) * H + 1, block[k] * H}
      linears.fromInput[k].weight:copy(lstm.i2g.weight[{rows}])
      linears.fromInput[k].bias:copy(lstm.i2g.bias[{rows}])
      linears.fromHidden[k].weight:copy(lstm.o2g.weight[{rows}])
      linears.fromHidden[k].bias:zero()
   end
   local classifier = linears.classifier
   classifier.weight:copy(decoder.weight)
   classifier.bias:copy(decoder.bias)

   local inputs = torch.LongTensor(T, N):random(1, V)
   local targets = torch.LongTensor(T, N):random(1, V)
   local targetTable = {}
   for t = 1, T do targetTable[t] = targets[t] end
   local loss = criterion:forward(lm:forward(inputs), targetTable)

   local clones = {}
   local params, gradParams = cell:getParameters()
   for t = 1, T do
      clones[t] = cell:clone('weight', 'bias', 'gradWeight', 'gradBias')
   end
   local embedded = embedding:forward(inputs)
   local h, c = torch.zeros(N, H), torch.zeros(N, H)
   local graphLoss, states, nll = 0, {}, {}
   for t = 1, T do
      states[t] = {h, c}
      local out = clones[t]:forward({embedded[t], h, c})
      nll[t] = nn.ClassNLLCriterion()
      graphLoss = graphLoss + nll[t]:forward(out[3], targets[t])
      h, c = out[1]:clone(), out[2]:clone()
   end
   tester:assertlt(math.abs(loss - graphLoss), 1e-12, 'same loss')
   tester:assertgt(loss, 0, 'a real loss')

   -- and the same gradient for the embeddings
   lm:zeroGradParameters()
   lm:backward(inputs, criterion:backward(lm.output, targetTable))
   gradParams:zero()
   embedding:zeroGradParameters()
   local gradEmbedded = embedded:clone():zero()
   local gradH, gradC = torch.zeros(N, H), torch.zeros(N, H)
   for t = T, 1, -1 do
      local gradLogits = nll[t]:backward(clones[t].output[3], targets[t])
      local grads = clones[t]:backward({embedded[t], states[t][1], states[t][2]},
         {gradH, gradC, gradLogits})
      gradEmbedded[t]:copy(grads[1])
      gradH, gradC = grads[2]:clone(), grads[3]:clone()
   end
   embedding:backward(inputs, gradEmbedded)
   tester:assertlt(max_difference(embedding.gradWeight, lm:get(1).gradWeight), 1e-12,
      'same embedding gradient')
   tester:assertlt(max_difference(classifier.gradWeight, decoder.gradWeight), 1e-12,
      'same classifier gradient')
end

function tests.training_lowers_the_language_model_loss()
   torch.manualSeed(17)
   local lm = rnn_language_model()
   local criterion = nn.SequencerCriterion(nn.ClassNLLCriterion())
   local inputs = torch.LongTensor(T, N):random(1, V)
   local targets = {}
   for t = 1, T do targets[t] = inputs[t]:clone() end
   local params, gradParams = lm:getParameters()
   local first, last
   for i = 1, 30 do
      gradParams:zero()
      local loss = criterion:forward(lm:forward(inputs), targets)
      lm:backward(inputs, criterion:backward(lm.output, targets))
      lm:gradParamClip(5)
      params:add(-0.5, gradParams)
      first, last = first or loss, loss
   end
   tester:assertlt(last, first * 0.5, 'the loss went down')
end

function tests.get_parameters_keeps_the_step_clones_shared()
   torch.manualSeed(18)
   local seq = nn.Sequencer(nn.FastLSTM(3, 4))
   local x = torch.randn(3, 2, 3)
   seq:forward(x)                       -- makes the step clones
   local params = seq:getParameters()
   params:zero()
   tester:assertlt(torch.abs(seq:forward(x)):max(), 1e-300,
      'every clone sees the flattened (zeroed) parameters')
end

function tests.float_conversion_keeps_clones_shared()
   torch.manualSeed(19)
   local seq = nn.Sequencer(nn.FastLSTM(3, 4))
   local x = torch.randn(3, 2, 3)
   local y = seq:forward(x):clone()
   seq:float()
   local yf = seq:forward(x:float())
   tester:eq(torch.type(yf), 'torch.FloatTensor')
   tester:assertlt(max_difference(yf:double(), y), 1e-5, 'float result')
   seq:double()
   tester:assertlt(max_difference(seq:forward(x), y), 1e-6, 'back to double')
end

function tests.save_and_load()
   torch.manualSeed(20)
   local file = os.tmpname()
   local x = torch.randn(3, 2, 4)
   local modules = {
      nn.Sequencer(nn.FastLSTM(4, 3)),
      nn.Sequencer(nn.LSTM(4, 3)),
      nn.Sequencer(nn.GRU(4, 3)),
      nn.Sequencer(nn.Recurrent(3, nn.Linear(4, 3), nn.Linear(3, 3), nn.Sigmoid(), 9)),
      nn.SeqLSTM(4, 3),
      nn.SeqGRU(4, 3),
      nn.Sequencer(nn.FastLSTM(4, 3):maskZero(1)),
   }
   for i, m in ipairs(modules) do checks.save_load(tester, m, x, file, 'module ' .. i) end
   local bi = nn.BiSequencer(nn.FastLSTM(4, 3))
   local seq = {x[1], x[2], x[3]}
   local y = bi:forward(seq)
   torch.save(file, bi)
   local loaded = torch.load(file)
   local y2 = loaded:forward(seq)
   for t = 1, 3 do tester:assertle(max_difference(y2[t], y[t]), 0, 'BiSequencer ' .. t) end
   os.remove(file)
end

function tests.bisequencer_merges_both_directions()
   torch.manualSeed(21)
   local fwd, bwd = nn.FastLSTM(3, 2), nn.FastLSTM(3, 2)
   local bi = nn.BiSequencer(fwd, bwd)
   local seq = {torch.randn(3), torch.randn(3), torch.randn(3)}
   local y = bi:forward(seq)
   local forwardOnly = nn.Sequencer(fwd:sharedClone()):forward(seq)
   local reversed = nn.Sequencer(bwd:sharedClone()):forward({seq[3], seq[2], seq[1]})
   for t = 1, 3 do
      tester:assertlt(max_difference(y[t], torch.cat(forwardOnly[t], reversed[4 - t], 1)),
         1e-12, 'step ' .. t)
   end
end

function tests.repeater_feeds_the_same_input()
   torch.manualSeed(22)
   local lstm = nn.FastLSTM(3, 2)
   local repeater = nn.Repeater(lstm, 4)
   local x = torch.randn(3)
   local y = repeater:forward(x)
   tester:eq(#y, 4, 'rho outputs')
   local reference = nn.Sequencer(lstm:sharedClone()):forward({x, x, x, x})
   for t = 1, 4 do tester:assertlt(max_difference(y[t], reference[t]), 1e-12, 'step') end
end

-- Reverses dimension dim of x by copying slices (the expected result).
local function reversed(x, dim)
   local result = x:clone()
   local n = x:size(dim)
   for i = 1, n do result:select(dim, i):copy(x:select(dim, n + 1 - i)) end
   return result
end

function tests.seq_reverse_sequence_and_seqbrnn()
   torch.manualSeed(23)
   local x = torch.randn(4, 3, 2)
   for dim = 1, 3 do
      local m = nn.SeqReverseSequence(dim)
      tester:assertle(max_difference(m:forward(x), reversed(x, dim)), 0, 'dim ' .. dim)
      local g = torch.randn(4, 3, 2)
      tester:assertle(max_difference(m:backward(x, g), reversed(g, dim)), 0, 'grad ' .. dim)
   end
   local brnn = nn.SeqBRNN(2, 3)
   local expected = brnn.forwardModule:clone():forward(x)
      + reversed(brnn.backwardModule:clone():forward(reversed(x, 1)), 1)
   tester:assertlt(max_difference(brnn:forward(x), expected), 1e-12, 'SeqBRNN')
   check_jacobians(nn.SeqBRNN(2, 3), torch.randn(3, 2, 2), 'SeqBRNN')
   local batchFirst = nn.SeqBRNN(2, 3, true)
   tester:eq(batchFirst:forward(torch.randn(2, 5, 2)):size():totable(), {2, 5, 3},
      'batch first')
end

function tests.mask_zero_criterion_skips_padding()
   torch.manualSeed(24)
   local input = torch.randn(4, 3)
   input[2]:zero()
   local target = torch.LongTensor({1, 2, 3, 1})
   local masked = nn.MaskZeroCriterion(nn.ClassNLLCriterion(), 1)
   local kept = torch.LongTensor({1, 3, 4})
   local reference = nn.ClassNLLCriterion()
   local expected = reference:forward(input:index(1, kept), target:index(1, kept))
   tester:assertlt(math.abs(masked:forward(input, target) - expected), 1e-12, 'loss')
   local grad = masked:backward(input, target)
   local expectedGrad = reference:backward(input:index(1, kept), target:index(1, kept))
   tester:assertle(torch.abs(grad[2]):max(), 0, 'no gradient for padding')
   tester:assertlt(max_difference(grad:index(1, kept), expectedGrad), 1e-12, 'the others')
   tester:eq(masked:forward(torch.zeros(2, 3), torch.LongTensor({1, 1})), 0, 'all padding')
   tester:assertErrorPattern(function() masked:forward(torch.randn(3), 1) end,
      'non%-batch', 'a single sample')
end

function tests.fastlstm_as_nngraph_module()
   torch.manualSeed(25)
   nn.FastLSTM.usenngraph = true
   local ok, graphed = pcall(nn.FastLSTM, 3, 4)
   nn.FastLSTM.usenngraph = false
   assert(ok, graphed)
   tester:eq(torch.type(graphed.recurrentModule), 'nn.gModule', 'an nngraph step module')
   local plain = nn.FastLSTM(3, 4)
   plain.i2g.weight:copy(graphed.i2g.weight)
   plain.i2g.bias:copy(graphed.i2g.bias)
   plain.o2g.weight:copy(graphed.o2g.weight)
   local x, gradOutput = torch.randn(5, 2, 3), torch.randn(5, 2, 4)
   local a, b = nn.Sequencer(graphed), nn.Sequencer(plain)
   tester:assertlt(max_difference(a:forward(x), b:forward(x)), 1e-12, 'same output')
   tester:assertlt(max_difference(a:backward(x, gradOutput), b:backward(x, gradOutput)),
      1e-12, 'same gradInput')
end

-- With remember, backpropagation goes through the latest sequence only (truncated BPTT):
-- as a fresh run of it from the remembered state, given as the initial state.
function tests.remembered_state_truncates_backpropagation()
   torch.manualSeed(26)
   local D, H = 3, 4
   local lstm = nn.FastLSTM(D, H)
   local seq = nn.Sequencer(lstm):remember('both')
   local a, b = torch.randn(4, 2, D), torch.randn(3, 2, D)
   local gradA, gradB = torch.randn(4, 2, H), torch.randn(3, 2, H)
   seq:forward(a)
   seq:backward(a, gradA)
   local h, c = lstm.output:clone(), lstm.cell:clone()
   lstm:zeroGradParameters()
   local y = seq:forward(b):clone()
   local gx = seq:backward(b, gradB):clone()
   local _, grads = seq:parameters()

   local fresh = lstm:sharedClone(true, false)
   fresh:forget()
   fresh.userPrevOutput, fresh.userPrevCell = h, c
   local reference = nn.Sequencer(fresh)
   reference:zeroGradParameters()
   tester:assertlt(max_difference(reference:forward(b), y), 1e-12, 'output')
   tester:assertlt(max_difference(reference:backward(b, gradB), gx), 1e-12, 'gradInput')
   local _, referenceGrads = reference:parameters()
   for i = 1, #grads do
      tester:assertlt(max_difference(grads[i], referenceGrads[i]), 1e-12, 'gradient ' .. i)
   end
end

function tests.printing()
   local expected = {
      {nn.LSTM(3, 4), 'nn.LSTM(3 -> 4)'},
      {nn.GRU(3, 4), 'nn.GRU(3 -> 4, 0.00)'},
      {nn.Sequencer(nn.FastLSTM(3, 4)), 'nn.Sequencer @ nn.FastLSTM(3 -> 4)'},
      {nn.Recursor(nn.Linear(2, 3)), 'nn.Recursor @ nn.Linear(2 -> 3)'},
   }
   for _, case in ipairs(expected) do tester:eq(tostring(case[1]), case[2], case[2]) end
   local recurrent = tostring(nn.Recurrent(2, nn.Linear(2, 2), nn.Linear(2, 2), nn.Tanh()))
   tester:assert(recurrent:find('(t==0): nn.Add', 1, true) ~= nil, 'Recurrent start')
   tester:assert(recurrent:find('(3): nn.Tanh', 1, true) ~= nil, 'Recurrent transfer')
   tester:assert(tostring(nn.Repeater(nn.Linear(2, 2), 3)):find('output(3)', 1, true) ~= nil,
      'Repeater')
end

function tests.bad_input()
   tester:assertErrorPattern(function() nn.SeqLSTM(3, 4):forward(torch.randn(2, 3)) end,
      'batch mode', 'SeqLSTM needs 3-D input')
   tester:assertErrorPattern(function() nn.SeqLSTM(3, 4):forward(torch.randn(2, 2, 5)) end,
      'input: expected size 2x2x3', 'SeqLSTM checks the input size')
   tester:assertErrorPattern(function() nn.Sequencer('lstm') end,
      'expecting nn.Module', 'Sequencer of a non-module')
   tester:assertErrorPattern(function() nn.Recurrent('a', nn.Linear(2, 2)) end,
      'expecting arg 1', 'Recurrent start')
   tester:assertErrorPattern(function() nn.Repeater(nn.Linear(2, 2)) end,
      'number value for arg 2', 'Repeater needs rho')
   tester:assertErrorPattern(function()
      nn.Sequencer(nn.FastLSTM(3, 2)):backward(torch.randn(2, 3), torch.randn(3, 2))
   end, 'as many elements', 'gradOutput length')
end

tester:add(tests)
tester:run(arg and arg[1] and {arg[1]} or nil)
