-- dpnn's noise-contrastive estimation: torch.AliasMultinomial's draw frequencies,
-- NCEModule's probabilities against P_model(c | x) = exp(w_c . x + b_c) / Z and the noise
-- distribution, its gradients against finite differences (the noise draws repeated by
-- seeding), NCECriterion's loss and gradients against its formulas, the normalised
-- evaluation, and a small model trained with NCE.

require 'dpnn'

local tester = torch.Tester()
local tests = torch.TestSuite()

local function max_difference(a, b)
   return (a - b):abs():max()
end

local function frequencies(draws, n)
   local counts = torch.zeros(n)
   draws:apply(function(c) counts[c] = counts[c] + 1 end)
   return counts:div(draws:nElement())
end

function tests.alias_multinomial_draws_with_the_given_frequencies()
   torch.manualSeed(21)
   -- outcome 1 fills the other columns (the alias tables name it), outcome 3 is impossible
   for _, probs in ipairs({torch.Tensor{5, 1, 0, 1, 1, 1, 1}, torch.Tensor(10):uniform(0, 1)}) do
      local sampler = torch.AliasMultinomial(probs)
      local draws = sampler:batchdraw(torch.LongTensor(200, 1000))
      local expected = probs / probs:sum()
      local observed = frequencies(draws, probs:size(1))
      -- within 4 standard errors of each frequency
      local bound = 4 * math.sqrt(0.25 / draws:nElement())
      tester:assertlt(max_difference(observed, expected), bound, 'frequencies')
      tester:eq(observed[3] == 0, probs[3] == 0, 'a zero probability is never drawn')
   end
   local sampler = torch.AliasMultinomial(torch.Tensor{0, 0, 1})
   tester:eq(sampler:draw(), 3, 'draw()')
   local strided = torch.LongTensor(4, 6):zero():narrow(2, 2, 3)
   sampler:batchdraw(strided)
   tester:eq(strided, torch.LongTensor(4, 3):fill(3), 'a strided output')
   tester:assertErrorPattern(function() torch.AliasMultinomial(torch.Tensor{1, -1, 1}) end,
      'non%-negative', 'negative probabilities refused')
end

-- P_model(c | x) computed from the module's parameters.
local function model_probability(module, x, c)
   local linear = module.bias[c]
   for d = 1, x:size(1) do linear = linear + module.weight[c][d] * x[d] end
   return math.exp(linear) / module.Z[1]
end

