# Reductions: over all elements, and along one dimension (kept with size 1, as Torch7).
# Sums accumulate in double (Torch7's accreal for float types; exact for integers up to
# 2^53). max/min keep the first extreme and let NaN win, as Torch7's `!(x <= best)` test.

cdef enum ReduceOp:
    RED_SUM, RED_MAX, RED_MIN


ctypedef double (*all_fn)(void *tag, const T7Tensor *t, int op, int64_t start,
                          int64_t end) noexcept nogil


cdef inline bint better(double x, double best, int op) noexcept nogil:
    if op == RED_MAX:
        return not (x <= best)
    return not (x >= best)


cdef inline double sum_loop(const real *p, int64_t s, int64_t n) noexcept nogil:
    cdef int64_t i
    cdef double acc = 0
    for i in range(n):
        acc += p[i * s]
    return acc


cdef double reduce_all_range(real *tag, const T7Tensor *t, int op, int64_t start,
                             int64_t end) noexcept nogil:
    cdef Walker w
    walker_init(&w, t, start)
    cdef int64_t n, i, s, left = end - start
    cdef real *p
    cdef double acc = 0
    cdef double x
    if op != RED_SUM:
        acc = <double>(<real *>w.ptr)[0]
        if isnan(acc):
            return acc
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        if op == RED_SUM:
            acc += sum_loop(p, 1, n) if s == 1 else sum_loop(p, s, n)
        else:
            for i in range(n):
                x = p[i * s]
                if better(x, acc, op):
                    acc = x
                    if isnan(x):
                        return acc
        walker_advance(&w, n)
        left -= n
    return acc


cdef all_fn REDUCE_ALL[7]
REDUCE_ALL[:] = [<all_fn>reduce_all_range[uint8_t], <all_fn>reduce_all_range[int8_t],
                 <all_fn>reduce_all_range[int16_t], <all_fn>reduce_all_range[int32_t],
                 <all_fn>reduce_all_range[int64_t], <all_fn>reduce_all_range[float],
                 <all_fn>reduce_all_range[double]]


cdef int reduce_all(const T7Tensor *t, int op, double *out) noexcept nogil:
    if supported(t) != 0:
        return -1
    cdef int64_t n = nelement(t)
    if n == 0:
        if op != RED_SUM:
            return t7_fail("cannot take the %s of an empty tensor",
                           b"max" if op == RED_MAX else b"min")
        out[0] = 0
        return 0
    cdef all_fn fn = REDUCE_ALL[t._dtype]
    cdef int64_t threads = omp_get_max_threads()
    cdef int64_t blocks = min2(threads, n // PARALLEL_GRAIN) if threads > 1 else 1
    if blocks <= 1:
        out[0] = fn(NULL, t, op, 0, n)
        return 0
    cdef double *partial = <double *>malloc(blocks * sizeof(double))
    if partial == NULL:
        return t7_fail("not enough memory")
    cdef int64_t b
    for b in prange(blocks, schedule='static', num_threads=blocks):
        partial[b] = fn(NULL, t, op, b * n // blocks, (b + 1) * n // blocks)
    cdef double acc = partial[0]
    for b in range(1, blocks):
        if op == RED_SUM:
            acc += partial[b]
        elif better(partial[b], acc, op):
            acc = partial[b]
            if isnan(acc):
                break
    free(partial)
    out[0] = acc
    return 0


cdef public int t7_sum_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_SUM, out)

cdef public int t7_max_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_MAX, out)

cdef public int t7_min_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_MIN, out)


cdef struct DimCtx:
    T7Tensor outer_src      # src with `dim` fixed at 0: one element per output position
    T7Tensor outer_values
    T7Tensor outer_index
    int64_t length          # size of the reduced dimension
    int64_t stride          # its stride in src, in elements
    int op
    int64_t index_base
    bint with_index


cdef void drop_dim(T7Tensor *view, const T7Tensor *t, int dim) noexcept nogil:
    """A borrowed view of t with `dim` removed (index 0 along it); 0-D if t was 1-D."""
    memcpy(view, t, sizeof(T7Tensor))
    cdef int d
    for d in range(dim, t._ndim - 1):
        view._size[d] = t._size[d + 1]
        view._stride[d] = t._stride[d + 1]
    view._ndim = t._ndim - 1


cdef void reduce_dim_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef DimCtx *c = <DimCtx *>vctx
    cdef Walker ws, wv, wi
    walker_init(&ws, &c.outer_src, start)
    walker_init(&wv, &c.outer_values, start)
    if c.with_index:
        walker_init(&wi, &c.outer_index, start)
    cdef int64_t pos, k, best_k
    cdef int64_t step = c.stride
    cdef real *p
    cdef double acc, x
    for pos in range(start, end):
        p = <real *>ws.ptr
        best_k = 0
        if c.op == RED_SUM:
            acc = sum_loop(p, 1, c.length) if step == 1 else sum_loop(p, step, c.length)
        else:
            acc = p[0]
            for k in range(1, c.length if not isnan(acc) else 1):
                x = p[k * step]
                if better(x, acc, c.op):
                    acc = x
                    best_k = k
                    if isnan(x):
                        break
        (<real *>wv.ptr)[0] = <real>acc
        walker_advance(&ws, 1)
        walker_advance(&wv, 1)
        if c.with_index:
            (<int64_t *>wi.ptr)[0] = best_k + c.index_base
            walker_advance(&wi, 1)


cdef range_fn REDUCE_DIM[7]
REDUCE_DIM[:] = [<range_fn>reduce_dim_range[uint8_t], <range_fn>reduce_dim_range[int8_t],
                 <range_fn>reduce_dim_range[int16_t], <range_fn>reduce_dim_range[int32_t],
                 <range_fn>reduce_dim_range[int64_t], <range_fn>reduce_dim_range[float],
                 <range_fn>reduce_dim_range[double]]


cdef int reduce_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim, int op,
                    int64_t index_base) noexcept nogil:
    if supported(t) != 0 or same_type(values, t) != 0 or check_dim(t, dim) != 0:
        return -1
    if index != NULL and index._dtype != T7_LONG:
        return t7_fail("the index tensor must be a LongTensor, got a %sTensor",
                       TYPE_NAMES[index._dtype])
    cdef int64_t size[32]
    memcpy(size, t._size, t._ndim * sizeof(int64_t))
    size[dim] = 1
    if values == t or index == t:
        return t7_fail("the result must not be the input tensor")
    if t7_tensor_resize(values, t._ndim, size, NULL) != 0:
        return -1
    if index != NULL and t7_tensor_resize(index, t._ndim, size, NULL) != 0:
        return -1
    cdef DimCtx c
    drop_dim(&c.outer_src, t, dim)
    drop_dim(&c.outer_values, values, dim)
    c.with_index = index != NULL
    if c.with_index:
        drop_dim(&c.outer_index, index, dim)
    c.length = t._size[dim]
    c.stride = t._stride[dim]
    c.op = op
    c.index_base = index_base
    run_blocks(REDUCE_DIM[t._dtype], &c, nelement(t) // c.length, c.length)
    return 0


cdef public int t7_sum_dim(T7Tensor *r, const T7Tensor *t, int dim) noexcept nogil:
    return reduce_dim(r, NULL, t, dim, RED_SUM, 0)

cdef public int t7_max_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
                           int64_t index_base) noexcept nogil:
    return reduce_dim(values, index, t, dim, RED_MAX, index_base)

cdef public int t7_min_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
                           int64_t index_base) noexcept nogil:
    return reduce_dim(values, index, t, dim, RED_MIN, index_base)
