"""The differentiable tensor operations, each forward next to its backward.

Arithmetic runs on numpy views of the tensors (no copies in, none out). Broadcasting
operands get their gradient summed back to their own shape.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from ._arrays import Tensor, array, tensor
from .function import Function


def _shape(x: Any) -> Optional[tuple]:
    return tuple(x.shape) if hasattr(x, "shape") else None


def _unbroadcast(grad: np.ndarray, shape: Optional[tuple]) -> Any:
    """grad summed over the dimensions broadcasting added or stretched, to `shape`
    (None: the operand was a Python number, which gets no gradient)."""
    if shape is None:
        return None
    if grad.shape != shape:
        extra = grad.ndim - len(shape)
        if extra > 0:
            grad = grad.sum(axis=tuple(range(extra)))
        stretched = tuple(d for d, n in enumerate(shape) if n == 1 and grad.shape[d] != 1)
        if stretched:
            grad = grad.sum(axis=stretched, keepdims=True)
        grad = grad.reshape(shape)
    return tensor(grad)


class Add(Function):
    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.shapes = _shape(a), _shape(b)
        ctx.alpha = alpha
        return tensor(array(a) + alpha * array(b) if alpha != 1 else array(a) + array(b))

    @staticmethod
    def backward(ctx, grad):
        g = grad.numpy()
        sa, sb = ctx.shapes
        return (_unbroadcast(g, sa) if ctx.needs_input_grad[0] else None,
                _unbroadcast(g * ctx.alpha if ctx.alpha != 1 else g, sb)
                if ctx.needs_input_grad[1] else None, None)


class Sub(Function):
    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.shapes = _shape(a), _shape(b)
        ctx.alpha = alpha
        return tensor(array(a) - alpha * array(b))

    @staticmethod
    def backward(ctx, grad):
        g = grad.numpy()
        sa, sb = ctx.shapes
        return (_unbroadcast(g, sa) if ctx.needs_input_grad[0] else None,
                _unbroadcast(-ctx.alpha * g, sb) if ctx.needs_input_grad[1] else None, None)


class Mul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return tensor(array(a) * array(b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        g = grad.numpy()
        return (_unbroadcast(g * array(b), _shape(a)) if ctx.needs_input_grad[0] else None,
                _unbroadcast(g * array(a), _shape(b)) if ctx.needs_input_grad[1] else None)


class Div(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return tensor(array(a) / array(b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        g, x, y = grad.numpy(), array(a), array(b)
        return (_unbroadcast(g / y, _shape(a)) if ctx.needs_input_grad[0] else None,
                _unbroadcast(-g * x / (y * y), _shape(b)) if ctx.needs_input_grad[1] else None)


class Neg(Function):
    @staticmethod
    def forward(ctx, a):
        return tensor(-a.numpy())

    @staticmethod
    def backward(ctx, grad):
        return tensor(-grad.numpy())


class Pow(Function):
    """a ** b for a tensor and a number (either side) or two tensors."""

    @staticmethod
    def forward(ctx, a, b):
        result = tensor(np.power(array(a), array(b)))
        ctx.save_for_backward(a, b, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, b, result = ctx.saved_tensors
        g, x, y = grad.numpy(), array(a), array(b)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = _unbroadcast(g * y * np.power(x, y - 1), _shape(a))
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_x = np.where(x > 0, np.log(np.where(x > 0, x, 1)), 0)
            grad_b = _unbroadcast(g * result.numpy() * log_x, _shape(b))
        return grad_a, grad_b


class MatMul(Function):
    """numpy's matmul rules: vectors, matrices, and batches of matrices broadcast."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return tensor(np.matmul(a.numpy(), b.numpy()))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        x, y, g = a.numpy(), b.numpy(), grad.numpy()
        if x.ndim == 1 and y.ndim == 1:          # a dot product
            g = g.reshape(())
            return (tensor(g * y) if ctx.needs_input_grad[0] else None,
                    tensor(g * x) if ctx.needs_input_grad[1] else None)
        # vectors become matrices (a row for the left operand, a column for the right)
        x2 = x[None, :] if x.ndim == 1 else x
        y2 = y[:, None] if y.ndim == 1 else y
        if x.ndim == 1:
            g = np.expand_dims(g, -2)
        if y.ndim == 1:
            g = np.expand_dims(g, -1)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            ga = np.matmul(g, np.swapaxes(y2, -1, -2))
            grad_a = _unbroadcast(ga.reshape(ga.shape[:-2] + (-1,)) if x.ndim == 1 else ga,
                                  x.shape)
        if ctx.needs_input_grad[1]:
            gb = np.matmul(np.swapaxes(x2, -1, -2), g)
            grad_b = _unbroadcast(gb[..., 0] if y.ndim == 1 else gb, y.shape)
        return grad_a, grad_b


