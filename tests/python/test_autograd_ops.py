"""gradcheck (float64) on every differentiable tensor operation, with broadcasting."""
import numpy as np
import pytest

from torch7_compat import autograd
from torch7_compat.autograd import gradcheck
from autograd_cases import RNG, op, rand, tensor, value


def positive(*shape):
    return tensor(RNG.uniform(0.5, 2.0, shape), True)


CASES = {
    "add": (lambda a, b: op("add", a, b), (rand(3, 4), rand(4))),
    "add_alpha": (lambda a, b: op("add", a, b, alpha=2.5), (rand(3, 1), rand(1, 4))),
    "radd": (lambda a: op("__radd__", a, 2.0), (rand(3),)),
    "sub": (lambda a, b: op("sub", a, b), (rand(2, 3), rand(2, 1))),
    "rsub": (lambda a: op("__rsub__", a, 1.5), (rand(3),)),
    "mul": (lambda a, b: op("mul", a, b), (rand(2, 3), rand(3))),
    "div": (lambda a, b: op("div", a, b), (rand(2, 3), positive(2, 3))),
    "rtruediv": (lambda a: op("__rtruediv__", a, 2.0), (positive(3),)),
    "neg": (lambda a: op("neg", a), (rand(4),)),
    "pow_scalar": (lambda a: op("pow", a, 3), (rand(4),)),
    "pow_tensor": (lambda a, b: op("pow", a, b), (positive(3), rand(3))),
    "rpow": (lambda a: op("__rpow__", a, 2.0), (rand(3),)),
    "matmul_mm": (lambda a, b: op("matmul", a, b), (rand(3, 4), rand(4, 2))),
    "matmul_mv": (lambda a, b: op("matmul", a, b), (rand(3, 4), rand(4))),
    "matmul_vm": (lambda a, b: op("matmul", a, b), (rand(4), rand(4, 2))),
    "matmul_dot": (lambda a, b: op("matmul", a, b), (rand(4), rand(4))),
    "matmul_batched": (lambda a, b: op("matmul", a, b), (rand(2, 3, 4), rand(4, 2))),
    "mm": (lambda a, b: op("mm", a, b), (rand(2, 3), rand(3, 2))),
    "sum_all": (lambda a: op("sum", a), (rand(3, 4),)),
    "sum_dim": (lambda a: op("sum", a, 1), (rand(3, 4),)),
    "sum_dims_keepdim": (lambda a: op("sum", a, (0, 2), keepdim=True), (rand(2, 3, 4),)),
    "mean_all": (lambda a: op("mean", a), (rand(3, 4),)),
    "mean_dim": (lambda a: op("mean", a, -1, True), (rand(3, 4),)),
    "exp": (lambda a: op("exp", a), (rand(4),)),
    "log": (lambda a: op("log", a), (positive(4),)),
    "tanh": (lambda a: op("tanh", a), (rand(4),)),
    "sigmoid": (lambda a: op("sigmoid", a), (rand(4),)),
    "relu": (lambda a: op("relu", a), (tensor([-1.0, -0.2, 0.3, 2.0], True),)),
    "sqrt": (lambda a: op("sqrt", a), (positive(4),)),
    "abs": (lambda a: op("abs", a), (tensor([-1.0, -0.2, 0.3, 2.0], True),)),
    "sin": (lambda a: op("sin", a), (rand(4),)),
    "cos": (lambda a: op("cos", a), (rand(4),)),
    "clamp": (lambda a: op("clamp", a, -0.5, 0.5), (tensor([-1.0, -0.2, 0.3, 2.0], True),)),
    "clamp_min": (lambda a: op("clamp", a, min=0.0), (tensor([-1.0, 0.3], True),)),
    "view": (lambda a: op("view", a, 4, 3), (rand(3, 4),)),
    "reshape_tuple": (lambda a: op("reshape", a, (2, -1)), (rand(3, 4),)),
    "flatten": (lambda a: op("flatten", a, 1), (rand(2, 3, 4),)),
    "transpose": (lambda a: op("transpose", a, 0, 2), (rand(2, 3, 4),)),
    "t": (lambda a: op("t", a), (rand(2, 3),)),
    "permute": (lambda a: op("permute", a, 2, 0, 1), (rand(2, 3, 4),)),
    "squeeze": (lambda a: op("squeeze", a), (rand(2, 1, 3),)),
    "squeeze_dim": (lambda a: op("squeeze", a, 1), (rand(2, 1, 3),)),
    "unsqueeze": (lambda a: op("unsqueeze", a, -1), (rand(2, 3),)),
    "expand": (lambda a: op("expand", a, 2, 3, 4), (rand(3, 1),)),
    "contiguous": (lambda a: op("contiguous", a), (rand(3),)),
    "clone": (lambda a: op("clone", a), (rand(3),)),
    "getitem_int_slice": (lambda a: op("__getitem__", a, (1, slice(0, 3, 2))), (rand(3, 4),)),
    "getitem_negative_step": (lambda a: op("__getitem__", a, slice(None, None, -1)),
                              (rand(4),)),
    "getitem_none_ellipsis": (lambda a: op("__getitem__", a, (None, Ellipsis, 1)),
                              (rand(2, 3),)),
    "getitem_index_array": (lambda a: op("__getitem__", a, tensor([0, 2, 0], dtype=np.int64)),
                            (rand(3, 2),)),
    "getitem_bool_mask": (lambda a: op("__getitem__", a, np.array([True, False, True])),
                          (rand(3, 2),)),
    "cat": (lambda a, b: op("cat", [a, b], 1), (rand(2, 3), rand(2, 2))),
    "stack": (lambda a, b: op("stack", [a, b], 0), (rand(2, 3), rand(2, 3))),
    "max_dim": (lambda a: op("max", a, 1)[0], (rand(3, 4),)),
    "min_dim_keepdim": (lambda a: op("min", a, 0, True)[0], (rand(3, 4),)),
    "max_all": (lambda a: op("max", a), (rand(3, 4),)),
    "softmax_method": (lambda a: op("softmax", a, 1), (rand(2, 3),)),
    "logsumexp": (lambda a: op("logsumexp", a, 1, False), (rand(2, 3),)),
    "prod_all": (lambda a: op("prod", a), (rand(2, 3),)),
    "prod_dim_with_zero": (lambda a: op("prod", a, 1, True),
                           (tensor([[1.5, 0.0, -2.0], [0.5, 3.0, 1.0]], True),)),
    "var_std_norm": (lambda a: op("add", op("var", a, 1), op("std", a, 1, False)),
                     (rand(2, 4),)),
    "norm_1": (lambda a: op("norm", a, 1, 0), (rand(3, 2),)),
    "cumsum": (lambda a: op("cumsum", a, 0), (rand(3, 2),)),
    "amax": (lambda a: op("amax", a, 1), (rand(3, 4),)),
    "where": (lambda a, b: op("where", tensor([True, False, True], dtype=np.uint8), a, b),
              (rand(3), rand(3))),
    "masked_fill": (lambda a: op("masked_fill", a, tensor([1, 0, 1], dtype=np.uint8), 2.0),
                    (rand(3),)),
    "maximum": (lambda a, b: op("maximum", a, b), (rand(3), rand(3))),
    "narrow_select": (lambda a: op("select", op("narrow", a, 1, 1, 2), 0, 1), (rand(3, 4),)),
    "reciprocal_rsqrt_square": (lambda a: op("add", op("reciprocal", a),
                                             op("rsqrt", op("square", a))), (positive(3),)),
    "log_softmax_method": (lambda a: op("log_softmax", a, 0), (rand(2, 3),)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck(name):
    fn, inputs = CASES[name]
    assert gradcheck(fn, inputs)


def test_forward_values_match_numpy():
    a, b = rand(3, 4), rand(4)
    np.testing.assert_allclose(value(op("add", a, b)), value(a) + value(b))
    np.testing.assert_allclose(value(op("matmul", a, op("unsqueeze", b, 1))),
                               value(a) @ value(b)[:, None])
    np.testing.assert_allclose(value(op("sum", a, 0)), value(a).sum(0))
    values, indices = op("max", a, 1)
    np.testing.assert_allclose(value(values), value(a).max(1))
    np.testing.assert_array_equal(value(indices), value(a).argmax(1))
    assert not indices.requires_grad


def test_cast_sends_the_gradient_back_in_the_input_type():
    x = tensor([1.0, 2.0], True)
    y = op("to", x, "float32")
    assert y.lua_type == "torch.FloatTensor" and y.requires_grad
    autograd.backward(op("sum", op("mul", y, 3.0)))
    assert x.grad.lua_type == "torch.DoubleTensor"
    np.testing.assert_allclose(value(x.grad), [3.0, 3.0])


def test_index_array_with_repeats_accumulates():
    x = tensor([1.0, 2.0, 3.0], True)
    autograd.backward(op("sum", op("__getitem__", x, tensor([0, 0, 2], dtype=np.int64))))
    np.testing.assert_allclose(value(x.grad), [2.0, 0.0, 1.0])


def test_broadcast_gradient_is_summed_to_the_input_shape():
    a, b = rand(3, 4), tensor(np.ones((1, 4)), True)
    autograd.backward(op("sum", op("mul", a, b)))
    assert b.grad.shape == (1, 4)
    np.testing.assert_allclose(value(b.grad), value(a).sum(0, keepdims=True))


def test_max_ties_share_the_gradient():
    x = tensor([1.0, 3.0, 3.0], True)
    autograd.backward(op("max", x))
    np.testing.assert_allclose(value(x.grad), [0.0, 0.5, 0.5])


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError):
        op("add", rand(3), rand(4))
    with pytest.raises(ValueError):
        op("matmul", rand(2, 3), rand(2, 3))


def test_dimension_out_of_range():
    with pytest.raises(IndexError, match="Dimension out of range"):
        op("sum", rand(2, 3), 2)
