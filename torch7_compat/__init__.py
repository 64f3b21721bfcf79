"""torch7_compat: legacy Lua Torch7 on LuaJIT embedded in Python.

    import torch7_compat as t7
    nn = t7.require('nn')              # the Lua package, as a proxy
    m = nn.Linear(3, 2)
    y = m.forward(t7.from_numpy(x))    # Lua's m:forward(x); tensors share memory
    t7.lua.execute("print(torch.randn(2, 2))")
"""
from ._native import core as _core
from .runtime import LuaError

Tensor = _core.Tensor
TensorError = _core.TensorError
from_numpy = _core.from_numpy

__version__ = "0.1.0"
__all__ = ["Tensor", "TensorError", "LuaError", "from_numpy", "lua", "require", "load", "save",
           "loads", "dumps"]


class Lua:
    """The main Lua runtime, made on first use: execute(), eval(), globals(), require()."""

    def __init__(self):
        self._bridge = None

    @property
    def bridge(self):
        if self._bridge is None:
            from .bridge import Bridge
            from .runtime import main_runtime
            self._bridge = Bridge(main_runtime())
        return self._bridge

    @property
    def runtime(self):
        """The underlying lupa LuaRuntime."""
        return self.bridge.lua

    def execute(self, code, *args):
        """Runs a chunk of Lua code; returns what it returns."""
        bridge = self.bridge
        chunk = bridge.lua.compile(code)
        return bridge.call(chunk, args)

    def eval(self, expression, *args):
        """The value of a Lua expression."""
        return self.execute("return " + expression, *args)

    def globals(self):
        """The Lua globals table (_G), as a proxy."""
        bridge = self.bridge
        return bridge.to_python(bridge.lua.globals())

    def require(self, name):
        """Lua's require(name): the package, as a proxy."""
        bridge = self.bridge
        return bridge.call(bridge.lua.globals().require, (name,))


lua = Lua()


def require(name):
    """Lua's require(name): `nn = t7.require('nn')`."""
    return lua.require(name)


from .serialization import dumps, load, loads, save  # noqa: E402  (they use `lua` above)

# --- autograd and nn (h6grad) ---
from . import autograd, nn  # noqa: E402
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled  # noqa: E402
__all__ += ["autograd", "nn", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]
# --- end autograd and nn (h6grad) ---
