-- dpnn: shared clones, getParameters over modules kept outside self.modules, the training
-- helpers against their formulas computed here, serialization modes through nn.Serial,
-- Inception (structure, Jacobians) in an OpenFace-style network saved and loaded, and the
-- small modules.

require 'dpnn'

local tester = torch.Tester()
local tests = torch.TestSuite()
local precision = 1e-5
local J = nn.Jacobian

local function max_difference(a, b)
   return (a - b):abs():max()
end

-- The largest gap between a criterion's gradInput and central differences of its loss.
local function criterion_gradient_error(criterion, input, target)
   local analytic = criterion:backward(input, target):clone()
   local numeric = input.new(input:size())
   local flat_input, flat_numeric = input:view(-1), numeric:view(-1)
   local step = 1e-6
   for i = 1, flat_input:nElement() do
      local kept = flat_input[i]
      flat_input[i] = kept + step
      local above = criterion:forward(input, target)
      flat_input[i] = kept - step
      local below = criterion:forward(input, target)
      flat_input[i] = kept
      flat_numeric[i] = (above - below) / (2 * step)
   end
   return max_difference(analytic, numeric)
end

local function same_storage(a, b)
   return torch.pointer(a:storage()) == torch.pointer(b:storage())
end

function tests.shared_clone_shares_parameters_and_gradients()
   local mlp = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
   mlp:zeroGradParameters()
   local clone = mlp:sharedClone()
   tester:assert(clone:get(1) ~= mlp:get(1), 'a new module')
   tester:assert(clone:get(1).weight ~= mlp:get(1).weight, 'a new tensor')
   tester:assert(same_storage(clone:get(1).weight, mlp:get(1).weight), 'same weight memory')
   tester:assert(same_storage(clone:get(3).gradBias, mlp:get(3).gradBias), 'same gradients')
   local x = torch.randn(5, 3)
   mlp:forward(x)
   clone:forward(x)
   tester:assert(not same_storage(clone:get(1).output, mlp:get(1).output), 'own buffers')
   clone:backward(x, torch.ones(5, 2))
   tester:assertgt(mlp:get(3).gradBias:norm(), 0, 'the original sees the accumulation')
   local separate = mlp:sharedClone(true, false)
   tester:assert(same_storage(separate:get(1).weight, mlp:get(1).weight), 'weights shared')
   tester:assert(not same_storage(separate:get(1).gradWeight, mlp:get(1).gradWeight),
      'gradients not shared')
   tester:assertle(max_difference(separate:get(1).gradWeight, mlp:get(1).gradWeight), 0,
      'gradients copied')
   local apart = mlp:sharedClone(false, false)
   apart:get(1).weight:fill(3)
   tester:assertlt(mlp:get(1).weight:max(), 3, 'nothing shared')
end

function tests.get_parameters_reaches_modules_outside_modules()
   local linear = nn.Linear(3, 2)
   local holder = nn.Sequential():add(linear)
   holder.hidden = {linear:sharedClone()}
   local params, grads = holder:getParameters()
   tester:eq(params:nElement(), 8, 'shared parameters counted once')
   tester:assert(same_storage(holder.hidden[1].weight, params), 'the hidden clone follows')
   params:fill(0.5)
   tester:assertle(max_difference(holder.hidden[1].weight, torch.Tensor(2, 3):fill(0.5)),
      0, 'values')
end

function tests.max_param_norm_bounds_rows_and_columns()
   torch.manualSeed(1)
   local linear = nn.Linear(6, 4)
   linear.weight:mul(10)
   local before = linear.weight:clone()
   local bias = linear.bias:clone()
   nn.Sequential():add(linear):maxParamNorm(1)
   for i = 1, 4 do
      local norm = before[i]:norm()
      local expected = before[i] * (norm > 1 and 1 / norm or 1)
      tester:assertlt(max_difference(linear.weight[i], expected), 1e-6, 'row ' .. i)
   end
   tester:assertle(max_difference(linear.bias, bias), 0, 'biases untouched')
   linear:maxParamNorm(nil, 0.5)
   for j = 1, 6 do
      tester:assertlt(linear.weight:select(2, j):norm(), 0.5 + 1e-6, 'column ' .. j)
   end
end

function tests.grad_param_clip_scales_the_joint_norm()
   local mlp = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Linear(4, 2))
   local _, grads = mlp:getParameters()
   grads:copy(torch.linspace(-3, 3, grads:nElement()))
   local norm = grads:norm()
   local before = grads:clone()
   tester:assertlt(math.abs(mlp:gradParamClip(1) - norm), 1e-12, 'returns the norm')
   tester:assertlt(max_difference(grads, before / norm), 1e-12, 'scaled to norm 1')
   grads:copy(before)
   mlp:gradParamClip(norm * 2)
   tester:assertle(max_difference(grads, before), 0, 'below the cutoff: unchanged')
