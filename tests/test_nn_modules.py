"""Module utilities over real networks (convolutions, pooling, normalisation inside nested
containers): replace, listModules/findModules, getParameters across nested and shared
modules, type conversion keeping sharing, clone with shared fields, clearState of kernel
buffers, training/evaluate reaching every module; nn.StochasticGradient; IndexLinear and
SparseLinear against dense Linear; the stored field names of the modules."""
import numpy as np
import pytest

from test_nn_support import lua, needs


LENET = """
local function lenet()
   local net = nn.Sequential()
   net:add(nn.SpatialConvolution(1, 4, 5, 5))
   net:add(nn.ReLU())
   net:add(nn.SpatialMaxPooling(2, 2, 2, 2))
   net:add(nn.SpatialBatchNormalization(4))
   local branch = nn.ConcatTable()
      :add(nn.Sequential():add(nn.SpatialConvolution(4, 3, 3, 3, 1, 1, 1, 1)):add(nn.Tanh()))
      :add(nn.Identity())
   net:add(branch)
   net:add(nn.JoinTable(1, 3))
   net:add(nn.View(-1):setNumInputDims(3))
   net:add(nn.Dropout(0.5))
   net:add(nn.Linear(7 * 5 * 5, 10))
   net:add(nn.LogSoftMax())
   return net
end
"""


def test_replace_swaps_modules_everywhere():
    names = lua("""
        local net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.ReLU())
           :add(nn.Sequential():add(nn.ReLU()):add(nn.Linear(4, 2)))
        net:replace(function(m)
           if torch.typename(m) == 'nn.ReLU' then return nn.Tanh() end
           return m
        end)
        local names = {}
        for _, m in ipairs(net:listModules()) do names[#names + 1] = torch.typename(m) end
        return table.concat(names, ' ')
    """)
    assert names == ("nn.Sequential nn.Linear nn.Tanh nn.Sequential nn.Tanh nn.Linear")


@needs("cat")
def test_find_and_list_modules_in_nested_network():
    counts = lua(LENET + """
        local net = lenet()
        local convs, containers = net:findModules('nn.SpatialConvolution')
        return #convs, #containers, #net:listModules(), torch.typename(containers[2])
    """)
    assert counts == (2, 2, 15, "nn.Sequential")


def test_get_parameters_spans_nested_convolutions_and_keeps_sharing():
    result = lua("""
        torch.manualSeed(3)
        local a = nn.SpatialConvolution(2, 3, 3, 3)
        local b = a:clone('weight', 'bias', 'gradWeight', 'gradBias')
        local net = nn.Sequential():add(nn.Sequential():add(a)):add(nn.ConcatTable():add(b)
           :add(nn.Linear(2, 2)))
        local params, grads = net:getParameters()
        -- a and b share: counted once
        local n = params:nElement()
        params:fill(0.5)
        local same = a.weight:storage() == b.weight:storage()
           and torch.pointer(a.weight:storage()) == torch.pointer(params:storage())
        b.weight[1][1][1][1] = 7
        return n, a.weight[1][1][1][1], grads:nElement(), same
    """)
    assert result == (3 * 2 * 9 + 3 + 2 * 2 + 2, 7, 3 * 2 * 9 + 3 + 2 * 2 + 2, True)


def test_float_conversion_keeps_sharing_of_cloned_convolutions():
    result = lua("""
        local a = nn.SpatialConvolution(1, 2, 3, 3)
        local b = a:clone('weight', 'bias')
        local net = nn.Sequential():add(a):add(nn.ReLU()):add(b)
        net:float()
        b.weight:fill(2)
        return torch.type(a.weight), a.weight[1][1][1][1], torch.type(a.output),
               torch.type(net.modules[2].output)
    """)
    assert result == ("torch.FloatTensor", 2.0, "torch.FloatTensor", "torch.FloatTensor")


def test_clone_with_names_shares_only_those():
    result = lua("""
        local a = nn.SpatialConvolution(1, 2, 3, 3)
        local b = a:clone('weight')
        b.weight:fill(1)
        b.bias:fill(3)
        return a.weight:sum(), a.bias:sum() ~= 6
    """)
    assert result == (18.0, True)


