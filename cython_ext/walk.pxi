# Walking tensors element by element in row-major (logical) order, in runs along the
# innermost dimension, and splitting that walk across threads.
#
# Torch7's pointwise operations only need equal element counts, not equal shapes, so each
# operand is walked with its own Walker; a kernel gets, at each step, the longest run that
# every operand can take with a constant stride. For contiguous operands that is one run.

from libc.stdio cimport snprintf

ctypedef void (*range_fn)(void *tag, void *ctx, int64_t start, int64_t end) noexcept nogil


cdef struct Walker:
    char *ptr                 # the current element
    int ndim                  # dimensions after merging the ones that can be walked as one
    int64_t size[32]
    int64_t stride[32]        # in bytes
    int64_t index[32]


cdef void walker_init(Walker *w, const T7Tensor *t, int64_t start) noexcept nogil:
    """Positions w at the element of linear index `start` of t."""
    cdef int64_t elsize = ELEMENT_SIZES[t._dtype]
    cdef int d, k = 0
    for d in range(t._ndim):
        if t._size[d] == 1:
            continue
        if k > 0 and w.stride[k - 1] == t._stride[d] * t._size[d] * elsize:
            w.size[k - 1] *= t._size[d]
            w.stride[k - 1] = t._stride[d] * elsize
        else:
            w.size[k] = t._size[d]
            w.stride[k] = t._stride[d] * elsize
            k += 1
    if k == 0:
        w.size[0] = 1
        w.stride[0] = elsize
        k = 1
    w.ndim = k
    w.ptr = tensor_data(t)
    cdef int64_t rest = start
    for d in range(k - 1, -1, -1):
        w.index[d] = rest % w.size[d]
        rest = rest // w.size[d]
        w.ptr += w.index[d] * w.stride[d]


cdef inline int64_t walker_run(const Walker *w) noexcept nogil:
    """Elements left in the current run."""
    return w.size[w.ndim - 1] - w.index[w.ndim - 1]


cdef inline int64_t walker_step(const Walker *w, int64_t elsize) noexcept nogil:
    """Stride of the current run, in elements."""
    return w.stride[w.ndim - 1] // elsize


cdef inline void walker_advance(Walker *w, int64_t n) noexcept nogil:
    cdef int d = w.ndim - 1
    w.index[d] += n
    w.ptr += n * w.stride[d]
    while w.index[d] >= w.size[d] and d > 0:
        w.ptr -= w.index[d] * w.stride[d]
        w.index[d] = 0
        d -= 1
        w.index[d] += 1
        w.ptr += w.stride[d]


cdef inline int64_t min2(int64_t a, int64_t b) noexcept nogil:
    return a if a < b else b


# Work below this many elements stays on the calling thread: waking threads costs more.
cdef enum:
    PARALLEL_GRAIN = 65536
    BLOCKS_PER_THREAD = 4


