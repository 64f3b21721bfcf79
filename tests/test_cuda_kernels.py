"""The CUDA path against the CPU kernels: every tensor operation and nn module that cutorch and
cunn implement gives the CPU's results within float tolerance (outputs, input gradients and
parameter gradients).

Each test runs twice. On a GPU (marked `cuda`: skipped where no GPU is present, as on CI, the
one kind of test allowed to skip; tools/gpu_check.sh runs them on a GPU machine), and on the
extension's ABI emulated with the CPU kernels (tests/cuda_emulation.lua), which runs
everywhere and checks the Lua side: argument forms, conversions, module:cuda(), dispatch.
"""
import functools
import os

import pytest

from conftest import ROOT, run_th

EMULATION = "dofile(%r)(%r)\n" % (os.path.join(ROOT, "tests", "cuda_emulation.lua"),
                                  os.path.join(ROOT, "cython_ext", "cuda", "t7_cuda_abi.h"))


@functools.lru_cache(maxsize=1)
def gpu_unavailable_reason():
    result = run_th("-e", "require 'cunn'; print(cutorch.getDeviceCount())")
    if result.returncode != 0:
        return result.stderr.splitlines()[0] if result.stderr else "require 'cunn' failed"
    return None


@pytest.fixture(params=[pytest.param("gpu", marks=pytest.mark.cuda), "emulated"])
def backend(request):
    if request.param == "gpu":
        reason = gpu_unavailable_reason()
        if reason:
            pytest.skip("no GPU here: " + reason)
    return request.param


# Comparison helpers, shared by every script: CPU float results are the reference.
PRELUDE = r"""
require 'cunn'
torch.setdefaulttensortype('torch.FloatTensor')

local function map_tensors(x, f)
   if type(x) == 'table' then
      local r = {}
      for k, v in pairs(x) do r[k] = map_tensors(v, f) end
      return r
   end
   return f(x)
end
function to_cuda(x) return map_tensors(x, function(t) return t:cuda() end) end
function to_float(x) return map_tensors(x, function(t) return t:float() end) end
function copy_of(x) return map_tensors(x, function(t) return t:clone() end) end
function randn_like(x) return map_tensors(x, function(t) return t:float():clone():normal() end) end

function close(got, want, tol, what)
   if type(want) == 'table' then
      for k in pairs(want) do close(got[k], want[k], tol, what .. '[' .. k .. ']') end
      return
   end
   if type(want) == 'number' then
      assert(math.abs(got - want) <= tol * math.max(1, math.abs(want)),
         string.format('%s: %g against %g', what, got, want))
      return
   end
   assert(torch.type(got) == 'torch.CudaTensor', what .. ': got a ' .. torch.type(got))
   got, want = got:float(), want:float()
   assert(got:isSameSizeAs(want), string.format('%s: size %s against %s', what,
      table.concat(got:size():totable(), 'x'), table.concat(want:size():totable(), 'x')))
   if want:nElement() == 0 then return end
   local diff = (got - want):abs():max()
   local scale = math.max(1, want:clone():abs():max())
   assert(diff <= tol * scale, string.format('%s: differs by %g (tolerance %g)', what, diff,
      tol * scale))
end

-- Forward and backward of a module on both devices from the same start.
function check_module(what, module, input, tol)
   tol = tol or 1e-4
   local cpu = module:float()
   local gpu = cpu:clone():cuda()
   local out = copy_of(cpu:forward(copy_of(to_float(input))))
   close(gpu:forward(to_cuda(input)), out, tol, what .. ' output')
   local go = randn_like(out)
   cpu:zeroGradParameters()
   gpu:zeroGradParameters()
   local gi = copy_of(cpu:backward(copy_of(to_float(input)), copy_of(go)))
   close(gpu:backward(to_cuda(input), to_cuda(go)), gi, tol, what .. ' gradInput')
   local _, cpu_grads = cpu:parameters()
   local _, gpu_grads = gpu:parameters()
   for i = 1, #(cpu_grads or {}) do
      close(gpu_grads[i], cpu_grads[i], tol, what .. ' gradient of parameter ' .. i)
   end
   return cpu, gpu
end
"""


def run_lua(backend, body):
    start = EMULATION if backend == "emulated" else ""
    result = run_th("-e", start + PRELUDE + body + "\nprint('ok')")
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), \
        result.stdout + result.stderr


