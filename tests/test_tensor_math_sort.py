"""sort, topk, kthvalue, median and mode against numpy's stable sort: equal values keep the
order of their positions, so indices are determined."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from tensor_cases import ALL_TYPES, any_layout, assert_lua_error

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=9)


def stable_order(a, axis, descending):
    """Positions in stable order along axis (descending: larger first, ties by position)."""
    keys = -a.astype(np.float64) if descending else a
    return np.argsort(keys, axis=axis, kind="stable")


@settings(max_examples=80, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)),
       descending=st.booleans())
def test_sort_matches_a_stable_sort(t7, data, shape, type_name, descending):
    dtype = ALL_TYPES[type_name]
    a = any_layout(data, dtype, shape, -4, 4)       # few distinct values: many ties
    dim = data.draw(st.integers(1, len(shape)))
    values, indices, last_values, into_values, into_indices = t7.lua.execute("""
        local a, d, descending = ...
        local v, i = torch.sort(a, d, descending)
        local last = torch.sort(a, descending)      -- the last dimension by default
        local rv, ri = a.new(), torch.LongTensor()
        torch.sort(rv, ri, a, d, descending)
        return v, i, last, rv, ri
    """, t7.from_numpy(a), dim, descending)
    axis = dim - 1
    order = stable_order(a, axis, descending)
    np.testing.assert_array_equal(indices.numpy(), order + 1)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(a, order, axis))
    last = np.take_along_axis(a, stable_order(a, -1, descending), -1)
    np.testing.assert_array_equal(last_values.numpy(), last)
    np.testing.assert_array_equal(into_values.numpy(), values.numpy())
    np.testing.assert_array_equal(into_indices.numpy(), indices.numpy())


@settings(max_examples=80, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)),
       largest=st.booleans())
def test_selections_agree_with_the_stable_sort(t7, data, shape, type_name, largest):
    dtype = ALL_TYPES[type_name]
    a = any_layout(data, dtype, shape, -4, 4)
    dim = data.draw(st.integers(1, len(shape)))
    n = shape[dim - 1]
    k = data.draw(st.integers(1, n))
    top, top_i, kth, kth_i, med, med_i = t7.lua.execute("""
        local a, d, k, largest = ...
        local top, top_i = a:topk(k, d, largest, true)
        local kth, kth_i = torch.kthvalue(a, k, d)
        local med, med_i = a:median(d)
        return top, top_i, kth, kth_i, med, med_i
    """, t7.from_numpy(a), dim, k, largest)
    axis = dim - 1
    order = stable_order(a, axis, largest)
    first_k = np.take(order, range(k), axis=axis)
    np.testing.assert_array_equal(top_i.numpy(), first_k + 1)
    np.testing.assert_array_equal(top.numpy(), np.take_along_axis(a, first_k, axis))
    ascending = stable_order(a, axis, False)
    for (values, indices), position in [((kth, kth_i), k - 1), ((med, med_i), (n + 1) // 2 - 1)]:
        at = np.take(ascending, [position], axis=axis)
        np.testing.assert_array_equal(indices.numpy(), at + 1)
        np.testing.assert_array_equal(values.numpy(), np.take_along_axis(a, at, axis))


def mode_reference(row):
    """The most frequent value (the smallest of those as frequent) and the last position it
    holds, 1-based."""
    values, counts = np.unique(row, return_counts=True)
    value = values[np.argmax(counts)]
    return value, np.nonzero(row == value)[0][-1] + 1


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, type_name=st.sampled_from(sorted(ALL_TYPES)))
def test_mode_matches_a_counting_reference(t7, data, shape, type_name):
    dtype = ALL_TYPES[type_name]
    a = any_layout(data, dtype, shape, -3, 3)
    dim = data.draw(st.integers(1, len(shape)))
    values, indices = t7.lua.execute("local a, d = ...; return torch.mode(a, d)",
                                     t7.from_numpy(a), dim)
    moved = np.moveaxis(a, dim - 1, -1)
    want = [mode_reference(row) for row in moved.reshape(-1, moved.shape[-1])]
    got_values = np.moveaxis(values.numpy(), dim - 1, -1).ravel()
    got_indices = np.moveaxis(indices.numpy(), dim - 1, -1).ravel()
    np.testing.assert_array_equal(got_values, [v for v, _ in want])
    np.testing.assert_array_equal(got_indices, [i for _, i in want])


def test_nan_sorts_above_every_number(lua):
    up, up_i, down, down_i, top = lua("""
        local x = torch.Tensor{3, 0/0, -1, 0/0, 2}
        local up, up_i = x:sort()
        local down, down_i = x:sort(1, true)
        return up, up_i, down, down_i, (x:topk(2, 1, true, true))
    """)
    assert up_i.numpy().tolist() == [3, 5, 1, 2, 4]
    assert down_i.numpy().tolist() == [2, 4, 1, 5, 3]
    assert np.isnan(up.numpy()[3:]).all() and np.isnan(down.numpy()[:2]).all()
    assert np.isnan(top.numpy()).all()


def test_the_documented_examples(lua):
    # torch.topk's default k is 1; the median of an even count is the one before the middle
    smallest, median, median_i, mode, mode_i = lua("""
        local x = torch.Tensor{5, 1, 4, 2}
        local m, mi = torch.median(x)
        local md, mdi = torch.mode(torch.Tensor{{1, 2, 2, 2, 3, 2}, {1.5, 2, 2, 1.5, 1.5, 5}})
        return torch.topk(x), m, mi, md, mdi
    """)
    assert smallest.numpy().tolist() == [1]
    assert median.numpy().tolist() == [2] and median_i.numpy().tolist() == [4]
    assert mode.numpy().tolist() == [[2], [1.5]] and mode_i.numpy().tolist() == [[6], [5]]


def test_large_sorts_run_across_threads(t7, lua):
    a = np.random.default_rng(1).standard_normal((2000, 300))
    values, indices = lua("""
        local a = ...
        torch.setnumthreads(2)
        local v, i = a:sort(2, true)
        torch.setnumthreads(1)
        return v, i
    """, t7.from_numpy(a))
    order = np.argsort(-a, axis=1, kind="stable")
    np.testing.assert_array_equal(indices.numpy(), order + 1)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(a, order, 1))


@pytest.mark.parametrize("code, message", [
    ("torch.topk(torch.Tensor(3), 4)", "k not in range for dimension"),
    ("torch.kthvalue(torch.Tensor(3), 0)", "selected index out of range"),
    ("torch.sort(torch.Tensor(3), 2)", "dimension 2 out of range of 1D tensor"),
    ("torch.sort(torch.Tensor(3), torch.Tensor(), torch.Tensor(3))", "invalid arguments"),
])
def test_selection_errors(t7, code, message):
    assert_lua_error(t7, code, message)
