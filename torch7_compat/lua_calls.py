"""Calls from Lua packages into Python modules (through lua/torch7_compat/python.lua).

A Python exception becomes a Lua error carrying its message, and results come back in a
form the Lua side converts: tensors by address (with the Tensor kept alive until Lua holds
its own reference), tuples as several values.
"""
from ._native import core


def call(function, *args):
    """(True, kind, values...) or (False, message)."""
    try:
        result = function(*args)
    except Exception as e:  # noqa: BLE001 - every failure becomes the Lua caller's error
        return False, str(e) or type(e).__name__
    if isinstance(result, core.Tensor):
        return True, "tensor", result._address, result
    if isinstance(result, tuple):
        return (True, "values") + result
    return True, "value", result
