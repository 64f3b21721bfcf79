# Reductions: over all elements, and along one dimension (kept with size 1, as Torch7).
# Everything accumulates in double (Torch7's accreal for float types; exact for integers up
# to 2^53). Contiguous sums keep several independent double accumulators, which the
# compiler vectorises (vector_loops.pxi for float and double): a single accumulator chains
# every addition on the one before and runs at a third of the speed. max/min keep the first
# extreme and let NaN win, as Torch7's `!(x <= best)` test.

cdef enum ReduceOp:
    RED_SUM, RED_PROD, RED_MAX, RED_MIN,
    RED_COUNT_NONZERO,          # the 0-"norm"
    RED_ABS_SUM,                # the 1-norm
    RED_SQUARE_SUM,             # the 2-norm, before its square root
    RED_POWER_SUM,              # the p-norm, before its p-th root: sum of |x|^p
    RED_ABS_MAX,                # the infinity-norm
    RED_SQUARED_DEVIATION,      # sum of (x - param)^2: the variance's second pass
    RED_NORM,                   # along a dimension: the p-norm (param: p), finished
    RED_VAR                     # along a dimension: the variance, finished


ctypedef double (*all_fn)(void *tag, const T7Tensor *t, int op, double param, int64_t start,
                          int64_t end) noexcept nogil


cdef inline bint is_extreme(int op) noexcept nogil:
    return op == RED_MAX or op == RED_MIN


cdef inline double identity(int op) noexcept nogil:
    return 1 if op == RED_PROD else 0


cdef inline double term(double x, int op, double param) noexcept nogil:
    """What one element adds to a sum-like reduction."""
    if op == RED_COUNT_NONZERO: return x != 0
    if op == RED_ABS_SUM or op == RED_ABS_MAX: return fabs(x)
    if op == RED_SQUARE_SUM: return x * x
    if op == RED_POWER_SUM: return pow(fabs(x), param)
    if op == RED_SQUARED_DEVIATION: return (x - param) * (x - param)
    return x


cdef inline double combine(double acc, double x, int op) noexcept nogil:
    if op == RED_PROD:
        return acc * x
    if op == RED_ABS_MAX:
        return x if (x > acc or isnan(x)) else acc
    return acc + x


cdef inline real from_double(real *tag, double x) noexcept nogil:
    """A double result stored in real: integers wrap through int64, as the original's long
    accumulators did (a direct conversion of an out-of-range double is undefined in C)."""
    if real is float or real is double:
        return <real>x
    else:
        return <real><int64_t>x


cdef inline double sum_contiguous(const real *p, int64_t n) noexcept nogil:
    cdef double acc[8]
    cdef int64_t i = 0
    cdef int k
    cdef double total = 0
    if real is float:
        return t7_sum_float_run(p, n)
    elif real is double:
        return t7_sum_double_run(p, n)
    else:
        for k in range(8):
            acc[k] = 0
        while i + 8 <= n:
            for k in range(8):
                acc[k] += p[i + k]
            i += 8
        while i < n:
            total += p[i]
            i += 1
        return total + (((acc[0] + acc[4]) + (acc[1] + acc[5]))
                        + ((acc[2] + acc[6]) + (acc[3] + acc[7])))


cdef inline double fold(const real *p, int64_t s, int64_t n, int op, double param,
                        double acc) noexcept nogil:
    """acc combined with the terms of n elements at stride s (not for max/min)."""
    cdef int64_t i
    if op == RED_SUM:
        if s == 1:
            return acc + sum_contiguous(p, n)
        for i in range(n):
            acc += p[i * s]
        return acc
    if op == RED_PROD:
        for i in range(n):
            acc *= p[i * s]
        return acc
    for i in range(n):
        acc = combine(acc, term(p[i * s], op, param), op)
    return acc


cdef inline real extreme(const real *p, int64_t s, int64_t n, bint maximum, real best,
                         int64_t *where) noexcept nogil:
    """The first maximum (minimum) among best and n elements, NaN winning; *where is its
    position among them, or left as it was when best stays. Compared in the element type:
    64-bit integers beyond 2^53 are not all doubles."""
    cdef int64_t i
    cdef real x
    if real is float or real is double:
        if isnan(best):
            return best
    if maximum:
        for i in range(n):
            x = p[i * s]
            if not (x <= best):
                best = x
                where[0] = i
                if real is float or real is double:
                    if isnan(x):
                        break
    else:
        for i in range(n):
            x = p[i * s]
            if not (x >= best):
                best = x
                where[0] = i
                if real is float or real is double:
                    if isnan(x):
                        break
    return best


