"""The element-wise functions and operations of the tensor math library against numpy, on
every layout (tensor_cases.any_layout) and every type each exists for."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tensor_cases import (ALL_TYPES, FLOAT_TYPES, INTEGER_TYPES, any_layout, assert_lua_error,
                          shapes)

# name -> (numpy reference in double, lowest and highest input drawn)
FUNCTIONS = {
    "abs": (np.abs, -10, 10), "sign": (np.sign, -10, 10), "neg": (np.negative, -10, 10),
    "cinv": (lambda x: 1 / x, 0.5, 10), "sqrt": (np.sqrt, 0, 10),
    "rsqrt": (lambda x: 1 / np.sqrt(x), 0.1, 10), "exp": (np.exp, -10, 10),
    "log": (np.log, 0.1, 10), "log1p": (np.log1p, -0.9, 10), "cos": (np.cos, -10, 10),
    "acos": (np.arccos, -1, 1), "cosh": (np.cosh, -5, 5), "sin": (np.sin, -10, 10),
    "asin": (np.arcsin, -1, 1), "sinh": (np.sinh, -5, 5), "tan": (np.tan, -1.5, 1.5),
    "atan": (np.arctan, -10, 10), "tanh": (np.tanh, -10, 10), "ceil": (np.ceil, -10, 10),
    "floor": (np.floor, -10, 10),
    "round": (lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5), -10, 10),   # half away from 0
    "trunc": (np.trunc, -10, 10), "frac": (lambda x: x - np.trunc(x), -10, 10),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), -10, 10),
}
EXACT = {"abs", "sign", "neg", "ceil", "floor", "round", "trunc", "frac"}


@settings(max_examples=30, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(FLOAT_TYPES)),
       name=st.sampled_from(sorted(FUNCTIONS)))
def test_functions_match_numpy_in_every_layout(t7, data, shape, type_name, name):
    dtype = FLOAT_TYPES[type_name]
    reference, lo, hi = FUNCTIONS[name]
    a = any_layout(data, dtype, shape, lo, hi)
    as_function, in_place, into_result = t7.lua.execute("""
        local name, a = ...
        local r, c = torch.Tensor():type(a:type()), a:clone()
        torch[name](r, a)
        c[name](c)
        return torch[name](a), c, r
    """, name, t7.from_numpy(a))
    want = reference(a.astype(np.float64)).astype(dtype)
    for got in (as_function, in_place, into_result):
        assert got.numpy().shape == a.shape
        if name in EXACT:
            np.testing.assert_array_equal(got.numpy(), want)
        else:
            tolerance = 4e-7 if dtype == np.float32 else 1e-14
            np.testing.assert_allclose(got.numpy(), want, rtol=tolerance, atol=tolerance)


def test_functions_of_numbers(lua):
    values = lua("""
        return torch.exp(1), torch.log1p(1e-10), torch.round(-2.5),
               torch.round(0.49999999999999994),
               torch.trunc(-2.7), torch.frac(-2.75), torch.sigmoid(0), torch.rsqrt(4),
               torch.atan2(1, 1), torch.lerp(1, 3, 0.25), torch.pow(2, 10), torch.abs(-3)
    """)
    want = [np.e, np.log1p(1e-10), -3, 0, -2, -0.75, 0.5, 0.5, np.pi / 4, 1.5, 1024, 3]
    np.testing.assert_allclose(values, want, rtol=1e-15)


def test_float_exp_is_within_one_ulp_of_the_exact_value(t7, lua):
    # the vectorised exp (vector_loops.pxi) against exp in double rounded to float, over
    # ranges with normal, subnormal and overflowing results, in both layouts
    x = np.concatenate([np.linspace(-104, 89, 200001, dtype=np.float32),
                        np.float32([-np.inf, np.inf, 0, -0.0, 88.72283, 88.72284, -87.3365])])
    contiguous, strided = lua("local x = ...; return torch.exp(x), torch.exp(x:view(-1, 1):t())",
                              t7.from_numpy(x))
    exact = np.exp(x.astype(np.float64))
    with np.errstate(over="ignore"):
        rounded = exact.astype(np.float32)
    for got in (contiguous.numpy(), strided.numpy().ravel()):
        assert np.array_equal(np.isinf(got), np.isinf(rounded))
        finite = np.isfinite(rounded)
        ulp = np.spacing(rounded[finite])
        assert (np.abs(got[finite] - rounded[finite]) <= ulp).all()
    nan = lua("return torch.exp(torch.FloatTensor{0/0})[1]")
    assert np.isnan(nan)


def test_float_tanh_is_within_two_ulp_of_the_exact_value(t7, lua):
    # the vectorised tanh (vector_loops.pxi): the polynomial below |x| = 0.625, the exp form
    # above, both signs, tiny and subnormal inputs, the limits; in both layouts
    tiny = np.float32([1e-45, 1e-38, 2 ** -20, 0.624999, 0.625, 0.625001])
    x = np.concatenate([np.linspace(-12, 12, 400001, dtype=np.float32), tiny, -tiny,
                        np.float32([0, -0.0, np.inf, -np.inf, 1e30, -1e30])])
    contiguous, strided = lua("""local x = ...
        return torch.tanh(x), torch.tanh(x:view(-1, 1):t())""", t7.from_numpy(x))
    rounded = np.tanh(x.astype(np.float64)).astype(np.float32)
    for got in (contiguous.numpy(), strided.numpy().ravel()):
        assert (np.abs(got - rounded) <= 2 * np.spacing(np.abs(rounded))).all()
        assert np.array_equal(np.signbit(got), np.signbit(x))      # -0 stays -0
    nan = lua("return torch.tanh(torch.FloatTensor{0/0})[1]")
    assert np.isnan(nan)


def scalar_reference(name, a, v):
    """The original's result of `a op v` (C semantics for integers)."""
    if name == "fmod":
        return np.fmod(a, a.dtype.type(v))
    if name == "remainder":
        return np.remainder(a, a.dtype.type(v))
    if name in ("lshift", "rshift"):
        if np.issubdtype(a.dtype, np.floating):
            return a * 2.0 ** v if name == "lshift" else a / 2.0 ** v
        unsigned = a.view(np.dtype("u%d" % a.itemsize))   # shifts of the unsigned form
        return (unsigned << v if name == "lshift" else unsigned >> v).view(a.dtype)
    if name == "bitand":
        return a & a.dtype.type(v)
    if name == "bitor":
        return a | a.dtype.type(v)
    if name == "bitxor":
        return a ^ a.dtype.type(v)
    if name == "cmax":
        return np.maximum(a, a.dtype.type(v))
    return np.minimum(a, a.dtype.type(v))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)),
       name=st.sampled_from(["fmod", "remainder", "lshift", "rshift", "bitand", "bitor",
                             "bitxor", "cmax", "cmin"]))
