-- dpnn's REINFORCE modules and reward criterions: sampling statistics, what evaluate() gives,
-- the REINFORCE gradients against the log-densities' derivatives (finite differences of the
-- log-density written out here, or its closed form), the rewards and losses of
-- VRClassReward/BinaryClassReward against hand computations, and a small recurrent
-- attention model whose location policy learns where to look from rewards alone.

require 'dpnn'
require 'rnn'

local tester = torch.Tester()
local tests = torch.TestSuite()

local function max_difference(a, b)
   return (a - b):abs():max()
end

-- The derivative of logDensity(x, params...) with respect to params[which] at each element,
-- by central differences, times -reward of the element's example (REINFORCE's gradient).
local function reinforce_gradient(logDensity, sample, params, which, reward, h)
   h = h or 1e-6
   local grad = params[which].new():resizeAs(params[which])
   local flat, out = params[which]:view(-1), grad:view(-1)
   local perExample = params[which]:nElement() / reward:size(1)
   for i = 1, flat:size(1) do
      local saved = flat[i]
      flat[i] = saved + h
      local up = logDensity(sample:view(-1)[i], params, i)
      flat[i] = saved - h
      local down = logDensity(sample:view(-1)[i], params, i)
      flat[i] = saved
      out[i] = -reward[math.floor((i - 1) / perExample) + 1] * (up - down) / (2 * h)
   end
   return grad
end

local function normal_log_density(x, params, i)
   local u, s = params[1]:view(-1)[i], params[2]:view(-1)[i]
   return -math.log(s) - 0.5 * math.log(2 * math.pi) - (x - u) ^ 2 / (2 * s * s)
end

function tests.reinforce_normal_samples_and_evaluates_to_the_mean()
   torch.manualSeed(11)
   local mean = torch.Tensor(400, 50):uniform(-2, 2)
   local module = nn.ReinforceNormal(0.7)
   local output = module:forward(mean):clone()
   local deviation = output - mean
   -- within 4 standard errors
   tester:assertlt(math.abs(deviation:mean()), 4 * 0.7 / math.sqrt(20000), 'sample mean')
   tester:assertlt(math.abs(deviation:std() - 0.7), 4 * 0.7 / math.sqrt(40000), 'sample stdev')
   tester:assertgt(max_difference(module:forward(mean), output), 0, 'a new draw each forward')
   module:evaluate()
   tester:eq(module:forward(mean), mean, 0, 'evaluation: the mean')
   local stochastic = nn.ReinforceNormal(0.7, true)
   stochastic:evaluate()
   tester:assertgt(max_difference(stochastic:forward(mean), mean), 0.5,
      'stochastic: sampling in evaluation too')
   -- per-element stdevs, and one example's stdevs shared by the batch
   local stdev = torch.Tensor(50):uniform(0.1, 2)
   local shared = nn.ReinforceNormal(stdev):forward(mean) - mean
   local spread = shared:std(1):view(50)
   tester:assertlt(max_difference(spread:cdiv(stdev), torch.ones(50)), 0.2,
      'stdev per feature')
end

function tests.reinforce_normal_gradient_is_minus_reward_times_score()
   torch.manualSeed(12)
   local mean, stdev = torch.randn(3, 4), 0.6
   local module = nn.ReinforceNormal(stdev)
   local sample = module:forward(mean):clone()
   local reward = torch.Tensor{0.5, -1, 2}
   module:reinforce(reward)
   local gradInput = module:backward(mean, torch.randn(3, 4))
   local expected = torch.Tensor(3, 4)
   for i = 1, 3 do
      for j = 1, 4 do
         expected[i][j] = -reward[i] * (sample[i][j] - mean[i][j]) / stdev ^ 2
      end
   end
   tester:assertlt(max_difference(gradInput, expected), 1e-12, 'the documented formula')
   local numeric = reinforce_gradient(normal_log_density, sample,
      {mean:clone(), torch.Tensor(3, 4):fill(stdev)}, 1, reward)
   tester:assertlt(max_difference(gradInput, numeric), 1e-6, 'the log-density derivative')
end