end

function tests.weight_decay_adds_to_weights_gradients_only()
   local linear = nn.Linear(3, 2)
   linear:zeroGradParameters()
   nn.Sequential():add(linear):weightDecay(0.1)
   tester:assertlt(max_difference(linear.gradWeight, linear.weight * 0.1), 1e-15, 'weight')
   tester:assertle(torch.abs(linear.gradBias):max(), 0, 'bias (one dimension) left alone')
end

function tests.momentum_follows_its_formula()
   for _, nesterov in ipairs({false, true}) do
      local linear = nn.Linear(2, 2)
      local mom = {}
      local steps = {torch.randn(2, 2), torch.randn(2, 2), torch.randn(2, 2)}
      for t, grad in ipairs(steps) do
         linear.gradWeight:copy(grad)
         linear.gradBias:zero()
         linear:updateGradParameters(0.9, 0.5, nesterov)
         -- mom starts as the first gradient, then mom = 0.9 mom + (1 - 0.5) grad
         mom[t] = t == 1 and grad * 0.9 + grad * 0.5 or mom[t - 1] * 0.9 + grad * 0.5
         local expected = nesterov and grad + mom[t] * 0.9 or mom[t]
         tester:assertlt(max_difference(linear.gradWeight, expected), 1e-12,
            (nesterov and 'nesterov ' or '') .. 'step ' .. t)
      end
   end
end

