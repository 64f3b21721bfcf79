"""The autograd through the Tensor's own operators and methods (x * y, x.sum(), x[1:],
loss.backward()), as a PyTorch user writes it."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat.autograd import gradcheck
from torch7_compat.nn import functional as F


def leaf(values, dtype=t7.float64):
    return t7.tensor(values, dtype=dtype, requires_grad=True)


def test_operators_record_and_backward_fills_grad():
    x = leaf([1.0, 2.0, 3.0])
    w = leaf([[0.5], [-1.0], [2.0]])
    loss = ((x * 2 + 1) @ w).sum() / 3 - x.exp().mean()
    assert loss.shape == () and loss.grad_fn is not None and not loss.is_leaf
    loss.backward()
    xv, wv = x.numpy(), w.numpy()[:, 0]
    np.testing.assert_allclose(x.grad.numpy(), 2 * wv / 3 - np.exp(xv) / 3)
    np.testing.assert_allclose(w.grad.numpy()[:, 0], (2 * xv + 1) / 3)
    assert x.is_leaf and x.grad_fn is None


def test_reflected_and_unary_operators():
    x = leaf([0.5, 1.5])
    y = (1 - x) * (2 / x) + 2 ** x - (-x) + abs(x) ** 2
    y.sum().backward()
    v = x.numpy()
    expected = (-(2 / v) + (1 - v) * (-2 / v ** 2)) + np.log(2) * 2 ** v + 1 + 2 * v
    np.testing.assert_allclose(x.grad.numpy(), expected)


def test_views_indexing_and_reductions_gradcheck():
    x = leaf(np.random.default_rng(0).standard_normal((3, 4)))
    assert gradcheck(lambda a: a.t().reshape(2, 6)[:, 1:5].sum(dim=0), (x,))
    assert gradcheck(lambda a: a[a.detach() > 0].sum(), (x,))
    assert gradcheck(lambda a: a.max(dim=1).values, (x,))
    assert gradcheck(lambda a: a.unsqueeze(0).expand(2, 3, 4).permute(2, 0, 1).mean(), (x,))
    assert gradcheck(lambda a: a.narrow(1, 1, 2).select(0, 2), (x,))
    assert gradcheck(lambda a: a.var(dim=1) + a.std() + a.norm(), (x,))
    assert gradcheck(lambda a: a.cumsum(1).amax(dim=0), (x,))
    assert gradcheck(lambda a: t7.where(a > 0, a, a * a), (x,))
    floor = t7.full((3, 4), -0.2, dtype=t7.float64)
    assert gradcheck(lambda a: a.maximum(floor).minimum(floor + 1).clamp(-0.5, 0.5), (x,))
    assert gradcheck(lambda a: t7.cat([a, a.square()], dim=0).sqrt().sum(), (x.abs().detach()
                                                                          .requires_grad_(),))


def test_detach_shares_memory_and_leaves_the_graph():
    x = leaf([1.0, 2.0])
    d = (x * 3).detach()
    assert not d.requires_grad and d.grad_fn is None
    y = x.detach()
    y.numpy()[0] = 10.0
    assert x.numpy()[0] == 10.0


def test_in_place_on_a_leaf_that_requires_grad_is_refused():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        x.add_(1)
    with t7.no_grad():
        x.add_(1)
    assert x.numpy()[0] == 2.0


def test_backward_errors_as_pytorch():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()
    loss = (x * x).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        t7.tensor([1.0]).sum().backward()
    y = x * 2
    y.backward(t7.tensor([1.0, 1.0], dtype=t7.float64))
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(t7.tensor([1.0, 2.0, 3.0], dtype=t7.float64))


def test_a_training_loop_in_pytorch_style():
    t7.manual_seed(0)
    model = t7.nn.Sequential(t7.nn.Linear(2, 16), t7.nn.Tanh(), t7.nn.Linear(16, 1))
    optimizer = t7.optim.Adam(model.parameters(), lr=0.05)
    x = t7.rand(64, 2) * 2 - 1
    y = (x[:, 0] * x[:, 1]).unsqueeze(1)
    first = None
    for _ in range(150):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        first = first if first is not None else loss.item()
    assert loss.item() < 0.2 * first


def test_tensor_methods_register_hooks_and_retain_grads():
    x = leaf([1.0, 2.0])
    y = x * 3
    y.retain_grad()
    seen = []
    handle = y.register_hook(lambda g: seen.append(g.numpy().copy()))
    x.register_hook(lambda g: g * 10)
    (y * y).sum().backward(retain_graph=True)
    np.testing.assert_allclose(seen[0], [6.0, 12.0])             # d(y^2)/dy = 2y
    np.testing.assert_allclose(y.grad.numpy(), [6.0, 12.0])
    np.testing.assert_allclose(x.grad.numpy(), [180.0, 360.0])   # 10 * 3 * 2y
    handle.remove()
    (y * y).sum().backward()
    assert len(seen) == 1