function tests.reinforce_normal_learns_its_stdev_from_a_table_input()
   torch.manualSeed(13)
   local mean, stdev = torch.randn(3, 5), torch.Tensor(3, 5):uniform(0.5, 1.5)
   local module = nn.ReinforceNormal()
   local sample = module:forward({mean, stdev}):clone()
   local reward = torch.Tensor{1, -0.5, 0.25}
   module:reinforce(reward)
   local gradInput = module:backward({mean, stdev}, torch.Tensor())
   local params = {mean:clone(), stdev:clone()}
   tester:assertlt(max_difference(gradInput[1],
      reinforce_gradient(normal_log_density, sample, params, 1, reward)), 1e-6, 'mean')
   tester:assertlt(max_difference(gradInput[2],
      reinforce_gradient(normal_log_density, sample, params, 2, reward)), 1e-6, 'stdev')
   -- a stdev of one example's size, shared by the batch: the examples' gradients add up
   local sharedStdev = torch.Tensor(5):uniform(0.5, 1.5)
   local sharedModule = nn.ReinforceNormal()
   local sharedSample = sharedModule:forward({mean, sharedStdev}):clone()
   sharedModule:reinforce(reward)
   local gradShared = sharedModule:backward({mean, sharedStdev}, torch.Tensor())[2]
   local full = reinforce_gradient(normal_log_density, sharedSample,
      {mean:clone(), sharedStdev:view(1, 5):expand(3, 5):clone()}, 2, reward)
   tester:assertlt(max_difference(gradShared, full:sum(1):view(5)), 1e-6, 'shared stdev')
   tester:assertErrorPattern(function() nn.ReinforceNormal():forward(torch.randn(2, 2)) end,
      'no stdev', 'no stdev anywhere')
   tester:assertErrorPattern(function()
      nn.ReinforceNormal(torch.ones(3)):forward(torch.randn(2, 2))
   end, 'stdev must have the size', 'a stdev of another size')
end

function tests.reinforce_bernoulli_frequencies_and_gradient()
   torch.manualSeed(14)
   local p = torch.Tensor{0.1, 0.5, 0.85}
   local input = p:view(1, 3):expand(20000, 3):clone()
   local module = nn.ReinforceBernoulli()
   local output = module:forward(input)
   tester:eq(output:clone():apply(function(x) return (x == 0 or x == 1) and 1 or 0 end):min(),
      1, 'binary samples')
   tester:assertlt(max_difference(output:mean(1):view(3), p), 0.015, 'frequencies')
   module:evaluate()
   tester:eq(module:forward(input), input, 0, 'evaluation: the probabilities')
   module:training()
   local small = torch.Tensor(4, 3):uniform(0.1, 0.9)
   local sample = module:forward(small):clone()
   local reward = torch.randn(4)
   module:reinforce(reward)
   local logDensity = function(x, params, i)
      local q = params[1]:view(-1)[i]
      return x * math.log(q) + (1 - x) * math.log(1 - q)
   end
   tester:assertlt(max_difference(module:backward(small, torch.Tensor()),
      reinforce_gradient(logDensity, sample, {small:clone()}, 1, reward)), 1e-6,
      'the log-mass derivative (x - p) / (p (1 - p))')
end

function tests.reinforce_categorical_frequencies_one_hot_and_gradient()
   torch.manualSeed(15)
   local p = torch.Tensor{0.05, 0.15, 0.3, 0.5}
   local input = p:view(1, 4):expand(20000, 4):clone()
   local module = nn.ReinforceCategorical()
   local output = module:forward(input)
   tester:eq(output:sum(2), torch.ones(20000, 1), 0, 'one category per example')
   tester:eq(output:clone():apply(function(x) return (x == 0 or x == 1) and 1 or 0 end):min(),
      1, 'one-hot rows')
   tester:assertlt(max_difference(output:mean(1):view(4), p), 0.015, 'frequencies')
   tester:eq(module:forward(p):sum(), 1, 0, 'a single example (a vector)')
   module:evaluate()
   tester:eq(module:forward(input), input, 0, 'evaluation: the probabilities')
   module:training()
   local probs = torch.Tensor(5, 4):uniform(0.1, 1)
   probs:cdiv(probs:sum(2):expand(5, 4))
   local sample = module:forward(probs):clone()
   local reward = torch.randn(5)
   module:reinforce(reward)
   local gradInput = module:backward(probs, torch.Tensor())
   local expected = torch.zeros(5, 4)
   for i = 1, 5 do
      for j = 1, 4 do
         if sample[i][j] == 1 then expected[i][j] = -reward[i] / probs[i][j] end
      end
   end
   tester:assertlt(max_difference(gradInput, expected), 1e-6, 'd ln p[i] / d p = 1 / p[i]')