def test_operations_with_a_number_match_numpy(t7, data, shape, type_name, name):
    dtype = ALL_TYPES[type_name]
    integer = np.issubdtype(dtype, np.integer)
    if name.startswith("bit") and not integer:
        return
    a = any_layout(data, dtype, shape)
    if name in ("lshift", "rshift"):
        v = data.draw(st.integers(0, 8 * np.dtype(dtype).itemsize - 1 if integer else 5))
    elif name in ("fmod", "remainder"):
        v = data.draw(st.integers(1, 7)) * data.draw(st.sampled_from([1, -1] if dtype != np.uint8
                                                                     else [1]))
    else:
        v = data.draw(st.integers(-10, 10) if dtype != np.uint8 else st.integers(0, 10))
    got = t7.lua.execute("local name, a, v = ...; return torch[name](a, v)", name,
                         t7.from_numpy(a), v).numpy()
    want = scalar_reference(name, a, v)
    if integer:
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


TENSOR_OPERATIONS = {"cfmod": np.fmod, "cremainder": np.remainder, "cbitand": np.bitwise_and,
                     "cbitor": np.bitwise_or, "cbitxor": np.bitwise_xor, "cmax": np.maximum,
                     "cmin": np.minimum}


def tensor_reference(name, a, b):
    """The original's result of `a op b` for integers: C's operators, shifts of the
    unsigned form."""
    if name in TENSOR_OPERATIONS:
        return TENSOR_OPERATIONS[name](a, b)
    unsigned = np.dtype("u%d" % a.itemsize)
    if name == "clshift":
        return (a.view(unsigned) << b.astype(unsigned)).view(a.dtype)
    return (a.view(unsigned) >> b.astype(unsigned)).view(a.dtype)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(INTEGER_TYPES)),
       name=st.sampled_from(["cfmod", "cremainder", "clshift", "crshift", "cbitand",
                             "cbitor", "cbitxor", "cmax", "cmin"]))
