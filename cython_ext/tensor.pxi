# Tensors: a storage seen through an offset, sizes and strides (in elements), as Torch7's TH.
# Every view shares the storage; only resize ever allocates.


cdef inline char *tensor_data(const T7Tensor *t) noexcept nogil:
    """Address of the first element (meaningless for a tensor with no element)."""
    if t._storage == NULL:
        return NULL
    return t._storage._data + t._offset * ELEMENT_SIZES[t._dtype]


cdef inline int64_t nelement(const T7Tensor *t) noexcept nogil:
    if t._ndim == 0:
        return 0
    cdef int64_t n = 1
    cdef int d
    for d in range(t._ndim):
        n *= t._size[d]
    return n


cdef bint contiguous(const T7Tensor *t) noexcept nogil:
    cdef int64_t expected = 1
    cdef int d
    for d in range(t._ndim - 1, -1, -1):
        if t._size[d] != 1:
            if t._stride[d] != expected:
                return False
            expected *= t._size[d]
    return True


cdef int64_t storage_extent(int ndim, const int64_t *size, const int64_t *stride) noexcept nogil:
    """Elements a view needs after its offset: 1 + the largest reachable index, or 0
    (INT64_MAX where that overflows: no storage is so large)."""
    cdef int64_t extent = 1
    cdef int d
    for d in range(ndim):
        if size[d] == 0:
            return 0
    for d in range(ndim):
        if stride[d] > 0 and size[d] - 1 > (INT64_MAX - extent) // stride[d]:
            return INT64_MAX
        extent += (size[d] - 1) * stride[d]
    return extent


cdef int check_geometry(int ndim, const int64_t *size, const int64_t *stride) noexcept nogil:
    cdef int d
    cdef int64_t total = 1
    if ndim < 0 or ndim > T7_MAX_DIMS:
        return t7_fail("a tensor has at most %d dimensions, got %d", <int>T7_MAX_DIMS, ndim)
    for d in range(ndim):
        if size[d] < 0:
            return t7_fail("invalid size %lld for dimension %d: sizes must be non-negative",
                           <ll>size[d], d + 1)
        if stride != NULL and stride[d] < 0:
            return t7_fail("invalid stride %lld for dimension %d: strides must be non-negative",
                           <ll>stride[d], d + 1)
        if size[d] > 0 and total > INT64_MAX // size[d]:
            return t7_fail("tensor size overflows: too many elements")
        total *= size[d]
    return 0


cdef public T7Tensor *t7_tensor_new(int dtype) noexcept nogil:
    if not valid_dtype(dtype):
        t7_fail("unknown element type %d", dtype)
        return NULL
    cdef T7Tensor *t = <T7Tensor *>calloc(1, sizeof(T7Tensor))
    if t == NULL:
        t7_fail("not enough memory for a tensor")
        return NULL
    t._refcount = 1
    t._dtype = dtype
    heap_add(sizeof(T7Tensor))
    return t


cdef public void t7_tensor_retain(T7Tensor *t) noexcept nogil:
    if t != NULL:
        t7_atomic_add(&t._refcount, 1)


cdef public void t7_tensor_release(T7Tensor *t) noexcept nogil:
    if t == NULL or t7_atomic_add(&t._refcount, -1) != 0:
        return
    t7_storage_release(t._storage)
    heap_add(-<int64_t>sizeof(T7Tensor))
    free(t)


cdef public int64_t t7_tensor_nelement(const T7Tensor *t) noexcept nogil:
    return nelement(t)


cdef public int t7_tensor_is_contiguous(const T7Tensor *t) noexcept nogil:
    return contiguous(t)


cdef void set_geometry(T7Tensor *t, int ndim, const int64_t *size, const int64_t *stride) noexcept nogil:
    """Sizes and strides (contiguous where stride is NULL); a size of 0 ends the dimensions,
    as in Torch7, where a tensor of no element has no dimension."""
    cdef int d, kept = 0
    for d in range(ndim):
        if size[d] <= 0:
            break
        kept += 1
    t._ndim = kept
    cdef int64_t running = 1
    for d in range(kept - 1, -1, -1):
        t._size[d] = size[d]
        t._stride[d] = stride[d] if stride != NULL else running
        running *= size[d]