# ---- over all elements ---------------------------------------------------------------------------

cdef double reduce_all_range(real *tag, const T7Tensor *t, int op, double param, int64_t start,
                             int64_t end) noexcept nogil:
    cdef Walker w
    walker_init(&w, t, start)
    cdef int64_t n, s, unused, left = end - start
    cdef double acc = identity(op)
    cdef real best = (<real *>w.ptr)[0]
    while left > 0:
        n = min2(left, walker_run(&w))
        s = walker_step(&w, sizeof(real))
        if is_extreme(op):
            best = extreme(<real *>w.ptr, s, n, op == RED_MAX, best, &unused)
        else:
            acc = fold(<real *>w.ptr, s, n, op, param, acc)
        walker_advance(&w, n)
        left -= n
    return <double>best if is_extreme(op) else acc


cdef all_fn REDUCE_ALL[7]
REDUCE_ALL[:] = [<all_fn>reduce_all_range[uint8_t], <all_fn>reduce_all_range[int8_t],
                 <all_fn>reduce_all_range[int16_t], <all_fn>reduce_all_range[int32_t],
                 <all_fn>reduce_all_range[int64_t], <all_fn>reduce_all_range[float],
                 <all_fn>reduce_all_range[double]]


cdef void memory_order(T7Tensor *view, const T7Tensor *t) noexcept nogil:
    """A borrowed view of t's elements with its dimensions sorted by decreasing stride, so
    that a walk reads memory in order (a transposed tensor's in runs again). Sums of all
    elements may take them in any order (max and min may not: which of 0 and -0 comes
    first decides what they give)."""
    memcpy(view, t, sizeof(T7Tensor))
    cdef int i, j
    for i in range(1, view._ndim):      # an insertion sort: few dimensions, stable
        j = i
        while j > 0 and view._stride[j - 1] < view._stride[j]:
            view._size[j - 1], view._size[j] = view._size[j], view._size[j - 1]
            view._stride[j - 1], view._stride[j] = view._stride[j], view._stride[j - 1]
            j -= 1


cdef struct PartialJob:
    # one block's reduction per chunk, kept apart so that the result does not depend on
    # which thread did which block
    all_fn fn
    const T7Tensor *t
    int op
    double param
    int64_t n
    double *partial


cdef void partial_chunk(void *vjob, int64_t chunk, int64_t chunks) noexcept nogil:
    cdef PartialJob *j = <PartialJob *>vjob
    j.partial[chunk] = j.fn(NULL, j.t, j.op, j.param, chunk * j.n // chunks,
                            (chunk + 1) * j.n // chunks)


cdef int reduce_all(const T7Tensor *given, int op, double param, double *out) noexcept nogil:
    if supported(given) != 0:
        return -1
    cdef T7Tensor ordered
    if is_extreme(op):
        memcpy(&ordered, given, sizeof(T7Tensor))
    else:
        memory_order(&ordered, given)
    cdef const T7Tensor *t = &ordered
    cdef int64_t n = nelement(t)
    if n == 0:
        if is_extreme(op):
            return t7_fail("tensor must have one dimension")     # the original's words
        out[0] = identity(op)
        return 0
    cdef all_fn fn = REDUCE_ALL[t._dtype]
    cdef int64_t blocks = parallel_blocks(n * (8 if op == RED_POWER_SUM else 1))
    if blocks <= 1:
        out[0] = fn(NULL, t, op, param, 0, n)
        return 0
    cdef double *partial = <double *>malloc(blocks * sizeof(double))
    if partial == NULL:
        return t7_fail("not enough memory")
    cdef PartialJob job
    job.fn = fn
    job.t = t
    job.op = op
    job.param = param
    job.n = n
    job.partial = partial
    parallel_chunks(partial_chunk, &job, blocks)
    cdef int64_t b
    cdef double acc = partial[0]
    cdef int64_t unused
    for b in range(1, blocks):
        if is_extreme(op):
            acc = extreme(partial + b, 1, 1, op == RED_MAX, acc, &unused)
        else:
            acc = combine(acc, partial[b], op)
    free(partial)
    out[0] = acc
    return 0


cdef public int t7_sum_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_SUM, 0, out)

