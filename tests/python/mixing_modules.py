"""Python modules that the Lua scripts of test_mixing_python_in_lua.py put in Lua containers
(nn.PythonModule('mixing_modules:Gate', 3))."""
import numpy as np

import torch7_compat as t7
from torch7_compat.autograd.dispatch import dispatch
from torch7_compat.nn import functional as F


def _op(name, *args):
    return dispatch(name, args, {})


class Gate(t7.nn.Module):
    """x * sigmoid(x @ w.T + b) * scale: a Python module with parameters of its own."""

    def __init__(self, n):
        super().__init__()
        n = int(n)
        self.gate = t7.nn.Linear(n, n).double()
        self.scale = t7.nn.Parameter(t7.from_numpy(np.linspace(0.5, 1.5, n)))

    def forward(self, x):
        return _op("mul", _op("mul", x, F.sigmoid(self.gate(x))), self.scale)


class Pair(t7.nn.Module):
    """Two inputs (a Lua table), two outputs (a Lua table)."""

    def forward(self, a, b):
        return [_op("mul", a, b), _op("add", a, F.tanh(b))]
