"""The Python Tensor gives back the core's memory: results, views, index plans, DLPack
capsules and refused operations leave the core's byte count where it was."""
import gc

import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import _native

core = _native.core


def work():
    a = t7.rand(50, 60)
    b = t7.rand(60)
    (a + b).sum(1)
    a[a > 0.5]
    a[[1, 2], 3:10:2] = 0.0
    a[::-1, 1]
    a.t() @ a
    a.view(-1)[5:].reshape(5, -1).permute(1, 0).contiguous()
    np.from_dlpack(a)
    a.__dlpack__()                       # a capsule nobody consumed
    t7.from_dlpack(np.ones(5))
    t7.cat([a, a]).max(0)
    a.softmax(1).log_softmax(0)
    t7.where(a > 0.1, a, 0.0)
    for bad in (lambda: a + t7.ones(7), lambda: a[100], lambda: a.view(7),
                lambda: a @ a):
        with pytest.raises((RuntimeError, IndexError)):
            bad()


def test_no_tensor_memory_is_kept():
    work()                               # first use: caches, lazy imports
    gc.collect()
    before = core.heap_allocated()
    for _ in range(5):
        work()
    gc.collect()
    assert core.heap_allocated() == before
