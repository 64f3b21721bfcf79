"""The Python half of the Lua bridge (its Lua half: lua/torch7_compat/bridge.lua).

Values crossing from Python to Lua: Tensors become Lua tensors over the same C tensor;
CudaTensors give the Lua torch.CudaTensor they hold; lists, tuples and dicts become Lua
tables (recursively); numpy arrays become tensors sharing their memory; proxies give back the
Lua value they stand for; the rest goes as lupa sends it.

Values crossing from Lua to Python: tensors become Tensors, torch.CudaTensors CudaTensors
(torch7_compat/cuda_tensor.py); tables, functions and torch objects become proxies
(LuaObject); numbers, booleans and nil become Python's own, strings str (bytes where they
are not valid UTF-8).
A function reached through a torch object's class comes bound to it, so `m.forward(x)` is
Lua's `m:forward(x)`.
"""
import ctypes

from lupa import luajit21

from ._native import core
from .cuda_tensor import CudaTensor

Tensor = core.Tensor
_lua_type = luajit21.lua_type


class Bridge:
    """Conversions for one Lua runtime."""

    def __init__(self, lua):
        self.lua = lua
        # item access: lupa's table wrapper has Python methods named items, keys, values
        functions = lua.eval("require 'torch7_compat.bridge'")
        self._import_tensor = functions["import_tensor"]
        self._call = functions["call"]
        self._get = functions["get"]
        self._set = functions["set"]
        self._kind = functions["kind"]
        self._tostring = functions["tostring"]
        self._length = functions["length"]
        self._items = functions["items"]
        self._identity = functions["identity"]
        self._bytes = functions["bytes"]

    # Python -> Lua
    def to_lua(self, value):
        if isinstance(value, Tensor):
            return self._import_tensor(value._address)
        if isinstance(value, (LuaObject, CudaTensor)):
            return value._lua
        if isinstance(value, (list, tuple)):
            return self.lua.table_from([self.to_lua(v) for v in value])
        if isinstance(value, dict):
            return self.lua.table_from({k: self.to_lua(v) for k, v in value.items()})
        if type(value).__module__ == "numpy" and hasattr(value, "__array_interface__"):
            shared = core.from_numpy(value)   # alive until Lua holds its own reference
            return self._import_tensor(shared._address)
        return value

    # Lua -> Python
    def to_python(self, value):
        kind = _lua_type(value)
        if kind is None:                  # a Python value already (or a Tensor)
            return value
        if kind == "cdata":
            blob = self._bytes(value)     # a string that is not UTF-8: Python's bytes
            if isinstance(blob, tuple):
                return ctypes.string_at(*blob)
        return LuaObject(self, value)

    def results(self, result):
        if isinstance(result, tuple):
            return tuple(self.to_python(v) for v in result)
        return self.to_python(result)

    def call(self, function, args, kwargs=None):
        if kwargs:
            raise TypeError("Lua functions take positional arguments only")
        return self.results(self._call(function, *[self.to_lua(a) for a in args]))


class LuaObject:
    """A Lua table, function, torch object or other value, seen from Python."""

    __slots__ = ("_bridge", "_lua")

    def __init__(self, bridge, lua_value):
        object.__setattr__(self, "_bridge", bridge)
        object.__setattr__(self, "_lua", lua_value)

    @property
    def lua_type(self):
        """'object' for torch class instances, else Lua's type(): 'table', 'function'..."""
        return self._bridge._kind(self._lua)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self[name]

    def __setattr__(self, name, value):
        self[name] = value

    def __getitem__(self, key):
        bridge = self._bridge
        value, bind = bridge._get(self._lua, bridge.to_lua(key))
        if bind:
            return BoundMethod(bridge, value, self._lua, key)
        return bridge.to_python(value)

    def __setitem__(self, key, value):
        bridge = self._bridge
        bridge._set(self._lua, bridge.to_lua(key), bridge.to_lua(value))

    def __call__(self, *args, **kwargs):
        return self._bridge.call(self._lua, args, kwargs)

    def __len__(self):
        return self._bridge._length(self._lua)

    def items(self):
        """The (key, value) pairs of a table, in Lua's pairs() order."""
        bridge = self._bridge
        keys, values = bridge._items(self._lua)
        return [(bridge.to_python(k), bridge.to_python(v))
                for k, v in zip(keys.values(), values.values())]

    def keys(self):
        return [k for k, _ in self.items()]

    def values(self):
        return [v for _, v in self.items()]

    def __iter__(self):
        return iter(self.keys())

    def __contains__(self, key):
        return self[key] is not None

    def __eq__(self, other):
        """The same Lua value (Lua's rawequal), whichever crossings brought the proxies."""
        return isinstance(other, LuaObject) and \
            self._bridge._identity(self._lua) == other._bridge._identity(other._lua)

    def __hash__(self):
        return hash(self._bridge._identity(self._lua))

    def __str__(self):
        text = self._bridge.to_python(self._bridge._tostring(self._lua))
        return text.decode("utf-8", "backslashreplace") if isinstance(text, bytes) else text

    def __repr__(self):
        return "<Lua %s: %s>" % (self.lua_type, str(self).rstrip("\n"))

    def __dir__(self):
        if self.lua_type in ("table", "object"):
            return [k for k in self.keys() if isinstance(k, str)]
        return []


class BoundMethod:
    """A Lua method bound to its object: calling it is Lua's obj:name(...)."""

    __slots__ = ("_bridge", "_function", "_self", "__name__")

    def __init__(self, bridge, function, self_value, name):
        self._bridge = bridge
        self._function = function
        self._self = self_value
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        bridge = self._bridge
        return bridge.call(self._function, (LuaObject(bridge, self._self),) + args, kwargs)

    def __repr__(self):
        return "<bound Lua method %s>" % self.__name__