cdef public int t7_tensor_resize(T7Tensor *t, int ndim, const int64_t *size,
                                 const int64_t *stride) noexcept nogil:
    if check_geometry(ndim, size, stride) != 0:
        return -1
    cdef int d
    cdef bint same = (ndim == t._ndim)
    if same:
        for d in range(ndim):
            if size[d] != t._size[d] or (stride != NULL and stride[d] != t._stride[d]):
                same = False
                break
    if same:     # Torch7 keeps the strides of a tensor resized to its own size
        return 0
    # the new geometry is checked, and its memory found, before t changes: a failed resize
    # must not leave a tensor larger than its storage
    cdef T7Tensor probe
    set_geometry(&probe, ndim, size, stride)
    cdef int64_t extent = storage_extent(probe._ndim, probe._size, probe._stride)
    if extent > INT64_MAX - t._offset:
        return t7_fail("tensor size overflows: its elements reach beyond 2^63")
    cdef int64_t needed = t._offset + extent
    if probe._ndim > 0 and extent > 0:
        if t._storage == NULL:
            t._storage = t7_storage_new(t._dtype, needed)
            if t._storage == NULL:
                return -1
        elif needed > t._storage._size and t7_storage_resize(t._storage, needed) != 0:
            return -1
    t._ndim = probe._ndim
    memcpy(t._size, probe._size, probe._ndim * sizeof(int64_t))
    memcpy(t._stride, probe._stride, probe._ndim * sizeof(int64_t))
    return 0


cdef public int t7_tensor_resize_as(T7Tensor *t, const T7Tensor *src) noexcept nogil:
    return t7_tensor_resize(t, src._ndim, src._size, NULL)


cdef public int t7_tensor_set_storage(T7Tensor *t, T7Storage *storage, int64_t offset, int ndim,
                                      const int64_t *size, const int64_t *stride) noexcept nogil:
    if check_geometry(ndim, size, stride) != 0:
        return -1
    if offset < 0:
        return t7_fail("storage offset must be positive, got %lld", <ll>(offset + 1))
    if storage != NULL and storage._dtype != t._dtype:
        return t7_fail("a %sTensor cannot view a %sStorage", TYPE_NAMES[t._dtype],
                       TYPE_NAMES[storage._dtype])
    cdef T7Tensor probe
    probe._ndim = 0
    set_geometry(&probe, ndim, size, stride)
    cdef int64_t extent = storage_extent(probe._ndim, probe._size, probe._stride)
    if probe._ndim > 0 and extent > 0:
        if storage == NULL:
            return t7_fail("cannot view %lld elements of no storage", <ll>extent)
        if extent > storage._size - offset:
            return t7_fail("the view does not fit its storage: it reaches element %lld "
                           "(offset %lld) of a storage of size %lld",
                           <ll>(offset + extent), <ll>(offset + 1), <ll>storage._size)
    t7_storage_retain(storage)
    t7_storage_release(t._storage)
    t._storage = storage
    t._offset = offset
    t._ndim = probe._ndim
    memcpy(t._size, probe._size, probe._ndim * sizeof(int64_t))
    memcpy(t._stride, probe._stride, probe._ndim * sizeof(int64_t))
    return 0


cdef public T7Tensor *t7_tensor_new_view(T7Storage *storage, int64_t offset, int ndim,
                                         const int64_t *size, const int64_t *stride) noexcept nogil:
    if storage == NULL:
        t7_fail("a view needs a storage")
        return NULL
    cdef T7Tensor *t = t7_tensor_new(storage._dtype)
    if t == NULL:
        return NULL
    if t7_tensor_set_storage(t, storage, offset, ndim, size, stride) != 0:
        t7_tensor_release(t)
        return NULL
    return t


