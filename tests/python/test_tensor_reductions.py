"""Reductions over all elements (0-d results) or along dims with keepdim; numpy is the
oracle."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import torch7_compat as t7

REDUCTIONS = {"sum": np.sum, "mean": np.mean, "prod": np.prod, "amax": np.max,
              "amin": np.min}


@settings(max_examples=60, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, max_side=4),
       name=st.sampled_from(sorted(REDUCTIONS)), keepdim=st.booleans(), data=st.data())
def test_reductions_along_dims_match_numpy(shape, name, keepdim, data):
    a = np.random.default_rng(1).uniform(0.5, 1.5, shape)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1) | st.none())
    r = getattr(t7.tensor(a), name)(dim=dim, keepdim=keepdim)
    expected = REDUCTIONS[name](a, axis=dim, keepdims=keepdim)
    assert tuple(r.shape) == np.shape(expected)
    np.testing.assert_allclose(r.numpy(), expected, rtol=1e-10)


def test_reductions_without_dim_are_0d():
    t = t7.tensor([[1.0, 2.0], [3.0, 4.0]])
    s = t.sum()
    assert s.shape == () and s.item() == 10 and s.dtype == t7.float32
    assert t.mean().item() == 2.5
    assert t.max().item() == 4 and t.min().item() == 1
    assert t.prod().item() == 24


def test_tuple_of_dims():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = t7.tensor(a)
    np.testing.assert_allclose(t.sum((0, 2)).numpy(), a.sum((0, 2)))
    np.testing.assert_allclose(t.mean((1, 2), keepdim=True).numpy(),
                               a.mean((1, 2), keepdims=True))


def test_integer_sums_are_int64():
    t = t7.tensor([200, 100], dtype=t7.uint8)
    assert t.sum().dtype == t7.int64 and t.sum().item() == 300
    with pytest.raises(RuntimeError, match="floating point"):
        t.mean()


def test_max_min_with_dim_give_values_and_indices():
    a = np.array([[1.0, 5.0, 3.0], [7.0, 2.0, 9.0]])
    t = t7.tensor(a)
    values, indices = t.max(dim=1)
    np.testing.assert_array_equal(values.numpy(), a.max(1))
    np.testing.assert_array_equal(indices.numpy(), a.argmax(1))
    r = t.min(0, keepdim=True)
    np.testing.assert_array_equal(r.values.numpy(), a.min(0, keepdims=True))
    np.testing.assert_array_equal(r.indices.numpy(), a.argmin(0)[None])
    assert t.argmax().item() == a.argmax()
    np.testing.assert_array_equal(t.argmin(1).numpy(), a.argmin(1))


@pytest.mark.parametrize("unbiased", [True, False])
def test_var_std(unbiased):
    a = np.random.default_rng(2).standard_normal((4, 5))
    t = t7.tensor(a)
    ddof = 1 if unbiased else 0
    np.testing.assert_allclose(t.var(unbiased=unbiased).item(), a.var(ddof=ddof))
    np.testing.assert_allclose(t.std(1, unbiased=unbiased).numpy(), a.std(1, ddof=ddof))
    np.testing.assert_allclose(t.var(0, keepdim=True, unbiased=unbiased).numpy(),
                               a.var(0, ddof=ddof, keepdims=True))


def test_norm_all_any():
    a = np.array([[3.0, -4.0], [0.0, 1.0]])
    t = t7.tensor(a)
    np.testing.assert_allclose(t.norm().item(), np.linalg.norm(a))
    np.testing.assert_allclose(t.norm(1).item(), np.abs(a).sum())
    np.testing.assert_allclose(t.norm(dim=1).numpy(), np.linalg.norm(a, axis=1))
    assert t.all().item() == 0 and t.any().item() == 1
    np.testing.assert_array_equal(t.all(1).numpy(), a.all(1))
    np.testing.assert_array_equal(t.any(0).numpy(), a.any(0))


def test_cumsum():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(t7.tensor(a).cumsum(1).numpy(), a.cumsum(1))
    np.testing.assert_array_equal(t7.tensor([1, 2, 3]).cumsum(0).numpy(), [1, 3, 6])


def test_reducing_nothing():
    with pytest.raises(RuntimeError, match="no elements"):
        t7.tensor([]).max()
    assert t7.tensor([]).sum().item() == 0


def test_softmax_family_matches_numpy():
    a = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 999.0]])
    t = t7.tensor(a)
    shifted = a - a.max(1, keepdims=True)
    expected = np.exp(shifted) / np.exp(shifted).sum(1, keepdims=True)
    np.testing.assert_allclose(t.softmax(1).numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(t.log_softmax(-1).numpy(), np.log(expected), rtol=1e-12)
    np.testing.assert_allclose(t.logsumexp(1).numpy(),
                               a.max(1) + np.log(np.exp(shifted).sum(1)), rtol=1e-12)
    np.testing.assert_allclose(t.softmax(0).numpy().sum(0), [1, 1, 1])
