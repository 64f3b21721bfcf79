"""Bad input to the Python Tensor gives clear Python exceptions, never a crash; the
autograd's backward is reached through Tensor.backward."""
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import torch7_compat as t7

VALUES = st.sampled_from([
    lambda: t7.tensor([]), lambda: t7.tensor(2.0), lambda: t7.ones(3),
    lambda: t7.ones(2, 3), lambda: t7.arange(6), lambda: t7.ones(1, 3, dtype=t7.float16),
    lambda: t7.tensor([1, 0], dtype=t7.uint8), lambda: 0, lambda: 2.5, lambda: "text",
    lambda: None, lambda: [1, 2], lambda: np.ones((3, 1))])
OPERATIONS = st.sampled_from([
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
    lambda a, b: a // b, lambda a, b: a % b, lambda a, b: a ** b, lambda a, b: a @ b,
    lambda a, b: a < b, lambda a, b: a[b], lambda a, b: a.reshape(b),
    lambda a, b: a.sum(b), lambda a, b: a.max(b), lambda a, b: a.expand(b),
    lambda a, b: a.masked_fill(b, 1), lambda a, b: t7.cat([a, b]),
    lambda a, b: a.__setitem__(b, 1), lambda a, b: a.__iadd__(b), lambda a, b: a.to(b),
    lambda a, b: a.permute(b), lambda a, b: a.unsqueeze(b), lambda a, b: a.narrow(0, 0, b)])


@settings(max_examples=300, deadline=None)
@given(a=VALUES, b=VALUES, op=OPERATIONS)
def test_any_pairing_is_a_result_or_a_python_exception(a, b, op):
    x, y = a(), b()
    if not isinstance(x, t7.Tensor):
        return
    try:
        op(x, y)
    except (TypeError, ValueError, IndexError, RuntimeError):
        pass


def test_messages_name_what_is_wrong():
    with pytest.raises(ValueError, match="unknown dtype 'float33'"):
        t7.ones(2).to("float33")
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(2x3 and 2x3\)"):
        t7.ones(2, 3) @ t7.ones(2, 3)
    with pytest.raises(RuntimeError, match="invalid for input of size 4"):
        t7.ones(2, 2).view(3)
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D"):
        t7.tensor(1.0) @ t7.ones(2)
    with pytest.raises(TypeError):
        t7.ones(2) + "text"
    with pytest.raises(ValueError, match="Scalar"):
        float(t7.ones(2))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(t7.ones(2))


def test_backward_goes_to_the_autograd(monkeypatch):
    calls = []
    fake = types.ModuleType("torch7_compat.autograd")
    fake.backward = lambda tensor, gradient, retain_graph: calls.append(
        (tensor, gradient, retain_graph))
    monkeypatch.setitem(sys.modules, "torch7_compat.autograd", fake)
    monkeypatch.setattr(t7, "autograd", fake, raising=False)
    loss = t7.tensor(1.0)
    grad = t7.tensor(2.0)
    loss.backward(grad, retain_graph=True)
    assert calls == [(loss, grad, True)]
