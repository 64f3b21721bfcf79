# Linear algebra on Float and Double tensors through the LAPACK of the scipy-openblas32 wheel,
# with Torch7's conventions (lib/TH/generic/THTensorLapack.c): LAPACK reads and writes
# column-major matrices, so the matrices these functions return are column-major (strides
# 1, rows: the transpose of a contiguous tensor); a result tensor that is also the input
# is worked on in place when it already has that layout; results keep their strides when
# they were given with the right size. Argument errors and LAPACK's failures give Torch7's
# messages.

cdef extern from * nogil:
    """
    /* lapack.h names each routine through LAPACK_GLOBAL; the wheel's symbols carry a scipy_
       prefix. No complex routine is called: plain structs keep <complex.h> (and its macro I)
       out of the generated code. */
    #define LAPACK_GLOBAL(lcname, UCNAME) scipy_##lcname##_
    #define LAPACK_COMPLEX_CUSTOM
    typedef struct { float re, im; } t7_lapack_complex_float;
    typedef struct { double re, im; } t7_lapack_complex_double;
    #define lapack_complex_float t7_lapack_complex_float
    #define lapack_complex_double t7_lapack_complex_double
    #include <lapack.h>

    /* Torch7's THArgCheck messages: `bad argument #n to 'name' (message)`. */
    static int t7_arg_fail(int argn, const char *name, const char *fmt, ...) {
        char message[768];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
        return t7_fail("bad argument #%d to '%s' (%s)", argn, name, message);
    }
    """
    int t7_arg_fail(int argn, const char *name, const char *fmt, ...)

    # Routines without option letters.
    void sgesv "LAPACK_sgesv"(const int *n, const int *nrhs, float *a, const int *lda,
                              int *ipiv, float *b, const int *ldb, int *info)
    void dgesv "LAPACK_dgesv"(const int *n, const int *nrhs, double *a, const int *lda,
                              int *ipiv, double *b, const int *ldb, int *info)
    void sgetrf "LAPACK_sgetrf"(const int *m, const int *n, float *a, const int *lda,
                                int *ipiv, int *info)
    void dgetrf "LAPACK_dgetrf"(const int *m, const int *n, double *a, const int *lda,
                                int *ipiv, int *info)
    void sgetri "LAPACK_sgetri"(const int *n, float *a, const int *lda, const int *ipiv,
                                float *work, const int *lwork, int *info)
    void dgetri "LAPACK_dgetri"(const int *n, double *a, const int *lda, const int *ipiv,
                                double *work, const int *lwork, int *info)
    void sgeqrf "LAPACK_sgeqrf"(const int *m, const int *n, float *a, const int *lda,
                                float *tau, float *work, const int *lwork, int *info)
    void dgeqrf "LAPACK_dgeqrf"(const int *m, const int *n, double *a, const int *lda,
                                double *tau, double *work, const int *lwork, int *info)
    void sorgqr "LAPACK_sorgqr"(const int *m, const int *n, const int *k, float *a,
                                const int *lda, const float *tau, float *work,
                                const int *lwork, int *info)
    void dorgqr "LAPACK_dorgqr"(const int *m, const int *n, const int *k, double *a,
                                const int *lda, const double *tau, double *work,
                                const int *lwork, int *info)
    # Routines with option letters take the Fortran string lengths last.
    void strtrs "LAPACK_strtrs_base"(const char *uplo, const char *trans, const char *diag,
                                     const int *n, const int *nrhs, const float *a,
                                     const int *lda, float *b, const int *ldb, int *info,
                                     size_t, size_t, size_t)
    void dtrtrs "LAPACK_dtrtrs_base"(const char *uplo, const char *trans, const char *diag,
                                     const int *n, const int *nrhs, const double *a,
                                     const int *lda, double *b, const int *ldb, int *info,
                                     size_t, size_t, size_t)
    void sgels "LAPACK_sgels_base"(const char *trans, const int *m, const int *n,
                                   const int *nrhs, float *a, const int *lda, float *b,
                                   const int *ldb, float *work, const int *lwork, int *info,
                                   size_t)
    void dgels "LAPACK_dgels_base"(const char *trans, const int *m, const int *n,
                                   const int *nrhs, double *a, const int *lda, double *b,
                                   const int *ldb, double *work, const int *lwork, int *info,
                                   size_t)
    void ssyev "LAPACK_ssyev_base"(const char *jobz, const char *uplo, const int *n, float *a,
                                   const int *lda, float *w, float *work, const int *lwork,
                                   int *info, size_t, size_t)
    void dsyev "LAPACK_dsyev_base"(const char *jobz, const char *uplo, const int *n, double *a,
                                   const int *lda, double *w, double *work, const int *lwork,
                                   int *info, size_t, size_t)
    void sgeev "LAPACK_sgeev_base"(const char *jobvl, const char *jobvr, const int *n,
                                   float *a, const int *lda, float *wr, float *wi, float *vl,
                                   const int *ldvl, float *vr, const int *ldvr, float *work,
                                   const int *lwork, int *info, size_t, size_t)
    void dgeev "LAPACK_dgeev_base"(const char *jobvl, const char *jobvr, const int *n,
                                   double *a, const int *lda, double *wr, double *wi,
                                   double *vl, const int *ldvl, double *vr, const int *ldvr,
                                   double *work, const int *lwork, int *info, size_t, size_t)
    void sgesvd "LAPACK_sgesvd_base"(const char *jobu, const char *jobvt, const int *m,
                                     const int *n, float *a, const int *lda, float *s,
                                     float *u, const int *ldu, float *vt, const int *ldvt,
                                     float *work, const int *lwork, int *info, size_t, size_t)
    void dgesvd "LAPACK_dgesvd_base"(const char *jobu, const char *jobvt, const int *m,
                                     const int *n, double *a, const int *lda, double *s,
                                     double *u, const int *ldu, double *vt, const int *ldvt,
                                     double *work, const int *lwork, int *info, size_t, size_t)
    void spotrf "LAPACK_spotrf_base"(const char *uplo, const int *n, float *a, const int *lda,
                                     int *info, size_t)
    void dpotrf "LAPACK_dpotrf_base"(const char *uplo, const int *n, double *a,
                                     const int *lda, int *info, size_t)
    void spotrs "LAPACK_spotrs_base"(const char *uplo, const int *n, const int *nrhs,
                                     const float *a, const int *lda, float *b, const int *ldb,
                                     int *info, size_t)
    void dpotrs "LAPACK_dpotrs_base"(const char *uplo, const int *n, const int *nrhs,
                                     const double *a, const int *lda, double *b,
                                     const int *ldb, int *info, size_t)
    void spotri "LAPACK_spotri_base"(const char *uplo, const int *n, float *a, const int *lda,
                                     int *info, size_t)
    void dpotri "LAPACK_dpotri_base"(const char *uplo, const int *n, double *a,
                                     const int *lda, int *info, size_t)
    void spstrf "LAPACK_spstrf_base"(const char *uplo, const int *n, float *a, const int *lda,
                                     int *piv, int *rank, const float *tol, float *work,
                                     int *info, size_t)
    void dpstrf "LAPACK_dpstrf_base"(const char *uplo, const int *n, double *a,
                                     const int *lda, int *piv, int *rank, const double *tol,
                                     double *work, int *info, size_t)
    void sormqr "LAPACK_sormqr_base"(const char *side, const char *trans, const int *m,
                                     const int *n, const int *k, const float *a,
                                     const int *lda, const float *tau, float *c,
                                     const int *ldc, float *work, const int *lwork, int *info,
                                     size_t, size_t)
    void dormqr "LAPACK_dormqr_base"(const char *side, const char *trans, const int *m,
                                     const int *n, const int *k, const double *a,
                                     const int *lda, const double *tau, double *c,
                                     const int *ldc, double *work, const int *lwork, int *info,
                                     size_t, size_t)

