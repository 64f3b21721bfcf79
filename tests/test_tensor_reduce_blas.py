"""Reductions and matrix products against numpy, including transposed and strided operands
(which BLAS cannot take directly) and results that alias an operand."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

rng = np.random.default_rng(42)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=4, max_side=5),
       dtype=st.sampled_from([np.float32, np.float64, np.int32, np.int64, np.uint8]))
def test_reductions_match_numpy(t7, data, shape, dtype):
    if np.issubdtype(dtype, np.integer):
        a = data.draw(hnp.arrays(dtype, shape, elements=st.integers(0, 50)))
    else:
        a = data.draw(hnp.arrays(dtype, shape, elements=st.floats(-100, 100, width=32)))
    dim = data.draw(st.integers(1, len(shape)))
    total, biggest, smallest, sums, maxes, argmax, mins, argmin = t7.lua.execute("""
        local a, d = ...
        local mx, imx = a:max(d)
        local mn, imn = torch.min(a, d)
        return a:sum(), a:max(), a:min(), a:sum(d), mx, imx, mn, imn
    """, t7.from_numpy(a), dim)
    axis = dim - 1
    assert total == pytest.approx(a.astype(np.float64).sum(), rel=1e-6)
    assert biggest == a.max() and smallest == a.min()
    np.testing.assert_allclose(sums.numpy(), a.sum(axis, keepdims=True, dtype=np.float64)
                               .astype(dtype), rtol=1e-5)
    np.testing.assert_array_equal(maxes.numpy(), a.max(axis, keepdims=True))
    np.testing.assert_array_equal(mins.numpy(), a.min(axis, keepdims=True))
    # indices are 1-based and point at the first extreme, as numpy's argmax
    np.testing.assert_array_equal(argmax.numpy(), np.expand_dims(a.argmax(axis), axis) + 1)
    np.testing.assert_array_equal(argmin.numpy(), np.expand_dims(a.argmin(axis), axis) + 1)


def test_mean_and_nan_propagation(lua):
    mean_all, mean_rows, nan_max, nan_row_max = lua("""
        local t = torch.Tensor{{1, 2}, {3, 6}}
        local n = torch.Tensor{1, 0/0, 3}
        return t:mean(), t:mean(2), n:max(), (torch.max(torch.Tensor{{1, 0/0, 5}}, 2))
    """)
    assert mean_all == 3
    np.testing.assert_array_equal(mean_rows.numpy(), [[1.5], [4.5]])
    assert np.isnan(nan_max)
    assert np.isnan(nan_row_max.numpy()[0, 0])


def layouts(m):
    """The matrix itself, its transposed-copy layout, and a stepped (non-BLAS) view."""
    fortran = np.asfortranarray(m)
    stepped = np.zeros((m.shape[0], m.shape[1] * 2))
    stepped[:, ::2] = m
    return [m, fortran, stepped[:, ::2]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_matrix_products_match_numpy_for_every_layout(t7, dtype):
    a0 = rng.integers(-5, 5, (4, 3)).astype(dtype)
    b0 = rng.integers(-5, 5, (3, 5)).astype(dtype)
    m0 = rng.integers(-5, 5, (4, 5)).astype(dtype)
    x, y = rng.integers(-5, 5, 3).astype(dtype), rng.integers(-5, 5, 4).astype(dtype)
    for a in layouts(a0):
        for b in layouts(b0):
            for m in layouts(m0):
                got = t7.lua.execute("""
                    local a, b, m, x, y = ...
                    return torch.addmm(3, m, 2, a, b), torch.mm(a, b), torch.mv(a, x),
                           torch.addmv(2, y, 3, a, x), torch.ger(y, x), torch.addr(m:narrow(2, 1, 3), 2, y, x),
                           torch.dot(x, x), a * b, a * x
                """, *[t7.from_numpy(v.astype(dtype, copy=False)) for v in (a, b, m, x, y)])
                want = [3 * m + 2 * (a @ b), a @ b, a @ x, 2 * y + 3 * (a @ x), np.outer(y, x),
                        m[:, :3] + 2 * np.outer(y, x), x @ x, a @ b, a @ x]
                for g, w in zip(got, want):
                    value = g.numpy() if hasattr(g, "numpy") else g
                    np.testing.assert_allclose(value, w, rtol=1e-6)


def test_results_in_column_major_and_strided_tensors(lua):
    col_major, strided = lua("""
        local a, b = torch.range(1, 6):view(2, 3), torch.range(1, 12):view(3, 4)
        local r = torch.zeros(4, 2):t()              -- a column-major 2x4 result
        r:addmm(a, b)
        local big = torch.zeros(2, 8)
        local s = big[{{}, {1, 8}}]:unfold(2, 1, 2):select(3, 1)   -- 2x4 with column stride 2
        s:addmm(a, b)
        return r, big
    """)
    product = np.arange(1, 7).reshape(2, 3) @ np.arange(1, 13).reshape(3, 4)
    np.testing.assert_array_equal(col_major.numpy(), product)
    np.testing.assert_array_equal(strided.numpy()[:, ::2], product)
    assert (strided.numpy()[:, 1::2] == 0).all()


def test_products_whose_result_aliases_an_operand(lua):
    squared, in_place = lua("""
        local a = torch.Tensor{{1, 2}, {3, 4}}
        local b = a:clone()
        b:addmm(0, b, 1, b, b)        -- b = b @ b, reading b while writing it
        local v = torch.Tensor{1, 1}
        v:addmv(0, v, 1, a, v)        -- v = a @ v
        return b, v
    """)
    np.testing.assert_array_equal(squared.numpy(), [[7, 10], [15, 22]])
    np.testing.assert_array_equal(in_place.numpy(), [3, 7])


def test_size_mismatch_messages_name_the_sizes(t7, lua):
    with pytest.raises(t7.LuaError, match=r"size mismatch, m1: \[2 x 3\], m2: \[4 x 5\]"):
        lua("return torch.mm(torch.Tensor(2, 3), torch.Tensor(4, 5))")
    with pytest.raises(t7.LuaError, match="multiplication between 3D and 2D"):
        lua("return torch.Tensor(2, 2, 2) * torch.Tensor(2, 2)")