end

function tests.reinforce_gamma_samples_and_gradients()
   torch.manualSeed(16)
   local digamma = nn.ReinforceGamma.digamma
   -- digamma's values: -Euler's constant at 1, -gamma - 2 ln 2 at 1/2, H(9) - gamma at 10
   local euler = 0.57721566490153286
   tester:assertlt(math.abs(digamma(1) + euler), 1e-12, 'digamma(1)')
   tester:assertlt(math.abs(digamma(0.5) + euler + 2 * math.log(2)), 1e-12, 'digamma(1/2)')
   local harmonic = 0
   for n = 1, 9 do harmonic = harmonic + 1 / n end
   tester:assertlt(math.abs(digamma(10) - (harmonic - euler)), 1e-12, 'digamma(10)')
   for _, shape in ipairs({0.4, 3}) do
      local scale = 1.5
      local module = nn.ReinforceGamma(scale)
      local output = module:forward(torch.Tensor(40000):fill(shape))
      tester:assertlt(math.abs(output:mean() / (shape * scale) - 1), 0.04, 'mean k t')
      tester:assertlt(math.abs(output:var() / (shape * scale * scale) - 1), 0.1, 'var k t^2')
      tester:assertgt(output:min(), 0, 'positive samples')
      module:evaluate()
      tester:eq(module:forward(torch.Tensor{shape}), torch.Tensor{shape * scale}, 1e-12,
         'evaluation: the mean')
   end
   local shape, scale = torch.Tensor(3, 4):uniform(0.5, 3), torch.Tensor(3, 4):uniform(0.5, 2)
   local module = nn.ReinforceGamma()
   local sample = module:forward({shape, scale}):clone()
   local reward = torch.randn(3)
   module:reinforce(reward)
   local gradInput = module:backward({shape, scale}, torch.Tensor())
   local expectedShape = torch.Tensor(3, 4)
   for i = 1, 3 do
      for j = 1, 4 do
         expectedShape[i][j] = -reward[i] * (math.log(sample[i][j]) - digamma(shape[i][j])
            - math.log(scale[i][j]))
      end
   end
   tester:assertlt(max_difference(gradInput[1], expectedShape), 1e-10,
      'shape: ln x - digamma(k) - ln t')
   -- with respect to the scale, ln f = -x / t - k ln t + (terms without t)
   local logDensity = function(x, params, i)
      local k, t = params[1]:view(-1)[i], params[2]:view(-1)[i]
      return -x / t - k * math.log(t)
   end
   tester:assertlt(max_difference(gradInput[2],
      reinforce_gradient(logDensity, sample, {shape:clone(), scale:clone()}, 2, reward)), 1e-6,
      'scale: x / t^2 - k / t')
   tester:assertErrorPattern(function() nn.ReinforceGamma(1):forward(torch.Tensor{1, -1}) end,
      'positive', 'non-positive shapes refused')
end

function tests.reward_spreads_over_each_example()
   local module = nn.Reinforce()
   module:reinforce(torch.Tensor{1, 2})
   local spread = module:rewardAs(torch.Tensor(2, 3, 2))
   tester:eq(spread[1], torch.Tensor(3, 2):fill(1), 0, 'first example')
   tester:eq(spread[2], torch.Tensor(3, 2):fill(2), 0, 'second example')
   module:reinforce(torch.Tensor{5})
   tester:eq(module:rewardAs(torch.Tensor(4, 2)), torch.Tensor(4, 2):fill(5), 0,
      'one reward for an input of one example')
   local base = nn.Reinforce()
   tester:eq(base:forward(torch.Tensor{3, 4}), torch.Tensor{3, 4}, 0, 'passes its input')
   tester:assertErrorPattern(function() base:backward(torch.Tensor{3, 4}, torch.Tensor{1, 1}) end,
      'reinforce', 'a backward without a reward')
   base:reinforce(torch.Tensor{1, 2, 3})
   tester:assertErrorPattern(function() base:rewardAs(torch.Tensor(2, 5)) end,
      '3 rewards for 2 examples', 'mismatched rewards')
