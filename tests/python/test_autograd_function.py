"""Custom Functions (forward/backward with a ctx) and gradcheck itself."""
import numpy as np
import pytest

from torch7_compat import autograd
from torch7_compat.autograd import Function, gradcheck
from autograd_cases import op, rand, tensor, value


class Cube(Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale
        return tensor(value(x) ** 3 * scale)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return tensor(value(grad) * 3 * value(x) ** 2 * ctx.scale), None


class SplitSigns(Function):
    """Two outputs: the positive and the negative parts."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        v = value(x)
        return tensor(np.maximum(v, 0)), tensor(np.minimum(v, 0))

    @staticmethod
    def backward(ctx, grad_positive, grad_negative):
        x, = ctx.saved_tensors
        v = value(x)
        return tensor(np.where(v > 0, value(grad_positive), value(grad_negative)))


def test_custom_function_forward_and_backward():
    x = tensor([1.0, -2.0, 0.5], True)
    y = Cube.apply(x, 2.0)
    np.testing.assert_allclose(value(y), 2 * value(x) ** 3)
    assert y.grad_fn is not None and y.grad_fn.name() == "CubeBackward"
    autograd.backward(op("sum", y))
    np.testing.assert_allclose(value(x.grad), 6 * value(x) ** 2)


def test_custom_function_passes_gradcheck():
    assert gradcheck(lambda x: Cube.apply(x, 0.7), (rand(4),))


def test_needs_input_grad_tells_which_inputs_need_a_gradient():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(ctx.needs_input_grad)
            return tensor(value(a) + value(b))

        @staticmethod
        def backward(ctx, grad):
            return grad, None
    autograd.backward(op("sum", Probe.apply(tensor([1.0], True), tensor([2.0]))))
    assert seen == [(True, False)]


def test_multiple_outputs_and_unused_output_gets_zeros():
    x = tensor([1.5, -0.5, 2.0], True)
    positive, negative = SplitSigns.apply(x)
    autograd.backward(op("sum", op("mul", positive, 3.0)))
    np.testing.assert_allclose(value(x.grad), [3.0, 0.0, 3.0])
    assert gradcheck(lambda t: SplitSigns.apply(t), (tensor([1.5, -0.5, 2.0], True),))


def test_function_without_grad_inputs_records_nothing():
    y = Cube.apply(tensor([2.0]), 1.0)
    assert y.grad_fn is None and not y.requires_grad


def test_wrong_number_of_gradients_is_reported():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return tensor(value(a) * value(b))

        @staticmethod
        def backward(ctx, grad):
            return grad
    y = Bad.apply(tensor([1.0], True), tensor([2.0], True))
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        autograd.backward(op("sum", y))


def test_returning_an_input_gives_a_new_tensor_in_the_graph():
    class Identity(Function):
        @staticmethod
        def forward(ctx, a):
            return a

        @staticmethod
        def backward(ctx, grad):
            return op("mul", grad, 2.0)
    x = tensor([1.0, 2.0], True)
    y = Identity.apply(x)
    assert y is not x and y.grad_fn is not None and x.grad_fn is None
    autograd.backward(op("sum", y))
    np.testing.assert_allclose(value(x.grad), [2.0, 2.0])


def test_gradcheck_catches_a_wrong_gradient():
    class WrongSquare(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return tensor(value(x) ** 2)

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return tensor(value(grad) * value(x))      # missing the factor 2
    with pytest.raises(autograd.GradcheckError, match="Jacobian mismatch"):
        gradcheck(WrongSquare.apply, (rand(3),))
    assert not gradcheck(WrongSquare.apply, (rand(3),), raise_exception=False)


def test_gradcheck_wants_float64():
    with pytest.raises(ValueError, match="float64"):
        gradcheck(lambda x: op("mul", x, 2.0), (tensor([1.0], True, np.float32),))
