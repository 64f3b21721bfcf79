# Indexing kernels: whole slices chosen by a vector of indices (index, indexCopy, indexAdd,
# indexFill), one index per element along a dimension (gather, scatter), elements chosen by
# a ByteTensor mask of 0s and 1s (maskedSelect, maskedCopy, maskedFill), and nonzero.
# Index tensors are LongTensors counting from index_base (1 from Lua, 0 from Python).
# Every index and mask is checked before anything is written, so a refused call leaves its
# tensors as they were.


cdef inline void slice_view(T7Tensor *view, const T7Tensor *t, int dim, int64_t i) noexcept nogil:
    """A borrowed view (no reference taken) of slice i of t along dim, kept as a dimension
    of size 1 so that vectors give one-element slices."""
    memcpy(view, t, sizeof(T7Tensor))
    view._offset += i * t._stride[dim]
    view._size[dim] = 1


cdef inline int64_t long_at(const T7Tensor *index, int64_t i) noexcept nogil:
    """Element i of a LongTensor vector."""
    return (<int64_t *>tensor_data(index))[i * index._stride[0]]


cdef int check_long(const T7Tensor *index) noexcept nogil:
    if index._dtype != T7_LONG:
        return t7_fail("torch.LongTensor expected as index, got a %sTensor",
                       TYPE_NAMES[index._dtype])
    return 0


cdef int check_index_vector(const T7Tensor *index, int64_t size, int dim,
                            int64_t base) noexcept nogil:
    """index is a vector of positions in [base, base + size) along dim."""
    if check_long(index) != 0:
        return -1
    if index._ndim != 1:
        return t7_fail("Index is supposed to be a vector")
    cdef int64_t i, k
    for i in range(index._size[0]):
        k = long_at(index, i)
        if k < base or k >= base + size:
            return t7_fail("index out of range: index %lld for dimension %d of size %lld",
                           <ll>k, dim + 1, <ll>size)
    return 0


cdef int check_index_dim(const T7Tensor *t, int dim) noexcept nogil:
    if dim < 0 or dim >= t._ndim:
        return t7_fail("Indexing dim %d is out of bounds of tensor", dim + 1)
    return 0


# ---- the fast path of the four: both operands contiguous, seen as (outer, dim, inner)
# blocks, one typed loop over the blocks index names (the general path copies slices).

cdef enum RowsOp:
    ROWS_SELECT, ROWS_COPY, ROWS_ADD, ROWS_FILL


cdef struct Rows:
    int op
    char *indexed            # the tensor addressed through index along dim
    char *dense              # the other operand, index's length along dim (or NULL: fill)
    const T7Tensor *index
    int64_t base, outer, count, extent, inner
    double value


cdef bint as_rows(Rows *rows, int op, const T7Tensor *indexed, const T7Tensor *dense, int dim,
                  const T7Tensor *index, int64_t base, double value) noexcept nogil:
    """Fills rows when the fast path applies: contiguous operands of matching sizes."""
    if not contiguous(indexed) or nelement(indexed) == 0:
        return False
    cdef int d
    if dense != NULL:
        if not contiguous(dense) or dense._ndim != indexed._ndim:
            return False
        for d in range(indexed._ndim):
            if d != dim and dense._size[d] != indexed._size[d]:
                return False
    rows.op = op
    rows.indexed = tensor_data(indexed)
    rows.dense = tensor_data(dense) if dense != NULL else NULL
    rows.index = index
    rows.base = base
    rows.outer = 1
    rows.inner = 1
    for d in range(dim):
        rows.outer *= indexed._size[d]
    for d in range(dim + 1, indexed._ndim):
        rows.inner *= indexed._size[d]
    rows.count = index._size[0]
    rows.extent = indexed._size[dim]
    rows.value = value
    return True


cdef inline bint outer_is_one_element(const Rows *c) noexcept nogil:
    return c.outer == 1 and c.inner == 1


