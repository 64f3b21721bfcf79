# The final Python Tensor: conversions between dtypes, printing as PyTorch prints, and the
# interop protocols (numpy's priority, DLPack in py_dlpack.pxi).


cdef str format_values(object array):
    """The body of the repr: PyTorch's layout (4 decimals, or whole numbers as '1.', or
    scientific notation over a wide range), rows aligned, summarised past 1000 elements."""
    import numpy
    if array.dtype.kind != "f":
        return numpy.array2string(array, separator=", ", prefix="tensor(", threshold=1000,
                                  edgeitems=3)
    finite = numpy.abs(array[numpy.isfinite(array)].astype(numpy.float64))
    nonzero = finite[finite != 0]
    whole = bool(numpy.all(finite == numpy.floor(finite)))
    big = nonzero.max() if nonzero.size else 0
    small = nonzero.min() if nonzero.size else 0
    scientific = nonzero.size and (big > 1e8 or (not whole and (big / small > 1000 or
                                                                  big < 1e-4)))
    if scientific:
        fmt = lambda v: "%.4e" % v
    elif whole:
        fmt = lambda v: ("%.0f." % v) if numpy.isfinite(v) else str(v)
    else:
        fmt = lambda v: ("%.4f" % v) if numpy.isfinite(v) else str(v)
    width = max([len(fmt(v)) for v in array.reshape(-1)[:2000]] or [1])
    return numpy.array2string(array, separator=", ", prefix="tensor(", threshold=1000,
                              edgeitems=3, formatter={"float_kind": lambda v: fmt(v).rjust(width)})


