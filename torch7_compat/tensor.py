"""The Python tensor API, PyTorch's names over the core (torch7_compat._core).

    import torch7_compat as t7
    x = t7.tensor([[1., 2.], [3., 4.]])     # float32, as PyTorch's default
    y = (x @ x.t()).sum(dim=1)               # 0-based, numpy broadcasting
    x.numpy()                                # the same memory

Tensors are the Lua side's tensors: t7.lua can take and change them in place.
"""
from contextlib import contextmanager

from ._native import core as _core
from .dtypes import (DType, double, float, float16, float32,  # noqa: F401
                     float64, half, int, int8, int16, int32, int64, long, promote_types, short,
                     uint8)

Tensor = _core.Tensor
Size = _core.Size
tensor = _core.tensor
as_tensor = _core.as_tensor_py
from_numpy = _core.from_numpy
from_dlpack = _core.from_dlpack
device = _core.device
zeros, ones, empty, full = _core.zeros, _core.ones, _core.empty, _core.full
zeros_like, ones_like, empty_like, full_like = (_core.zeros_like, _core.ones_like,
                                                _core.empty_like, _core.full_like)
rand, randn, randint, randperm = _core.rand, _core.randn, _core.randint, _core.randperm
rand_like, randn_like = _core.rand_like, _core.randn_like
arange, linspace, eye = _core.arange, _core.linspace, _core.eye
cat, stack, where = _core.cat, _core.stack, _core.where
concatenate = cat
manual_seed, initial_seed, seed = _core.manual_seed, _core.initial_seed, _core.seed
is_grad_enabled = _core.is_grad_enabled
ValuesIndices = _core.ValuesIndices


@contextmanager
def set_grad_mode(enabled: bool):
    """Grad mode on or off (this thread) inside a with block."""
    previous = _core.set_grad_enabled(enabled)
    try:
        yield
    finally:
        _core.set_grad_enabled(previous)


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def numel(x: Tensor) -> int:
    return x.numel()


def _function(name):
    def call(input, *args, **kwargs):
        return getattr(tensor(input) if not isinstance(input, Tensor) else input,
                       name)(*args, **kwargs)
    call.__name__ = name
    call.__doc__ = "t7.%s(x, ...) is x.%s(...)." % (name, name)
    return call


# functions of the torch namespace that are the methods of their first argument
_METHOD_FUNCTIONS = (
    "abs", "neg", "exp", "log", "log1p", "sqrt", "rsqrt", "tanh", "sigmoid", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "sign", "ceil", "floor", "round", "trunc", "frac",
    "reciprocal", "square", "relu", "clamp", "clip", "add", "sub", "mul", "div",
    "floor_divide", "remainder", "fmod", "pow", "maximum", "minimum", "atan2", "matmul", "mm",
    "mv", "bmm", "dot", "sum", "mean", "prod", "std", "var", "norm", "max", "min", "amax",
    "amin", "argmax", "argmin", "all", "any", "cumsum", "cumprod", "reshape", "flatten",
    "squeeze", "unsqueeze", "transpose", "permute", "t", "narrow", "select", "unbind",
    "masked_fill", "clone", "eq", "ne", "lt", "le", "gt", "ge", "equal", "allclose", "lerp",
    "expand_as", "detach", "softmax", "log_softmax", "logsumexp")
for _name in _METHOD_FUNCTIONS:
    globals()[_name] = _function(_name)

__all__ = [
    "Tensor", "Size", "DType", "tensor", "as_tensor", "from_numpy", "from_dlpack", "zeros",
    "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "rand",
    "randn", "randint", "randperm", "rand_like", "randn_like", "arange", "linspace", "eye",
    "cat", "concatenate", "stack", "where", "manual_seed", "initial_seed", "seed",
    "is_grad_enabled", "set_grad_mode", "is_tensor", "numel", "promote_types", "ValuesIndices",
    "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "half", "float",
    "double", "short", "int", "long", "device",
] + list(_METHOD_FUNCTIONS)