def test_copies_views_and_conversions(backend):
    run_lua(backend, r"""
local x = torch.randn(4, 5)
local g = x:cuda()
assert(torch.type(g) == 'torch.CudaTensor' and torch.isTensor(g))
close(g, x, 0, 'round trip')
close(torch.CudaTensor(4, 5):copy(x), x, 0, 'copy from the host')
close(g:t(), x:t(), 0, 'transpose')
close(g:narrow(2, 2, 3), x:narrow(2, 2, 3), 0, 'narrow')
close(g:select(1, 3), x:select(1, 3), 0, 'select')
close(g:t():contiguous(), x:t():contiguous(), 0, 'contiguous')
close(g:view(20), x:view(20), 0, 'view')
close(torch.CudaTensor(5, 4):copy(g:t()), x:t(), 0, 'strided device copy')
local host = torch.DoubleTensor(4, 5):copy(g)
assert((host - x:double()):abs():max() == 0, 'host copy from the device')
close(g:double():cuda(), x, 0, 'double')
assert(g[2][3] == x[2][3], 'element read')
g[1] = 7
assert(g:float()[1]:eq(7):all(), 'row fill')
assert(tostring(torch.CudaTensor(2, 2):zero()):find('torch.CudaTensor of size 2x2'))
local s = torch.CudaStorage(3):fill(2)
assert(s:size() == 3 and s[2] == 2)
s[2] = 5
assert(s:float()[2] == 5)
local t = torch.CudaTensor(s, 2, torch.LongStorage{2})
close(t, torch.FloatTensor{5, 2}, 0, 'view of a storage')
local back = torch.deserialize(torch.serialize(g))
assert(torch.type(back) == 'torch.CudaTensor')
close(back, g:float(), 0, 'serialization')
""")


def test_element_wise_operations_and_reductions(backend):
    run_lua(backend, r"""
local a, b, c = torch.rand(6, 7) + 0.5, torch.rand(6, 7) + 0.5, torch.randn(6, 7)
local ga, gb, gc = a:cuda(), b:cuda(), c:cuda()
close(ga:clone():add(2), a + 2, 1e-6, 'add scalar')
close(ga:clone():add(gb), a + b, 1e-6, 'add')
close(ga:clone():add(3, gb), a:clone():add(3, b), 1e-6, 'add scaled')
close(torch.CudaTensor():add(ga, 3, gb), a:clone():add(3, b), 1e-6, 'add into')
close(ga:clone():mul(3), a * 3, 1e-6, 'mul')
close(ga:clone():div(3), a / 3, 1e-6, 'div')
close(ga:clone():cmul(gb), torch.cmul(a, b), 1e-6, 'cmul')
close(ga:clone():cdiv(gb), torch.cdiv(a, b), 1e-6, 'cdiv')
close(gc:clone():addcmul(2, ga, gb), c:clone():addcmul(2, a, b), 1e-6, 'addcmul')
close(gc:clone():addcdiv(2, ga, gb), c:clone():addcdiv(2, a, b), 1e-6, 'addcdiv')
for _, f in ipairs({'abs', 'exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'neg'}) do
   close(ga:clone()[f](ga:clone()), a:clone()[f](a:clone()), 1e-5, f)
end
close(ga:clone():pow(2.5), torch.pow(a, 2.5), 1e-5, 'pow')
close(gc:clone():clamp(-0.5, 0.5), c:clone():clamp(-0.5, 0.5), 0, 'clamp')
close(ga:sum(), a:sum(), 1e-5, 'sum')
close(ga:mean(), a:mean(), 1e-5, 'mean')
close(gc:max(), c:max(), 0, 'max')
close(gc:min(), c:min(), 0, 'min')
close(gc:norm(), c:norm(), 1e-5, 'norm')
close(ga:dot(gb), a:dot(b), 1e-5, 'dot')
for dim = 1, 2 do
   close(gc:sum(dim), c:sum(dim), 1e-5, 'sum along ' .. dim)
   close(gc:mean(dim), c:mean(dim), 1e-5, 'mean along ' .. dim)
   local v, i = gc:max(dim)
   local cv, ci = c:max(dim)
   close(v, cv, 0, 'max along ' .. dim)
   close(i, ci:float(), 0, 'argmax along ' .. dim)
   close(gc:min(dim), c:min(dim), 0, 'min along ' .. dim)
end
close(gc:t():sum(1), c:t():sum(1), 1e-5, 'sum of a transposed view')
local z = (-ga)
close(z, -a, 0, 'unary minus')
close(ga + gb, a + b, 1e-6, 'operator +')
close(ga - 1, a - 1, 1e-6, 'operator -')
""")


