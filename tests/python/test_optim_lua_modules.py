"""Python optimizers on Lua nn modules' parameters: the step writes into the memory Lua
uses, so the Lua module sees it."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import optim


@pytest.fixture(scope="module")
def nn():
    return t7.require("nn")


def parameters_of(module):
    """The module's weights, each with its gradParameter as .grad."""
    weights, grads = module.parameters()
    params = list(weights.values())
    for p, g in zip(params, grads.values()):
        p.grad = g
    return params


def forward_backward(model, criterion, x, target):
    model.zeroGradParameters()
    output = model.forward(x)
    loss = criterion.forward(output, target)
    model.backward(x, criterion.backward(output, target))
    return loss


def test_a_step_changes_the_lua_modules_weights(nn):
    linear = nn.Linear(4, 3)
    params = parameters_of(linear)
    x = t7.from_numpy(np.random.default_rng(0).standard_normal((5, 4)))
    linear.forward(x)
    linear.backward(x, t7.from_numpy(np.ones((5, 3))))
    weight, bias = (p.numpy().copy() for p in params)
    grad_weight, grad_bias = (p.grad.numpy().copy() for p in params)
    assert np.abs(grad_weight).sum() > 0
    optim.SGD(params, lr=0.1).step()
    np.testing.assert_allclose(linear.weight.numpy(), weight - 0.1 * grad_weight, rtol=1e-15)
    np.testing.assert_allclose(linear.bias.numpy(), bias - 0.1 * grad_bias, rtol=1e-15)
    # Lua's own forward now computes with the new weights
    output = linear.forward(x).numpy()
    np.testing.assert_allclose(output, x.numpy() @ linear.weight.numpy().T + linear.bias.numpy(),
                               rtol=1e-12)


def test_sgd_on_a_lua_model_equals_the_step_by_hand_in_lua(nn):
    t7.lua.execute("torch.manualSeed(3)")
    model = nn.Sequential().add(nn.Linear(3, 5)).add(nn.Tanh()).add(nn.Linear(5, 2))
    by_hand = model.clone()
    criterion = nn.MSECriterion()
    rng = np.random.default_rng(1)
    x = t7.from_numpy(rng.standard_normal((4, 3)))
    target = t7.from_numpy(rng.standard_normal((4, 2)))
    optimizer = optim.SGD(parameters_of(model), lr=0.05)
    hand_weights, hand_grads = by_hand.parameters()
    lua_step = t7.lua.eval("function(ws, gs, lr) for i = 1, #ws do ws[i]:add(-lr, gs[i]) end "
                           "end")
    start = [w.numpy().copy() for w in hand_weights.values()]
    for _ in range(3):
        forward_backward(model, criterion, x, target)
        optimizer.step()
        forward_backward(by_hand, criterion, x, target)
        lua_step(hand_weights, hand_grads, 0.05)
    for ours, theirs, before in zip(model.parameters()[0].values(), hand_weights.values(),
                                    start):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert not np.array_equal(ours.numpy(), before)


def test_adam_trains_a_lua_model(nn):
    t7.lua.execute("torch.manualSeed(5)")
    model = nn.Sequential().add(nn.Linear(2, 8)).add(nn.Tanh()).add(nn.Linear(8, 1))
    criterion = nn.MSECriterion()
    rng = np.random.default_rng(2)
    x = rng.standard_normal((32, 2))
    target = t7.from_numpy((x[:, :1] * x[:, 1:]).copy())
    x = t7.from_numpy(x)
    optimizer = optim.Adam(parameters_of(model), lr=0.02)
    first = forward_backward(model, criterion, x, target)
    for _ in range(200):
        optimizer.step()
        last = forward_backward(model, criterion, x, target)
    assert last < 0.3 * first


def test_zero_grad_in_place_zeroes_lua_grad_parameters(nn):
    linear = nn.Linear(2, 2)
    params = parameters_of(linear)
    x = t7.from_numpy(np.ones((1, 2)))
    linear.forward(x)
    linear.backward(x, t7.from_numpy(np.ones((1, 2))))
    assert np.abs(linear.gradWeight.numpy()).sum() > 0
    optim.SGD(params, lr=0.1).zero_grad(set_to_none=False)
    np.testing.assert_array_equal(linear.gradWeight.numpy(), 0.0)
    np.testing.assert_array_equal(linear.gradBias.numpy(), 0.0)
