# Histograms (histc, and bhistc: one per row of a matrix), counted in the element type as
# the original. Bins split [lo, hi] evenly, the last one closed; values outside are left
# out; lo == hi means the tensor's own min and max (widened by 1 each way if those agree).


cdef void count_into(real *hist, const T7Tensor *t, int64_t nbins, double lo,
                     double hi) noexcept nogil:
    """Adds each element of t to its bin of hist (contiguous)."""
    cdef Walker w
    walker_init(&w, t, 0)
    cdef int64_t n, i, s, left = nelement(t)
    cdef int64_t bin
    cdef double x
    cdef real *p
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        for i in range(n):
            x = p[i * s]
            if x >= lo and x <= hi:
                bin = <int64_t>((x - lo) / (hi - lo) * nbins)
                hist[min2(bin, nbins - 1)] += 1
        walker_advance(&w, n)
        left -= n


cdef int histogram_bounds(const T7Tensor *t, double *lo, double *hi) noexcept nogil:
    if lo[0] == hi[0]:
        if t7_min_all(t, lo) != 0 or t7_max_all(t, hi) != 0:
            return -1
    if lo[0] == hi[0]:
        lo[0] -= 1
        hi[0] += 1
    return 0


cdef int check_histogram(const T7Tensor *hist, const T7Tensor *t, int64_t nbins) noexcept nogil:
    if floating_point_only(t, b"histc") != 0 or same_type(hist, t) != 0:
        return -1
    if hist == t:
        return t7_fail("the histogram must not be the input tensor")
    if nbins < 1:
        return t7_fail("the number of bins must be positive, got %lld", <ll>nbins)
    return 0


cdef public int t7_histc(T7Tensor *hist, const T7Tensor *t, int64_t nbins, double lo,
                         double hi) noexcept nogil:
    if check_histogram(hist, t, nbins) != 0 or histogram_bounds(t, &lo, &hi) != 0:
        return -1
    cdef int64_t size[1]
    size[0] = nbins
    cdef T7Tensor *counts = t7_tensor_new(t._dtype)
    if counts == NULL:
        return -1
    cdef int status = -1
    if t7_tensor_resize(counts, 1, size, NULL) == 0 and t7_tensor_fill(counts, 0) == 0:
        if t._dtype == T7_FLOAT:
            count_into(<float *>tensor_data(counts), t, nbins, lo, hi)
        else:
            count_into(<double *>tensor_data(counts), t, nbins, lo, hi)
        if t7_tensor_resize(hist, 1, size, NULL) == 0:
            status = t7_tensor_copy(hist, counts)
    t7_tensor_release(counts)
    return status


cdef public int t7_bhistc(T7Tensor *hist, const T7Tensor *t, int64_t nbins, double lo,
                          double hi) noexcept nogil:
    if check_histogram(hist, t, nbins) != 0:
        return -1
    if t._ndim != 2:
        return t7_fail("invalid dimension %d, the input must be a 2d tensor", t._ndim)
    if histogram_bounds(t, &lo, &hi) != 0:
        return -1
    cdef int64_t size[2]
    size[0], size[1] = t._size[0], nbins
    cdef T7Tensor *counts = t7_tensor_new(t._dtype)
    if counts == NULL:
        return -1
    cdef int status = -1
    cdef T7Tensor row
    cdef int64_t i
    cdef char *base
    if t7_tensor_resize(counts, 2, size, NULL) == 0 and t7_tensor_fill(counts, 0) == 0:
        base = tensor_data(counts)
        for i in range(t._size[0]):
            select_view(&row, t, 0, i)
            if t._dtype == T7_FLOAT:
                count_into(<float *>base + i * nbins, &row, nbins, lo, hi)
            else:
                count_into(<double *>base + i * nbins, &row, nbins, lo, hi)
        if t7_tensor_resize(hist, 2, size, NULL) == 0:
            status = t7_tensor_copy(hist, counts)
    t7_tensor_release(counts)
    return status