def test_matrix_products_in_every_layout(backend):
    run_lua(backend, r"""
local a, b, m = torch.randn(30, 20), torch.randn(20, 40), torch.randn(30, 40)
local ga, gb, gm = a:cuda(), b:cuda(), m:cuda()
close(torch.CudaTensor():addmm(0.5, gm, 2, ga, gb), torch.addmm(0.5, m, 2, a, b), 1e-4,
   'addmm')
close(torch.CudaTensor():mm(ga:t():contiguous():t(), gb), a * b, 1e-4, 'mm, a by columns')
close(torch.CudaTensor():mm(ga, gb:t():contiguous():t()), a * b, 1e-4, 'mm, b by columns')
local r = torch.CudaTensor(40, 30):zero():t()     -- a result laid out by columns
r:addmm(ga, gb)
close(r, a * b, 1e-4, 'addmm into a transposed result')
local sparse = torch.CudaTensor(30, 80):zero():narrow(2, 1, 40)
sparse:copy(gm):addmm(2, ga, gb)
close(sparse, torch.addmm(m, 2, a, b), 1e-4, 'addmm into a strided result')
local v, x = torch.randn(30), torch.randn(20)
close(torch.CudaTensor():addmv(1, v:cuda(), 3, ga, x:cuda()), torch.addmv(1, v, 3, a, x),
   1e-4, 'addmv')
close(torch.CudaTensor():mv(ga:t(), v:cuda()), torch.mv(a:t(), v), 1e-4, 'mv, transposed')
local y = torch.randn(40)
close(gm:clone():addr(2, v:cuda(), y:cuda()), m:clone():addr(2, v, y), 1e-5, 'addr')
close(gm:t():clone():addr(y:cuda(), v:cuda()), m:t():clone():addr(y, v), 1e-5,
   'addr by columns')
""")


def test_random_fills_and_seeds(backend):
    run_lua(backend, r"""
cutorch.manualSeed(123)
local u = torch.CudaTensor(100000):uniform(-1, 3)
cutorch.manualSeed(123)
close(torch.CudaTensor(100000):uniform(-1, 3), u:float(), 0, 'same seed, same numbers')
assert(u:min() >= -1 and u:max() < 3, 'uniform range')
assert(math.abs(u:mean() - 1) < 0.02, 'uniform mean')
local n = torch.CudaTensor(100000):normal(2, 3)
assert(math.abs(n:mean() - 2) < 0.05, 'normal mean ' .. n:mean())
assert(math.abs(n:float():std() - 3) < 0.05, 'normal std')
local b = torch.CudaTensor(100000):bernoulli(0.3)
assert(math.abs(b:mean() - 0.3) < 0.01, 'bernoulli mean')
assert(b:float():eq(0):add(b:float():eq(1)):all(), 'bernoulli values')
assert(cutorch.initialSeed() == 123)
""")


def test_devices_memory_and_streams(backend):
    run_lua(backend, r"""
assert(cutorch.getDeviceCount() >= 1)
cutorch.setDevice(1)
assert(cutorch.getDevice() == 1)
local free, total = cutorch.getMemoryUsage(1)
assert(free > 0 and free <= total)
local props = cutorch.getDeviceProperties(1)
assert(props.major >= 7 and #props.name > 0)
local ok = pcall(cutorch.setDevice, cutorch.getDeviceCount() + 1)
assert(not ok, 'a device that does not exist is refused')
local before = cutorch.getAllocatorStats().allocated
local t = torch.CudaTensor(1000, 1000)
assert(cutorch.getAllocatorStats().allocated >= before + 4e6)
t = nil
collectgarbage(); collectgarbage()
cutorch.reserveStreams(2)
assert(cutorch.getNumStreams() == 2)
local x = torch.randn(512, 512)
local results = {}
for s = 1, 2 do
   cutorch.setStream(s)
   assert(cutorch.getStream() == s)
   results[s] = torch.CudaTensor():mm(x:cuda(), x:cuda())
end
cutorch.setStream(0)
cutorch.streamWaitFor(0, {1, 2})
local sum = results[1] + results[2]
cutorch.synchronize()
close(sum, (x * x) * 2, 1e-4, 'work from two streams')
assert(not pcall(cutorch.setStream, 3), 'a stream that was not reserved is refused')
""")


