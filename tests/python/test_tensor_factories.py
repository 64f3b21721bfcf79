"""Making tensors from Python: t7.tensor, zeros/ones/..., ranges, random draws, cat/stack,
checked against numpy (the oracle) and PyTorch's documented defaults."""
import numpy as np
import pytest

import torch7_compat as t7


def test_tensor_from_python_values_takes_pytorch_default_dtypes():
    assert t7.tensor([1.5, 2]).dtype == t7.float32
    assert t7.tensor([1, 2]).dtype == t7.int64
    assert t7.tensor([[1, 2], [3, 4]]).shape == (2, 2)
    assert t7.tensor([True, False]).dtype == t7.uint8
    np.testing.assert_array_equal(t7.tensor([[1, 2], [3, 4]]).numpy(), [[1, 2], [3, 4]])


def test_tensor_from_numpy_keeps_the_array_dtype_and_copies():
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    t = t7.tensor(a)
    assert t.dtype == t7.float64
    a[0, 0] = 100
    assert t[0, 0].item() == 0          # a copy, unlike from_numpy


def test_tensor_with_dtype_converts():
    t = t7.tensor([1.7, -2.2], dtype=t7.int32)
    assert t.dtype == "int32"
    np.testing.assert_array_equal(t.numpy(), np.array([1.7, -2.2]).astype(np.int32))
    assert t7.tensor([1, 2], dtype="float64").dtype == t7.float64


def test_a_number_gives_a_0d_tensor():
    t = t7.tensor(3.5)
    assert t.shape == () and t.ndim == 0 and t.dim() == 0
    assert t.item() == 3.5 and float(t) == 3.5
    assert t.numpy().shape == ()
    assert t7.tensor(7).dtype == t7.int64


def test_ragged_data_is_refused():
    with pytest.raises(ValueError):
        t7.tensor([[1, 2], [3]])


@pytest.mark.parametrize("make, fill", [(t7.zeros, 0), (t7.ones, 1)])
def test_zeros_and_ones(make, fill):
    t = make(2, 3)
    assert t.shape == (2, 3) and t.dtype == t7.float32
    np.testing.assert_array_equal(t.numpy(), np.full((2, 3), fill))
    assert make((4,), dtype=t7.int16).dtype == t7.int16
    assert make([2, 2]).shape == (2, 2)


def test_full_and_likes():
    t = t7.full((2, 2), 7)
    assert t.dtype == t7.int64
    np.testing.assert_array_equal(t.numpy(), np.full((2, 2), 7))
    assert t7.full((3,), 0.5).dtype == t7.float32
    x = t7.ones(3, 4, dtype=t7.float64)
    assert t7.zeros_like(x).dtype == t7.float64 and t7.zeros_like(x).shape == (3, 4)
    assert t7.ones_like(x).sum().item() == 12
    assert t7.empty_like(x).shape == (3, 4)
    assert t7.full_like(x, 2).sum().item() == 24
    assert t7.rand_like(x).dtype == t7.float64
    assert t7.randn_like(x).shape == (3, 4)


@pytest.mark.parametrize("args", [(5,), (2, 9), (1, 10, 3), (10, 1, -2), (0.5, 2.5, 0.5)])
def test_arange_matches_numpy(args):
    t = t7.arange(*args)
    expected = np.arange(*args)
    np.testing.assert_allclose(t.numpy(), expected)
    assert t.dtype == (t7.int64 if all(isinstance(a, int) for a in args) else t7.float32)


def test_linspace_and_eye():
    np.testing.assert_allclose(t7.linspace(0, 1, 5).numpy(), np.linspace(0, 1, 5), rtol=1e-6)
    np.testing.assert_array_equal(t7.eye(3).numpy(), np.eye(3))
    np.testing.assert_array_equal(t7.eye(2, 4).numpy(), np.eye(2, 4))


def test_rand_randn_randint_ranges():
    t7.manual_seed(0)
    u = t7.rand(1000)
    assert 0 <= u.min().item() and u.max().item() < 1
    n = t7.randn(20000, dtype=t7.float64)
    assert abs(n.mean().item()) < 0.05 and abs(n.std().item() - 1) < 0.05
    r = t7.randint(3, 7, (1000,))
    assert r.dtype == t7.int64
    assert set(np.unique(r.numpy())) == {3, 4, 5, 6}
    p = t7.randperm(10)
    assert sorted(p.tolist()) == list(range(10))


def test_manual_seed_repeats_draws():
    t7.manual_seed(123)
    a = t7.rand(5)
    t7.manual_seed(123)
    b = t7.rand(5)
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_python_draws_equal_luas_with_the_same_seed():
    t7.manual_seed(42)
    ours = t7.rand(6, dtype=t7.float64).numpy()
    lua = t7.lua.execute("torch.manualSeed(42); return torch.rand(6)")
    np.testing.assert_array_equal(ours, lua.numpy())


def test_cat_and_stack_match_numpy():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.arange(6, 12, dtype=np.float32).reshape(2, 3)
    ta, tb = t7.from_numpy(a), t7.from_numpy(b)
    for d in (0, 1, -1):
        np.testing.assert_array_equal(t7.cat([ta, tb], d).numpy(), np.concatenate([a, b], d))
        np.testing.assert_array_equal(t7.stack([ta, tb], d).numpy(), np.stack([a, b], d))
    np.testing.assert_array_equal(t7.stack([ta, tb], 2).numpy(), np.stack([a, b], 2))
    with pytest.raises(RuntimeError, match="sizes of tensors must match"):
        t7.cat([ta, t7.zeros(3, 3)], 1)
    with pytest.raises(RuntimeError, match="equal size"):
        t7.stack([ta, t7.zeros(3, 2)])


def test_where_matches_numpy():
    c = np.array([[1, 0, 1], [0, 0, 1]], dtype=np.uint8)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = np.array([-1, -2, -3], dtype=np.float32)
    r = t7.where(t7.from_numpy(c), t7.from_numpy(x), t7.from_numpy(y))
    np.testing.assert_array_equal(r.numpy(), np.where(c, x, y))
    r = t7.where(t7.from_numpy(x) > 2, t7.from_numpy(x), 0.0)
    np.testing.assert_array_equal(r.numpy(), np.where(x > 2, x, 0))
    rows, cols = t7.where(t7.from_numpy(c))
    np.testing.assert_array_equal(rows.numpy(), np.nonzero(c)[0])
    np.testing.assert_array_equal(cols.numpy(), np.nonzero(c)[1])


def test_bad_sizes_are_refused():
    with pytest.raises(RuntimeError):
        t7.zeros(-1, 2)
    with pytest.raises(ValueError, match="unknown dtype"):
        t7.zeros(2, dtype="complex64")


def test_the_legacy_constructor():
    assert t7.Tensor(2, 3).shape == (2, 3) and t7.Tensor(2, 3).dtype == t7.float32
    assert t7.Tensor([1, 2]).tolist() == [1.0, 2.0]
    assert t7.Tensor().numel() == 0
    assert t7.Tensor(2, dtype=t7.int64).dtype == t7.int64
    with pytest.raises(TypeError):
        t7.Tensor([1], [2])


def test_tensors_pickle_by_value():
    import pickle
    t = t7.arange(6.0).reshape(2, 3)
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype == t.dtype and u.tolist() == t.tolist()
