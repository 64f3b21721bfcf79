"""The tape: the nodes operations record (a tensor's grad_fn) and backward() walking them.

A node knows, for each input of its operation, where that input's gradient goes next: the
node that made the input, or an AccumulateGrad for a leaf (a tensor made by the user that
requires grad), which adds it to the leaf's .grad. backward() counts how many gradients
each reachable node waits for, runs a node once all have arrived (summed), and frees the
values nodes saved for backward unless asked to retain the graph.
"""
from __future__ import annotations

import sys
import weakref
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from . import _arrays
from .._native import core

Tensor = core.Tensor
Hook = Callable[[Tensor], Optional[Tensor]]

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or to read saved tensors after "
    "backward): the values saved for backward were freed by the first backward() call. "
    "Pass retain_graph=True to the first call to keep them.")


class RemovableHandle:
    """What register_hook returns: remove() takes the hook away."""

    def __init__(self, hooks: list, hook: Hook) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class Node:
    """One recorded operation: the grad_fn of its outputs, and the `ctx` its Function's
    forward and backward receive (save_for_backward, saved_tensors, needs_input_grad)."""

    __slots__ = ("_function", "next_functions", "needs_input_grad", "_saved",
                 "_saved_versions", "_freed", "_output_meta", "_output_addresses", "_hooks",
                 "_non_differentiable", "materialize_grads", "__dict__", "__weakref__")

    def __init__(self, function: type) -> None:
        self._function = function
        self.next_functions: tuple = ()
        self.needs_input_grad: tuple = ()
        self._saved: tuple = ()
        self._saved_versions: tuple = ()
        self._freed = False
        self._output_meta: tuple = ()
        self._output_addresses: Optional[tuple] = None
        self._hooks: Optional[dict] = None
        self._non_differentiable: tuple = ()
        self.materialize_grads = True

    def name(self) -> str:
        return self._function.__name__ + "Backward"

    def __repr__(self) -> str:
        return "<%s>" % self.name()

    # the ctx API
    def save_for_backward(self, *tensors: Optional[Tensor]) -> None:
        """Keeps tensors for backward (read them back as saved_tensors), noting their
        versions: a tensor changed in place since then can no longer serve."""
        self._saved = tensors
        self._saved_versions = tuple(getattr(t, "_version", 0) for t in tensors)

    @property
    def saved_tensors(self) -> tuple:
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        for t, version in zip(self._saved, self._saved_versions):
            now = getattr(t, "_version", 0)
            if now != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified "
                    "by an inplace operation: [%s %s], saved by %s, is at version %d; "
                    "expected version %d instead" % (t.lua_type, list(t.shape), self.name(),
                                                     now, version))
        return self._saved

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """These outputs get no gradient (their requires_grad stays False)."""
        self._non_differentiable = tuple(id(o) for o in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = bool(value)

    # used by the engine
    def output_nr(self, t: Tensor) -> int:
        return 0 if self._output_addresses is None else self._output_addresses.index(t._address)

    def output_hooks(self, output_nr: int) -> list:
        if self._hooks is None:
            self._hooks = {}
        return self._hooks.setdefault(output_nr, [])

    def apply(self, grads: list) -> tuple:
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        result = self._function.backward(self, *grads)
        return result if isinstance(result, tuple) else (result,)

    def release(self) -> None:
        self._saved = ()
        self._freed = True
        self.__dict__.clear()


class AccumulateGrad:
    """The end of a path: adds the gradient that arrives to a leaf's .grad."""

    __slots__ = ("variable", "_hooks", "__weakref__")
    next_functions = ()
    _output_meta = (None,)

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable
        self._hooks = None

    def name(self) -> str:
        return "AccumulateGrad"

    def __repr__(self) -> str:
        return "<AccumulateGrad>"

    def accumulate(self, grad: Tensor) -> None:
        leaf = self.variable
        for hook in _leaf_hooks.get(id(leaf), (None, ()))[1]:
            result = hook(grad)
            if result is not None:
                grad = result
        if tuple(grad.shape) != tuple(leaf.shape):
            raise RuntimeError("the gradient for a leaf of shape %s has shape %s"
                               % (tuple(leaf.shape), tuple(grad.shape)))
        if leaf.grad is None:
            # kept as it is when a kernel made it and only the engine holds it (the buffer
            # list, this frame, getrefcount's argument); otherwise a private copy, as the
            # same gradient object may also flow to other inputs
            if _arrays.is_fresh(grad) and sys.getrefcount(grad) <= 4 \
                    and grad.lua_type == leaf.lua_type:
                leaf.grad = grad
            else:
                leaf.grad = _arrays.tensor(grad.numpy().astype(leaf.numpy().dtype))
        else:
            _arrays.add_into(leaf.grad, grad)


# A leaf's hooks keep the leaf alive (its Tensor object has no room for them).
_leaf_hooks: dict = {}
# One accumulator per leaf while some graph holds it, so that its gradients are summed
# before its hooks run.
_accumulators: "weakref.WeakValueDictionary[int, AccumulateGrad]" = weakref.WeakValueDictionary()


def accumulator(leaf: Tensor) -> AccumulateGrad:
    acc = _accumulators.get(id(leaf))
    if acc is None or acc.variable is not leaf:
        acc = AccumulateGrad(leaf)
        _accumulators[id(leaf)] = acc
    return acc


def edge(t: Tensor) -> tuple:
    """Where the gradient of t goes: (node, output number)."""
    node = t.grad_fn
    if node is None:
        return accumulator(t), 0
    return node, node.output_nr(t)


def register_hook(t: Tensor, hook: Hook) -> RemovableHandle:
    """Calls hook(grad) when t's gradient has been computed; a tensor it returns replaces
    the gradient. Returns a handle whose remove() undoes the registration."""
    if not t.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if t.grad_fn is None:
        hooks = _leaf_hooks.setdefault(id(t), (t, []))[1]
    else:
        hooks = t.grad_fn.output_hooks(t.grad_fn.output_nr(t))
    hooks.append(hook)
    return RemovableHandle(hooks, hook)


def retain_grad(t: Tensor) -> None:
    """Keeps the gradient of a non-leaf tensor in its .grad (leaves always keep theirs)."""
    if not t.requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    node = t.grad_fn
    if node is None:
        return
    retained = node.__dict__.setdefault("_retained_outputs", set())
    if node.output_nr(t) in retained:
        return
    retained.add(node.output_nr(t))

    def keep(grad: Tensor) -> None:
        t.grad = _arrays.copy(grad) if t.grad is None else _arrays.add(t.grad, grad)
    register_hook(t, keep)


def _as_tuple(value: Any) -> tuple:
    if value is None:
        return (None,)
    if isinstance(value, Tensor):
        return (value,)
    return tuple(value)


def _root_gradient(i: int, t: Tensor, grad: Optional[Tensor]) -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError("backward() expects tensors, got %s" % type(t).__name__)
    if not t.requires_grad:
        raise RuntimeError("element %d of tensors does not require grad and does not have a "
                           "grad_fn" % i)
    if grad is None:
        if t.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        return _arrays.ones_like(t)
    if not isinstance(grad, Tensor):
        grad = _arrays.tensor(grad)
    if tuple(grad.shape) != tuple(t.shape) and not grad.numel() == t.numel() == 1:
        raise RuntimeError("Mismatch in shape: grad_output[%d] has a shape of %s and output[%d] "
                           "has a shape of %s" % (i, tuple(grad.shape), i, tuple(t.shape)))
    return grad


def _dependencies(roots: Iterable) -> dict:
    """For each node reachable from roots, how many gradients it will receive."""
    counts: dict = {}
    stack = list(roots)
    seen = set(stack)
    while stack:
        node = stack.pop()
        for child, _ in node.next_functions:
            if child is None:
                continue
            counts[child] = counts.get(child, 0) + 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return counts


def _add_to_buffer(buffers: dict, node: Any, output_nr: int, grad: Tensor) -> None:
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * len(node._output_meta)
    previous = slots[output_nr]
    slots[output_nr] = grad if previous is None else _arrays.add(previous, grad)


def _fill_missing(node: Node, grads: list) -> None:
    if node.materialize_grads:
        for i, grad in enumerate(grads):
            if grad is None:
                shape, dtype = node._output_meta[i]
                grads[i] = _arrays.zeros(shape, dtype)


def _run_hooks(node: Any, grads: list) -> None:
    for output_nr, hooks in node._hooks.items():
        for hook in list(hooks):
            if grads[output_nr] is None:
                break
            result = hook(grads[output_nr])
            if result is not None:
                grads[output_nr] = result


def backward(tensors: Union[Tensor, Sequence[Tensor]],
             grad_tensors: Union[None, Tensor, Sequence[Optional[Tensor]]] = None,
             retain_graph: Optional[bool] = None, create_graph: bool = False) -> None:
    """Computes the gradients of `tensors` with respect to the leaves of their graph and adds
    them to the leaves' .grad. A tensor of more than one element needs its gradient given
    (grad_tensors); the graph's saved values are freed afterwards unless retain_graph.
    Gradients are not themselves recorded: create_graph is refused."""
    if create_graph:
        raise NotImplementedError("create_graph=True (gradients of gradients) is not supported "
                                  "by this tape")
    tensors = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError("got %d tensors and %d gradients" % (len(tensors), len(grads)))
    buffers: dict = {}
    roots = []
    for i, (t, grad) in enumerate(zip(tensors, grads)):
        grad = _root_gradient(i, t, grad)
        node, output_nr = edge(t)
        _add_to_buffer(buffers, node, output_nr, grad)
        roots.append(node)
    previous = core.is_grad_enabled()
    core.set_grad_enabled(False)
    try:
        _run(roots, buffers, bool(retain_graph))
    finally:
        core.set_grad_enabled(previous)


def _run(roots: list, buffers: dict, retain_graph: bool) -> None:
    waiting = _dependencies(roots)
    ready = [node for node in dict.fromkeys(roots) if waiting.get(node, 0) == 0]
    while ready:
        node = ready.pop()
        grads = buffers.pop(node, None)
        if grads is not None:
            if node._hooks:
                _run_hooks(node, grads)
            if type(node) is AccumulateGrad:
                node.accumulate(grads[0])
                continue
            _fill_missing(node, grads)
            input_grads = node.apply(grads)
            if not retain_graph:
                node.release()
            expected = len(node.next_functions)
            if len(input_grads) > expected and not any(input_grads[expected:]):
                input_grads = input_grads[:expected]    # Nones for unused defaults
            if len(input_grads) != expected:
                raise RuntimeError("function %s returned an incorrect number of gradients "
                                   "(expected %d, got %d)" % (node.name(),
                                                              len(node.next_functions),
                                                              len(input_grads)))
        else:
            input_grads = (None,) * len(node.next_functions)
        for (child, output_nr), grad in zip(node.next_functions, input_grads):
            if child is None:
                continue
            if grad is not None:
                _add_to_buffer(buffers, child, output_nr, grad)
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
