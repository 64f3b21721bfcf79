"""The Python half of nn.PythonModule (lua/torch7_compat/python_module.lua): a t7.nn.Module
run from Lua. Lua calls these functions with Python tensors (and Lua tables of them); what
goes back to Lua goes through the bridge (tensors over the same C tensors, tables).

Tensors go back to Lua as addresses (numbers), the Tensors kept alive here until the
module's next call, so that no Python object but the module's Face is held by Lua. Every
function answers (True, results...) or (False, message)."""
from __future__ import annotations

import functools
import importlib
from typing import Any, Callable, List, Optional

from ..autograd import _arrays
from ..autograd.engine import backward
from ..autograd.grad_mode import enable_grad
from .._native import core
from .lua_module import flatten, unflatten
from .module import Module

Tensor = core.Tensor


def _bridge() -> Any:
    from .. import lua
    return lua.bridge


def _from_lua(value: Any) -> Any:
    """Tensors from Lua's addresses (each carrying a reference for us); Lua tables of them
    as lists."""
    if isinstance(value, (int, float)):
        return Tensor._adopt(int(value))
    return [_from_lua(value[i]) for i in range(1, len(value) + 1)]


class Face:
    """One Python module seen from Lua, with what its last forward recorded."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.parameters = list(module.parameters())
        for p in self.parameters:
            if p.grad is None:
                p.grad = _arrays.zeros(tuple(p.shape), p.numpy().dtype)
        # the gradient tensors Lua holds (getParameters may move them into one storage)
        self.lua_grads = [p.grad for p in self.parameters]
        self.inputs: List[Tensor] = []
        self.outputs: List[Tensor] = []
        self.pending: List[Optional[Tensor]] = []
        self.keep: List[Tensor] = []


def _answer(function: Callable[..., Any]) -> Callable[..., tuple]:
    """Exceptions become (False, message) for the Lua caller to raise."""
    @functools.wraps(function)
    def answered(*args: Any) -> tuple:
        try:
            result = function(*args)
        except Exception as e:  # noqa: BLE001 - every failure becomes the Lua caller's error
            return False, str(e) or type(e).__name__
        return (True,) + (result if isinstance(result, tuple) else (result,))
    return answered


def _to_lua(face: Face, value: Any) -> Any:
    """Tensors as addresses (kept alive by face until its next call), lists as tables."""
    if isinstance(value, Tensor):
        face.keep.append(value)
        return value._address
    return _bridge().lua.table_from([_to_lua(face, v) for v in value])


@_answer
def construct(path: str, *args: Any) -> Face:
    """'package.module:Class' made in Python with the arguments, attached."""
    module_name, _, class_name = path.partition(":")
    if not class_name:
        raise ValueError("nn.PythonModule expects 'package.module:Class', got %r" % path)
    cls = getattr(importlib.import_module(module_name), class_name)
    return attach.__wrapped__(cls(*args))


@_answer
def attach(module: Any) -> Face:
    """What Lua keeps for `module`."""
    if not isinstance(module, Module):
        raise TypeError("nn.PythonModule needs a t7.nn.Module, got %s" % type(module).__name__)
    return Face(module)


@_answer
def parameters(face: Face) -> tuple:
    return _to_lua(face, face.parameters), _to_lua(face, face.lua_grads)


def _leaf(t: Tensor) -> Tensor:
    """t (a fresh Python object over Lua's tensor) as a leaf of the tape."""
    if _arrays.is_floating(t):
        t.requires_grad = True
    return t


@_answer
def update_output(face: Face, lua_input: Any) -> Any:
    face.keep = []
    value = _from_lua(lua_input)
    args = value if isinstance(value, list) else [value]
    flat, spec = flatten(args)
    leaves = [_leaf(t) for t in flat]
    with enable_grad():
        output = face.module(*unflatten(leaves, spec))
    face.inputs = leaves
    face.outputs, _ = flatten(output)
    face.pending = []
    return _to_lua(face, output)


@_answer
def update_grad_input(face: Face, lua_grad_output: Any) -> Any:
    grads, _ = flatten(_from_lua(lua_grad_output))
    if len(grads) != len(face.outputs):
        raise ValueError("gradOutput holds %d tensors for %d outputs"
                         % (len(grads), len(face.outputs)))
    saved = [p.grad for p in face.parameters]
    for p in face.parameters:
        p.grad = None
    for leaf in face.inputs:
        leaf.grad = None
    try:
        differentiable = [(o, g) for o, g in zip(face.outputs, grads) if o.requires_grad]
        if differentiable:
            backward([o for o, _ in differentiable], [g for _, g in differentiable],
                     retain_graph=True)
        face.pending = [p.grad for p in face.parameters]
    finally:
        for p, grad in zip(face.parameters, saved):
            p.grad = grad
    grad_inputs = [leaf.grad if leaf.grad is not None else
                   _arrays.zeros(tuple(leaf.shape), leaf.numpy().dtype)
                   for leaf in face.inputs]
    return _to_lua(face, grad_inputs[0] if len(grad_inputs) == 1 else grad_inputs)


@_answer
def acc_grad_parameters(face: Face, scale: float) -> None:
    for p, lua_grad, grad in zip(face.parameters, face.lua_grads, face.pending):
        if grad is None:
            continue
        if p.grad is not lua_grad:     # cleared or replaced on the Python side
            lua_grad.numpy()[...] = 0 if p.grad is None else p.grad.numpy()
            p.grad = lua_grad
        target = lua_grad.numpy()
        target += scale * grad.numpy() if scale != 1 else grad.numpy()
    face.pending = []


@_answer
def set_training(face: Face, training: bool) -> None:
    face.module.train(training)


@_answer
def describe(face: Face) -> str:
    return type(face.module).__name__