def test_integer_operations_between_tensors_match_numpy(t7, data, shape, type_name, name):
    dtype = INTEGER_TYPES[type_name]
    a = any_layout(data, dtype, shape)
    if name in ("clshift", "crshift"):
        b = any_layout(data, dtype, shape, 0, 8 * np.dtype(dtype).itemsize - 1)
    elif name in ("cfmod", "cremainder"):
        b = any_layout(data, dtype, shape, 1, 7)
    else:
        b = any_layout(data, dtype, shape)
    got = t7.lua.execute("local name, a, b = ...; return torch[name](a, b)", name,
                         t7.from_numpy(a), t7.from_numpy(b)).numpy()
    np.testing.assert_array_equal(got, tensor_reference(name, a, b))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(FLOAT_TYPES)))
def test_floating_operations_between_tensors_and_powers(t7, data, shape, type_name):
    dtype = FLOAT_TYPES[type_name]
    a = any_layout(data, dtype, shape, 0.5, 4)
    b = any_layout(data, dtype, shape, -3, 3)
    w = data.draw(st.floats(0, 1))
    e = data.draw(st.sampled_from([1, 2, 3, 0.5, -0.5, -1, -2, 1.7, -2.3]))
    results = t7.lua.execute("""
        local a, b, w, e = ...
        return torch.cpow(a, b), torch.cfmod(b, a), torch.cremainder(b, a), torch.cmax(a, b),
               torch.cmin(a, b), torch.atan2(a, b), torch.lerp(a, b, w), torch.pow(a, e),
               torch.pow(2.5, b), torch.clshift(a, b), torch.crshift(a, b)
    """, t7.from_numpy(a), t7.from_numpy(b), w, e)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    # the remainder divides in the element type, then floors and subtracts in double
    want = [a64 ** b64, np.fmod(b64, a64), b64 - a64 * np.floor(b / a), np.maximum(a, b),
            np.minimum(a, b), np.arctan2(a64, b64), a64 + w * (b64 - a64), a64 ** e,
            2.5 ** b64, a64 * 2 ** b64, a64 / 2 ** b64]
    tolerance = 3e-6 if dtype == np.float32 else 1e-13
    for got, expected in zip(results, want):
        np.testing.assert_allclose(got.numpy(), expected.astype(dtype), rtol=tolerance,
                                   atol=tolerance)


def test_the_modulo_operator_is_the_remainder_with_the_divisor_sign(lua):
    r, neg, ints = lua("""
        local x = torch.Tensor{{1, 2}, {3, 4}}
        return x % 3, torch.Tensor{-5, 5, -0.5} % -3, torch.IntTensor{-7, 7} % 3
    """)
    np.testing.assert_array_equal(r.numpy(), [[1, 2], [0, 1]])      # the documented example
    np.testing.assert_allclose(neg.numpy(), [-2, -1, -0.5])
    np.testing.assert_array_equal(ints.numpy(), [2, 1])


def test_in_place_and_result_forms_of_the_operations(lua):
    x, r, y, z, p = lua("""
        local x = torch.Tensor{1, 5, -2}
        x:cmax(0):cmin(4)                     -- in place, chained
        local r = torch.Tensor()
        torch.fmod(r, torch.Tensor{7, -7}, 3)  -- into r
        local y = torch.Tensor{2, 3}
        y:cpow(torch.Tensor{3, 2})             -- y = y ^ t
        local z = torch.Tensor(2)
        z:pow(2, torch.Tensor{3, 4})           -- z = 2 ^ t
        local p = torch.Tensor{1, 2}:pow(2)
        return x, r, y, z, p
    """)
    np.testing.assert_array_equal(x.numpy(), [1, 4, 0])
    np.testing.assert_array_equal(r.numpy(), [1, -1])
    np.testing.assert_array_equal(y.numpy(), [8, 9])
    np.testing.assert_array_equal(z.numpy(), [8, 16])
    np.testing.assert_array_equal(p.numpy(), [1, 4])


