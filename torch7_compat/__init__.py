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

# --- tensor API (h6tensor) ---
from .tensor import *  # noqa: E402,F401,F403  (dtypes, factories, grad mode: PyTorch's names)
from .tensor import __all__ as _tensor_names  # noqa: E402
__all__ += _tensor_names
# --- end of tensor API (h6tensor) ---


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


# --- optim and data (h6optdata) ---
class _SubmoduleOnDemand:
    """Stands for a submodule until first used: importing torch7_compat (as th does at
    start-up) must not pay for numpy. Importing the submodule replaces this stand-in in
    the package's namespace; a name bound to the stand-in keeps forwarding to it."""

    def __init__(self, name):
        self._name = __name__ + "." + name

    def _module(self):
        import importlib
        return importlib.import_module(self._name)

    def __getattr__(self, attribute):
        return getattr(self._module(), attribute)

    def __dir__(self):
        return dir(self._module())

    def __repr__(self):
        return repr(self._module())


optim = _SubmoduleOnDemand("optim")
data = _SubmoduleOnDemand("data")
__all__ += ["optim", "data"]

# --- autograd and nn (h6grad) ---
# grad mode is cheap (the core's flag); the autograd's operations and t7.nn need numpy and
# load on first use, as optim and data do
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled  # noqa: E402
from . import autograd  # noqa: E402
nn = _SubmoduleOnDemand("nn")
__all__ += ["autograd", "nn", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]
# --- end autograd and nn (h6grad) ---
