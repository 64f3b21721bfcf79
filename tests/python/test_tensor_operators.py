"""Operators with numpy's broadcasting and PyTorch's promotion, checked against numpy."""
import operator

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import torch7_compat as t7

FLOAT_OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]


def both(array):
    return t7.tensor(array), array


@settings(max_examples=60, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4,
                                                max_side=4),
       op=st.sampled_from([operator.add, operator.sub, operator.mul, operator.truediv]),
       seed=st.integers(0, 2 ** 16))
def test_broadcast_arithmetic_matches_numpy(shapes, op, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2, shapes.input_shapes[0])
    b = rng.uniform(0.5, 2, shapes.input_shapes[1])
    r = op(t7.tensor(a), t7.tensor(b))
    expected = op(a, b)
    assert r.shape == expected.shape
    assert r.dtype == t7.float64
    np.testing.assert_allclose(r.numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("op", FLOAT_OPS + [operator.floordiv, operator.mod])
def test_number_on_either_side(op):
    a = np.array([[1.5, 2.0, 3.0], [4.0, 5.5, 6.0]], dtype=np.float32)
    t = t7.tensor(a)
    np.testing.assert_allclose(op(t, 2).numpy(), op(a, np.float32(2)), rtol=1e-6)
    np.testing.assert_allclose(op(2, t).numpy(), op(np.float32(2), a), rtol=1e-6)
    assert op(t, 2).dtype == t7.float32 and op(2.5, t).dtype == t7.float32


@pytest.mark.parametrize("op", [operator.floordiv, operator.mod])
def test_integer_floor_division_and_modulo_are_pythons(op):
    a = np.array([-7, -3, 0, 3, 7], dtype=np.int64)
    b = np.array([2, -2, 3, -4, 5], dtype=np.int64)
    np.testing.assert_array_equal(op(t7.tensor(a), t7.tensor(b)).numpy(), op(a, b))
    np.testing.assert_array_equal(op(t7.tensor(a), 3).numpy(), op(a, 3))


def test_type_promotion_follows_pytorch():
    i64 = t7.tensor([1, 2])
    f32 = t7.tensor([1.0, 2.0])
    f64 = t7.tensor([1.0, 2.0], dtype=t7.float64)
    u8 = t7.tensor([1, 2], dtype=t7.uint8)
    i8 = t7.tensor([1, 2], dtype=t7.int8)
    assert (i64 + f32).dtype == t7.float32      # PyTorch: float wins, keeps its width
    assert (f32 + f64).dtype == t7.float64
    assert (u8 + i8).dtype == t7.int16
    assert (i64 + 1.5).dtype == t7.float32      # an int tensor with a float number
    assert (f64 * 2).dtype == t7.float64
    assert (i64 / 2).dtype == t7.float32        # true division of integers gives floats
    np.testing.assert_allclose((i64 / 2).numpy(), [0.5, 1.0])
    assert (f32 + t7.tensor(2.0, dtype=t7.float64)).dtype == t7.float32   # 0-d: like a number
    assert t7.promote_types(t7.uint8, t7.int8) == t7.int16


def test_unary_minus_and_abs():
    a = np.array([-1.5, 0.0, 2.0], dtype=np.float32)
    np.testing.assert_array_equal((-t7.tensor(a)).numpy(), -a)
    np.testing.assert_array_equal(abs(t7.tensor(a)).numpy(), np.abs(a))


def test_comparisons_give_uint8_masks():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([3.0, 2.0, 1.0])
    ta, tb = t7.tensor(a), t7.tensor(b)
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        r = op(ta, tb)
        assert r.dtype == t7.uint8
        np.testing.assert_array_equal(r.numpy(), op(a, b).astype(np.uint8))
        np.testing.assert_array_equal(op(ta, 2).numpy(), op(a, 2).astype(np.uint8))
    np.testing.assert_array_equal((2 < ta).numpy(), (2 < a).astype(np.uint8))
    assert (ta == None) is False            # noqa: E711  (as PyTorch)


def test_in_place_operators_keep_identity_and_dtype():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = t7.tensor(a)
    same = t
    t += t7.tensor([1.0, 2.0, 3.0])          # broadcast onto t's shape
    t *= 2
    t -= 1
    t /= 4
    assert t is same and t.dtype == t7.float32
    np.testing.assert_allclose(t.numpy(), ((a + [1, 2, 3]) * 2 - 1) / 4, rtol=1e-6)
    i = t7.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match="can't be cast"):
        i += 1.5
    with pytest.raises(RuntimeError, match="broadcast"):
        t += t7.ones(3, 3)


