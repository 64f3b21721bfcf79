"""Where CUDA cannot run (no extension built, or no GPU): require 'cutorch' / 'cunn' /
'cudnn' fail with a message saying why, and legacy scripts that keep to the CPU
(`-gpuid -1`) never touch them. Also: the CUDA Lua packages compile (they cannot run here).
On a GPU machine the require succeeds instead (tests/test_cuda_kernels.py checks the rest)."""
import glob
import os

import pytest

from conftest import ROOT, run_th

from torch7_compat import cuda, runtime

BUILT = cuda.extension_path() is not None


@pytest.mark.parametrize("package", ["cutorch", "cunn", "cudnn"])
def test_require_fails_with_a_clear_message_or_works_on_a_gpu(package):
    result = run_th("-e", "require '%s'; print(cutorch.getDeviceCount())" % package)
    if result.returncode == 0:          # a GPU machine with the extension built
        assert BUILT and int(result.stdout) >= 1
        return
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith("th: cutorch: ")
    if BUILT:
        assert "no usable CUDA GPU found" in first_line or "no CUDA GPU found" in first_line
    else:
        assert "no CUDA extension" in first_line
    assert "-gpuid -1" in first_line


def test_without_the_extension_the_message_says_it_is_not_built(monkeypatch):
    monkeypatch.setattr(cuda, "extension_path", lambda: None)
    lua = runtime.main_runtime()
    ok, message = lua.eval("pcall(require, 'cutorch')")
    assert ok is False
    assert message.startswith("cutorch: this torch7_compat has no CUDA extension")
    assert "TORCH7_COMPAT_CUDA=1 pip install '.[cuda]'" in message
    # a second try says the same (nothing half-loaded remains)
    ok, again = lua.eval("pcall(require, 'cunn')")
    assert ok is False and again == message


def test_legacy_cpu_scripts_keep_working(tmp_path):
    script = tmp_path / "train.lua"
    script.write_text("""
require 'nn'
local cmd = torch.CmdLine()
cmd:option('-gpuid', -1, 'which GPU; -1 for the CPU')
local opt = cmd:parse(arg)
if opt.gpuid >= 0 then
   require 'cunn'
   cutorch.setDevice(opt.gpuid + 1)
end
torch.manualSeed(1)
local model = nn.Sequential():add(nn.Linear(4, 8)):add(nn.Tanh()):add(nn.Linear(8, 2))
   :add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
if opt.gpuid >= 0 then model:cuda(); criterion:cuda() end
local x, y = torch.randn(16, 4), torch.Tensor(16):random(1, 2)
local first
for step = 1, 50 do
   model:zeroGradParameters()
   local loss = criterion:forward(model:forward(x), y)
   first = first or loss
   model:backward(x, criterion:backward(model.output, y))
   model:updateParameters(0.1)
   if step == 50 then print(string.format('%.4f %.4f', first, loss)) end
end
""")
    result = run_th(str(script), "-gpuid", "-1", cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    first, last = map(float, result.stdout.split())
    assert last < first


def test_the_cuda_lua_packages_compile():
    lua = runtime.main_runtime()
    files = sorted(glob.glob(os.path.join(ROOT, "lua", "cu*", "*.lua")))
    assert len(files) >= 12
    for path in files:
        ok, message = lua.eval("(function(p) local f, e = loadfile(p); return f ~= nil, e end)")(
            path)
        assert ok, message
