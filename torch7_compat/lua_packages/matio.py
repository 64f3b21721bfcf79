"""Reading MATLAB .mat files for the Lua `matio` package (matio-ffi; its Lua side is
lua/matio/init.lua): version 5 through scipy.io, version 7.3 (HDF5) through h5py.

Values come back as matio-ffi built them: numeric arrays as tensors with MATLAB's sizes
over column-major memory (what matio-ffi's transposes gave), with its element types
(unsigned integers in the signed type of their width, logicals as bytes, characters as a
CharTensor of their codes or, on request, a Lua string); structs as tables of their fields
(arrays of structs as rows of such tables); cells as lists in column-major order. What the
original skipped (empty arrays; sparse, complex or opaque values) is left out with the
original's message.

A load answers (the values in lua_values' form, a number under which its arrays wait for
the Lua side to fetch them, and the messages to print).
"""
import numpy as np

from .._native import core
from . import lua_values

_pending = {}
_next_token = [1]

# MATLAB classes -> element type of the tensor (matio-ffi's table)
_TENSOR_TYPES = {"double": np.float64, "single": np.float32, "int8": np.int8,
                 "uint8": np.uint8, "int16": np.int16, "uint16": np.int16, "int32": np.int32,
                 "uint32": np.int32, "int64": np.int64, "uint64": np.int64,
                 "logical": np.uint8}
_NUMPY_CLASSES = {np.dtype(np.float64): "double", np.dtype(np.float32): "single",
                  np.dtype(np.int8): "int8", np.dtype(np.uint8): "uint8",
                  np.dtype(np.int16): "int16", np.dtype(np.uint16): "uint16",
                  np.dtype(np.int32): "int32", np.dtype(np.uint32): "uint32",
                  np.dtype(np.int64): "int64", np.dtype(np.uint64): "uint64",
                  np.dtype(np.bool_): "logical"}


class _Reader:
    """Shared by both file versions: the conversions, and the messages met on the way."""

    def __init__(self, lua_strings):
        self.lua_strings = lua_strings
        self.messages = []

    def numeric(self, values, matlab_class):
        """values: an array with MATLAB's sizes (any memory order)."""
        if values.size == 0:
            return None
        if values.ndim > 8:
            self.messages.append("Rank of input matrix is invalid: %d" % values.ndim)
            return None
        element = np.dtype(_TENSOR_TYPES[matlab_class])
        if values.dtype.itemsize == element.itemsize and values.dtype.kind in "uib":
            values = values.view(element)          # unsigned bits kept, as the original
        else:
            values = values.astype(element, copy=False)
        return np.asfortranarray(values)

    def characters(self, codes):
        """codes: the character codes, with MATLAB's sizes."""
        if codes.size == 0:
            return "" if self.lua_strings else None
        if self.lua_strings:
            return "".join(map(chr, codes.flatten(order="F")))
        return np.asfortranarray((codes.astype(np.int64) & 0xFF).astype(np.uint8).view(np.int8))

    def struct_array(self, shape, element_at):
        """element_at(i, j) -> table of one struct element."""
        count = int(np.prod(shape))
        if count > 1 and len(shape) == 2:
            return [[element_at(i, j) for j in range(shape[1])] for i in range(shape[0])]
        if len(shape) > 2:
            self.messages.append("Multidimensional structs currently not implemented.")
            return None
        return element_at(0, 0)


class _Version5(_Reader):
    def value(self, item):
        if isinstance(item, str):
            return self.characters(np.array([ord(c) for c in item]).reshape(1, -1))
        if not isinstance(item, np.ndarray):
            self.messages.append("Unsupported variable type: %s" % type(item).__name__)
            return None
        if item.dtype.names:
            return self.struct_array(item.shape, lambda i, j: {
                name: self.value(item[i, j][name]) for name in item.dtype.names})
        if item.dtype == object:
            return [self.value(cell) for cell in item.flatten(order="F")]
        if item.dtype.kind == "U":
            return self.characters(item.view(np.uint32) if item.dtype.itemsize == 4
                                   else np.vectorize(ord)(item))
        matlab_class = _NUMPY_CLASSES.get(item.dtype)
        if matlab_class is None:
            self.messages.append("Unsupported type of tensor: %s" % item.dtype)
            return None
        return self.numeric(item, matlab_class)

    def load(self, path, names):
        import scipy.io
        from scipy.sparse import issparse
        contents = scipy.io.loadmat(path, chars_as_strings=False, squeeze_me=False,
                                    variable_names=names)
        found = [name for name in contents if not name.startswith("__")]
        values = {}
        for name in found:
            item = contents[name]
            if issparse(item):
                self.messages.append("Unsupported variable type: sparse")
                continue
            values[name] = self.value(item)
        return found, values


def _names_in_5(path):
    import scipy.io
    return [entry[0] for entry in scipy.io.whosmat(path)]


