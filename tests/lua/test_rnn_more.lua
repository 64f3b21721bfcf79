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

tester:add(tests)
tester:run(arg and arg[1] and {arg[1]} or nil)
