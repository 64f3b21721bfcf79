"""Custom differentiable operations: subclass Function, write forward and backward.

    class Square(t7.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return 2 * x * grad

    y = Square.apply(x)

Every built-in differentiable operation is such a Function too (torch7_compat.autograd.ops).
"""
from __future__ import annotations

from typing import Any

from . import _arrays
from .engine import Node, edge
from .._native import core

Tensor = core.Tensor


class Function:
    """An operation with a hand-written gradient. forward(ctx, *args) computes outputs
    (grad recording is off inside it); backward(ctx, *grad_outputs) returns one gradient
    per forward argument (None for arguments that are not tensors or need none)."""

    @staticmethod
    def forward(ctx: Node, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx: Node, *grad_outputs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, ...) to be "
                                  "differentiated")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Runs forward and, when grad mode is on and a tensor argument requires grad,
        records the call on the tape."""
        enabled = core.is_grad_enabled()
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = Node(cls)
        ctx.needs_input_grad = needs
        core.set_grad_enabled(False)
        try:
            outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            core.set_grad_enabled(enabled)
        if not (enabled and True in needs):
            return outputs
        ctx.next_functions = tuple(edge(a) if need else (None, 0)
                                   for a, need in zip(args, needs))
        if isinstance(outputs, Tensor):
            return _mark_output(ctx, outputs, args)
        if not isinstance(outputs, tuple):
            raise TypeError("%s.forward must return a Tensor or a tuple, got %s"
                            % (cls.__name__, type(outputs).__name__))
        marked = tuple(_mark_output(ctx, o, args) if isinstance(o, Tensor) else o
                       for o in outputs)
        ctx._output_meta = tuple((o.shape, o.numpy().dtype) if isinstance(o, Tensor) else
                                 ((), "float64") for o in marked)
        ctx._output_addresses = tuple(o._address if isinstance(o, Tensor) else None
                                      for o in marked)
        return marked


def _mark_output(ctx: Node, output: Tensor, args: tuple) -> Tensor:
    if any(output is a for a in args):
        output = _arrays.alias(output)     # an input returned as it is: a new tensor object
    if _arrays.is_floating(output) and id(output) not in ctx._non_differentiable:
        output.grad_fn = ctx
        output.requires_grad = True
    if not ctx._output_meta:
        ctx._output_meta = ((output.shape, None),)
    return output
