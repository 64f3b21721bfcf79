"""Stand-ins for the core's grad-mode flag and dispatch hook until branch h6tensor lands."""
from .._native import core

if not hasattr(core, "is_grad_enabled"):
    _flag = [True]
    core.is_grad_enabled = lambda: _flag[0]

    def _set(mode):
        _flag[0] = bool(mode)
    core.set_grad_enabled = _set
    core.set_grad_dispatch = lambda function: None
