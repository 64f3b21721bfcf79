-- nn as scripts use it under th: a small convolutional network trained a few steps,
-- nn.Jacobian's checks over the kernels' modules (single sample and batch), the diagonal
-- Hessian of nn.hessian, nn.SparseJacobian, and conversions between Float and Double.

require 'nn'

local tester = torch.Tester()
local tests = torch.TestSuite()
local precision = 1e-5
local J = nn.Jacobian

local function lenet()
   return nn.Sequential()
      :add(nn.SpatialConvolution(1, 6, 5, 5))
      :add(nn.ReLU())
      :add(nn.SpatialMaxPooling(2, 2, 2, 2))
      :add(nn.SpatialConvolution(6, 16, 5, 5))
      :add(nn.ReLU())
      :add(nn.SpatialMaxPooling(2, 2, 2, 2))
      :add(nn.View(16 * 4 * 4))
      :add(nn.Linear(16 * 4 * 4, 10))
      :add(nn.LogSoftMax())
end

function tests.lenet_step_lowers_the_loss()
   torch.manualSeed(1)
   local net = lenet()
   local criterion = nn.ClassNLLCriterion()
   local x = torch.randn(16, 1, 28, 28)
   local y = torch.Tensor(16):random(1, 10)
   local params, grads = net:getParameters()
   local first
   for i = 1, 10 do
      grads:zero()
      local loss = criterion:forward(net:forward(x), y)
      net:backward(x, criterion:backward(net.output, y))
      params:add(-0.05, grads)
      first = first or loss
      if i == 10 then tester:assertlt(loss, first, 'the loss went down') end
   end
   tester:eq(net.output:size(1), 16)
   tester:eq(net.output:size(2), 10)
end

function tests.lenet_float_follows_double()
   torch.manualSeed(2)
   local net = lenet()
   local netf = net:clone():float()
   local x = torch.randn(4, 1, 28, 28)
   local y = net:forward(x)
   local yf = netf:forward(x:float())
   tester:eq(torch.type(yf), 'torch.FloatTensor')
   tester:assertlt((y - yf:double()):abs():max(), 1e-4)
   local go = torch.randn(4, 10)
   local gi = net:backward(x, go)
   local gif = netf:backward(x:float(), go:float())
   tester:assertlt((gi - gif:double()):abs():max(), 1e-4)
end

local JACOBIAN = {
   {'SpatialConvolution', function() return nn.SpatialConvolution(2, 3, 3, 2, 2, 1, 1, 0) end,
    {2, 6, 5}, {2, 2, 6, 5}},
   {'SpatialFullConvolution', function() return nn.SpatialFullConvolution(2, 2, 3, 3, 2, 2) end,
    {2, 3, 3}, {2, 2, 3, 3}},
   {'VolumetricConvolution', function() return nn.VolumetricConvolution(2, 2, 2, 2, 2) end,
    {2, 3, 3, 3}, {2, 2, 3, 3, 3}},
   {'TemporalConvolution', function() return nn.TemporalConvolution(3, 2, 2) end,
    {5, 3}, {2, 5, 3}},
   {'SpatialMaxPooling', function() return nn.SpatialMaxPooling(2, 2, 1, 1) end,
    {2, 4, 4}, {2, 2, 4, 4}},
   {'SpatialAveragePooling', function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1) end,
    {2, 5, 5}, {2, 2, 5, 5}},
   {'SpatialBatchNormalization', function() return nn.SpatialBatchNormalization(2) end,
    nil, {3, 2, 2, 2}},
   {'SpatialCrossMapLRN', function() return nn.SpatialCrossMapLRN(3) end,
    {4, 2, 2}, {2, 4, 2, 2}},
   {'SpatialUpSamplingBilinear', function() return nn.SpatialUpSamplingBilinear(2) end,
    {2, 3, 3}, {2, 2, 3, 3}},
   {'SpatialReflectionPadding', function() return nn.SpatialReflectionPadding(1, 1, 2, 0) end,
    {2, 3, 3}, {2, 2, 3, 3}},
   {'Linear', function() return nn.Linear(4, 3) end, {4}, {3, 4}},
}

for _, case in ipairs(JACOBIAN) do
   local name, build, single, batch = case[1], case[2], case[3], case[4]
   tests['jacobian_' .. name] = function()
      torch.manualSeed(3)
      for _, size in ipairs({single or false, batch}) do
         if size then
            local m = build()
            local input = torch.Tensor(torch.LongStorage(size))
            tester:assertlt(J.testJacobian(m, input), precision, name .. ' gradInput')
            if m.weight then
               tester:assertlt(J.testJacobianParameters(m, input, m.weight, m.gradWeight),
                  precision, name .. ' gradWeight')
               tester:assertlt(J.testJacobianUpdateParameters(m, input, m.weight), precision,
                  name .. ' direct weight update')
            end
            if m.bias then
               tester:assertlt(J.testJacobianParameters(m, input, m.bias, m.gradBias),
                  precision, name .. ' gradBias')
            end
         end
      end
   end
end

function tests.update_paths_agree_for_convolution()
   torch.manualSeed(4)
   local m = nn.SpatialConvolution(2, 2, 3, 3)
   local input = torch.rand(2, 2, 5, 5)
   for key, err in pairs(J.testAllUpdate(m, input, 'weight', 'gradWeight')) do
      tester:assertlt(err, precision, key)
   end
end

function tests.diagonal_hessian_of_linear_and_convolution()
   nn.hessian.enable()
   torch.manualSeed(5)
   for _, m in ipairs({nn.Linear(3, 2), nn.SpatialConvolution(1, 2, 2, 2)}) do
      local input = m.nInputPlane and torch.Tensor(1, 3, 3) or torch.Tensor(3)
      tester:assertlt(J.testDiagHessianInput(m, input), precision,
         torch.type(m) .. ' input')
      tester:assertlt(J.testDiagHessianWeight(m, input), precision,
         torch.type(m) .. ' weight')
      tester:assertlt(J.testDiagHessianBias(m, input), precision, torch.type(m) .. ' bias')
   end
end

function tests.sparse_jacobian_of_sparse_linear()
   torch.manualSeed(6)
   local m = nn.SparseLinear(6, 3)
   local input = torch.Tensor{{1, 0.5}, {4, -1}, {6, 2}}
   tester:assertlt(nn.SparseJacobian.testJacobianParameters(m, input, m.weight,
      m.gradWeight), precision, 'weight')
   tester:assertlt(nn.SparseJacobian.testJacobianParameters(m, input, m.bias, m.gradBias),
      precision, 'bias')
end

function tests.clone_and_type_keep_shared_convolution_weights()
   local a = nn.SpatialConvolution(1, 2, 3, 3)
   local net = nn.Sequential():add(a):add(a:clone('weight', 'bias', 'gradWeight', 'gradBias'))
   net:float()
   net.modules[1].weight:fill(0.25)
   tester:eq(net.modules[2].weight[1][1][1][1], 0.25)
   local params = net:getParameters()
   tester:eq(params:nElement(), 2 * 9 + 2)
end

tester:add(tests)
tester:run()