cdef public int t7_tensor_set(T7Tensor *t, const T7Tensor *src) noexcept nogil:
    if t == src:
        return 0
    if t._dtype != src._dtype:
        return t7_fail("cannot set a %sTensor to a %sTensor", TYPE_NAMES[t._dtype],
                       TYPE_NAMES[src._dtype])
    t7_storage_retain(src._storage)
    t7_storage_release(t._storage)
    t._storage = src._storage
    t._offset = src._offset
    t._ndim = src._ndim
    memcpy(t._size, src._size, src._ndim * sizeof(int64_t))
    memcpy(t._stride, src._stride, src._ndim * sizeof(int64_t))
    return 0


cdef inline int check_dim(const T7Tensor *t, int dim) noexcept nogil:
    if dim < 0 or dim >= t._ndim:
        return t7_fail("dimension %d out of range of %dD tensor", dim + 1, t._ndim)
    return 0


cdef public int t7_tensor_narrow(T7Tensor *r, const T7Tensor *src, int dim, int64_t first,
                                 int64_t size) noexcept nogil:
    if check_dim(src, dim) != 0:
        return -1
    if first < 0 or first >= src._size[dim]:
        return t7_fail("out of range: first index %lld of dimension %d (size %lld)",
                       <ll>(first + 1), dim + 1, <ll>src._size[dim])
    if size <= 0 or first + size > src._size[dim]:
        return t7_fail("out of range: %lld elements from index %lld of dimension %d (size %lld)",
                       <ll>size, <ll>(first + 1), dim + 1, <ll>src._size[dim])
    if t7_tensor_set(r, src) != 0:
        return -1
    r._offset += first * r._stride[dim]
    r._size[dim] = size
    return 0


cdef public int t7_tensor_select(T7Tensor *r, const T7Tensor *src, int dim,
                                 int64_t index) noexcept nogil:
    if src._ndim == 1:
        return t7_fail("cannot select on a vector")
    if check_dim(src, dim) != 0:
        return -1
    if index < 0 or index >= src._size[dim]:
        return t7_fail("out of range: index %lld of dimension %d (size %lld)",
                       <ll>(index + 1), dim + 1, <ll>src._size[dim])
    if t7_tensor_set(r, src) != 0:
        return -1
    r._offset += index * r._stride[dim]
    cdef int d
    for d in range(dim, r._ndim - 1):
        r._size[d] = r._size[d + 1]
        r._stride[d] = r._stride[d + 1]
    r._ndim -= 1
    return 0


cdef public int t7_tensor_transpose(T7Tensor *r, const T7Tensor *src, int dim1,
                                    int dim2) noexcept nogil:
    if check_dim(src, dim1) != 0 or check_dim(src, dim2) != 0:
        return -1
    if t7_tensor_set(r, src) != 0:
        return -1
    r._size[dim1], r._size[dim2] = r._size[dim2], r._size[dim1]
    r._stride[dim1], r._stride[dim2] = r._stride[dim2], r._stride[dim1]
    return 0


cdef public int t7_tensor_unfold(T7Tensor *r, const T7Tensor *src, int dim, int64_t size,
                                 int64_t step) noexcept nogil:
    if src._ndim == 0:
        return t7_fail("cannot unfold an empty tensor")
    if check_dim(src, dim) != 0:
        return -1
    if size > src._size[dim] or size <= 0:
        return t7_fail("size %lld out of range: dimension %d has size %lld", <ll>size, dim + 1,
                       <ll>src._size[dim])
    if step <= 0:
        return t7_fail("step must be positive, got %lld", <ll>step)
    if src._ndim + 1 > T7_MAX_DIMS:
        return t7_fail("a tensor has at most %d dimensions", <int>T7_MAX_DIMS)
    if t7_tensor_set(r, src) != 0:
        return -1
    r._size[r._ndim] = size
    r._stride[r._ndim] = r._stride[dim]
    r._size[dim] = (r._size[dim] - size) // step + 1
    r._stride[dim] = r._stride[dim] * step
    r._ndim += 1
    return 0


