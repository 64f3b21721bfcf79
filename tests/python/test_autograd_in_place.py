"""In-place operations on tensors inside a graph (`out += identity`, h.mul_(y), relu_), as
PyTorch records them: the gradients are those of the out-of-place computation (finite
differences and numpy are the oracles), a value saved for backward and changed in place
since is reported at backward, and what cannot be recorded (views, tensors Lua holds) is
refused."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat.autograd import gradcheck


def leaf(values):
    return t7.tensor(values, dtype=t7.float64, requires_grad=True)


RNG = np.random.default_rng(3)


def test_a_residual_sum_in_place_has_the_gradients_of_finite_differences():
    def block(x, w):
        out = x @ w
        out += x * 3                       # ResNet's `out += identity`
        out.relu_()
        return out.sum()
    x, w = leaf(RNG.normal(size=(4, 3))), leaf(RNG.normal(size=(3, 3)))
    assert gradcheck(block, (x, w))


@pytest.mark.parametrize("method, args", [
    ("add_", (2.0,)), ("sub_", (0.5,)), ("mul_", (-1.5,)), ("div_", (4.0,)),
    ("pow_", (2.0,)), ("clamp_", (-0.5, 0.5)), ("exp_", ()), ("tanh_", ()),
    ("sigmoid_", ()), ("relu_", ()), ("abs_", ()), ("neg_", ()), ("log_", ()),
    ("sqrt_", ()),
])
def test_each_recorded_method_matches_finite_differences(method, args):
    def f(x):
        h = x * 1.5 + 0.25
        getattr(h, method)(*args)
        return h * x
    assert gradcheck(f, (leaf(RNG.uniform(0.2, 1.0, size=(3, 2))),))


def test_masked_fill_in_place_passes_no_gradient_where_it_wrote():
    x = leaf([1.0, -2.0, 3.0, -4.0])
    h = x * 3
    h.masked_fill_(x.detach() < 0, 0.5)
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 0.0, 3.0, 0.0])
    np.testing.assert_allclose(h.detach().numpy(), [3.0, 0.5, 9.0, 0.5])


def test_the_old_value_serves_the_operation_itself():
    x, y = leaf([1.0, -2.0, 3.0]), leaf([0.5, 4.0, -1.0])
    h = x * 2
    h.mul_(y)                              # d/dy needs h before the change: 2x
    h.sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), 2 * x.numpy())
    np.testing.assert_allclose(x.grad.numpy(), 2 * y.numpy())
    np.testing.assert_allclose(h.detach().numpy(), 2 * x.numpy() * y.numpy())


def test_the_tensor_becomes_the_result_and_counts_versions():
    x = leaf([1.0, 2.0])
    h = x + 0
    first = h.grad_fn
    assert getattr(h, "_version", 0) == 0
    h += 1
    h.mul_(3)
    assert h._version == 2 and h.grad_fn is not first and not h.is_leaf
    (h * h).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 9 * (x.numpy() + 1))


def test_a_value_saved_for_backward_and_changed_since_is_reported():
    x = leaf([0.5, 1.0])
    z = x.exp()                            # exp saves its output for backward
    z.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*version 1; "
                                           "expected version 0"):
        z.sum().backward()


def test_a_plain_tensor_joins_the_graph_through_an_in_place_operation():
    w = leaf([1.0, 2.0, 3.0])
    buffer = t7.zeros(2, 3, dtype=t7.float64)
    buffer.add_(w * 2)
    assert buffer.requires_grad and buffer.grad_fn is not None
    buffer.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [4.0, 4.0, 4.0])


def test_the_result_keeps_the_tensors_dtype():
    x = t7.tensor([1.0, 2.0], dtype=t7.float32, requires_grad=True)
    w = leaf([0.5, 0.25])
    h = x * 1
    h += w
    assert h.dtype == t7.float32
    h.sum().backward()
    assert x.grad.dtype == t7.float32 and w.grad.dtype == t7.float64
    np.testing.assert_allclose(w.grad.numpy(), [1.0, 1.0])


def test_what_cannot_be_recorded_is_refused_clearly():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    h = x * 2
    view = h.view(4)
    with pytest.raises(RuntimeError, match="shares its memory"):
        h.add_(1)
    with pytest.raises(RuntimeError, match="shares its memory"):
        view.add_(1)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        (x[0] * 1).add_(x)
    with pytest.raises(RuntimeError, match="no recorded in-place form"):
        (x * 1).zero_()
    with pytest.raises(RuntimeError, match="no recorded in-place form"):
        (x * 1).normal_()
    for change in (lambda: x.add_(1), lambda: x.uniform_(), lambda: x.bernoulli_(0.5),
                   lambda: x.masked_fill_(x.detach() > 2, 0.0)):
        with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
            change()
    with t7.no_grad():                     # initialisation, as PyTorch's nn.init does it
        x.uniform_(-1, 1)
    assert np.all(np.abs(x.detach().numpy()) <= 1)