def test_in_place_methods():
    t = t7.zeros(3)
    assert t.add_(t7.ones(3), alpha=2) is t
    np.testing.assert_array_equal(t.numpy(), [2, 2, 2])
    t.mul_(3).sub_(1).div_(5)
    np.testing.assert_allclose(t.numpy(), [1, 1, 1])
    t.fill_(4).clamp_(max=3)
    np.testing.assert_array_equal(t.numpy(), [3, 3, 3])
    t.zero_()
    assert t.sum().item() == 0
    t.copy_(t7.tensor([1.0, -2.0, 3.0]))
    np.testing.assert_array_equal(t.numpy(), [1, -2, 3])
    t.copy_(t7.tensor([5, 6, 7]))           # another dtype converts
    np.testing.assert_array_equal(t.numpy(), [5, 6, 7])


def test_in_place_add_on_a_view_writes_through():
    base = t7.zeros(3, 4)
    base[1] += 5
    base[:, 2] += t7.ones(3)
    expected = np.zeros((3, 4))
    expected[1] += 5
    expected[:, 2] += 1
    np.testing.assert_array_equal(base.numpy(), expected)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "tanh", "sin", "cos", "abs", "floor",
                                  "ceil", "round", "trunc", "log1p", "reciprocal", "rsqrt",
                                  "atan", "sign"])
def test_element_wise_functions(name):
    a = np.array([[0.3, 1.7], [2.5, 4.0]], dtype=np.float64)
    reference = {"reciprocal": lambda x: 1 / x, "rsqrt": lambda x: 1 / np.sqrt(x),
                 "round": lambda x: np.floor(x + 0.5)}.get(name, getattr(np, name, None))
    np.testing.assert_allclose(getattr(t7.tensor(a), name)().numpy(), reference(a),
                               rtol=1e-12)


def test_sigmoid_relu_clamp_and_integer_promotion():
    a = np.array([-2.0, -0.5, 0.0, 1.5], dtype=np.float32)
    t = t7.tensor(a)
    np.testing.assert_allclose(t.sigmoid().numpy(), 1 / (1 + np.exp(-a)), rtol=1e-6)
    np.testing.assert_array_equal(t.relu().numpy(), np.maximum(a, 0))
    np.testing.assert_array_equal(t.clamp(-1, 1).numpy(), np.clip(a, -1, 1))
    np.testing.assert_array_equal(t.clamp(min=0.1).numpy(), np.maximum(a, 0.1))
    i = t7.tensor([1, 4, 9])
    assert i.sqrt().dtype == t7.float32         # integers compute as floats, as PyTorch
    np.testing.assert_allclose(i.sqrt().numpy(), [1, 2, 3])
    with pytest.raises(RuntimeError, match="can't be cast"):
        i.sqrt_()


def test_pow_forms():
    a = np.array([1.0, 2.0, 3.0])
    t = t7.tensor(a)
    np.testing.assert_allclose((t ** 2).numpy(), a ** 2)
    np.testing.assert_allclose((2 ** t).numpy(), 2 ** a)
    np.testing.assert_allclose((t ** t).numpy(), a ** a)
    np.testing.assert_allclose(t.pow(0.5).numpy(), a ** 0.5)


