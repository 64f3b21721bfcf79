"""CudaTensor: Torch7's torch.CudaTensor (float32 in GPU memory) seen from Python.

    x = t7.randn(64, 784).cuda()          # or x.to('cuda'), x.cuda(1)
    y = model.forward(x)                  # a Lua cunn model: y comes back a CudaTensor
    y.cpu().numpy()                       # host copies are explicit, as in PyTorch
    torch.from_dlpack(y)                  # PyTorch shares the GPU memory (and back:
    t7.from_dlpack(torch_cuda_tensor))    # a CudaTensor over PyTorch's memory)

A CudaTensor holds the Lua tensor of the main runtime (where `th` and t7.require run), so
Lua and Python work on the same GPU memory; each operation is one call into Lua
(lua/torch7_compat/cuda_face.lua). The Python face keeps to PyTorch's names and 0-based
dimensions and devices; full reductions return Python floats (CUDA tensors have no 0-d
form here), and arithmetic takes numbers or CUDA tensors of the same shape (no
broadcasting). Torch-style calls reach the Lua tensor through `.lua`. Everything needs the
CUDA extension and a GPU: where they are missing, the first use raises RuntimeError with the
reason (cutorch's message).
"""
from ._native import core as _core
from .dtypes import float32
from lupa.luajit21 import LuaError

DL_CUDA = 2


def _bridge():
    import torch7_compat
    return torch7_compat.lua.bridge


_face_functions = None

# A failed require leaves a marker that would make the next try say only "loop or previous
# error": it goes, so that each try gives cutorch's reason.
_REQUIRE_FACE = """
local found, face = pcall(require, 'torch7_compat.cuda_face')
if not found then
   package.loaded['torch7_compat.cuda_face'] = nil
   error(face, 0)
end
return face
"""


def face():
    """The Lua functions of cuda_face.lua (requiring cutorch on first use)."""
    global _face_functions
    if _face_functions is None:
        bridge = _bridge()
        try:
            _face_functions = bridge.lua.execute(_REQUIRE_FACE)
        except LuaError as error:
            raise RuntimeError(str(error)) from None
    return _face_functions


def _call(name, *args):
    """face.name(args...) through the bridge (tensors converted both ways); Lua's errors
    (sizes that differ, devices that do not exist...) as RuntimeError, as PyTorch's."""
    bridge = _bridge()
    try:
        return bridge.call(face()[name], args)
    except LuaError as error:
        raise RuntimeError(str(error)) from None


def _device_index(device):
    """A CUDA device argument (None, an index, 'cuda:1', t7.device) as an index or None."""
    if device is None or isinstance(device, int):
        return device
    place = _core.device(device)
    if place.type != "cuda":
        raise ValueError("a CUDA device expected, got %s" % place)
    return place.index


def from_cpu(tensor, device=None):
    """tensor (a t7.Tensor, converted to float32 as Torch7's :cuda()) on the GPU."""
    return _call("from_cpu", tensor, _device_index(device))


def adopt(lua_tensor):
    """The Python face of a Lua torch.CudaTensor crossing the bridge."""
    t = CudaTensor.__new__(CudaTensor)
    t._lua = lua_tensor
    return t


def from_dlpack_parts(data, shape, strides, device_id, owner):
    """A CudaTensor over another library's GPU memory, which `owner` (its DLPack tensor)
    keeps valid until our last tensor over it is gone (called by t7.from_dlpack, which has
    checked the geometry)."""
    context, release = _core.lend_owner(owner)
    lua = _bridge().lua
    return _call("borrow", data, lua.table_from(list(shape)), lua.table_from(list(strides)),
                 device_id, context, release)


def _unpickle(values, device):
    return from_cpu(values, device)


