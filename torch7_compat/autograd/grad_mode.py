"""Whether operations are recorded on the tape: no_grad, enable_grad, set_grad_enabled.

The flag lives in the tensor core (core.is_grad_enabled / core.set_grad_enabled) so that
every Tensor operator can test it cheaply before deciding to record itself.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from .._native import core

F = TypeVar("F", bound=Callable[..., Any])


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded."""
    return bool(core.is_grad_enabled())


class _GradMode:
    """A context manager and decorator that sets the grad mode, then restores it."""

    _mode = True

    def __enter__(self) -> None:
        self._previous = core.is_grad_enabled()
        core.set_grad_enabled(self._mode)

    def __exit__(self, *exc_info: Any) -> None:
        core.set_grad_enabled(self._previous)

    def __call__(self, function: F) -> F:
        mode = self._mode

        @functools.wraps(function)
        def with_mode(*args: Any, **kwargs: Any) -> Any:
            previous = core.is_grad_enabled()
            core.set_grad_enabled(mode)
            try:
                return function(*args, **kwargs)
            finally:
                core.set_grad_enabled(previous)
        return with_mode  # type: ignore[return-value]


class no_grad(_GradMode):
    """Operations inside record nothing: `with t7.no_grad(): ...` or `@t7.no_grad()`."""

    _mode = False


class enable_grad(_GradMode):
    """Recording back on inside a no_grad region."""

    _mode = True


class set_grad_enabled(_GradMode):
    """Recording on or off as `mode` says; takes effect at once, as PyTorch's does, so it also
    works as a plain call (`t7.set_grad_enabled(False)`)."""

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._previous = core.is_grad_enabled()
        core.set_grad_enabled(self._mode)

    def __enter__(self) -> None:
        pass
