# Storages: a typed, reference-counted buffer. It owns its memory, or wraps memory that a
# Python object (a numpy array, say) owns and keeps that object alive, or views part of
# another storage (which it keeps alive), or maps a file.

from cpython.ref cimport PyObject, Py_XDECREF, Py_XINCREF
from posix.fcntl cimport open as posix_open, O_RDONLY, O_RDWR, O_CREAT
from posix.mman cimport mmap, munmap, PROT_READ, PROT_WRITE, MAP_SHARED, MAP_PRIVATE, MAP_FAILED
from posix.mman cimport shm_open, shm_unlink
from libc.string cimport strdup
from posix.stat cimport fstat, struct_stat
from posix.unistd cimport close as posix_close, ftruncate

cdef extern from "Python.h":
    int Py_IsInitialized() nogil

cdef extern from "t7_abi.h":
    enum:
        T7_STORAGE_VIEW
        T7_STORAGE_MAPPED
        T7_STORAGE_SHARED_MEMORY


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


cdef T7Storage *storage_shell(int dtype, char *data, int64_t size, int flags) noexcept nogil:
    cdef T7Storage *s = <T7Storage *>calloc(1, sizeof(T7Storage))
    if s == NULL:
        t7_fail("not enough memory for a storage")
        return NULL
    s._refcount = 1
    s._data = data
    s._size = size
    s._dtype = dtype
    s._flags = flags
    return s


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
    cdef T7Storage *s = storage_shell(dtype, data, size,
                                      T7_STORAGE_OWNS_DATA | T7_STORAGE_RESIZABLE)
    if s == NULL:
        free(data)
        return NULL
    heap_add(size * ELEMENT_SIZES[dtype])
    return s


cdef T7Storage *storage_wrap(int dtype, char *data, int64_t size, PyObject *owner) noexcept:
    """A storage over foreign memory that `owner` keeps valid; takes a reference to owner
    (so the GIL must be held)."""
    cdef T7Storage *s = storage_shell(dtype, data, size, 0)
    if s == NULL:
        return NULL
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
    if s._flags & T7_STORAGE_MAPPED and s._size > 0:
        munmap(s._data, s._size * ELEMENT_SIZES[s._dtype])
    if s._flags & T7_STORAGE_VIEW:
        t7_atomic_add(&(<T7Storage *>s._owner)._exports, -1)
        t7_storage_release(<T7Storage *>s._owner)
    elif s._flags & T7_STORAGE_SHARED_MEMORY:
        shm_unlink(<char *>s._owner)      # gone already (another process freed it): fine
        free(s._owner)
    elif s._owner != NULL:
        release_owner(s._owner)
    free(s)


cdef public int t7_storage_resize(T7Storage *s, int64_t size) noexcept nogil:
    if size < 0:
        return t7_fail("storage size must be non-negative, got %lld", <ll>size)
    if size == s._size:
        return 0
    if s._exports > 0:
        return t7_fail("cannot resize a storage whose memory is viewed by %lld Python buffer(s) "
                       "(numpy arrays), storage views or running apply loops: its memory "
                       "must not move",
                       <ll>s._exports)
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


cdef public T7Storage *t7_storage_new_view(T7Storage *src, int64_t offset,
                                           int64_t size) noexcept nogil:
    """A storage over elements [offset, offset + size) of src, sharing its memory: src stays
    alive, and cannot be resized, while the view lives (torch.Storage(src, offset, size))."""
    if offset < 0 or offset >= src._size:
        t7_fail("offset out of bounds")
        return NULL
    if size < 1 or size > src._size - offset:
        t7_fail("size out of bounds")
        return NULL
    cdef T7Storage *s = storage_shell(src._dtype, src._data + offset * ELEMENT_SIZES[src._dtype],
                                      size, T7_STORAGE_VIEW)
    if s == NULL:
        return NULL
    t7_storage_retain(src)
    t7_atomic_add(&src._exports, 1)
    s._owner = <void *>src
    return s


