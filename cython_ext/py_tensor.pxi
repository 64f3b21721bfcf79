# The Python face of the core: Tensor objects over the same C struct the Lua side uses, the
# buffer protocol (numpy views, zero-copy) and from_numpy. Ownership crossing to and from
# Lua is by address: whoever receives an address owns one reference to the tensor.
#
# The class is built in layers, one file each: _TensorBase here (memory, geometry, buffers,
# the autograd's marks), then views and indexing (py_views.pxi), arithmetic (py_math.pxi),
# reductions (py_reduce.pxi) and the final Tensor (py_api.pxi: printing, conversions).
# Every field lives in _TensorBase, so a tensor is made by its tp_new alone (make_tensor).

from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_RECORDS, PyBUF_RECORDS_RO

cdef const char *BUFFER_FORMATS[8]
BUFFER_FORMATS[:] = [b"B", b"b", b"h", b"i", b"q", b"f", b"d", b"e"]
_FORMAT_TO_DTYPE = {"B": T7_BYTE, "b": T7_CHAR, "h": T7_SHORT, "i": T7_INT, "l": T7_LONG,
                    "q": T7_LONG, "f": T7_FLOAT, "d": T7_DOUBLE, "e": T7_HALF}

# Python's default element type for floating values (t7.tensor([1.5]), t7.zeros(3)), as
# PyTorch's: float32. Integers default to int64.
cdef int DEFAULT_FLOAT = T7_FLOAT

cdef extern from *:
    """
    static PyObject *t7_py_no_args = NULL;
    /* a new instance of an extension type through its tp_new: no Python-level call */
    static PyObject *t7_py_alloc(PyObject *type) {
        if (t7_py_no_args == NULL && (t7_py_no_args = PyTuple_New(0)) == NULL)
            return NULL;
        return ((PyTypeObject *)type)->tp_new((PyTypeObject *)type, t7_py_no_args, NULL);
    }
    """
    object t7_py_alloc(object type)


class TensorError(RuntimeError):
    """An operation of the tensor core refused its arguments."""


cdef int check(int status) except -1:
    if status != 0:
        raise TensorError(t7_last_error().decode("utf-8", "replace"))
    return 0


class Size(tuple):
    """The shape of a tensor: a tuple of ints."""

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __repr__(self):
        return "t7.Size([%s])" % ", ".join(str(s) for s in self)


# Geometry as Python sees it: a 0-d tensor (a 1-element tensor marked scalar) has no
# dimension; a tensor of no element (Torch7's 0-dimensional one) has shape (0,).
cdef struct Geometry:
    int ndim
    int64_t size[32]
    int64_t stride[32]


cdef type TENSOR_TYPE = None     # torch7_compat._core.Tensor, once defined (py_api.pxi)


cdef _TensorBase adopt(T7Tensor *p, bint scalar):
    """The Tensor owning reference p (NULL: raise the core's error)."""
    if p == NULL:
        check(-1)
    cdef _TensorBase t = <_TensorBase>t7_py_alloc(TENSOR_TYPE)
    t.ptr = p
    t._scalar = scalar and p._ndim == 1 and p._size[0] == 1
    return t


cdef inline _TensorBase blank(int dtype):
    """A tensor of no element, for a core function to resize and fill."""
    return adopt(t7_tensor_new(dtype), False)


cdef _TensorBase new_tensor(int dtype, int ndim, const int64_t *size):
    """A contiguous tensor of the given Python shape (ndim 0: a scalar). A large one asks
    for huge pages, as numpy's arrays do: Python frees results as soon as they are dropped,
    so their memory is recycled at once (see docs/decisions.md, "Large loads")."""
    cdef int64_t one = 1
    cdef _TensorBase t = adopt(t7_tensor_new(dtype), False)
    if ndim == 0:
        check(t7_tensor_resize(t.ptr, 1, &one, NULL))
        t._scalar = True
    else:
        check(t7_tensor_resize(t.ptr, ndim, size, NULL))
        if t.ptr._storage != NULL:
            advise_huge_pages_when_large(t.ptr._storage)
    return t


cdef _TensorBase new_like(_TensorBase src, int dtype):
    cdef Geometry g
    geometry(src, &g)
    return new_tensor(dtype, g.ndim, g.size)


