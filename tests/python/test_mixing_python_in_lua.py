"""Python modules inside Lua containers (nn.PythonModule), run from Lua scripts through `th`
as users run them: Lua's forward/backward run the Python tape, getParameters and optim see
the Python parameters."""
import os

import pytest

from conftest import python_env, run_th

HERE = os.path.dirname(os.path.abspath(__file__))

BUILD = """
require 'nn'
require 'torch7_compat.python_module'
torch.manualSeed(3)
local model = nn.Sequential()
model:add(nn.Linear(4, 3))
model:add(nn.PythonModule('mixing_modules:Gate', 3))
model:add(nn.Linear(3, 2))
"""


def run_lua(tmp_path, body):
    script = tmp_path / "script.lua"
    script.write_text(BUILD + body)
    env = python_env()
    env["PYTHONPATH"] = HERE + os.pathsep + env.get("PYTHONPATH", "")
    result = run_th(str(script), env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_lua_backward_through_a_python_module_matches_finite_differences(tmp_path):
    out = run_lua(tmp_path, """
local x, y = torch.randn(5, 4), torch.randn(5, 2)
local criterion = nn.MSECriterion()
local params, grads = model:getParameters()
local function loss() return criterion:forward(model:forward(x), y) end
grads:zero()
loss()
model:backward(x, criterion:backward(model.output, y))
local eps, worst = 1e-6, 0
for i = 1, params:nElement() do
   local saved = params[i]
   params[i] = saved + eps
   local plus = loss()
   params[i] = saved - eps
   local minus = loss()
   params[i] = saved
   local numerical = (plus - minus) / (2 * eps)
   worst = math.max(worst, math.abs(numerical - grads[i]) / math.max(1e-3, math.abs(numerical)))
end
print(params:nElement(), worst < 1e-5, worst)
""")
    count, close, _ = out.split()
    assert count == "38" and close == "true", out


def test_get_parameters_moves_python_parameters_into_the_flat_storage(tmp_path):
    out = run_lua(tmp_path, """
local params, grads = model:getParameters()
params:fill(0.25)
grads:fill(0.5)
local inner = model.modules[2]
local weights, gradWeights = inner:parameters()
print(#weights, weights[1]:sum(), weights[3]:sum(), gradWeights[2]:sum())
-- the Python side sees the same memory
local y = inner:forward(torch.Tensor(1, 3):fill(1))
print(y[1][1])
""")
    first, second = out.strip().split("\n")
    assert first.split() == ["3", "0.75", "0.75", "4.5"]    # scale, gate.weight, gate.bias
    sigmoid = 1 / (1 + pow(2.718281828459045, -(0.25 * 3 + 0.25)))
    assert abs(float(second) - sigmoid * 0.25) < 1e-12


def test_optim_trains_a_python_module_from_lua(tmp_path):
    out = run_lua(tmp_path, """
local optim = require 'optim'
local x, y = torch.randn(16, 4), torch.randn(16, 2)
local criterion = nn.MSECriterion()
local params, grads = model:getParameters()
local before = model.modules[2]:parameters()[3]:clone()
local first, last
for i = 1, 60 do
   local _, f = optim.adam(function()
      grads:zero()
      local loss = criterion:forward(model:forward(x), y)
      model:backward(x, criterion:backward(model.output, y))
      return loss, grads
   end, params, {learningRate = 0.05})
   first = first or f[1]
   last = f[1]
end
local moved = (model.modules[2]:parameters()[3] - before):abs():max()
print(last < 0.7 * first, moved > 0)
""")
    assert out.split() == ["true", "true"], out


def test_tables_in_and_out_and_scaled_parameter_gradients(tmp_path):
    out = run_lua(tmp_path, """
local m = nn.PythonModule('mixing_modules:Pair')
local a, b = torch.Tensor{1, 2}, torch.Tensor{0.5, -1}
local out = m:forward({a, b})
local g = m:backward({a, b}, {torch.Tensor{1, 1}, torch.Tensor{1, 0}})
print(out[1][1], out[1][2], out[2][1], out[2][2])
print(g[1][1], g[1][2], g[2][1], g[2][2])
local gate = model.modules[2]
local _, gradWeights = gate:parameters()
for _, t in ipairs(gradWeights) do t:zero() end
local x = torch.randn(2, 3)
gate:forward(x)
gate:backward(x, torch.ones(2, 3), 0.5)
local half = gradWeights[3]:clone()
for _, t in ipairs(gradWeights) do t:zero() end
gate:backward(x, torch.ones(2, 3), 1)
print((gradWeights[3] - 2 * half):abs():max() < 1e-12)
""")
    lines = [line.split() for line in out.strip().split("\n")]
    import math
    values = [float(v) for v in lines[0]]
    assert values == pytest.approx([0.5, -2.0, 1 + math.tanh(0.5), 2 + math.tanh(-1.0)])
    grads = [float(v) for v in lines[1]]
    assert grads == pytest.approx([1.5, -1.0, 1 + (1 - math.tanh(0.5) ** 2), 2.0])
    assert lines[2] == ["true"]


def test_errors_in_python_become_lua_errors(tmp_path):
    script = tmp_path / "bad.lua"
    script.write_text("""
require 'torch7_compat.python_module'
local ok, message = pcall(nn.PythonModule, 42)
print(ok, message)
local m = nn.PythonModule('torch7_compat.nn:Linear', 3, 2)
ok, message = pcall(function() return m:forward(torch.randn(2, 3)) end)
print(ok, message)
ok, message = pcall(nn.PythonModule, 'no_colon_here')
print(ok, message)
""")
    result = run_th(str(script), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert lines[0].startswith("false") and "t7.nn.Module" in lines[0]
    assert lines[1].startswith("false") and "DoubleTensor" in lines[1]
    assert lines[2].startswith("false") and "package.module:Class" in lines[2]
