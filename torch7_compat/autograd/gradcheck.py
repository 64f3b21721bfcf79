"""gradcheck: the tape's gradients against central finite differences, in float64."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from . import _arrays
from .engine import backward
from .grad_mode import no_grad
from .._native import core

Tensor = core.Tensor


class GradcheckError(RuntimeError):
    """The analytical and numerical Jacobians disagree."""


def _outputs(fn: Callable, inputs: tuple) -> tuple:
    result = fn(*inputs)
    return (result,) if isinstance(result, Tensor) else tuple(result)


def _differentiable(inputs: tuple) -> list:
    chosen = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    for i in chosen:
        if inputs[i].lua_type != "torch.DoubleTensor":
            raise ValueError("gradcheck needs float64 inputs (input %d is %s): finite "
                             "differences in float32 are too coarse" % (i, inputs[i].lua_type))
    if not chosen:
        raise ValueError("gradcheck: no input requires grad")
    return chosen


def _numerical(fn: Callable, inputs: tuple, chosen: list, eps: float) -> list:
    """jacobians[k][o]: d output o / d input chosen[k], as (input size x output size)."""
    jacobians = []
    with no_grad():
        for i in chosen:
            x = inputs[i].numpy()
            flat = x.reshape(-1) if x.flags.c_contiguous else None
            if flat is None:
                raise ValueError("gradcheck: input %d must be contiguous" % i)
            columns = []
            for j in range(flat.size):
                saved = flat[j]
                flat[j] = saved + eps
                plus = [o.numpy().astype(np.float64).reshape(-1).copy()
                        for o in _outputs(fn, inputs)]
                flat[j] = saved - eps
                minus = [o.numpy().astype(np.float64).reshape(-1).copy()
                         for o in _outputs(fn, inputs)]
                flat[j] = saved
                columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
            jacobians.append([np.array([c[o] for c in columns]).reshape(flat.size, -1)
                              for o in range(len(columns[0]))] if columns else [])
    return jacobians


def _analytical(fn: Callable, inputs: tuple, chosen: list) -> list:
    outputs = _outputs(fn, inputs)
    jacobians = [[np.zeros((inputs[i].numel(), o.numel())) for o in outputs] for i in chosen]
    saved = [inputs[i].grad for i in chosen]
    try:
        for o, out in enumerate(outputs):
            if not out.requires_grad:
                continue
            for j in range(out.numel()):
                one_hot = np.zeros(out.numel(), dtype=out.numpy().dtype)
                one_hot[j] = 1
                for i in chosen:
                    inputs[i].grad = None
                backward(out, _arrays.tensor(one_hot.reshape(out.shape)), retain_graph=True)
                for k, i in enumerate(chosen):
                    if inputs[i].grad is not None:
                        jacobians[k][o][:, j] = inputs[i].grad.numpy().reshape(-1)
    finally:
        for i, grad in zip(chosen, saved):
            inputs[i].grad = grad
    return jacobians


def gradcheck(fn: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """True when the gradients the tape computes for fn(*inputs) match central finite
    differences for every input that requires grad (float64 tensors) and every output
    element: |analytical - numerical| <= atol + rtol * |numerical|. A mismatch raises
    GradcheckError (or returns False when raise_exception is False)."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    chosen = _differentiable(inputs)
    analytical = _analytical(fn, inputs, chosen)
    numerical = _numerical(fn, inputs, chosen, eps)
    for k, i in enumerate(chosen):
        for o, (a, n) in enumerate(zip(analytical[k], numerical[k])):
            if a.shape != n.shape or not np.all(np.abs(a - n) <= atol + rtol * np.abs(n)):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    "Jacobian mismatch for output %d with respect to input %d,\n"
                    "numerical:\n%s\nanalytical:\n%s" % (o, i, n, a))
    return True
