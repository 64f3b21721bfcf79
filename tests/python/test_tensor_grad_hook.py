"""The hook the autograd fills: grad mode per thread, dispatch of operations on tensors
that require grad, the leaf marks. A stand-in dispatcher records what reaches it."""
import threading

import pytest

import torch7_compat as t7
from torch7_compat import _native

core = _native.core


@pytest.fixture
def recorder():
    calls = []

    def dispatch(name, args, kwargs):
        calls.append((name, args, kwargs))
        previous = core.set_grad_enabled(False)
        try:
            return getattr(args[0], name)(*args[1:], **kwargs)
        finally:
            core.set_grad_enabled(previous)

    previous = core.get_grad_dispatch()
    core.set_grad_dispatch(dispatch)
    yield calls
    core.set_grad_dispatch(previous)


def test_operations_on_grad_tensors_go_to_the_dispatcher(recorder):
    x = t7.ones(2, 2).requires_grad_()
    y = t7.ones(2, 2)
    r = (x + y).sum()
    assert r.item() == 8
    assert [c[0] for c in recorder] == ["add"]     # the stand-in marks no result
    recorder.clear()
    x.exp()
    x.matmul(y)
    x[0]
    x.view(-1)
    y * x
    assert [c[0] for c in recorder] == ["exp", "matmul", "__getitem__", "view", "mul"]
    assert recorder[-1][1][0] is y


def test_nothing_is_dispatched_without_requires_grad_or_in_no_grad_mode(recorder):
    x = t7.ones(3)
    x + x
    w = t7.ones(3, requires_grad=True)
    previous = core.set_grad_enabled(False)
    try:
        w * 2
    finally:
        core.set_grad_enabled(previous)
    assert recorder == []


def test_grad_mode_is_per_thread():
    seen = []
    core.set_grad_enabled(False)
    try:
        thread = threading.Thread(target=lambda: seen.append(core.is_grad_enabled()))
        thread.start()
        thread.join()
        assert seen == [True] and core.is_grad_enabled() is False
    finally:
        core.set_grad_enabled(True)


def test_leaf_marks_and_requires_grad_rules():
    x = t7.zeros(3)
    assert x.is_leaf and x.requires_grad is False and x.grad is None
    assert x.requires_grad_() is x and x.requires_grad
    x.grad_fn = object()
    assert not x.is_leaf
    d = x.detach()
    assert d.requires_grad is False and d.grad_fn is None
    with pytest.raises(RuntimeError, match="floating point"):
        t7.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="floating point"):
        t7.tensor([1, 2]).requires_grad = True


def test_a_dispatcher_must_be_callable():
    with pytest.raises(TypeError):
        core.set_grad_dispatch(3)


def test_set_grad_mode_context():
    with t7.set_grad_mode(False):
        assert not t7.is_grad_enabled()
    assert t7.is_grad_enabled()
