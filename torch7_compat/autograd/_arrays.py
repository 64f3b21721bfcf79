"""Tensors <-> numpy arrays without copies, for the autograd's own arithmetic."""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .._native import core

Tensor = core.Tensor
_FLOATING = ("torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor")


def array(value: Any) -> Any:
    """A Tensor's numpy view; anything else (a Python number) as it is."""
    return value.numpy() if isinstance(value, Tensor) else value


def tensor(value: Any) -> Tensor:
    """A Tensor over a numpy result (no copy unless numpy made it read-only or reversed)."""
    if type(value) is not np.ndarray or not value.flags.writeable:
        value = np.array(value)
    elif value.ndim and min(value.strides) < 0:
        value = value.copy()
    return core.from_numpy(value)


# gradients a kernel has just made, that nothing else shares memory with
_fresh: "weakref.WeakValueDictionary[int, Tensor]" = weakref.WeakValueDictionary()


def fresh(t: Any) -> Any:
    """Marks t (a new tensor over memory of its own, or None) as free to be kept as is."""
    if t is not None:
        _fresh[id(t)] = t
    return t


def is_fresh(t: Tensor) -> bool:
    return _fresh.get(id(t)) is t


def alias(t: Tensor) -> Tensor:
    """A new Tensor object over the same memory as t."""
    return core.from_numpy(t.numpy())


def copy(t: Tensor) -> Tensor:
    return core.from_numpy(t.numpy().copy())


def zeros(shape: tuple, dtype: Any) -> Tensor:
    return core.from_numpy(np.zeros(shape, dtype=dtype))


def ones_like(t: Tensor) -> Tensor:
    return core.from_numpy(np.ones(t.shape, dtype=t.numpy().dtype))


def add(a: Tensor, b: Tensor) -> Tensor:
    return tensor(a.numpy() + b.numpy())


def add_into(target: Tensor, value: Tensor) -> None:
    """target += value, in place (value broadcast to target's shape)."""
    out = target.numpy()
    np.add(out, value.numpy(), out=out, casting="unsafe")


def is_floating(t: Tensor) -> bool:
    return t.lua_type in _FLOATING