def test_empty_and_one_element_tensors(lua):
    empty_sizes, one = lua("""
        local e = torch.Tensor()
        local sizes = {torch.exp(e):nElement(), torch.add(e, 1):nElement(),
                       torch.cmul(e, e):nElement(), torch.fmod(e, 2):nElement()}
        local o = torch.Tensor{-2}
        return sizes, {torch.abs(o)[1], torch.remainder(o, 3)[1], torch.cpow(o, o)[1]}
    """)
    assert list(empty_sizes.values()) == [0, 0, 0, 0]
    assert list(one.values()) == [2, 1, 0.25]


@pytest.mark.parametrize("code, message", [
    ("torch.bitand(torch.Tensor{1}, 1)", "bitand is only supported for integer type tensors"),
    ("torch.cbitxor(torch.FloatTensor{1}, torch.FloatTensor{1})",
     "cbitxor is only supported for integer type tensors"),
    ("torch.IntTensor{5}:fmod(0)", "integer division by zero"),
    ("torch.LongTensor{5}:cremainder(torch.LongTensor{0})", "integer division by zero"),
    ("torch.add(torch.Tensor(2), torch.Tensor(3))", "inconsistent tensor size"),
    ("torch.exp(torch.IntTensor{1})",
     "torch.IntTensor does not implement the torch.exp() function"),
    ("torch.cpow(torch.Tensor(2), torch.FloatTensor(2))", "invalid arguments"),
    ("torch.Tensor{1} % torch.Tensor{1}", "modulo of a tensor is only by a number"),
])
def test_bad_operations_give_messages(t7, code, message):
    assert_lua_error(t7, code, message)


def test_integer_extremes_do_not_trap(lua):
    # x % -1 and the smallest integer over -1 would trap in C
    remainder, quotient = lua("""
        local x = torch.LongTensor{-2^63, 7}
        return torch.fmod(x, -1), torch.IntTensor{-2^31}:div(-1)
    """)
    assert remainder.numpy().tolist() == [0, 0]
    assert quotient.numpy().tolist() == [-2**31]


@settings(max_examples=30, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(INTEGER_TYPES)))
def test_integer_abs_neg_and_sign(t7, data, shape, type_name):
    dtype = INTEGER_TYPES[type_name]
    a = any_layout(data, dtype, shape)
    signs = t7.lua.execute("return torch.sign(...)", t7.from_numpy(a)).numpy()
    np.testing.assert_array_equal(signs, np.sign(a))
    if dtype != np.uint8:      # the original has abs and neg on signed types only
        absolute, negated = t7.lua.execute("local a = ...; return torch.abs(a), torch.neg(a)",
                                           t7.from_numpy(a))
        np.testing.assert_array_equal(absolute.numpy(), np.abs(a))
        np.testing.assert_array_equal(negated.numpy(), -a)


def test_match_gives_scaled_squared_distances(t7, lua):
    rng = np.random.default_rng(5)
    m1, m2 = rng.standard_normal((4, 2, 3)), rng.standard_normal((5, 6))
    got = lua("local m1, m2 = ...; return torch.match(m1, m2, 0.5)", t7.from_numpy(m1),
              t7.from_numpy(m2))
    rows1, rows2 = m1.reshape(4, 6), m2
    want = 0.5 * ((rows1[:, None, :] - rows2[None, :, :]) ** 2).sum(-1)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [0, 1, 3])
def test_large_results_written_around_the_caches(t7, lua, dtype, offset):
    # results of 4 MiB and more go out by non-temporal stores (vector_loops.pxi), from the
    # first 16-byte boundary of the result on
    n = (1 << 22) // np.dtype(dtype).itemsize + 5
    rng = np.random.default_rng(offset)
    a, b = rng.standard_normal(n).astype(dtype), rng.standard_normal(n).astype(dtype)
    total, product, in_place = lua("""
        local a, b, offset = ...
        local r = a.new(a:size(1) + offset):narrow(1, 1 + offset, a:size(1))
        local s = r:clone()
        r:add(a, b)
        s:cmul(a, b)
        local c = a:clone()
        c:add(b)
        return r, s, c
    """, t7.from_numpy(a), t7.from_numpy(b), offset)
    np.testing.assert_array_equal(total.numpy(), a + b)
    np.testing.assert_array_equal(product.numpy(), a * b)
    np.testing.assert_array_equal(in_place.numpy(), a + b)
