"""t7.nn.Parameter: a tensor a Module registers as one of its parameters."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._native import core

Tensor = core.Tensor


class Parameter(Tensor):
    """A Tensor that requires grad and that assigning to a Module attribute registers.

    Parameter(t) is a second Python object over t's own C tensor, not a copy: a Lua module's
    weight wrapped as a Parameter stays the Lua weight (also when Lua's getParameters moves
    it into one flat storage)."""

    def __new__(cls, data: Any = None, requires_grad: bool = True) -> "Parameter":
        if data is None:
            data = core.from_numpy(np.empty((0,), dtype=np.float32))
        elif not isinstance(data, Tensor):
            data = core.from_numpy(np.array(data, dtype=np.float32))
        parameter = core.tensor_as(cls, data)
        parameter.requires_grad = requires_grad
        return parameter

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        """Everything is done in __new__ (Tensor's own __init__ would build a new tensor)."""

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
