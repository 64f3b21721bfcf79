"""The tape: backward, .grad accumulation, retain_graph, leaves and non-leaves, hooks,
grad mode, and the errors PyTorch users expect."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import autograd
from autograd_cases import op, rand, tensor, value


def test_backward_fills_leaf_gradients():
    x = tensor([1.0, 2.0, 3.0], True)
    w = tensor([0.5, -1.0, 2.0], True)
    loss = op("sum", op("mul", op("mul", x, x), w))
    autograd.backward(loss)
    np.testing.assert_allclose(value(x.grad), 2 * value(x) * value(w))
    np.testing.assert_allclose(value(w.grad), value(x) ** 2)


def test_gradients_accumulate_across_backward_calls():
    x = tensor([1.0, -2.0], True)
    for _ in range(3):
        autograd.backward(op("sum", op("mul", x, 3.0)))
    np.testing.assert_allclose(value(x.grad), [9.0, 9.0])


def test_a_tensor_used_twice_gets_both_contributions():
    x = tensor([2.0], True)
    autograd.backward(op("sum", op("add", op("mul", x, x), op("exp", x))))
    np.testing.assert_allclose(value(x.grad), [4.0 + np.exp(2.0)])


def test_gradient_argument_weights_a_non_scalar_output():
    x = tensor([1.0, 2.0], True)
    y = op("mul", x, x)
    autograd.backward(y, tensor([1.0, 10.0]))
    np.testing.assert_allclose(value(x.grad), [2.0, 40.0])


def test_non_scalar_backward_without_gradient_is_refused():
    y = op("mul", rand(3), 2.0)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):
        autograd.backward(y)


def test_gradient_of_the_wrong_shape_is_refused():
    y = op("mul", rand(3), 2.0)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        autograd.backward(y, tensor([1.0, 2.0]))


def test_backward_twice_needs_retain_graph():
    x = tensor([1.0, 2.0], True)
    loss = op("sum", op("mul", x, x))
    autograd.backward(loss)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        autograd.backward(loss)


def test_retain_graph_allows_a_second_backward():
    x = tensor([1.0, 2.0], True)
    loss = op("sum", op("mul", x, x))
    autograd.backward(loss, retain_graph=True)
    autograd.backward(loss)
    np.testing.assert_allclose(value(x.grad), [4.0, 8.0])


def test_saved_tensors_are_freed_after_backward():
    x = tensor([1.0, 2.0], True)
    y = op("mul", x, x)
    autograd.backward(op("sum", y))
    with pytest.raises(RuntimeError, match="second time"):
        y.grad_fn.saved_tensors


def test_backward_of_a_tensor_without_grad_is_refused():
    with pytest.raises(RuntimeError, match="does not require grad"):
        autograd.backward(tensor([1.0]))


def test_non_leaf_grad_stays_none_unless_retained():
    x = tensor([1.0, 2.0], True)
    hidden = op("mul", x, 3.0)
    kept = op("mul", x, 5.0)
    autograd.retain_grad(kept)
    autograd.backward(op("sum", op("add", op("mul", hidden, hidden), op("mul", kept, 2.0))))
    assert x.grad_fn is None and hidden.grad_fn is not None
    assert hidden.grad is None
    np.testing.assert_allclose(value(kept.grad), [2.0, 2.0])
    np.testing.assert_allclose(value(x.grad), 18 * value(x) + 10)


def test_ops_without_grad_record_nothing():
    x = tensor([1.0, 2.0])
    y = op("mul", x, x)
    assert y.grad_fn is None and not y.requires_grad


@pytest.mark.parametrize("enter", ["context", "decorator"])
def test_no_grad_stops_recording_and_enable_grad_restarts_it(enter):
    x = tensor([1.0], True)

    def inside():
        y = op("mul", x, 2.0)
        with t7.enable_grad():
            z = op("mul", x, 2.0)
        return y, z
    if enter == "context":
        with t7.no_grad():
            y, z = inside()
    else:
        y, z = t7.no_grad()(inside)()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and z.grad_fn is not None
    assert t7.is_grad_enabled()


def test_set_grad_enabled_as_call_and_context():
    x = tensor([1.0], True)
    with t7.set_grad_enabled(False):
        assert not op("mul", x, 2.0).requires_grad
    assert t7.is_grad_enabled()
    t7.set_grad_enabled(False)
    try:
        assert not t7.is_grad_enabled()
    finally:
        t7.set_grad_enabled(True)


def test_no_grad_restores_the_mode_after_an_exception():
    with pytest.raises(ValueError):
        with t7.no_grad():
            raise ValueError("boom")
    assert t7.is_grad_enabled()


def test_hooks_see_and_replace_gradients_and_can_be_removed():
    x = tensor([1.0, 2.0], True)
    y = op("mul", x, 3.0)
    seen = []
    handle = autograd.register_hook(y, lambda g: seen.append(value(g)))
    autograd.register_hook(x, lambda g: op("mul", g, 10.0))
    autograd.backward(op("sum", y), retain_graph=True)
    np.testing.assert_allclose(seen[0], [1.0, 1.0])
    np.testing.assert_allclose(value(x.grad), [30.0, 30.0])
    handle.remove()
    autograd.backward(op("sum", y))
    assert len(seen) == 1


def test_leaf_hook_runs_once_with_the_summed_gradient():
    x = tensor([1.0], True)
    seen = []
    autograd.register_hook(x, lambda g: seen.append(value(g)))
    autograd.backward(op("sum", op("add", op("mul", x, 2.0), op("mul", x, 5.0))))
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], [7.0])


def test_hook_on_a_tensor_without_grad_is_refused():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        autograd.register_hook(tensor([1.0]), lambda g: g)


def test_in_place_on_a_leaf_that_requires_grad_is_refused():
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        op("add_", tensor([1.0], True), 1.0)


def test_an_operation_without_gradient_says_so():
    with pytest.raises(NotImplementedError, match="not differentiable"):
        op("cumprod", tensor([1.0], True))


def test_graph_of_a_diamond_runs_each_node_once():
    x = tensor([0.5, -0.3], True)
    counts = []
    shared = op("tanh", x)
    autograd.register_hook(shared, lambda g: counts.append(1))
    loss = op("sum", op("add", op("mul", shared, shared), op("exp", shared)))
    autograd.backward(loss)
    t = np.tanh(value(x))
    np.testing.assert_allclose(value(x.grad), (2 * t + np.exp(t)) * (1 - t * t))
    assert len(counts) == 1


def test_backward_of_several_tensors_at_once():
    x = tensor([1.0, 2.0], True)
    a = op("sum", op("mul", x, 2.0))
    b = op("sum", op("mul", x, x))
    autograd.backward([a, b])
    np.testing.assert_allclose(value(x.grad), 2 + 2 * value(x))


def test_a_gradient_given_to_two_leaves_is_not_shared_between_them():
    from torch7_compat.autograd import Function
    from torch7_compat.autograd._arrays import fresh

    class Both(Function):
        @staticmethod
        def forward(ctx, a, b):
            return tensor(value(a) + value(b))

        @staticmethod
        def backward(ctx, grad):
            shared = fresh(tensor(value(grad)))     # one new tensor for both inputs
            return shared, shared
    a, b = tensor([1.0, 2.0], True), tensor([3.0, 4.0], True)
    autograd.backward(op("sum", Both.apply(a, b)))
    assert a.grad is not b.grad
    a.grad.numpy()[0] = 100.0
    assert value(b.grad)[0] == 1.0