cdef void vector_rows(real *indexed, real *dense, real fill, int op, const int64_t *index,
                      int64_t index_stride, int64_t base, int64_t start,
                      int64_t end) noexcept nogil:
    """Vectors: element k of dense and element index[k] of indexed. The indices go through
    a local block first, which no store can alias, so the random reads overlap."""
    cdef int64_t block[256]
    cdef int64_t first, j, n
    first = start
    while first < end:
        n = min2(256, end - first)
        for j in range(n):
            block[j] = index[(first + j) * index_stride] - base
        if op == ROWS_SELECT:
            for j in range(n):
                dense[first + j] = indexed[block[j]]
        elif op == ROWS_COPY:
            for j in range(n):
                indexed[block[j]] = dense[first + j]
        elif op == ROWS_ADD:
            for j in range(n):
                indexed[block[j]] += dense[first + j]
        else:
            for j in range(n):
                indexed[block[j]] = fill
        first += n


cdef void rows_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Blocks start..end of the (outer, count) pairs. The fields are read into locals once:
    the writes below could alias them as far as the compiler knows."""
    cdef Rows *c = <Rows *>vctx
    cdef int op = c.op
    cdef int64_t count = c.count, extent = c.extent, inner = c.inner, base = c.base
    cdef int64_t index_stride = c.index._stride[0]
    cdef const int64_t *index = <const int64_t *>tensor_data(c.index)
    cdef real *indexed = <real *>c.indexed
    cdef real *dense = <real *>c.dense
    cdef real fill = <real>c.value
    cdef int64_t k, e
    if outer_is_one_element(c):
        vector_rows(indexed, dense, fill, op, index, index_stride, base, start, end)
        return
    cdef int64_t o = start // count, i = start - o * count
    cdef real *a
    cdef real *b = NULL
    for k in range(start, end):
        a = indexed + (o * extent + index[i * index_stride] - base) * inner
        if dense != NULL:
            b = dense + k * inner
        if inner == 1:
            if op == ROWS_SELECT:
                b[0] = a[0]
            elif op == ROWS_COPY:
                a[0] = b[0]
            elif op == ROWS_ADD:
                a[0] += b[0]
            else:
                a[0] = fill
        elif op == ROWS_SELECT:
            for e in range(inner):
                b[e] = a[e]
        elif op == ROWS_COPY:
            for e in range(inner):
                a[e] = b[e]
        elif op == ROWS_ADD:
            for e in range(inner):
                a[e] += b[e]
        else:
            for e in range(inner):
                a[e] = fill
        i += 1
        if i == count:
            i = 0
            o += 1


cdef range_fn ROWS[7]
ROWS[:] = [<range_fn>rows_range[uint8_t], <range_fn>rows_range[int8_t],
           <range_fn>rows_range[int16_t], <range_fn>rows_range[int32_t],
           <range_fn>rows_range[int64_t], <range_fn>rows_range[float],
           <range_fn>rows_range[double]]


cdef void run_rows(Rows *rows, int dtype) noexcept nogil:
    """Selection runs in parallel; the writes through index run in order, so that a
    repeated index ends with the last write (copy) or gets every addition (add)."""
    cdef int64_t n = rows.outer * rows.count
    if dtype == T7_HALF:           # select, copy and fill move 16-bit patterns
        if rows.op == ROWS_FILL:
            rows.value = <double>(<int16_t>float_to_half(<float>rows.value))
        dtype = T7_SHORT
    if rows.op == ROWS_SELECT:
        run_blocks(ROWS[dtype], rows, n, rows.inner)
    else:
        ROWS[dtype](NULL, rows, 0, n)



cdef public int t7_index_select(T7Tensor *r, const T7Tensor *src, int dim, const T7Tensor *index,
                                int64_t index_base) noexcept nogil:
    if same_type(r, src) != 0 or check_long(index) != 0:
        return -1
    if index._ndim != 1:
        return t7_fail("Index is supposed to be a vector")
    if src._ndim == 0:
        return t7_fail("Source tensor is empty")
    if check_index_dim(src, dim) != 0:
        return -1
    if r == src:
        return t7_fail("the result of index must not be its source")
    if check_index_vector(index, src._size[dim], dim, index_base) != 0:
        return -1
    cdef int64_t size[32]
    memcpy(size, src._size, src._ndim * sizeof(int64_t))
    size[dim] = index._size[0]
    if t7_tensor_resize(r, src._ndim, size, NULL) != 0:
        return -1
    cdef Rows rows
    if index._size[0] > 0 and as_rows(&rows, ROWS_SELECT, src, r, dim, index, index_base, 0):
        run_rows(&rows, r._dtype)
        return 0
    cdef T7Tensor rs, ss
    cdef int64_t i
    for i in range(index._size[0]):
        slice_view(&rs, r, dim, i)
        slice_view(&ss, src, dim, long_at(index, i) - index_base)
        if t7_tensor_copy(&rs, &ss) != 0:
            return -1
    return 0


cdef int check_index_source(const T7Tensor *t, int dim, const T7Tensor *index,
                            const T7Tensor *src, int64_t base) noexcept nogil:
    """What indexCopy and indexAdd need: slices of src go to the slices index names."""
    if same_type(t, src) != 0 or check_long(index) != 0:
        return -1
    if index._ndim != 1:
        return t7_fail("Index is supposed to be a vector")
    if check_index_dim(src, dim) != 0 or check_index_dim(t, dim) != 0:
        return -1
    if index._size[0] != src._size[dim]:
        return t7_fail("Number of indices should be equal to source:size(dim)")
    return check_index_vector(index, t._size[dim], dim, base)


cdef int slices_of(T7Tensor *ts, T7Tensor *ss, const T7Tensor *t, const T7Tensor *src,
                   int dim, int64_t i) noexcept nogil:
    """Slice i of src and the slice of t it goes to, checked to hold as many elements."""
    slice_view(ss, src, dim, i)
    if same_count(ts, ss, "destination slice and source slice") != 0:
        return -1
    return 0


cdef public int t7_index_copy(T7Tensor *t, int dim, const T7Tensor *index, const T7Tensor *src,
                              int64_t index_base) noexcept nogil:
    if check_index_source(t, dim, index, src, index_base) != 0:
        return -1
    cdef Rows rows
    if as_rows(&rows, ROWS_COPY, t, src, dim, index, index_base, 0):
        run_rows(&rows, t._dtype)
        return 0
    cdef T7Tensor ts, ss
    cdef int64_t i
    for i in range(index._size[0]):
        slice_view(&ts, t, dim, long_at(index, i) - index_base)
        if slices_of(&ts, &ss, t, src, dim, i) != 0 or t7_tensor_copy(&ts, &ss) != 0:
            return -1
    return 0


cdef public int t7_index_add(T7Tensor *t, int dim, const T7Tensor *index, const T7Tensor *src,
                             int64_t index_base) noexcept nogil:
    if supported(t) != 0 or check_index_source(t, dim, index, src, index_base) != 0:
        return -1
    cdef Rows rows
    if as_rows(&rows, ROWS_ADD, t, src, dim, index, index_base, 0):
        run_rows(&rows, t._dtype)
        return 0
    cdef T7Tensor ts, ss
    cdef int64_t i
    for i in range(index._size[0]):
        slice_view(&ts, t, dim, long_at(index, i) - index_base)
        if slices_of(&ts, &ss, t, src, dim, i) != 0 or t7_cadd(&ts, &ts, 1, &ss) != 0:
            return -1
    return 0


cdef public int t7_index_fill(T7Tensor *t, int dim, const T7Tensor *index, double value,
                              int64_t index_base) noexcept nogil:
    if check_long(index) != 0:
        return -1
    if index._ndim != 1:
        return t7_fail("Index is supposed to be a vector")
    if check_index_dim(t, dim) != 0:
        return -1
    if check_index_vector(index, t._size[dim], dim, index_base) != 0:
        return -1
    cdef Rows rows
    if as_rows(&rows, ROWS_FILL, t, NULL, dim, index, index_base, value):
        run_rows(&rows, t._dtype)
        return 0
    cdef T7Tensor ts
    cdef int64_t i
    for i in range(index._size[0]):
        slice_view(&ts, t, dim, long_at(index, i) - index_base)
        if t7_tensor_fill(&ts, value) != 0:
            return -1
    return 0


# ---- gather and scatter: the original's TH_TENSOR_DIM_APPLY, one run along dim for every
# position of the other dimensions.

cdef enum DimOp:
    GATHER, SCATTER, SCATTER_FILL


cdef int same_size_but(const T7Tensor *a, const T7Tensor *b, const T7Tensor *c, int dim,
                       const char *na, const char *nb, const char *nc) noexcept nogil:
    cdef int d
    for d in range(a._ndim):
        if d != dim and (a._size[d] != b._size[d] or a._size[d] != c._size[d]):
            return t7_fail("Expected %s, %s and %s to have the same size in dimension %d "
                           "(all dimensions but the indexed one %d)", na, nb, nc, d + 1,
                           dim + 1)
    return 0


cdef int check_index_range(const T7Tensor *index, int64_t size, int64_t base,
                           const char *what) noexcept nogil:
    """Every element of the LongTensor index lies in [base, base + size)."""
    if nelement(index) == 0:
        return 0
    cdef Walker w
    walker_init(&w, index, 0)
    cdef int64_t i, n, s, left = nelement(index)
    cdef int64_t *p
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <int64_t *>w.ptr
        s = walker_step(&w, sizeof(int64_t))
        for i in range(n):
            if p[i * s] < base or p[i * s] >= base + size:
                return t7_fail("Invalid index in %s: %lld is not in [%lld, %lld]", what,
                               <ll>p[i * s], <ll>base, <ll>(base + size - 1))
        walker_advance(&w, n)
        left -= n
    return 0


cdef void dim_apply(real *tag, int op, T7Tensor *t, const T7Tensor *src,
                    const T7Tensor *index, int dim, double value, int64_t base) noexcept nogil:
    """Runs along dim at every position of the other dimensions of index: gather reads
    src[.., index, ..] into t, scatter writes src (or value) to t[.., index, ..]."""
    cdef int ndim = index._ndim
    cdef int64_t counter[32]
    cdef int d
    for d in range(ndim):
        counter[d] = 0
    cdef real *tp = <real *>tensor_data(t)
    cdef real *sp = <real *>tensor_data(src) if src != NULL else NULL
    cdef int64_t *ip = <int64_t *>tensor_data(index)
    cdef int64_t ts = t._stride[dim], is_ = index._stride[dim]
    cdef int64_t ss = src._stride[dim] if src != NULL else 0
    cdef int64_t runs = index._size[dim]
    cdef real fill = <real>value
    cdef int64_t i, k
    while True:
        for i in range(runs):
            k = ip[i * is_] - base
            if op == GATHER:
                tp[i * ts] = sp[k * ss]
            elif op == SCATTER:
                tp[k * ts] = sp[i * ss]
            else:
                tp[k * ts] = fill
        # next position of the dimensions other than dim, the last one fastest
        d = ndim - 1
        while d >= 0:
            if d == dim:
                d -= 1
                continue
            counter[d] += 1
            tp += t._stride[d]
            ip += index._stride[d]
            if sp != NULL:
                sp += src._stride[d]
            if counter[d] < index._size[d]:
                break
            tp -= counter[d] * t._stride[d]
            ip -= counter[d] * index._stride[d]
            if sp != NULL:
                sp -= counter[d] * src._stride[d]
            counter[d] = 0
            d -= 1
        if d < 0:
            return


cdef void dim_apply_typed(int op, T7Tensor *t, const T7Tensor *src, const T7Tensor *index,
                          int dim, double value, int64_t base) noexcept nogil:
    cdef int dt = t._dtype
    if dt == T7_BYTE:
        dim_apply(<uint8_t *>NULL, op, t, src, index, dim, value, base)
    elif dt == T7_CHAR:
        dim_apply(<int8_t *>NULL, op, t, src, index, dim, value, base)
    elif dt == T7_SHORT:
        dim_apply(<int16_t *>NULL, op, t, src, index, dim, value, base)
    elif dt == T7_INT:
        dim_apply(<int32_t *>NULL, op, t, src, index, dim, value, base)
    elif dt == T7_LONG:
        dim_apply(<int64_t *>NULL, op, t, src, index, dim, value, base)
    elif dt == T7_FLOAT:
        dim_apply(<float *>NULL, op, t, src, index, dim, value, base)
    else:
        dim_apply(<double *>NULL, op, t, src, index, dim, value, base)


cdef public int t7_gather(T7Tensor *r, const T7Tensor *src, int dim, const T7Tensor *index,
                          int64_t index_base) noexcept nogil:
    if supported(src) != 0 or same_type(r, src) != 0 or check_long(index) != 0:
        return -1
    if dim < 0 or dim >= src._ndim:
        return t7_fail("Index dimension is out of bounds")
    if index._ndim != src._ndim:
        return t7_fail("Index tensor must have same dimensions as input tensor")
    if r == src:
        return t7_fail("the result of gather must not be its source")
    if same_size_but(index, index, src, dim, "index", "index", "input") != 0:
        return -1
    if check_index_range(index, src._size[dim], index_base, "gather") != 0:
        return -1
    if t7_tensor_resize(r, index._ndim, index._size, NULL) != 0:
        return -1
    if nelement(index) > 0:
        dim_apply_typed(GATHER, r, src, index, dim, 0, index_base)
    return 0


cdef public int t7_scatter(T7Tensor *t, int dim, const T7Tensor *index, const T7Tensor *src,
                           int64_t index_base) noexcept nogil:
    if supported(t) != 0 or same_type(t, src) != 0 or check_long(index) != 0:
        return -1
    if dim < 0 or dim >= t._ndim:
        return t7_fail("Index dimension is out of bounds")
    if index._ndim != t._ndim:
        return t7_fail("Index tensor must have same dimensions as output tensor")
    if src._ndim != t._ndim:
        return t7_fail("Input tensor must have same dimensions as output tensor")
    if same_size_but(t, src, index, dim, "tensor", "source", "index") != 0:
        return -1
    if src._size[dim] < index._size[dim]:
        return t7_fail("source has %lld elements along dimension %d, index %lld",
                       <ll>src._size[dim], dim + 1, <ll>index._size[dim])
    if check_index_range(index, t._size[dim], index_base, "scatter") != 0:
        return -1
    if nelement(index) > 0:
        dim_apply_typed(SCATTER, t, src, index, dim, 0, index_base)
    return 0


cdef public int t7_scatter_fill(T7Tensor *t, int dim, const T7Tensor *index, double value,
                                int64_t index_base) noexcept nogil:
    if supported(t) != 0 or check_long(index) != 0:
        return -1
    if dim < 0 or dim >= t._ndim:
        return t7_fail("Index dimension is out of bounds")
    if index._ndim != t._ndim:
        return t7_fail("Index tensor must have same dimensions as output tensor")
    if same_size_but(t, index, index, dim, "tensor", "index", "index") != 0:
        return -1
    if check_index_range(index, t._size[dim], index_base, "scatter") != 0:
        return -1
    if nelement(index) > 0:
        dim_apply_typed(SCATTER_FILL, t, NULL, index, dim, value, index_base)
    return 0


# ---- masks

cdef int check_mask(const T7Tensor *mask, int64_t *ones) noexcept nogil:
    """A ByteTensor of 0s and 1s; *ones receives how many 1s it holds."""
    if mask._dtype != T7_BYTE:
        return t7_fail("torch.ByteTensor expected as mask, got a %sTensor",
                       TYPE_NAMES[mask._dtype])
    ones[0] = 0
    if nelement(mask) == 0:
        return 0
    cdef Walker w
    walker_init(&w, mask, 0)
    cdef int64_t i, n, s, left = nelement(mask)
    cdef uint8_t *p
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <uint8_t *>w.ptr
        s = walker_step(&w, 1)
        for i in range(n):
            if p[i * s] > 1:
                return t7_fail("Mask tensor can take 0 and 1 values only")
            ones[0] += p[i * s]
        walker_advance(&w, n)
        left -= n
    return 0


cdef enum MaskOp:
    MASK_FILL, MASK_COPY, MASK_SELECT


cdef void mask_walk(real *tag, int op, T7Tensor *t, const T7Tensor *mask, T7Tensor *other,
                    double value) noexcept nogil:
    """Walks t and mask together: fill sets t where mask is 1, copy takes the next element
    of other there, select appends t's element there to other (a vector)."""
    cdef Walker wt, wm, wo
    walker_init(&wt, t, 0)
    walker_init(&wm, mask, 0)
    if other != NULL and nelement(other) > 0:
        walker_init(&wo, other, 0)
    cdef int64_t i, n, st, sm
    cdef int64_t left = nelement(t)
    cdef real fill = <real>value
    cdef real *pt
    cdef uint8_t *pm
    while left > 0:
        n = min2(left, min2(walker_run(&wt), walker_run(&wm)))
        pt = <real *>wt.ptr
        pm = <uint8_t *>wm.ptr
        st = walker_step(&wt, sizeof(real))
        sm = walker_step(&wm, 1)
        for i in range(n):
            if pm[i * sm]:
                if op == MASK_FILL:
                    pt[i * st] = fill
                else:
                    if op == MASK_COPY:
                        pt[i * st] = (<real *>wo.ptr)[0]
                    else:
                        (<real *>wo.ptr)[0] = pt[i * st]
                    walker_advance(&wo, 1)
        walker_advance(&wt, n)
        walker_advance(&wm, n)
        left -= n