cdef int64_t parallel_blocks(int64_t work) noexcept nogil:
    """How many blocks to cut `work` (in element costs) into: one for small work, else a
    few per thread, taken by the threads as they come free (thread_pool.pxi)."""
    cdef int64_t threads = pool_threads()
    if threads <= 1 or work < 2 * PARALLEL_GRAIN:
        return 1
    return min2(threads * BLOCKS_PER_THREAD, work // PARALLEL_GRAIN)


cdef struct RangeJob:
    range_fn fn
    void *ctx
    int64_t n


cdef void range_chunk(void *job, int64_t chunk, int64_t chunks) noexcept nogil:
    cdef RangeJob *j = <RangeJob *>job
    j.fn(NULL, j.ctx, chunk * j.n // chunks, (chunk + 1) * j.n // chunks)


cdef void parallel_ranges(range_fn fn, void *ctx, int64_t n, int64_t blocks) noexcept nogil:
    """fn(NULL, ctx, start, end) over [0, n) cut into `blocks` ranges, spread over the pool."""
    if blocks <= 1:
        fn(NULL, ctx, 0, n)
        return
    cdef RangeJob job
    job.fn = fn
    job.ctx = ctx
    job.n = n
    parallel_chunks(range_chunk, &job, blocks)


cdef inline range_fn by_precision(int dtype, range_fn for_float, range_fn for_double) noexcept nogil:
    """The float or double specialisation of a kernel, for parallel_ranges."""
    return for_float if dtype == T7_FLOAT else for_double


cdef void run_blocks(range_fn fn, void *ctx, int64_t n, int64_t cost_per_element) noexcept nogil:
    """Runs fn over [0, n) in contiguous blocks, in parallel when the work is large."""
    parallel_ranges(fn, ctx, n, parallel_blocks(n * cost_per_element))


cdef int same_type(const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    if a._dtype != b._dtype:
        return t7_fail("expected a %sTensor, got a %sTensor", TYPE_NAMES[a._dtype],
                       TYPE_NAMES[b._dtype])
    return 0


cdef int same_count(const T7Tensor *a, const T7Tensor *b, const char *what) noexcept nogil:
    cdef int64_t na = nelement(a), nb = nelement(b)
    if na != nb:
        return t7_fail("inconsistent tensor size, expected %s to have the same number of "
                       "elements, but got %lld and %lld elements respectively",
                       what, <ll>na, <ll>nb)
    return 0


cdef int size_description(const T7Tensor *t, char *buffer, int capacity) noexcept nogil:
    """Writes the sizes as the original's messages show them: [2 x 3]."""
    cdef int used = snprintf(buffer, capacity, "[")
    cdef int d
    for d in range(t._ndim):
        if used < capacity:
            used += snprintf(buffer + used, capacity - used, "%lld%s", <ll>t._size[d],
                             b" x " if d < t._ndim - 1 else b"")
    if used < capacity:
        used += snprintf(buffer + used, capacity - used, "]")
    return used


cdef int check_counts(const char *name1, const T7Tensor *t1, const char *name2,
                      const T7Tensor *t2, const char *name3, const T7Tensor *t3) noexcept nogil:
    """The original's check that operands have as many elements (TH_TENSOR_APPLY2/3), with
    its message, which names each operand as its C function did (t3 may be NULL)."""
    cdef int64_t n1 = nelement(t1), n2 = nelement(t2), n3 = nelement(t3) if t3 != NULL else n1
    if n1 == n2 and n1 == n3:
        return 0
    cdef char d1[256]
    cdef char d2[256]
    cdef char d3[256]
    size_description(t1, d1, 256)
    size_description(t2, d2, 256)
    if t3 == NULL:
        return t7_fail("inconsistent tensor size, expected %s %s and %s %s to have the same "
                       "number of elements, but got %lld and %lld elements respectively",
                       name1, d1, name2, d2, <ll>n1, <ll>n2)
    size_description(t3, d3, 256)
    return t7_fail("inconsistent tensor size, expected %s %s, %s %s and %s %s to have the same "
                   "number of elements, but got %lld, %lld and %lld elements respectively",
                   name1, d1, name2, d2, name3, d3, <ll>n1, <ll>n2, <ll>n3)


cdef int supported(const T7Tensor *t) noexcept nogil:
    if t._dtype == T7_HALF:
        return t7_fail("this operation is not implemented for HalfTensor")
    return 0


# ---- slices along one dimension --------------------------------------------------------------
# Operations along a dimension (reductions, running sums, sorting) see each operand as a set
# of slices: the operand with that dimension dropped gives the first element of every slice,
# and the dimension's stride steps inside one. Slices are independent, so they are split
# across threads like elements.

cdef void drop_dim(T7Tensor *view, const T7Tensor *t, int dim) noexcept nogil:
    """A borrowed view of t with `dim` removed (index 0 along it); 0-D if t was 1-D. view
    may be t."""
    if view != t:
        memcpy(view, t, sizeof(T7Tensor))
    cdef int d
    for d in range(dim, t._ndim - 1):
        view._size[d] = t._size[d + 1]
        view._stride[d] = t._stride[d + 1]
    view._ndim = t._ndim - 1


cdef struct Slices:
    T7Tensor outer[3]       # each operand with the dimension dropped
    int64_t step[3]         # the dimension's stride in each operand, in elements
    int64_t length          # the dimension's size in the first operand
    int64_t count           # the number of slices


cdef void slices_init(Slices *s, int dim, const T7Tensor *a, const T7Tensor *b,
                      const T7Tensor *c) noexcept nogil:
    """Slices of a, b and c (b and c may be NULL) along dim, a's shape giving their count."""
    cdef const T7Tensor *operands[3]
    operands[0], operands[1], operands[2] = a, b, c
    cdef int k, d
    for k in range(3):
        if operands[k] != NULL:
            drop_dim(&s.outer[k], operands[k], dim)
            s.step[k] = operands[k]._stride[dim]
    s.length = a._size[dim]
    s.count = 1
    for d in range(a._ndim):
        if d != dim:
            s.count *= a._size[d]

