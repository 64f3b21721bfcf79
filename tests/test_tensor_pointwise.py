"""Pointwise kernels against numpy, on contiguous and strided operands of every type."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from tensor_cases import ALL_TYPES, FLOAT_TYPES, shapes, strided


def floats(dtype, shape, lo=-10, hi=10):
    return hnp.arrays(dtype, shape, elements=st.floats(lo, hi, width=32))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(FLOAT_TYPES)))
def test_binary_operations_match_numpy(t7, data, shape, type_name):
    dtype = FLOAT_TYPES[type_name]
    a = strided(data.draw(floats(dtype, shape)), data)
    b = strided(data.draw(floats(dtype, shape, 0.5, 10)), data)
    c = strided(data.draw(floats(dtype, shape, 0.5, 10)), data)
    v = data.draw(st.floats(-3, 3))
    results = t7.lua.execute("""
        local a, b, c, v = ...
        return torch.add(a, v), torch.add(a, v, b), torch.csub(a, b), torch.mul(a, v),
               torch.cmul(a, b), torch.cdiv(a, b), torch.addcmul(a, v, b, c),
               torch.addcdiv(a, v, b, c), torch.clamp(a, -1, 2), torch.pow(b, 1.5)
    """, t7.from_numpy(a), t7.from_numpy(b), t7.from_numpy(c), v)
    vf = dtype(v)
    expected = [a + vf, a + vf * b, a - b, a * vf, a * b, a / b, a + vf * b * c,
                a + vf * (b / c), np.clip(a, -1, 2), b ** dtype(1.5)]
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    for got, want in zip(results, expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=tolerance, atol=tolerance)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(FLOAT_TYPES)))
def test_functions_match_numpy(t7, data, shape, type_name):
    dtype = FLOAT_TYPES[type_name]
    a = strided(data.draw(floats(dtype, shape)), data)
    pos = np.abs(a) + dtype(0.1)
    results = t7.lua.execute("""
        local a, pos = ...
        return torch.abs(a), torch.neg(a), torch.sign(a), torch.sqrt(pos), torch.exp(a),
               torch.log(pos), torch.tanh(a), torch.sigmoid(a)
    """, t7.from_numpy(a), t7.from_numpy(pos))
    expected = [np.abs(a), -a, np.sign(a), np.sqrt(pos), np.exp(a), np.log(pos), np.tanh(a),
                1 / (1 + np.exp(-a.astype(np.float64)))]
    tolerance = 2e-6 if dtype == np.float32 else 1e-12
    for got, want in zip(results, expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=tolerance, atol=tolerance)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)))
def test_integer_and_float_arithmetic_in_every_type(t7, data, shape, type_name):
    dtype = ALL_TYPES[type_name]
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    lo, hi = (0, 10) if info is not None and info.min == 0 else (-10, 10)
    elements = st.integers(lo, hi)
    a = strided(data.draw(hnp.arrays(dtype, shape, elements=elements)), data)
    b = strided(data.draw(hnp.arrays(dtype, shape, elements=st.integers(1, 5))), data)
    added, product, quotient = t7.lua.execute(
        "local a, b = ...; return torch.add(a, 3), torch.cmul(a, b), torch.cdiv(a, b)",
        t7.from_numpy(a), t7.from_numpy(b))
    np.testing.assert_array_equal(added.numpy(), a + dtype(3))
    np.testing.assert_array_equal(product.numpy(), a * b)
    if info is not None:    # C division truncates toward zero, as Torch7
        np.testing.assert_array_equal(quotient.numpy(), np.trunc(a / b).astype(dtype))
    else:
        np.testing.assert_allclose(quotient.numpy(), a / b, rtol=1e-6)


def test_methods_work_in_place_and_default_to_self(lua):
    x, y = lua("""
        local x = torch.Tensor{1, 2, 3}
        local y = torch.Tensor{10, 20, 30}
        x:add(y)            -- x = x + y
        x:add(2, y)         -- x = x + 2y
        x:mul(0.5)
        local z = torch.Tensor(3):add(x, y)   -- z = x + y
        return x, z
    """)
    np.testing.assert_allclose(x.numpy(), 0.5 * (np.array([1, 2, 3]) + 3 * np.array([10, 20, 30])))
    np.testing.assert_allclose(y.numpy(), x.numpy() + [10, 20, 30])


def test_pointwise_needs_equal_counts_not_shapes(lua):
    # a documented quirk of the original: a 2x3 plus a 3x2 works, element by element
    r = lua("return torch.add(torch.range(1, 6):view(2, 3), 1, torch.range(1, 6):view(3, 2))")
    np.testing.assert_array_equal(r.numpy(), np.arange(1, 7).reshape(2, 3) * 2)


def test_integer_division_by_zero_is_an_error_not_a_crash(t7, lua):
    with pytest.raises(t7.LuaError, match="division by zero"):
        lua("return torch.cdiv(torch.LongTensor{1, 2}, torch.LongTensor{1, 0})")
    with pytest.raises(t7.LuaError, match="division by zero"):
        lua("return torch.IntTensor{4}:div(0)")
    # the smallest integer over -1 overflows in C; here it wraps, as two's complement does
    r = lua("return torch.LongTensor{-2^63, 7}:div(-1)")
    assert r.numpy().tolist() == [-2**63, -7]


def test_copy_converts_between_types_with_c_semantics(lua):
    values = lua("""
        local d = torch.Tensor{-1.7, 2.9, 300, 65.5}
        return torch.IntTensor(4):copy(d), torch.FloatTensor(4):copy(d),
               torch.ByteTensor(2):copy(torch.Tensor{1.9, 255})
    """)
    np.testing.assert_array_equal(values[0].numpy(), [-1, 2, 300, 65])
    np.testing.assert_allclose(values[1].numpy(), np.float32([-1.7, 2.9, 300, 65.5]))
    np.testing.assert_array_equal(values[2].numpy(), [1, 255])


def test_large_tensors_split_across_threads_agree_with_numpy(t7):
    a = np.random.default_rng(0).standard_normal((700, 300))
    b = np.random.default_rng(1).standard_normal((300, 700)).T  # transposed: strided walk
    r, total = t7.lua.execute("local a, b = ...; return torch.add(a, 0.5, b), a:sum()",
                              t7.from_numpy(a), t7.from_numpy(b))
    np.testing.assert_allclose(r.numpy(), a + 0.5 * b)
    assert total == pytest.approx(a.sum(), rel=1e-12)
