"""Shapes and views of the Python Tensor: shape/stride/numel, reshape/view with -1,
permute/transpose/expand, squeeze/unsqueeze, contiguous/clone/detach; numpy is the oracle."""
import numpy as np
import pytest

import torch7_compat as t7


def test_geometry():
    t = t7.zeros(2, 3, 4)
    assert t.shape == (2, 3, 4) and isinstance(t.shape, tuple)
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.stride() == (12, 4, 1) and t.stride(0) == 12
    assert t.ndim == 3 and t.dim() == 3 and t.numel() == 24
    assert t.is_contiguous()
    assert repr(t.shape) == "t7.Size([2, 3, 4])"
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.size(3)


def test_reshape_and_view_with_inferred_size():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = t7.tensor(a)
    for shape in [(6, 4), (-1, 2), (4, -1, 3), (24,), (-1,)]:
        np.testing.assert_array_equal(t.reshape(*shape).numpy(), a.reshape(shape))
        np.testing.assert_array_equal(t.view(shape).numpy(), a.reshape(shape))
    v = t.view(-1)
    v[0] = 100
    assert t[0, 0, 0].item() == 100           # a view shares memory
    with pytest.raises(RuntimeError, match="invalid for input of size 24"):
        t.view(5, -1)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        t.view(-1, -1)
    with pytest.raises(RuntimeError, match="reshape"):
        t.transpose(0, 1).view(-1)               # not contiguous: view refuses
    np.testing.assert_array_equal(t.transpose(0, 1).reshape(-1).numpy(),
                                  np.swapaxes(t.numpy(), 0, 1).reshape(-1))


def test_permute_transpose_t():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = t7.tensor(a)
    np.testing.assert_array_equal(t.permute(2, 0, 1).numpy(), a.transpose(2, 0, 1))
    np.testing.assert_array_equal(t.permute((1, 2, 0)).numpy(), a.transpose(1, 2, 0))
    np.testing.assert_array_equal(t.transpose(0, -1).numpy(), np.swapaxes(a, 0, -1))
    m = t7.tensor(a[0])
    np.testing.assert_array_equal(m.t().numpy(), a[0].T)
    np.testing.assert_array_equal(t.T.numpy(), a.T)
    assert not t.permute(2, 0, 1).is_contiguous()
    assert t.permute(2, 0, 1).contiguous().is_contiguous()
    with pytest.raises(RuntimeError, match="t\\(\\) expects"):
        t.t()
    with pytest.raises(RuntimeError, match="repeated dim"):
        t.permute(0, 0, 1)


def test_squeeze_unsqueeze_flatten():
    a = np.zeros((1, 3, 1, 2))
    t = t7.tensor(a)
    assert t.squeeze().shape == (3, 2)
    assert t.squeeze(0).shape == (3, 1, 2)
    assert t.squeeze(1).shape == (1, 3, 1, 2)
    assert t.unsqueeze(0).shape == (1, 1, 3, 1, 2)
    assert t.unsqueeze(-1).shape == (1, 3, 1, 2, 1)
    assert t.flatten().shape == (6,)
    assert t.flatten(1, 2).shape == (1, 3, 2)
    assert t7.ones(1, 1).squeeze().shape == ()      # all ones: a 0-d tensor, as PyTorch


def test_expand_is_a_stride_0_view():
    t = t7.tensor([[1.0], [2.0]])
    e = t.expand(2, 3)
    np.testing.assert_array_equal(e.numpy(), [[1, 1, 1], [2, 2, 2]])
    assert e.stride() == (1, 0)
    assert t.expand(4, -1, 3).shape == (4, 2, 3)
    with pytest.raises(RuntimeError, match="must match the existing size"):
        t.expand(3, 3)


def test_clone_contiguous_detach():
    t = t7.arange(6.0).reshape(2, 3)
    c = t.clone()
    c += 1
    assert t.sum().item() == 15
    assert t.contiguous() is t
    d = t.detach()
    d[0, 0] = 50
    assert t[0, 0].item() == 50                    # detach shares memory
    assert d.requires_grad is False


def test_item_tolist_numpy_and_conversions():
    t = t7.tensor([[1.5, 2.0]])
    assert t.tolist() == [[1.5, 2.0]]
    assert t[0, 1].item() == 2.0
    assert t7.tensor([3]).item() == 3
    with pytest.raises(ValueError, match="cannot be converted to Scalar"):
        t.item()
    assert t.to(t7.float64).dtype == t7.float64
    assert t.double().dtype == "float64" and t.long().dtype == t7.int64
    assert t.float() is t
    assert t.to("int32").dtype == t7.int32
    assert t.type_as(t7.tensor([1])).dtype == t7.int64
    assert t.to(t7.tensor([1], dtype=t7.int16)).dtype == t7.int16
    assert t.half().float().tolist() == [[1.5, 2.0]]
    assert t.type() == "torch.FloatTensor"


def test_narrow_select_unbind():
    a = np.arange(12.0).reshape(3, 4)
    t = t7.tensor(a)
    np.testing.assert_array_equal(t.narrow(1, 1, 2).numpy(), a[:, 1:3])
    np.testing.assert_array_equal(t.select(1, 2).numpy(), a[:, 2])
    assert [u.tolist() for u in t.unbind(1)] == [list(c) for c in a.T]


def test_dtype_objects():
    assert t7.float32 == "float32" and t7.float32 == "float" and t7.float == t7.float32
    assert t7.int64 == t7.long and t7.float64 == t7.double and t7.half == t7.float16
    assert t7.float32 == np.float32 and t7.float32 != np.float64
    assert t7.float32 != t7.float64
    assert repr(t7.int32) == "t7.int32"
    assert t7.float32.itemsize == 4 and t7.float32.is_floating_point
    assert not t7.int8.is_floating_point
    assert np.dtype(t7.int16) == np.int16
    assert {t7.float32: 1}["float32"] == 1
    with pytest.raises(TypeError, match="no bool type"):
        t7.zeros(2, dtype=bool)