# (name, Lua expression of the module, Lua expression of the input, tolerance)
MODULES = [
    ("Linear", "nn.Linear(10, 5)", "torch.randn(7, 10)", 1e-4),
    ("Linear on a vector", "nn.Linear(10, 5)", "torch.randn(10)", 1e-4),
    ("SpatialConvolution", "nn.SpatialConvolution(3, 4, 3, 3)", "torch.randn(2, 3, 9, 9)",
     1e-4),
    ("SpatialConvolution strided, padded", "nn.SpatialConvolution(3, 4, 3, 5, 2, 1, 1, 2)",
     "torch.randn(2, 3, 10, 11)", 1e-4),
    ("SpatialConvolution, one sample", "nn.SpatialConvolution(2, 3, 3, 3)",
     "torch.randn(2, 7, 7)", 1e-4),
    ("SpatialConvolutionMM", "nn.SpatialConvolutionMM(3, 4, 5, 5, 1, 1, 2, 2)",
     "torch.randn(3, 3, 8, 8)", 1e-4),
    ("SpatialMaxPooling", "nn.SpatialMaxPooling(2, 2, 2, 2)", "torch.randn(2, 3, 8, 8)", 0),
    ("SpatialMaxPooling overlapping, ceil", "nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1):ceil()",
     "torch.randn(2, 3, 9, 10)", 1e-6),
    ("SpatialAveragePooling", "nn.SpatialAveragePooling(2, 2, 2, 2)",
     "torch.randn(2, 3, 8, 8)", 1e-6),
    ("SpatialAveragePooling padded", "nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1)",
     "torch.randn(2, 3, 9, 9)", 1e-6),
    ("SpatialAveragePooling excluding the padding",
     "nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):setCountExcludePad():ceil()",
     "torch.randn(2, 3, 10, 9)", 1e-6),
    ("BatchNormalization", "nn.BatchNormalization(6)", "torch.randn(8, 6)", 1e-4),
    ("SpatialBatchNormalization", "nn.SpatialBatchNormalization(3)",
     "torch.randn(4, 3, 5, 5)", 1e-4),
    ("BatchNormalization without affine", "nn.BatchNormalization(6, 1e-3, 0.2, false)",
     "torch.randn(8, 6)", 1e-4),
    ("ReLU", "nn.ReLU()", "torch.randn(5, 6)", 0),
    ("ReLU in place", "nn.ReLU(true)", "torch.randn(5, 6)", 0),
    ("Threshold", "nn.Threshold(0.5, -2)", "torch.randn(5, 6)", 0),
    ("Tanh", "nn.Tanh()", "torch.randn(5, 6)", 1e-6),
    ("Sigmoid", "nn.Sigmoid()", "torch.randn(5, 6)", 1e-6),
    ("SoftMax", "nn.SoftMax()", "torch.randn(5, 6)", 1e-6),
    ("SoftMax on a vector", "nn.SoftMax()", "torch.randn(6)", 1e-6),
    ("SoftMax spatial", "nn.SoftMax()", "torch.randn(2, 4, 3, 3)", 1e-6),
    ("LogSoftMax", "nn.LogSoftMax()", "torch.randn(5, 6)", 1e-5),
    ("LogSoftMax spatial", "nn.LogSoftMax()", "torch.randn(4, 3, 3)", 1e-5),
    ("View", "nn.View(-1, 12)", "torch.randn(2, 3, 4)", 0),
    ("Reshape", "nn.Reshape(12)", "torch.randn(2, 3, 4)", 0),
    ("JoinTable", "nn.JoinTable(2)", "{torch.randn(2, 3), torch.randn(2, 4)}", 0),
    ("CAddTable", "nn.CAddTable()", "{torch.randn(3, 4), torch.randn(3, 4)}", 1e-6),
    ("Concat", "nn.Concat(2):add(nn.Linear(5, 3)):add(nn.Linear(5, 2))", "torch.randn(4, 5)",
     1e-4),
    ("ConcatTable", "nn.ConcatTable():add(nn.Linear(5, 3)):add(nn.Tanh())",
     "torch.randn(4, 5)", 1e-4),
    ("LeNet", """nn.Sequential()
        :add(nn.SpatialConvolution(1, 6, 5, 5)):add(nn.ReLU())
        :add(nn.SpatialMaxPooling(2, 2, 2, 2))
        :add(nn.SpatialConvolution(6, 16, 5, 5)):add(nn.ReLU())
        :add(nn.SpatialMaxPooling(2, 2, 2, 2))
        :add(nn.View(16 * 5 * 5))
        :add(nn.Linear(400, 120)):add(nn.ReLU())
        :add(nn.Linear(120, 10)):add(nn.LogSoftMax())""", "torch.randn(8, 1, 32, 32)", 1e-3),
]