end

function tests.reinforce_reaches_every_module_inside_containers()
   local normal, bernoulli = nn.ReinforceNormal(1), nn.ReinforceBernoulli()
   local net = nn.ConcatTable()
      :add(nn.Sequential():add(nn.Linear(2, 2)):add(normal))
      :add(nn.Sequential():add(nn.Sigmoid()):add(bernoulli))
   local reward = torch.Tensor{1, 2}
   net:reinforce(reward)
   tester:assert(normal.reward == reward and bernoulli.reward == reward, 'both reached')
end

function tests.reinforce_gives_each_step_its_reward()
   torch.manualSeed(19)
   local stdev = 0.5
   local means, samples = {}, {}
   local function run(recurrent)
      recurrent:forget()
      for step = 1, 3 do
         means[step] = torch.randn(2, 3)
         samples[step] = recurrent:forward(means[step]):clone()
      end
   end
   local function check(recurrent, rewards, name)
      for step = 3, 1, -1 do
         local gradInput = recurrent:backward(means[step], torch.zeros(2, 3))
         local expected = (samples[step] - means[step]):div(-stdev ^ 2)
         expected:cmul(rewards[step]:view(2, 1):expand(2, 3))
         tester:assertlt(max_difference(gradInput, expected), 1e-12,
            name .. ': step ' .. step)
      end
   end
   local rewards = {torch.Tensor{1, 2}, torch.Tensor{-1, 0.5}, torch.Tensor{3, -2}}
   local recursor = nn.Recursor(nn.ReinforceNormal(stdev))
   run(recursor)
   recursor:reinforce(rewards)
   check(recursor, rewards, 'a table of rewards')
   run(recursor)
   recursor:reinforce(torch.Tensor{{1, 2}, {-1, 0.5}, {3, -2}})
   check(recursor, rewards, 'a steps x batch tensor')
   run(recursor)
   recursor:reinforce(rewards[2])
   check(recursor, {rewards[2], rewards[2], rewards[2]}, 'one reward for every step')
   tester:assertErrorPattern(function() recursor:reinforce({rewards[1], rewards[1],
      rewards[1], rewards[1]}) end, '4 rewards for the 3 steps run', 'too many rewards')
   -- nn.Recurrent runs its first step in another module
   local recurrent = nn.Recurrent(3, nn.ReinforceNormal(stdev), nn.Linear(3, 3),
      nn.Identity(), 9)
   recurrent:forward(torch.zeros(2, 3))
   recurrent:forward(torch.zeros(2, 3))
   recurrent:reinforce({rewards[1], rewards[2]})
   tester:assert(recurrent.initialModule:findModules('nn.ReinforceNormal')[1].reward
      == rewards[1], 'nn.Recurrent: the first step')
   tester:assert(recurrent:getStepModule(2):findModules('nn.ReinforceNormal')[1].reward
      == rewards[2], 'nn.Recurrent: the second step')
end

-- A VRClassReward with its baseline and a network holding a Reinforce module.
local function reward_setup(scale)
   local reinforce = nn.Reinforce()
   return reinforce, nn.VRClassReward(nn.Sequential():add(reinforce), scale)
end