cdef public int t7_prod_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_PROD, 0, out)

cdef public int t7_max_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_MAX, 0, out)

cdef public int t7_min_all(const T7Tensor *t, double *out) noexcept nogil:
    return reduce_all(t, RED_MIN, 0, out)


cdef inline int norm_op(double p) noexcept nogil:
    if p == 0: return RED_COUNT_NONZERO
    if p == 1: return RED_ABS_SUM
    if p == 2: return RED_SQUARE_SUM
    if p == INFINITY: return RED_ABS_MAX
    return RED_POWER_SUM


cdef inline double finish_norm(double acc, double p) noexcept nogil:
    if p == 2: return sqrt(acc)
    if p == 0 or p == 1 or p == INFINITY: return acc
    return pow(acc, 1 / p)


cdef public int t7_norm_all(const T7Tensor *t, double p, double *out) noexcept nogil:
    if floating_point_only(t, b"norm") != 0:
        return -1
    if p < 0 or isnan(p):
        return t7_fail("the norm's power must be non-negative, got %g", p)
    if reduce_all(t, norm_op(p), p, out) != 0:
        return -1
    out[0] = finish_norm(out[0], p)
    return 0


cdef public int t7_var_all(const T7Tensor *t, int biased, double *out) noexcept nogil:
    """Two passes (the mean, then the squared deviations from it): the one-pass formula
    loses every digit when the mean is large against the spread."""
    if floating_point_only(t, b"var") != 0:
        return -1
    cdef int64_t n = nelement(t)
    cdef double total
    if n == 0:
        return t7_fail("empty Tensor")
    if reduce_all(t, RED_SUM, 0, &total) != 0 or \
            reduce_all(t, RED_SQUARED_DEVIATION, total / n, out) != 0:
        return -1
    out[0] = out[0] / (n if biased else n - 1)
    return 0


cdef double dist_range(real *tag, const T7Tensor *a, const T7Tensor *b, double p) noexcept nogil:
    """The p-norm of a - b, the difference taken in the element type as the original."""
    cdef Walker wa, wb
    walker_init(&wa, a, 0)
    walker_init(&wb, b, 0)
    cdef int64_t n, i, sa, sb, left = nelement(a)
    cdef int op = norm_op(p)
    cdef double acc = 0
    cdef real *pa
    cdef real *pb
    while left > 0:
        n = min2(left, min2(walker_run(&wa), walker_run(&wb)))
        pa = <real *>wa.ptr
        pb = <real *>wb.ptr
        sa = walker_step(&wa, sizeof(real))
        sb = walker_step(&wb, sizeof(real))
        for i in range(n):
            acc = combine(acc, term(<real>(pa[i * sa] - pb[i * sb]), op, p), op)
        walker_advance(&wa, n)
        walker_advance(&wb, n)
        left -= n
    return finish_norm(acc, p)


cdef public int t7_dist(const T7Tensor *a, const T7Tensor *b, double p, double *out) noexcept nogil:
    if floating_point_only(a, b"dist") != 0 or same_type(a, b) != 0 or \
            check_counts("tensor", a, "src", b, NULL, NULL) != 0:
        return -1
    if p < 0 or isnan(p):
        return t7_fail("the norm's power must be non-negative, got %g", p)
    if a._dtype == T7_FLOAT:
        out[0] = dist_range(<float *>NULL, a, b, p)
    else:
        out[0] = dist_range(<double *>NULL, a, b, p)
    return 0


cdef double diagonal_sum(real *tag, const T7Tensor *t) noexcept nogil:
    cdef real *p = <real *>tensor_data(t)
    cdef int64_t i, n = min2(t._size[0], t._size[1])
    cdef double acc = 0
    for i in range(n):
        acc += p[i * (t._stride[0] + t._stride[1])]
    return acc


