-- rnn's further modules: nn.Recurrence against the recurrence computed here with plain
-- tensor operations and against FastLSTM with the same weights, finite-difference
-- Jacobians, forget/remember, masking and hidden states; lazy and mono dropout and the
-- variational dropout of LSTM/FastLSTM/GRU (one mask per sequence); the small modules.

require 'rnn'

local tester = torch.Tester()
local tests = torch.TestSuite()
local checks = paths.dofile('rnn_checks.lua')
local max_difference = checks.max_difference

-- {x[t], h[t-1]} -> tanh(Wx x[t] + bx + Wh h[t-1])
local function tanh_step(D, H)
   return nn.Sequential()
      :add(nn.ParallelTable():add(nn.Linear(D, H)):add(nn.LinearNoBias(H, H)))
      :add(nn.CAddTable())
      :add(nn.Tanh())
end

function tests.recurrence_follows_its_recurrence()
   torch.manualSeed(1)
   local T, N, D, H = 4, 3, 5, 2
   local step = tanh_step(D, H)
   local Wx, bx = step:get(1):get(1).weight, step:get(1):get(1).bias
   local Wh = step:get(1):get(2).weight
   local seq = nn.Sequencer(nn.Recurrence(step, H, 1))
   local x = torch.randn(T, N, D)
   local output = seq:forward(x)
   local h = torch.zeros(N, H)
   for t = 1, T do
      h = torch.tanh(x[t] * Wx:t() + bx:view(1, H):expand(N, H) + h * Wh:t())
      tester:assertlt(max_difference(output[t], h), 1e-12, 'batch, step ' .. t)
   end
   -- a single sample: no batch dimension in output[0]
   local sample = nn.Sequencer(nn.Recurrence(step:clone(), H, 1)):forward(x:select(2, 2))
   tester:assertlt(max_difference(sample, output:select(2, 2)), 1e-12, 'sample')
end

-- FastLSTM's step module maps {x, h, c} to {h, c}: flattening {x, {h, c}} first makes it a
-- Recurrence step whose output[0] is {zeros(H), zeros(H)}.
local function recurrence_of(lstm)
   local step = lstm.recurrentModule:clone()
   step:insert(nn.FlattenTable(), 1)
   local H = lstm.outputSize
   return nn.Sequential()
      :add(nn.Recurrence(step, {{H}, {H}}, 1))
      :add(nn.SelectTable(1))
end

function tests.recurrence_of_an_lstm_step_equals_fastlstm()
   torch.manualSeed(2)
   local T, N, D, H = 5, 3, 4, 3
   local lstm = nn.FastLSTM(D, H)
   local reference = nn.Sequencer(lstm)
   local seq = nn.Sequencer(recurrence_of(lstm))
   local x, gradOutput = torch.randn(T, N, D), torch.randn(T, N, H)
   tester:assertlt(max_difference(seq:forward(x), reference:forward(x)), 1e-12, 'output')
   reference:zeroGradParameters()
   seq:zeroGradParameters()
   local gradInput = seq:backward(x, gradOutput)
   tester:assertlt(max_difference(gradInput, reference:backward(x, gradOutput)), 1e-12,
      'gradInput')
   local _, gradParams = seq:parameters()
   local _, reference_gradParams = reference:parameters()
   for i = 1, #gradParams do
      tester:assertlt(max_difference(gradParams[i], reference_gradParams[i]), 1e-12,
         'gradParameters ' .. i)
   end
end

function tests.recurrence_jacobians()
   torch.manualSeed(3)
   local T, N, D, H = 3, 2, 3, 2
   checks.jacobians(tester, nn.Sequencer(nn.Recurrence(tanh_step(D, H), H, 1)),
      torch.randn(T, N, D), 'tanh recurrence')
   checks.jacobians(tester, nn.Sequencer(nn.Recurrence(tanh_step(D, H), {H}, 1)),
      torch.randn(T, D), 'tanh recurrence, sample')
   checks.jacobians(tester, nn.Sequencer(recurrence_of(nn.FastLSTM(D, H))),
      torch.randn(T, N, D), 'table output')
   -- a recurrent module inside the step module keeps its own steps
   local nested = nn.Sequential()
      :add(nn.CSubTable())
      :add(nn.GRU(H, H))
      :add(nn.Linear(H, H))
      :add(nn.Sigmoid())
   checks.jacobians(tester, nn.Sequencer(nn.Recurrence(nested, H, 1)),
      torch.randn(T, N, H), 'GRU inside')
end

function tests.recurrence_forgets_and_remembers()
   torch.manualSeed(4)
   local D, H = 3, 2
   local seq = nn.Sequencer(nn.Recurrence(tanh_step(D, H), H, 1))
   local a, b = torch.randn(3, 2, D), torch.randn(2, 2, D)
   local whole = seq:forward(torch.cat(a, b, 1)):clone()
   local fresh = seq:forward(b):clone()
   tester:assertgt(max_difference(whole:narrow(1, 4, 2), fresh), 1e-3, 'the past matters')
   seq:remember('both')
   seq:forget()
   seq:forward(a)
   tester:assertlt(max_difference(seq:forward(b), whole:narrow(1, 4, 2)), 1e-12,
      'remembers')
   seq:forget()
   tester:assertlt(max_difference(seq:forward(b), fresh), 1e-12, 'forgets')
end

