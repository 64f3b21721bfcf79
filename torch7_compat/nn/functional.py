"""t7.nn.functional: neural-network operations with gradients, on the kernels the Lua nn
modules run (nn.Linear's matrix products, nn.SpatialConvolution's unfold + gemm, nn.SoftMax,
nn.ClassNLLCriterion, nn.BatchNormalization ...). Arguments and defaults are PyTorch's.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import numpy as np

from ..autograd import ops
from ..autograd._arrays import fresh, tensor
from ..autograd.function import Function
from .._native import core

Tensor = core.Tensor
Pair = Union[int, Tuple[int, int]]

_TANH, _SIGMOID = 4, 5      # t7_unary's codes (cython_ext/t7_abi.h)


def _pair(value: Pair) -> tuple:
    if isinstance(value, int):
        return value, value
    if len(value) != 2:
        raise ValueError("expected an int or a pair of ints, got %r" % (value,))
    return int(value[0]), int(value[1])


def _scalar(value: float, like: Tensor) -> Tensor:
    return tensor(np.array(value, dtype=like.numpy().dtype))


def _matrix(x: Tensor) -> Tensor:
    """x as a contiguous 2-D tensor (rows: every leading dimension)."""
    if x.ndim == 2:
        return x
    return tensor(np.ascontiguousarray(x.numpy()).reshape(-1, x.shape[-1]))


class _Linear(Function):
    @staticmethod
    def forward(ctx, input, weight, bias):
        x = _matrix(input)
        ctx.save_for_backward(x, weight)
        ctx.shape = tuple(input.shape)
        out = core.nn_linear(x, weight, bias)
        if input.ndim != 2:
            out = tensor(out.numpy().reshape(ctx.shape[:-1] + (weight.shape[0],)))
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need = ctx.needs_input_grad
        gi, gw, gb = core.nn_linear_backward(_matrix(grad), x, weight, need[0], need[1],
                                             need[2])
        fresh(gw), fresh(gb)
        if gi is not None and len(ctx.shape) != 2:
            gi = tensor(gi.numpy().reshape(ctx.shape))
        return gi, gw, gb


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """input @ weight.T + bias, weight being out_features x in_features (nn.Linear)."""
    if input.shape[-1:] != weight.shape[1:2]:
        raise ValueError("linear: input of shape %s does not match weight of shape %s "
                         "(in_features %s)" % (tuple(input.shape), tuple(weight.shape),
                                               weight.shape[1:2]))
    return _Linear.apply(input, weight, bias)


class _Conv2d(Function):
    @staticmethod
    def forward(ctx, input, weight, bias, stride, padding, dilation, groups):
        ctx.save_for_backward(input, weight)
        ctx.geometry = stride, padding, dilation, groups
        return core.nn_conv2d(input, weight, bias, stride, padding, dilation, groups)

    @staticmethod
    def backward(ctx, grad):
        input, weight = ctx.saved_tensors
        need = ctx.needs_input_grad
        gi, gw, gb = core.nn_conv2d_backward(grad, input, weight, *ctx.geometry, need[0],
                                             need[1], need[2])
        fresh(gw), fresh(gb)
        return gi, gw, gb, None, None, None, None


def conv2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Pair = 1,
           padding: Pair = 0, dilation: Pair = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of (N x) C_in x H x W input with a C_out x C_in/groups x kH x kW
    weight (nn.SpatialConvolution's kernel)."""
    if input.ndim not in (3, 4):
        raise ValueError("conv2d: 3-D or 4-D input expected, got shape %s" % (input.shape,))
    if input.shape[-3] != weight.shape[1] * groups:
        raise ValueError("conv2d: input of shape %s has %d channels, the weight of shape %s "
                         "expects %d" % (tuple(input.shape), input.shape[-3],
                                         tuple(weight.shape), weight.shape[1] * groups))
    return _Conv2d.apply(input, weight, bias, _pair(stride), _pair(padding), _pair(dilation),
                         groups)


class _MaxPool2d(Function):
    @staticmethod
    def forward(ctx, input, kernel, stride, padding, dilation, ceil_mode):
        out, indices = core.nn_max_pool2d(input, kernel, stride, padding, dilation, ceil_mode)
        ctx.save_for_backward(input, indices)
        ctx.mark_non_differentiable(indices)
        return out, indices

    @staticmethod
    def backward(ctx, grad, grad_indices):
        input, indices = ctx.saved_tensors
        return core.nn_max_pool2d_backward(grad, input, indices), None, None, None, None, None