def test_clear_state_empties_kernel_buffers():
    result = lua("""
        local net = nn.Sequential():add(nn.SpatialConvolution(1, 2, 3, 3))
           :add(nn.SpatialMaxPooling(2, 2)):add(nn.SpatialBatchNormalization(2))
        local x = torch.randn(2, 1, 8, 8)
        net:forward(x)
        net:backward(x, net.output:clone():fill(1))
        net:clearState()
        local sizes = {}
        for _, m in ipairs(net.modules) do
           sizes[#sizes + 1] = m.output:nElement() + m.gradInput:nElement()
        end
        local pool = net.modules[2]
        return sizes[1] + sizes[2] + sizes[3], pool.indices == nil or pool.indices:nElement(),
           net.modules[1].weight:nElement()
    """)
    assert result == (0, 0, 18)


def test_training_and_evaluate_reach_dropout_and_batchnorm():
    result = lua("""
        torch.manualSeed(1)
        local drop = nn.Dropout(0.5)
        local bn = nn.BatchNormalization(3)
        local net = nn.Sequential():add(nn.Sequential():add(drop)):add(bn)
        local x = torch.randn(4, 3):add(2)
        net:evaluate()
        local flags = {drop.train, bn.train}
        local y1 = net:forward(x):clone()
        local y2 = net:forward(x):clone()
        net:training()
        flags[3], flags[4] = drop.train, bn.train
        -- in evaluation the network is deterministic and uses the running statistics
        return flags[1], flags[2], flags[3], flags[4], (y1 - y2):abs():max()
    """)
    assert result[:4] == (False, False, True, True)
    assert result[4] == 0


@needs("cat")
def test_lenet_trains_with_stochastic_gradient_free_loop():
    losses = lua(LENET + """
        torch.manualSeed(5)
        local net = lenet()
        local crit = nn.ClassNLLCriterion()
        local x = torch.randn(8, 1, 14, 14)
        local y = torch.Tensor{1, 2, 3, 4, 5, 6, 7, 8}
        local params, grads = net:getParameters()
        local losses = {}
        for i = 1, 30 do
           grads:zero()
           local loss = crit:forward(net:forward(x), y)
           net:backward(x, crit:backward(net.output, y))
           params:add(-0.05, grads)
           losses[i] = loss
        end
        return losses[1], losses[30]
    """)
    assert losses[1] < 0.5 * losses[0]


def test_stochastic_gradient_fits_a_linear_map():
    result = lua("""
        torch.manualSeed(2)
        local dataset = {}
        local w = torch.Tensor{{1, -2}, {0.5, 3}}
        for i = 1, 40 do
           local x = torch.randn(2)
           dataset[i] = {x, torch.mv(w, x)}
        end
        function dataset:size() return 40 end
        local net = nn.Linear(2, 2)
        local trainer = nn.StochasticGradient(net, nn.MSECriterion())
        trainer.learningRate = 0.1
        trainer.maxIteration = 60
        trainer.verbose = false
        local errors = {}
        trainer.hookIteration = function(self, iteration, err) errors[iteration] = err end
        local examples = 0
        trainer.hookExample = function() examples = examples + 1 end
        trainer:train(dataset)
        return (net.weight - w):abs():max(), #errors, examples, errors[1] > errors[60]
    """)
    assert result[0] < 1e-3
    assert result[1:] == (60, 2400, True)


def test_stochastic_gradient_learning_rate_decay_and_order():
    rates = lua("""
        local dataset = {{torch.Tensor{1}, torch.Tensor{0}}, {torch.Tensor{2}, torch.Tensor{0}}}
        function dataset:size() return 2 end
        local net = nn.Linear(1, 1)
        local seen, rates = {}, {}
        local trainer = nn.StochasticGradient(net, nn.MSECriterion())
        trainer.learningRate = 1
        trainer.learningRateDecay = 0.5
        trainer.maxIteration = 3
        trainer.shuffleIndices = false
        trainer.verbose = false
        local original = net.accUpdateGradParameters
        net.accUpdateGradParameters = function(self, input, gradOutput, lr)
           rates[#rates + 1] = lr
           seen[#seen + 1] = input[1]
           return original(self, input, gradOutput, 0)
        end
        trainer:train(dataset)
        return table.concat(rates, ','), table.concat(seen, ',')
    """)
    # iteration k (from 1) runs at rate 1 / (1 + k * 0.5) for k >= 2, the first at 1
    assert rates == ("1,1,0.5,0.5,0.4,0.4", "1,2,1,2,1,2")


def test_stochastic_gradient_fields():
    fields = lua("""
        local t = nn.StochasticGradient(nn.Linear(1, 1), nn.MSECriterion())
        return t.learningRate, t.learningRateDecay, t.maxIteration, t.shuffleIndices,
               t.verbose
    """)
    assert fields == (0.01, 0, 25, True, True)


