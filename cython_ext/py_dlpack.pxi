# DLPack (the capsule protocol): tensors lend their memory to other libraries and borrow
# theirs, without copies. Both capsule kinds are spoken: the versioned one (DLPack 1.x,
# "dltensor_versioned", which numpy needs to hand out a writable array) when the consumer
# asks for it with max_version, else the legacy 0.x one ("dltensor"). An exported capsule
# holds a reference to our tensor until the consumer's deleter call; a borrowed tensor keeps
# the producer's managed tensor alive through its storage's owner.

from libc.stdint cimport uintptr_t
from cpython.pycapsule cimport (PyCapsule_New, PyCapsule_GetPointer, PyCapsule_IsValid,
                                PyCapsule_SetName, PyCapsule_Destructor)

cdef extern from *:
    """
    typedef struct { int32_t device_type; int32_t device_id; } T7DLDevice;
    typedef struct { uint8_t code; uint8_t bits; uint16_t lanes; } T7DLDataType;
    typedef struct {
        void *data;
        T7DLDevice device;
        int32_t ndim;
        T7DLDataType dtype;
        int64_t *shape;
        int64_t *strides;
        uint64_t byte_offset;
    } T7DLTensor;
    typedef struct T7DLManagedTensor {
        T7DLTensor dl_tensor;
        void *manager_ctx;
        void (*deleter)(struct T7DLManagedTensor *self);
    } T7DLManagedTensor;
    typedef struct { uint32_t major; uint32_t minor; } T7DLPackVersion;
    typedef struct T7DLManagedTensorVersioned {
        T7DLPackVersion version;
        void *manager_ctx;
        void (*deleter)(struct T7DLManagedTensorVersioned *self);
        uint64_t flags;
        T7DLTensor dl_tensor;
    } T7DLManagedTensorVersioned;
    """
    ctypedef struct T7DLDevice:
        int32_t device_type
        int32_t device_id
    ctypedef struct T7DLDataType:
        uint8_t code
        uint8_t bits
        uint16_t lanes
    ctypedef struct T7DLTensor:
        void *data
        T7DLDevice device
        int32_t ndim
        T7DLDataType dtype
        int64_t *shape
        int64_t *strides
        uint64_t byte_offset
    ctypedef struct T7DLManagedTensor:
        T7DLTensor dl_tensor
        void *manager_ctx
        void (*deleter)(T7DLManagedTensor *) noexcept nogil
    ctypedef struct T7DLPackVersion:
        uint32_t major
        uint32_t minor
    ctypedef struct T7DLManagedTensorVersioned:
        T7DLPackVersion version
        void *manager_ctx
        void (*deleter)(T7DLManagedTensorVersioned *) noexcept nogil
        uint64_t flags
        T7DLTensor dl_tensor

cdef enum:
    DL_INT = 0
    DL_UINT = 1
    DL_FLOAT = 2
    DL_BOOL = 6
    DL_CPU = 1
    DL_CUDA = 2
    DL_READ_ONLY = 1

cdef uint8_t DL_CODES[8]
DL_CODES[:] = [DL_UINT, DL_INT, DL_INT, DL_INT, DL_INT, DL_FLOAT, DL_FLOAT, DL_FLOAT]


cdef void release_exported(T7DLManagedTensor *m) noexcept nogil:
    """The deleter of our legacy capsules: gives back the tensor reference they held."""
    t7_tensor_release(<T7Tensor *>m.manager_ctx)
    free(m)


cdef void release_exported_versioned(T7DLManagedTensorVersioned *m) noexcept nogil:
    t7_tensor_release(<T7Tensor *>m.manager_ctx)
    free(m)


# The deleters of capsules over another device's memory: their context is a Python object
# (the device tensor's owner), given back under the GIL.
cdef void release_owner_of(T7DLManagedTensor *m) noexcept nogil:
    release_owner(m.manager_ctx)
    free(m)


cdef void release_owner_of_versioned(T7DLManagedTensorVersioned *m) noexcept nogil:
    release_owner(m.manager_ctx)
    free(m)


cdef size_t DIMS_ROOM = 2 * (T7_MAX_DIMS + 1) * sizeof(int64_t)