@pytest.mark.parametrize("name,module,tensor,tol", MODULES, ids=[m[0] for m in MODULES])
def test_module_matches_the_cpu(backend, name, module, tensor, tol):
    run_lua(backend, "torch.manualSeed(7)\ncheck_module(%r, %s, %s, %r)"
            % (name, module, tensor, tol))


def test_batch_normalization_running_statistics_and_evaluation(backend):
    run_lua(backend, r"""
torch.manualSeed(3)
local cpu, gpu = check_module('train', nn.SpatialBatchNormalization(3), torch.randn(4, 3, 5, 5),
   1e-4)
close(gpu.running_mean, cpu.running_mean, 1e-5, 'running mean')
close(gpu.running_var, cpu.running_var, 1e-5, 'running variance')
cpu:evaluate(); gpu:evaluate()
local x = torch.randn(4, 3, 5, 5)
close(gpu:forward(x:cuda()), cpu:forward(x), 1e-5, 'evaluation output')
local go = torch.randn(4, 3, 5, 5)
close(gpu:backward(x:cuda(), go:cuda()), cpu:backward(x, go), 1e-5, 'evaluation gradInput')
""")


def test_dropout_masks_and_scales_on_the_gpu(backend):
    run_lua(backend, r"""
local d = nn.Dropout(0.5):cuda()
local x = torch.rand(1000):add(1)
local y = d:forward(x:cuda()):float()
local kept = y:ne(0)
assert((y[kept] - x[kept] * 2):abs():max() < 1e-6, 'kept values scaled')
local frac = kept:float():mean()
assert(frac > 0.4 and frac < 0.6, 'fraction kept ' .. frac)
local go = torch.randn(1000)
local gi = d:backward(x:cuda(), go:cuda())
close(gi, go:cmul(kept:float()) * 2, 1e-6, 'gradient through the mask')
d:evaluate()
close(d:forward(x:cuda()), x, 0, 'identity in evaluation')
""")


def test_lookup_table_with_cpu_and_gpu_indices(backend):
    run_lua(backend, r"""
torch.manualSeed(5)
local cpu = nn.LookupTable(10, 4):float()
local gpu = cpu:clone():cuda()
local idx = torch.LongTensor{{1, 2, 3}, {4, 10, 3}}
close(gpu:forward(idx), cpu:forward(idx), 0, 'rows')
close(gpu:forward(idx:cuda()), cpu:forward(idx), 0, 'rows from GPU indices')
local go = torch.randn(2, 3, 4)
cpu:zeroGradParameters(); gpu:zeroGradParameters()
cpu:backward(idx, go)
gpu:backward(idx, go:cuda())
close(gpu.gradWeight, cpu.gradWeight, 1e-6, 'gradient, repeated index included')
assert(not pcall(function() gpu:forward(torch.LongTensor{11}) end), 'index out of range')
""")


