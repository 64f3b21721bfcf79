# Matrix products on the BLAS of the scipy-openblas32 wheel (float and double), with plain
# loops for the integer types. Operands that BLAS cannot address (no unit stride in either
# dimension, or aliasing the result) are first copied to contiguous temporaries.

cdef extern from "cblas.h" nogil:
    enum CBLAS_ORDER:
        CblasRowMajor
    enum CBLAS_TRANSPOSE:
        CblasNoTrans
        CblasTrans
    void scipy_cblas_sgemm(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, int, int, int, float,
                           const float *, int, const float *, int, float, float *, int)
    void scipy_cblas_dgemm(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, int, int, int, double,
                           const double *, int, const double *, int, double, double *, int)
    void scipy_cblas_sgemv(CBLAS_ORDER, CBLAS_TRANSPOSE, int, int, float, const float *, int,
                           const float *, int, float, float *, int)
    void scipy_cblas_dgemv(CBLAS_ORDER, CBLAS_TRANSPOSE, int, int, double, const double *, int,
                           const double *, int, double, double *, int)
    void scipy_cblas_sger(CBLAS_ORDER, int, int, float, const float *, int, const float *, int,
                          float *, int)
    void scipy_cblas_dger(CBLAS_ORDER, int, int, double, const double *, int, const double *,
                          int, double *, int)
    float scipy_cblas_sdot(int, const float *, int, const float *, int)
    double scipy_cblas_ddot(int, const double *, int, const double *, int)

cdef enum:
    BLAS_INT_MAX = 2147483647


cdef struct Matrix:
    # How BLAS sees a 2-D operand: a row-major array, transposed or not.
    char *data
    int rows
    int cols
    int ld
    bint transposed


cdef bint describe(const T7Tensor *x, Matrix *m) noexcept nogil:
    """Fills m if BLAS can read x in place (a unit stride in one dimension)."""
    cdef int64_t n0 = x._size[0], n1 = x._size[1]
    cdef int64_t s0 = x._stride[0] if n0 > 1 else max(n1, 1)
    cdef int64_t s1 = x._stride[1] if n1 > 1 else 1
    m.data = tensor_data(x)
    m.rows = <int>n0
    m.cols = <int>n1
    if s1 == 1 and s0 >= max(n1, 1) and s0 <= BLAS_INT_MAX:
        m.transposed = False
        m.ld = <int>s0
        return True
    s0 = x._stride[0] if n0 > 1 else 1
    s1 = x._stride[1] if n1 > 1 else max(n0, 1)
    if s0 == 1 and s1 >= max(n0, 1) and s1 <= BLAS_INT_MAX:
        m.transposed = True
        m.ld = <int>s1
        return True
    return False


cdef T7Tensor *contiguous_copy(const T7Tensor *x) noexcept nogil:
    cdef T7Tensor *c = t7_tensor_new(x._dtype)
    if c == NULL:
        return NULL
    if t7_tensor_resize(c, x._ndim, x._size, NULL) != 0 or t7_tensor_copy(c, x) != 0:
        t7_tensor_release(c)
        return NULL
    return c