function tests.vr_class_reward_loss_reward_and_baseline_gradient()
   torch.manualSeed(17)
   local n, classes, scale = 7, 4, 2
   local scores, baseline = torch.randn(n, classes), torch.randn(n, 1)
   local target = torch.LongTensor(n):random(1, classes)
   target[1] = select(2, scores[1]:max(1))[1]
   local reinforce, criterion = reward_setup(scale)
   local loss = criterion:forward({scores, baseline}, target)
   local raw = torch.zeros(n)
   for i = 1, n do
      local best = 1
      for c = 2, classes do if scores[i][c] > scores[i][best] then best = c end end
      raw[i] = best == target[i] and scale or 0
   end
   tester:assertlt(math.abs(loss - (-raw:sum() / n)), 1e-12, 'loss = -scale * mean(R)')
   local gradInput = criterion:backward({scores, baseline}, target)
   tester:eq(gradInput[1], torch.zeros(n, classes), 0, 'no gradient for the scores')
   local expectedBaseline = torch.Tensor(n, 1)
   local expectedReward = torch.Tensor(n)
   for i = 1, n do
      expectedBaseline[i][1] = 2 * (baseline[i][1] - raw[i]) / n
      expectedReward[i] = (raw[i] - baseline[i][1]) / n
   end
   tester:assertlt(max_difference(gradInput[2], expectedBaseline), 1e-12,
      'MSE gradient of the baseline towards scale * R')
   tester:assertlt(max_difference(reinforce.reward, expectedReward), 1e-12,
      'reward (scale * R - b) / n handed to the module')
   -- one example as vectors, an IntTensor target, no averaging
   local single
   reinforce, single = reward_setup(1)
   single.sizeAverage = false
   local hit = single:forward({torch.Tensor{0.1, 0.9}, torch.Tensor{0.25}},
      torch.IntTensor{2})
   tester:eq(hit, -1, 'a correct single example')
   local singleGrad = single:backward({torch.Tensor{0.1, 0.9}, torch.Tensor{0.25}},
      torch.IntTensor{2})
   tester:eq(singleGrad[1]:size():totable(), {2}, 'gradient shaped as the vector input')
   tester:eq(reinforce.reward, torch.Tensor{0.75}, 1e-12, 'R - b')
   -- a baseline as a vector
   reinforce, criterion = reward_setup(scale)
   criterion:forward({scores, baseline:view(n)}, target)
   local vectorGrad = criterion:backward({scores, baseline:view(n)}, target)
   tester:eq(vectorGrad[1]:size():totable(), {n, classes}, 'scores gradient shape')
   tester:assertlt(max_difference(vectorGrad[2], expectedBaseline:view(n)), 1e-12,
      'a vector baseline')
   -- converting the criterion leaves the network alone
   reinforce, criterion = reward_setup(1)
   criterion:float()
   tester:eq(torch.type(criterion.module:get(1).output), 'torch.DoubleTensor', 'module kept')
   tester:assertErrorPattern(function() criterion:forward(torch.randn(2, 2), target) end,
      'expecting input', 'a tensor input refused')
end

function tests.binary_class_reward_thresholds_at_one_half()
   local probability = torch.Tensor{0.2, 0.7, 0.51, 0.4}
   local baseline = torch.Tensor{0.5, 0, 1, 0.25}
   local target = torch.LongTensor{0, 1, 0, 0}
   local reinforce = nn.Reinforce()
   local criterion = nn.BinaryClassReward(reinforce, 3)
   local loss = criterion:forward({probability, baseline}, target)
   local raw = torch.Tensor{3, 3, 0, 3}
   tester:assertlt(math.abs(loss - (-raw:sum() / 4)), 1e-12, 'loss')
   local gradInput = criterion:backward({probability, baseline}, target)
   tester:eq(gradInput[1], torch.zeros(4), 0, 'no gradient for the probabilities')
   tester:assertlt(max_difference(gradInput[2], (baseline - raw) * 2 / 4), 1e-12, 'baseline')
   tester:assertlt(max_difference(reinforce.reward, (raw - baseline) / 4), 1e-12, 'reward')
end

function tests.categorical_entropy_pushes_the_average_distribution_up()
   torch.manualSeed(20)
   local n, c, scale = 6, 4, 0.5
   local input = torch.Tensor(n, c):uniform(0.05, 1)
   input:cdiv(input:sum(2):expand(n, c))
   local module = nn.CategoricalEntropy(scale)
   tester:eq(module:forward(input), input, 0, 'passes its input')
   local gradOutput = torch.randn(n, c)
   local gradInput = module:backward(input, gradOutput):clone()
   -- -scale * H(p) / n as a function of the input, the normaliser held at its value
   local total = input:sum()
   local function objective(x)
      local entropy = 0
      for j = 1, c do
         local p = x:select(2, j):sum() / total
         entropy = entropy - p * math.log(p + 1e-6)
      end
      return -scale * entropy / n
   end
   local numeric = torch.Tensor(n, c)
   for i = 1, n do
      for j = 1, c do
         local saved = input[i][j]
         input[i][j] = saved + 1e-6
         local up = objective(input)
         input[i][j] = saved - 1e-6
         local down = objective(input)
         input[i][j] = saved
         numeric[i][j] = (up - down) / 2e-6
      end
   end
   tester:assertlt(max_difference(gradInput - gradOutput, numeric), 1e-6, 'entropy gradient')
   tester:assertlt(math.abs(module.entropy - (-objective(input) * n / scale)), 1e-12, 'entropy')
   local satisfied = nn.CategoricalEntropy(scale, 0.1)
   satisfied:forward(input)
   tester:eq(satisfied:backward(input, gradOutput), gradOutput, 0,
      'an entropy above minEntropy is left alone')
