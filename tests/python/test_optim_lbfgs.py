"""L-BFGS: the fixed-step iteration against a numpy two-loop reimplementation, the strong
Wolfe search against its conditions, convergence to known minima, and torch.optim.LBFGS's
trajectory where torch is installed."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import optim
from torch7_compat.optim.lbfgs import strong_wolfe

from optim_cases import STARTS, gradient, loss


def make_closure(params, counter=None):
    def closure():
        if counter is not None:
            counter.append(1)
        total = 0.0
        for p in params:
            x = p.numpy()
            p.grad = t7.from_numpy(gradient(x))
            total += loss(x)
        return total
    return closure


def lbfgs_reference(x, grad_of, lr, iterations, history):
    """Plain L-BFGS with a fixed step (the first one scaled by 1/|g|_1), on one vector."""
    g = g_before = grad_of(x)
    steps, changes = [], []
    d = -g
    t = min(1.0, 1.0 / np.abs(g).sum()) * lr
    for k in range(iterations):
        if k > 0:
            y, s = g - g_before, d * t
            if y @ s > 1e-10:
                steps, changes = (steps + [s])[-history:], (changes + [y])[-history:]
            q = -g
            alphas = []
            for s_i, y_i in reversed(list(zip(steps, changes))):
                alphas.append((s_i @ q) / (y_i @ s_i))
                q = q - alphas[-1] * y_i
            gamma = (steps[-1] @ changes[-1]) / (changes[-1] @ changes[-1]) if steps else 1.0
            r = gamma * q
            for (s_i, y_i), a in zip(zip(steps, changes), reversed(alphas)):
                r = r + (a - (y_i @ r) / (y_i @ s_i)) * s_i
            d, t = r, lr
        g_before = g
        x = x + t * d
        g = grad_of(x)
    return x


def flat_gradient(flat):
    pieces, offset = [], 0
    for start in STARTS:
        piece = flat[offset:offset + start.size].reshape(start.shape)
        pieces.append(gradient(piece).reshape(-1))
        offset += start.size
    return np.concatenate(pieces)


@pytest.mark.parametrize("history", [100, 2])
def test_fixed_step_iterations_match_numpy_reference(history):
    params = [t7.from_numpy(s.copy()) for s in STARTS]
    optimizer = optim.LBFGS(params, lr=0.5, max_iter=8, history_size=history,
                            tolerance_change=0, tolerance_grad=0)
    optimizer.step(make_closure(params))
    got = np.concatenate([p.numpy().reshape(-1) for p in params])
    start = np.concatenate([s.reshape(-1) for s in STARTS])
    expected = lbfgs_reference(start, flat_gradient, 0.5, 8, history)
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-12)
    assert not np.allclose(got, start)


def test_strong_wolfe_step_satisfies_the_conditions():
    # f(t) = (t - 3)^2 + sin(2t) along d = 1 from 0: the search must find t with
    # f(t) <= f(0) + c1 t f'(0) and |f'(t)| <= c2 |f'(0)|
    def f(t):
        return (t - 3) ** 2 + np.sin(2 * t)

    def df(t):
        return 2 * (t - 3) + 2 * np.cos(2 * t)

    d = np.array([1.0])
    f0, g0 = f(0.0), np.array([df(0.0)])
    value, grad, t, evaluations = strong_wolfe(lambda t: (f(t), np.array([df(t)])), 0.1, d,
                                               f0, g0, float(g0 @ d))
    assert value == f(t) and grad[0] == df(t) and evaluations >= 1
    assert f(t) <= f0 + 1e-4 * t * df(0.0)
    assert abs(df(t)) <= 0.9 * abs(df(0.0))


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_converges_to_the_rosenbrock_minimum(line_search):
    xy = t7.from_numpy(np.array([-1.5, 2.0]))

    def closure():
        x, y = xy.numpy()
        xy.grad = t7.from_numpy(np.array([-2 * (1 - x) - 400 * x * (y - x * x),
                                          200 * (y - x * x)]))
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2
    optimizer = optim.LBFGS([xy], lr=1 if line_search else 0.1, max_iter=500,
                            line_search_fn=line_search, tolerance_grad=1e-10,
                            tolerance_change=1e-14)
    for _ in range(4 if line_search else 40):
        optimizer.step(closure)
    np.testing.assert_allclose(xy.numpy(), [1.0, 1.0], atol=1e-5)


def test_step_returns_first_loss_and_counts_evaluations():
    params = [t7.from_numpy(s.copy()) for s in STARTS]
    calls = []
    closure = make_closure(params, calls)
    expected_first = closure()
    calls.clear()
    optimizer = optim.LBFGS(params, max_iter=5, line_search_fn="strong_wolfe")
    assert optimizer.step(closure) == expected_first
    state = optimizer.state[params[0]]
    assert state["func_evals"] == len(calls) and state["n_iter"] <= 5


def test_bad_arguments():
    p = t7.from_numpy(np.zeros(2))
    with pytest.raises(ValueError, match="strong_wolfe"):
        optim.LBFGS([p], line_search_fn="backtracking")
    with pytest.raises(ValueError, match="parameter groups"):
        optim.LBFGS([{"params": [p]}, {"params": [t7.from_numpy(np.zeros(1))]}])
    with pytest.raises(RuntimeError, match="closure"):
        optim.LBFGS([p]).step()


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_trajectory_matches_torch(line_search):
    torch = pytest.importorskip("torch")
    ours = [t7.from_numpy(s.copy()) for s in STARTS]
    theirs = [torch.tensor(s, requires_grad=True) for s in STARTS]

    def torch_closure():
        total = 0.0
        for p in theirs:
            p.grad = torch.from_numpy(gradient(p.detach().numpy()))
            total += loss(p.detach().numpy())
        return total
    options = dict(lr=0.8, max_iter=7, history_size=4, line_search_fn=line_search)
    mine, reference = optim.LBFGS(ours, **options), torch.optim.LBFGS(theirs, **options)
    for _ in range(3):
        assert mine.step(make_closure(ours)) == pytest.approx(reference.step(torch_closure))
    for got, want in zip(ours, theirs):
        np.testing.assert_allclose(got.numpy(), want.detach().numpy(), rtol=1e-9, atol=1e-11)
    assert mine.state[ours[0]]["func_evals"] == reference.state[theirs[0]]["func_evals"]