# -- IndexLinear and SparseLinear ------------------------------------------------------------

def test_index_linear_matches_dense_linear_batch_and_flat():
    rng = np.random.default_rng(4)
    keys = [rng.choice(20, size=n, replace=False) + 1 for n in (5, 3, 7)]
    values = [rng.normal(size=len(k)) for k in keys]
    go = rng.normal(size=(3, 4))
    out, flat_out, dense_out, w_err, b_err, gi = lua("""
        local k1, k2, k3, v1, v2, v3, gradOutput = ...
        local keys = {k1:long(), k2:long(), k3:long()}
        local values = {v1, v2, v3}
        torch.manualSeed(1)
        local il = nn.IndexLinear(20, 4, true)
        il:reset()
        local lin = nn.Linear(20, 4)
        lin.weight:copy(il.weight:t())
        lin.bias:copy(il.bias)
        local dense = torch.zeros(3, 20)
        for i = 1, 3 do
           for j = 1, keys[i]:size(1) do dense[i][keys[i][j]] = values[i][j] end
        end
        local out = il:forward({keys, values}):clone()
        il:zeroGradParameters()
        local gi = il:backward({keys, values}, gradOutput)
        il:updateParameters(0.1)
        lin:zeroGradParameters()
        local dense_out = lin:forward(dense):clone()
        lin:backward(dense, gradOutput)
        lin:updateParameters(0.1)
        -- the flat form
        local il2 = nn.IndexLinear(20, 4)
        il2.weight:copy(lin.weight:t())
        il2.bias:copy(lin.bias)
        local allKeys = torch.LongTensor(15)
        local allValues = torch.Tensor(15)
        local at = 1
        for i = 1, 3 do
           allKeys:narrow(1, at, keys[i]:size(1)):copy(keys[i])
           allValues:narrow(1, at, keys[i]:size(1)):copy(values[i])
           at = at + keys[i]:size(1)
        end
        local flat = il2:forward({allKeys, allValues, torch.LongTensor{5, 3, 7}}):clone()
        return out, flat, dense_out, (il.weight:t() - lin.weight):abs():max(),
               (il.bias - lin.bias):abs():max(), gi[2][2]
    """, *[k.astype(np.float64) for k in keys], *values, go)
    np.testing.assert_allclose(out, dense_out, rtol=1e-12, atol=1e-14)
    assert w_err < 1e-12 and b_err < 1e-12
    assert flat_out.shape == (3, 4)
    assert gi.shape == (20,)


def test_index_linear_max_normalisation_bookkeeping():
    result = lua("""
        local il = nn.IndexLinear(5, 2, nil, nil, nil, nil, true)
        il.train = true
        il.weight[{{}, {5, 6}}]:fill(1)
        local y = il:forward({torch.LongTensor{2, 4}, torch.Tensor{-4, 0.5}}):clone()
        return il.weight[2][1], il.weight[2][2], il.weight[2][3], il.weight[4][1],
               il.normalizedValues[1], il.normalizedValues[2], y[1]
    """)
    # max |value| 4 then 1/4, scale 1; normalised values -1 and 1 (each its own maximum)
    assert result == (4, 0.25, 1, 0.5, -1, 1, 0)


def test_index_linear_fields():
    fields = lua("""
        local il = nn.IndexLinear(6, 3)
        local names = {}
        for _, k in ipairs({'weight', 'bias', 'gradWeight', 'gradBias', 'running', 'offset',
                            'normalize', 'inputSize', 'outputSize', 'weightDecay',
                            'doGradInput', 'gradWeightBuffer', 'valuesBuffer',
                            'normalizedValues', 'sizesCache', 'cumSumSizesCache'}) do
           if il[k] == nil then names[#names + 1] = k end
        end
        return table.concat(names, ' '), il.offset, il.normalize, il.weight:size(2)
    """)
    assert fields == ("", -1, 0, 3)


