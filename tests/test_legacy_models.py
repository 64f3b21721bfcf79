"""Models saved by the original Torch7 load and behave as they did there: mlp.t7 reproduces
the output the original computed; GPU-trained files (torch.Cuda*, cudnn.*,
nn.DataParallelTable) load on the CPU with a message saying what was mapped; classes not
declared here are reported by class name and place, and read as tables of fields on request."""
import os
import struct

import numpy as np
import pytest

import torch7_compat as t7
from conftest import SHARED_T7, run_th

REFERENCE = os.path.join(SHARED_T7, "reference")
LEGACY = os.path.join(SHARED_T7, "legacy")


def lua(code, *args):
    return t7.lua.execute("require 'nn'\n" + code, *args)


def class_names(model):
    """The classes of a container's modules (the file's class for objects read as tables)."""
    return lua("""local names = {}
       for i, sub in ipairs((...).modules) do
          names[i] = torch.serialization.unknownClassOf(sub) or torch.type(sub)
       end
       return table.concat(names, ' ')""", model).split()


def fields(obj, *names):
    return [np.asarray(obj[name].numpy(), dtype=np.float64) for name in names]


def test_mlp_reproduces_the_originals_output():
    model = t7.load(os.path.join(REFERENCE, "mlp.t7"))
    data = t7.load(os.path.join(REFERENCE, "mlp_io.t7"))
    assert class_names(model) == ["nn.Linear", "nn.ReLU", "nn.Linear", "nn.LogSoftMax"]
    weights = [np.asarray(model["modules"][i]["weight"].numpy()).sum() for i in (1, 3)]
    biases = [np.asarray(model["modules"][i]["bias"].numpy()).sum() for i in (1, 3)]
    np.testing.assert_allclose(weights, [0.07262258046, 2.658602309], rtol=1e-9)
    np.testing.assert_allclose(biases, [0.513623524, -0.0389391958], rtol=1e-8)
    model.evaluate()
    output = model.forward(data["input"]).numpy()
    expected = data["output"].numpy()
    np.testing.assert_allclose(output, expected, rtol=1e-5)
    assert expected.sum() == pytest.approx(-16.82975189, rel=1e-9)


# ------------------------------------------------------------------------------------------
# cudnn_cnn.t7: a model as GPU training left it