class CudaTensor:
    """A float32 tensor in GPU memory (Torch7's torch.CudaTensor). Made by t.cuda(),
    t.to('cuda'), t7.from_dlpack(a GPU array) or returned by Lua (cunn modules)."""

    __slots__ = ("_lua", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("CudaTensors are made by t.cuda(), t.to('cuda') or t7.from_dlpack()")

    # ---- geometry ---------------------------------------------------------------------------

    def _geometry(self):
        data, size, stride, device = _call("geometry", self)
        return int(data), list(size.values()), list(stride.values()), int(device)

    @property
    def shape(self):
        return _core.Size(self._geometry()[1])

    def size(self, dim=None):
        shape = self.shape
        return shape if dim is None else shape[dim]

    def stride(self, dim=None):
        strides = tuple(self._geometry()[2])
        return strides if dim is None else strides[dim]

    def dim(self):
        return len(self.shape)

    ndim = property(dim)

    def numel(self):
        n = 1
        for s in self.shape:
            n *= s
        return n

    def __len__(self):
        shape = self.shape
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def is_contiguous(self):
        return bool(_call("call", self, "isContiguous"))

    @property
    def dtype(self):
        return float32          # the only element type of CUDA tensors

    @property
    def device(self):
        return _core.device("cuda", self._geometry()[3])

    is_cuda = True

    @property
    def lua(self):
        """The Lua torch.CudaTensor, for Torch-style calls: x.lua.size(1), x.lua.narrow(...)."""
        bridge = _bridge()
        return bridge.to_python(self._lua)

    # ---- conversions ------------------------------------------------------------------------

    def cpu(self):
        """A float32 t7.Tensor with this tensor's values (a copy in host memory)."""
        return _call("to_cpu", self)

    def cuda(self, device=None, non_blocking=False):
        index = _device_index(device)
        if index is None or index == self.device.index:
            return self
        return _call("to_device", self, index)

    def to(self, *args, dtype=None, copy=False, non_blocking=False, device=None):
        """x.to('cpu'), x.to('cuda:0'), x.to(t7.float32): CUDA tensors hold float32 only."""
        for a in args:
            if _core.is_device_spec(a):
                device = a
            else:
                dtype = a
        if dtype is not None and _core.dtype_from(dtype) != float32:
            raise TypeError("CUDA tensors hold float32 only (Torch7's torch.CudaTensor), "
                            "not %s" % _core.dtype_from(dtype))
        if device is not None and _core.device(device).type == "cpu":
            return self.cpu()
        result = self.cuda(device) if device is not None else self
        return result.clone() if copy and result is self else result

    def float(self):
        return self

    def numpy(self):
        raise TypeError("can't convert %s device type tensor to numpy. Use Tensor.cpu() to "
                        "copy the tensor to host memory first." % self.device)

    __array__ = numpy

    def tolist(self):
        return self.cpu().tolist()

    def item(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.cpu().item()

    def __float__(self):
        return float(self.item())

    def __reduce__(self):
        """Pickles as the host values and the device, as PyTorch does: unpickling needs CUDA."""
        return (_unpickle, (self.cpu(), self.device.index))

    def __repr__(self):
        text = repr(self.cpu())
        return text[:-1] + ", device='%s')" % self.device

    # ---- DLPack: PyTorch, CuPy, JAX... share this memory ------------------------------------

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        if dl_device is not None and tuple(dl_device) != self.__dlpack_device__():
            raise BufferError("this tensor is on DLPack device %s, not %s"
                              % (self.__dlpack_device__(), tuple(dl_device)))
        source = self.clone() if copy else self
        _call("ready_for", source, stream)
        data, size, stride, device = source._geometry()
        versioned = max_version is not None and max_version[0] >= 1
        return _core.device_dlpack_capsule(source, data, size, stride, DL_CUDA, device,
                                           versioned)

    def __dlpack_device__(self):
        return (DL_CUDA, self._geometry()[3])

    # ---- copies, fills, views ---------------------------------------------------------------

    def _method(self, name, *args):
        return _call("call", self, name, *args)

    def clone(self):
        return self._method("clone")

    def contiguous(self):
        return self._method("contiguous")

    def copy_(self, source):
        """Copies source's values (a CudaTensor, a t7.Tensor or a numpy array, of the same
        number of elements) into this tensor."""
        if not isinstance(source, (CudaTensor, _core.Tensor)):
            source = _core.as_tensor_py(source)
        self._method("copy", source)
        return self

    def fill_(self, value):
        self._method("fill", float(value))
        return self

    def zero_(self):
        return self.fill_(0)

    def view(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        shape = list(shape)
        if shape.count(-1) > 1:
            raise ValueError("view: only one dimension can be inferred")
        if -1 in shape:
            known = 1
            for s in shape:
                known *= s if s != -1 else 1
            shape[shape.index(-1)] = self.numel() // known if known else 0
        return self._method("view", *shape)

    def reshape(self, *shape):
        return self.contiguous().view(*shape)

    def transpose(self, dim0, dim1):
        n = self.dim()
        return self._method("transpose", dim0 % n + 1, dim1 % n + 1)

    def t(self):
        if self.dim() > 2:
            raise RuntimeError("t() expects a tensor with <= 2 dimensions")
        return self if self.dim() < 2 else self.transpose(0, 1)

    T = property(t)

    # ---- indexing: integers and slices of step 1, as views ----------------------------------

    def __getitem__(self, key):
        """x[1], x[:, 2:5], x[..., 0]: views. An integer into a 1-D tensor gives a
        one-element tensor of shape (1,), CUDA tensors having no 0-d form."""
        keys = key if isinstance(key, tuple) else (key,)
        if any(k is Ellipsis for k in keys):
            at = keys.index(Ellipsis)
            fill = (slice(None),) * (self.dim() - len(keys) + 1)
            keys = keys[:at] + fill + keys[at + 1:]
        if len(keys) > self.dim():
            raise IndexError("too many indices for a tensor of dimension %d" % self.dim())
        result, dim = self, 0
        for k in keys:
            size = result.size(dim)
            if isinstance(k, slice):
                start, stop, step = k.indices(size)
                if step != 1:
                    raise IndexError("CUDA tensors take slices of step 1 only")
                result = result._method("narrow", dim + 1, start + 1, max(stop - start, 0))
                dim += 1
            elif isinstance(k, int) and not isinstance(k, bool):
                if not -size <= k < size:
                    raise IndexError("index %d is out of bounds for dimension %d with size %d"
                                     % (k, dim, size))
                result = result._method("select", dim + 1, k % size + 1)
            else:
                raise TypeError("CUDA tensors are indexed by integers and slices, not %s"
                                % type(k).__name__)
        return result

    def __setitem__(self, key, value):
        """x[i] = number fills; x[i] = tensor (CUDA, CPU or numpy) copies."""
        target = self[key]
        if isinstance(value, (int, float)):
            target.fill_(value)
        else:
            target.copy_(value)

    # ---- arithmetic and reductions ----------------------------------------------------------

    def _arithmetic(self, op, other, in_place=False):
        if not isinstance(other, (CudaTensor, int, float)):
            return NotImplemented
        return _call("arithmetic", op, self, other if isinstance(other, CudaTensor)
                     else float(other), in_place)

    def __add__(self, other):
        return self._arithmetic("add", other)

    def __sub__(self, other):
        return self._arithmetic("sub", other)

    def __mul__(self, other):
        return self._arithmetic("mul", other)

    def __truediv__(self, other):
        return self._arithmetic("div", other)

    __radd__, __rmul__ = __add__, __mul__

    def __rsub__(self, other):
        return (-self)._arithmetic("add", other)

    def __neg__(self):
        return self.clone()._method("neg")

    def add_(self, other):
        return self._arithmetic("add", other, True)

    def sub_(self, other):
        return self._arithmetic("sub", other, True)

    def mul_(self, other):
        return self._arithmetic("mul", other, True)

    def div_(self, other):
        return self._arithmetic("div", other, True)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_

    def __matmul__(self, other):
        if not isinstance(other, CudaTensor):
            return NotImplemented
        return _call("matmul", self, other)

    def sum(self):
        return float(self._method("sum"))

    def mean(self):
        return float(self._method("mean"))

    def max(self):
        return float(self._method("max"))

    def min(self):
        return float(self._method("min"))

    def norm(self, p=2):
        return float(self._method("norm", p))
