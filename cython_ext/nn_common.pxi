# What the nn kernels (nn_*.pxi) share: the floating element type, argument checks that
# describe tensors by their sizes, contiguous copies of inputs, output preparation, matrix
# products on raw memory, and the choice of how many threads a piece of work deserves.

from libc.stdio cimport snprintf

ctypedef fused floating:
    float
    double


cdef int floating_only(const T7Tensor *t) noexcept nogil:
    if t._dtype != T7_FLOAT and t._dtype != T7_DOUBLE:
        return t7_fail("only FloatTensor and DoubleTensor are supported, got a %sTensor",
                       TYPE_NAMES[t._dtype])
    return 0


cdef void size_text(const T7Tensor *t, char *buf, int n) noexcept nogil:
    """Writes "[2 x 3 x 4]" (the original's way of naming a tensor's shape) into buf."""
    cdef int used = snprintf(buf, n, "[")
    cdef int d
    for d in range(t._ndim):
        if used >= n:
            return
        used += snprintf(buf + used, n - used, "%s%lld", b" x " if d > 0 else b"",
                         <ll>t._size[d])
    if used < n:
        snprintf(buf + used, n - used, "]")


cdef int fail_shape(const char *what, const T7Tensor *t) noexcept nogil:
    """Reports `what` followed by the shape of t."""
    cdef char shape[256]
    size_text(t, shape, sizeof(shape))
    return t7_fail("%s%s", what, shape)


cdef int check_size(const T7Tensor *t, const char *name, int ndim, int dim,
                    int64_t expected) noexcept nogil:
    """t must have ndim dimensions and size `expected` in dimension dim (0-based)."""
    cdef char shape[256]
    if t._ndim != ndim or t._size[dim] != expected:
        size_text(t, shape, sizeof(shape))
        return t7_fail("%s of %d dimensions with size %lld in dimension %d expected, "
                       "but got %s", name, ndim, <ll>expected, dim + 1, shape)
    return 0


cdef int same_floating(const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    if floating_only(a) != 0:
        return -1
    if b != NULL and same_type(a, b) != 0:
        return -1
    return 0


cdef const T7Tensor *contiguous_or_copy(const T7Tensor *t, T7Tensor **copy) noexcept nogil:
    """t itself when contiguous, else a contiguous copy stored in *copy (NULL on failure)."""
    copy[0] = NULL
    if contiguous(t):
        return t
    copy[0] = contiguous_copy(t)
    return copy[0]


cdef int resize_contiguous(T7Tensor *t, int ndim, const int64_t *size) noexcept nogil:
    """Resizes t (a result) and insists that it be contiguous, as the kernels write it so."""
    if t7_tensor_resize(t, ndim, size, NULL) != 0:
        return -1
    if not contiguous(t):
        return t7_fail("the result tensor must be contiguous")
    return 0


cdef int resize_like(T7Tensor *t, const T7Tensor *src) noexcept nogil:
    if same_type(t, src) != 0:
        return -1
    return resize_contiguous(t, src._ndim, src._size)


cdef inline floating *fdata(floating *tag, const T7Tensor *t) noexcept nogil:
    return <floating *>tensor_data(t)


cdef double element_as_double(const T7Tensor *t, int64_t i) noexcept nogil:
    """Element i of a 1-D tensor (of any type, any stride)."""
    cdef char *p = tensor_data(t) + i * t._stride[0] * ELEMENT_SIZES[t._dtype]
    cdef int dt = t._dtype
    if dt == T7_BYTE:
        return (<uint8_t *>p)[0]
    if dt == T7_CHAR:
        return (<int8_t *>p)[0]
    if dt == T7_SHORT:
        return (<int16_t *>p)[0]
    if dt == T7_INT:
        return (<int32_t *>p)[0]
    if dt == T7_LONG:
        return <double>(<int64_t *>p)[0]
    if dt == T7_FLOAT:
        return (<float *>p)[0]
    return (<double *>p)[0]


cdef inline void describe_gemm(Gemm *g, bint ta, bint tb, int M, int N, int K,
                               floating alpha, const floating *A, int lda, const floating *B,
                               int ldb, floating beta, floating *C, int ldc) noexcept nogil:
    g.dtype = T7_FLOAT if floating is float else T7_DOUBLE
    g.ta = ta
    g.tb = tb
    g.M = M
    g.N = N
    g.K = K
    g.alpha = alpha
    g.beta = beta
    g.A = <const char *>A
    g.lda = lda
    g.B = <const char *>B
    g.ldb = ldb
    g.C = <char *>C
    g.ldc = ldc


cdef inline void gemm(bint ta, bint tb, int M, int N, int K, floating alpha,
                      const floating *A, int lda, const floating *B, int ldb, floating beta,
                      floating *C, int ldc) noexcept nogil:
    """C = alpha * op(A) @ op(B) + beta * C on row-major arrays, in this thread."""
    cdef Gemm g
    describe_gemm(&g, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
    gemm_serial(&g, M, N, g.A, g.B, g.C)


cdef void gemm_parallel(bint ta, bint tb, int M, int N, int K, floating alpha,
                        const floating *A, int lda, const floating *B, int ldb, floating beta,
                        floating *C, int ldc) noexcept nogil:
    """The same, cut across the threads when the product is large enough to pay for them."""
    cdef Gemm g
    describe_gemm(&g, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
    gemm_run(&g)


cdef int64_t blocks_for(int64_t items, int64_t work) noexcept nogil:
    """How many threads should share `items` independent pieces of `work` operations in
    all: one when the work is small, never more than the items."""
    cdef int64_t threads = pool_threads()
    if threads <= 1 or items <= 1 or work < 2 * PARALLEL_GRAIN:
        return 1
    return min2(threads, min2(items, work // PARALLEL_GRAIN))


cdef inline int64_t max2(int64_t a, int64_t b) noexcept nogil:
    return a if a > b else b