def numpy_cnn(model, x):
    """The forward pass of cudnn_cnn.t7's model, from its fields: conv 3x3 pad 1,
    batch norm with running statistics, ReLU, max-pool 2x2, view, linear."""
    conv, bn, _, pool, _, linear = [model["modules"][i] for i in range(1, 7)]
    weight, bias = fields(conv, "weight", "bias")
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    n, _, h, w = x.shape
    y = np.zeros((n, weight.shape[0], h, w))
    for i in range(3):
        for j in range(3):
            y += np.einsum("ncij,oc->noij", padded[:, :, i:i + h, j:j + w], weight[:, :, i, j])
    y += bias[None, :, None, None]
    mean, var, gamma, beta = fields(bn, "running_mean", "running_var", "weight", "bias")
    y = (y - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + bn["eps"])
    y = y * gamma[None, :, None, None] + beta[None, :, None, None]
    y = np.maximum(y, 0)
    y = y.reshape(n, y.shape[1], h // 2, 2, w // 2, 2).max(axis=(3, 5))
    lw, lb = fields(linear, "weight", "bias")
    return y.reshape(n, -1) @ lw.T + lb


def test_cudnn_model_weights_reproduce_the_originals_output(capfd):
    model = t7.load(os.path.join(REFERENCE, "cudnn_cnn.t7"), unknown_classes="table")
    data = t7.load(os.path.join(REFERENCE, "cudnn_cnn_io.t7"))
    expected = data["output"].numpy()
    output = numpy_cnn(model, np.asarray(data["input"].numpy(), dtype=np.float64))
    np.testing.assert_allclose(output, expected, rtol=1e-4, atol=1e-6)
    assert expected.sum() == pytest.approx(0.05294367671, rel=1e-6)
    message = capfd.readouterr().err
    assert "torch.CudaTensor as torch.FloatTensor" in message
    assert "torch.CudaStorage as torch.FloatStorage" in message
    assert "cudnn.ReLU as nn.ReLU" in message
    assert lua("return torch.type(...)", model["modules"][3]) == "nn.ReLU"
    assert model["modules"][3]["threshold"] == 0
    assert model["_type"] == "torch.FloatTensor"


def test_cudnn_model_loads_as_nn_modules():
    path = os.path.join(REFERENCE, "cudnn_cnn.t7")
    model = t7.load(path)
    assert class_names(model) == [
        "nn.SpatialConvolution", "nn.SpatialBatchNormalization", "nn.ReLU",
        "nn.SpatialMaxPooling", "nn.View", "nn.Linear"]
    data = t7.load(os.path.join(REFERENCE, "cudnn_cnn_io.t7"))
    model.evaluate()
    np.testing.assert_allclose(model.forward(data["input"]).numpy(), data["output"].numpy(),
                               rtol=1e-4, atol=1e-6)


# ------------------------------------------------------------------------------------------
# GPU classes of cutorch, cudnn and cunn, in a file made here the way they wrote it

GPU_WRITER = r"""
-- Saves a model as a GPU run left it: stand-ins for cutorch's, cudnn's and cunn's classes
-- (declared in this process only) write what those classes wrote.
require 'nn'
local model_path, io_path = arg[1], arg[2]
torch.manualSeed(5)
local model = nn.Sequential():add(nn.Linear(6, 5)):add(nn.ReLU()):add(nn.Linear(5, 3))
   :add(nn.LogSoftMax()):float()
model:evaluate()
local input = torch.FloatTensor(4, 6):uniform(-1, 1)
torch.save(io_path, {input = input, output = model:forward(input):clone()})

local CudaStorage = torch.class('torch.CudaStorage')
function CudaStorage:write(file)
   file:writeLong(self.s:size())
   file:writeFloat(self.s)
end
local CudaTensor = torch.class('torch.CudaTensor')
function CudaTensor:write(file)
   local t = self.t
   file:writeInt(t:dim())
   file:writeLong(t:size())
   file:writeLong(t:stride())
   file:writeLong(t:storageOffset())
   file:writeObject(self.storage)
end
torch.class('cudnn.ReLU', 'nn.Module')          -- cudnn's: no threshold, val fields
torch.class('cudnn.LogSoftMax', 'nn.Module')
torch.class('nn.DataParallelTable.Basic')
local DPT = torch.class('nn.DataParallelTable', 'nn.Module')
DPT.__version = 3
function DPT:__write(file)                       -- cunn's layout
   file:writeObject(self.gpuAssignments)
   local fields = {}
   for k, v in pairs(self) do fields[k] = v end
   file:writeObject(fields)
end

local seen = {}
local function gpu(x)
   if seen[x] then return seen[x] end
   local result
   if torch.type(x) == 'torch.FloatTensor' then
      local key = x:storage() and torch.pointer(x:storage())
      if key and not seen[key] then
         seen[key] = torch.CudaStorage()
         seen[key].s = x:storage()
      end
      result = torch.CudaTensor()
      result.t, result.storage = x, key and seen[key]
   elseif x == 'torch.FloatTensor' then
      result = 'torch.CudaTensor'
   elseif type(x) == 'table' then
      local kind = torch.type(x)
      result = kind == 'nn.ReLU' and cudnn.ReLU() or kind == 'nn.LogSoftMax'
         and cudnn.LogSoftMax() or (torch.typename(x) and torch.factory(kind)() or {})
      seen[x] = result
      for k, v in pairs(x) do result[gpu(k)] = gpu(v) end
      if kind == 'nn.ReLU' then
         result.threshold, result.val, result.mode = nil, nil, 'CUDNN_ACTIVATION_RELU'
      end
   else
      result = x
   end
   seen[x] = result
   return result
end

local dpt = nn.DataParallelTable()
dpt.modules = {gpu(model)}
dpt.gpuAssignments = {1, 2}
dpt.typeStr = 'torch.CudaTensor'
dpt.impl = torch.factory('nn.DataParallelTable.Basic')()
dpt.impl.dpt = dpt
torch.save(model_path, dpt)
"""


def test_gpu_classes_load_as_their_cpu_counterparts(tmp_path, capfd):
    script = tmp_path / "write_gpu_model.lua"
    script.write_text(GPU_WRITER)
    model_path, io_path = str(tmp_path / "gpu.t7"), str(tmp_path / "io.t7")
    result = run_th(str(script), model_path, io_path)
    assert result.returncode == 0, result.stderr
    model = t7.load(model_path)
    message = capfd.readouterr().err
    for mapping in ("torch.CudaTensor as torch.FloatTensor",
                    "torch.CudaStorage as torch.FloatStorage", "cudnn.ReLU as nn.ReLU",
                    "cudnn.LogSoftMax as nn.LogSoftMax",
                    "nn.DataParallelTable as the module it wraps"):
        assert mapping in message
    assert lua("return torch.type(...)", model) == "nn.Sequential"
    assert class_names(model) == ["nn.Linear", "nn.ReLU", "nn.Linear", "nn.LogSoftMax"]
    assert lua("return torch.type((...).modules[1].weight), (...)._type", model) == (
        "torch.FloatTensor", "torch.FloatTensor")
    data = t7.load(io_path)
    np.testing.assert_allclose(model.forward(data["input"]).numpy(), data["output"].numpy(),
                               rtol=1e-6)


def test_gpu_classes_without_a_cpu_counterpart_are_named():
    data = struct.pack("<iii3si11s", 4, 1, 3, b"V 1", 11, b"cudnn.BLSTM")
    with pytest.raises(t7.LuaError, match=r"unknown Torch class <cudnn\.BLSTM> \(a GPU class: "
                       r"its CPU counterpart <nn\.BLSTM> is not declared here\)"):
        t7.loads(data)


# ------------------------------------------------------------------------------------------
# legacy models with less common classes: SpatialConvolutionMap, SpatialLPPooling, gModule

TRACKERS = ["tracker_random.net", "tracker_unsupervised.net"]


@pytest.mark.parametrize("name", TRACKERS)
def test_tracker_models(name):
    model = t7.load(os.path.join(LEGACY, "demos", name))
    assert class_names(model) == ["nn.SpatialConvolutionMap", "nn.Tanh", "nn.SpatialLPPooling"] * 2
    assert lua("return rawequal((...).modules[3], (...).modules[6])", model)
    first, second = model["modules"][1], model["modules"][4]
    assert first["weight"].shape == (32, 7, 7) and first["connTable"].shape == (32, 2)
    assert second["weight"].shape == (128, 7, 7) and second["connTable"].shape == (128, 2)
    # the connection tables name input planes 1..nInputPlane and output planes 1..32
    table = np.asarray(second["connTable"].numpy())
    assert table[:, 0].min() == 1 and table[:, 0].max() == second["nInputPlane"]
    assert sorted(set(table[:, 1])) == list(range(1, 33))

    # the first layer's forward, against the connection table applied by hand (the file
    # holds float weights beside double buffers: :float() first, as with the original)
    model.float()
    planes = int(first["nInputPlane"])
    image = np.random.default_rng(0).uniform(-1, 1, (planes, 20, 20)).astype(np.float32)
    output = first.forward(t7.from_numpy(image)).numpy()
    weight, bias = fields(first, "weight", "bias")
    connections = np.asarray(first["connTable"].numpy()).astype(int) - 1
    expected = np.repeat(bias[:, None, None], 14 * 14, axis=1).reshape(-1, 14, 14)
    windows = np.lib.stride_tricks.sliding_window_view(image, (7, 7), axis=(1, 2))
    for k, (source, target) in enumerate(connections):
        expected[target] += np.einsum("ijkl,kl->ij", windows[source], weight[k])
    np.testing.assert_allclose(output, expected, rtol=1e-4, atol=1e-5)


def test_nngraph_model():
    path = os.path.join(LEGACY, "torchfile", "gmodule_with_linear_identity.t7")
    lua("require 'nngraph'")
    model = t7.load(path)
    # mod = nn.gModule({a, b}, {nn.CAddTable(){b, nn.Linear(1, 2)(a)}})
    linear = model["modules"][3]
    a, b = np.array([0.5]), np.array([2.0, -1.0])
    weight, bias = fields(linear, "weight", "bias")
    output = model.forward([t7.from_numpy(a), t7.from_numpy(b)]).numpy()
    np.testing.assert_allclose(output, b + weight @ a + bias, rtol=1e-12)
