"""Helpers of the nn test files (no tests here): running Lua with nn loaded, numpy arrays in
and out, numpy's finite differences, and skipping what waits for tensor functions being
written on other branches."""
import numpy as np
import pytest

import torch7_compat as t7


def lua(code, *args):
    """Runs a Lua chunk with nn loaded. numpy arguments arrive as tensors over (contiguous
    copies of) their memory; tensors among the results come back as numpy copies."""
    args = [t7.from_numpy(np.ascontiguousarray(a)) if isinstance(a, np.ndarray) else a
            for a in args]
    return numpy_copies(t7.lua.execute("require 'nn'\n" + code, *args))


def numpy_copies(value):
    if isinstance(value, tuple):
        return tuple(numpy_copies(v) for v in value)
    if isinstance(value, t7.Tensor):
        return np.array(value.numpy())
    return value


def numeric_grad_input(f, x, grad_output, h=1e-6):
    """d/dx of sum(grad_output * f(x)), by central differences."""
    grad = np.zeros_like(x)
    for i in range(x.size):
        above, below = x.copy(), x.copy()
        above.flat[i] += h
        below.flat[i] -= h
        grad.flat[i] = np.sum(grad_output * (f(above) - f(below))) / (2 * h)
    return grad


def missing_functions(*names):
    """The names among `names` that neither torch nor the Tensor classes have yet."""
    return t7.lua.execute("""
        local missing = {}
        for _, name in ipairs({...}) do
           if torch.DoubleTensor[name] == nil and torch[name] == nil then
              missing[#missing + 1] = name
           end
        end
        return table.concat(missing, ', ')
    """, *names)


def needs(*names):
    """A mark skipping a test until the tensor library has all of `names`."""
    missing = missing_functions(*names)
    return pytest.mark.skipif(missing != "", reason="waits for the tensor functions " + missing)