function tests.recurrence_evaluation_and_rho()
   torch.manualSeed(5)
   local D, H = 3, 2
   local recurrence = nn.Recurrence(tanh_step(D, H), H, 1, 2)
   local x = torch.randn(6, 2, D)
   local trained = {}
   for t = 1, 6 do trained[t] = recurrence:forward(x[t]):clone() end
   tester:assertle(recurrence.nSharedClone, 3, 'rho 2 keeps at most 3 clones')
   recurrence:evaluate()
   recurrence:forget()
   for t = 1, 6 do
      tester:assertlt(max_difference(recurrence:forward(x[t]), trained[t]), 1e-12,
         'evaluation, step ' .. t)
   end
end

function tests.recurrence_hidden_states()
   torch.manualSeed(6)
   local D, H = 3, 2
   local recurrence = nn.Recurrence(tanh_step(D, H), H, 1)
   local x = {torch.randn(2, D), torch.randn(2, D), torch.randn(2, D)}
   for t = 1, 2 do recurrence:forward(x[t]) end
   local state = recurrence:getHiddenState(2)
   tester:assertle(max_difference(state[1], recurrence.output), 0, 'latest output')
   local third = recurrence:forward(x[3]):clone()
   -- started afresh from the state after step 2, step 1 gives the same third output
   local other = nn.Recurrence(recurrence.recurrentModule:clone(), H, 1)
   other:setHiddenState(0, {state[1]:clone()})
   tester:assertlt(max_difference(other:forward(x[3]), third), 1e-12, 'set state')
   recurrence:forget()
   local zeros = recurrence:getHiddenState(0, x[1])[1]
   tester:eq(zeros:size():totable(), {2, H}, 'initial state sized after the batch')
   tester:eq(zeros:abs():sum(), 0, 'zeros')
end

function tests.recurrence_mask_zero()
   torch.manualSeed(7)
   local D, H = 3, 2
   local step = tanh_step(D, H)
   local masked = nn.Sequencer(nn.Recurrence(step, H, 1):maskZero(1))
   local plain = nn.Sequencer(nn.Recurrence(step:clone(), H, 1))
   local x = torch.randn(4, 2, D)
   x[2][1]:zero()                 -- sample 1 padded at step 2: its state restarts at zero
   local output = masked:forward(x)
   tester:eq(output[2][1]:abs():sum(), 0, 'masked step gives zeros')
   local restarted = plain:forward(x[{{3, 4}, {1}}])
   tester:assertlt(max_difference(output[{{3, 4}, {1}}], restarted), 1e-12,
      'after a masked step the state starts from zeros')
   local unmasked = plain:forward(x[{{}, {2}}])
   tester:assertlt(max_difference(output[{{}, {2}}], unmasked), 1e-12, 'other samples')
end

function tests.recurrence_printing_and_bad_input()
   tester:eq(tostring(nn.Recurrence(nn.Identity(), 2, 1)), 'nn.Recurrence @ nn.Identity',
      'printing')
   tester:assertErrorPattern(function() nn.Recurrence(nn.Identity(), 'two', 1) end,
      'outputSize', 'outputSize type')
   tester:assertErrorPattern(function() nn.Recurrence(nn.Identity(), 2) end,
      'nInputDim', 'nInputDim missing')
   tester:assertErrorPattern(function() nn.Recurrence('step', 2, 1) end,
      'stepmodule', 'step module type')
   tester:assertErrorPattern(function()
      nn.Recurrence(tanh_step(3, 2), 2, 1):forward(torch.randn(2, 2, 3))
   end, 'input has 3 dimensions', 'input dimensions')
end

-- The fraction of zeros in mask, and whether its other values are all 1 / (1 - p).
local function mask_stats(mask, p)
   local zeros = mask:eq(0):sum() / mask:nElement()
   local kept = mask[mask:ne(0)]
   return zeros, kept:nElement() == 0 or max_difference(kept, kept:clone():fill(1 / (1 - p)))
end

function tests.dropout_lazy_keeps_its_mask_until_backward()
   torch.manualSeed(11)
   local lazy = nn.Dropout(0.5, false, false, true)
   tester:assert(lazy.lazy and not lazy.mono, 'the 4th argument is lazy')
   tester:eq(tostring(lazy), 'nn.Dropout(0.5, lazy)', 'printing')
   tester:eq(tostring(nn.Dropout(0.25)), 'nn.Dropout(0.2, busy)', 'printing, busy')
   local x = torch.rand(40, 50) + 1
   local first = lazy:forward(x):clone()
   local zeros, scaled = mask_stats(torch.cdiv(first, x), 0.5)
   tester:assertlt(math.abs(zeros - 0.5), 0.05, 'about p of the elements dropped')
   tester:assertlt(scaled, 1e-12, 'the others scaled by 1 / (1 - p)')
   tester:assertlt(max_difference(lazy:forward(x), first), 1e-12, 'same mask again')
   local gradOutput = torch.randn(40, 50)
   local gradInput = lazy:backward(x, gradOutput)
   tester:assertlt(max_difference(gradInput, torch.cmul(gradOutput, first:cdiv(x))), 1e-12,
      'the gradient masked as the output')
   tester:assertgt(max_difference(lazy:forward(x), first), 0.5, 'a new mask after backward')
   local busy = nn.Dropout(0.5)
   tester:assertgt(max_difference(busy:forward(x):clone(), busy:forward(x)), 0.5,
      'busy: a new mask each forward')
   lazy:evaluate()
   tester:assertle(max_difference(lazy:forward(x), x), 0, 'evaluation keeps everything')
end