cdef public int t7_tensor_view(T7Tensor *r, const T7Tensor *src, int ndim,
                               const int64_t *size) noexcept nogil:
    if check_geometry(ndim, size, NULL) != 0:
        return -1
    cdef int64_t count = 1
    cdef int d
    for d in range(ndim):
        count *= size[d]
    if count != nelement(src):
        return t7_fail("size mismatch: a view of %lld elements on a tensor of %lld",
                       <ll>count, <ll>nelement(src))
    if not contiguous(src):
        return t7_fail("expecting a contiguous tensor (use :contiguous() first)")
    cdef T7Storage *storage = src._storage
    cdef int64_t offset = src._offset
    t7_storage_retain(storage)   # r may be src
    cdef int status = t7_tensor_set_storage(r, storage, offset, ndim, size, NULL)
    t7_storage_release(storage)
    return status


cdef public int t7_tensor_expand(T7Tensor *r, const T7Tensor *src, int ndim,
                                 const int64_t *size) noexcept nogil:
    if check_geometry(ndim, size, NULL) != 0:
        return -1
    if ndim != src._ndim:
        return t7_fail("the number of dimensions provided must equal tensor:dim(): "
                       "%d given for a %dD tensor", ndim, src._ndim)
    cdef int64_t stride[32]
    cdef int d
    for d in range(ndim):
        if src._size[d] == 1:
            stride[d] = 0
        elif src._size[d] == size[d]:
            stride[d] = src._stride[d]
        else:
            return t7_fail("incorrect size: only supporting singleton expansion (size=1): "
                           "dimension %d has size %lld, asked %lld", d + 1,
                           <ll>src._size[d], <ll>size[d])
    if t7_tensor_set(r, src) != 0:
        return -1
    for d in range(ndim):
        r._size[d] = size[d]
        r._stride[d] = stride[d]
    return 0


cdef public int t7_tensor_squeeze(T7Tensor *r, const T7Tensor *src) noexcept nogil:
    if t7_tensor_set(r, src) != 0:
        return -1
    cdef int d, kept = 0
    for d in range(r._ndim):
        if r._size[d] != 1:
            r._size[kept] = r._size[d]
            r._stride[kept] = r._stride[d]
            kept += 1
    if kept == 0 and r._ndim > 0:    # all ones: one element stays a 1-D tensor
        r._size[0] = 1
        r._stride[0] = 1
        kept = 1
    r._ndim = kept
    return 0


cdef public int t7_tensor_squeeze_dim(T7Tensor *r, const T7Tensor *src, int dim) noexcept nogil:
    if check_dim(src, dim) != 0:
        return -1
    if t7_tensor_set(r, src) != 0:
        return -1
    cdef int d
    if r._size[dim] == 1 and r._ndim > 1:
        for d in range(dim, r._ndim - 1):
            r._size[d] = r._size[d + 1]
            r._stride[d] = r._stride[d + 1]
        r._ndim -= 1
    return 0


cdef public int t7_tensor_unsqueeze(T7Tensor *r, const T7Tensor *src, int dim) noexcept nogil:
    if dim < 0 or dim > src._ndim:
        return t7_fail("dimension %d out of range of %dD tensor", dim + 1, src._ndim + 1)
    if src._ndim + 1 > T7_MAX_DIMS:
        return t7_fail("a tensor has at most %d dimensions", <int>T7_MAX_DIMS)
    if src._ndim == 0:
        return t7_fail("cannot unsqueeze an empty tensor")
    if t7_tensor_set(r, src) != 0:
        return -1
    cdef int d
    for d in range(r._ndim, dim, -1):
        r._size[d] = r._size[d - 1]
        r._stride[d] = r._stride[d - 1]
    r._size[dim] = 1
    r._stride[dim] = r._size[dim + 1] * r._stride[dim + 1] if dim < r._ndim else 1
    r._ndim += 1
    return 0