cdef public int t7_trace(const T7Tensor *t, double *out) noexcept nogil:
    if supported(t) != 0:
        return -1
    if t._ndim != 2:
        return t7_fail("expected a matrix, got a %dD tensor", t._ndim)
    cdef int dt = t._dtype
    if dt == T7_BYTE:
        out[0] = diagonal_sum(<uint8_t *>NULL, t)
    elif dt == T7_CHAR:
        out[0] = diagonal_sum(<int8_t *>NULL, t)
    elif dt == T7_SHORT:
        out[0] = diagonal_sum(<int16_t *>NULL, t)
    elif dt == T7_INT:
        out[0] = diagonal_sum(<int32_t *>NULL, t)
    elif dt == T7_LONG:
        out[0] = diagonal_sum(<int64_t *>NULL, t)
    elif dt == T7_FLOAT:
        out[0] = diagonal_sum(<float *>NULL, t)
    else:
        out[0] = diagonal_sum(<double *>NULL, t)
    return 0


# ---- along one dimension -------------------------------------------------------------------------

cdef struct DimCtx:
    Slices s                # 0: the source, 1: the values, 2: the indices (or unused)
    int op
    double param            # RED_NORM: p
    bint biased             # RED_VAR: divide by n rather than n - 1
    bint root               # RED_VAR: the standard deviation
    int64_t index_base
    bint with_index
    bint out_of_memory


cdef inline double slice_value(const real *p, int64_t step, int64_t n,
                               const DimCtx *c) noexcept nogil:
    """The reduction of a slice, other than an extreme."""
    cdef double acc, mean
    if c.op == RED_NORM:
        return finish_norm(fold(p, step, n, norm_op(c.param), c.param, 0), c.param)
    if c.op == RED_VAR:
        mean = fold(p, step, n, RED_SUM, 0, 0) / n
        acc = fold(p, step, n, RED_SQUARED_DEVIATION, mean, 0) / (n if c.biased else n - 1)
        return sqrt(acc) if c.root else acc
    return fold(p, step, n, c.op, 0, identity(c.op))


cdef void reduce_dim_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Each output from one pass along its slice: the layout for unit-stride slices, and for
    the operations that need the whole slice at once (extremes with indices, variances)."""
    cdef DimCtx *c = <DimCtx *>vctx
    cdef Walker ws, wv, wi
    walker_init(&ws, &c.s.outer[0], start)
    walker_init(&wv, &c.s.outer[1], start)
    if c.with_index:
        walker_init(&wi, &c.s.outer[2], start)
    cdef int64_t pos, where = 0, step = c.s.step[0]
    cdef real *p
    for pos in range(start, end):
        p = <real *>ws.ptr
        if is_extreme(c.op) and step == 1 and (real is float or real is double):
            if real is float:
                where = t7_extreme_float_at(<float *>p, c.s.length, c.op == RED_MAX)
            else:
                where = t7_extreme_double_at(<double *>p, c.s.length, c.op == RED_MAX)
            (<real *>wv.ptr)[0] = p[where]
        elif is_extreme(c.op):
            where = -1      # `extreme` counts from the slice's second element
            (<real *>wv.ptr)[0] = extreme(p + step, step, c.s.length - 1, c.op == RED_MAX,
                                          p[0], &where)
            where += 1
        else:
            (<real *>wv.ptr)[0] = from_double(tag, slice_value(p, step, c.s.length, c))
        walker_advance(&ws, 1)
        walker_advance(&wv, 1)
        if c.with_index:
            (<int64_t *>wi.ptr)[0] = where + c.index_base
            walker_advance(&wi, 1)


cdef void accumulate_dim_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Sums and products whose slices are strided: one pass over the source per position
    along the dimension, accumulating a block of outputs at once, so memory is read in its
    own order. Every output still adds its terms in order."""
    cdef DimCtx *c = <DimCtx *>vctx
    cdef int64_t count = end - start
    cdef double *acc = <double *>malloc(max(count, 1) * sizeof(double))
    if acc == NULL:
        c.out_of_memory = True
        return
    cdef int64_t i, k, n, s, j, left
    cdef double init = identity(c.op)
    for j in range(count):
        acc[j] = init
    cdef T7Tensor row
    memcpy(&row, &c.s.outer[0], sizeof(T7Tensor))
    cdef Walker w
    cdef real *p
    for k in range(c.s.length):
        row._offset = c.s.outer[0]._offset + k * c.s.step[0]
        walker_init(&w, &row, start)
        j = 0
        left = count
        while left > 0:
            n = min2(left, walker_run(&w))
            p = <real *>w.ptr
            s = walker_step(&w, sizeof(real))
            if c.op == RED_SUM and s == 1:
                for i in range(n):
                    acc[j + i] += p[i]
            elif c.op == RED_SUM:
                for i in range(n):
                    acc[j + i] += p[i * s]
            else:
                for i in range(n):
                    acc[j + i] *= p[i * s]
            j += n
            walker_advance(&w, n)
            left -= n
    walker_init(&w, &c.s.outer[1], start)
    j = 0
    left = count
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        for i in range(n):
            p[i * s] = from_double(tag, acc[j + i])
        j += n
        walker_advance(&w, n)
        left -= n
    free(acc)