function tests.dropout_mono_shares_the_mask_across_the_batch()
   torch.manualSeed(12)
   local p = 0.3
   local mono = nn.Dropout(p, false, false, false, true)
   local x = torch.ones(20, 400)
   local output = mono:forward(x)
   for i = 2, 20 do
      tester:assertle(max_difference(output[i], output[1]), 0, 'row ' .. i .. ' as row 1')
   end
   local zeros, scaled = mask_stats(output[1], p)
   tester:assertlt(math.abs(zeros - p), 0.07, 'about p dropped')
   tester:assertlt(scaled, 1e-12, 'scaled by 1 / (1 - p)')
   local gradInput = mono:backward(x, torch.ones(20, 400))
   tester:assertle(max_difference(gradInput, output), 0, 'gradient masked alike')
   -- lazy and mono: a smaller batch keeps the mask
   local both = nn.Dropout(p, false, false, true, true)
   local mask = both:forward(torch.ones(4, 400))[1]:clone()
   local smaller = both:forward(torch.ones(2, 400))
   tester:assertle(max_difference(smaller[2], mask), 0, 'lazy mono with another batch')
end

-- The masks of the dropouts in each step clone of a recurrent module.
local function step_masks(recurrent, steps)
   local masks = {}
   for t = 1, steps do
      masks[t] = {}
      for i, dropout in ipairs(recurrent:getStepModule(t):findModules('nn.Dropout')) do
         masks[t][i] = dropout.noise:clone()
      end
   end
   return masks
end