def _dims(dim: Any, ndim: int) -> Optional[tuple]:
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    for d in dims:
        if not -ndim <= d < max(ndim, 1):
            raise IndexError("Dimension out of range (expected to be in range of [%d, %d], but "
                             "got %d)" % (-ndim, ndim - 1, d))
    return tuple(d % ndim for d in dims) if ndim else dims


def _expand_reduced(g: np.ndarray, shape: tuple, dims: Optional[tuple], keepdim: bool):
    """A reduction's gradient back in the input's layout (broadcastable to shape)."""
    if dims is None:
        return g.reshape(())
    if not keepdim:
        g = np.expand_dims(g, dims)
    return g


class Sum(Function):
    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        x = a.numpy()
        ctx.shape = x.shape
        ctx.reduced = _dims(dim, x.ndim), keepdim
        return tensor(np.sum(x, axis=ctx.reduced[0], keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        g = _expand_reduced(grad.numpy(), ctx.shape, *ctx.reduced)
        return tensor(np.broadcast_to(g, ctx.shape).copy()), None, None


class Mean(Function):
    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        x = a.numpy()
        ctx.shape = x.shape
        dims = _dims(dim, x.ndim)
        ctx.reduced = dims, keepdim
        ctx.count = x.size if dims is None else int(np.prod([x.shape[d] for d in dims]))
        return tensor(np.mean(x, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        g = _expand_reduced(grad.numpy(), ctx.shape, *ctx.reduced) / ctx.count
        return tensor(np.broadcast_to(g, ctx.shape).copy()), None, None


class MaxMin(Function):
    """max/min along dim: (values, indices); the gradient goes to the chosen positions."""

    @staticmethod
    def forward(ctx, a, dim, keepdim, take_max):
        x = a.numpy()
        d = _dims(dim, x.ndim)[0]
        index = (np.argmax if take_max else np.argmin)(x, axis=d)
        index = np.expand_dims(index, d)
        values = np.take_along_axis(x, index, axis=d)
        ctx.shape, ctx.dim, ctx.index = x.shape, d, index
        if not keepdim:
            values, index = values.squeeze(d), index.squeeze(d)
        indices = tensor(index.astype(np.int64))
        ctx.mark_non_differentiable(indices)
        return tensor(values), indices

    @staticmethod
    def backward(ctx, grad, grad_indices):
        g = grad.numpy()
        if g.ndim < len(ctx.shape):
            g = np.expand_dims(g, ctx.dim)
        out = np.zeros(ctx.shape, dtype=g.dtype)
        np.put_along_axis(out, ctx.index, g, axis=ctx.dim)
        return tensor(out), None, None, None


class MaxMinAll(Function):
    """The largest (smallest) element; ties share the gradient equally."""

    @staticmethod
    def forward(ctx, a, take_max):
        x = a.numpy()
        value = x.max() if take_max else x.min()
        ctx.mask = x == value
        return tensor(np.asarray(value))

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.mask
        return tensor(mask * (grad.numpy().reshape(()) / mask.sum())), None


def _unary(name: str, forward, derivative, uses_output: bool) -> type:
    """A Function for y = forward(x) whose gradient is g * derivative(x or y)."""
    def fwd(ctx, a):
        result = tensor(forward(a.numpy()))
        ctx.save_for_backward(result if uses_output else a)
        return result

    def bwd(ctx, grad):
        value, = ctx.saved_tensors
        return tensor(grad.numpy() * derivative(value.numpy()))
    return type(name, (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd),
                                    "__doc__": "Elementwise %s." % name.lower()})


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


Exp = _unary("Exp", np.exp, lambda y: y, True)
Square = _unary("Square", np.square, lambda x: 2 * x, False)
Reciprocal = _unary("Reciprocal", np.reciprocal, lambda y: -y * y, True)
Rsqrt = _unary("Rsqrt", lambda x: 1 / np.sqrt(x), lambda y: -0.5 * y ** 3, True)
Log = _unary("Log", np.log, lambda x: 1 / x, False)
Tanh = _unary("Tanh", np.tanh, lambda y: 1 - y * y, True)
Sigmoid = _unary("Sigmoid", _sigmoid, lambda y: y * (1 - y), True)
Sqrt = _unary("Sqrt", np.sqrt, lambda y: 0.5 / y, True)
Abs = _unary("Abs", np.abs, np.sign, False)
Sin = _unary("Sin", np.sin, np.cos, False)
Cos = _unary("Cos", np.cos, lambda x: -np.sin(x), False)
Relu = _unary("Relu", lambda x: np.maximum(x, 0), lambda x: x > 0, False)


class Cast(Function):
    """A copy in another floating type; the gradient comes back in the input's type."""

    @staticmethod
    def forward(ctx, a, dtype):
        x = a.numpy()
        ctx.dtype = x.dtype
        return tensor(x.astype(dtype))

    @staticmethod
    def backward(ctx, grad):
        return tensor(grad.numpy().astype(ctx.dtype)), None


class Where(Function):
    """condition ? a : b, broadcast."""

    @staticmethod
    def forward(ctx, condition, a, b):
        c = array(condition).astype(bool)
        ctx.mask, ctx.shapes = c, (_shape(a), _shape(b))
        return tensor(np.where(c, array(a), array(b)))

    @staticmethod
    def backward(ctx, grad):
        g, (sa, sb) = grad.numpy(), ctx.shapes
        return (None,
                _unbroadcast(np.where(ctx.mask, g, 0), sa) if ctx.needs_input_grad[1] else None,
                _unbroadcast(np.where(ctx.mask, 0, g), sb) if ctx.needs_input_grad[2] else None)


class Extremum2(Function):
    """maximum/minimum of two tensors; ties share the gradient equally."""

    @staticmethod
    def forward(ctx, a, b, take_max):
        x, y = array(a), array(b)
        ctx.save_for_backward(a, b)
        ctx.take_max = take_max
        return tensor(np.maximum(x, y) if take_max else np.minimum(x, y))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        x, y, g = array(a), array(b), grad.numpy()
        first = (x > y) if ctx.take_max else (x < y)
        share = np.where(x == y, 0.5, np.where(first, 1.0, 0.0))
        return (_unbroadcast(g * share, _shape(a)) if ctx.needs_input_grad[0] else None,
                _unbroadcast(g * (1 - share), _shape(b)) if ctx.needs_input_grad[1] else None,
                None)


class ExtremumAlong(Function):
    """amax/amin along dims; ties share the gradient equally."""

    @staticmethod
    def forward(ctx, a, dim, keepdim, take_max):
        x = a.numpy()
        dims = _dims(dim, x.ndim) if dim is not None and dim != () else None
        reduce = np.max if take_max else np.min
        value = reduce(x, axis=dims, keepdims=True)
        mask = x == value
        ctx.share = mask / np.sum(mask, axis=dims, keepdims=True)
        ctx.reduced = dims, keepdim
        return tensor(value if keepdim else reduce(x, axis=dims))

    @staticmethod
    def backward(ctx, grad):
        g = _expand_reduced(grad.numpy(), ctx.share.shape, *ctx.reduced)
        return tensor(g * ctx.share), None, None, None


class LogSumExp(Function):
    @staticmethod
    def forward(ctx, a, dim, keepdim):
        x = a.numpy()
        dims = _dims(dim, x.ndim)
        top = np.max(x, axis=dims, keepdims=True)
        value = top + np.log(np.sum(np.exp(x - top), axis=dims, keepdims=True))
        ctx.softmax = np.exp(x - value)
        ctx.reduced = dims, keepdim
        return tensor(value if keepdim else np.squeeze(value, axis=dims))

    @staticmethod
    def backward(ctx, grad):
        g = _expand_reduced(grad.numpy(), ctx.softmax.shape, *ctx.reduced)
        return tensor(g * ctx.softmax), None, None


class Prod(Function):
    """The product along one dim (or of all elements); each element's gradient is the
    product of the others (exact with zeros too)."""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        x = a.numpy()
        ctx.shape = x.shape
        ctx.reduced = (_dims(dim, x.ndim) if dim is not None else None), keepdim
        flat = x.reshape(-1) if dim is None else np.moveaxis(x, ctx.reduced[0][0], -1)
        ones = np.ones(flat.shape[:-1] + (1,), dtype=x.dtype)
        before = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
        after = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat, -1)[..., :-1]], -1),
                                   -1), -1)
        others = before * after
        ctx.others = others if dim is None else np.moveaxis(others, -1, ctx.reduced[0][0])
        return tensor(np.prod(x, axis=ctx.reduced[0], keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        g = _expand_reduced(grad.numpy(), ctx.shape, *ctx.reduced)
        return tensor((g * ctx.others.reshape(ctx.shape)).reshape(ctx.shape)), None, None


class CumSum(Function):
    @staticmethod
    def forward(ctx, a, dim):
        x = a.numpy()
        ctx.dim = _dims(dim, x.ndim)[0]
        return tensor(np.cumsum(x, axis=ctx.dim))

    @staticmethod
    def backward(ctx, grad):
        g = np.flip(grad.numpy(), ctx.dim)
        return tensor(np.flip(np.cumsum(g, axis=ctx.dim), ctx.dim)), None


class MaskedFill(Function):
    @staticmethod
    def forward(ctx, a, mask, value):
        m = np.broadcast_to(array(mask).astype(bool), tuple(a.shape))
        ctx.mask = m
        return tensor(np.where(m, array(value), a.numpy()).astype(a.numpy().dtype))

    @staticmethod
    def backward(ctx, grad):
        return tensor(np.where(ctx.mask, 0, grad.numpy())), None, None


class Variance(Function):
    """var along dims, divided by n - ddof."""

    @staticmethod
    def forward(ctx, a, dim, ddof, keepdim):
        x = a.numpy()
        dims = _dims(dim, x.ndim)
        ctx.save_for_backward(a)
        ctx.reduced, ctx.ddof = (dims, keepdim), int(ddof)
        return tensor(np.var(x, axis=dims, ddof=ctx.ddof, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        x = a.numpy()
        dims, keepdim = ctx.reduced
        count = x.size if dims is None else int(np.prod([x.shape[d] for d in dims]))
        g = _expand_reduced(grad.numpy(), x.shape, dims, keepdim)
        centred = x - np.mean(x, axis=dims, keepdims=True)
        return tensor(g * 2 * centred / (count - ctx.ddof)), None, None, None


class Norm(Function):
    """The p-norm along dims (p = 2 by default; 1 and inf too)."""

    @staticmethod
    def forward(ctx, a, p, dim, keepdim):
        x = a.numpy()
        dims = _dims(dim, x.ndim)
        if p == "fro":
            p = 2
        if p not in (1, 2, float("inf")):
            raise NotImplementedError("the gradient of the %s-norm is not implemented (p = 1, "
                                      "2 or inf)" % p)
        if p == 1:
            value = np.sum(np.abs(x), axis=dims, keepdims=keepdim)
        elif p == 2:
            value = np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim))
        else:
            value = np.max(np.abs(x), axis=dims, keepdims=keepdim)
        result = tensor(value)
        ctx.save_for_backward(a, result)
        ctx.p, ctx.reduced = p, (dims, keepdim)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.saved_tensors
        x = a.numpy()
        g = _expand_reduced(grad.numpy(), x.shape, *ctx.reduced)
        n = _expand_reduced(result.numpy(), x.shape, *ctx.reduced)
        if ctx.p == 1:
            local = np.sign(x)
        elif ctx.p == 2:
            with np.errstate(invalid="ignore", divide="ignore"):
                local = np.where(n == 0, 0, x / n)
        else:
            hits = np.abs(x) == n
            local = np.sign(x) * hits / np.sum(hits, axis=ctx.reduced[0], keepdims=True)
        return tensor(g * local), None, None, None


class Clamp(Function):
    @staticmethod
    def forward(ctx, a, low=None, high=None):
        x = a.numpy()
        ctx.save_for_backward(a)
        ctx.bounds = low, high
        return tensor(np.clip(x, low, high))

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        x, (low, high) = a.numpy(), ctx.bounds
        inside = np.ones(x.shape, dtype=bool)
        if low is not None:
            inside &= x >= low
        if high is not None:
            inside &= x <= high
        return tensor(grad.numpy() * inside), None, None


class Reshape(Function):
    """view/reshape/flatten/squeeze/unsqueeze: the same elements in a new shape."""

    @staticmethod
    def forward(ctx, a, shape):
        x = a.numpy()
        ctx.shape = x.shape
        return tensor(x.reshape(shape))

    @staticmethod
    def backward(ctx, grad):
        return tensor(grad.numpy().reshape(ctx.shape)), None


class Permute(Function):
    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return tensor(np.transpose(a.numpy(), dims))

    @staticmethod
    def backward(ctx, grad):
        return tensor(np.transpose(grad.numpy(), np.argsort(ctx.dims))), None


class Expand(Function):
    @staticmethod
    def forward(ctx, a, shape):
        x = a.numpy()
        ctx.shape = x.shape
        return tensor(np.broadcast_to(x, shape).copy())

    @staticmethod
    def backward(ctx, grad):
        return _unbroadcast(grad.numpy(), ctx.shape), None


class Copy(Function):
    """clone/contiguous: a fresh copy."""

    @staticmethod
    def forward(ctx, a):
        return tensor(a.numpy().copy())

    @staticmethod
    def backward(ctx, grad):
        return grad


def _numpy_index(index: Any) -> Any:
    """A Python index with its tensors as numpy arrays."""
    if isinstance(index, tuple):
        return tuple(_numpy_index(i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    if isinstance(index, Tensor) and index.lua_type == "torch.ByteTensor":
        return index.numpy().astype(bool)       # comparisons give byte masks
    return array(index)


def _has_arrays(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, np.ndarray) for p in parts)


class GetItem(Function):
    """Indexing with ints, slices, None, Ellipsis and integer or boolean arrays."""

    @staticmethod
    def forward(ctx, a, index):
        x = a.numpy()
        index = _numpy_index(index)
        ctx.shape, ctx.dtype, ctx.index = x.shape, x.dtype, index
        return tensor(x[index])

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.shape, dtype=ctx.dtype)
        if _has_arrays(ctx.index):
            np.add.at(out, ctx.index, grad.numpy())    # repeated indices add up
        else:
            out[ctx.index] = grad.numpy()
        return tensor(out), None


class Cat(Function):
    @staticmethod
    def forward(ctx, dim, *tensors):
        arrays = [t.numpy() for t in tensors]
        dim = _dims(dim, arrays[0].ndim)[0]
        ctx.dim, ctx.bounds = dim, np.cumsum([a.shape[dim] for a in arrays])[:-1]
        return tensor(np.concatenate(arrays, axis=dim))

    @staticmethod
    def backward(ctx, grad):
        parts = np.split(grad.numpy(), ctx.bounds, axis=ctx.dim)
        return (None,) + tuple(tensor(p) if need else None
                               for p, need in zip(parts, ctx.needs_input_grad[1:]))


class Stack(Function):
    @staticmethod
    def forward(ctx, dim, *tensors):
        arrays = [t.numpy() for t in tensors]
        dim = _dims(dim, arrays[0].ndim + 1)[0]
        ctx.dim = dim
        return tensor(np.stack(arrays, axis=dim))

    @staticmethod
    def backward(ctx, grad):
        g = grad.numpy()
        return (None,) + tuple(tensor(np.take(g, i, axis=ctx.dim)) if need else None
                               for i, need in enumerate(ctx.needs_input_grad[1:]))


def squeezed_shape(shape: Sequence[int], dim: Optional[int]) -> tuple:
    if dim is None:
        return tuple(n for n in shape if n != 1)
    dim = _dims(dim, len(shape))[0]
    return tuple(n for d, n in enumerate(shape) if d != dim or n != 1)


def unsqueezed_shape(shape: Sequence[int], dim: int) -> tuple:
    dim = _dims(dim, len(shape) + 1)[0]
    return tuple(shape[:dim]) + (1,) + tuple(shape[dim:])


def transposed_dims(ndim: int, dim0: int, dim1: int) -> tuple:
    d0, d1 = _dims((dim0, dim1), ndim)
    dims = list(range(ndim))
    dims[d0], dims[d1] = d1, d0
    return tuple(dims)
