# The Python face of the core: Tensor objects over the same C struct the Lua side uses, the
# buffer protocol (numpy views, zero-copy) and from_numpy. Ownership crossing to and from
# Lua is by address: whoever receives an address owns one reference to the tensor.

from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_RECORDS, PyBUF_RECORDS_RO

DTYPE_NAMES = ("uint8", "int8", "int16", "int32", "int64", "float32", "float64", "float16")
TYPE_PREFIXES = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half")
cdef const char *BUFFER_FORMATS[8]
BUFFER_FORMATS[:] = [b"B", b"b", b"h", b"i", b"q", b"f", b"d", b"e"]
_FORMAT_TO_DTYPE = {"B": T7_BYTE, "b": T7_CHAR, "h": T7_SHORT, "i": T7_INT, "l": T7_LONG,
                    "q": T7_LONG, "f": T7_FLOAT, "d": T7_DOUBLE, "e": T7_HALF}


class TensorError(RuntimeError):
    """An operation of the tensor core refused its arguments."""


cdef int check(int status) except -1:
    if status != 0:
        raise TensorError(t7_last_error().decode("utf-8", "replace"))
    return 0


cdef class Tensor:
    """A strided view of a typed storage, shared with Lua (torch.*Tensor) and numpy."""

    cdef T7Tensor *ptr
    # autograd's marks (torch7_compat.autograd): what a Python user sees on a PyTorch tensor
    cdef public bint requires_grad
    cdef public object grad
    cdef public object grad_fn

    def __cinit__(self):
        self.ptr = NULL

    def __dealloc__(self):
        t7_tensor_release(self.ptr)

    @staticmethod
    def _adopt(size_t address):
        """The Tensor owning the reference that came with `address` (from Lua)."""
        if address == 0:
            raise ValueError("null tensor address")
        cdef Tensor t = Tensor.__new__(Tensor)
        t.ptr = <T7Tensor *>address
        return t

    def _share(self):
        """The address of this tensor with one new reference, for a receiver to adopt."""
        t7_tensor_retain(self.ptr)
        return <size_t>self.ptr

    @property
    def _address(self):
        return <size_t>self.ptr

    @property
    def lua_type(self):
        """The Torch7 class name, e.g. 'torch.DoubleTensor'."""
        return "torch.%sTensor" % TYPE_PREFIXES[self.ptr._dtype]

    @property
    def dtype(self):
        import numpy
        return numpy.dtype(DTYPE_NAMES[self.ptr._dtype])

    @property
    def shape(self):
        return tuple(self.ptr._size[d] for d in range(self.ptr._ndim))

    @property
    def ndim(self):
        return self.ptr._ndim

    def size(self, dim=None):
        return self.shape if dim is None else self.shape[dim]

    def stride(self, dim=None):
        strides = tuple(self.ptr._stride[d] for d in range(self.ptr._ndim))
        return strides if dim is None else strides[dim]

    def numel(self):
        return nelement(self.ptr)

    def is_contiguous(self):
        return bool(contiguous(self.ptr))

    def __len__(self):
        if self.ptr._ndim == 0:
            raise TypeError("len() of a tensor with no dimension")
        return self.ptr._size[0]

    def numpy(self):
        """A numpy array over the same memory (no copy)."""
        import numpy
        if self.ptr._ndim == 0:
            return numpy.empty((0,), dtype=DTYPE_NAMES[self.ptr._dtype])
        return numpy.asarray(memoryview(self))

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        if copy:
            array = array.copy()
        return array if dtype is None else array.astype(dtype, copy=False)

    def tolist(self):
        return self.numpy().tolist()

    def __repr__(self):
        if self.ptr._ndim == 0:
            return "Tensor([], dtype=%s)" % DTYPE_NAMES[self.ptr._dtype]
        import numpy
        body = numpy.array2string(self.numpy(), separator=", ", prefix="Tensor(")
        return "Tensor(%s, dtype=%s)" % (body, DTYPE_NAMES[self.ptr._dtype])

    def __getbuffer__(self, Py_buffer *buffer, int flags):
        cdef T7Tensor *t = self.ptr
        if t._ndim == 0 or t._storage == NULL:
            raise BufferError("a tensor with no dimension has no buffer")
        cdef Py_ssize_t *dims = <Py_ssize_t *>malloc(2 * t._ndim * sizeof(Py_ssize_t))
        if dims == NULL:
            raise MemoryError()
        cdef int d
        cdef int64_t elsize = ELEMENT_SIZES[t._dtype]
        for d in range(t._ndim):
            dims[d] = t._size[d]
            dims[t._ndim + d] = t._stride[d] * elsize
        buffer.buf = tensor_data(t)
        buffer.obj = self
        buffer.len = nelement(t) * elsize
        buffer.itemsize = elsize
        buffer.readonly = 0
        buffer.ndim = t._ndim
        buffer.format = <char *>BUFFER_FORMATS[t._dtype]
        buffer.shape = dims
        buffer.strides = dims + t._ndim
        buffer.suboffsets = NULL
        buffer.internal = <void *>t._storage
        t7_storage_retain(t._storage)            # the memory stays, and stays put,
        t7_atomic_add(&t._storage._exports, 1)   # until the buffer is released

    def __releasebuffer__(self, Py_buffer *buffer):
        cdef T7Storage *storage = <T7Storage *>buffer.internal
        t7_atomic_add(&storage._exports, -1)
        t7_storage_release(storage)
        free(buffer.shape)