cdef inline void take_extreme(real *best, int64_t *where, const real *p, int64_t s, int64_t n,
                              bint maximum, int64_t k) noexcept nogil:
    """Row k of a strided extreme: each of n running bests takes its element of the row
    when that is larger (smaller) or NaN, as extreme() does; a NaN best stays."""
    cdef int64_t i
    cdef real x
    for i in range(n):
        x = p[i * s]
        if real is float or real is double:
            if isnan(best[i]):
                continue
        if (not (x <= best[i])) if maximum else (not (x >= best[i])):
            best[i] = x
            where[i] = k


cdef void extreme_dim_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Extremes whose slices are strided, as accumulate_dim_range does sums: one pass over
    the source per position along the dimension, keeping a block of running bests."""
    cdef DimCtx *c = <DimCtx *>vctx
    cdef int64_t count = end - start
    cdef real *best = <real *>malloc(max(count, 1) * sizeof(real))
    cdef int64_t *where = <int64_t *>calloc(max(count, 1), sizeof(int64_t))
    if best == NULL or where == NULL:
        free(best)
        free(where)
        c.out_of_memory = True
        return
    cdef bint maximum = c.op == RED_MAX
    cdef int64_t i, k, n, s, j, left
    cdef T7Tensor row
    memcpy(&row, &c.s.outer[0], sizeof(T7Tensor))
    cdef Walker w
    cdef real *p
    for k in range(c.s.length):
        row._offset = c.s.outer[0]._offset + k * c.s.step[0]
        walker_init(&w, &row, start)
        j = 0
        left = count
        while left > 0:
            n = min2(left, walker_run(&w))
            p = <real *>w.ptr
            s = walker_step(&w, sizeof(real))
            if k == 0:
                for i in range(n):
                    best[j + i] = p[i * s]
            elif s == 1:
                take_extreme(best + j, where + j, p, 1, n, maximum, k)
            else:
                take_extreme(best + j, where + j, p, s, n, maximum, k)
            j += n
            walker_advance(&w, n)
            left -= n
    cdef Walker wv, wi
    walker_init(&wv, &c.s.outer[1], start)
    if c.with_index:
        walker_init(&wi, &c.s.outer[2], start)
    for j in range(count):
        (<real *>wv.ptr)[0] = best[j]
        walker_advance(&wv, 1)
        if c.with_index:
            (<int64_t *>wi.ptr)[0] = where[j] + c.index_base
            walker_advance(&wi, 1)
    free(best)
    free(where)


cdef range_fn REDUCE_DIM[7]
REDUCE_DIM[:] = [<range_fn>reduce_dim_range[uint8_t], <range_fn>reduce_dim_range[int8_t],
                 <range_fn>reduce_dim_range[int16_t], <range_fn>reduce_dim_range[int32_t],
                 <range_fn>reduce_dim_range[int64_t], <range_fn>reduce_dim_range[float],
                 <range_fn>reduce_dim_range[double]]
cdef range_fn ACCUMULATE_DIM[7]
ACCUMULATE_DIM[:] = [<range_fn>accumulate_dim_range[uint8_t],
                     <range_fn>accumulate_dim_range[int8_t],
                     <range_fn>accumulate_dim_range[int16_t],
                     <range_fn>accumulate_dim_range[int32_t],
                     <range_fn>accumulate_dim_range[int64_t],
                     <range_fn>accumulate_dim_range[float],
                     <range_fn>accumulate_dim_range[double]]
cdef range_fn EXTREME_DIM[7]
EXTREME_DIM[:] = [<range_fn>extreme_dim_range[uint8_t], <range_fn>extreme_dim_range[int8_t],
                  <range_fn>extreme_dim_range[int16_t], <range_fn>extreme_dim_range[int32_t],
                  <range_fn>extreme_dim_range[int64_t], <range_fn>extreme_dim_range[float],
                  <range_fn>extreme_dim_range[double]]


cdef int resize_reduced(T7Tensor *r, const T7Tensor *t, int dim, int64_t length) noexcept nogil:
    """r resized to t's shape with `length` along dim."""
    cdef int64_t size[32]
    memcpy(size, t._size, t._ndim * sizeof(int64_t))
    size[dim] = length
    return t7_tensor_resize(r, t._ndim, size, NULL)


