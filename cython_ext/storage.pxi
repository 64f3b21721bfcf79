# Storages: a typed, reference-counted buffer. It owns its memory, or wraps memory that a
# Python object (a numpy array, say) owns and keeps that object alive.

from cpython.ref cimport PyObject, Py_XDECREF, Py_XINCREF

cdef extern from "Python.h":
    int Py_IsInitialized() nogil


cdef bint size_overflows(int64_t count, int64_t elsize) noexcept nogil:
    return count < 0 or (count > 0 and elsize > INT64_MAX // count)

cdef char *allocate_elements(int64_t count, int dtype) noexcept nogil:
    """Zeroed memory for `count` elements (never NULL for count 0), or NULL with an error."""
    cdef int64_t elsize = ELEMENT_SIZES[dtype]
    if size_overflows(count, elsize):
        t7_fail("cannot allocate %lld elements of %s: the size overflows", <ll>count,
                TYPE_NAMES[dtype])
        return NULL
    cdef char *data = <char *>calloc(count if count > 0 else 1, elsize)
    if data == NULL:
        t7_fail("not enough memory: you tried to allocate %.1f GB (%lld %s elements)",
                count * elsize / 1073741824.0, <ll>count, TYPE_NAMES[dtype])
    return data


cdef public T7Storage *t7_storage_new(int dtype, int64_t size) noexcept nogil:
    if not valid_dtype(dtype):
        t7_fail("unknown element type %d", dtype)
        return NULL
    if size < 0:
        t7_fail("storage size must be non-negative, got %lld", <ll>size)
        return NULL
    cdef char *data = allocate_elements(size, dtype)
    if data == NULL:
        return NULL
    cdef T7Storage *s = <T7Storage *>calloc(1, sizeof(T7Storage))
    if s == NULL:
        free(data)
        t7_fail("not enough memory for a storage")
        return NULL
    s._refcount = 1
    s._data = data
    s._size = size
    s._dtype = dtype
    s._flags = T7_STORAGE_OWNS_DATA | T7_STORAGE_RESIZABLE
    heap_add(size * ELEMENT_SIZES[dtype])
    return s


cdef T7Storage *storage_wrap(int dtype, char *data, int64_t size, PyObject *owner) noexcept:
    """A storage over foreign memory that `owner` keeps valid; takes a reference to owner
    (so the GIL must be held)."""
    cdef T7Storage *s = <T7Storage *>calloc(1, sizeof(T7Storage))
    if s == NULL:
        t7_fail("not enough memory for a storage")
        return NULL
    s._refcount = 1
    s._data = data
    s._size = size
    s._dtype = dtype
    s._flags = 0
    s._owner = <void *>owner
    Py_XINCREF(owner)
    return s


cdef void release_owner(void *owner) noexcept nogil:
    # Lua finalizers run without the GIL (lupa releases it while Lua runs): take it first.
    # During interpreter shutdown the owner is being torn down anyway.
    if Py_IsInitialized():
        with gil:
            Py_XDECREF(<PyObject *>owner)


cdef public void t7_storage_retain(T7Storage *s) noexcept nogil:
    if s != NULL:
        t7_atomic_add(&s._refcount, 1)


cdef public void t7_storage_release(T7Storage *s) noexcept nogil:
    if s == NULL or t7_atomic_add(&s._refcount, -1) != 0:
        return
    if s._flags & T7_STORAGE_OWNS_DATA:
        heap_add(-s._size * ELEMENT_SIZES[s._dtype])
        free(s._data)
    if s._owner != NULL:
        release_owner(s._owner)
    free(s)


cdef public int t7_storage_resize(T7Storage *s, int64_t size) noexcept nogil:
    if size < 0:
        return t7_fail("storage size must be non-negative, got %lld", <ll>size)
    if size == s._size:
        return 0
    if s._exports > 0:
        return t7_fail("cannot resize a storage whose memory is viewed by %lld Python buffer(s) "
                       "(numpy arrays): its memory must not move", <ll>s._exports)
    if not (s._flags & T7_STORAGE_RESIZABLE):
        return t7_fail("Trying to resize storage that is not resizable "
                       "(it wraps memory of size %lld that it does not own)", <ll>s._size)
    cdef int64_t elsize = ELEMENT_SIZES[s._dtype]
    if size_overflows(size, elsize):
        return t7_fail("cannot resize a storage to %lld elements: the size overflows", <ll>size)
    cdef char *data = <char *>realloc(s._data, (size if size > 0 else 1) * elsize)
    if data == NULL:
        return t7_fail("not enough memory: you tried to allocate %.1f GB",
                       size * elsize / 1073741824.0)
    if size > s._size:
        memset(data + s._size * elsize, 0, (size - s._size) * elsize)
    heap_add((size - s._size) * elsize)
    s._data = data
    s._size = size
    return 0


cdef public int t7_storage_fill(T7Storage *s, double value) noexcept nogil:
    cdef T7Tensor view
    storage_as_tensor(&view, s)
    return t7_tensor_fill(&view, value)


cdef public int t7_storage_copy(T7Storage *dst, T7Storage *src) noexcept nogil:
    if dst._size != src._size:
        return t7_fail("size mismatch: cannot copy a storage of %lld elements into one of %lld",
                       <ll>src._size, <ll>dst._size)
    cdef T7Tensor vd, vs
    storage_as_tensor(&vd, dst)
    storage_as_tensor(&vs, src)
    return t7_tensor_copy(&vd, &vs)


cdef void storage_as_tensor(T7Tensor *view, T7Storage *s) noexcept nogil:
    """A borrowed 1-D contiguous view over the whole storage, on the stack: lets storage
    operations reuse the tensor kernels without reference counting."""
    memset(view, 0, sizeof(T7Tensor))
    view._refcount = 1
    view._storage = s
    view._dtype = s._dtype
    if s._size > 0:
        view._ndim = 1
        view._size[0] = s._size
        view._stride[0] = 1
