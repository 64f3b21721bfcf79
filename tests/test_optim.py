"""optim.sgd against a numpy transcription of its documented update, option by option, over
several steps; its use of the state table; and an end-to-end training run (issue 2's XOR)."""
import numpy as np
import pytest

import torch7_compat as t7

RNG = np.random.default_rng(3)
N = 5
CURVATURE = RNG.uniform(0.5, 2.0, N)      # f(x) = sum(c x^2) / 2 + sum(b x)
SHIFT = RNG.normal(size=N)
START = RNG.normal(size=N)
PER_PARAMETER = RNG.uniform(0.1, 1.0, N)   # for learningRates / weightDecays


def f(x):
    return np.sum(CURVATURE * x * x) / 2 + np.sum(SHIFT * x)


def gradient(x):
    return CURVATURE * x + SHIFT


def sgd_reference(x, steps, learningRate=1e-3, learningRateDecay=0, weightDecay=0,
                  weightDecays=None, momentum=0, dampening=None, nesterov=False,
                  learningRates=None, evalCounter=0):
    """The points after each step and f before each, by the update the original documents:
    decay added to the gradient, velocity v = g on the first step then
    v = momentum v + (1 - dampening) g, step rate lr / (1 + n lrd) (n steps made before),
    optionally scaled per parameter."""
    dampening = momentum if dampening is None else dampening
    velocity = None
    points, values = [], []
    for n in range(evalCounter, evalCounter + steps):
        values.append(f(x))
        g = gradient(x)
        if weightDecay != 0:
            g = g + weightDecay * x
        elif weightDecays is not None:
            g = g + weightDecays * x
        direction = g
        if momentum != 0:
            velocity = g.copy() if velocity is None else momentum * velocity + (1 - dampening) * g
            direction = g + momentum * velocity if nesterov else velocity
        if learningRates is not None:
            direction = learningRates * direction
        x = x - learningRate / (1 + n * learningRateDecay) * direction
        points.append(x)
    return np.array(points), np.array(values)


RUN_SGD = """
require 'optim'
local x, c, b, config, state, steps = ...
local points, values = {}, {}
local function opfunc(p)
   return torch.cmul(c, p):cmul(p):sum() / 2 + torch.cmul(b, p):sum(), torch.cmul(c, p):add(b)
end
for i = 1, steps do
   local returned, fs = optim.sgd(opfunc, x, config, state)
   assert(torch.pointer(returned) == torch.pointer(x), 'sgd returns x itself')
   points[i] = x:clone()
   values[i] = fs[1]
end
return points, values, config, state
"""


def run_sgd(config, steps=4, state=None, dtype=np.float64):
    """Runs optim.sgd from Lua; tensors in config are given as numpy arrays."""
    lua_config = {k: t7.from_numpy(v) if isinstance(v, np.ndarray) else v
                  for k, v in config.items()}
    x = t7.from_numpy(START.astype(dtype))
    c, b = t7.from_numpy(CURVATURE.astype(dtype)), t7.from_numpy(SHIFT.astype(dtype))
    points, values, config_out, state_out = t7.lua.execute(RUN_SGD, x, c, b, lua_config,
                                                           state, steps)
    points = np.array([p.numpy() for p in points.values()])
    return points, np.array(values.values()), config_out, state_out