cdef bint overlaps(const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    """Whether two tensors may share memory (same storage, overlapping address ranges)."""
    if a._storage == NULL or a._storage != b._storage:
        return False
    cdef int64_t a_end = a._offset + storage_extent(a._ndim, a._size, a._stride)
    cdef int64_t b_end = b._offset + storage_extent(b._ndim, b._size, b._stride)
    return a._offset < b_end and b._offset < a_end


cdef void gemm_loops(real *tag, T7Tensor *r, double alpha, const T7Tensor *a,
                     const T7Tensor *b) noexcept nogil:
    """r += alpha * a @ b for the integer types (r already scaled by beta)."""
    cdef int64_t i, j, k
    cdef int64_t M = a._size[0], K = a._size[1], N = b._size[1]
    cdef real *pr = <real *>tensor_data(r)
    cdef real *pa = <real *>tensor_data(a)
    cdef real *pb = <real *>tensor_data(b)
    cdef real aik
    for i in range(M):
        for k in range(K):
            aik = <real>(alpha * pa[i * a._stride[0] + k * a._stride[1]])
            for j in range(N):
                pr[i * r._stride[0] + j * r._stride[1]] += aik * pb[k * b._stride[0] + j * b._stride[1]]


cdef enum:
    # Products with fewer multiply-adds than this run on one thread.
    GEMM_PARALLEL_WORK = 1 << 18


cdef struct Gemm:
    # C = alpha * op(A) @ op(B) + beta * C on row-major arrays (M x K by K x N), as BLAS
    # takes it; the tensor products below and the nn kernels both describe theirs this way.
    int dtype
    bint ta
    bint tb
    int M
    int N
    int K
    double alpha
    double beta
    const char *A
    int lda
    const char *B
    int ldb
    char *C
    int ldc


cdef void gemm_serial(const Gemm *g, int M, int N, const char *A, const char *B,
                      char *C) noexcept nogil:
    """The product for M x N of C (a part of g's), on this thread."""
    cdef CBLAS_TRANSPOSE ta = CblasTrans if g.ta else CblasNoTrans
    cdef CBLAS_TRANSPOSE tb = CblasTrans if g.tb else CblasNoTrans
    cdef int i, j
    if M <= 0 or N <= 0:
        return
    if g.K <= 0:        # no product: C = beta * C (BLAS would reject the leading dimensions)
        for i in range(M):
            for j in range(N):
                if g.dtype == T7_DOUBLE:
                    (<double *>C)[i * g.ldc + j] = 0 if g.beta == 0 else \
                        (<double *>C)[i * g.ldc + j] * g.beta
                else:
                    (<float *>C)[i * g.ldc + j] = 0 if g.beta == 0 else \
                        (<float *>C)[i * g.ldc + j] * <float>g.beta
        return
    if g.dtype == T7_DOUBLE:
        scipy_cblas_dgemm(CblasRowMajor, ta, tb, M, N, g.K, g.alpha, <const double *>A, g.lda,
                          <const double *>B, g.ldb, g.beta, <double *>C, g.ldc)
    else:
        scipy_cblas_sgemm(CblasRowMajor, ta, tb, M, N, g.K, <float>g.alpha, <const float *>A,
                          g.lda, <const float *>B, g.ldb, <float>g.beta, <float *>C, g.ldc)


cdef void gemm_chunk(void *vg, int64_t chunk, int64_t chunks) noexcept nogil:
    """One block of rows of C (or of columns, when there are more of them)."""
    cdef const Gemm *g = <const Gemm *>vg
    cdef int64_t es = ELEMENT_SIZES[g.dtype]
    cdef int64_t length = g.M if g.M >= g.N else g.N
    cdef int64_t first = chunk * length // chunks
    cdef int count = <int>((chunk + 1) * length // chunks - first)
    if g.M >= g.N:      # rows of op(A) (columns of A when transposed) and of C
        gemm_serial(g, count, g.N, g.A + first * es * (1 if g.ta else g.lda), g.B,
                    g.C + first * g.ldc * es)
    else:               # columns of op(B) (rows of B when transposed) and of C
        gemm_serial(g, g.M, count, g.A, g.B + first * es * (g.ldb if g.tb else 1),
                    g.C + first * es)


cdef void gemm_run(Gemm *g) noexcept nogil:
    """The whole product, cut across the threads when it is large enough to pay for them."""
    cdef int64_t length = g.M if g.M >= g.N else g.N
    cdef int64_t work = <int64_t>g.M * g.N * g.K
    cdef int64_t blocks = min2(pool_threads(), min2(length, work // GEMM_PARALLEL_WORK))
    if blocks <= 1:
        gemm_serial(g, g.M, g.N, g.A, g.B, g.C)
    else:
        parallel_chunks(gemm_chunk, g, blocks)


cdef void gemm_blas(T7Tensor *r, double beta, double alpha, const Matrix *a,
                    const Matrix *b) noexcept nogil:
    """r = beta*r + alpha*a@b with r row-major (unit column stride)."""
    cdef Gemm g
    g.dtype = r._dtype
    g.ta = a.transposed
    g.tb = b.transposed
    g.M = a.rows
    g.N = b.cols
    g.K = a.cols
    g.alpha = alpha
    g.beta = beta
    g.A = a.data
    g.lda = a.ld
    g.B = b.data
    g.ldb = b.ld
    g.C = tensor_data(r)
    g.ldc = <int>(r._stride[0] if r._size[0] > 1 else max(g.N, 1))
    gemm_run(&g)


cdef int scale(T7Tensor *r, double beta) noexcept nogil:
    if beta == 0:
        return t7_tensor_fill(r, 0)
    if beta != 1:
        return t7_mul_scalar(r, r, beta)
    return 0


cdef int matmul_into(T7Tensor *r, double beta, double alpha, const T7Tensor *a,
                     const T7Tensor *b) noexcept nogil:
    """r = beta*r + alpha*a@b, r already of the right size and sharing no memory with a or
    b; copies the operands BLAS cannot address."""
    cdef Matrix ma, mb, mr
    cdef T7Tensor *tmp_a = NULL
    cdef T7Tensor *tmp_b = NULL
    cdef T7Tensor *tmp_r = NULL
    cdef T7Tensor rt
    cdef int status = 0
    if a._size[0] > BLAS_INT_MAX or a._size[1] > BLAS_INT_MAX or b._size[1] > BLAS_INT_MAX:
        return t7_fail("matrix dimensions beyond 2^31 are not supported")
    if not is_floating(r._dtype):
        if scale(r, beta) != 0:
            return -1
        if r._dtype == T7_BYTE:
            gemm_loops(<uint8_t *>NULL, r, alpha, a, b)
        elif r._dtype == T7_CHAR:
            gemm_loops(<int8_t *>NULL, r, alpha, a, b)
        elif r._dtype == T7_SHORT:
            gemm_loops(<int16_t *>NULL, r, alpha, a, b)
        elif r._dtype == T7_INT:
            gemm_loops(<int32_t *>NULL, r, alpha, a, b)
        else:
            gemm_loops(<int64_t *>NULL, r, alpha, a, b)
        return 0
    if not describe(a, &ma):
        tmp_a = contiguous_copy(a)
        if tmp_a == NULL:
            return -1
        describe(tmp_a, &ma)
    if not describe(b, &mb):
        tmp_b = contiguous_copy(b)
        if tmp_b == NULL:
            t7_tensor_release(tmp_a)
            return -1
        describe(tmp_b, &mb)
    if describe(r, &mr) and not mr.transposed:
        gemm_blas(r, beta, alpha, &ma, &mb)
    elif describe(r, &mr):
        # r is column-major: compute r^T = b^T a^T, whose result is row-major
        memcpy(&rt, r, sizeof(T7Tensor))
        rt._size[0], rt._size[1] = r._size[1], r._size[0]
        rt._stride[0], rt._stride[1] = r._stride[1], r._stride[0]
        ma.transposed = not ma.transposed
        mb.transposed = not mb.transposed
        ma.rows, ma.cols = ma.cols, ma.rows
        mb.rows, mb.cols = mb.cols, mb.rows
        gemm_blas(&rt, beta, alpha, &mb, &ma)
    else:
        tmp_r = contiguous_copy(r)
        if tmp_r == NULL:
            status = -1
        else:
            gemm_blas(tmp_r, beta, alpha, &ma, &mb)
            status = t7_tensor_copy(r, tmp_r)
            t7_tensor_release(tmp_r)
    t7_tensor_release(tmp_a)
    t7_tensor_release(tmp_b)
    return status


cdef struct Operands:
    # The two factors of a product, copied first where they share memory with the result
    # (which is overwritten before they are read).
    const T7Tensor *a
    const T7Tensor *b
    T7Tensor *copy_a
    T7Tensor *copy_b


cdef int protect(Operands *o, const T7Tensor *r, const T7Tensor *a,
                 const T7Tensor *b) noexcept nogil:
    o.a = a
    o.b = b
    o.copy_a = NULL
    o.copy_b = NULL
    if overlaps(a, r):
        o.copy_a = contiguous_copy(a)
        if o.copy_a == NULL:
            return -1
        o.a = o.copy_a
    if overlaps(b, r):
        o.copy_b = contiguous_copy(b)
        if o.copy_b == NULL:
            t7_tensor_release(o.copy_a)
            return -1
        o.b = o.copy_b
    return 0


cdef int finish(Operands *o, int status) noexcept nogil:
    t7_tensor_release(o.copy_a)
    t7_tensor_release(o.copy_b)
    return status


cdef int check_matrix_types(const T7Tensor *r, const T7Tensor *m, const T7Tensor *a,
                            const T7Tensor *b) noexcept nogil:
    if supported(r) != 0 or same_type(r, m) != 0 or same_type(r, a) != 0 or same_type(r, b) != 0:
        return -1
    return 0


cdef int start_from(T7Tensor *r, const T7Tensor *m) noexcept nogil:
    """r = m (resized), the starting point of the add* operations."""
    if r == m:
        return 0
    if t7_tensor_resize_as(r, m) != 0:
        return -1
    return t7_tensor_copy(r, m)


cdef public int t7_addmm(T7Tensor *r, double beta, const T7Tensor *m, double alpha,
                         const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    if check_matrix_types(r, m, a, b) != 0:
        return -1
    if a._ndim != 2 or b._ndim != 2:
        return t7_fail("matrices expected, got %dD, %dD tensors", a._ndim, b._ndim)
    if a._size[1] != b._size[0]:
        return t7_fail("size mismatch, m1: [%lld x %lld], m2: [%lld x %lld]",
                       <ll>a._size[0], <ll>a._size[1], <ll>b._size[0], <ll>b._size[1])
    if m._ndim != 2 or m._size[0] != a._size[0] or m._size[1] != b._size[1]:
        return t7_fail("size mismatch: the added matrix is %s[%lld x %lld], the product is "
                       "[%lld x %lld]", b"" if m._ndim == 2 else b"not 2D: ",
                       <ll>(m._size[0] if m._ndim > 0 else 0),
                       <ll>(m._size[1] if m._ndim > 1 else 0),
                       <ll>a._size[0], <ll>b._size[1])
    cdef Operands o
    if protect(&o, r, a, b) != 0:
        return -1
    if start_from(r, m) != 0:
        return finish(&o, -1)
    return finish(&o, matmul_into(r, beta, alpha, o.a, o.b))


cdef public int t7_addmv(T7Tensor *r, double beta, const T7Tensor *v, double alpha,
                         const T7Tensor *mat, const T7Tensor *vec) noexcept nogil:
    if check_matrix_types(r, v, mat, vec) != 0:
        return -1
    if mat._ndim != 2 or vec._ndim != 1:
        return t7_fail("matrix and vector expected, got %dD, %dD tensors", mat._ndim, vec._ndim)
    if mat._size[1] != vec._size[0]:
        return t7_fail("size mismatch, mat: [%lld x %lld], vec: [%lld]",
                       <ll>mat._size[0], <ll>mat._size[1], <ll>vec._size[0])
    if v._ndim != 1 or v._size[0] != mat._size[0]:
        return t7_fail("size mismatch: the added vector has %lld elements, the product %lld",
                       <ll>nelement(v), <ll>mat._size[0])
    cdef Operands o
    if protect(&o, r, mat, vec) != 0:
        return -1
    if start_from(r, v) != 0:
        return finish(&o, -1)
    # A vector is an n x 1 matrix: reuse the matrix path with column views.
    cdef T7Tensor rc, vc
    as_column(&rc, r)
    as_column(&vc, o.b)
    return finish(&o, matmul_into(&rc, beta, alpha, o.a, &vc))


cdef void as_column(T7Tensor *col, const T7Tensor *vec) noexcept nogil:
    memcpy(col, vec, sizeof(T7Tensor))
    col._ndim = 2
    col._size[1] = 1
    col._stride[1] = 1


cdef public int t7_addr(T7Tensor *r, double beta, const T7Tensor *m, double alpha,
                        const T7Tensor *x, const T7Tensor *y) noexcept nogil:
    if check_matrix_types(r, m, x, y) != 0:
        return -1
    if x._ndim != 1 or y._ndim != 1:
        return t7_fail("vectors expected, got %dD, %dD tensors", x._ndim, y._ndim)
    if m._ndim != 2 or m._size[0] != x._size[0] or m._size[1] != y._size[0]:
        return t7_fail("size mismatch: the matrix must be [%lld x %lld]",
                       <ll>x._size[0], <ll>y._size[0])
    cdef Operands o
    if protect(&o, r, x, y) != 0:
        return -1
    if start_from(r, m) != 0:
        return finish(&o, -1)
    # The outer product is the matrix product of a column and a row.
    cdef T7Tensor xc, yr
    as_column(&xc, o.a)
    memcpy(&yr, o.b, sizeof(T7Tensor))
    yr._ndim = 2
    yr._size[0] = 1
    yr._stride[0] = o.b._size[0]
    yr._size[1] = o.b._size[0]
    yr._stride[1] = o.b._stride[0]
    return finish(&o, matmul_into(r, beta, alpha, &xc, &yr))


cdef double dot_range(real *tag, const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    cdef Walker wa, wb
    walker_init(&wa, a, 0)
    walker_init(&wb, b, 0)
    cdef int64_t n, i, sa, sb, left = nelement(a)
    cdef double acc = 0
    cdef real *pa
    cdef real *pb
    while left > 0:
        n = min2(left, min2(walker_run(&wa), walker_run(&wb)))
        pa = <real *>wa.ptr
        pb = <real *>wb.ptr
        sa = walker_step(&wa, sizeof(real))
        sb = walker_step(&wb, sizeof(real))
        if real is double and n <= BLAS_INT_MAX and sa <= BLAS_INT_MAX and sb <= BLAS_INT_MAX:
            acc += scipy_cblas_ddot(<int>n, pa, <int>sa, pb, <int>sb)
        elif real is float and n <= BLAS_INT_MAX and sa <= BLAS_INT_MAX and sb <= BLAS_INT_MAX:
            acc += scipy_cblas_sdot(<int>n, pa, <int>sa, pb, <int>sb)
        else:
            for i in range(n):
                acc += pa[i * sa] * pb[i * sb]
        walker_advance(&wa, n)
        walker_advance(&wb, n)
        left -= n
    return acc


cdef public int t7_dot(const T7Tensor *a, const T7Tensor *b, double *out) noexcept nogil:
    if supported(a) != 0 or same_type(a, b) != 0 or \
            check_counts("tensor", a, "src", b, NULL, NULL) != 0:
        return -1
    cdef int dt = a._dtype
    if dt == T7_BYTE:
        out[0] = dot_range(<uint8_t *>NULL, a, b)
    elif dt == T7_CHAR:
        out[0] = dot_range(<int8_t *>NULL, a, b)
    elif dt == T7_SHORT:
        out[0] = dot_range(<int16_t *>NULL, a, b)
    elif dt == T7_INT:
        out[0] = dot_range(<int32_t *>NULL, a, b)
    elif dt == T7_LONG:
        out[0] = dot_range(<int64_t *>NULL, a, b)
    elif dt == T7_FLOAT:
        out[0] = dot_range(<float *>NULL, a, b)
    else:
        out[0] = dot_range(<double *>NULL, a, b)
    return 0


# ---- batched products ----------------------------------------------------------------------
# One addmm per batch on borrowed views of the operands' matrices; addmm itself splits large
# products across threads.

cdef void matrix_view(T7Tensor *view, const T7Tensor *batch, int64_t i) noexcept nogil:
    """A borrowed view of batch[i] (0-based) of a 3-D tensor."""
    memcpy(view, batch, sizeof(T7Tensor))
    view._offset = batch._offset + i * batch._stride[0]
    view._ndim = 2
    view._size[0], view._size[1] = batch._size[1], batch._size[2]
    view._stride[0], view._stride[1] = batch._stride[1], batch._stride[2]


cdef int check_batches(const T7Tensor *b1, const T7Tensor *b2) noexcept nogil:
    if b1._ndim != 3 or b2._ndim != 3:
        return t7_fail("expected 3D tensors, got %dD, %dD", b1._ndim, b2._ndim)
    if b1._size[0] != b2._size[0]:
        return t7_fail("equal number of batches expected, got %lld, %lld",
                       <ll>b1._size[0], <ll>b2._size[0])
    if b1._size[2] != b2._size[1]:
        return t7_fail("wrong matrix size, batch1: %lldx%lld, batch2: %lldx%lld",
                       <ll>b1._size[1], <ll>b1._size[2], <ll>b2._size[1], <ll>b2._size[2])
    return 0


cdef int start_batched(T7Tensor *r, double beta, const T7Tensor *m) noexcept nogil:
    """r = m before the products are added (not copied when beta is 0: it is then ignored)."""
    if r == m:
        return 0
    if t7_tensor_resize_as(r, m) != 0:
        return -1
    return t7_tensor_copy(r, m) if beta != 0 else 0


cdef public int t7_baddbmm(T7Tensor *r, double beta, const T7Tensor *m, double alpha,
                           const T7Tensor *b1, const T7Tensor *b2) noexcept nogil:
    if check_matrix_types(r, m, b1, b2) != 0 or check_batches(b1, b2) != 0:
        return -1
    if m._ndim != 3 or m._size[0] != b1._size[0] or m._size[1] != b1._size[1] \
            or m._size[2] != b2._size[2]:
        return t7_fail("output tensor of incorrect size")
    if start_batched(r, beta, m) != 0:
        return -1
    cdef T7Tensor rm, m1, m2
    cdef int64_t i
    for i in range(b1._size[0]):
        matrix_view(&rm, r, i)
        matrix_view(&m1, b1, i)
        matrix_view(&m2, b2, i)
        if t7_addmm(&rm, beta, &rm, alpha, &m1, &m2) != 0:
            return -1
    return 0


cdef public int t7_addbmm(T7Tensor *r, double beta, const T7Tensor *m, double alpha,
                          const T7Tensor *b1, const T7Tensor *b2) noexcept nogil:
    if check_matrix_types(r, m, b1, b2) != 0 or check_batches(b1, b2) != 0:
        return -1
    if m._ndim != 2 or m._size[0] != b1._size[1] or m._size[1] != b2._size[2]:
        return t7_fail("output tensor of incorrect size")
    if start_batched(r, beta, m) != 0:
        return -1
    cdef T7Tensor m1, m2
    cdef int64_t i
    for i in range(b1._size[0]):
        matrix_view(&m1, b1, i)
        matrix_view(&m2, b2, i)
        if t7_addmm(r, beta, r, alpha, &m1, &m2) != 0:
            return -1
        beta = 1        # the first product scales the start, the others add to it
    return 0