end

-- A glimpse for the attention test: reads input[1] where the location is negative,
-- input[2] otherwise, and reports the location too. Nothing flows back through a glimpse.
local Glimpse = torch.class('dpnntest.ToyGlimpse', 'nn.Module')

function Glimpse:updateOutput(input)
   local images, locations = input[1], input[2]
   self.output:resize(images:size(1), 2)
   for i = 1, images:size(1) do
      self.output[i][1] = locations[i][1] < 0 and images[i][1] or images[i][2]
      self.output[i][2] = locations[i][1]
   end
   return self.output
end

function Glimpse:updateGradInput(input, gradOutput)
   self.gradInput = {input[1].new():resizeAs(input[1]):zero(),
      input[2].new():resizeAs(input[2]):zero()}
   return self.gradInput
end

function tests.recurrent_attention_learns_where_to_look()
   -- The class is the sign of input[1]; input[2] is noise. Only a glimpse at a negative
   -- location sees input[1]; where to look is learned from VRClassReward's rewards alone.
   torch.manualSeed(18)
   local hidden, batch = 8, 32
   local glimpse = nn.Sequential():add(dpnntest.ToyGlimpse()):add(nn.Linear(2, hidden))
   local rnn = nn.Recurrent(hidden, glimpse, nn.Linear(hidden, hidden), nn.Tanh(), 99)
   local locator = nn.Sequential()
      :add(nn.Linear(hidden, 1)):add(nn.HardTanh())
      :add(nn.ReinforceNormal(0.5)):add(nn.HardTanh())
   locator:get(1).weight:zero()
   locator:get(1).bias:zero()
   local attention = nn.RecurrentAttention(rnn, locator, 2, {hidden})
   local baseline = nn.Sequential():add(nn.Constant(1, 1)):add(nn.Add(1))
   local agent = nn.Sequential():add(attention):add(nn.SelectTable(-1))
      :add(nn.Linear(hidden, 2)):add(nn.LogSoftMax())
      :add(nn.ConcatTable():add(nn.Identity())
         :add(nn.ConcatTable():add(nn.Identity()):add(baseline)))
   local criterion = nn.ParallelCriterion(true)
      :add(nn.ClassNLLCriterion())
      :add(nn.VRClassReward(agent, 1))
   local function batch_of(size)
      local images = torch.randn(size, 2)
      local target = images:select(2, 1):gt(0):long():add(1)
      return images, target
   end
   local function accuracy(output, target)
      local _, predicted = output[1]:max(2)
      return predicted:view(-1):eq(target):double():mean()
   end
   local early, late, steps = 0, 0, 60
   for step = 1, steps do
      local images, target = batch_of(batch)
      agent:zeroGradParameters()
      local output = agent:forward(images)
      criterion:forward(output, target)
      agent:backward(images, criterion:backward(output, target))
      agent:updateParameters(0.1)
      if step <= 10 then early = early + accuracy(output, target) / 10 end
      if step > steps - 10 then late = late + accuracy(output, target) / 10 end
   end
   tester:assertgt(late, early + 0.15, 'the training accuracy rises')
   tester:assertlt(locator:get(1).bias[1], -0.2, 'the policy looks at input[1]')
   agent:evaluate()
   local images, target = batch_of(500)
   tester:assertgt(accuracy(agent:forward(images), target), 0.9, 'evaluation accuracy')
end

tester:add(tests)
tester:run(arg and arg[1] and {arg[1]} or nil)