cdef _TensorBase view_of(_TensorBase src, int64_t offset, int ndim, const int64_t *size,
                         const int64_t *stride):
    """A view of src's storage with the given Python geometry (ndim 0: a scalar)."""
    cdef int64_t one = 1, zero = 0
    cdef int d
    for d in range(ndim):
        if size[d] == 0:
            return new_tensor(src.ptr._dtype, 1, &zero)
    if src.ptr._storage == NULL:
        return new_tensor(src.ptr._dtype, ndim, size)
    if ndim == 0:
        return adopt(t7_tensor_new_view(src.ptr._storage, offset, 1, &one, &one), True)
    return adopt(t7_tensor_new_view(src.ptr._storage, offset, ndim, size, stride), False)


cdef inline void geometry(_TensorBase t, Geometry *g) noexcept:
    cdef T7Tensor *p = t.ptr
    if t._scalar:
        g.ndim = 0
        return
    if p._ndim == 0:
        g.ndim = 1
        g.size[0] = 0
        g.stride[0] = 1
        return
    g.ndim = p._ndim
    memcpy(g.size, p._size, p._ndim * sizeof(int64_t))
    memcpy(g.stride, p._stride, p._ndim * sizeof(int64_t))


cdef inline int py_ndim(_TensorBase t) noexcept:
    if t._scalar:
        return 0
    return t.ptr._ndim if t.ptr._ndim > 0 else 1


cdef int normalize_dim(object dim, int ndim) except -1:
    """A 0-based dimension, negative ones counted from the end; IndexError outside."""
    cdef Py_ssize_t d = dim
    cdef int n = ndim if ndim > 0 else 1
    if d < -n or d >= n:
        raise IndexError("Dimension out of range (expected to be in range of [%d, %d], "
                         "but got %d)" % (-n, n - 1, d))
    return d + n if d < 0 else d


cdef object read_element(const T7Tensor *p, int64_t offset):
    """Element `offset` of p's storage as a Python number."""
    cdef char *base = p._storage._data
    cdef int dtype = p._dtype
    if dtype == T7_FLOAT:
        return (<float *>base)[offset]
    if dtype == T7_DOUBLE:
        return (<double *>base)[offset]
    if dtype == T7_LONG:
        return (<int64_t *>base)[offset]
    if dtype == T7_INT:
        return (<int32_t *>base)[offset]
    if dtype == T7_SHORT:
        return (<int16_t *>base)[offset]
    if dtype == T7_CHAR:
        return (<int8_t *>base)[offset]
    if dtype == T7_BYTE:
        return (<uint8_t *>base)[offset]
    return t7_half_to_float((<uint16_t *>base)[offset])


cdef inline bint recording(_TensorBase a) noexcept:
    """Whether an operation on a must go to the autograd."""
    return grad_dispatch is not None and a._requires_grad and t7_py_grad_enabled()


cdef bint recording2(_TensorBase a, object b) noexcept:
    if grad_dispatch is None or not t7_py_grad_enabled():
        return False
    if a._requires_grad:
        return True
    return isinstance(b, _TensorBase) and (<_TensorBase>b)._requires_grad


cdef bint recording_any(tuple args) noexcept:
    if grad_dispatch is None or not t7_py_grad_enabled():
        return False
    for x in args:
        if isinstance(x, _TensorBase) and (<_TensorBase>x)._requires_grad:
            return True
        if isinstance(x, (list, tuple)) and recording_any(tuple(x)):
            return True
    return False