def max_pool2d(input: Tensor, kernel_size: Pair, stride: Optional[Pair] = None,
               padding: Pair = 0, dilation: Pair = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """Max pooling over (N x) C x H x W input (nn.SpatialDilatedMaxPooling's kernel); with
    return_indices, also each maximum's flat position in its H x W plane."""
    kernel = _pair(kernel_size)
    out, indices = _MaxPool2d.apply(input, kernel, _pair(stride) if stride else kernel,
                                    _pair(padding), _pair(dilation), ceil_mode)
    return (out, indices) if return_indices else out


class _AvgPool2d(Function):
    @staticmethod
    def forward(ctx, input, kernel, stride, padding, ceil_mode, count_include_pad):
        ctx.save_for_backward(input)
        ctx.geometry = kernel, stride, padding, ceil_mode, count_include_pad
        return core.nn_avg_pool2d(input, *ctx.geometry)

    @staticmethod
    def backward(ctx, grad):
        input, = ctx.saved_tensors
        return (core.nn_avg_pool2d_backward(grad, input, *ctx.geometry),
                None, None, None, None, None)


def avg_pool2d(input: Tensor, kernel_size: Pair, stride: Optional[Pair] = None,
               padding: Pair = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Average pooling over (N x) C x H x W input (nn.SpatialAveragePooling's kernel)."""
    kernel = _pair(kernel_size)
    return _AvgPool2d.apply(input, kernel, _pair(stride) if stride else kernel,
                            _pair(padding), ceil_mode, count_include_pad)


class _BatchNorm(Function):
    @staticmethod
    def forward(ctx, input, weight, bias, running_mean, running_var, training, momentum, eps):
        x = tensor(np.ascontiguousarray(input.numpy()))
        out, save_mean, save_std = core.nn_batch_norm(x, weight, bias, running_mean,
                                                      running_var, training, momentum, eps)
        ctx.save_for_backward(x, weight, running_mean, running_var, save_mean, save_std)
        ctx.training, ctx.eps = training, eps
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight, running_mean, running_var, save_mean, save_std = ctx.saved_tensors
        need = ctx.needs_input_grad
        g = tensor(np.ascontiguousarray(grad.numpy()))
        gi, gw, gb = core.nn_batch_norm_backward(g, x, weight, running_mean, running_var,
                                                 save_mean, save_std, ctx.training, ctx.eps,
                                                 need[0], need[1], need[2])
        return gi, gw, gb, None, None, None, None, None


def batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor],
               weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalises each channel (dimension 1) of N x C (x ...) input by the batch statistics
    (training; these also move running_mean/running_var by `momentum`, the variance
    unbiased) or by the running ones (evaluation) - nn.BatchNormalization's kernel."""
    if running_mean is None or running_var is None:
        if not training:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var")
        planes = input.shape[1]
        dtype = input.numpy().dtype
        running_mean = tensor(np.zeros(planes, dtype))
        running_var = tensor(np.ones(planes, dtype))
    return _BatchNorm.apply(input, weight, bias, running_mean, running_var, bool(training),
                            momentum, eps)


class _Relu(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return core.nn_threshold(input, 0, 0)

    @staticmethod
    def backward(ctx, grad):
        input, = ctx.saved_tensors
        return core.nn_threshold_backward(grad, input, 0)


def _output_transfer(name: str, code: int, gradient: Any) -> type:
    """A Function y = t7_unary(x, code) whose gradient kernel reads y."""
    def forward(ctx, input):
        out = core.nn_unary(input, code)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return gradient(grad, out)
    return type(name, (Function,), {"forward": staticmethod(forward),
                                    "backward": staticmethod(backward)})


_Tanh = _output_transfer("_Tanh", _TANH, core.nn_tanh_backward)
_Sigmoid = _output_transfer("_Sigmoid", _SIGMOID, core.nn_sigmoid_backward)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0) (nn.ReLU's threshold kernel)."""
    return _Relu.apply(input)


def tanh(input: Tensor) -> Tensor:
    return _Tanh.apply(input)


def sigmoid(input: Tensor) -> Tensor:
    return _Sigmoid.apply(input)


def _softmax_layout(shape: tuple, dim: int) -> tuple:
    """The 4-D shape (outer, dim, inner, 1) the softmax kernel reduces over dimension 1 of."""
    outer = int(np.prod(shape[:dim], dtype=np.int64))
    inner = int(np.prod(shape[dim + 1:], dtype=np.int64))
    return outer, shape[dim], inner, 1


class _Softmax(Function):
    @staticmethod
    def forward(ctx, input, dim, take_log):
        shape = tuple(input.shape)
        x = np.ascontiguousarray(input.numpy()).reshape(_softmax_layout(shape, dim))
        out = core.nn_softmax(tensor(x), take_log)
        ctx.save_for_backward(out)
        ctx.shape, ctx.take_log = shape, take_log
        return tensor(out.numpy().reshape(shape))

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        g = tensor(np.ascontiguousarray(grad.numpy()).reshape(out.shape))
        gi = core.nn_softmax_backward(g, out, ctx.take_log)
        return tensor(gi.numpy().reshape(ctx.shape)), None, None


def _dim(dim: Optional[int], ndim: int) -> int:
    if dim is None:
        # PyTorch's legacy choice when dim is left out
        return 0 if ndim in (0, 1, 3) else 1
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError("Dimension out of range (expected to be in range of [%d, %d], but got "
                         "%d)" % (-max(ndim, 1), max(ndim, 1) - 1, dim))
    return dim % max(ndim, 1)


def softmax(input: Tensor, dim: Optional[int] = None) -> Tensor:
    """exp(x) / sum(exp(x)) along dim (nn.SoftMax's kernel)."""
    return _Softmax.apply(input, _dim(dim, input.ndim), False)


def log_softmax(input: Tensor, dim: Optional[int] = None) -> Tensor:
    """log(softmax(x)) along dim, computed stably (nn.LogSoftMax's kernel)."""
    return _Softmax.apply(input, _dim(dim, input.ndim), True)


class _NLLLoss(Function):
    @staticmethod
    def forward(ctx, input, target, weight, ignore_index, mean):
        loss, total = core.nn_class_nll(input, target, weight, ignore_index)
        ctx.save_for_backward(input, target, weight)
        ctx.ignore_index = ignore_index
        ctx.scale = 1 / total if mean and total else (0.0 if mean else 1.0)
        return _scalar(loss * ctx.scale if mean else loss, input)

    @staticmethod
    def backward(ctx, grad):
        input, target, weight = ctx.saved_tensors
        scale = ctx.scale * grad.item()
        gi = core.nn_class_nll_backward(input, target, weight, scale, ctx.ignore_index)
        return gi, None, None, None, None


def _check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError("%s is not a valid value for reduction" % reduction)


def _long_targets(target: Tensor) -> Tensor:
    if target.lua_type not in ("torch.LongTensor", "torch.IntTensor", "torch.ShortTensor",
                               "torch.ByteTensor", "torch.CharTensor"):
        raise TypeError("expected integer class indices as the target, got %s"
                        % target.lua_type)
    return target


def nll_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
             ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of the (0-based) target classes given log-probabilities:
    (N x) C input, or N x C x d1 ... with N x d1 ... targets (nn.ClassNLLCriterion)."""
    _check_reduction(reduction)
    target = _long_targets(target)
    if input.ndim > 2:
        classes = input.shape[1]
        dims = (0,) + tuple(range(2, input.ndim)) + (1,)
        flat = ops.Reshape.apply(ops.Permute.apply(input, dims), (-1, classes))
        loss = nll_loss(flat, tensor(target.numpy().reshape(-1)), weight, ignore_index,
                        reduction)
        if reduction == "none":
            return ops.Reshape.apply(loss, tuple(target.shape))
        return loss
    expected = input.shape[:1] if input.ndim == 2 else ()
    if tuple(target.shape) != expected and not (input.ndim == 1 and target.numel() == 1):
        raise ValueError("nll_loss: expected a target of shape %s for input of shape %s, got "
                         "%s" % (expected, tuple(input.shape), tuple(target.shape)))
    if reduction == "none":
        rows = input if input.ndim == 2 else ops.Reshape.apply(input, (1, -1))
        t = target.numpy().reshape(-1).astype(np.int64)
        picked = ops.GetItem.apply(rows, (np.arange(len(t)), np.where(t == ignore_index, 0, t)))
        w = np.where(t == ignore_index, 0, 1).astype(input.numpy().dtype)
        if weight is not None:
            w = w * weight.numpy()[np.where(t == ignore_index, 0, t)]
        loss = ops.Mul.apply(picked, tensor(-w))
        return loss if input.ndim == 2 else ops.Reshape.apply(loss, ())
    flat_target = target if target.ndim == 1 else tensor(target.numpy().reshape(1))
    return _NLLLoss.apply(input, flat_target, weight, ignore_index, reduction == "mean")


def cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                  ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """nll_loss(log_softmax(input, 1), target): class indices as targets, or class
    probabilities of input's shape."""
    log_probs = log_softmax(input, 1 if input.ndim > 1 else 0)
    if target.shape == input.shape and target.lua_type in ("torch.FloatTensor",
                                                           "torch.DoubleTensor"):
        _check_reduction(reduction)
        terms = ops.Mul.apply(log_probs, target if weight is None else
                              ops.Mul.apply(target, weight))
        per_sample = ops.Neg.apply(ops.Sum.apply(terms, 1 if input.ndim > 1 else 0, False))
        if reduction == "none":
            return per_sample
        reduce = ops.Mean if reduction == "mean" else ops.Sum
        return reduce.apply(per_sample)
    return nll_loss(log_probs, target, weight, ignore_index, reduction)


class _MSELoss(Function):
    @staticmethod
    def forward(ctx, input, target, mean):
        ctx.save_for_backward(input, target)
        ctx.scale = 1 / input.numel() if mean else 1.0
        return _scalar(core.nn_mse(input, target) * ctx.scale, input)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        scale = ctx.scale * grad.item()
        gi = core.nn_mse_backward(input, target, 2 * scale)   # the kernel: scale * (x - y)
        need = ctx.needs_input_grad
        return (gi if need[0] else None, tensor(-gi.numpy()) if need[1] else None, None)


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Squared differences, averaged (mean), summed (sum) or each (none)
    (nn.MSECriterion's kernel). input and target must have the same shape."""
    _check_reduction(reduction)
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError("mse_loss: input of shape %s and target of shape %s differ"
                         % (tuple(input.shape), tuple(target.shape)))
    if reduction == "none":
        difference = ops.Sub.apply(input, target)
        return ops.Mul.apply(difference, difference)
    return _MSELoss.apply(input, target, reduction == "mean")


class _Embedding(Function):
    @staticmethod
    def forward(ctx, indices, weight, padding_idx):
        flat = tensor(np.ascontiguousarray(indices.numpy().reshape(-1), dtype=np.int64))
        rows = core.nn_index_select(weight, 0, flat)
        ctx.save_for_backward(flat)
        ctx.weight_rows, ctx.padding_idx = weight.shape[0], padding_idx
        return tensor(rows.numpy().reshape(tuple(indices.shape) + (weight.shape[1],)))

    @staticmethod
    def backward(ctx, grad):
        flat, = ctx.saved_tensors
        g = tensor(np.ascontiguousarray(grad.numpy()).reshape(flat.shape[0], -1))
        return None, core.nn_embedding_backward(g, flat, ctx.weight_rows, ctx.padding_idx), None


def embedding(input: Tensor, weight: Tensor, padding_idx: Optional[int] = None) -> Tensor:
    """The rows of weight named by the (0-based) integer input, in input's shape plus the
    embedding dimension; the padding_idx row gets no gradient (nn.LookupTable's kernel)."""
    _long_targets(input)
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    return _Embedding.apply(input, weight, -1 if padding_idx is None else padding_idx)


class _Dropout(Function):
    @staticmethod
    def forward(ctx, input, p):
        mask = tensor(np.empty(input.shape, dtype=input.numpy().dtype))
        core.nn_bernoulli_(mask, 1 - p)
        scaled = mask.numpy() / (1 - p)
        ctx.mask = scaled
        return tensor(input.numpy() * scaled)

    @staticmethod
    def backward(ctx, grad):
        return tensor(grad.numpy() * ctx.mask), None


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zeroes each element with probability p and scales the others by 1/(1-p) while
    training (masks drawn from the generator t7.manual_seed seeds); the identity otherwise."""
    if not 0 <= p <= 1:
        raise ValueError("dropout probability has to be between 0 and 1, but got %s" % p)
    if not training or p == 0:
        return input
    if p == 1:
        return ops.Mul.apply(input, 0.0)
    return _Dropout.apply(input, p)
