"""Each optimizer's trajectory against an independent numpy reimplementation of
PyTorch's documented update rule (and against torch.optim itself where installed)."""
import math

import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import optim

from optim_cases import run_reference, run_t7, run_torch

STEPS = 12


def sgd_reference(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                  maximize=False):
    def update(p, g, state, t):
        g = -g if maximize else g
        g = g + weight_decay * p
        if momentum:
            b = g if t == 1 else momentum * state["b"] + (1 - dampening) * g
            state["b"] = b
            g = g + momentum * b if nesterov else b
        return p - lr * g
    return update


def adam_reference(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                   maximize=False, decoupled=False):
    b1, b2 = betas

    def update(p, g, state, t):
        g = -g if maximize else g
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
        state["v"] = b2 * state.get("v", 0) + (1 - b2) * g * g
        v = state["v"]
        if amsgrad:
            state["vmax"] = v = np.maximum(state.get("vmax", 0), v)
        m_hat = state["m"] / (1 - b1 ** t)
        return p - lr * m_hat / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return update


def rmsprop_reference(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                      centered=False, maximize=False):
    def update(p, g, state, t):
        g = -g if maximize else g
        g = g + weight_decay * p
        state["v"] = alpha * state.get("v", 0) + (1 - alpha) * g * g
        v = state["v"]
        if centered:
            state["mean"] = alpha * state.get("mean", 0) + (1 - alpha) * g
            v = v - state["mean"] ** 2
        scaled = g / (np.sqrt(v) + eps)
        if momentum:
            state["b"] = momentum * state.get("b", 0) + scaled
            return p - lr * state["b"]
        return p - lr * scaled
    return update


def adagrad_reference(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                      eps=1e-10, maximize=False):
    def update(p, g, state, t):
        g = -g if maximize else g
        g = g + weight_decay * p
        state["s"] = state.get("s", initial_accumulator_value) + g * g
        rate = lr / (1 + (t - 1) * lr_decay)
        return p - rate * g / (np.sqrt(state["s"]) + eps)
    return update


CASES = [
    ("SGD", dict(lr=0.05), sgd_reference),
    ("SGD", dict(lr=0.05, momentum=0.9), sgd_reference),
    ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01), sgd_reference),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1), sgd_reference),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True), sgd_reference),
    ("Adam", dict(lr=0.05), adam_reference),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1), adam_reference),
    ("Adam", dict(lr=0.05, amsgrad=True, maximize=True), adam_reference),
    ("AdamW", dict(lr=0.05), adam_reference),
    ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True), adam_reference),
    ("RMSprop", dict(lr=0.01), rmsprop_reference),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.7, weight_decay=0.1), rmsprop_reference),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, eps=1e-4), rmsprop_reference),
    ("Adagrad", dict(lr=0.1), adagrad_reference),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5,
                     eps=1e-3, maximize=True), adagrad_reference),
]
IDS = ["%s-%d" % (name, i) for i, (name, _, _) in enumerate(CASES)]


def reference_options(name, options):
    if name == "AdamW":
        return dict(options, decoupled=True, weight_decay=options.get("weight_decay", 1e-2))
    return options