cdef void mask_walk_typed(int op, T7Tensor *t, const T7Tensor *mask, T7Tensor *other,
                          double value) noexcept nogil:
    cdef int dt = t._dtype
    if dt == T7_BYTE:
        mask_walk(<uint8_t *>NULL, op, t, mask, other, value)
    elif dt == T7_CHAR:
        mask_walk(<int8_t *>NULL, op, t, mask, other, value)
    elif dt == T7_SHORT:
        mask_walk(<int16_t *>NULL, op, t, mask, other, value)
    elif dt == T7_INT:
        mask_walk(<int32_t *>NULL, op, t, mask, other, value)
    elif dt == T7_LONG:
        mask_walk(<int64_t *>NULL, op, t, mask, other, value)
    elif dt == T7_FLOAT:
        mask_walk(<float *>NULL, op, t, mask, other, value)
    else:
        mask_walk(<double *>NULL, op, t, mask, other, value)


cdef public int t7_masked_fill(T7Tensor *t, const T7Tensor *mask, double value) noexcept nogil:
    cdef int64_t ones
    if supported(t) != 0 or check_mask(mask, &ones) != 0:
        return -1
    if same_count(t, mask, "tensor and mask") != 0:
        return -1
    if ones > 0:
        mask_walk_typed(MASK_FILL, t, mask, NULL, value)
    return 0


