"""cutorch's CPU fallback: where the caller asks for it (TORCH7_COMPAT_CUDA_FALLBACK=1) and
CUDA cannot be used, a GPU script runs unchanged on the CPU, with a warning. Each run hides
the GPUs (CUDA_VISIBLE_DEVICES=''), so that a GPU machine checks the fallback too."""
import os

from conftest import SHARED_T7, python_env, run_th

NO_GPU = {"CUDA_VISIBLE_DEVICES": ""}

# A GPU training script in the legacy style; TYPE is :cuda() or :float().
TRAINING = """
require 'cunn'
cutorch.setDevice(1)
torch.manualSeed(1)
local model = nn.Sequential():add(nn.Linear(4, 8)):add(nn.Tanh()):add(nn.Linear(8, 2))
   :add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
model:TYPE(); criterion:TYPE()
local x, y = torch.randn(16, 4):TYPE(), torch.Tensor(16):random(1, 2):TYPE()
for step = 1, 20 do
   model:zeroGradParameters()
   local loss = criterion:forward(model:forward(x), y)
   model:backward(x, criterion:backward(model.output, y))
   model:updateParameters(0.1)
   io.write(string.format('%.10f ', loss))
end
print()
print(torch.type(model:get(1).weight), torch.type(x))
"""


def run_script(tmp_path, text, fallback=True):
    script = tmp_path / "script.lua"
    script.write_text(text)
    env = python_env(**NO_GPU)
    if fallback:
        env["TORCH7_COMPAT_CUDA_FALLBACK"] = "1"
    return run_th(str(script), cwd=str(tmp_path), env=env)


def test_a_gpu_script_trains_on_the_cpu_as_its_float_twin(tmp_path):
    on_gpu = run_script(tmp_path, TRAINING.replace("TYPE", "cuda"))
    assert on_gpu.returncode == 0, on_gpu.stderr
    float_twin = run_script(tmp_path, TRAINING.replace("TYPE", "float"))
    assert float_twin.returncode == 0, float_twin.stderr
    losses, types = on_gpu.stdout.splitlines()
    assert losses == float_twin.stdout.splitlines()[0]        # the same float32 arithmetic
    values = [float(v) for v in losses.split()]
    assert values[-1] < values[0]
    assert types == "torch.FloatTensor\ttorch.FloatTensor"


def test_the_fallback_warns_once_on_stderr_with_the_reason(tmp_path):
    result = run_script(tmp_path, "require 'cutorch'; require 'cunn'; require 'cudnn'\n"
                                  "print(cutorch.cpuFallback, cutorch.getDeviceCount())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["true", "1"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert warnings[0].startswith("warning: cutorch: ")
    assert "TORCH7_COMPAT_CUDA_FALLBACK" in warnings[1]


def test_without_asking_the_require_still_fails_and_names_the_fallback(tmp_path):
    result = run_script(tmp_path, "require 'cunn'", fallback=False)
    assert result.returncode != 0
    first = result.stderr.splitlines()[0]
    assert first.startswith("th: cutorch: ")
    assert "TORCH7_COMPAT_CUDA_FALLBACK=1" in first


def test_cutorch_functions_answer_for_one_device(tmp_path):
    result = run_script(tmp_path, """
require 'cutorch'
cutorch.manualSeed(7)
local a = torch.CudaTensor(1000):uniform()
torch.manualSeed(7)
local b = torch.FloatTensor(1000):uniform()
print(a:equal(b), cutorch.initialSeed(), cutorch.getDevice(), a:getDevice())
local free, total = cutorch.getMemoryUsage(1)
print(free > 0 and total >= free)
cutorch.reserveStreams(2); cutorch.setStream(2); print(cutorch.getStream())
cutorch.streamWaitFor(1, {2}); cutorch.synchronize()
print(pcall(cutorch.setDevice, 2))
print(pcall(cutorch.setStream, 3))
print(torch.CudaTensor == torch.FloatTensor, torch.CudaStorage(3):size())
print(torch.Tensor(2, 2):type('torch.CudaTensor'):type())
""")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["true", "7", "1", "1"]
    assert lines[1] == "true"
    assert lines[2] == "2"
    assert lines[3].startswith("false") and "device 2 does not exist" in lines[3]
    assert lines[4].startswith("false") and "stream 3 is not reserved" in lines[4]
    assert lines[5].split() == ["true", "3"]
    assert lines[6] == "torch.FloatTensor"


def test_a_model_saved_after_gpu_training_loads_and_runs(tmp_path):
    """cudnn_cnn.t7 was written by the original after GPU training (CudaTensors, cudnn
    modules); cudnn_cnn_io.t7 holds its output, computed on the CPU."""
    reference = os.path.join(SHARED_T7, "reference")
    result = run_script(tmp_path, """
require 'cudnn'
local model = torch.load('%s/cudnn_cnn.t7'):cuda()
local io = torch.load('%s/cudnn_cnn_io.t7')
local output = model:forward(io.input:cuda())
print(torch.type(model:get(1)), torch.type(output))
print(string.format('%%.6e', (output:double() - io.output:double()):abs():max()))
""" % (reference, reference))
    assert result.returncode == 0, result.stderr
    names, difference = result.stdout.splitlines()
    assert names.split() == ["cudnn.SpatialConvolution", "torch.FloatTensor"]
    assert float(difference) < 1e-5