def test_sparse_linear_matches_dense():
    result = lua("""
        torch.manualSeed(2)
        local sl = nn.SparseLinear(6, 3)
        local lin = nn.Linear(6, 3)
        lin.weight:copy(sl.weight)
        lin.bias:copy(sl.bias)
        local input = torch.Tensor{{2, 0.5}, {5, -1}}
        local dense = torch.zeros(6)
        dense[2], dense[5] = 0.5, -1
        local go = torch.randn(3)
        sl:zeroGradParameters()
        lin:zeroGradParameters()
        local a = sl:forward(input):clone()
        local b = lin:forward(dense):clone()
        sl:backward(input, go)
        lin:backward(dense, go)
        sl:updateParameters(0.1)
        lin:updateParameters(0.1)
        return (a - b):abs():max(), (sl.weight - lin.weight):abs():max()
    """)
    assert result[0] < 1e-14 and result[1] < 1e-14


# -- field names (what .t7 files store) -------------------------------------------------------

FIELDS = [
    ("nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)",
     "nInputPlane nOutputPlane kW kH dW dH padW padH weight bias gradWeight gradBias"),
    ("nn.SpatialConvolutionMM(2, 3, 3, 3)",
     "nInputPlane nOutputPlane kW kH dW dH padW padH weight bias gradWeight gradBias"),
    ("nn.SpatialFullConvolution(2, 3, 3, 3)",
     "nInputPlane nOutputPlane kW kH dW dH padW padH adjW adjH weight bias"),
    ("nn.SpatialDilatedConvolution(2, 3, 3, 3)", "dilationW dilationH weight bias"),
    ("nn.VolumetricConvolution(2, 3, 2, 2, 2)",
     "nInputPlane nOutputPlane kT kW kH dT dW dH padT padW padH weight bias"),
    ("nn.SpatialMaxPooling(2, 2)", "kW kH dW dH padW padH ceil_mode"),
    ("nn.SpatialAveragePooling(2, 2)", "kW kH dW dH padW padH ceil_mode count_include_pad"),
    ("nn.VolumetricMaxPooling(2, 2, 2)", "kT kW kH dT dW dH padT padW padH ceil_mode"),
    ("nn.BatchNormalization(3)",
     "eps momentum affine running_mean running_var weight bias gradWeight gradBias"),
    ("nn.SpatialCrossMapLRN(5)", "size alpha beta k"),
    ("nn.LookupTable(5, 3)", "weight gradWeight paddingValue"),
    ("nn.LookupTable(5, 3, 0, 2, 1)", "weight gradWeight paddingValue maxNorm normType"),
    ("nn.TemporalConvolution(4, 3, 2)", "inputFrameSize outputFrameSize kW dW weight bias"),
    ("nn.Dropout(0.3)", "p train v2 noise"),
    ("nn.PReLU(3)", "nOutputPlane weight gradWeight"),
    ("nn.SpatialUpSamplingNearest(2)", "scale_factor"),
    ("nn.SpatialReflectionPadding(1, 2, 3, 4)", "pad_l pad_r pad_t pad_b"),
    ("nn.Linear(3, 2)", "weight bias gradWeight gradBias"),
    ("nn.Euclidean(3, 2)", "weight gradWeight"),
    ("nn.Threshold(0.1, 0)", "threshold val inplace"),
    ("nn.SoftPlus(2)", "beta threshold"),
    ("nn.ELU(0.5)", "alpha inplace"),
    ("nn.JoinTable(2, 1)", "dimension nInputDims"),
    ("nn.ClassNLLCriterion()", "sizeAverage"),
    ("nn.MultiMarginCriterion(2)", "p margin sizeAverage"),
]


@pytest.mark.parametrize("ctor, names", FIELDS, ids=[f[0] for f in FIELDS])
def test_modules_keep_the_originals_field_names(ctor, names):
    missing = lua("""
        local m = %s
        local missing = {}
        for name in string.gmatch((...), '%%S+') do
           if m[name] == nil then missing[#missing + 1] = name end
        end
        return table.concat(missing, ' ')
    """ % ctor, names + " ")
    assert missing == ""


def test_convolution_map_accepts_planes_its_table_leaves_unused(t7):
    # nn.tables.random may connect only some input planes: the original accepts an input with
    # more planes (they get no gradient)
    output_planes, grad_planes, unused_grad, error = t7.lua.execute("""
        require 'nn'
        torch.manualSeed(3)
        local m = nn.SpatialConvolutionMap(torch.Tensor{{1, 1}, {2, 2}}, 3, 3)
        local x = torch.randn(3, 7, 7)
        local y = m:forward(x)
        local g = m:backward(x, y)
        return y:size(1), g:size(1), g[3]:abs():sum(), nn.Jacobian.testJacobian(m, x)
    """)
    assert (output_planes, grad_planes, unused_grad) == (2, 3, 0)
    assert error < 1e-6