function tests.variational_dropout_one_mask_per_sequence()
   torch.manualSeed(13)
   local T, N, D, H, p = 4, 30, 5, 6, 0.4
   local cases = {
      {'LSTM', nn.LSTM(D, H, nil, nil, p), 8},
      {'FastLSTM', nn.FastLSTM(D, H, nil, nil, nil, nil, p), 8},
      {'GRU', nn.GRU(D, H, nil, p), 6},
   }
   for _, case in ipairs(cases) do
      local name, recurrent, count = unpack(case)
      local seq = nn.Sequencer(recurrent)
      local x = torch.randn(T, N, D)
      seq:forward(x)
      local masks = step_masks(recurrent, T)
      tester:eq(#masks[1], count, name .. ': a dropout per product')
      local zeros = 0
      for i = 1, count do
         zeros = zeros + mask_stats(masks[1][i], p) / count
         local first_row = masks[1][i][{{1}}]:expandAs(masks[1][i])
         tester:assertgt(max_difference(masks[1][i], first_row), 0,
            name .. ': a mask per sample')
         for t = 2, T do
            tester:assertle(max_difference(masks[t][i], masks[1][i]), 0,
               name .. ': step ' .. t .. ' uses the mask of step 1')
         end
      end
      tester:assertlt(math.abs(zeros - p), 0.05, name .. ': about p dropped')
      seq:backward(x, torch.randn(T, N, H))
      seq:forward(x)
      local next_masks = step_masks(recurrent, T)
      tester:assertgt(max_difference(next_masks[1][1], masks[1][1]), 0,
         name .. ': the next sequence draws new masks')
      tester:assertle(max_difference(next_masks[T][1], next_masks[1][1]), 0,
         name .. ': and keeps them through the sequence')
   end
end

function tests.variational_dropout_mono()
   torch.manualSeed(14)
   local gru = nn.GRU(3, 4, nil, 0.5, true)
   nn.Sequencer(gru):forward(torch.randn(2, 5, 3))
   for _, mask in ipairs(step_masks(gru, 2)[2]) do
      for i = 2, 5 do tester:assertle(max_difference(mask[i], mask[1]), 0, 'one mask') end
   end
end

-- FastLSTM with dropout, one step computed here from its masks and per-gate weights.
function tests.fastlstm_dropout_follows_its_equations()
   torch.manualSeed(15)
   local T, N, D, H = 3, 4, 3, 2
   local lstm = nn.FastLSTM(D, H, nil, nil, nil, nil, 0.5)
   local x = torch.randn(T, N, D)
   local output = nn.Sequencer(lstm):forward(x)
   local dropouts = lstm.recurrentModule:findModules('nn.Dropout')
   local inputLinears = lstm.i2g:get(2)
   local outputLinears = lstm.o2g:get(2)
   local function sigmoid(v) return torch.pow(torch.exp(-v) + 1, -1) end
   local h, c = torch.zeros(N, H), torch.zeros(N, H)
   for t = 1, T do
      local sums = {}
      for k = 1, 4 do
         local Wk, bk = inputLinears:get(k).weight, inputLinears:get(k).bias
         local Uk = outputLinears:get(k).weight
         sums[k] = torch.cmul(x[t], dropouts[k].noise) * Wk:t()
            + bk:view(1, H):expand(N, H)
            + torch.cmul(h, dropouts[4 + k].noise) * Uk:t()
      end
      c = torch.cmul(sigmoid(sums[3]), c) + torch.cmul(sigmoid(sums[1]), torch.tanh(sums[2]))
      h = torch.cmul(sigmoid(sums[4]), torch.tanh(c))
      tester:assertlt(max_difference(output[t], h), 1e-12, 'step ' .. t)
   end
end

-- Finite differences with the masks held: after each backward the dropouts keep the
-- masks they had (they would otherwise draw new ones at the next forward).
local HeldMasks = torch.class('rnntest.HeldMasks', 'nn.Decorator')

function HeldMasks:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   for _, dropout in ipairs(self.modules[1]:findModules('nn.Dropout')) do
      dropout.flag = false
   end
   return self.gradInput
end

function tests.variational_dropout_jacobians()
   torch.manualSeed(16)
   local T, N, D, H = 3, 2, 3, 2
   for _, case in ipairs({
         {'LSTM', nn.LSTM(D, H, nil, nil, 0.5)},
         {'FastLSTM', nn.FastLSTM(D, H, nil, nil, nil, nil, 0.5)},
         {'GRU', nn.GRU(D, H, nil, 0.5)}}) do
      local x = torch.randn(T, N, D)
      local held = rnntest.HeldMasks(nn.Sequencer(case[2]))
      held:forward(x)
      checks.jacobians(tester, held, x, case[1])
   end
end

function tests.gru_migrate_to_dropout()
   torch.manualSeed(17)
   local D, H = 3, 4
   local plain, bayesian = nn.GRU(D, H), nn.GRU(D, H, nil, 0.25)
   bayesian:migrate(plain:parameters())
   bayesian:evaluate()
   plain:evaluate()
   local x = torch.randn(2, D)
   tester:assertlt(max_difference(bayesian:forward(x), plain:forward(x)), 1e-12,
      'without dropout (evaluation) the same GRU')
   tester:assertErrorPattern(function() plain:migrate(plain:parameters()) end,
      'only support for BGRUs', 'migrate needs p > 0')
end

function tests.nested_table_helpers_on_recurrent_modules()
   local copy = nn.GRU(2, 2).recursiveCopy(nil, {torch.ones(2), {torch.range(1, 3)}})
   tester:eq(copy[2][1], torch.range(1, 3), 'recursiveCopy through a module')
   tester:assert(nn.LSTM.recursiveTensorEq(copy, {torch.ones(2), {torch.range(1, 3)}}),
      'recursiveTensorEq')
end

function tests.zero_grad_and_copy_grad()
   local x, gradOutput = torch.randn(3, 4), torch.randn(3, 4)
   local zero = nn.ZeroGrad()
   tester:assertle(max_difference(zero:forward(x), x), 0, 'ZeroGrad passes the input on')
   local gradInput = zero:backward(x, gradOutput)
   tester:eq(gradInput:size():totable(), {3, 4}, 'shaped as gradOutput')
   tester:eq(gradInput:abs():sum(), 0, 'zeros')
   local nested = zero:backward({x, {x}}, {gradOutput, {gradOutput:narrow(1, 1, 2)}})
   tester:eq(nested[2][1]:size():totable(), {2, 4}, 'nested tables')
   tester:eq(nested[1]:abs():sum() + nested[2][1]:abs():sum(), 0, 'nested zeros')
   local copy = nn.CopyGrad()
   tester:assertle(max_difference(copy:forward(x), x), 0, 'CopyGrad passes the input on')
   local copied = copy:backward(x, gradOutput)
   tester:assertle(max_difference(copied, gradOutput), 0, 'gradient copied')
   copied:zero()
   tester:assertgt(gradOutput:abs():sum(), 0, 'a copy, not gradOutput itself')
end

function tests.expand_as()
   torch.manualSeed(21)
   local a, b = torch.randn(2, 3, 4), torch.randn(1, 3, 1)
   local expand = nn.ExpandAs()
   local output = expand:forward({a, b})
   tester:assertle(max_difference(output[1], a), 0, 'first passed on')
   for i = 1, 2 do
      for k = 1, 4 do
         tester:assertle(max_difference(output[2][{i, {}, k}], b[{1, {}, 1}]), 0,
            'b repeated at ' .. i .. ', ' .. k)
      end
   end
   local gradA, gradB = torch.randn(2, 3, 4), torch.randn(2, 3, 4)
   local gradInput = expand:backward({a, b}, {gradA, gradB})
   tester:assertle(max_difference(gradInput[1], gradA), 0, 'gradient of a')
   local expected = torch.zeros(1, 3, 1)
   for i = 1, 2 do
      for k = 1, 4 do expected[{1, {}, 1}]:add(gradB[{i, {}, k}]) end
   end
   tester:eq(gradInput[2]:size():totable(), {1, 3, 1}, 'gradient of b shaped as b')
   tester:assertlt(max_difference(gradInput[2], expected), 1e-12, 'summed gradient of b')
end

-- beta * sum over t >= 2 of the batch mean of (||h[t]|| - ||h[t-1]||)^2, computed here.
local function stabilization_cost(h, beta)
   local cost = 0
   for t = 2, h:size(1) do
      for i = 1, h:size(2) do
         cost = cost + (h[t][i]:norm() - h[t - 1][i]:norm()) ^ 2 / h:size(2)
      end
   end
   return beta * cost
end

function tests.norm_stabilizer_loss_and_gradient()
   torch.manualSeed(22)
   local T, N, H, beta = 4, 3, 5, 2.5
   local stabilizer = nn.NormStabilizer(beta)
   local seq = nn.Sequencer(stabilizer)
   local h, gradOutput = torch.randn(T, N, H), torch.randn(T, N, H)
   tester:assertle(max_difference(seq:forward(h), h), 0, 'passes the states on')
   tester:assertlt(math.abs(stabilizer:updateLoss() - stabilization_cost(h, beta) / T),
      1e-12, 'updateLoss: the cost over T')
   local gradInput = seq:backward(h, gradOutput)
   -- central differences of gradOutput . h + cost(h)
   local eps = 1e-6
   local numeric = torch.zeros(T, N, H)
   local flat, flatNumeric = h:view(-1), numeric:view(-1)
   for k = 1, flat:nElement() do
      local saved = flat[k]
      flat[k] = saved + eps
      local above = torch.dot(gradOutput, h) + stabilization_cost(h, beta)
      flat[k] = saved - eps
      local below = torch.dot(gradOutput, h) + stabilization_cost(h, beta)
      flat[k] = saved
      flatNumeric[k] = (above - below) / (2 * eps)
   end
   tester:assertlt(max_difference(gradInput, numeric), 1e-6, 'gradient')
   tester:eq(tostring(stabilizer), 'nn.NormStabilizer', 'printing')
   tester:assertErrorPattern(function() nn.NormStabilizer():forward(torch.randn(3)) end,
      'batch of hidden states', 'batch mode only')
end

function tests.bisequencerlm_output_t_does_not_see_input_t()
   torch.manualSeed(24)
   local T, N, D, H = 4, 2, 3, 2
   local fwd, bwd = nn.FastLSTM(D, H), nn.GRU(D, H)
   local brnn = nn.BiSequencerLM(fwd, bwd)
   local x = {}
   for t = 1, T do x[t] = torch.randn(N, D) end
   local output = brnn:forward(x)
   tester:eq(#output, T, 'one output per step')
   -- reference: each direction run by itself over the part of the sequence it sees
   local forwardOnly, backwardOnly = nn.Sequencer(fwd:clone()), nn.Sequencer(bwd:clone())
   for t = 1, T do
      tester:eq(output[t]:size():totable(), {N, 2 * H}, 'merged by JoinTable(1, 1)')
      local left, right = output[t]:narrow(2, 1, H), output[t]:narrow(2, H + 1, H)
      if t == 1 then
         tester:eq(left:abs():sum(), 0, 'nothing before the first step')
      else
         local seen = {}
         for s = 1, t - 1 do seen[s] = x[s] end
         local outputs = forwardOnly:forward(seen)
         tester:assertlt(max_difference(left, outputs[t - 1]), 1e-12, 'forward at ' .. t)
      end
      if t == T then
         tester:eq(right:abs():sum(), 0, 'nothing after the last step')
      else
         local seen = {}
         for s = T, t + 1, -1 do seen[#seen + 1] = x[s] end
         local outputs = backwardOnly:forward(seen)
         tester:assertlt(max_difference(right, outputs[#outputs]), 1e-12,
            'backward at ' .. t)
      end
   end
end

function tests.bisequencerlm_jacobians()
   torch.manualSeed(25)
   local T, D, H = 3, 3, 2
   local brnn = nn.Sequential()
      :add(nn.SplitTable(1))
      :add(nn.BiSequencerLM(nn.FastLSTM(D, H), nil, nn.CAddTable()))
      :add(nn.JoinTable(1))
   checks.jacobians(tester, brnn, torch.randn(T, D), 'BiSequencerLM')
   local stacked = nn.Sequential()
      :add(nn.SplitTable(1))
      :add(nn.BiSequencerLM(nn.Sequencer(nn.Sequential():add(nn.GRU(D, H)):add(nn.Tanh()))))
      :add(nn.JoinTable(1))
   checks.jacobians(tester, stacked, torch.randn(T, D), 'BiSequencerLM of a Sequencer')
   tester:assertErrorPattern(function()
      nn.BiSequencerLM(nn.GRU(D, H)):forward({torch.randn(D)})
   end, 'at least 2 steps', 'one step is too few')
   tester:assertErrorPattern(function() nn.BiSequencerLM(nn.GRU(D, H), 'x') end,
      'arg 2', 'backward must be a module')
end

-- SeqLSTMP's recurrence computed here: gates i, f, o, g from [x, h[t-1]] * weight + bias,
-- c[t] = f c[t-1] + i g, h[t] = (o tanh(c[t])) weightO.
local function seqlstmp_by_hand(lstmp, x, c0, h0)
   local T, N, H = x:size(1), x:size(2), lstmp.hiddensize
   local function sigmoid(v) return torch.pow(torch.exp(-v) + 1, -1) end
   local output = torch.Tensor(T, N, lstmp.outputsize)
   local h, c = h0, c0
   for t = 1, T do
      local a = torch.cat(x[t], h, 2) * lstmp.weight
         + lstmp.bias:view(1, 4 * H):expand(N, 4 * H)
      local i, f = sigmoid(a:narrow(2, 1, H)), sigmoid(a:narrow(2, H + 1, H))
      local o, g = sigmoid(a:narrow(2, 2 * H + 1, H)), torch.tanh(a:narrow(2, 3 * H + 1, H))
      c = torch.cmul(f, c) + torch.cmul(i, g)
      h = torch.cmul(o, torch.tanh(c)) * lstmp.weightO
      output[t]:copy(h)
   end
   return output
end

function tests.seqlstmp_follows_its_equations()
   torch.manualSeed(26)
   local T, N, D, H, R = 4, 3, 5, 6, 2
   local lstmp = nn.SeqLSTMP(D, H, R)
   tester:eq(lstmp.weight:size():totable(), {D + R, 4 * H}, 'weight size')
   tester:eq(lstmp.weightO:size():totable(), {H, R}, 'projection size')
   tester:eq(#lstmp:parameters(), 3, 'weight, bias, weightO')
   tester:eq(lstmp.bias:narrow(1, H + 1, H):sum(), H, 'forget gate bias 1')
   local x = torch.randn(T, N, D)
   local expected = seqlstmp_by_hand(lstmp, x, torch.zeros(N, H), torch.zeros(N, R))
   tester:assertlt(max_difference(lstmp:forward(x), expected), 1e-12, 'output')
   local c0, h0 = torch.randn(N, H), torch.randn(N, R)
   tester:assertlt(max_difference(lstmp:forward({c0, h0, x}),
      seqlstmp_by_hand(lstmp, x, c0, h0)), 1e-12, 'given initial states')
   tester:assertErrorPattern(function() lstmp:forward({torch.randn(N, R), h0, x}) end,
      'initial state: expected size 3x6', 'c0 has hiddensize units')
   tester:assertErrorPattern(function() nn.SeqLSTM(D, H, R) end, 'SeqLSTMP',
      'SeqLSTM has no projection')
end

function tests.seqlstmp_jacobians_and_mask_zero()
   torch.manualSeed(27)
   local T, N, D, H, R = 3, 2, 3, 4, 2
   checks.jacobians(tester, nn.SeqLSTMP(D, H, R), torch.randn(T, N, D), 'SeqLSTMP')
   local states = nn.Sequential()
      :add(nn.ConcatTable()
         :add(nn.Sequential():add(nn.Select(1, 1)):add(nn.Linear(D, H)))
         :add(nn.Sequential():add(nn.Select(1, 1)):add(nn.Linear(D, R)))
         :add(nn.Identity()))
      :add(nn.SeqLSTMP(D, H, R))
   checks.jacobians(tester, states, torch.randn(T, N, D), 'SeqLSTMP with initial states')
   local masked = nn.SeqLSTMP(D, H, R):maskZero()
   local x = torch.randn(T, N, D)
   x[2][1]:zero()
   local output = masked:forward(x)
   tester:eq(output[2][1]:abs():sum(), 0, 'masked step gives zeros')
   local restarted = seqlstmp_by_hand(masked, x[{{3}, {1}}], torch.zeros(1, H),
      torch.zeros(1, R))
   tester:assertlt(max_difference(output[{{3}, {1}}], restarted), 1e-12,
      'then starts from zero states')
   -- the gradient does not cross the masked step either: sample 1's steps 1 and 3 are
   -- separate sequences, sample 2 its own
   local gradOutput = torch.randn(T, N, R)
   local gradInput = masked:backward(x, gradOutput):clone()
   tester:eq(gradInput[2][1]:abs():sum(), 0, 'no gradient for the masked step')
   local alone = nn.SeqLSTMP(D, H, R)
   alone.weight:copy(masked.weight)
   alone.bias:copy(masked.bias)
   alone.weightO:copy(masked.weightO)
   for _, part in ipairs({{{1, 1}, {1}}, {{3, 3}, {1}}, {{}, {2}}}) do
      alone:forward(x[part]:clone())
      tester:assertlt(max_difference(alone:backward(x[part]:clone(),
         gradOutput[part]:clone()), gradInput[part]), 1e-12, 'gradient of a part')
   end
end

-- MuFuRu's step computed here from its Linears (reset gate's two, feature's, weights').
local function mufuru_step(mufuru, x, s)
   local linears = mufuru.recurrentModule:findModules('nn.Linear')
   local function affine(linear, v)
      local bias = linear.bias:view(1, -1)
      return v * linear.weight:t() + bias:expand(v:size(1), bias:size(2))
   end
   local function sigmoid(v) return torch.pow(torch.exp(-v) + 1, -1) end
   local H, J = mufuru.outputSize, mufuru.num_ops
   local r = sigmoid(affine(linears[1], x) + affine(linears[2], s))
   local v = torch.tanh(affine(linears[3], torch.cat(x, torch.cmul(r, s), 2)))
   local scores = affine(linears[4], torch.cat(x, s, 2)):view(-1, H, J)
   local e = torch.exp(scores)
   local p = torch.cdiv(e, e:sum(3):expandAs(e))
   local results = {
      keep = s, replace = v, mul = torch.cmul(s, v), diff = s - v, forget = s * 0,
      sqrt_diff = torch.sqrt(torch.abs(s - v)) * 0.25, max = torch.cmax(s, v),
      min = torch.cmin(s, v)}
   local new = torch.zeros(s:size())
   for j, name in ipairs(mufuru.ops) do new:add(torch.cmul(p:select(3, j), results[name])) end
   return new
end

function tests.mufuru_follows_its_equations()
   torch.manualSeed(28)
   local T, N, D, H = 3, 4, 3, 5
   for _, ops in ipairs({false, {'keep', 'replace'}, {'max', 'sqrt_diff', 'forget'}}) do
      local mufuru = nn.MuFuRu(D, H, ops or nil)
      local name = ops and table.concat(ops, ' ') or 'all'
      local x = torch.randn(T, N, D)
      local output = nn.Sequencer(mufuru):forward(x)
      local s = torch.zeros(N, H)
      for t = 1, T do
         s = mufuru_step(mufuru, x[t], s)
         tester:assertlt(max_difference(output[t], s), 1e-12, name .. ', step ' .. t)
      end
      local sample = nn.Sequencer(mufuru:clone()):forward(x:select(2, 3))
      tester:assertlt(max_difference(sample, output:select(2, 3)), 1e-12, name .. ', sample')
      local one = nn.Sequencer(mufuru:clone()):forward(x:narrow(2, 2, 1))
      tester:assertlt(max_difference(one, output:narrow(2, 2, 1)), 1e-12,
         name .. ', batch of one')
   end
end

function tests.mufuru_jacobians_printing_and_bad_ops()
   torch.manualSeed(29)
   checks.jacobians(tester, nn.Sequencer(nn.MuFuRu(3, 2)), torch.randn(3, 2, 3), 'MuFuRu')
   tester:eq(tostring(nn.MuFuRu(3, 2, {'keep', 'mul'})), 'nn.MuFuRu(3 -> 2) { keep mul }',
      'printing')
   tester:assertErrorPattern(function() nn.MuFuRu(3, 2, {'keep', 'swap'}) end,
      'unknown operation swap', 'unknown operation')
end

-- Left-padded sequences of lengths 5, 2, 0 and 4 (steps x batch x size); padding is zeros.
local function padded_batch(T, D)
   local x = torch.randn(T, 4, D)
   for b, length in ipairs({5, 2, 0, 4}) do
      if length < T then x[{{1, T - length}, b}]:zero() end
   end
   return x
end

function tests.trim_zero_equals_mask_zero()
   torch.manualSeed(30)
   local T, D, H = 5, 3, 4
   for _, class in ipairs({'FastLSTM', 'GRU', 'LSTM'}) do
      local trimmed = nn[class](D, H)
      local masked = trimmed:clone()
      trimmed:trimZero(1)
      masked:maskZero(1)
      local seqT, seqM = nn.Sequencer(trimmed), nn.Sequencer(masked)
      local x, gradOutput = padded_batch(T, D), torch.randn(T, 4, H)
      local output = seqT:forward(x)
      tester:assertlt(max_difference(output, seqM:forward(x)), 1e-12, class .. ' output')
      tester:eq(output[{{}, 3}]:abs():sum(), 0, class .. ': an all-padding sample')
      seqT:zeroGradParameters()
      seqM:zeroGradParameters()
      tester:assertlt(max_difference(seqT:backward(x, gradOutput),
         seqM:backward(x, gradOutput)), 1e-12, class .. ' gradInput')
      local _, gradT = seqT:parameters()
      local _, gradM = seqM:parameters()
      for i = 1, #gradT do
         tester:assertlt(max_difference(gradT[i], gradM[i]), 1e-12,
            class .. ' gradParameters ' .. i)
      end
   end
end

function tests.trim_zero_leaves_out_the_masked_rows()
   torch.manualSeed(31)
   local linear = nn.Linear(3, 2)
   local trim = nn.TrimZero(linear, 1)
   local x = torch.randn(4, 3)
   x[2]:zero()
   x[4]:zero()
   local output = trim:forward(x)
   tester:eq(linear.output:size(1), 2, 'the module ran on the 2 kept rows')
   tester:eq(output:size():totable(), {4, 2}, 'output rows as the input')
   tester:eq(output[2]:abs():sum() + output[4]:abs():sum(), 0, 'masked rows zero')
   tester:assertlt(max_difference(output[3], linear:forward(x[3])), 1e-12, 'kept row')
   -- a sample: masked when all zeros
   tester:eq(trim:forward(torch.zeros(3)):abs():sum(), 0, 'masked sample')
   tester:assertlt(max_difference(trim:forward(x[1]), linear:forward(x[1])), 1e-12,
      'sample kept')
   tester:assertErrorPattern(function() nn.GRU(3, 2, nil, 0.5):trimZero(1) end, 'mono',
      'dropout needs mono')
   local bayesian = nn.Sequencer(nn.GRU(3, 2, nil, 0.5, true):trimZero(1))
   tester:eq(bayesian:forward(padded_batch(5, 3))[{{}, 3}]:abs():sum(), 0,
      'a Bayesian GRU with mono masks trims')
end

function tests.save_load_and_float()
   torch.manualSeed(32)
   local file = os.tmpname()
   local T, N, D, H = 3, 2, 4, 3
   local x = torch.randn(T, N, D)
   local modules = {
      nn.Sequencer(nn.Recurrence(tanh_step(D, H), H, 1)),
      -- lazy masks, kept through saving: the loaded copy forwards with the same masks
      nn.Sequencer(nn.FastLSTM(D, H, nil, nil, nil, nil, 0.5)),
      nn.Sequencer(nn.GRU(D, H, nil, 0.3, true):trimZero(1)),
      nn.Sequencer(nn.Sequential():add(nn.MuFuRu(D, H)):add(nn.NormStabilizer())),
      nn.SeqLSTMP(D, 5, H),
   }
   for i, m in ipairs(modules) do
      checks.save_load(tester, m, x, file, 'module ' .. i)
      m:evaluate()
      local evaluated = m:forward(x):clone()
      tester:assertlt(max_difference(m:float():forward(x:float()):double(), evaluated), 1e-5,
         'float ' .. i)
   end
   local brnn = nn.BiSequencerLM(nn.GRU(D, H))
   local sequence = {x[1], x[2], x[3]}
   local y = brnn:forward(sequence)
   torch.save(file, brnn)
   local y2 = torch.load(file):forward(sequence)
   for t = 1, T do tester:assertle(max_difference(y2[t], y[t]), 0, 'BiSequencerLM ' .. t) end
   os.remove(file)
end

-- The step of a recurrent attention model: {x, a} -> h through a FastLSTM.
local function glimpse_rnn(D, A, H)
   return nn.Sequential()
      :add(nn.JoinTable(1, 1))
      :add(nn.Linear(D + A, H))
      :add(nn.FastLSTM(H, H))
end

function tests.recurrent_attention_unrolls_its_loop()
   torch.manualSeed(33)
   local N, D, A, H, steps = 3, 4, 2, 5, 4
   local step = glimpse_rnn(D, A, H)
   local action = nn.Sequential():add(nn.Linear(H, A)):add(nn.Tanh())
   local attention = nn.RecurrentAttention(step:clone(), action:clone(), steps, {H})
   local x = torch.randn(N, D)
   local output = attention:forward(x)
   tester:eq(#output, steps, 'one output per step')
   -- by hand: a[1] = action(0), a[t] = action(h[t-1]), h[t] = step({x, a[t]})
   local hidden, actions = torch.zeros(N, H), {}
   local reference = step:clone()
   for t = 1, steps do
      actions[t] = action:forward(hidden):clone()
      hidden = reference:forward({x, actions[t]}):clone()
      tester:assertlt(max_difference(output[t], hidden), 1e-12, 'step ' .. t)
   end
   -- backward: the actions are samples, only the path through the rnn's input counts
   local gradOutput = {}
   for t = 1, steps do gradOutput[t] = torch.randn(N, H) end
   attention:zeroGradParameters()
   local gradInput = attention:backward(x, gradOutput)
   local sequence = nn.Sequencer(step:clone())
   sequence:zeroGradParameters()
   local inputs = {}
   for t = 1, steps do inputs[t] = {x, actions[t]} end
   sequence:forward(inputs)
   local expected = torch.zeros(N, D)
   for _, g in ipairs(sequence:backward(inputs, gradOutput)) do expected:add(g[1]) end
   tester:assertlt(max_difference(gradInput, expected), 1e-10, 'gradInput')
   local _, gradParams = attention.rnn:parameters()
   local _, expectedGradParams = sequence:parameters()
   for i = 1, #gradParams do
      tester:assertlt(max_difference(gradParams[i], expectedGradParams[i]), 1e-10,
         'rnn gradParameters ' .. i)
   end
   local _, actionGrads = attention.action:parameters()
   for i = 1, #actionGrads do
      tester:eq(actionGrads[i]:abs():sum(), 0, 'action gets no gradient ' .. i)
   end
end

function tests.recurrent_attention_forward_actions_jacobians()
   torch.manualSeed(34)
   local N, D, A, H, steps = 2, 3, 2, 3, 3
   -- the rnn ignores the action, so the derivative is exact without the action's path
   local step = nn.Sequential():add(nn.SelectTable(1)):add(nn.FastLSTM(D, H))
   local action = nn.Sequential():add(nn.Linear(H, A)):add(nn.Tanh())
   local attention = nn.RecurrentAttention(step, action, steps, {H})
   attention.forwardActions = true
   local network = nn.Sequential()
      :add(attention)
      :add(nn.FlattenTable())
      :add(nn.JoinTable(1, 1))
   checks.jacobians(tester, network, torch.randn(N, D), 'actions forwarded')
   tester:assertErrorPattern(function() nn.RecurrentAttention(step, action, steps, H) end,
      'hiddenSize', 'hiddenSize is a table')
   tester:assertErrorPattern(function()
      attention:updateGradInput(torch.randn(N, D), {})
   end, 'nStep elements', 'gradOutput length')
end

-- the batch-normalized form of a matrix (N x K): per column, biased variance, as
-- nn.BatchNormalization in training with weight gamma and no bias
local function batch_normalized(z, gamma, eps)
   local mean = z:mean(1):expandAs(z)
   local var = (z - mean):pow(2):mean(1):expandAs(z)
   return (z - mean):cdiv((var + eps):sqrt()):mul(gamma)
end

function tests.fastlstm_recurrent_batch_normalization()
   torch.manualSeed(4)
   local T, N, D, H = 3, 4, 3, 2
   nn.FastLSTM.bn = true
   local built, lstm = pcall(nn.FastLSTM, D, H)
   nn.FastLSTM.bn = false
   assert(built, lstm)
   local norms = lstm:findModules('nn.BatchNormalization')
   tester:eq(#norms, 3, 'input, recurrent and cell normalizations')
   for _, bn in ipairs(norms) do tester:eq(bn.weight:min(), 0.1, 'scales start at 0.1') end
   -- the first step by hand: h[0] = c[0] = 0, so the recurrent product normalizes to zero
   -- and only its bias remains; c[1] = i * g, h[1] = o * tanh(BN(c[1]))
   local x = torch.randn(N, D)
   local bias = lstm:findModules('nn.Add')[1].bias
   local sums = batch_normalized(lstm.i2g:forward(x):clone(), 0.1, 1e-5)
      + bias:view(1, 4 * H):expand(N, 4 * H)
   local i = torch.sigmoid(sums:narrow(2, 1, H))
   local g = torch.tanh(sums:narrow(2, H + 1, H))
   local o = torch.sigmoid(sums:narrow(2, 3 * H + 1, H))
   local c = torch.cmul(i, g)
   local h = torch.cmul(o, torch.tanh(batch_normalized(c, 0.1, 1e-5)))
   tester:assertlt(max_difference(lstm:forward(x), h), 1e-10, 'first step')
   lstm:forget()
   checks.jacobians(tester, nn.Sequencer(lstm), torch.randn(T, N, D), 'batch-normalized')
   tester:eq(#nn.FastLSTM(D, H):findModules('nn.BatchNormalization'), 0, 'bn off again')
end

tester:add(tests)
tester:run(arg and arg[1] and {arg[1]} or nil)
