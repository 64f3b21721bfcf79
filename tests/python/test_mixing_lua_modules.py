"""Lua nn modules inside the Python tape (t7.nn.Lua): gradients through mixed graphs
against finite differences, parameters shared with Lua, Python optimizers on Lua models."""
import os

import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import autograd
from torch7_compat.autograd import gradcheck
from torch7_compat.nn import functional as F
from torch7_compat.optim import SGD
from autograd_cases import numerical_gradient, op, rand, tensor, value

SHARED_T7 = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "..", "shared", "t7", "reference")


@pytest.fixture(scope="module")
def nn():
    return t7.require("nn")


def scalar(t):
    return float(value(t).reshape(-1)[0])


def mlp(nn):
    return nn.Sequential().add(nn.Linear(4, 5)).add(nn.Tanh()).add(nn.Linear(5, 3))


def test_parameters_are_the_lua_tensors_with_lua_names(nn):
    lua_model = mlp(nn)
    model = t7.nn.Lua(lua_model)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    weight = dict(model.named_parameters())["2.weight"]
    weight.numpy()[0, 0] = 7.5
    assert lua_model.modules[3].weight.numpy()[0, 0] == 7.5
    assert all(p.requires_grad for p in model.parameters())


def test_lua_module_then_python_op_then_lua_criterion_matches_finite_differences(nn):
    model = t7.nn.Lua(mlp(nn))
    criterion = t7.nn.Lua(nn.ClassNLLCriterion())
    target = tensor([1, 3, 2, 1], dtype=np.float64)      # Lua's classes count from 1
    x = rand(4, 4)

    def loss_of(a):
        return criterion(F.log_softmax(op("mul", model(a), 1.5), 1), target)
    assert gradcheck(loss_of, (x,))
    model.zero_grad()
    autograd.backward(loss_of(x))
    for name, parameter in model.named_parameters():
        expected = numerical_gradient(lambda: scalar(loss_of(x)), parameter.numpy())
        np.testing.assert_allclose(value(parameter.grad), expected, rtol=1e-5, atol=1e-7,
                                   err_msg=name)


def test_gradparameters_are_the_parameters_grad(nn):
    lua_model = mlp(nn)
    model = t7.nn.Lua(lua_model)
    autograd.backward(op("sum", model(rand(2, 4, requires_grad=False))))
    first = next(model.parameters())
    np.testing.assert_array_equal(value(first.grad), value(lua_model.modules[1].gradWeight))
    lua_model.modules[1].gradWeight.numpy()[0, 0] = 42.0
    assert value(first.grad)[0, 0] == 42.0


def test_gradients_accumulate_and_reset_after_set_to_none(nn):
    model = t7.nn.Lua(nn.Linear(3, 2))
    x = rand(4, 3, requires_grad=False)
    autograd.backward(op("sum", model(x)))
    once = value(model.bias.grad)
    autograd.backward(op("sum", model(x)))
    np.testing.assert_allclose(value(model.bias.grad), 2 * once)
    for p in model.parameters():
        p.grad = None
    autograd.backward(op("sum", model(x)))
    np.testing.assert_allclose(value(model.bias.grad), once)
    np.testing.assert_allclose(once, [4.0, 4.0])


def test_python_optimizer_step_on_a_lua_model_equals_the_step_by_hand(nn):
    lua_model = mlp(nn)
    model = t7.nn.Lua(lua_model)
    x, y = rand(6, 4, requires_grad=False), rand(6, 3, requires_grad=False)
    before = [value(p) for p in model.parameters()]
    optimizer = SGD(model.parameters(), lr=0.1)
    optimizer.zero_grad()
    autograd.backward(F.mse_loss(model(x), y))
    grads = [value(p.grad) for p in model.parameters()]
    optimizer.step()
    for p, b, g in zip(model.parameters(), before, grads):
        np.testing.assert_allclose(value(p), b - 0.1 * g)
    np.testing.assert_allclose(value(lua_model.modules[1].weight), before[0] - 0.1 * grads[0])


def test_a_module_called_twice_before_backward_gets_both_gradients_right(nn):
    model = t7.nn.Lua(nn.Sequential().add(nn.Linear(3, 3)).add(nn.Sigmoid()))
    a, b = rand(2, 3), rand(2, 3)
    assert gradcheck(lambda p, q: op("add", model(p), op("mul", model(q), 2.0)), (a, b))


def test_table_input_and_table_output(nn):
    concat = t7.nn.Lua(nn.ConcatTable().add(nn.Identity()).add(nn.Tanh()))
    first, second = concat(rand(3))
    assert isinstance(first, t7.Tensor) and second.requires_grad
    add = t7.nn.Lua(nn.CAddTable())
    a, b = rand(2, 3), rand(2, 3)
    np.testing.assert_allclose(value(add([a, b])), value(a) + value(b))
    assert gradcheck(lambda p, q: add([concat(p)[1], q]), (a, b))


def test_gmodule(nn):
    t7.require("nngraph")
    script = """
    local x = nn.Identity()()
    local h = nn.Tanh()(nn.Linear(3, 4)(x))
    local out = nn.CMulTable()({h, nn.Linear(3, 4)(x)})
    return nn.gModule({x}, {out})
    """
    model = t7.nn.Lua(t7.lua.execute(script))
    assert len(list(model.parameters())) == 4
    assert gradcheck(lambda a: model(a), (rand(2, 3),))


def test_evaluate_and_training_modes_reach_lua(nn):
    lua_model = nn.Sequential().add(nn.Dropout(0.5))
    model = t7.nn.Lua(lua_model)
    model.eval()
    assert lua_model.modules[1].train is False
    x = tensor(np.ones((4, 4)))
    np.testing.assert_array_equal(value(model(x)), np.ones((4, 4)))
    model.train()
    assert lua_model.modules[1].train is True


def test_model_loaded_from_a_t7_file(nn):
    model = t7.nn.Lua(t7.load(os.path.join(SHARED_T7, "mlp.t7")))
    io = t7.load(os.path.join(SHARED_T7, "mlp_io.t7"))
    model.eval()
    np.testing.assert_allclose(value(model(io.input)), value(io.output), rtol=1e-12)
    assert [p.shape for p in model.parameters()] == [(16, 10), (16,), (4, 16), (4,)]
    assert gradcheck(lambda a: model(a), (tensor(value(io.input)[:1], True),))


def test_float_conversion_refetches_parameters(nn):
    model = t7.nn.Lua(nn.Linear(3, 2)).float()
    assert model.weight.lua_type == "torch.FloatTensor"
    out = model(tensor(np.ones((1, 3)), dtype=np.float32))
    assert out.lua_type == "torch.FloatTensor"


def test_bad_input_reaches_python_as_an_error(nn):
    model = t7.nn.Lua(nn.Linear(3, 2))
    with pytest.raises(t7.LuaError, match="size mismatch"):
        model(rand(2, 5))
    with pytest.raises(TypeError, match="wraps a Lua nn module"):
        t7.nn.Lua(42)
    with pytest.raises(TypeError, match="input, target"):
        t7.nn.Lua(nn.MSECriterion())(rand(2))