@pytest.mark.parametrize("name,options,reference", CASES, ids=IDS)
def test_trajectory_matches_numpy_reference(name, options, reference):
    ours, _ = run_t7(getattr(optim, name), STEPS, **options)
    expected = run_reference(reference(**reference_options(name, options)), STEPS)
    for got, want in zip(ours, expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    start = run_reference(lambda p, g, s, t: p, 0)
    assert not np.allclose(ours[0], start[0])      # the parameters did move


@pytest.mark.parametrize("name,options,reference", CASES, ids=IDS)
def test_trajectory_matches_torch(name, options, reference):
    torch = pytest.importorskip("torch")
    ours, _ = run_t7(getattr(optim, name), STEPS, **options)
    for got, want in zip(ours, run_torch(torch, name, STEPS, **options)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name,options,reference", CASES, ids=IDS)
def test_float32_parameters_stay_float32(name, options, reference):
    ours, optimizer = run_t7(getattr(optim, name), STEPS, dtype=np.float32, **options)
    expected = run_reference(reference(**reference_options(name, options)), STEPS)
    for got, want in zip(ours, expected):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-4)
    for state in optimizer.state.values():
        for value in state.values():
            if isinstance(value, t7.Tensor):
                assert value.dtype == np.float32


def test_parameters_without_grad_are_left_alone():
    a, b = t7.from_numpy(np.ones(3)), t7.from_numpy(np.ones(2))
    optimizer = optim.Adam([a, b], lr=0.1)
    a.grad = t7.from_numpy(np.full(3, 2.0))
    optimizer.step()
    np.testing.assert_allclose(a.numpy(), 0.9)      # Adam's first step moves by lr
    np.testing.assert_array_equal(b.numpy(), 1.0)
    assert b not in optimizer.state


def test_step_updates_in_place_through_strided_views():
    base = np.arange(12.0).reshape(3, 4)
    column = t7.from_numpy(base)
    view = t7.from_numpy(base[:, 1])                # a strided view of the same memory
    view.grad = t7.from_numpy(np.ones(3))
    optim.SGD([view], lr=0.5).step()
    np.testing.assert_array_equal(base[:, 1], [0.5, 4.5, 8.5])
    np.testing.assert_array_equal(base[:, 0], [0, 4, 8])
    assert column.numpy()[1, 1] == 4.5


def test_empty_parameters_are_accepted():
    empty = t7.from_numpy(np.zeros(0))
    empty.grad = t7.from_numpy(np.zeros(0))
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad"):
        options = dict(lr=0.1, momentum=0.9) if name == "SGD" else {}
        getattr(optim, name)([empty], **options).step()
    assert empty.numel() == 0


def test_closure_loss_is_returned():
    p = t7.from_numpy(np.array([3.0]))

    def closure():
        p.grad = t7.from_numpy(2 * p.numpy())
        return float(p.numpy()[0] ** 2)
    assert optim.SGD([p], lr=0.25).step(closure) == 9.0
    assert p.numpy()[0] == 1.5


def test_adam_first_step_size_is_lr():
    # the bias corrections make |step| = lr (up to eps) whatever the gradient's scale
    p = t7.from_numpy(np.array([1.0, -1.0]))
    p.grad = t7.from_numpy(np.array([1e-3, -50.0]))
    optim.Adam([p], lr=0.01).step()
    np.testing.assert_allclose(p.numpy(), [0.99, -0.99], rtol=1e-6)


def test_sgd_by_hand_with_momentum():
    p = t7.from_numpy(np.array([1.0]))
    optimizer = optim.SGD([p], lr=0.1, momentum=0.5)
    for g in (2.0, 4.0):
        p.grad = t7.from_numpy(np.array([g]))
        optimizer.step()
    # buffer 2, then 0.5*2 + 4 = 5; p = 1 - 0.2 - 0.5
    assert math.isclose(p.numpy()[0], 0.3)
    assert optimizer.state[p]["momentum_buffer"].numpy()[0] == 5.0


@pytest.mark.parametrize("name,options,reference", CASES, ids=IDS)
def test_0d_parameters_follow_the_same_rule(name, options, reference):
    # a 0-d parameter x of loss 1/2 (x - 3)^2 steps as the reference does on a 1-element
    # array, and keeps its shape and its state's
    p = t7.tensor(0.5, dtype=t7.float64)
    optimizer = getattr(optim, name)([p], **options)
    update = reference(**reference_options(name, options))
    expected, state = np.array([0.5]), {}
    for t in range(1, 4):
        p.grad = t7.tensor(p.item() - 3.0, dtype=t7.float64)
        optimizer.step()
        expected = update(expected, expected - 3.0, state, t)
    assert p.shape == () and p.item() == pytest.approx(expected[0], rel=1e-12)
    for value in optimizer.state[p].values():
        if isinstance(value, t7.Tensor):
            assert value.shape == ()