cdef object new_capsule(bint versioned, void *context, bint python_context,
                        T7DLTensor **dl, int64_t **dims):
    """A capsule over a fresh managed tensor whose deleter gives back `context` (a T7Tensor
    reference, or with python_context a Python object reference); *dl is left to fill in,
    with room for the sizes and strides at *dims."""
    cdef T7DLManagedTensor *m
    cdef T7DLManagedTensorVersioned *v
    if versioned:
        v = <T7DLManagedTensorVersioned *>malloc(sizeof(T7DLManagedTensorVersioned) + DIMS_ROOM)
        if v == NULL:
            raise MemoryError()
        v.version.major = 1
        v.version.minor = 0
        v.flags = 0
        v.manager_ctx = context
        v.deleter = release_owner_of_versioned if python_context else release_exported_versioned
        dl[0] = &v.dl_tensor
        dims[0] = <int64_t *>(v + 1)
        return PyCapsule_New(<void *>v, b"dltensor_versioned",
                             <PyCapsule_Destructor>capsule_destructor)
    m = <T7DLManagedTensor *>malloc(sizeof(T7DLManagedTensor) + DIMS_ROOM)
    if m == NULL:
        raise MemoryError()
    m.manager_ctx = context
    m.deleter = release_owner_of if python_context else release_exported
    dl[0] = &m.dl_tensor
    dims[0] = <int64_t *>(m + 1)
    return PyCapsule_New(<void *>m, b"dltensor", <PyCapsule_Destructor>capsule_destructor)


cdef void capsule_destructor(object capsule) noexcept:
    # a capsule never consumed (still under its first name) frees its tensor itself
    cdef T7DLManagedTensor *m
    cdef T7DLManagedTensorVersioned *v
    if PyCapsule_IsValid(capsule, b"dltensor"):
        m = <T7DLManagedTensor *>PyCapsule_GetPointer(capsule, b"dltensor")
        if m.deleter != NULL:
            m.deleter(m)
    elif PyCapsule_IsValid(capsule, b"dltensor_versioned"):
        v = <T7DLManagedTensorVersioned *>PyCapsule_GetPointer(capsule, b"dltensor_versioned")
        if v.deleter != NULL:
            v.deleter(v)


cdef void describe_dl(T7DLTensor *dl, _TensorBase t, int64_t *dims) noexcept:
    """dl: t's memory and geometry; dims: room for 2 * (ndim + 1) sizes and strides."""
    cdef T7Tensor *p = t.ptr
    cdef int ndim = 0 if t._scalar else p._ndim
    cdef int d
    for d in range(ndim):
        dims[d] = p._size[d]
        dims[ndim + d] = p._stride[d]
    if p._ndim == 0:              # no element: a (0,) array with no memory
        ndim = 1
        dims[0] = 0
        dims[1] = 1
    dl.data = tensor_data(p) if p._storage != NULL else <void *>dims
    dl.device.device_type = DL_CPU
    dl.device.device_id = 0
    dl.ndim = ndim
    dl.dtype.code = DL_CODES[p._dtype]
    dl.dtype.bits = ELEMENT_SIZES[p._dtype] * 8
    dl.dtype.lanes = 1
    dl.shape = dims
    dl.strides = dims + ndim
    dl.byte_offset = 0


cdef object dlpack_capsule(_TensorBase t, bint versioned):
    cdef T7DLTensor *dl
    cdef int64_t *dims
    capsule = new_capsule(versioned, <void *>t.ptr, False, &dl, &dims)
    describe_dl(dl, t, dims)
    t7_tensor_retain(t.ptr)
    return capsule


def device_dlpack_capsule(owner, uintptr_t data, shape, strides, int device_type,
                          int device_id, bint versioned):
    """A DLPack capsule over float32 memory of another device (a CUDA tensor's), which
    `owner` keeps valid: the capsule holds a reference to owner until its deleter runs."""
    cdef int ndim = len(shape), d
    if ndim > T7_MAX_DIMS or len(strides) != ndim:
        raise ValueError("device_dlpack_capsule: bad geometry")
    cdef T7DLTensor *dl
    cdef int64_t *dims
    capsule = new_capsule(versioned, <void *>owner, True, &dl, &dims)
    for d in range(ndim):
        dims[d] = shape[d]
        dims[ndim + d] = strides[d]
    dl.data = <void *>data
    dl.device.device_type = device_type
    dl.device.device_id = device_id
    dl.ndim = ndim
    dl.dtype.code = DL_FLOAT
    dl.dtype.bits = 32
    dl.dtype.lanes = 1
    dl.shape = dims
    dl.strides = dims + ndim
    dl.byte_offset = 0
    Py_XINCREF(<PyObject *>owner)
    return capsule


cdef class DLPackOwner:
    """Keeps a producer's DLPack tensor alive; calls its deleter when freed."""
    cdef T7DLManagedTensor *managed
    cdef T7DLManagedTensorVersioned *versioned

    def __dealloc__(self):
        if self.managed != NULL and self.managed.deleter != NULL:
            self.managed.deleter(self.managed)
        if self.versioned != NULL and self.versioned.deleter != NULL:
            self.versioned.deleter(self.versioned)