def test_criterions_match_the_cpu(backend):
    run_lua(backend, r"""
torch.manualSeed(9)
local x, t = torch.randn(4, 5), torch.randn(4, 5)
for _, average in ipairs({true, false}) do
   local cpu, gpu = nn.MSECriterion(), nn.MSECriterion():cuda()
   cpu.sizeAverage, gpu.sizeAverage = average, average
   close(gpu:forward(x:cuda(), t:cuda()), cpu:forward(x, t), 1e-5, 'MSE')
   close(gpu:backward(x:cuda(), t:cuda()), cpu:backward(x, t), 1e-6, 'MSE gradient')
end
local logp = nn.LogSoftMax():forward(torch.randn(6, 5))
local target = torch.Tensor{1, 2, 3, 4, 5, 2}
local weights = torch.rand(5)
for _, w in ipairs({false, true}) do
   local cpu = nn.ClassNLLCriterion(w and weights or nil):float()
   local gpu = nn.ClassNLLCriterion(w and weights or nil):cuda()
   for _, tgt in ipairs({target, target:cuda()}) do
      close(gpu:forward(logp:cuda(), tgt), cpu:forward(logp, target), 1e-5, 'ClassNLL')
      close(gpu:backward(logp:cuda(), tgt), cpu:backward(logp, target), 1e-6,
         'ClassNLL gradient')
   end
end
local scores = torch.randn(6, 5)
local cpu, gpu = nn.CrossEntropyCriterion():float(), nn.CrossEntropyCriterion():cuda()
close(gpu:forward(scores:cuda(), target), cpu:forward(scores, target), 1e-5, 'CrossEntropy')
close(gpu:backward(scores:cuda(), target), cpu:backward(scores, target), 1e-6,
   'CrossEntropy gradient')
local bad = nn.ClassNLLCriterion():cuda()
assert(not pcall(bad.forward, bad, logp:cuda(), torch.Tensor{1, 2, 3, 4, 5, 6}),
   'a class out of range is refused')
""")


def test_training_steps_match_the_cpu(backend):
    run_lua(backend, r"""
require 'optim'
torch.manualSeed(11)
local model = nn.Sequential():add(nn.Linear(784, 256)):add(nn.ReLU())
   :add(nn.Linear(256, 10)):add(nn.LogSoftMax()):float()
local models = {cpu = model, gpu = model:clone():cuda()}
local criterion = {cpu = nn.ClassNLLCriterion():float(), gpu = nn.ClassNLLCriterion():cuda()}
local x, y = torch.randn(128, 784), torch.Tensor(128):random(1, 10)
local inputs = {cpu = x, gpu = x:cuda()}
local losses = {cpu = {}, gpu = {}}
for _, side in ipairs({'cpu', 'gpu'}) do
   local m, c = models[side], criterion[side]
   local params, grads = m:getParameters()
   local state = {learningRate = 0.05, momentum = 0.9}
   for step = 1, 5 do
      optim.sgd(function()
         grads:zero()
         local loss = c:forward(m:forward(inputs[side]), y)
         m:backward(inputs[side], c:backward(m.output, y))
         losses[side][step] = loss
         return loss, grads
      end, params, state)
   end
end
for step = 1, 5 do close(losses.gpu[step], losses.cpu[step], 1e-3, 'loss ' .. step) end
""")


def test_graph_modules_run_on_the_gpu(backend):
    run_lua(backend, r"""
require 'nngraph'
torch.manualSeed(13)
local input = nn.Identity()()
local hidden = nn.Tanh()(nn.Linear(5, 4)(input))
local net = nn.gModule({input}, {nn.Linear(4, 3)(hidden)})
check_module('gModule', net, torch.randn(6, 5), 1e-4)
""")


def test_cudnn_names_and_conversion(backend):
    run_lua(backend, r"""
require 'cudnn'
torch.manualSeed(17)
local net = nn.Sequential():add(nn.SpatialConvolution(3, 4, 3, 3)):add(nn.ReLU())
   :add(nn.SpatialMaxPooling(2, 2, 2, 2)):cuda()
local x = torch.randn(2, 3, 8, 8):cuda()
local want = net:forward(x):float()
cudnn.convert(net, cudnn)
assert(torch.type(net:get(1)) == 'cudnn.SpatialConvolution', torch.type(net:get(1)))
assert(torch.type(net:get(2)) == 'cudnn.ReLU')
close(net:forward(x), want, 1e-6, 'the same network after conversion')
cudnn.convert(net, nn)
assert(torch.type(net:get(1)) == 'nn.SpatialConvolution')
local own = cudnn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1):cuda()
assert(own:forward(x):size(3) == 8)
check_module('cudnn.SpatialBatchNormalization', cudnn.SpatialBatchNormalization(3),
   torch.randn(2, 3, 4, 4), 1e-4)
""")