cdef public int t7_masked_copy(T7Tensor *t, const T7Tensor *mask,
                               const T7Tensor *src) noexcept nogil:
    cdef int64_t ones
    if supported(t) != 0 or same_type(t, src) != 0 or check_mask(mask, &ones) != 0:
        return -1
    if nelement(t) != nelement(mask):
        return t7_fail("Number of elements of destination tensor != Number of elements in mask "
                       "(%lld and %lld)", <ll>nelement(t), <ll>nelement(mask))
    if nelement(src) < ones:
        return t7_fail("Number of elements of src < number of ones in mask (%lld < %lld)",
                       <ll>nelement(src), <ll>ones)
    if ones > 0:
        mask_walk_typed(MASK_COPY, t, mask, <T7Tensor *>src, 0)
    return 0


cdef public int t7_masked_select(T7Tensor *r, const T7Tensor *src,
                                 const T7Tensor *mask) noexcept nogil:
    cdef int64_t ones
    if supported(src) != 0 or same_type(r, src) != 0 or check_mask(mask, &ones) != 0:
        return -1
    if same_count(src, mask, "source and mask") != 0:
        return -1
    if r == src:
        return t7_fail("the result of maskedSelect must not be its source")
    if t7_tensor_resize(r, 1, &ones, NULL) != 0:
        return -1
    if ones > 0:
        mask_walk_typed(MASK_SELECT, <T7Tensor *>src, mask, r, 0)
    return 0