cdef int reduce_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
                    DimCtx *c) noexcept nogil:
    """Fills in c's slices and runs c's reduction along dim into values (and index)."""
    if supported(t) != 0 or same_type(values, t) != 0 or check_dim(t, dim) != 0:
        return -1
    if index != NULL and index._dtype != T7_LONG:
        return t7_fail("the index tensor must be a LongTensor, got a %sTensor",
                       TYPE_NAMES[index._dtype])
    if values == t or index == t:
        return t7_fail("the result must not be the input tensor")
    if is_extreme(c.op) and t._size[dim] == 0:
        return t7_fail("cannot take the %s along an empty dimension",
                       b"max" if c.op == RED_MAX else b"min")
    if resize_reduced(values, t, dim, 1) != 0:
        return -1
    if index != NULL and resize_reduced(index, t, dim, 1) != 0:
        return -1
    slices_init(&c.s, dim, t, values, index)
    c.with_index = index != NULL
    c.out_of_memory = False
    cdef int64_t cost = c.s.length if c.s.length > 0 else 1
    if (c.op == RED_SUM or c.op == RED_PROD) and c.s.step[0] != 1 and c.s.length > 1:
        run_blocks(ACCUMULATE_DIM[t._dtype], c, c.s.count, cost)
    elif is_extreme(c.op) and c.s.step[0] != 1 and c.s.length > 1:
        run_blocks(EXTREME_DIM[t._dtype], c, c.s.count, cost)
    else:
        run_blocks(REDUCE_DIM[t._dtype], c, c.s.count, cost)
    if c.out_of_memory:
        return t7_fail("not enough memory")
    return 0


cdef int reduce_along(T7Tensor *r, const T7Tensor *t, int dim, int op, double param,
                      bint biased, bint root) noexcept nogil:
    cdef DimCtx c
    c.op = op
    c.param = param
    c.biased = biased
    c.root = root
    c.index_base = 0
    return reduce_dim(r, NULL, t, dim, &c)


cdef public int t7_sum_dim(T7Tensor *r, const T7Tensor *t, int dim) noexcept nogil:
    return reduce_along(r, t, dim, RED_SUM, 0, False, False)

cdef public int t7_prod_dim(T7Tensor *r, const T7Tensor *t, int dim) noexcept nogil:
    return reduce_along(r, t, dim, RED_PROD, 0, False, False)

cdef public int t7_norm_dim(T7Tensor *r, const T7Tensor *t, double p, int dim) noexcept nogil:
    if floating_point_only(t, b"norm") != 0:
        return -1
    if p < 0 or isnan(p):
        return t7_fail("the norm's power must be non-negative, got %g", p)
    return reduce_along(r, t, dim, RED_NORM, p, False, False)

cdef public int t7_var_dim(T7Tensor *r, const T7Tensor *t, int dim, int biased,
                           int root) noexcept nogil:
    if floating_point_only(t, b"var" if not root else b"std") != 0:
        return -1
    return reduce_along(r, t, dim, RED_VAR, 0, biased, root)


cdef int extreme_along(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim, int op,
                       int64_t index_base) noexcept nogil:
    cdef DimCtx c
    c.op = op
    c.index_base = index_base
    return reduce_dim(values, index, t, dim, &c)

cdef public int t7_max_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
                           int64_t index_base) noexcept nogil:
    return extreme_along(values, index, t, dim, RED_MAX, index_base)

cdef public int t7_min_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
                           int64_t index_base) noexcept nogil:
    return extreme_along(values, index, t, dim, RED_MIN, index_base)