cdef class _TensorBase:
    """Memory and geometry of a tensor shared with Lua (torch.*Tensor) and numpy."""

    cdef T7Tensor *ptr
    cdef bint _scalar               # a 1-element tensor Python sees as 0-d
    cdef bint _requires_grad
    # the autograd's marks (torch7_compat.autograd), as on a PyTorch tensor
    cdef public object grad
    cdef public object grad_fn
    cdef dict __dict__
    cdef object __weakref__

    def __cinit__(self):
        self.ptr = NULL

    def __dealloc__(self):
        t7_tensor_release(self.ptr)

    @staticmethod
    def _adopt(size_t address):
        """The Tensor owning the reference that came with `address` (from Lua)."""
        if address == 0:
            raise ValueError("null tensor address")
        return adopt(<T7Tensor *>address, False)

    def _share(self):
        """The address of this tensor with one new reference, for a receiver to adopt."""
        t7_tensor_retain(self.ptr)
        return <size_t>self.ptr

    @property
    def _address(self):
        return <size_t>self.ptr

    @property
    def _sole_owner(self):
        """Whether no other tensor, Lua reference or Python buffer reaches this tensor's memory
        through the core (an in-place change the autograd records must reach no one else).
        Memory wrapped from another Python object (_memory_owner) is that object's to say."""
        cdef T7Storage *s = self.ptr._storage
        if self.ptr._refcount != 1:
            return False
        return s == NULL or (s._refcount == 1 and s._exports == 0 and not (
            s._flags & (T7_STORAGE_VIEW | T7_STORAGE_MAPPED | T7_STORAGE_SHARED_MEMORY)))

    @property
    def _memory_owner(self):
        """The Python object whose memory this tensor wraps (from_numpy, DLPack), or None."""
        cdef T7Storage *s = self.ptr._storage
        if s == NULL or s._owner == NULL or s._flags & (T7_STORAGE_VIEW |
                                                         T7_STORAGE_SHARED_MEMORY):
            return None
        return <object>s._owner

    @property
    def lua_type(self):
        """The Torch7 class name, e.g. 'torch.DoubleTensor'."""
        return "torch.%sTensor" % TYPE_PREFIXES[self.ptr._dtype]

    @property
    def dtype(self):
        """The element type: t7.float32, t7.int64, ... (equal to its name as a string)."""
        return DTYPES[self.ptr._dtype]

    @property
    def is_floating_point(self):
        return is_floating(self.ptr._dtype)

    # ---- geometry ---------------------------------------------------------------------

    @property
    def shape(self):
        """The sizes, as a t7.Size (a tuple); () for a 0-d tensor."""
        cdef Geometry g
        geometry(self, &g)
        return Size([g.size[d] for d in range(g.ndim)])

    @property
    def ndim(self):
        return py_ndim(self)

    def dim(self):
        """The number of dimensions (0 for a scalar)."""
        return py_ndim(self)

    def size(self, dim=None):
        """The shape, or the size of dimension `dim` (negative counts from the end)."""
        if dim is None:
            return self.shape
        cdef Geometry g
        geometry(self, &g)
        return g.size[normalize_dim(dim, g.ndim)]

    def stride(self, dim=None):
        """The strides in elements, or that of dimension `dim`."""
        cdef Geometry g
        geometry(self, &g)
        if dim is None:
            return tuple(g.stride[d] for d in range(g.ndim))
        return g.stride[normalize_dim(dim, g.ndim)]

    def numel(self):
        """The number of elements."""
        return nelement(self.ptr)

    def nelement(self):
        return nelement(self.ptr)

    def element_size(self):
        return ELEMENT_SIZES[self.ptr._dtype]

    def storage_offset(self):
        return self.ptr._offset

    def data_ptr(self):
        """The address of the first element (0 for a tensor of no element)."""
        return <size_t>tensor_data(self.ptr)

    def is_contiguous(self):
        return bool(contiguous(self.ptr))

    def __len__(self):
        if self._scalar:
            raise TypeError("len() of a 0-d tensor")
        return self.ptr._size[0] if self.ptr._ndim > 0 else 0

    # ---- single values ------------------------------------------------------------------

    def item(self):
        """The value of a one-element tensor, as a Python number."""
        if nelement(self.ptr) != 1:
            raise ValueError("a Tensor with %d elements cannot be converted to Scalar"
                             % nelement(self.ptr))
        return read_element(self.ptr, self.ptr._offset)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if is_floating(self.ptr._dtype):
            raise TypeError("only integer tensors of a single element can be converted "
                            "to an index")
        return int(self.item())

    def __bool__(self):
        if nelement(self.ptr) != 1:
            raise RuntimeError("Boolean value of Tensor with %s values is ambiguous"
                               % ("no" if nelement(self.ptr) == 0 else "more than one"))
        return bool(self.item())

    # ---- numpy and the buffer protocol ----------------------------------------------------

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
        """Nested lists of Python numbers (a number for a 0-d tensor)."""
        return self.numpy().tolist()

    def __getbuffer__(self, Py_buffer *buffer, int flags):
        cdef T7Tensor *t = self.ptr
        if t._ndim == 0 or t._storage == NULL:
            raise BufferError("a tensor with no element has no buffer")
        cdef int ndim = 0 if self._scalar else t._ndim
        cdef Py_ssize_t *dims = <Py_ssize_t *>malloc((2 * ndim + 1) * sizeof(Py_ssize_t))
        if dims == NULL:
            raise MemoryError()
        cdef int d
        cdef int64_t elsize = ELEMENT_SIZES[t._dtype]
        for d in range(ndim):
            dims[d] = t._size[d]
            dims[ndim + d] = t._stride[d] * elsize
        buffer.buf = tensor_data(t)
        buffer.obj = self
        buffer.len = nelement(t) * elsize
        buffer.itemsize = elsize
        buffer.readonly = 0
        buffer.ndim = ndim
        buffer.format = <char *>BUFFER_FORMATS[t._dtype]
        buffer.shape = dims if ndim > 0 else NULL
        buffer.strides = dims + ndim if ndim > 0 else NULL
        buffer.suboffsets = NULL
        buffer.internal = <void *>t._storage
        if ndim == 0:
            free(dims)
        t7_storage_retain(t._storage)            # the memory stays, and stays put,
        t7_atomic_add(&t._storage._exports, 1)   # until the buffer is released

    def __releasebuffer__(self, Py_buffer *buffer):
        cdef T7Storage *storage = <T7Storage *>buffer.internal
        t7_atomic_add(&storage._exports, -1)
        t7_storage_release(storage)
        if buffer.shape != NULL:
            free(buffer.shape)

    # ---- the autograd's marks ---------------------------------------------------------------

    @property
    def requires_grad(self):
        """Whether the autograd records operations on this tensor."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and not is_floating(self.ptr._dtype):
            raise RuntimeError("only Tensors of floating point dtype can require gradients "
                               "(this one is %s)" % DTYPE_NAMES[self.ptr._dtype])
        self._requires_grad = bool(flag)

    def requires_grad_(self, requires_grad=True):
        """Sets requires_grad in place; returns self."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        """True for tensors no recorded operation made (grad_fn is None)."""
        return self.grad_fn is None

    def detach(self):
        """A tensor sharing this one's memory, outside any graph (requires_grad False)."""
        cdef T7Tensor *p = t7_tensor_new(self.ptr._dtype)
        cdef _TensorBase t = adopt(p, False)
        check(t7_tensor_set(p, self.ptr))
        t._scalar = self._scalar
        return t

    def detach_(self):
        """Takes this tensor out of its graph; returns self."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Computes the gradients of this tensor with respect to the graph's leaves
        (torch7_compat.autograd.backward)."""
        from torch7_compat import autograd
        if create_graph:
            return autograd.backward(self, gradient, retain_graph, create_graph=True)
        return autograd.backward(self, gradient, retain_graph)

    def register_hook(self, hook):
        """Calls hook(grad) when this tensor's gradient is computed; a tensor it returns
        replaces the gradient. Returns a handle whose remove() undoes it."""
        from torch7_compat import autograd
        return autograd.register_hook(self, hook)

    def retain_grad(self):
        """Keeps this non-leaf tensor's gradient in .grad after backward."""
        from torch7_compat import autograd
        autograd.retain_grad(self)


def from_numpy(array):
    """A Tensor sharing memory with `array` (any writable buffer: numpy arrays above all).

    The array stays alive as long as the tensor (or any view of it) does. A 0-d array gives
    a 0-d tensor."""
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


cdef _TensorBase _tensor_over_buffer(Py_buffer *view, int dtype, object owner):
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
    cdef bint scalar = ndim == 0
    if scalar:                    # a numpy scalar array: Torch7 holds it as 1-element 1-d
        ndim = 1
        size[0] = 1
        stride[0] = 1
        extent = 1
    cdef T7Storage *storage = storage_wrap(dtype, <char *>view.buf, extent, <PyObject *>owner)
    if storage == NULL:
        check(-1)
    cdef T7Tensor *t = t7_tensor_new_view(storage, 0, ndim, size, stride)
    t7_storage_release(storage)
    return adopt(t, scalar)


def heap_allocated():
    """Bytes of tensor memory (storages and tensor structs) alive now, Lua's and Python's."""
    return heap_state.allocated


def tensor_abi_header_size():
    """sizeof(T7Tensor), checked against LuaJIT's view of the same struct at start-up."""
    return sizeof(T7Tensor)