def from_dlpack(obj):
    """A Tensor sharing memory with obj (anything with __dlpack__: numpy arrays, PyTorch
    tensors, ...), or with a DLPack capsule. CUDA memory (float32) gives a CudaTensor."""
    device = tuple(obj.__dlpack_device__()) if hasattr(obj, "__dlpack_device__") else None
    if device is not None and device[0] not in (DL_CPU, DL_CUDA):
        raise RuntimeError("from_dlpack: only CPU and CUDA memory can be shared (device %s)"
                           % (device,))
    capsule = obj
    if hasattr(obj, "__dlpack__"):
        # CUDA producers order their work before the legacy default stream (1), ours
        stream = {"stream": 1} if device is not None and device[0] == DL_CUDA else {}
        try:
            capsule = obj.__dlpack__(max_version=(1, 0), **stream)
        except TypeError:           # a producer of the legacy protocol only
            capsule = obj.__dlpack__(**stream)
    cdef DLPackOwner owner = DLPackOwner.__new__(DLPackOwner)
    cdef T7DLTensor *dl
    if PyCapsule_IsValid(capsule, b"dltensor_versioned"):
        owner.versioned = <T7DLManagedTensorVersioned *>PyCapsule_GetPointer(
            capsule, b"dltensor_versioned")
        major = owner.versioned.version.major
        if major > 1:
            owner.versioned = NULL          # not ours: the capsule keeps its deleter
            raise ValueError("from_dlpack: DLPack version %d is not supported" % major)
        PyCapsule_SetName(capsule, b"used_dltensor_versioned")
        dl = &owner.versioned.dl_tensor
        if owner.versioned.flags & DL_READ_ONLY:
            raise ValueError("from_dlpack: the memory is read-only (pass a writable copy)")
    elif PyCapsule_IsValid(capsule, b"dltensor"):
        owner.managed = <T7DLManagedTensor *>PyCapsule_GetPointer(capsule, b"dltensor")
        dl = &owner.managed.dl_tensor
        PyCapsule_SetName(capsule, b"used_dltensor")   # ours now: the owner calls the deleter
    else:
        raise ValueError("from_dlpack: expected an object with __dlpack__ or an unused "
                         "DLPack capsule")
    cdef int dtype = -1
    cdef int bits = dl.dtype.bits
    if dl.dtype.lanes == 1:
        if dl.dtype.code == DL_FLOAT:
            dtype = {16: T7_HALF, 32: T7_FLOAT, 64: T7_DOUBLE}.get(bits, -1)
        elif dl.dtype.code == DL_INT:
            dtype = {8: T7_CHAR, 16: T7_SHORT, 32: T7_INT, 64: T7_LONG}.get(bits, -1)
        elif (dl.dtype.code == DL_UINT or dl.dtype.code == DL_BOOL) and bits == 8:
            dtype = T7_BYTE
    if dtype < 0:
        raise TypeError("from_dlpack: unsupported element type (code %d, %d bits, %d lanes)"
                        % (dl.dtype.code, bits, dl.dtype.lanes))
    cdef int ndim = dl.ndim, d
    if dl.device.device_type != DL_CPU and dl.device.device_type != DL_CUDA:
        raise RuntimeError("from_dlpack: only CPU and CUDA memory can be shared")
    if ndim > T7_MAX_DIMS:
        raise ValueError("from_dlpack: at most %d dimensions" % T7_MAX_DIMS)
    cdef int64_t size[32]
    cdef int64_t stride[32]
    cdef int64_t running = 1, extent
    for d in range(ndim - 1, -1, -1):
        size[d] = dl.shape[d]
        stride[d] = dl.strides[d] if dl.strides != NULL else running
        running *= size[d]
        if stride[d] < 0:
            raise ValueError("from_dlpack: negative strides are not supported")
    if dl.device.device_type == DL_CUDA:
        if dtype != T7_FLOAT:
            raise TypeError("from_dlpack: CUDA tensors are float32 (torch.CudaTensor), not %s"
                            % DTYPE_NAMES[dtype])
        from torch7_compat import cuda_tensor
        return cuda_tensor.from_dlpack_parts(
            <uintptr_t>dl.data + dl.byte_offset, [size[d] for d in range(ndim)],
            [stride[d] for d in range(ndim)], dl.device.device_id, owner)
    cdef char *data = <char *>dl.data + dl.byte_offset
    cdef bint scalar = ndim == 0
    if scalar:
        ndim = 1
        size[0] = 1
        stride[0] = 1
    extent = storage_extent(ndim, size, stride)
    if extent == 0:
        return new_tensor(dtype, 1, &extent)
    cdef T7Storage *storage = storage_wrap(dtype, data, extent, <PyObject *>owner)
    if storage == NULL:
        check(-1)
    cdef T7Tensor *t = t7_tensor_new_view(storage, 0, ndim, size, stride)
    t7_storage_release(storage)
    return adopt(t, scalar)


def lend_owner(owner):
    """For C code that keeps a Python object alive without the GIL (the CUDA extension's
    storages over borrowed memory): takes a reference to owner and returns (its address,
    the address of a `void release(void *)` that gives the reference back)."""
    Py_XINCREF(<PyObject *>owner)
    return <uintptr_t><void *>owner, <uintptr_t><void *>release_owner
