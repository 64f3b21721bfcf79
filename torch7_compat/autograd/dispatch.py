"""The entry the Tensor's methods take when they must be recorded (core.set_grad_dispatch):
method name and arguments, as the Tensor received them, to the differentiable operation."""
from __future__ import annotations

import sys
from typing import Any, Callable, Optional

import numpy as np

from . import grad_mode, ops
from .._native import core

Tensor = core.Tensor


def _shape_args(args: tuple) -> tuple:
    """view(2, 3) and view((2, 3)) alike."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _reshape(x: Tensor, *shape: Any) -> Tensor:
    return ops.Reshape.apply(x, _shape_args(shape))


def _flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    shape = tuple(x.shape)
    if not shape:
        return ops.Reshape.apply(x, (1,))
    start, end = start_dim % len(shape), end_dim % len(shape)
    middle = 1
    for n in shape[start:end + 1]:
        middle *= n
    return ops.Reshape.apply(x, shape[:start] + (middle,) + shape[end + 1:])


def _sum(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    return ops.Sum.apply(x, dim, keepdim)


def _mean(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    return ops.Mean.apply(x, dim, keepdim)


def _extremum(take_max: bool) -> Callable:
    def reduce(x: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
        if dim is None:
            return ops.MaxMinAll.apply(x, take_max)
        if isinstance(dim, Tensor):
            raise NotImplementedError("the elementwise max/min of two tensors is not "
                                      "differentiable yet")
        values, indices = ops.MaxMin.apply(x, dim, keepdim, take_max)
        return core.ValuesIndices(values, indices)
    return reduce


def _clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:
    return ops.Clamp.apply(x, min, max)


def _pow(x: Any, exponent: Any) -> Tensor:
    return ops.Pow.apply(x, exponent)


def _transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    return ops.Permute.apply(x, ops.transposed_dims(len(x.shape), dim0, dim1))


def _t(x: Tensor) -> Tensor:
    if len(x.shape) < 2:
        return x if len(x.shape) == 0 else ops.Reshape.apply(x, tuple(x.shape))
    return _transpose(x, 0, 1)


def _permute(x: Tensor, *dims: Any) -> Tensor:
    return ops.Permute.apply(x, _shape_args(dims))


def _expand(x: Tensor, *sizes: Any) -> Tensor:
    sizes = _shape_args(sizes)
    shape = tuple(x.shape)
    offset = len(sizes) - len(shape)
    target = tuple(shape[d - offset] if n == -1 else n for d, n in enumerate(sizes))
    return ops.Expand.apply(x, target)


def _squeeze(x: Tensor, dim: Any = None) -> Tensor:
    return ops.Reshape.apply(x, ops.squeezed_shape(x.shape, dim))


def _unsqueeze(x: Tensor, dim: int) -> Tensor:
    return ops.Reshape.apply(x, ops.unsqueezed_shape(x.shape, dim))


def _cat(tensors: Any, dim: int = 0) -> Tensor:
    return ops.Cat.apply(dim, *tensors)


def _stack(tensors: Any, dim: int = 0) -> Tensor:
    return ops.Stack.apply(dim, *tensors)


def _to(x: Tensor, *args: Any, dtype: Any = None, copy: bool = False, **kwargs: Any) -> Any:
    target = dtype if dtype is not None else next((a for a in args if a is not None), None)
    if target is None:
        return x
    name = getattr(target, "name", target)
    if isinstance(name, str) and name.startswith("torch."):    # 'torch.DoubleTensor'
        name = {"torch.FloatTensor": "float32", "torch.DoubleTensor": "float64"}.get(name, name)
    return ops.Cast.apply(x, np.dtype(str(name)))


def _narrow(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    index = [slice(None)] * len(x.shape)
    index[dim] = slice(start, start + length)
    return ops.GetItem.apply(x, tuple(index))


def _select(x: Tensor, dim: int, index: int) -> Tensor:
    position = [slice(None)] * len(x.shape)
    position[dim] = index
    return ops.GetItem.apply(x, tuple(position))


def _ddof(unbiased: Any, correction: Any) -> int:
    return int(correction) if correction is not None else int(bool(unbiased))


def _var(x: Tensor, dim: Any = None, unbiased: Any = True, keepdim: bool = False,
         correction: Any = None) -> Tensor:
    return ops.Variance.apply(x, dim, _ddof(unbiased, correction), keepdim)


def _std(x: Tensor, dim: Any = None, unbiased: Any = True, keepdim: bool = False,
         correction: Any = None) -> Tensor:
    return ops.Sqrt.apply(_var(x, dim, unbiased, keepdim, correction))


def _norm(x: Tensor, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
    return ops.Norm.apply(x, p, dim, keepdim)


def _along(take_max: bool) -> Callable:
    def reduce(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.ExtremumAlong.apply(x, dim, keepdim, take_max)
    return reduce


def _where(condition: Any, x: Any, other: Any) -> Tensor:
    return ops.Where.apply(condition, x, other)


def _softmax(x: Tensor, dim: int) -> Tensor:
    from ..nn import functional
    return functional.softmax(x, dim)


def _log_softmax(x: Tensor, dim: int) -> Tensor:
    from ..nn import functional
    return functional.log_softmax(x, dim)


def _alone(x: Tensor) -> bool:
    """Whether x's memory is reached by x alone: no view, no Lua reference, no other array.
    The autograd's results wrap numpy arrays: such an array must own its data and be held by
    x's storage alone (the counts below add this function's own references)."""
    if not x._sole_owner:
        return False
    owner = x._memory_owner              # from_numpy keeps a memoryview of the array
    if owner is None:
        return True
    exporter = getattr(owner, "obj", None)
    return (type(exporter) is np.ndarray and exporter.base is None
            and sys.getrefcount(owner) <= 3 and sys.getrefcount(exporter) <= 3)


def _in_place(name: str, out_of_place: Optional[Callable]) -> Callable:
    """Tensor method `name` (add_, __iadd__, relu_, ...) on the tape: the out-of-place
    operation on a recorded copy of the old value, written back into the tensor, which then
    stands for the result (its grad_fn the operation's, its _version one higher). Values that
    nodes saved from the tensor earlier are then stale: their backward says so."""
    def run(x: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(x, Tensor) and x.requires_grad and x.grad_fn is None:
            raise RuntimeError("a leaf tensor that requires grad is being used in an in-place "
                               "operation (%s); wrap it in `with t7.no_grad():` or use "
                               ".detach()" % name)
        if out_of_place is None or not _alone(x):
            raise RuntimeError("in-place operation %s on a tensor that is part of a graph "
                               "and %s: the tape cannot record it; use the out-of-place form"
                               % (name, "shares its memory (a view, or a tensor Lua holds)"
                                  if out_of_place else "has no recorded in-place form"))
        old = ops.Copy.apply(x) if x.requires_grad else x.clone()
        result = out_of_place(old, *args, **kwargs)
        if tuple(result.shape) != tuple(x.shape):
            raise RuntimeError("output with shape %s doesn't match the broadcast shape %s"
                               % (list(x.shape), list(result.shape)))
        if result.dtype != x.dtype:
            result = _to(result, x.dtype)
        with grad_mode.no_grad():
            x.copy_(result)
        x.grad_fn = result.grad_fn
        x.requires_grad = True
        x._version = getattr(x, "_version", 0) + 1
        return x
    return run


def _swap(function: Callable) -> Callable:
    return lambda x, other: function(other, x)


OPERATIONS: dict = {
    "add": ops.Add.apply, "__add__": ops.Add.apply, "__radd__": _swap(ops.Add.apply),
    "sub": ops.Sub.apply, "__sub__": ops.Sub.apply, "__rsub__": _swap(ops.Sub.apply),
    "mul": ops.Mul.apply, "__mul__": ops.Mul.apply, "__rmul__": _swap(ops.Mul.apply),
    "div": ops.Div.apply, "true_divide": ops.Div.apply, "__truediv__": ops.Div.apply,
    "__rtruediv__": _swap(ops.Div.apply),
    "neg": ops.Neg.apply, "__neg__": ops.Neg.apply,
    "pow": _pow, "__pow__": _pow, "__rpow__": _swap(_pow),
    "matmul": ops.MatMul.apply, "__matmul__": ops.MatMul.apply, "mm": ops.MatMul.apply,
    "bmm": ops.MatMul.apply, "__rmatmul__": _swap(ops.MatMul.apply),
    "sum": _sum, "mean": _mean, "max": _extremum(True), "min": _extremum(False),
    "exp": ops.Exp.apply, "log": ops.Log.apply, "tanh": ops.Tanh.apply,
    "sigmoid": ops.Sigmoid.apply, "relu": ops.Relu.apply, "sqrt": ops.Sqrt.apply,
    "abs": ops.Abs.apply, "__abs__": ops.Abs.apply, "sin": ops.Sin.apply,
    "cos": ops.Cos.apply, "clamp": _clamp, "clip": _clamp,
    "view": _reshape, "reshape": _reshape, "flatten": _flatten, "transpose": _transpose,
    "t": _t, "permute": _permute, "expand": _expand, "squeeze": _squeeze,
    "unsqueeze": _unsqueeze, "contiguous": ops.Copy.apply, "clone": ops.Copy.apply,
    "__getitem__": ops.GetItem.apply, "cat": _cat, "stack": _stack,
    "softmax": _softmax, "log_softmax": _log_softmax,
    # the names the Tensor's reflected operators use
    "rsub": _swap(ops.Sub.apply), "rdiv": _swap(ops.Div.apply), "rpow": _swap(_pow),
    "to": _to, "narrow": _narrow, "select": _select, "square": ops.Square.apply,
    "rsqrt": ops.Rsqrt.apply, "reciprocal": ops.Reciprocal.apply,
    "maximum": lambda x, other: ops.Extremum2.apply(x, other, True),
    "minimum": lambda x, other: ops.Extremum2.apply(x, other, False),
    "amax": _along(True), "amin": _along(False), "var": _var, "std": _std, "norm": _norm,
    "cumsum": ops.CumSum.apply, "masked_fill": ops.MaskedFill.apply, "where": _where,
    "logsumexp": ops.LogSumExp.apply,
    "prod": lambda x, dim=None, keepdim=False, dtype=None: ops.Prod.apply(x, dim, keepdim),
}
# in-place methods and the out-of-place operations they record (None: refused)
for _name, _operation in {
        "add_": "add", "__iadd__": "add", "sub_": "sub", "__isub__": "sub", "mul_": "mul",
        "__imul__": "mul", "div_": "div", "__itruediv__": "div", "pow_": "pow",
        "clamp_": "clamp", "exp_": "exp", "log_": "log", "tanh_": "tanh",
        "sigmoid_": "sigmoid", "relu_": "relu", "sqrt_": "sqrt", "abs_": "abs", "neg_": "neg",
        "masked_fill_": "masked_fill", "zero_": None, "fill_": None, "copy_": None,
        "__setitem__": None, "uniform_": None, "normal_": None, "random_": None,
        "bernoulli_": None}.items():
    OPERATIONS[_name] = _in_place(_name, OPERATIONS[_operation] if _operation else None)


def dispatch(name: str, args: tuple, kwargs: dict) -> Any:
    """Runs the differentiable form of Tensor method `name` (args: self first)."""
    operation = OPERATIONS.get(name)
    if operation is None:
        raise NotImplementedError("%s is not differentiable: the autograd has no gradient "
                                  "for it (call it on .detach() to compute without one)" % name)
    return operation(*args, **kwargs) if kwargs else operation(*args)