@pytest.mark.parametrize("sa, sb", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)),
                                    ((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
                                    ((5, 2, 3), (3, 4)), ((2, 1, 2, 3), (4, 3, 2)),
                                    ((3,), (2, 3, 4)), ((2, 3, 4), (4,))])
def test_matmul_matches_numpy(sa, sb):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(sa)
    b = rng.standard_normal(sb)
    r = t7.tensor(a) @ t7.tensor(b)
    assert r.shape == np.matmul(a, b).shape
    np.testing.assert_allclose(r.numpy(), a @ b, rtol=1e-10, atol=1e-12)


def test_matmul_methods_and_errors():
    a = t7.ones(2, 3)
    b = t7.ones(3, 4)
    assert a.mm(b).shape == (2, 4)
    assert t7.ones(5, 2, 3).bmm(t7.ones(5, 3, 4)).shape == (5, 2, 4)
    assert t7.ones(3).dot(t7.ones(3)).item() == 3
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        a @ a
    with pytest.raises(RuntimeError, match="1D tensors expected"):
        a.dot(b)


def test_broadcast_mismatch_names_the_shapes():
    with pytest.raises(RuntimeError, match=r"\(2, 3\) and \(4,\)"):
        t7.ones(2, 3) + t7.ones(4)


def test_numpy_arrays_mix_with_tensors():
    a = np.arange(3, dtype=np.float32)
    t = t7.ones(3)
    r = a + t                     # __array_priority__: the tensor's reflected operator
    assert isinstance(r, t7.Tensor)
    np.testing.assert_array_equal(r.numpy(), a + 1)
    np.testing.assert_array_equal((t * a).numpy(), a)


def test_masked_fill_and_half_arithmetic():
    t = t7.arange(6).reshape(2, 3)
    r = t.masked_fill(t > 2, -1)
    np.testing.assert_array_equal(r.numpy(), np.where(np.arange(6).reshape(2, 3) > 2, -1,
                                                      np.arange(6).reshape(2, 3)))
    h = t7.tensor([1.5, 2.5], dtype=t7.float16)
    s = h + h
    assert s.dtype == t7.float16
    np.testing.assert_array_equal(s.numpy(), np.array([3.0, 5.0], dtype=np.float16))


def test_integer_division_by_zero_is_an_error_not_a_crash():
    with pytest.raises(t7.TensorError, match="division by zero"):
        t7.tensor([1, 2]) // t7.tensor([0, 1])


DTYPES = ["uint8", "int8", "int16", "int32", "int64", "float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.lt,
                                operator.eq, operator.floordiv, operator.mod])
def test_same_dtype_operations_match_numpy(dtype, op):
    rng = np.random.default_rng(3)
    a = rng.integers(1, 50, (3, 4)).astype(dtype)
    b = rng.integers(1, 50, (4,)).astype(dtype)
    r = op(t7.tensor(a), t7.tensor(b))
    expected = op(a, b)
    if expected.dtype == bool:
        expected = expected.astype(np.uint8)
    assert r.dtype == expected.dtype.name
    np.testing.assert_allclose(r.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_in_place_on_every_dtype(dtype):
    a = np.arange(1, 7).reshape(2, 3).astype(dtype)
    t = t7.tensor(a)
    t += t7.tensor(a[0])
    t *= 2
    expected = (a + a[0]) * 2
    np.testing.assert_array_equal(t.numpy(), expected.astype(dtype))


def test_non_contiguous_operands():
    a = np.arange(12.0).reshape(3, 4)
    t = t7.tensor(a)
    np.testing.assert_array_equal((t.t() * t.t()).numpy(), a.T * a.T)
    np.testing.assert_array_equal((t[:, ::2] + t[:, 1::2]).numpy(), a[:, ::2] + a[:, 1::2])
    np.testing.assert_array_equal((t.t()[:2] @ t[:, :2]).numpy(), a.T[:2] @ a[:, :2])
    u = t.t()
    u += 1                                       # in place through a transposed view
    np.testing.assert_array_equal(t.numpy(), a + 1)