cdef bint valid_mapping_request(int dtype, int64_t size) noexcept nogil:
    if not valid_dtype(dtype):
        t7_fail("unknown element type %d", dtype)
        return False
    if size < 0:
        t7_fail("storage size must be non-negative, got %lld", <ll>size)
        return False
    return True


cdef T7Storage *map_descriptor(int fd, const char *filename, int dtype, int64_t size,
                               int shared) noexcept nogil:
    """A storage over the bytes of the open file fd (closed here), as t7_storage_new_mapped
    describes."""
    cdef struct_stat info
    if fstat(fd, &info) == -1:
        posix_close(fd)
        t7_fail("unable to stat the file <%s>", filename)
        return NULL
    cdef int64_t elsize = ELEMENT_SIZES[dtype]
    if size == 0:
        size = info.st_size // elsize
    elif size * elsize > info.st_size:
        if not shared:
            posix_close(fd)
            t7_fail("file <%s> size is smaller than the required mapping size <%lld>",
                    filename, <ll>(size * elsize))
            return NULL
        if ftruncate(fd, size * elsize) == -1:
            posix_close(fd)
            t7_fail("unable to resize file <%s> to the right size", filename)
            return NULL
    cdef void *data = NULL
    if size > 0:
        data = mmap(NULL, size * elsize, PROT_READ | PROT_WRITE,
                    MAP_SHARED if shared else MAP_PRIVATE, fd, 0)
    posix_close(fd)
    if size == 0:
        return t7_storage_new(dtype, 0)
    if data == MAP_FAILED:
        t7_fail("unable to mmap file <%s>", filename)
        return NULL
    cdef T7Storage *s = storage_shell(dtype, <char *>data, size, T7_STORAGE_MAPPED)
    if s == NULL:
        munmap(data, size * elsize)
    return s


cdef public T7Storage *t7_storage_new_mapped(const char *filename, int dtype, int64_t size,
                                             int shared) noexcept nogil:
    """A storage over the file's bytes (size 0: as many elements as the file holds). Shared,
    writes reach the file (made or grown as needed); otherwise they stay private."""
    if not valid_mapping_request(dtype, size):
        return NULL
    cdef int fd = posix_open(filename, O_RDWR | O_CREAT if shared else O_RDONLY, 0o600)
    if fd == -1:
        t7_fail("unable to open file <%s> in %s mode", filename,
                "read-write" if shared else "read-only")
        return NULL
    return map_descriptor(fd, filename, dtype, size, shared)


cdef public T7Storage *t7_storage_new_shared_memory(const char *name, int dtype, int64_t size,
                                                    int shared) noexcept nogil:
    if not valid_mapping_request(dtype, size):
        return NULL
    cdef char *kept = strdup(name)
    if kept == NULL:
        t7_fail("out of memory")
        return NULL
    cdef int fd = shm_open(name, O_RDWR | O_CREAT if shared else O_RDONLY, 0o600)
    if fd == -1:
        free(kept)
        t7_fail("unable to open shared memory object <%s> in %s mode", name,
                "read-write" if shared else "read-only")
        return NULL
    cdef T7Storage *s = map_descriptor(fd, name, dtype, size, shared)
    if s == NULL:
        shm_unlink(name)
        free(kept)
        return NULL
    s._flags |= T7_STORAGE_SHARED_MEMORY
    s._owner = kept
    return s


cdef public void t7_storage_pin(T7Storage *s) noexcept nogil:
    """Keeps s alive and its memory in place (resizing it fails) until t7_storage_unpin:
    for loops that hold raw pointers into it while running user code (Tensor:apply)."""
    if s != NULL:
        t7_storage_retain(s)
        t7_atomic_add(&s._exports, 1)


cdef public void t7_storage_unpin(T7Storage *s) noexcept nogil:
    if s != NULL:
        t7_atomic_add(&s._exports, -1)
        t7_storage_release(s)
