""".t7 files from Python: the same reader and writer as Lua's torch.load and torch.save.

    import torch7_compat as t7
    model = t7.load("model.t7")              # nn modules, tables: mappings over Lua objects
    w = model["modules"][1]["weight"]         # tensors: t7.Tensor (numpy() without a copy)
    t7.save("copy.t7", model)
    t7.save("arrays.t7", {"x": numpy_array, "labels": [1, 2, 3]})

Loading never runs code from the file: Lua functions in it are refused unless
allow_functions=True, and classes nothing declares are an error naming them (or, with
unknown_classes="table", plain tables of their fields).
"""
import os


FORMATS = ("binary", "ascii", "b32", "b64")


def _torch():
    from . import lua
    lua.execute("require 'torch'")
    return lua, lua.bridge.lua.globals().torch


def _options(lua, allow_functions, unknown_classes):
    if unknown_classes not in ("error", "table"):
        raise ValueError("unknown_classes must be 'error' or 'table', not %r" % (unknown_classes,))
    return lua.bridge.lua.table_from({"allowFunctions": bool(allow_functions),
                                      "unknownClasses": unknown_classes})


def load(path, format="binary", referenced=True, allow_functions=False, unknown_classes="error"):
    """The object saved in a .t7 file.

    format: "binary" (this machine's layout), "ascii", or "b32"/"b64" for binary files
    written with 4- or 8-byte longs (32-bit and Windows builds wrote 4). referenced=False
    reads files written without references. allow_functions=True gives back the Lua functions
    a file holds (the original's bytecode then comes back as values that cannot run here).
    unknown_classes="table" reads objects of undeclared classes as tables of their fields.
    """
    path = os.fspath(path)
    if format not in FORMATS:
        raise ValueError("format must be one of %s, not %r" % (", ".join(FORMATS), format))
    if not os.path.exists(path):
        raise FileNotFoundError("no such file: %r" % (path,))
    lua, torch = _torch()
    options = _options(lua, allow_functions, unknown_classes)
    return lua.bridge.call(torch.load, (path, format, bool(referenced), options))


def save(path, obj, format="binary", referenced=True):
    """Writes obj to a .t7 file the original Torch7 can read. Python dicts and lists become
    Lua tables, numpy arrays and Tensors become tensors. A failed save leaves any previous
    file at path as it was."""
    path = os.fspath(path)
    if format not in ("binary", "ascii"):
        raise ValueError("format must be 'binary' or 'ascii', not %r" % (format,))
    lua, torch = _torch()
    lua.bridge.call(torch.save, (path, obj, format, bool(referenced)))


def dumps(obj, format="binary"):
    """The bytes torch.save would write for obj."""
    if format not in ("binary", "ascii"):
        raise ValueError("format must be 'binary' or 'ascii', not %r" % (format,))
    lua, torch = _torch()
    storage = lua.bridge.call(torch.serializeToStorage, (obj, format))
    as_tensor = lua.bridge.call(torch.CharTensor, (storage,)) if len(storage) else None
    return b"" if as_tensor is None else memoryview(as_tensor).tobytes()


def loads(data, format="binary", allow_functions=False, unknown_classes="error"):
    """The object in bytes written by torch.save or torch.serialize."""
    if format not in FORMATS:
        raise ValueError("format must be one of %s, not %r" % (", ".join(FORMATS), format))
    lua, torch = _torch()
    options = _options(lua, allow_functions, unknown_classes)
    return lua.bridge.call(torch.deserialize, (bytes(data), format, options))
