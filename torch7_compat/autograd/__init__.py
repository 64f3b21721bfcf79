"""t7.autograd: a tape of recorded operations and their gradients.

    x = t7.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == 2 * x

Operations on tensors that require grad are recorded while grad mode is on (see no_grad);
backward() walks the record in reverse. Custom operations subclass Function.

Importing this package is cheap (`th` imports it at start-up): the tape and the operations
(numpy) load on first use.
"""
import importlib
from typing import Any

from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .._native import core as _core

_LAZY = {"Function": "function", "Node": "engine", "RemovableHandle": "engine",
         "backward": "engine", "register_hook": "engine", "retain_grad": "engine",
         "gradcheck": "gradcheck", "GradcheckError": "gradcheck"}

__all__ = ["Function", "Node", "RemovableHandle", "backward", "register_hook", "retain_grad",
           "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "gradcheck",
           "GradcheckError"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(importlib.import_module("." + _LAZY[name], __name__), name)
    globals()[name] = value
    return value


def _dispatch(name: str, args: tuple, kwargs: dict) -> Any:
    """The Tensor's entry for recorded operations: loads the operations on first use."""
    from .dispatch import dispatch
    _core.set_grad_dispatch(dispatch)
    return dispatch(name, args, kwargs)


_core.set_grad_dispatch(_dispatch)
