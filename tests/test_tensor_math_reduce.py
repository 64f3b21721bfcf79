"""Reductions (over everything and along a dimension, which stays with size 1), running sums
and products, cross products, renormalisation and histograms, against numpy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from tensor_cases import ALL_TYPES, FLOAT_TYPES, any_layout, assert_lua_error

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=7)


def wrapped(values, dtype):
    """Results stored as the original stores its long accumulators: integers wrap."""
    if np.issubdtype(dtype, np.integer):
        return np.asarray(values).astype(np.int64).astype(dtype)
    return np.asarray(values).astype(dtype)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)))
def test_sums_and_products_match_numpy(t7, data, shape, type_name):
    dtype = ALL_TYPES[type_name]
    a = any_layout(data, dtype, shape, -3, 3)
    dim = data.draw(st.integers(1, len(shape)))
    total, product, sums, products, cumsum, cumprod, into = t7.lua.execute("""
        local a, d = ...
        local r = a.new()
        torch.sum(r, a, d)
        return a:sum(), torch.prod(a), a:sum(d), torch.prod(a, d), torch.cumsum(a, d),
               a:cumprod(d), r
    """, t7.from_numpy(a), dim)
    axis = dim - 1
    wide = a.astype(np.float64)
    assert total == pytest.approx(wide.sum(), rel=1e-12, abs=1e-12)
    assert product == pytest.approx(wide.prod(), rel=1e-12, abs=1e-12)
    tolerance = 1e-6 if dtype == np.float32 else 1e-12
    for got, want in [(sums, wrapped(wide.sum(axis, keepdims=True), dtype)),
                      (products, wrapped(wide.prod(axis, keepdims=True), dtype)),
                      (into, wrapped(wide.sum(axis, keepdims=True), dtype)),
                      (cumsum, wrapped(np.cumsum(wide, axis), dtype)),
                      (cumprod, wrapped(np.cumprod(wide, axis), dtype))]:
        assert got.numpy().shape == want.shape
        np.testing.assert_allclose(got.numpy(), want, rtol=tolerance, atol=tolerance)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(FLOAT_TYPES)),
       biased=st.booleans(), p=st.sampled_from([0, 1, 2, 3, 0.5, float("inf")]))
def test_statistics_and_norms_match_numpy(t7, data, shape, type_name, biased, p):
    dtype = FLOAT_TYPES[type_name]
    a = any_layout(data, dtype, shape)
    b = any_layout(data, dtype, shape)
    dim = data.draw(st.integers(1, len(shape)))
    got = t7.lua.execute("""
        local a, b, d, biased, p = ...
        return a:mean(), torch.mean(a, d), a:var(biased), torch.var(a, d, biased),
               a:std(biased), a:std(d, biased), a:norm(p), torch.norm(a, p, d), a:dist(b, p)
    """, t7.from_numpy(a), t7.from_numpy(b), dim, biased, p)
    axis, wide, ddof = dim - 1, a.astype(np.float64), 0 if biased else 1

    def norm(x, axis=None):
        return np.linalg.norm(x.ravel(), p) if axis is None else \
            np.linalg.norm(x, p, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = [wide.mean(), wide.mean(axis, keepdims=True), wide.var(ddof=ddof),
                wide.var(axis, ddof=ddof, keepdims=True), wide.std(ddof=ddof),
                wide.std(axis, ddof=ddof, keepdims=True), norm(wide), norm(wide, axis),
                norm((a - b).astype(np.float64))]
    tolerance = 2e-6 if dtype == np.float32 else 1e-12
    for value, expected in zip(got, want):
        value = value.numpy() if hasattr(value, "numpy") else value
        np.testing.assert_allclose(value, np.asarray(expected).astype(dtype if
                                   np.ndim(expected) else np.float64), rtol=tolerance,
                                   atol=tolerance)


def test_variance_is_accurate_far_from_zero(lua):
    # the one-pass formula (sum of squares minus squared sum) loses every digit here
    var_all, var_rows = lua("""
        local x = torch.Tensor{1e9 + 1, 1e9 + 2, 1e9 + 3}
        return x:var(), x:view(1, 3):var(2)
    """)
    assert var_all == 1
    assert var_rows.numpy().tolist() == [[1]]


def test_sums_along_strided_dimensions_add_in_order(lua):
    # summing over the first dimension of a contiguous matrix reads it row by row
    # (reduce.pxi's accumulate_dim_range); each output still adds its terms in order
    got, rows = lua("""
        local x = torch.Tensor{{1e16, 1, 1}, {1, 1e16, 1}, {-1e16, -1e16, 1}}
        return x:sum(1), x:t():sum(2)
    """)
    np.testing.assert_array_equal(got.numpy(), [[0, 0, 3]])
    np.testing.assert_array_equal(rows.numpy(), [[0], [0], [3]])


def test_large_reductions_split_across_threads(t7, lua):
    a = np.random.default_rng(3).standard_normal((300, 400)).astype(np.float32)
    got = lua("""
        local a = ...
        torch.setnumthreads(2)
        local results = {a:sum(), a:sum(1), a:t():sum(1), a:norm(), a:max(), a:var()}
        torch.setnumthreads(1)
        return unpack(results)
    """, t7.from_numpy(a))
    wide = a.astype(np.float64)
    assert got[0] == pytest.approx(wide.sum(), rel=1e-12)
    np.testing.assert_allclose(got[1].numpy(), wide.sum(0, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(got[2].numpy(), wide.sum(1)[None, :], rtol=1e-6)
    assert got[3] == pytest.approx(np.sqrt((wide ** 2).sum()), rel=1e-12)
    assert got[4] == a.max()
    assert got[5] == pytest.approx(wide.var(ddof=1), rel=1e-10)


def test_max_and_min_let_nan_win_and_report_the_first_extreme(lua):
    got = lua("""
        local x = torch.Tensor{{3, 0/0, 7}, {5, 5, 1}}
        local v, i = x:max(2)
        local w, j = torch.min(x, 2)
        return v, i, w, j, x:max(), (torch.Tensor{2, 9, 9}:max(1))
    """)
    v, i, w, j, overall, first = got
    assert np.isnan(v.numpy()[0, 0]) and v.numpy()[1, 0] == 5
    assert i.numpy().tolist() == [[2], [1]]          # the NaN; the first of two fives
    assert np.isnan(w.numpy()[0, 0]) and j.numpy().tolist() == [[2], [3]]
    assert np.isnan(overall)
    assert first.numpy().tolist() == [9]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)))
def test_extremes_along_a_dimension_match_numpy(t7, data, shape, type_name):
    # few distinct values, so ties are common; NaNs in floating types: the first one wins
    dtype = ALL_TYPES[type_name]
    a = any_layout(data, dtype, shape, -2, 2)
    if np.issubdtype(dtype, np.floating):
        holes = data.draw(hnp.arrays(bool, shape, elements=st.booleans().map(
            lambda b: b and data.draw(st.integers(0, 9)) == 0)))
        a[holes] = np.nan
    dim = data.draw(st.integers(1, len(shape)))
    got = t7.lua.execute("""
        local a, d = ...
        local v, i = a:max(d)
        local w, j = torch.min(a, d)
        return v, i, w, j
    """, t7.from_numpy(a), dim)
    axis = dim - 1
    for (values, indices), pick, arg in [(got[:2], np.max, np.argmax),
                                         (got[2:], np.min, np.argmin)]:
        np.testing.assert_array_equal(values.numpy(), pick(a, axis, keepdims=True))
        np.testing.assert_array_equal(indices.numpy(), arg(a, axis, keepdims=True) + 1)


def test_result_first_forms_fill_the_given_tensors(lua):
    values, indices, same_values, cumulative = lua("""
        local x = torch.Tensor{{1, 8, 3}, {9, 2, 4}}
        local v, i = torch.Tensor(), torch.LongTensor()
        local v2, i2 = torch.max(v, i, x, 2)
        local c = torch.Tensor()
        torch.cumsum(c, x, 2)
        return v, i, v2 == v and i2 == i, c
    """)
    assert values.numpy().tolist() == [[8], [9]]
    assert indices.numpy().tolist() == [[2], [1]]
    assert same_values
    assert cumulative.numpy().tolist() == [[1, 9, 12], [9, 11, 15]]


def test_cross_products(t7, lua):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((4, 3, 5)), rng.standard_normal((4, 3, 5))
    first_three, along_1, in_place = lua("""
        local a, b = ...
        local c = a:clone()
        c:cross(c, b, 2)       -- the result aliasing an operand
        return torch.cross(a, b), a:cross(b, 2), c
    """, t7.from_numpy(a), t7.from_numpy(b))
    want = np.cross(a, b, axis=1)
    for got in (first_three, along_1, in_place):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)


def test_renorm_scales_only_the_rows_above_the_limit(t7, lua):
    x = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    renormed, in_place = lua("""
        local x = ...
        local y = x:clone()
        y:renorm(2, 1, 1)
        return torch.renorm(x, 2, 1, 1), y
    """, t7.from_numpy(x))
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    want = np.where(norms > 1, x / (norms + 1e-7), x)
    for got in (renormed, in_place):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)


def test_trace_and_numel(lua):
    assert lua("return torch.trace(torch.range(1, 12):view(3, 4)), "
               "torch.range(1, 12):view(3, 4):t():trace(), torch.numel(torch.Tensor(2, 5))") \
        == (1 + 6 + 11, 1 + 6 + 11, 10)


def test_histograms(t7, lua):
    x = np.array([2, 4, 2, 2, 5, 4, 0.5, 9], dtype=np.float64)
    counts, automatic, rows = lua("""
        local x = ...
        local rows = torch.Tensor{{1, 2, 2, 3}, {5, 5, 5, 0}}
        return torch.histc(x, 5, 1, 5), torch.histc(x, 4), torch.bhistc(rows, 3, 1, 4)
    """, t7.from_numpy(x))
    in_range = x[(x >= 1) & (x <= 5)]
    np.testing.assert_array_equal(counts.numpy(), np.histogram(in_range, 5, (1, 5))[0])
    np.testing.assert_array_equal(automatic.numpy(), np.histogram(x, 4, (x.min(), x.max()))[0])
    np.testing.assert_array_equal(rows.numpy(), [[1, 2, 1], [0, 0, 0]])


def test_empty_tensors(t7, lua):
    assert lua("return torch.Tensor():sum(), torch.Tensor():prod(), torch.Tensor():norm()") \
        == (0, 1, 0)
    with pytest.raises(t7.LuaError, match="tensor must have one dimension"):
        lua("return torch.Tensor():max()")
    with pytest.raises(t7.LuaError, match="dimension 1 out of range of 0D tensor"):
        lua("return torch.Tensor():sum(1)")


@pytest.mark.parametrize("code, message", [
    ("torch.sum(torch.Tensor(2, 3), 3)", "dimension 3 out of range of 2D tensor"),
    ("torch.cross(torch.Tensor(2, 4), torch.Tensor(2, 4))", "no dimension of size 3 in a: [2 x 4]"),
    ("torch.cross(torch.Tensor(3, 4), torch.Tensor(4, 3))",
     "inconsistent tensor sizes [3 x 4], [4 x 3]"),
    ("torch.cross(torch.Tensor(3, 4), torch.Tensor(3, 4), 2)", "dimension 2 does not have size 3"),
    ("torch.renorm(torch.Tensor(3), 2, 1, 1)", "need at least 2 dimensions, got 1 dimensions"),
    ("torch.renorm(torch.Tensor(3, 2), 0, 1, 1)", "non-positive-norm not supported"),
    ("torch.trace(torch.Tensor(3))", "expected a matrix"),
    ("torch.bhistc(torch.Tensor(3))", "invalid dimension 1, the input must be a 2d tensor"),
    ("torch.mean(torch.IntTensor(3))", "torch.IntTensor does not implement the torch.mean()"),
])
def test_reduction_errors(t7, code, message):
    assert_lua_error(t7, code, message)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), type_name=st.sampled_from(sorted(ALL_TYPES)))
def test_cross_products_along_any_dimension(t7, data, type_name):
    dtype = ALL_TYPES[type_name]
    shape = list(data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
    dim = data.draw(st.integers(0, len(shape) - 1))
    shape[dim] = 3
    shape = tuple(shape)
    a = any_layout(data, dtype, shape, -5, 5)
    b = any_layout(data, dtype, shape, -5, 5)
    got = t7.lua.execute("local a, b, d = ...; return torch.cross(a, b, d)", t7.from_numpy(a),
                         t7.from_numpy(b), dim + 1).numpy()
    wide = np.int64 if np.issubdtype(dtype, np.integer) else np.float64     # wrapped after
    want = np.cross(a.astype(wide), b.astype(wide), axis=dim).astype(dtype)
    # computed in the element type, as the original: a difference of two products cancels
    # to within a few rounding steps of the products' size
    scale = float(np.abs(a).max()) * float(np.abs(b).max())
    tolerance = 4 * np.finfo(dtype).eps * scale if dtype in (np.float32, np.float64) else 0
    np.testing.assert_allclose(got, want, rtol=0, atol=tolerance)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), type_name=st.sampled_from(sorted(FLOAT_TYPES)),
       nbins=st.integers(1, 8))
def test_histograms_of_whole_numbers_match_numpy(t7, data, type_name, nbins):
    # whole numbers and bins of width 1 put no value near a bin's edge but on it
    dtype = FLOAT_TYPES[type_name]
    a = any_layout(data, dtype, data.draw(shapes), -2, nbins + 2).round()
    got = t7.lua.execute("local a, n = ...; return torch.histc(a, n, 0, n)",
                         t7.from_numpy(np.ascontiguousarray(a)), nbins).numpy()
    np.testing.assert_array_equal(got, np.histogram(a, nbins, (0, nbins))[0])


def test_extremes_of_long_integers_compare_exactly(t7, lua):
    # beyond 2^53 neighbouring integers share a double: compared as doubles, all would tie
    x = np.array([2**60 + 1, 2**60 + 3, 2**60 + 2], dtype=np.int64)
    max_index, min_index, order = lua("""
        local x = ...
        local _, i = x:max(1)
        local _, j = torch.min(x, 1)
        local _, k = x:sort(1, true)
        return i, j, k
    """, t7.from_numpy(x))
    assert max_index.numpy().tolist() == [2]
    assert min_index.numpy().tolist() == [1]
    assert order.numpy().tolist() == [2, 3, 1]