-- The noise classes of example i (the batch's with batchnoise).
local function noise_classes(module, i)
   if module.batchnoise then return module.sampleidx:narrow(1, 1, module.k) end
   return module.sampleidx[i]:narrow(1, 2, module.k)
end

local function check_probabilities(module, input, target, unigrams, name)
   local output = module:forward({input, target})
   local n, k = input:size(1), module.k
   tester:eq(output[2]:size():totable(), {n, k}, name .. ': noise samples per example')
   local normalised = unigrams / unigrams:sum()
   for i = 1, n do
      tester:assertlt(math.abs(output[1][i] - model_probability(module, input[i], target[i])),
         1e-12, name .. ': P_model(target)')
      tester:assertlt(math.abs(output[3][i] - normalised[target[i]]), 1e-12,
         name .. ': P_noise(target)')
      local noise = noise_classes(module, i)
      for j = 1, k do
         tester:assertlt(math.abs(output[2][i][j] - model_probability(module, input[i],
            noise[j])), 1e-12, name .. ': P_model(noise)')
         tester:assertlt(math.abs(output[4][i][j] - normalised[noise[j]]), 1e-12,
            name .. ': P_noise(noise)')
      end
   end
end

function tests.nce_module_probabilities_follow_the_definitions()
   torch.manualSeed(22)
   local unigrams = torch.Tensor(30):uniform(1, 10)
   local module = nn.NCEModule(4, 30, 6, unigrams:clone(), 2)
   module:reset(0.5)
   local input, target = torch.randn(5, 4), torch.LongTensor(5):random(1, 30)
   check_probabilities(module, input, target, unigrams, 'batch noise')
   module.batchnoise = false
   check_probabilities(module, input, target, unigrams, 'noise per example')
   tester:eq(module.sampleidx:select(2, 1), target, 'targets first')
   -- noise draws follow the unigrams
   local draws = module:noiseSample(torch.LongTensor(), 400, 500)
   tester:assertlt(max_difference(frequencies(draws, 30), unigrams / unigrams:sum()),
      4 * math.sqrt(0.25 / draws:nElement()), 'noise frequencies')
end

function tests.nce_module_estimates_z_from_the_first_batch()
   torch.manualSeed(23)
   local module = nn.NCEModule(3, 50, 20, torch.ones(50))
   tester:eq(module.bias, torch.Tensor(50):fill(-math.log(50)), 1e-12,
      'biases start at -log(outputSize)')
   local input = torch.randn(4, 3)
   local output = module:forward({input, torch.LongTensor{1, 2, 3, 4}})
   local sum = 0
   local noise = module.sampleidx:narrow(1, 1, 20)
   for i = 1, 4 do
      for j = 1, 20 do sum = sum + math.exp(module.bias[noise[j]]
         + module.weight[noise[j]]:dot(input[i])) end
   end
   tester:assertlt(math.abs(module.Z[1] - sum / 80 * 50), 1e-10,
      'Z = mean exp(linear) over the noise samples times outputSize')
   tester:assertlt(math.abs(output[2]:mean() - 1 / 50), 1e-12, 'then the mean is 1 / 50')
end

-- sum(gradOutput .* output) as a function of the parameter flat[i], the same noise drawn
-- at each forward.
local function numeric_gradient(module, inputTable, gradOutput, tensor, seed)
   local flat, grad = tensor:view(-1), torch.zeros(tensor:nElement())
   local function objective()
      torch.manualSeed(seed)
      local output = module:forward(inputTable)
      return output[1]:dot(gradOutput[1]) + output[2]:clone():cmul(gradOutput[2]):sum()
   end
   local h = 1e-6
   for i = 1, flat:size(1) do
      local saved = flat[i]
      flat[i] = saved + h
      local up = objective()
      flat[i] = saved - h
      local down = objective()
      flat[i] = saved
      grad[i] = (up - down) / (2 * h)
   end
   return grad:viewAs(tensor)
end

function tests.nce_module_gradients_match_finite_differences()
   for _, batchnoise in ipairs({true, false}) do
      torch.manualSeed(24)
      local module = nn.NCEModule(3, 12, 5, torch.Tensor(12):uniform(1, 3), 0.5)
      module:reset(0.4)
      module.batchnoise = batchnoise
      local input, target = torch.randn(4, 3), torch.LongTensor{2, 7, 2, 11}
      local gradOutput = {torch.randn(4), torch.randn(4, 5)}
      local seed = 99
      torch.manualSeed(seed)
      module:forward({input, target})
      module:zeroGradParameters()
      local gradInput = module:backward({input, target}, gradOutput, 0.5)
      local name = batchnoise and 'batch noise' or 'noise per example'
      tester:assertlt(max_difference(gradInput[1],
         numeric_gradient(module, {input, target}, gradOutput, input, seed)), 1e-7,
         name .. ': gradInput')
      tester:eq(gradInput[2], torch.zeros(4), 0, name .. ': nothing for the targets')
      tester:assertlt(max_difference(module.gradWeight,
         numeric_gradient(module, {input, target}, gradOutput, module.weight, seed) * 0.5),
         1e-7, name .. ': gradWeight (scaled)')
      tester:assertlt(max_difference(module.gradBias,
         numeric_gradient(module, {input, target}, gradOutput, module.bias, seed) * 0.5),
         1e-7, name .. ': gradBias (scaled)')
   end
end

function tests.nce_criterion_loss_and_gradients_follow_the_formulas()
   torch.manualSeed(25)
   local n, k = 4, 3
   local input = {torch.Tensor(n):uniform(0.01, 1), torch.Tensor(n, k):uniform(0.01, 1),
      torch.Tensor(n):uniform(0.01, 0.2), torch.Tensor(n, k):uniform(0.01, 0.2)}
   local criterion = nn.NCECriterion()
   local function loss_of(values)
      local Pmt, Pms, Pnt, Pns = unpack(values)
      local total = 0
      for i = 1, n do
         total = total - math.log(Pmt[i] / (Pmt[i] + k * Pnt[i]))
         for j = 1, k do
            total = total - math.log(k * Pns[i][j] / (Pms[i][j] + k * Pns[i][j]))
         end
      end
      return total / n
   end
   local loss = criterion:forward(input)
   tester:assertlt(math.abs(loss - loss_of(input)), 1e-6, 'loss')
   local gradInput = criterion:backward(input)
   for which = 1, 2 do
      local flat, numeric = input[which]:view(-1), input[which]:clone():view(-1)
      for i = 1, flat:size(1) do
         local saved = flat[i]
         flat[i] = saved + 1e-6
         local up = loss_of(input)
         flat[i] = saved - 1e-6
         local down = loss_of(input)
         flat[i] = saved
         numeric[i] = (up - down) / 2e-6
      end
      tester:assertlt(max_difference(gradInput[which]:view(-1), numeric), 1e-5,
         'gradient ' .. which)
   end
   tester:eq(gradInput[3], torch.zeros(n), 0, 'no gradient for P_noise(target)')
   tester:eq(gradInput[4], torch.zeros(n, k), 0, 'no gradient for P_noise(noise)')
   criterion.sizeAverage = false
   tester:assertlt(math.abs(criterion:forward(input) - loss_of(input) * n), 1e-5, 'summed')
end

function tests.nce_module_normalised_evaluation()
   torch.manualSeed(26)
   local module = nn.NCEModule(3, 8, 4, torch.ones(8), 1)
   module:reset(1)
   local input, target = torch.randn(5, 3), torch.LongTensor(5):random(1, 8)
   module:evaluate()
   module.normalized = true
   local probs = module:forward({input, target}):clone()
   local linear = input * module.weight:t() + module.bias:view(1, 8):expand(5, 8)
   local expected = linear:exp()
   expected:cdiv(expected:sum(2):expand(5, 8))
   tester:assertlt(max_difference(probs, expected), 1e-12, 'softmax over every class')
   module.logsoftmax = true
   tester:assertlt(max_difference(module:forward({input, target}), expected:log()), 1e-12,
      'log-softmax')
   module:training()
   tester:eq(#module:forward({input, target}), 4, 'training gives the four tensors again')
   module:float()
   tester:eq(torch.type(module.weight), 'torch.FloatTensor', 'parameters converted')
   tester:eq(torch.type(module.unigrams), 'torch.DoubleTensor', 'noise distribution kept')
   tester:eq(torch.type(module:forward({input:float(), target})[1]), 'torch.FloatTensor',
      'float forward')
end

function tests.nce_trains_a_classifier()
   -- each of 6 contexts (one-hot inputs) has its own class among 40; after NCE training
   -- the normalised softmax ranks it first
   torch.manualSeed(27)
   local contexts, classes = 6, 40
   local answer = torch.randperm(classes):narrow(1, 1, contexts):long()
   local module = nn.NCEModule(contexts, classes, 10, torch.ones(classes), 1)
   local criterion = nn.NCECriterion()
   local input = torch.eye(contexts)
   for _ = 1, 200 do
      module:zeroGradParameters()
      local output = module:forward({input, answer})
      criterion:forward(output, answer)
      module:backward({input, answer}, criterion:backward(output, answer))
      module:updateParameters(0.5)
   end
   module:evaluate()
   module.normalized = true
   local _, predicted = module:forward({input, answer}):max(2)
   tester:eq(predicted:view(-1), answer, 'each context predicts its class')
end

tester:add(tests)
tester:run(arg and arg[1] and {arg[1]} or nil)