# ---- nonzero

cdef int64_t count_nonzero(real *tag, const T7Tensor *t) noexcept nogil:
    cdef Walker w
    walker_init(&w, t, 0)
    cdef int64_t i, n, s, left = nelement(t), count = 0
    cdef real *p
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        for i in range(n):
            if p[i * s] != 0:
                count += 1
        walker_advance(&w, n)
        left -= n
    return count


cdef void write_subscripts(real *tag, const T7Tensor *t, T7Tensor *r, int64_t base) noexcept nogil:
    """Row k of r: the subscripts of the k-th nonzero element of t in row-major order."""
    cdef int ndim = t._ndim
    cdef int64_t subscript[32]
    cdef int d
    for d in range(ndim):
        subscript[d] = 0
    cdef Walker w
    walker_init(&w, t, 0)
    cdef int64_t i, n, s, left = nelement(t)
    cdef int64_t *row = <int64_t *>tensor_data(r)
    cdef int64_t rs0 = r._stride[0] if r._ndim > 0 else 0
    cdef int64_t rs1 = r._stride[1] if r._ndim > 1 else 0
    cdef real *p
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        for i in range(n):
            if p[i * s] != 0:
                for d in range(ndim):
                    row[d * rs1] = subscript[d] + base
                row += rs0
            d = ndim - 1
            subscript[d] += 1
            while d > 0 and subscript[d] == t._size[d]:
                subscript[d] = 0
                d -= 1
                subscript[d] += 1
        walker_advance(&w, n)
        left -= n


