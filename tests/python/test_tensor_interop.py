"""Memory shared with numpy (buffers), with other libraries (DLPack) and with Lua: written
on one side, read on the other."""
import gc

import numpy as np
import pytest

import torch7_compat as t7


def test_numpy_view_shares_memory_both_ways():
    t = t7.zeros(2, 3)
    a = t.numpy()
    a[1, 2] = 5
    assert t[1, 2].item() == 5
    t[0, 0] = 7
    assert a[0, 0] == 7
    assert np.asarray(t).base is not None


def test_from_numpy_shares_memory_and_keeps_0d():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    t = t7.from_numpy(a)
    t += 1
    np.testing.assert_array_equal(a, np.arange(1, 7).reshape(2, 3))
    s = t7.from_numpy(np.array(2.5))
    assert s.shape == () and s.item() == 2.5 and s.numpy().shape == ()


def test_dlpack_to_numpy_and_back_shares_memory():
    t = t7.arange(6.0).reshape(2, 3)
    a = np.from_dlpack(t)
    a[0, 1] = 42
    assert t[0, 1].item() == 42
    b = np.ones((2, 2), dtype=np.float64)
    u = t7.from_dlpack(b)
    assert u.dtype == t7.float64 and u.shape == (2, 2)
    u[1, 1] = 3
    assert b[1, 1] == 3


def test_dlpack_of_views_and_scalars():
    t = t7.arange(12).reshape(3, 4)
    column = np.from_dlpack(t[:, 1])
    np.testing.assert_array_equal(column, [1, 5, 9])
    assert np.from_dlpack(t7.tensor(3.0)).shape == ()
    assert t.__dlpack_device__() == (1, 0)


def test_dlpack_keeps_the_producer_alive():
    a = np.arange(4.0)
    t = t7.from_dlpack(a)
    del a
    gc.collect()
    assert t.tolist() == [0.0, 1.0, 2.0, 3.0]
    exported = np.from_dlpack(t7.arange(3))
    gc.collect()
    assert exported.tolist() == [0, 1, 2]


def test_pytorch_shares_memory_both_ways():
    torch = pytest.importorskip("torch")
    t = t7.zeros(3)
    x = torch.from_dlpack(t)
    x[1] = 4
    assert t[1].item() == 4
    y = torch.arange(4, dtype=torch.float32)
    u = t7.from_dlpack(y)
    u[2] = -1
    assert y[2].item() == -1
    assert u.dtype == t7.float32


def test_lua_sees_python_changes_and_python_sees_luas():
    t = t7.zeros(2, 2)
    t[0, 1] = 3
    seen = t7.lua.execute("local x = ...; local v = x[1][2]; x[2][1] = 9; return v", t)
    assert seen == 3
    assert t[1, 0].item() == 9


def test_a_lua_tensor_is_a_python_tensor():
    x = t7.lua.execute("return torch.DoubleTensor(2, 3):fill(1.5)")
    assert isinstance(x, t7.Tensor) and x.dtype == t7.float64 and x.shape == (2, 3)
    y = x * 2 + 1
    assert y.sum().item() == 24
    x[0] += 1
    assert t7.lua.execute("local x = ...; return x:sum()", x) == 12