def from_numpy(array):
    """A Tensor sharing memory with `array` (any writable buffer: numpy arrays above all).

    The array stays alive as long as the tensor (or any view of it) does."""
    cdef Py_buffer view
    owner = memoryview(array)     # holds the exporter's buffer for the storage's lifetime
    try:
        PyObject_GetBuffer(owner, &view, PyBUF_RECORDS)
    except BufferError:
        raise ValueError("from_numpy needs a writable array: this one is read-only "
                         "(pass array.copy())") from None
    try:
        fmt = (<bytes>view.format).decode() if view.format != NULL else "B"
        if fmt[:1] in ("<", "=", "@"):
            fmt = fmt[1:]
        if fmt not in _FORMAT_TO_DTYPE:
            raise TypeError("from_numpy: unsupported element type %r (supported: uint8, int8, "
                            "int16, int32, int64, float16, float32, float64)"
                            % getattr(array, "dtype", fmt))
        dtype = _FORMAT_TO_DTYPE[fmt]
        itemsize = view.itemsize
        if itemsize != ELEMENT_SIZES[dtype]:
            raise TypeError("from_numpy: element size %d does not match %r" % (itemsize, fmt))
        return _tensor_over_buffer(&view, dtype, owner)
    finally:
        PyBuffer_Release(&view)


cdef Tensor _tensor_over_buffer(Py_buffer *view, int dtype, object owner):
    cdef int ndim = view.ndim
    if ndim > T7_MAX_DIMS:
        raise ValueError("from_numpy: at most %d dimensions, got %d" % (T7_MAX_DIMS, ndim))
    cdef int64_t size[32]
    cdef int64_t stride[32]
    cdef int64_t extent = 1
    cdef int d
    for d in range(ndim):
        size[d] = view.shape[d]
        stride[d] = view.strides[d] // view.itemsize if view.strides != NULL else 0
        if view.strides != NULL and (view.strides[d] < 0 or view.strides[d] % view.itemsize):
            raise ValueError("from_numpy: negative or unaligned strides are not supported "
                             "(pass numpy.ascontiguousarray(array))")
        if size[d] == 0:
            extent = 0
    if view.strides == NULL:
        extent = 1
        for d in range(ndim - 1, -1, -1):
            stride[d] = extent
            extent *= size[d]
    elif extent:
        extent = storage_extent(ndim, size, stride)
    if ndim == 0:                 # a numpy scalar array: Torch7 has no 0-d tensor
        ndim = 1
        size[0] = 1
        stride[0] = 1
        extent = 1
    cdef T7Storage *storage = storage_wrap(dtype, <char *>view.buf, extent, <PyObject *>owner)
    if storage == NULL:
        check(-1)
    cdef T7Tensor *t = t7_tensor_new_view(storage, 0, ndim, size, stride)
    t7_storage_release(storage)
    if t == NULL:
        check(-1)
    cdef Tensor result = Tensor.__new__(Tensor)
    result.ptr = t
    return result


def tensor_abi_header_size():
    """sizeof(T7Tensor), checked against LuaJIT's view of the same struct at start-up."""
    return sizeof(T7Tensor)