class _Version73(_Reader):
    def __init__(self, lua_strings, handle):
        super().__init__(lua_strings)
        self.file = handle

    def value(self, node):
        import h5py
        matlab_class = node.attrs.get("MATLAB_class", b"")
        matlab_class = matlab_class.decode() if isinstance(matlab_class, bytes) else matlab_class
        if isinstance(node, h5py.Group):
            if matlab_class != "struct":
                self.messages.append("Unsupported variable type: %s" % (matlab_class or "group"))
                return None
            return self.struct(node)
        if node.attrs.get("MATLAB_empty", 0):
            return "" if matlab_class == "char" and self.lua_strings else None
        data = node[()]
        matlab_order = np.asarray(data).T      # h5py shows MATLAB's sizes reversed
        if matlab_class == "cell":
            return [self.value(self.file[ref]) for ref in matlab_order.flatten(order="F")]
        if matlab_class == "char":
            return self.characters(matlab_order)
        if matlab_class not in _TENSOR_TYPES or matlab_order.dtype.names:
            self.messages.append("Unsupported type of tensor: %s" % (matlab_class or node.dtype))
            return None
        return self.numeric(matlab_order, matlab_class)

    def struct(self, group):
        import h5py
        names = [_field_name(n) for n in group.attrs.get("MATLAB_fields", [])]
        names = names or list(group.keys())
        first = group[names[0]] if names else None
        if first is not None and first.dtype == h5py.ref_dtype:   # an array of structs
            shape = first.shape[::-1]
            refs = {name: np.asarray(group[name][()]).T for name in names}
            return self.struct_array(shape, lambda i, j: {
                name: self.value(self.file[refs[name][i, j]]) for name in names})
        return {name: self.value(group[name]) for name in names}

    def load(self, names):
        found = [name for name in self.file.keys() if not name.startswith("#")]
        if names is not None:
            found = [name for name in names if name in self.file]
        return found, {name: self.value(self.file[name]) for name in found}


def _field_name(name):
    """MATLAB writes each field name as an array of one-byte strings."""
    if isinstance(name, np.ndarray):
        return b"".join(name.tolist()).decode()
    return name.decode() if isinstance(name, bytes) else str(name)


def load(path, names, lua_strings):
    """names: variable names separated by NUL bytes, or None for all of them."""
    import h5py
    wanted = names.split("\0") if names is not None else None
    try:
        if h5py.is_hdf5(path):
            with h5py.File(path, "r") as handle:
                reader = _Version73(lua_strings, handle)
                found, values = reader.load(wanted)
        else:
            reader = _Version5(lua_strings)
            if wanted is None:
                wanted = _names_in_5(path)
                if not wanted:
                    reader.messages.append("No variables in this file")
                    return None, 0, "\n".join(reader.messages)
            found, values = reader.load(path, wanted)
    except Exception as e:  # noqa: BLE001 - the readers fail on bad files in many ways
        raise ValueError("matio.load: cannot read %s: %s" % (path, e or type(e).__name__)) \
            from None
    for name in wanted or []:
        if name not in found:
            reader.messages.append("Could not find variable with name: %s in file: %s"
                                   % (name, path))
    packed, arrays = lua_values.pack({k: v for k, v in values.items() if v is not None},
                                     is_tensor=lambda v: isinstance(v, np.ndarray))
    token = _next_token[0]
    _next_token[0] += 1
    _pending[token] = arrays
    return packed, token, "\n".join(reader.messages)


def tensor(token, index):
    """The index-th array of a load, as a tensor over the same memory."""
    return core.from_numpy(_pending[token][int(index)])


def release(token):
    _pending.pop(token, None)


_saving = {}


def save_begin():
    """A number under which save_put gathers the variables of one save."""
    token = _next_token[0]
    _next_token[0] += 1
    _saving[token] = {}
    return token


def save_put(token, path, value):
    """One value at path (names separated by NUL bytes: a variable, then struct fields);
    tensors are copied, 1-D ones becoming columns as matio-ffi wrote them."""
    if isinstance(value, core.Tensor):
        value = np.array(value.numpy())
        if value.ndim == 1:
            value = value.reshape(-1, 1)
    elif isinstance(value, float):
        value = np.array([[value]])
    elif isinstance(value, bool):
        value = np.array([[value]])
    names = path.split("\0")
    target = _saving[token]
    for name in names[:-1]:
        target = target.setdefault(name, {})
    target[names[-1]] = value


def save_end(token, path, compress):
    """Writes the gathered variables to path (None: a failed save, forgotten)."""
    import scipy.io
    variables = _saving.pop(token)
    if path is None:
        return
    try:
        scipy.io.savemat(path, variables, do_compression=bool(compress), format="5")
    except (OSError, ValueError, TypeError) as e:
        raise ValueError("matio.save: cannot write %s: %s" % (path, e)) from None