cdef public int t7_nonzero(T7Tensor *r, const T7Tensor *t, int64_t index_base) noexcept nogil:
    if supported(t) != 0:
        return -1
    if r._dtype != T7_LONG:
        return t7_fail("torch.LongTensor expected as result of nonzero, got a %sTensor",
                       TYPE_NAMES[r._dtype])
    cdef int64_t size[2]
    cdef int dt = t._dtype
    size[0] = 0
    size[1] = t._ndim
    if nelement(t) > 0:
        if dt == T7_BYTE:
            size[0] = count_nonzero(<uint8_t *>NULL, t)
        elif dt == T7_CHAR:
            size[0] = count_nonzero(<int8_t *>NULL, t)
        elif dt == T7_SHORT:
            size[0] = count_nonzero(<int16_t *>NULL, t)
        elif dt == T7_INT:
            size[0] = count_nonzero(<int32_t *>NULL, t)
        elif dt == T7_LONG:
            size[0] = count_nonzero(<int64_t *>NULL, t)
        elif dt == T7_FLOAT:
            size[0] = count_nonzero(<float *>NULL, t)
        else:
            size[0] = count_nonzero(<double *>NULL, t)
    if t7_tensor_resize(r, 2, size, NULL) != 0:
        return -1
    if size[0] == 0:
        return 0
    if dt == T7_BYTE:
        write_subscripts(<uint8_t *>NULL, t, r, index_base)
    elif dt == T7_CHAR:
        write_subscripts(<int8_t *>NULL, t, r, index_base)
    elif dt == T7_SHORT:
        write_subscripts(<int16_t *>NULL, t, r, index_base)
    elif dt == T7_INT:
        write_subscripts(<int32_t *>NULL, t, r, index_base)
    elif dt == T7_LONG:
        write_subscripts(<int64_t *>NULL, t, r, index_base)
    elif dt == T7_FLOAT:
        write_subscripts(<float *>NULL, t, r, index_base)
    else:
        write_subscripts(<double *>NULL, t, r, index_base)
    return 0