CONFIGS = {
    "defaults": {},
    "learningRate": {"learningRate": 0.1},
    "learningRateDecay": {"learningRate": 0.1, "learningRateDecay": 0.5},
    "weightDecay": {"learningRate": 0.1, "weightDecay": 0.3},
    "weightDecays": {"learningRate": 0.1, "weightDecays": PER_PARAMETER},
    "weightDecay wins over weightDecays": {"learningRate": 0.1, "weightDecay": 0.3,
                                           "weightDecays": PER_PARAMETER},
    "momentum (dampening = momentum)": {"learningRate": 0.1, "momentum": 0.9},
    "momentum, no dampening": {"learningRate": 0.1, "momentum": 0.9, "dampening": 0},
    "momentum, dampening": {"learningRate": 0.1, "momentum": 0.9, "dampening": 0.2},
    "nesterov": {"learningRate": 0.1, "momentum": 0.9, "dampening": 0, "nesterov": True},
    "learningRates": {"learningRate": 0.1, "learningRates": PER_PARAMETER},
    "everything": {"learningRate": 0.05, "learningRateDecay": 0.1, "momentum": 0.5,
                   "dampening": 0, "nesterov": True, "weightDecays": PER_PARAMETER,
                   "learningRates": PER_PARAMETER[::-1].copy()},
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_sgd_matches_the_documented_update(name):
    config = CONFIGS[name]
    points, values, _, _ = run_sgd(config, steps=4)
    expected_points, expected_values = sgd_reference(START, 4, **config)
    np.testing.assert_allclose(points, expected_points, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(values, expected_values, rtol=1e-13)
    assert not np.allclose(points[-1], START)


def test_sgd_keeps_its_state_in_config_when_no_state_is_given():
    config = {"learningRate": 0.1, "momentum": 0.9, "dampening": 0,
              "weightDecays": PER_PARAMETER, "learningRates": PER_PARAMETER}
    _, _, config_out, state_out = run_sgd(config, steps=3)
    assert state_out is None
    assert config_out["evalCounter"] == 3
    # the velocity after three steps, from the reference
    velocity = None
    x = START
    for _ in range(3):
        g = gradient(x) + PER_PARAMETER * x
        velocity = g if velocity is None else 0.9 * velocity + g
        x = x - 0.1 * PER_PARAMETER * velocity
    np.testing.assert_allclose(config_out["dfdx"].numpy(), velocity, rtol=1e-13)
    np.testing.assert_allclose(config_out["decayParameters"].numpy(),
                               PER_PARAMETER * (x + 0.1 * PER_PARAMETER * velocity),
                               rtol=1e-13)
    np.testing.assert_allclose(config_out["deltaParameters"].numpy(),
                               PER_PARAMETER * velocity, rtol=1e-13)


def test_sgd_with_a_separate_state_leaves_config_alone():
    config = {"learningRate": 0.1, "momentum": 0.5, "learningRateDecay": 0.2}
    state = t7.lua.eval("{}")
    _, _, config_out, state_out = run_sgd(config, steps=2, state=state)
    assert state_out["evalCounter"] == 2
    assert state_out["dfdx"] is not None
    assert config_out["evalCounter"] is None and config_out["dfdx"] is None


def test_sgd_resumes_from_the_state_counter():
    """The learning rate decay counts the steps recorded in state.evalCounter."""
    config = {"learningRate": 0.1, "learningRateDecay": 0.5}
    state = t7.lua.eval("{evalCounter = 10}")
    points, _, _, state_out = run_sgd(config, steps=2, state=state)
    expected, _ = sgd_reference(START, 2, evalCounter=10, **config)
    np.testing.assert_allclose(points, expected, rtol=1e-13)
    assert state_out["evalCounter"] == 12


def test_sgd_on_float_parameters():
    config = {"learningRate": 0.1, "momentum": 0.9}
    points, _, config_out, _ = run_sgd(config, steps=3, dtype=np.float32)
    expected, _ = sgd_reference(START, 3, **config)
    assert points.dtype == np.float32
    assert config_out["dfdx"].numpy().dtype == np.float32
    np.testing.assert_allclose(points, expected, rtol=1e-5)


@pytest.mark.parametrize("config", [
    {"momentum": 0.9, "nesterov": True},                   # dampening defaults to momentum
    {"nesterov": True, "dampening": 0},                    # no momentum
])
def test_nesterov_needs_momentum_and_no_dampening(config):
    with pytest.raises(t7.LuaError,
                       match="Nesterov momentum requires a momentum and zero dampening"):
        run_sgd(config, steps=1)


def test_opfunc_is_not_called_when_the_config_is_refused():
    called = t7.lua.execute("""
        require 'optim'
        local called = false
        pcall(optim.sgd, function(x) called = true; return 0, x end, torch.ones(2),
              {nesterov = true})
        return called
    """)
    assert called is False


XOR_SCRIPT = """
require 'torch'; require 'nn'; require 'optim'
torch.manualSeed(1)
local model = nn.Sequential():add(nn.Linear(2, 8)):add(nn.Tanh()):add(nn.Linear(8, 1))
local crit = nn.MSECriterion()
local params, grads = model:getParameters()
local x = torch.Tensor{{0,0},{0,1},{1,0},{1,1}}
local y = torch.Tensor{{0},{1},{1},{0}}
local state = {learningRate = 0.1, momentum = 0.9}
local losses = {}
for i = 1, 2000 do
  local function feval(p)
    grads:zero()
    local out = model:forward(x)
    local loss = crit:forward(out, y)
    model:backward(x, crit:backward(out, y))
    return loss, grads
  end
  local _, fs = optim.sgd(feval, params, state)
  losses[i] = fs[1]
end
return losses, model:forward(x), state.evalCounter
"""


def test_xor_training_loss_falls():
    losses, prediction, steps = t7.lua.execute(XOR_SCRIPT)
    losses = np.array(losses.values())
    assert steps == 2000 and len(losses) == 2000
    assert losses[-1] < losses[0] / 100
    assert np.mean(losses[-100:]) < np.mean(losses[:100])
    np.testing.assert_allclose(prediction.numpy().ravel(), [0, 1, 1, 0], atol=0.05)