ctypedef fused lreal:
    float
    double

cdef enum:
    LAPACK_INT_MAX = 2147483647


# ------------------------------------------------------------------------------------------
# Matrices as LAPACK wants them

cdef inline bint is_column_major(const T7Tensor *t, int64_t rows, int64_t cols) noexcept nogil:
    """Whether t is a rows x cols matrix stored column by column with no gap (ld == rows)."""
    return (t._ndim == 2 and t._size[0] == rows and t._size[1] == cols
            and (rows == 1 or t._stride[0] == 1) and (cols == 1 or t._stride[1] == rows))


cdef bint shares_storage(const T7Tensor *t, const T7Tensor *o1, const T7Tensor *o2,
                         const T7Tensor *o3) noexcept nogil:
    """Whether t's memory may be that of another tensor of the call (o1..o3, or NULL)."""
    if t._storage == NULL:
        return False
    return ((o1 != NULL and o1._storage == t._storage)
            or (o2 != NULL and o2._storage == t._storage)
            or (o3 != NULL and o3._storage == t._storage))


cdef int distinct_results(const char *name, const T7Tensor *a, const T7Tensor *b,
                          const T7Tensor *c) noexcept nogil:
    """Results of one call must be different tensors (each gets its own geometry)."""
    if a == b or (c != NULL and (a == c or b == c)):
        return t7_fail("torch.%s: the result tensors must be different tensors", name)
    return 0


cdef T7Tensor *new_column_major(int dtype, int64_t rows, int64_t cols) noexcept nogil:
    cdef T7Tensor *t = t7_tensor_new(dtype)
    cdef int64_t size[2]
    cdef int64_t stride[2]
    if t == NULL:
        return NULL
    size[0] = rows
    size[1] = cols
    stride[0] = 1
    stride[1] = rows
    if t7_tensor_resize(t, 2, size, stride) != 0:
        t7_tensor_release(t)
        return NULL
    return t


cdef T7Tensor *column_major_result(T7Tensor *result, int64_t rows, int64_t cols,
                                   const T7Tensor *o1, const T7Tensor *o2,
                                   const T7Tensor *o3) noexcept nogil:
    """The rows x cols column-major matrix LAPACK writes a result into: `result` itself
    (resized as Torch7 does: to cols x rows, then transposed if contiguous) when that gives
    the layout and it shares no memory with the other tensors o1..o3; otherwise a new
    matrix, which hand_over() copies into `result`. A new reference, or NULL."""
    cdef int64_t size[2]
    if not shares_storage(result, o1, o2, o3):
        size[0] = cols
        size[1] = rows
        if t7_tensor_resize(result, 2, size, NULL) != 0:
            return NULL
        if contiguous(result):
            t7_tensor_transpose(result, result, 0, 1)
        if is_column_major(result, rows, cols):
            t7_tensor_retain(result)
            return result
    return new_column_major(result._dtype, rows, cols)


cdef T7Tensor *working_copy(T7Tensor *result, const T7Tensor *src, int64_t rows,
                            const T7Tensor *o1, const T7Tensor *o2) noexcept nogil:
    """A column-major matrix of `rows` rows (at least src's) holding src in its first rows,
    for LAPACK to overwrite (Torch7's cloneColumnMajorNrows): src itself when it is the
    result and already has that layout, else as column_major_result. NULL for result means
    a new matrix in any case."""
    cdef int64_t cols = src._size[1]
    cdef T7Tensor *work
    cdef T7Tensor top
    if (result == src and is_column_major(src, rows, cols)
            and not shares_storage(src, o1, o2, NULL)):
        t7_tensor_retain(result)
        return result
    if result == NULL or result == src:
        work = new_column_major(src._dtype, rows, cols)
    else:
        work = column_major_result(result, rows, cols, src, o1, o2)
    if work == NULL:
        return NULL
    memcpy(&top, work, sizeof(T7Tensor))
    top._size[0] = src._size[0]
    if t7_tensor_copy(&top, src) != 0:
        t7_tensor_release(work)
        return NULL
    return work


cdef T7Tensor *contiguous_result(T7Tensor *result, int ndim, const int64_t *size,
                                 const T7Tensor *o1, const T7Tensor *o2) noexcept nogil:
    """A contiguous tensor of the given size for LAPACK to write: result itself when it is
    contiguous once resized and shares no memory with o1, o2; else a new tensor that
    hand_over() copies into it."""
    cdef T7Tensor *work
    if not shares_storage(result, o1, o2, NULL):
        if t7_tensor_resize(result, ndim, size, NULL) != 0:
            return NULL
        if contiguous(result):
            t7_tensor_retain(result)
            return result
    work = t7_tensor_new(result._dtype)
    if work != NULL and t7_tensor_resize(work, ndim, size, NULL) != 0:
        t7_tensor_release(work)
        return NULL
    return work


cdef int hand_over(T7Tensor *work, T7Tensor *result, int status) noexcept nogil:
    """Hands a working tensor's content to the result it stood for (Torch7's freeCopyTo:
    the result, resized to the work's size, keeps its strides) and drops the work."""
    if work == NULL:
        return status
    if status == 0 and result != NULL and work != result:
        if t7_tensor_resize(result, work._ndim, work._size, NULL) != 0:
            status = -1
        elif t7_tensor_copy(result, work) != 0:
            status = -1
    t7_tensor_release(work)
    return status


cdef inline int leading_dim(const T7Tensor *t) noexcept nogil:
    return <int>(t._size[0] if t._size[0] > 1 else 1)


