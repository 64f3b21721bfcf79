"""t7.autograd: a tape of recorded operations and their gradients.

    x = t7.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == 2 * x

Operations on tensors that require grad are recorded while grad mode is on (see no_grad);
backward() walks the record in reverse. Custom operations subclass Function.
"""
from . import _compat  # noqa: F401  (until the core's own grad-mode flag lands)
from .dispatch import dispatch as _dispatch
from .engine import Node, RemovableHandle, backward, register_hook, retain_grad
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck
from .._native import core as _core

_core.set_grad_dispatch(_dispatch)

__all__ = ["Function", "Node", "RemovableHandle", "backward", "register_hook", "retain_grad",
           "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "gradcheck",
           "GradcheckError"]