cdef class Tensor(_TensorReduce):
    """A tensor shared with Lua (torch.*Tensor) and numpy: PyTorch's API, 0-based.

    Made by t7.tensor(data), t7.zeros(...), t7.from_numpy(array), ... Python's default
    float type is float32; integers default to int64; comparisons give uint8 tensors."""

    # numpy defers to our reflected operators: array + tensor gives a tensor
    __array_priority__ = 1000

    def __init__(self, *args, dtype=None):
        """PyTorch's legacy constructor: t7.Tensor(2, 3) is an uninitialised float32 tensor
        of that shape, t7.Tensor(data) a float32 copy of data, t7.Tensor() has no element.
        (Results of operations are made without it.)"""
        cdef int code = DEFAULT_FLOAT if dtype is None else dtype_code(dtype)
        cdef _TensorBase made
        if args and all(isinstance(a, int) for a in args):
            made = shaped(args, None, code)
        elif len(args) == 1:
            made = tensor_from_data(args[0], code)
        elif not args:
            made = blank(code)
        else:
            raise TypeError("Tensor(): expected sizes or one sequence of data")
        t7_tensor_retain(made.ptr)
        t7_tensor_release(self.ptr)
        self.ptr = made.ptr
        self._scalar = made._scalar

    def __repr__(self):
        import numpy
        cdef int dtype = self.ptr._dtype
        if nelement(self.ptr) == 0:
            body = "[]"
        else:
            body = format_values(numpy.asarray(self))
        extras = []
        if dtype != DEFAULT_FLOAT and (dtype != T7_LONG or nelement(self.ptr) == 0):
            extras.append("dtype=t7.%s" % DTYPE_NAMES[dtype])
        if self.grad_fn is not None:
            extras.append("grad_fn=<%s>" % type(self.grad_fn).__name__)
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(%s)" % ", ".join([body] + extras)

    def __format__(self, spec):
        if self._scalar:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __reduce__(self):
        return (tensor, (numpy_copy(self), self.dtype))

    # ---- conversions ------------------------------------------------------------------------

    def to(self, *args, dtype=None, copy=False, **kwargs):
        """This tensor as dtype (self if already so, unless copy), on a device:
        t.to(t7.float64), t.to('int64'), t.to(other_tensor), t.to('cpu'), t.to('cuda')."""
        target = dtype
        place = kwargs.pop("device", None)
        for a in args:
            if isinstance(a, _TensorBase):
                target = a.dtype
            elif is_device_spec(a):
                place = a
            else:
                target = a
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError("to(): unexpected arguments %s" % ", ".join(kwargs))
        result = self.converted_to(target, copy)
        if place is not None and device(place).type == "cuda":
            return result.cuda(device(place).index)
        return result

    cdef converted_to(self, target, bint copy):
        if target is None:
            return self.clone() if copy else self
        code = dtype_code(target)
        if recording(self):
            return grad_dispatch("to", (self, DTYPES[code]), {"copy": copy})
        if code == self.ptr._dtype:
            return self.clone() if copy else self
        return converted(self, code)

    def type(self, dtype=None):
        """The Torch7 class name without an argument, else to(dtype)."""
        if dtype is None:
            return self.lua_type
        if isinstance(dtype, str) and dtype.startswith("torch.") and dtype.endswith("Tensor"):
            dtype = TYPE_PREFIXES.index(dtype[6:len(dtype) - 6])
            return self.to(DTYPES[dtype])
        return self.to(dtype)

    def type_as(self, other):
        """This tensor with other's dtype."""
        return self.to(other.dtype)

    def float(self):
        return self.to(DTYPES[T7_FLOAT])

    def double(self):
        return self.to(DTYPES[T7_DOUBLE])

    def half(self):
        return self.to(DTYPES[T7_HALF])

    def long(self):
        return self.to(DTYPES[T7_LONG])

    def int(self):
        return self.to(DTYPES[T7_INT])

    def short(self):
        return self.to(DTYPES[T7_SHORT])

    def char(self):
        return self.to(DTYPES[T7_CHAR])

    def byte(self):
        return self.to(DTYPES[T7_BYTE])

    def cpu(self):
        return self

    def cuda(self, device=None, non_blocking=False):
        """A CudaTensor with this tensor's values: float32 on the GPU (Torch7's
        torch.CudaTensor), on device (an index counted from 0, or 'cuda:1'; default: the
        current one). Needs the CUDA extension and a GPU (torch7_compat.cuda_tensor)."""
        from torch7_compat import cuda_tensor
        return cuda_tensor.from_cpu(self, device)

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def data(self):
        """This tensor's values outside the graph (a detached view)."""
        return self.detach()

    @data.setter
    def data(self, value):
        cdef _TensorBase v = as_tensor(value, -1)
        if v.ptr._dtype != self.ptr._dtype:
            raise TypeError("data: a tensor of dtype %s is needed, got %s"
                            % (DTYPE_NAMES[self.ptr._dtype], DTYPE_NAMES[v.ptr._dtype]))
        check(t7_tensor_set(self.ptr, v.ptr))
        self._scalar = v._scalar

    def new_zeros(self, *size, dtype=None):
        return zeros(*size, dtype=self.dtype if dtype is None else dtype)

    def new_ones(self, *size, dtype=None):
        return ones(*size, dtype=self.dtype if dtype is None else dtype)

    def new_empty(self, *size, dtype=None):
        return empty(*size, dtype=self.dtype if dtype is None else dtype)

    def new_full(self, size, fill_value, dtype=None):
        return full(size, fill_value, dtype=self.dtype if dtype is None else dtype)

    def new_tensor(self, data, dtype=None):
        return tensor(data, dtype=self.dtype if dtype is None else dtype)

    # ---- random fills (the same generator as t7.manual_seed) ----------------------------

    def uniform_(self, a=0.0, b=1.0):
        """Fills with values drawn uniformly in [a, b); returns self."""
        if recording(self):
            return grad_dispatch("uniform_", (self, a, b), {})
        fill_random(self, RANDOM_UNIFORM, a, b)
        return self

    def normal_(self, mean=0.0, std=1.0):
        """Fills with normal draws; returns self."""
        if recording(self):
            return grad_dispatch("normal_", (self, mean, std), {})
        fill_random(self, RANDOM_NORMAL, mean, std)
        return self

    def random_(self, low=0, high=None):
        """Fills with integers drawn uniformly in [low, high) (high: 2^24 without)."""
        if recording(self):
            return grad_dispatch("random_", (self, low, high), {})
        if high is None:
            low, high = 0, (low if low else 2 ** 24)
        fill_random(self, RANDOM_INTEGERS, low, high - 1)
        return self

    def bernoulli_(self, p=0.5):
        if recording(self):
            return grad_dispatch("bernoulli_", (self, p), {})
        fill_random(self, RANDOM_BERNOULLI, p, 0)
        return self

    # ---- interop ------------------------------------------------------------------------

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """A DLPack capsule over this tensor's memory (CPU; shares memory unless copy)."""
        if dl_device is not None and tuple(dl_device) != (1, 0):
            raise BufferError("t7 tensors are on the CPU (DLPack device (1, 0))")
        source = self.clone() if copy else self
        return dlpack_capsule(source, max_version is not None and max_version[0] >= 1)

    def __dlpack_device__(self):
        return (1, 0)       # kDLCPU, device 0


TENSOR_TYPE = Tensor


cdef object numpy_copy(_TensorBase t):
    import numpy
    return numpy.array(t, copy=True)