cdef void clear_triangle(lreal *tag, T7Tensor *a, char keep) noexcept nogil:
    """Zeroes the triangle of a square column-major matrix that `keep` ('U' or 'L') leaves
    out (LAPACK leaves the input there)."""
    cdef int64_t n = a._size[0], i, j
    cdef lreal *p = <lreal *>tensor_data(a)
    for j in range(n):
        if keep == b'U':
            for i in range(j + 1, n):
                p[j * n + i] = 0
        else:
            for i in range(j):
                p[j * n + i] = 0


cdef void mirror_triangle(lreal *tag, T7Tensor *a, char source) noexcept nogil:
    """Makes a square column-major matrix symmetric from its `source` triangle."""
    cdef int64_t n = a._size[0], i, j
    cdef lreal *p = <lreal *>tensor_data(a)
    for j in range(n):
        if source == b'U':
            for i in range(j + 1, n):
                p[j * n + i] = p[i * n + j]
        else:
            for i in range(j):
                p[j * n + i] = p[i * n + j]


cdef lreal *lapack_workspace(lreal *tag, lreal optimal, int *lwork) noexcept nogil:
    """The work array a workspace query asked for (LAPACK returns its size as a real)."""
    lwork[0] = <int>optimal if optimal >= 1 else 1
    cdef lreal *work = <lreal *>malloc(lwork[0] * sizeof(lreal))
    if work == NULL:
        t7_fail("not enough memory for LAPACK's workspace (%d elements)", lwork[0])
    return work


# ------------------------------------------------------------------------------------------
# Argument checks

cdef int lapack_types(const char *name, const T7Tensor *a, const T7Tensor *b,
                      const T7Tensor *c, const T7Tensor *d, const T7Tensor *e) noexcept nogil:
    """All given tensors Float, or all Double."""
    if a._dtype != T7_FLOAT and a._dtype != T7_DOUBLE:
        return t7_fail("torch.%s is only defined for FloatTensor and DoubleTensor, got a "
                       "%sTensor", name, TYPE_NAMES[a._dtype])
    if ((b != NULL and b._dtype != a._dtype) or (c != NULL and c._dtype != a._dtype)
            or (d != NULL and d._dtype != a._dtype) or (e != NULL and e._dtype != a._dtype)):
        return t7_fail("torch.%s: all tensors must be %sTensors", name, TYPE_NAMES[a._dtype])
    return 0


cdef int check_square(const char *name, const T7Tensor *a, int argn) noexcept nogil:
    if a._ndim != 2:
        return t7_arg_fail(argn, name, "A should be 2 dimensional")
    if a._size[0] != a._size[1]:
        return t7_arg_fail(argn, name, "A should be square")
    return check_lapack_size(name, a)


cdef int check_lapack_size(const char *name, const T7Tensor *a) noexcept nogil:
    if a._size[0] > LAPACK_INT_MAX or a._size[1] > LAPACK_INT_MAX:
        return t7_fail("torch.%s: matrix dimensions beyond 2^31 are not supported", name)
    return 0


cdef int check_system(const char *name, const T7Tensor *b, const T7Tensor *a,
                      bint square) noexcept nogil:
    """The checks of the solvers AX = B (gesv, trtrs, gels, potrs)."""
    if a._ndim != 2:
        return t7_arg_fail(2, name, "A should have 2 dimensions, but has %d", a._ndim)
    if b._ndim != 1 and b._ndim != 2:
        return t7_arg_fail(1, name, "B should have 1 or 2 dimensions, but has %d", b._ndim)
    if square and a._size[0] != a._size[1]:
        return t7_arg_fail(2, name, "A should be square, but is %lldx%lld", <ll>a._size[0],
                           <ll>a._size[1])
    if a._size[0] != b._size[0]:
        return t7_arg_fail(2, name, "A,B size incompatible - A has %lld rows, B has %lld",
                           <ll>a._size[0], <ll>b._size[0])
    if b._ndim == 2 and b._size[1] > LAPACK_INT_MAX:
        return t7_fail("torch.%s: matrix dimensions beyond 2^31 are not supported", name)
    return check_lapack_size(name, a)


cdef T7Tensor *solution_copy(T7Tensor *rb, const T7Tensor *b, int64_t rows,
                             const T7Tensor *o1, const T7Tensor *o2) noexcept nogil:
    """working_copy of the right-hand side B; a vector is solved for as a one-column matrix
    (and the solution is a matrix, as in Torch7)."""
    cdef T7Tensor column
    if b._ndim == 2:
        return working_copy(rb, b, rows, o1, o2)
    memcpy(&column, b, sizeof(T7Tensor))
    column._ndim = 2
    column._size[1] = 1
    column._stride[1] = 1
    return working_copy(rb, &column, rows, o1, o2)


cdef int option_letter(const char *name, const char *value, const char *allowed,
                       char *out) noexcept nogil:
    """The first letter of an option string, one of `allowed`."""
    cdef int i = 0
    if value != NULL and value[0] != 0:
        while allowed[i] != 0:
            if allowed[i] == value[0]:
                out[0] = value[0]
                return 0
            i += 1
    if value == NULL:
        value = ""
    return t7_fail("torch.%s: invalid option '%s' (expected one of %s)", name, value, allowed)


cdef int lapack_status(const char *routine, int info, const char *fmt) noexcept nogil:
    """Torch7's report of a LAPACK failure (THLapackCheck): fmt takes the routine's name and
    info twice."""
    if info < 0:
        return t7_fail("Lapack Error in %s : Illegal Argument %d", routine, -info)
    if info > 0:
        return t7_fail(fmt, routine, info, info)
    return 0


# ------------------------------------------------------------------------------------------
# Linear systems

cdef int gesv_run(lreal *tag, T7Tensor *b, T7Tensor *a) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *b_data = <lreal *>tensor_data(b)
    cdef int n = <int>a._size[0], nrhs = <int>b._size[1], info = 0
    cdef int lda = leading_dim(a), ldb = leading_dim(b)
    cdef int *ipiv = <int *>malloc(n * sizeof(int))
    if ipiv == NULL:
        return t7_fail("not enough memory for %d pivots", n)
    if lreal is float:
        sgesv(&n, &nrhs, a_data, &lda, ipiv, b_data, &ldb, &info)
    else:
        dgesv(&n, &nrhs, a_data, &lda, ipiv, b_data, &ldb, &info)
    free(ipiv)
    return lapack_status("gesv", info, "Lapack Error in %s : U(%d,%d) is zero, singular U.")