function tests.sparse_parameters_and_update_parameters()
   local mlp = nn.Sequential():extend(nn.Linear(2, 3), nn.Linear(3, 1))
   tester:eq(#mlp.modules, 2, 'extend adds each')
   local params, grads, _, size = mlp:sparseParameters()
   tester:eq(size, 4, 'four parameter tensors')
   for _, g in ipairs(grads) do g:fill(1) end
   local before = params[1]:clone()
   mlp:updateParameters(0.5)
   tester:assertlt(max_difference(params[1], before - 0.5), 1e-15, 'param -= lr * grad')
end

function tests.dont_backward()
   local linear = nn.Linear(3, 2):dontBackward()
   linear:zeroGradParameters()
   local x = torch.randn(3)
   linear:forward(x)
   tester:eq(linear:backward(x, torch.ones(2)), nil, 'no gradient')
   tester:assertle(torch.abs(linear.gradWeight):max(), 0, 'no accumulation')
end

function tests.to_batch_and_from_batch()
   local m = nn.Module()
   local batch = m:toBatch(torch.randn(3, 4), 2)
   tester:eq(batch:dim(), 3, 'a batch of one')
   tester:eq(m:fromBatch(torch.randn(1, 5), 1):dim(), 1, 'back to a sample')
   tester:eq(m:toBatch(torch.randn(2, 3, 4), 2):dim(), 3, 'a batch stays')
end

function tests.reverse_table()
   local m = nn.ReverseTable()
   local a, b, c = torch.randn(2), torch.randn(3), torch.randn(1)
   local out = m:forward({a, b, c})
   tester:assert(out[1] == c and out[2] == b and out[3] == a, 'reversed')
   local grad = m:backward({a, b, c}, {c, b, a})
   tester:assert(grad[1] == a and grad[3] == c, 'gradients reversed back')
   tester:eq(#m:forward({a}), 1, 'shorter input shrinks the output')
   tester:assertErrorPattern(function() m:forward(a) end, 'Expecting table', 'tensor input')
end

local function small_inception(config)
   config = config or {}
   return nn.Inception{inputSize = 3, outputSize = {2, 3}, reduceSize = {2, 2, 2, 1},
      batchNorm = config.batchNorm, pool = config.pool, kernelStride = config.kernelStride,
      reduceStride = config.reduceStride}
end

function tests.inception_columns_and_planes()
   torch.manualSeed(2)
   local m = small_inception()
   local columns = m.modules[1]
   tester:eq(torch.type(columns), 'nn.DepthConcat', 'columns concatenated by planes')
   tester:eq(#columns.modules, 4, 'two convolution columns, the pool, the 1x1 column')
   local first = columns.modules[1]
   tester:eq(first.modules[1].kW, 1, 'reduction first')
   tester:eq(first.modules[3].kW, 5, 'then the 5x5 convolution')
   tester:eq(first.modules[3].padW, 2, 'padded to keep the size')
   local x = torch.randn(2, 3, 7, 7)
   local y = m:forward(x)
   tester:eq(y:size(2), 2 + 3 + 2 + 1, 'planes of all columns')
   tester:eq(y:size(3), 7, 'height kept')
   local single = m:forward(x[1]):clone()
   tester:eq(single:dim(), 3, 'a single image stays one')
   tester:assertlt(max_difference(single, m:forward(x)[1]), 1e-12, 'as the batch')
   -- every column is what its own modules compute
   local reduce = columns.modules[2].modules[1]:forward(x)
   local conv = columns.modules[2].modules[3]:forward(nn.ReLU():forward(reduce))
   tester:assertlt(max_difference(y:narrow(2, 3, 3), nn.ReLU():forward(conv)), 1e-12,
      'the 3x3 column')
end

function tests.inception_jacobians()
   torch.manualSeed(3)
   for _, case in ipairs({
         {'plain', small_inception()},
         {'strided', small_inception{kernelStride = {2, 2}, reduceStride = {1, 1, 1, 2},
            pool = nn.SpatialMaxPooling(3, 3, 2, 2)}},
         {'LP pooling', small_inception{pool = nn.SpatialLPPooling(3, 2, 3, 3, 1, 1)}}}) do
      local m = case[2]
      local x = torch.randn(2, 3, 6, 6)
      tester:assertlt(J.testJacobian(m, x), precision, case[1] .. ' gradInput')
      local params, grads = m:getParameters()
      tester:assertlt(J.testJacobianParameters(m, x, params, grads), precision,
         case[1] .. ' gradParameters')
   end
end

-- A face embedding network in the manner of OpenFace's nn4.small2, scaled down.
local function openface_like()
   return nn.Sequential()
      :add(nn.SpatialConvolutionMM(3, 8, 5, 5, 2, 2, 2, 2))
      :add(nn.SpatialBatchNormalization(8))
      :add(nn.ReLU())
      :add(nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1))
      :add(nn.SpatialCrossMapLRN(5, 0.0001, 0.75))
      :add(nn.Inception{inputSize = 8, kernelSize = {3, 5}, kernelStride = {1, 1},
         outputSize = {8, 4}, reduceSize = {6, 2, 4, 4},
         pool = nn.SpatialMaxPooling(3, 3, 1, 1, 1, 1), batchNorm = true})
      :add(nn.Inception{inputSize = 20, kernelSize = {3, 5}, kernelStride = {2, 2},
         outputSize = {8, 4}, reduceSize = {6, 2}, pool = nn.SpatialLPPooling(20, 2, 3, 3,
         2, 2), batchNorm = true})
      :add(nn.SpatialAveragePooling(4, 4))
      :add(nn.View(32))
      :add(nn.Linear(32, 16))
      :add(nn.Normalize(2))
end

function tests.openface_style_network_runs_saves_and_loads()
   torch.manualSeed(4)
   local net = openface_like()
   local x = torch.randn(3, 3, 32, 32)
   net:forward(x)          -- batch statistics move the running averages once
   net:evaluate()
   local y = net:forward(x):clone()
   tester:eq(y:size(2), 16, 'an embedding per image')
   -- (nn.Normalize adds 1e-10 to the norm it divides by)
   for i = 1, 3 do tester:assertlt(math.abs(y[i]:norm() - 1), 1e-9, 'unit norm') end
   local file = os.tmpname()
   torch.save(file, net)
   local loaded = torch.load(file)
   os.remove(file)
   tester:eq(torch.type(loaded:get(6)), 'nn.Inception', 'class kept')
   tester:assertle(max_difference(loaded:forward(x), y), 0, 'same embeddings')
   local float = loaded:float()
   tester:assertlt(max_difference(float:forward(x:float()):double(), y), 1e-4, 'as float')
end

function tests.serial_modes()
   torch.manualSeed(5)
   local net = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh())
   local x = torch.randn(2, 4)
   net:zeroGradParameters()
   net:forward(x)
   net:backward(x, torch.ones(2, 3))
   local file = os.tmpname()
   local function round_trip(module)
      torch.save(file, module)
      return torch.load(file)
   end
   local light = round_trip(nn.Serial(net):lightSerial())
   local linear = light.modules[1].modules[1]
   tester:eq(torch.type(light), 'nn.Serial', 'class')
   tester:eq(linear.gradWeight:nElement(), 0, 'light: no gradients')
   tester:eq(linear.output:nElement(), 0, 'light: no outputs')
   tester:assertle(max_difference(linear.weight, net:get(1).weight), 0, 'weights kept')
   tester:assertgt(net:get(1).gradWeight:nElement(), 0, 'the live module keeps them')
   local medium = round_trip(nn.Serial(net):mediumSerial()).modules[1].modules[1]
   tester:eq(medium.gradWeight:nElement(), 12, 'medium: gradients kept')
   tester:eq(medium.output:nElement(), 0, 'medium: no outputs')
   local heavy = round_trip(nn.Serial(net):heavySerial()).modules[1].modules[1]
   tester:eq(heavy.output:nElement(), 6, 'heavy: everything')
   local float = round_trip(nn.Serial(net, 'torch.FloatTensor')).modules[1].modules[1]
   tester:eq(torch.type(float.weight), 'torch.FloatTensor', 'saved as float')
   tester:eq(torch.type(net:get(1).weight), 'torch.DoubleTensor', 'live module unchanged')
   if pcall(require, 'rnn') then
      -- converting a recurrent module clears its buffers: the live one keeps them
      local seq = nn.Sequencer(nn.FastLSTM(2, 3))
      local y = seq:forward(torch.randn(4, 1, 2)):clone()
      round_trip(nn.Serial(seq, 'torch.FloatTensor'))
      tester:assertle(max_difference(seq.module.outputs[4], y[4]), 0, 'live outputs kept')
      tester:eq(seq.module.step, 5, 'live step kept')
   end
   -- a clone is what saving gives, as the original's clone went through write and read
   local cloned = nn.Serial(net, 'torch.FloatTensor'):mediumSerial():clone()
   tester:eq(cloned.modules[1].modules[1].output:nElement(), 0, 'clone: no outputs')
   tester:eq(torch.type(cloned.modules[1].modules[1].weight), 'torch.FloatTensor',
      'clone: converted')
   local loaded = round_trip(net:Serial():lightSerial())
   tester:assertle(max_difference(loaded:forward(x), net:forward(x)), 0, 'runs after loading')
   os.remove(file)
   tester:assertErrorPattern(function() nn.Serial(net, 'float') end, 'tensortype',
      'bad tensortype')
end

function tests.spatial_feat_normalization()
   local mean, std = torch.Tensor({1, -2}), torch.Tensor({2, 0.5})
   local m = nn.SpatialFeatNormalization(mean, std)
   local x = torch.randn(3, 2, 4, 5)
   local expected = x:clone()
   for i = 1, 2 do expected:select(2, i):add(-mean[i]):div(std[i]) end
   tester:assertlt(max_difference(m:forward(x), expected), 1e-15, 'batch')
   tester:assertlt(max_difference(m:forward(x[2]), expected[2]), 1e-15, 'one image')
   tester:assertlt(J.testJacobian(m, torch.randn(2, 3, 3)), precision, 'Jacobian')
   tester:assertErrorPattern(function() m:forward(torch.randn(3, 4, 4)) end,
      'No. of Feats', 'planes checked')
end

function tests.fire_module()
   torch.manualSeed(7)
   local fire = nn.FireModule(4, 2, 3, 5)
   local x = torch.randn(2, 4, 6, 6)
   local y = fire:forward(x)
   tester:eq(y:size():totable(), {2, 8, 6, 6}, 'e1x1 + e3x3 planes')
   local squeezed = nn.ReLU():forward(fire.squeeze:forward(x)):clone()
   local ones = fire.expand.modules[1]:forward(squeezed)
   tester:assertlt(max_difference(y:narrow(2, 1, 3), nn.ReLU():forward(ones)), 1e-12,
      'the 1x1 expansion')
   local params, grads = fire:getParameters()
   tester:assertlt(J.testJacobianParameters(fire, torch.randn(1, 4, 4, 4), params, grads),
      precision, 'Jacobian')
end

function tests.small_modules()
   local clip = nn.Clip(-1, 1)
   local x = torch.Tensor({-3, -0.5, 0, 2})
   tester:assertle(max_difference(clip:forward(x), torch.Tensor({-1, -0.5, 0, 1})), 0, 'Clip')
   tester:assertle(max_difference(clip:backward(x, torch.ones(4)), torch.ones(4)), 0,
      'Clip passes the gradient')
   tester:assertErrorPattern(function() nn.Clip('a', 1) end, 'two numbers', 'Clip arguments')

   local argmax = nn.ArgMax(2)
   local scores = torch.Tensor({{1, 5, 2}, {7, 0, 1}})
   local indices = argmax:forward(scores)
   tester:eq(torch.type(indices), 'torch.LongTensor', 'ArgMax gives indices')
   tester:eq(indices:totable(), {2, 1}, 'ArgMax along dim 2')
   tester:eq(nn.ArgMax(1, 1):forward(scores):totable(), {2, 1}, 'batch of vectors')
   tester:assertle(torch.abs(argmax:backward(scores, indices:double())):max(), 0, 'no gradient')

   local dropout = nn.TotalDropout(0.5)
   local input = torch.randn(10)
   for _ = 1, 10 do
      local out = dropout:forward(input)
      tester:assert(torch.abs(out):max() == 0 or max_difference(out, input) == 0,
         'all or nothing')
   end
   dropout:evaluate()
   tester:assertle(max_difference(dropout:forward(input), input), 0, 'passes in evaluation')
   tester:assertErrorPattern(function() nn.TotalDropout(1) end, 'illegal percentage', 'p')

   tester:assertErrorPattern(function() nn.Dictionary(10, 3) end, 'deprecated', 'Dictionary')
end

function tests.spatial_uniform_crop()
   torch.manualSeed(6)
   local crop = nn.SpatialUniformCrop(3, 4)
   local images = torch.randn(2, 2, 7, 9)
   local out = crop:forward(images)
   tester:eq(out:size():totable(), {2, 2, 3, 4}, 'crop size')
   local gradInput = crop:backward(images, torch.ones(2, 2, 3, 4))
   for i = 1, 2 do
      local h, w = crop.coord[i][1], crop.coord[i][2]
      tester:assertle(max_difference(out[i], images[i]:narrow(2, h, 3):narrow(3, w, 4)), 0,
         'crop ' .. i .. ' taken where recorded')
      tester:eq(gradInput[i]:sum(), 2 * 3 * 4, 'gradient only on the crop')
      tester:eq(gradInput[i]:narrow(2, h, 3):narrow(3, w, 4):min(), 1, 'all of the crop')
   end
   crop:evaluate()
   local centre = crop:forward(images[1])
   tester:assertle(max_difference(centre, images[1]:narrow(2, 2, 3):narrow(3, 3, 4)), 0,
      'centre crop of a single image')
   tester:assertErrorPattern(function() nn.SpatialUniformCrop(3, 3, {0.5, 1}) end, 'nnx',
      'rescaling needs nnx')
end

function tests.binary_logistic_regression()
   torch.manualSeed(11)
   local x = torch.randn(6, 1)
   local t = torch.Tensor({1, -1, -1, 1, 1, -1}):view(6, 1)
   local per_element = torch.exp(torch.cmul(x, t):mul(-1)):add(1):log()
   local averaged = nn.BinaryLogisticRegression()
   tester:assertlt(math.abs(averaged:forward(x, t) - per_element:sum() / 6), 1e-12, 'mean')
   local summed = nn.BinaryLogisticRegression(false)
   tester:assertlt(math.abs(summed:forward(x, t) - per_element:sum()), 1e-12, 'sum')
   local row = x:view(1, 6)
   tester:assertlt(math.abs(summed:forward(row, t) - per_element:sum()), 1e-12, '1 x n input')
   tester:eq(summed:backward(row, t):size():totable(), {1, 6}, 'gradient shaped as the input')
   tester:assertlt(criterion_gradient_error(averaged, x, t), 1e-8, 'gradient, averaged')
   tester:assertlt(criterion_gradient_error(summed, x:view(6), t:view(6)), 1e-8,
      'gradient, vectors')
   tester:assertErrorPattern(function() averaged:forward(torch.randn(2, 3), torch.ones(6)) end,
      'Expecting batchSize x 1', 'a matrix input')
   tester:assertErrorPattern(function() averaged:forward(torch.randn(6), torch.ones(1, 2, 3)) end,
      'Target:Expecting batchSize', 'a 3D target')
   tester:assertErrorPattern(function() averaged:forward(torch.randn(6), torch.ones(5)) end,
      'should be same', 'element counts')
end

function tests.spatial_binary_logistic_regression()
   torch.manualSeed(12)
   local x = torch.randn(3, 1, 4, 5)
   local t = torch.bernoulli(torch.Tensor(3, 1, 4, 5):fill(0.5)):mul(2):add(-1)
   local total = torch.exp(torch.cmul(x, t):mul(-1)):add(1):log():sum()
   local criterion = nn.SpatialBinaryLogisticRegression()
   tester:assertlt(math.abs(criterion:forward(x, t) - total / (2 * 3 * 4 * 5)), 1e-12,
      'averaged over the batch and twice the pixels')
   tester:assertlt(criterion_gradient_error(criterion, x, t), 1e-8, 'gradient, batch')
   criterion.sizeAverage = false
   tester:assertlt(math.abs(criterion:forward(x, t) - total / (2 * 4 * 5)), 1e-12,
      'divided by twice the pixels only')
   tester:assertlt(criterion_gradient_error(criterion, x, t), 1e-8, 'gradient, summed')
   local single = nn.SpatialBinaryLogisticRegression()
   local image_total = torch.exp(torch.cmul(x[2], t[2]):mul(-1)):add(1):log():sum()
   tester:assertlt(math.abs(single:forward(x[2], t[2]) - image_total / (2 * 4 * 5)), 1e-12,
      'one image')
   tester:assertlt(criterion_gradient_error(single, x[2], t[2]), 1e-8, 'gradient, one image')
   tester:assertErrorPattern(function() single:forward(x, t[1]) end, 'nDimension',
      'dimension counts')
   tester:assertErrorPattern(function() single:forward(x:view(3, 20), t:view(3, 20)) end,
      'Expecting image', '2D maps')
   tester:assertErrorPattern(function() single:forward(x, torch.ones(3, 1, 4, 4)) end,
      "dimensions don't match", 'sizes')
   tester:assertErrorPattern(function() single:forward(x:view(3, 4, 5), t:view(3, 4, 5)) end,
      'channels should be 1', 'one plane')
end

function tests.spatial_region_dropout()
   local p = 0.3
   local dropout = nn.SpatialRegionDropout(p)
   local images = torch.randn(2, 3, 10, 7)
   local seen = {}
   torch.manualSeed(13)
   for _ = 1, 20 do
      local out = dropout:forward(images)
      local region = dropout.regionType
      seen[region] = true
      -- The band the documentation names, rebuilt here as a mask of ones and zeros.
      local mask = torch.ones(2, 3, 10, 7)
      if region == 1 then mask[{{}, {}, {1, 3}}] = 0
      elseif region == 2 then mask[{{}, {}, {8, 10}}] = 0
      elseif region == 3 then mask[{{}, {}, {}, {1, 2}}] = 0
      else mask[{{}, {}, {}, {6, 7}}] = 0 end
      local expected = torch.cmul(images, mask):div(1 - p)
      tester:assertlt(max_difference(out, expected), 1e-12, 'region ' .. region)
      local gradOutput = torch.randn(2, 3, 10, 7)
      tester:assertlt(max_difference(dropout:backward(images, gradOutput),
         torch.cmul(gradOutput, mask):div(1 - p)), 1e-12, 'gradient of region ' .. region)
   end
   for region = 1, 4 do tester:assert(seen[region], 'edge ' .. region .. ' drawn') end
   local single = dropout:forward(images[1])
   tester:eq(single:size():totable(), {3, 10, 7}, 'one image')
   tester:assertlt(J.testJacobian(nn.SpatialRegionDropout(0), torch.randn(2, 4, 4)), precision,
      'Jacobian with nothing dropped')
   dropout:evaluate()
   tester:assertle(max_difference(dropout:forward(images), images), 0, 'evaluation passes')
   tester:assertErrorPattern(function() dropout:backward(images, images) end,
      'only defined for training', 'no gradient in evaluation')
   tester:assertErrorPattern(function() nn.SpatialRegionDropout(1) end, 'illegal percentage',
      'p < 1')
   tester:assertErrorPattern(function() nn.SpatialRegionDropout():forward(torch.randn(4, 4)) end,
      'Input must be 4D', '2D input')
   tester:assert(tostring(nn.SpatialRegionDropout(0.25)):find('p: 0.25') ~= nil, 'printing')
end

function tests.simple_color_transform()
   local range = torch.Tensor({0.5, 2, 8})
   local transform = nn.SimpleColorTransform(3, range)
   local images = torch.randn(40, 3, 4, 5)
   torch.manualSeed(14)
   local out = transform:forward(images)
   local offsets = out - images
   for c = 1, 3 do
      local plane = offsets:select(2, c)
      local first = plane:select(2, 1):select(2, 1)
      for b = 1, 40 do
         tester:assertlt(max_difference(plane[b], torch.Tensor(4, 5):fill(first[b])), 1e-12,
            'one offset per image and channel')
      end
      tester:assertle(torch.abs(first):max(), range[c], 'within the range of channel ' .. c)
      tester:assertgt(torch.abs(first):max(), range[c] / 2, 'spread over the range')
   end
   -- The same seed draws the same offsets: channel by channel, the whole batch at once.
   torch.manualSeed(14)
   local expected = torch.Tensor(40, 3)
   for c = 1, 3 do expected:select(2, c):uniform(-range[c], range[c]) end
   tester:assertlt(max_difference(offsets[{{}, {}, 1, 1}], expected), 1e-12, 'the draws')
   local single = transform:forward(images[1])
   local single_offsets = single - images[1]
   tester:assertle(single_offsets:std(3):max() + single_offsets:std(2):max(), 1e-12,
      'one offset per channel of a single image')
   local gradOutput = torch.randn(40, 3, 4, 5)
   tester:assertle(max_difference(transform:backward(images, gradOutput), gradOutput), 0,
      'the gradient passes')
   transform:evaluate()
   tester:assertle(max_difference(transform:forward(images), images), 0, 'evaluation passes')
   tester:assertErrorPattern(function() transform:backward(images, gradOutput) end,
      'only defined while training', 'no gradient in evaluation')
   tester:assertErrorPattern(function() nn.SimpleColorTransform(2, range) end,
      "range values don't match", 'one range per channel')
   transform:training()
   tester:assertErrorPattern(function() transform:forward(torch.randn(3, 4)) end,
      'Invalid input dimensionality', '2D input')
   tester:assertErrorPattern(function() transform:forward(torch.randn(2, 4, 4, 4)) end,
      'input channels', 'channel count')
end

function tests.pca_color_transform()
   local vectors = torch.Tensor({{0.6, 0.8, 0}, {-0.8, 0.6, 0}, {0, 0, 1}})
   local values = torch.Tensor({50, 5, 0.5})
   local std = 0.3
   local transform = nn.PCAColorTransform(3, vectors, values, std)
   local images = torch.randn(6, 3, 4, 5)
   torch.manualSeed(15)
   local offsets = transform:forward(images) - images
   -- The documented draw: alpha ~ N(0, std^2) as channels x images, scaled by the eigen
   -- values, mapped through the eigen vectors, one offset per image and channel.
   torch.manualSeed(15)
   local alphas = torch.Tensor(3, 6):normal(0, std)
   local expected = torch.Tensor(6, 3)
   for b = 1, 6 do
      for c = 1, 3 do
         local sum = 0
         for k = 1, 3 do sum = sum + vectors[c][k] * alphas[k][b] * values[k] end
         expected[b][c] = sum
      end
   end
   for h = 1, 4 do
      for w = 1, 5 do
         tester:assertlt(max_difference(offsets[{{}, {}, h, w}], expected), 1e-12,
            'offsets at pixel ' .. h .. ',' .. w)
      end
   end
   torch.manualSeed(16)
   local single_offsets = transform:forward(images[2]) - images[2]
   torch.manualSeed(16)
   local single_alphas = torch.Tensor(3):normal(0, std):cmul(values)
   local single_expected = torch.mv(vectors, single_alphas)
   tester:assertlt(max_difference(single_offsets[{{}, 3, 2}], single_expected), 1e-12,
      'one image')
   tester:assertlt(single_offsets:std(3):max(), 1e-12, 'one offset per channel')
   local gradOutput = torch.randn(6, 3, 4, 5)
   tester:assertle(max_difference(transform:backward(images, gradOutput), gradOutput), 0,
      'the gradient passes')
   local float = nn.PCAColorTransform(3, vectors, values):float()
   tester:eq(torch.type(float:forward(images:float())), 'torch.FloatTensor', 'float images')
   tester:assert(tostring(float):find('channels: 3, std: 0.1') ~= nil, 'printing, default std')
   transform:evaluate()
   tester:assertle(max_difference(transform:forward(images), images), 0, 'evaluation passes')
   tester:assertErrorPattern(function() transform:backward(images, gradOutput) end,
      'only defined while training', 'no gradient in evaluation')
   tester:assertErrorPattern(function() nn.PCAColorTransform(2, vectors, values) end,
      'number of eigen vectors', 'channels against vectors')
   tester:assertErrorPattern(function() nn.PCAColorTransform(3, torch.randn(3, 2), values) end,
      'Invalid dimensionality', 'square vectors')
   tester:assertErrorPattern(function() nn.PCAColorTransform(3, vectors, torch.ones(2)) end,
      'number of eigen values', 'one value per vector')
   transform:training()
   tester:assertErrorPattern(function() transform:forward(torch.randn(2, 4, 4, 4)) end,
      'input channels', 'channel count')
end

-- XNOR-Net's binary-weight convolution written out as loops over one image: the output
-- (each filter's signs, scaled by its mean absolute weight), the backward estimate (signs,
-- input plane i scaled by the mean absolute weight of plane i over the filters) and the
-- weight gradient of a convolution with the signs.
local function binary_convolution_by_hand(weight, input, gradOutput, dW, dH, padW, padH)
   local nOut, nIn, kH, kW = weight:size(1), weight:size(2), weight:size(3), weight:size(4)
   local height, width = input:size(2), input:size(3)
   local outH = math.floor((height + 2 * padH - kH) / dH) + 1
   local outW = math.floor((width + 2 * padW - kW) / dW) + 1
   local signs = weight:clone():apply(function(w) return w >= 0 and 1 or -1 end)
   local alphas, betas = torch.zeros(nOut), torch.zeros(nIn)
   for o = 1, nOut do
      for i = 1, nIn do
         local plane = torch.abs(weight[o][i]):sum()
         alphas[o] = alphas[o] + plane / (nIn * kH * kW)
         betas[i] = betas[i] + plane / (nOut * kH * kW)
      end
   end
   local output = torch.zeros(nOut, outH, outW)
   local gradInput, gradWeight = torch.zeros(nIn, height, width), torch.zeros(weight:size())
   for o = 1, nOut do
      for y = 1, outH do
         for x = 1, outW do
            for i = 1, nIn do
               for ky = 1, kH do
                  for kx = 1, kW do
                     local r, c = (y - 1) * dH + ky - padH, (x - 1) * dW + kx - padW
                     if r >= 1 and r <= height and c >= 1 and c <= width then
                        local s = signs[o][i][ky][kx]
                        output[o][y][x] = output[o][y][x] + alphas[o] * s * input[i][r][c]
                        gradInput[i][r][c] = gradInput[i][r][c]
                           + betas[i] * s * gradOutput[o][y][x]
                        gradWeight[o][i][ky][kx] = gradWeight[o][i][ky][kx]
                           + gradOutput[o][y][x] * input[i][r][c]
                     end
                  end
               end
            end
         end
      end
   end
   return output, gradInput, gradWeight
end

function tests.spatial_binary_convolution()
   torch.manualSeed(17)
   local conv = nn.SpatialBinaryConvolution(2, 3, 3, 2, 2, 1, 1, 0)
   tester:assert(conv.bias == nil, 'no bias')
   local weight = conv.weight:clone()
   local input = torch.randn(2, 5, 6)
   local gradOutput = torch.randn(3, 4, 3)
   local output, gradInput, gradWeight =
      binary_convolution_by_hand(weight, input, gradOutput, 2, 1, 1, 0)
   conv:zeroGradParameters()
   tester:assertlt(max_difference(conv:forward(input), output), 1e-12, 'forward')
   tester:assertle(max_difference(torch.abs(conv.weight), torch.ones(3, 2, 2, 3)), 0,
      'signs in place between forward and backward')
   tester:assertlt(max_difference(conv:forward(input), output), 1e-12,
      'a second forward still binarizes the real weights')
   tester:assertlt(max_difference(conv:backward(input, gradOutput), gradInput), 1e-12,
      'backward estimate')
   tester:assertlt(max_difference(conv.gradWeight, gradWeight), 1e-12, 'weight gradient')
   tester:assertle(max_difference(conv.weight, weight), 0, 'real weights back after backward')

   local images = torch.randn(2, 2, 5, 6)
   local gradOutputs = torch.randn(2, 3, 4, 3)
   local batchOutput = conv:forward(images):clone()
   local batchGradInput = conv:backward(images, gradOutputs)
   for b = 1, 2 do
      local out, gradIn = binary_convolution_by_hand(weight, images[b], gradOutputs[b],
         2, 1, 1, 0)
      tester:assertlt(max_difference(batchOutput[b], out), 1e-12, 'batch output ' .. b)
      tester:assertlt(max_difference(batchGradInput[b], gradIn), 1e-12, 'batch gradient ' .. b)
   end

   conv:evaluate()
   tester:assertlt(max_difference(conv:forward(input), output), 1e-12, 'evaluation output')
   tester:assertle(max_difference(conv.weight, weight), 0, 'real weights back in evaluation')
   conv:training()
   conv:forward(input)
   local float = conv:float()
   tester:assertlt(max_difference(float.weight:double(), weight), 1e-7,
      'a type change keeps the real weights')
   tester:assertlt(max_difference(float:forward(input:float()):double(), output), 1e-5,
      'float forward')
   tester:assert(tostring(conv):find('^Binary Convolution: ') ~= nil, 'printing')
end

tester:add(tests)
tester:run(arg and arg[1] and {arg[1]} or nil)
