"""Batched matrix products (bmm, baddbmm, addbmm) and the tiled copy of transposed views,
against numpy."""
import numpy as np
import pytest

from tensor_cases import assert_lua_error

rng = np.random.default_rng(7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_batched_products_match_numpy(t7, lua, dtype, layout):
    b1 = rng.integers(-4, 4, (5, 3, 4)).astype(dtype)
    b2 = rng.integers(-4, 4, (5, 4, 6)).astype(dtype)
    m3 = rng.integers(-4, 4, (5, 3, 6)).astype(dtype)
    m2 = rng.integers(-4, 4, (3, 6)).astype(dtype)
    if layout == "transposed":      # the same values through transposed matrices
        b1 = np.ascontiguousarray(b1.transpose(0, 2, 1)).transpose(0, 2, 1)
        b2 = np.ascontiguousarray(b2.transpose(0, 2, 1)).transpose(0, 2, 1)
    got = lua("""
        local b1, b2, m3, m2 = ...
        local r = m3:clone()
        r:baddbmm(b1, b2)                  -- r += b1 @ b2
        local s = m2:clone()
        s:addbmm(3, s, 2, b1, b2)          -- s = 3 s + 2 sum(b1 @ b2)
        return torch.bmm(b1, b2), torch.baddbmm(2, m3, 3, b1, b2), r,
               torch.addbmm(m2, b1, b2), s
    """, *[t7.from_numpy(x) for x in (b1, b2, m3, m2)])
    products = b1 @ b2
    want = [products, 2 * m3 + 3 * products, m3 + products, m2 + products.sum(0),
            3 * m2 + 2 * products.sum(0)]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.astype(dtype), rtol=1e-6)


def test_beta_zero_ignores_the_added_tensor(lua):
    # a NaN in the added matrix must not leak through when its factor is 0
    got = lua("""
        local m = torch.Tensor(2, 2, 2):fill(0/0)
        return torch.baddbmm(0, m, 1, torch.ones(2, 2, 2), torch.ones(2, 2, 2))
    """)
    np.testing.assert_array_equal(got.numpy(), np.full((2, 2, 2), 2.0))


@pytest.mark.parametrize("code, message", [
    ("torch.bmm(torch.Tensor(2, 3, 4), torch.Tensor(3, 4, 5))",
     "equal number of batches expected, got 2, 3"),
    ("torch.bmm(torch.Tensor(2, 3, 4), torch.Tensor(2, 5, 5))",
     "wrong matrix size, batch1: 3x4, batch2: 5x5"),
    ("torch.bmm(torch.Tensor(3, 4), torch.Tensor(2, 4, 5))", "3D tensor expected, got 2D tensor"),
    ("torch.baddbmm(torch.Tensor(2, 3, 3), torch.Tensor(2, 3, 4), torch.Tensor(2, 4, 5))",
     "output tensor of incorrect size"),
    ("torch.addbmm(torch.Tensor(3, 5), torch.Tensor(2, 3, 4), torch.Tensor(2, 5, 5))",
     "wrong matrix size"),
])
def test_batched_product_errors(t7, code, message):
    assert_lua_error(t7, code, message)


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(70, 33), (64, 64), (3, 45, 40), (5, 31)])
def test_copies_from_transposed_views_match_numpy(t7, lua, dtype, shape):
    a = rng.integers(0, 100, shape).astype(dtype)
    to_contiguous, to_transposed, into_strided = lua("""
        local a = ...
        local d = a:dim()
        local t = a:transpose(d - 1, d)
        local c = t.new():resize(t:size()):copy(t)          -- tiled: contiguous <- transposed
        local back = a.new():resize(a:size()):zero()
        back:transpose(d - 1, d):copy(c)                     -- tiled: transposed <- contiguous
        local big = a.new():resize(t:size(1), t:size(2) * 2):zero()
        local gapped = big:narrow(2, 1, t:size(2))
        if d == 2 then gapped:copy(t) end                    -- destination rows with gaps
        return c, back, d == 2 and gapped or c
    """, t7.from_numpy(a))
    transposed = np.swapaxes(a, -1, -2)
    np.testing.assert_array_equal(to_contiguous.numpy(), transposed)
    np.testing.assert_array_equal(to_transposed.numpy(), a)
    np.testing.assert_array_equal(into_strided.numpy(), transposed)


def test_copies_between_types_and_shapes_still_walk_elements(t7, lua):
    a = rng.standard_normal((40, 50))
    floats, reshaped = lua("""
        local a = ...
        return torch.FloatTensor(50, 40):copy(a:t()), torch.Tensor(2000):copy(a:t())
    """, t7.from_numpy(a))
    np.testing.assert_array_equal(floats.numpy(), a.T.astype(np.float32))
    np.testing.assert_array_equal(reshaped.numpy(), a.T.ravel())