cdef public int t7_gesv(T7Tensor *rb, T7Tensor *ra, const T7Tensor *b,
                        const T7Tensor *a) noexcept nogil:
    if (lapack_types("gesv", rb, ra, b, a, NULL) != 0
            or distinct_results("gesv", rb, ra, NULL) != 0
            or check_system("gesv", b, a, True) != 0):
        return -1
    cdef T7Tensor *wa = working_copy(ra, a, a._size[0], b, rb)
    if wa == NULL:
        return -1
    cdef T7Tensor *wb = solution_copy(rb, b, b._size[0], wa, ra)
    if wb == NULL:
        return hand_over(wa, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = gesv_run(<float *>NULL, wb, wa)
    else:
        status = gesv_run(<double *>NULL, wb, wa)
    status = hand_over(wa, ra, status)
    return hand_over(wb, rb, status)


cdef int trtrs_run(lreal *tag, T7Tensor *b, T7Tensor *a, char uplo, char trans,
                   char diag) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *b_data = <lreal *>tensor_data(b)
    cdef int n = <int>a._size[0], nrhs = <int>b._size[1], info = 0
    cdef int lda = leading_dim(a), ldb = leading_dim(b)
    if lreal is float:
        strtrs(&uplo, &trans, &diag, &n, &nrhs, a_data, &lda, b_data, &ldb,
               &info, 1, 1, 1)
    else:
        dtrtrs(&uplo, &trans, &diag, &n, &nrhs, a_data, &lda, b_data, &ldb,
               &info, 1, 1, 1)
    return lapack_status("trtrs", info, "Lapack Error in %s : A(%d,%d) is zero, singular A")


cdef public int t7_trtrs(T7Tensor *rb, T7Tensor *ra, const T7Tensor *b, const T7Tensor *a,
                         const char *uplo, const char *trans, const char *diag) noexcept nogil:
    cdef char u = 0, t = 0, d = 0
    if (lapack_types("trtrs", rb, ra, b, a, NULL) != 0
            or distinct_results("trtrs", rb, ra, NULL) != 0
            or option_letter("trtrs", uplo, b"UL", &u) != 0
            or option_letter("trtrs", trans, b"NT", &t) != 0
            or option_letter("trtrs", diag, b"NU", &d) != 0
            or check_system("trtrs", b, a, True) != 0):
        return -1
    cdef T7Tensor *wa = working_copy(ra, a, a._size[0], b, rb)
    if wa == NULL:
        return -1
    cdef T7Tensor *wb = solution_copy(rb, b, b._size[0], wa, ra)
    if wb == NULL:
        return hand_over(wa, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = trtrs_run(<float *>NULL, wb, wa, u, t, d)
    else:
        status = trtrs_run(<double *>NULL, wb, wa, u, t, d)
    status = hand_over(wa, ra, status)
    return hand_over(wb, rb, status)


cdef int gels_run(lreal *tag, T7Tensor *b, T7Tensor *a) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *b_data = <lreal *>tensor_data(b)
    cdef int m = <int>a._size[0], n = <int>a._size[1], nrhs = <int>b._size[1]
    cdef int lda = leading_dim(a), ldb = leading_dim(b), info = 0, lwork = -1
    cdef char trans = b'N'
    cdef lreal optimal = 0
    cdef lreal *work
    if lreal is float:
        sgels(&trans, &m, &n, &nrhs, a_data, &lda, b_data, &ldb, &optimal,
              &lwork, &info, 1)
    else:
        dgels(&trans, &m, &n, &nrhs, a_data, &lda, b_data, &ldb, &optimal,
              &lwork, &info, 1)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        return -1
    if lreal is float:
        sgels(&trans, &m, &n, &nrhs, a_data, &lda, b_data, &ldb, work,
              &lwork, &info, 1)
    else:
        dgels(&trans, &m, &n, &nrhs, a_data, &lda, b_data, &ldb, work,
              &lwork, &info, 1)
    free(work)
    return lapack_status("gels", info, "Lapack Error in %s : The %d-th diagonal element of "
                         "the triangular factor of A is zero")


cdef public int t7_gels(T7Tensor *rb, T7Tensor *ra, const T7Tensor *b,
                        const T7Tensor *a) noexcept nogil:
    if (lapack_types("gels", rb, ra, b, a, NULL) != 0
            or distinct_results("gels", rb, ra, NULL) != 0
            or check_system("gels", b, a, False) != 0):
        return -1
    cdef int64_t m = a._size[0], n = a._size[1]
    cdef T7Tensor *wa = working_copy(ra, a, m, b, rb)
    if wa == NULL:
        return -1
    # B's rows hold the solution on return: n of them, which may be more than B has
    cdef T7Tensor *wb = solution_copy(rb, b, m if m > n else n, wa, ra)
    if wb == NULL:
        return hand_over(wa, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = gels_run(<float *>NULL, wb, wa)
    else:
        status = gels_run(<double *>NULL, wb, wa)
    wb._size[0] = n     # the solution; the rows below it hold residual terms
    status = hand_over(wa, ra, status)
    return hand_over(wb, rb, status)


# ------------------------------------------------------------------------------------------
# Eigenvalues and singular values

cdef int syev_run(lreal *tag, T7Tensor *e, T7Tensor *v, char jobz, char uplo) noexcept nogil:
    cdef lreal *v_data = <lreal *>tensor_data(v)
    cdef lreal *e_data = <lreal *>tensor_data(e)
    cdef int n = <int>v._size[0], lda = leading_dim(v), info = 0, lwork = -1
    cdef lreal optimal = 0
    cdef lreal *work
    if lreal is float:
        ssyev(&jobz, &uplo, &n, v_data, &lda, e_data, &optimal, &lwork,
              &info, 1, 1)
    else:
        dsyev(&jobz, &uplo, &n, v_data, &lda, e_data, &optimal, &lwork,
              &info, 1, 1)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        return -1
    if lreal is float:
        ssyev(&jobz, &uplo, &n, v_data, &lda, e_data, work, &lwork, &info,
              1, 1)
    else:
        dsyev(&jobz, &uplo, &n, v_data, &lda, e_data, work, &lwork, &info,
              1, 1)
    free(work)
    return lapack_status("syev", info,
                         "Lapack Error %s : %d off-diagonal elements didn't converge to zero")


cdef public int t7_syev(T7Tensor *re, T7Tensor *rv, const T7Tensor *a, const char *jobz,
                        const char *uplo) noexcept nogil:
    cdef char job = 0, u = 0
    if (lapack_types("symeig", re, rv, a, NULL, NULL) != 0
            or distinct_results("symeig", re, rv, NULL) != 0
            or option_letter("symeig", jobz, b"NV", &job) != 0
            or option_letter("symeig", uplo, b"UL", &u) != 0
            or check_square("symeig", a, 1) != 0):
        return -1
    cdef T7Tensor *wv = working_copy(rv, a, a._size[0], re, NULL)
    if wv == NULL:
        return -1
    cdef T7Tensor *we = contiguous_result(re, 1, a._size, rv, NULL)
    if we == NULL:
        return hand_over(wv, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = syev_run(<float *>NULL, we, wv, job, u)
    else:
        status = syev_run(<double *>NULL, we, wv, job, u)
    status = hand_over(wv, rv, status)
    return hand_over(we, re, status)


cdef int geev_run(lreal *tag, T7Tensor *e, T7Tensor *v, T7Tensor *a, char jobvr) noexcept nogil:
    cdef int n = <int>a._size[0], lda = leading_dim(a), ldvl = 1, ldvr = 1, info = 0, lwork = -1
    cdef int64_t i
    cdef char jobvl = b'N'
    cdef lreal optimal = 0
    cdef lreal *vr = NULL
    cdef lreal *work
    cdef lreal *wr = <lreal *>malloc(2 * n * sizeof(lreal))
    if wr == NULL:
        return t7_fail("not enough memory for %d eigenvalues", n)
    cdef lreal *wi = wr + n
    cdef lreal *a_data = <lreal *>tensor_data(a)
    # geev rejects a matrix holding a NaN as an illegal argument, and its error handler
    # prints that on stdout: reported here instead, with the same message
    for i in range(<int64_t>n * n):
        if a_data[i] != a_data[i]:
            free(wr)
            return lapack_status("geev", -4, NULL)
    if jobvr == b'V':
        vr = <lreal *>tensor_data(v)
        ldvr = n
    if lreal is float:
        sgeev(&jobvl, &jobvr, &n, a_data, &lda, wr, wi, NULL, &ldvl, vr, &ldvr,
              &optimal, &lwork, &info, 1, 1)
    else:
        dgeev(&jobvl, &jobvr, &n, a_data, &lda, wr, wi, NULL, &ldvl, vr, &ldvr,
              &optimal, &lwork, &info, 1, 1)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        free(wr)
        return -1
    if lreal is float:
        sgeev(&jobvl, &jobvr, &n, a_data, &lda, wr, wi, NULL, &ldvl, vr, &ldvr,
              work, &lwork, &info, 1, 1)
    else:
        dgeev(&jobvl, &jobvr, &n, a_data, &lda, wr, wi, NULL, &ldvl, vr, &ldvr,
              work, &lwork, &info, 1, 1)
    free(work)
    # eigenvalues as rows (real part, imaginary part)
    cdef lreal *pe = <lreal *>tensor_data(e)
    for i in range(n):
        pe[2 * i] = wr[i]
        pe[2 * i + 1] = wi[i]
    free(wr)
    return lapack_status("geev", info, " Lapack Error in %s : %d off-diagonal elements of an "
                         "didn't converge to zero")


cdef public int t7_geev(T7Tensor *re, T7Tensor *rv, const T7Tensor *a,
                        const char *jobvr) noexcept nogil:
    cdef char job = 0
    if (lapack_types("eig", re, rv, a, NULL, NULL) != 0
            or distinct_results("eig", re, rv, NULL) != 0
            or option_letter("eig", jobvr, b"NV", &job) != 0
            or check_square("eig", a, 1) != 0):
        return -1
    cdef int64_t n = a._size[0]
    cdef int64_t esize[2]
    esize[0] = n
    esize[1] = 2
    cdef T7Tensor *wa = working_copy(NULL, a, n, NULL, NULL)
    if wa == NULL:
        return -1
    cdef T7Tensor *wv = NULL
    if job == b'V':
        wv = column_major_result(rv, n, n, a, re, NULL)
        if wv == NULL:
            return hand_over(wa, NULL, -1)
    cdef T7Tensor *we = contiguous_result(re, 2, esize, rv, NULL)
    if we == NULL:
        return hand_over(wv, NULL, hand_over(wa, NULL, -1))
    cdef int status
    if a._dtype == T7_FLOAT:
        status = geev_run(<float *>NULL, we, wv, wa, job)
    else:
        status = geev_run(<double *>NULL, we, wv, wa, job)
    status = hand_over(wa, NULL, status)
    status = hand_over(wv, rv, status)
    return hand_over(we, re, status)


cdef int gesvd_run(lreal *tag, T7Tensor *u, T7Tensor *s, T7Tensor *vt, T7Tensor *a,
                   char job) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *s_data = <lreal *>tensor_data(s)
    cdef lreal *u_data = <lreal *>tensor_data(u)
    cdef lreal *vt_data = <lreal *>tensor_data(vt)
    cdef int m = <int>a._size[0], n = <int>a._size[1], ldvt = n
    cdef int lda = leading_dim(a), ldu = leading_dim(u)
    cdef int info = 0, lwork = -1
    cdef lreal optimal = 0
    cdef lreal *work
    if lreal is float:
        sgesvd(&job, &job, &m, &n, a_data, &lda, s_data, u_data,
               &ldu, vt_data, &ldvt, &optimal, &lwork, &info, 1, 1)
    else:
        dgesvd(&job, &job, &m, &n, a_data, &lda, s_data, u_data,
               &ldu, vt_data, &ldvt, &optimal, &lwork, &info, 1, 1)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        return -1
    if lreal is float:
        sgesvd(&job, &job, &m, &n, a_data, &lda, s_data, u_data,
               &ldu, vt_data, &ldvt, work, &lwork, &info, 1, 1)
    else:
        dgesvd(&job, &job, &m, &n, a_data, &lda, s_data, u_data,
               &ldu, vt_data, &ldvt, work, &lwork, &info, 1, 1)
    free(work)
    return lapack_status("gesvd", info, " Lapack Error %s : %d superdiagonals failed to "
                         "converge.")


cdef public int t7_gesvd(T7Tensor *ru, T7Tensor *rs, T7Tensor *rv, const T7Tensor *a,
                         const char *jobu) noexcept nogil:
    cdef char job = 0
    if (lapack_types("svd", ru, rs, rv, a, NULL) != 0 or distinct_results("svd", ru, rs, rv) != 0
            or option_letter("svd", jobu, b"AS", &job) != 0):
        return -1
    if a._ndim != 2:
        return t7_arg_fail(1, "svd", "A should be 2 dimensional")
    if check_lapack_size("svd", a) != 0:
        return -1
    cdef int64_t m = a._size[0], n = a._size[1], k = m if m < n else n
    cdef int64_t vsize[2]
    vsize[0] = n
    vsize[1] = n
    cdef T7Tensor *wa = working_copy(NULL, a, m, NULL, NULL)
    if wa == NULL:
        return -1
    cdef T7Tensor *wu = column_major_result(ru, m, m if job == b'A' else k, a, rs, rv)
    cdef T7Tensor *ws = contiguous_result(rs, 1, &k, ru, rv) if wu != NULL else NULL
    # LAPACK writes V^T column by column; read row by row, the same memory holds V
    cdef T7Tensor *wv = t7_tensor_new(a._dtype) if ws != NULL else NULL
    if wv == NULL or t7_tensor_resize(wv, 2, vsize, NULL) != 0:
        return hand_over(wv, NULL, hand_over(ws, NULL, hand_over(wu, NULL,
                                                              hand_over(wa, NULL, -1))))
    cdef int status
    if a._dtype == T7_FLOAT:
        status = gesvd_run(<float *>NULL, wu, ws, wv, wa, job)
    else:
        status = gesvd_run(<double *>NULL, wu, ws, wv, wa, job)
    if job == b'S':
        wv._size[1] = k
    status = hand_over(wa, NULL, status)
    status = hand_over(wu, ru, status)
    status = hand_over(ws, rs, status)
    return hand_over(wv, rv, status)


# ------------------------------------------------------------------------------------------
# Inverses and Cholesky factorizations

cdef int getri_run(lreal *tag, T7Tensor *a) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef int n = <int>a._size[0], lda = leading_dim(a), info = 0, lwork = -1
    cdef lreal optimal = 0
    cdef lreal *work
    cdef int *ipiv = <int *>malloc(n * sizeof(int))
    if ipiv == NULL:
        return t7_fail("not enough memory for %d pivots", n)
    if lreal is float:
        sgetrf(&n, &n, a_data, &lda, ipiv, &info)
    else:
        dgetrf(&n, &n, a_data, &lda, ipiv, &info)
    if lapack_status("getrf", info, "Lapack Error %s : U(%d,%d) is 0, U is singular") != 0:
        free(ipiv)
        return -1
    if lreal is float:
        sgetri(&n, a_data, &lda, ipiv, &optimal, &lwork, &info)
    else:
        dgetri(&n, a_data, &lda, ipiv, &optimal, &lwork, &info)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        free(ipiv)
        return -1
    if lreal is float:
        sgetri(&n, a_data, &lda, ipiv, work, &lwork, &info)
    else:
        dgetri(&n, a_data, &lda, ipiv, work, &lwork, &info)
    free(work)
    free(ipiv)
    return lapack_status("getri", info, "Lapack Error %s : U(%d,%d) is 0, U is singular")


cdef public int t7_getri(T7Tensor *ra, const T7Tensor *a) noexcept nogil:
    if lapack_types("inverse", ra, a, NULL, NULL, NULL) != 0 or check_square("inverse", a, 1) != 0:
        return -1
    cdef T7Tensor *wa = working_copy(ra, a, a._size[0], NULL, NULL)
    if wa == NULL:
        return -1
    cdef int status
    if a._dtype == T7_FLOAT:
        status = getri_run(<float *>NULL, wa)
    else:
        status = getri_run(<double *>NULL, wa)
    return hand_over(wa, ra, status)


cdef int potrf_run(lreal *tag, T7Tensor *a, char uplo) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef int n = <int>a._size[0], lda = leading_dim(a), info = 0
    if lreal is float:
        spotrf(&uplo, &n, a_data, &lda, &info, 1)
    else:
        dpotrf(&uplo, &n, a_data, &lda, &info, 1)
    if lapack_status("potrf", info, "Lapack Error in %s : the leading minor of order %d is "
                     "not positive definite") != 0:
        return -1
    clear_triangle(tag, a, uplo)
    return 0


cdef public int t7_potrf(T7Tensor *ra, const T7Tensor *a, const char *uplo) noexcept nogil:
    cdef char u = 0
    if (lapack_types("potrf", ra, a, NULL, NULL, NULL) != 0
            or option_letter("potrf", uplo, b"UL", &u) != 0 or check_square("potrf", a, 1) != 0):
        return -1
    cdef T7Tensor *wa = working_copy(ra, a, a._size[0], NULL, NULL)
    if wa == NULL:
        return -1
    cdef int status
    if a._dtype == T7_FLOAT:
        status = potrf_run(<float *>NULL, wa, u)
    else:
        status = potrf_run(<double *>NULL, wa, u)
    return hand_over(wa, ra, status)


cdef int potrs_run(lreal *tag, T7Tensor *b, T7Tensor *a, char uplo) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *b_data = <lreal *>tensor_data(b)
    cdef int n = <int>a._size[0], nrhs = <int>b._size[1], info = 0
    cdef int lda = leading_dim(a), ldb = leading_dim(b)
    if lreal is float:
        spotrs(&uplo, &n, &nrhs, a_data, &lda, b_data, &ldb, &info, 1)
    else:
        dpotrs(&uplo, &n, &nrhs, a_data, &lda, b_data, &ldb, &info, 1)
    return lapack_status("potrs", info, "Lapack Error in %s : A(%d,%d) is zero, singular A")


cdef public int t7_potrs(T7Tensor *rb, const T7Tensor *b, const T7Tensor *a,
                         const char *uplo) noexcept nogil:
    cdef char u = 0
    if (lapack_types("potrs", rb, b, a, NULL, NULL) != 0
            or option_letter("potrs", uplo, b"UL", &u) != 0
            or check_system("potrs", b, a, True) != 0):
        return -1
    cdef T7Tensor *wa = working_copy(NULL, a, a._size[0], NULL, NULL)
    if wa == NULL:
        return -1
    cdef T7Tensor *wb = solution_copy(rb, b, b._size[0], a, NULL)
    if wb == NULL:
        return hand_over(wa, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = potrs_run(<float *>NULL, wb, wa, u)
    else:
        status = potrs_run(<double *>NULL, wb, wa, u)
    status = hand_over(wa, NULL, status)
    return hand_over(wb, rb, status)


cdef int potri_run(lreal *tag, T7Tensor *a, char uplo) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef int n = <int>a._size[0], lda = leading_dim(a), info = 0
    if lreal is float:
        spotri(&uplo, &n, a_data, &lda, &info, 1)
    else:
        dpotri(&uplo, &n, a_data, &lda, &info, 1)
    if lapack_status("potri", info,
                     "Lapack Error %s : A(%d,%d) is 0, A cannot be factorized") != 0:
        return -1
    mirror_triangle(tag, a, uplo)
    return 0


cdef public int t7_potri(T7Tensor *ra, const T7Tensor *a, const char *uplo) noexcept nogil:
    cdef char u = 0
    if (lapack_types("potri", ra, a, NULL, NULL, NULL) != 0
            or option_letter("potri", uplo, b"UL", &u) != 0 or check_square("potri", a, 1) != 0):
        return -1
    cdef T7Tensor *wa = working_copy(ra, a, a._size[0], NULL, NULL)
    if wa == NULL:
        return -1
    cdef int status
    if a._dtype == T7_FLOAT:
        status = potri_run(<float *>NULL, wa, u)
    else:
        status = potri_run(<double *>NULL, wa, u)
    return hand_over(wa, ra, status)


cdef int pstrf_run(lreal *tag, T7Tensor *a, int *piv, char uplo, double tol) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef int n = <int>a._size[0], lda = leading_dim(a), rank = 0, info = 0
    cdef lreal tolerance = <lreal>tol
    cdef lreal *work = <lreal *>malloc(2 * n * sizeof(lreal))
    if work == NULL:
        return t7_fail("not enough memory for LAPACK's workspace (%d elements)", 2 * n)
    if lreal is float:
        spstrf(&uplo, &n, a_data, &lda, piv, &rank, &tolerance, work, &info, 1)
    else:
        dpstrf(&uplo, &n, a_data, &lda, piv, &rank, &tolerance, work, &info, 1)
    free(work)
    if lapack_status("pstrf", info, "Lapack Error %s : matrix is rank deficient or not "
                     "positive semidefinite") != 0:
        return -1
    clear_triangle(tag, a, uplo)
    return 0


cdef public int t7_pstrf(T7Tensor *ra, T7Tensor *rpiv, const T7Tensor *a, const char *uplo,
                         double tol, int64_t index_base) noexcept nogil:
    cdef char u = 0
    if (lapack_types("pstrf", ra, a, NULL, NULL, NULL) != 0
            or option_letter("pstrf", uplo, b"UL", &u) != 0):
        return -1
    if rpiv._dtype != T7_INT:
        return t7_fail("torch.pstrf: the pivots go to an IntTensor, got a %sTensor",
                       TYPE_NAMES[rpiv._dtype])
    if check_square("pstrf", a, 1) != 0:
        return -1
    cdef int64_t n = a._size[0], i
    cdef T7Tensor *wa = working_copy(ra, a, n, rpiv, NULL)
    if wa == NULL:
        return -1
    cdef T7Tensor *wp = contiguous_result(rpiv, 1, &n, ra, NULL)
    if wp == NULL:
        return hand_over(wa, NULL, -1)
    cdef int *piv = <int *>tensor_data(wp)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = pstrf_run(<float *>NULL, wa, piv, u, tol)
    else:
        status = pstrf_run(<double *>NULL, wa, piv, u, tol)
    if index_base != 1:     # LAPACK counts from 1
        for i in range(n):
            piv[i] = <int>(piv[i] - 1 + index_base)
    status = hand_over(wa, ra, status)
    return hand_over(wp, rpiv, status)


# ------------------------------------------------------------------------------------------
# QR factorization

cdef int geqrf_run(lreal *tag, T7Tensor *a, T7Tensor *tau) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *tau_data = <lreal *>tensor_data(tau)
    cdef int m = <int>a._size[0], n = <int>a._size[1], lda = leading_dim(a), info = 0, lwork = -1
    cdef lreal optimal = 0
    cdef lreal *work
    if lreal is float:
        sgeqrf(&m, &n, a_data, &lda, tau_data, &optimal, &lwork, &info)
    else:
        dgeqrf(&m, &n, a_data, &lda, tau_data, &optimal, &lwork, &info)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        return -1
    if lreal is float:
        sgeqrf(&m, &n, a_data, &lda, tau_data, work, &lwork, &info)
    else:
        dgeqrf(&m, &n, a_data, &lda, tau_data, work, &lwork, &info)
    free(work)
    return lapack_status("geqrf", info, "Lapack Error %s : unknown Lapack error. info = %i")


cdef public int t7_geqrf(T7Tensor *ra, T7Tensor *rtau, const T7Tensor *a) noexcept nogil:
    if (lapack_types("geqrf", ra, rtau, a, NULL, NULL) != 0
            or distinct_results("geqrf", ra, rtau, NULL) != 0):
        return -1
    if a._ndim != 2:
        return t7_arg_fail(1, "geqrf", "A should be 2 dimensional")
    if check_lapack_size("geqrf", a) != 0:
        return -1
    cdef int64_t m = a._size[0], n = a._size[1]
    cdef T7Tensor *wa = working_copy(ra, a, m, rtau, NULL)
    if wa == NULL:
        return -1
    cdef int64_t k = m if m < n else n
    cdef T7Tensor *wt = contiguous_result(rtau, 1, &k, ra, NULL)
    if wt == NULL:
        return hand_over(wa, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = geqrf_run(<float *>NULL, wa, wt)
    else:
        status = geqrf_run(<double *>NULL, wa, wt)
    status = hand_over(wa, ra, status)
    return hand_over(wt, rtau, status)


cdef int orgqr_run(lreal *tag, T7Tensor *a, const T7Tensor *tau) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *tau_data = <lreal *>tensor_data(tau)
    cdef int m = <int>a._size[0], k = <int>tau._size[0], lda = leading_dim(a), info = 0, lwork = -1
    cdef lreal optimal = 0
    cdef lreal *work
    if lreal is float:
        sorgqr(&m, &k, &k, a_data, &lda, tau_data, &optimal, &lwork, &info)
    else:
        dorgqr(&m, &k, &k, a_data, &lda, tau_data, &optimal, &lwork, &info)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        return -1
    if lreal is float:
        sorgqr(&m, &k, &k, a_data, &lda, tau_data, work, &lwork, &info)
    else:
        dorgqr(&m, &k, &k, a_data, &lda, tau_data, work, &lwork, &info)
    free(work)
    return lapack_status("orgqr", info, " Lapack Error %s : unknown Lapack error. info = %i")


cdef T7Tensor *reflector_scales(const char *name, const T7Tensor *tau,
                                int64_t most) noexcept nogil:
    """tau as a contiguous vector (a new reference), checked against the number of
    reflectors the matrix can hold."""
    if tau._ndim != 1:
        t7_fail("torch.%s: tau should be a vector, got a %dD tensor", name, tau._ndim)
        return NULL
    if tau._size[0] > most:
        t7_fail("torch.%s: %lld reflectors given (tau), the matrix holds at most %lld", name,
                <ll>tau._size[0], <ll>most)
        return NULL
    if contiguous(tau):
        t7_tensor_retain(<T7Tensor *>tau)
        return <T7Tensor *>tau
    return contiguous_copy(tau)


cdef public int t7_orgqr(T7Tensor *ra, const T7Tensor *a, const T7Tensor *tau) noexcept nogil:
    if lapack_types("orgqr", ra, a, tau, NULL, NULL) != 0:
        return -1
    if a._ndim != 2:
        return t7_arg_fail(1, "orgqr", "A should be 2 dimensional")
    if check_lapack_size("orgqr", a) != 0:
        return -1
    cdef int64_t m = a._size[0], n = a._size[1]
    cdef T7Tensor *wt = reflector_scales("orgqr", tau, m if m < n else n)
    if wt == NULL:
        return -1
    cdef T7Tensor *wa = working_copy(ra, a, m, tau, NULL)
    if wa == NULL:
        return hand_over(wt, NULL, -1)
    cdef int status
    if a._dtype == T7_FLOAT:
        status = orgqr_run(<float *>NULL, wa, wt)
    else:
        status = orgqr_run(<double *>NULL, wa, wt)
    status = hand_over(wt, NULL, status)
    return hand_over(wa, ra, status)


cdef int ormqr_run(lreal *tag, T7Tensor *c, const T7Tensor *a, const T7Tensor *tau, char side,
                   char trans) noexcept nogil:
    cdef lreal *a_data = <lreal *>tensor_data(a)
    cdef lreal *tau_data = <lreal *>tensor_data(tau)
    cdef lreal *c_data = <lreal *>tensor_data(c)
    cdef int m = <int>c._size[0], n = <int>c._size[1], k = <int>tau._size[0]
    cdef int lda = leading_dim(a), ldc = leading_dim(c), info = 0, lwork = -1
    cdef lreal optimal = 0
    cdef lreal *work
    if lreal is float:
        sormqr(&side, &trans, &m, &n, &k, a_data, &lda, tau_data,
               c_data, &ldc, &optimal, &lwork, &info, 1, 1)
    else:
        dormqr(&side, &trans, &m, &n, &k, a_data, &lda, tau_data,
               c_data, &ldc, &optimal, &lwork, &info, 1, 1)
    work = lapack_workspace(tag, optimal, &lwork)
    if work == NULL:
        return -1
    if lreal is float:
        sormqr(&side, &trans, &m, &n, &k, a_data, &lda, tau_data,
               c_data, &ldc, work, &lwork, &info, 1, 1)
    else:
        dormqr(&side, &trans, &m, &n, &k, a_data, &lda, tau_data,
               c_data, &ldc, work, &lwork, &info, 1, 1)
    free(work)
    return lapack_status("ormqr", info, " Lapack Error %s : unknown Lapack error. info = %i")


cdef public int t7_ormqr(T7Tensor *ra, const T7Tensor *a, const T7Tensor *tau,
                         const T7Tensor *c, const char *side, const char *trans) noexcept nogil:
    cdef char s = 0, t = 0
    if (lapack_types("ormqr", ra, a, tau, c, NULL) != 0
            or option_letter("ormqr", side, b"LR", &s) != 0
            or option_letter("ormqr", trans, b"NT", &t) != 0):
        return -1
    if a._ndim != 2:
        return t7_arg_fail(1, "ormqr", "A should be 2 dimensional")
    if c._ndim != 2:
        return t7_fail("torch.ormqr: the matrix to multiply should be 2 dimensional, got %dD",
                       c._ndim)
    if check_lapack_size("ormqr", a) != 0 or check_lapack_size("ormqr", c) != 0:
        return -1
    # Q is order x order, its reflectors the columns of a (order rows)
    cdef int64_t order = c._size[0] if s == b'L' else c._size[1]
    if a._size[0] != order:
        return t7_fail("torch.ormqr: the reflectors have %lld rows, Q must be %lld x %lld to "
                       "multiply a %lldx%lld matrix on the %s", <ll>a._size[0], <ll>order,
                       <ll>order, <ll>c._size[0], <ll>c._size[1],
                       b"left" if s == b'L' else b"right")
    cdef T7Tensor *wt = reflector_scales("ormqr", tau, order if order < a._size[1] else a._size[1])
    if wt == NULL:
        return -1
    cdef T7Tensor *wa
    if is_column_major(a, a._size[0], a._size[1]):
        wa = <T7Tensor *>a
        t7_tensor_retain(wa)
    else:
        wa = working_copy(NULL, a, a._size[0], NULL, NULL)
    if wa == NULL:
        return hand_over(wt, NULL, -1)
    cdef T7Tensor *wc = working_copy(ra, c, c._size[0], a, tau)
    if wc == NULL:
        return hand_over(wa, NULL, hand_over(wt, NULL, -1))
    cdef int status
    if a._dtype == T7_FLOAT:
        status = ormqr_run(<float *>NULL, wc, wa, wt, s, t)
    else:
        status = ormqr_run(<double *>NULL, wc, wa, wt, s, t)
    status = hand_over(wt, NULL, status)
    status = hand_over(wa, NULL, status)
    return hand_over(wc, ra, status)


cdef void upper_part(lreal *tag, T7Tensor *r) noexcept nogil:
    """Zeroes the entries of r below its diagonal, whatever r's strides."""
    cdef int64_t i, j
    cdef lreal *p = <lreal *>tensor_data(r)
    for i in range(1, r._size[0]):
        for j in range(min2(i, r._size[1])):
            p[i * r._stride[0] + j * r._stride[1]] = 0


cdef public int t7_qr(T7Tensor *rq, T7Tensor *rr, const T7Tensor *a) noexcept nogil:
    if lapack_types("qr", rq, rr, a, NULL, NULL) != 0 or distinct_results("qr", rq, rr, NULL) != 0:
        return -1
    if a._ndim != 2:
        return t7_arg_fail(1, "qr", "A should be 2 dimensional")
    cdef int64_t m = a._size[0], n = a._size[1], k = m if m < n else n
    cdef T7Tensor *factors = t7_tensor_new(a._dtype)
    cdef T7Tensor *tau = t7_tensor_new(a._dtype)
    cdef int status = -1
    cdef T7Tensor top
    if factors != NULL and tau != NULL and t7_geqrf(factors, tau, a) == 0:
        # R: the upper triangle of the first k rows
        memcpy(&top, factors, sizeof(T7Tensor))
        top._size[0] = k
        if t7_tensor_resize(rr, 2, top._size, NULL) == 0 and t7_tensor_copy(rr, &top) == 0:
            if a._dtype == T7_FLOAT:
                upper_part(<float *>NULL, rr)
            else:
                upper_part(<double *>NULL, rr)
            # Q: the first k columns of what orgqr makes of the reflectors
            if t7_orgqr(rq, factors, tau) == 0:
                status = t7_tensor_narrow(rq, rq, 1, 0, k)
    t7_tensor_release(factors)
    t7_tensor_release(tau)
    return status
