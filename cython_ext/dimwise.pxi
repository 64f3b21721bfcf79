# Operations along one dimension whose result has the input's shape: running sums and
# products, cross products of 3-vectors, and renormalisation of sub-tensors.

cdef struct ScanCtx:
    Slices s                # 0: the source, 1: the result
    bint product


cdef void scan_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Running sums (products) along each slice, accumulated as the original's accreal: in
    double for floating-point types, in 64-bit integers (wrapping) for the others."""
    cdef ScanCtx *c = <ScanCtx *>vctx
    cdef Walker ws, wr
    walker_init(&ws, &c.s.outer[0], start)
    walker_init(&wr, &c.s.outer[1], start)
    cdef int64_t pos, i, n = c.s.length, ss = c.s.step[0], sr = c.s.step[1]
    cdef real *src
    cdef real *dst
    cdef double dacc
    cdef uint64_t iacc
    for pos in range(start, end):
        src = <real *>ws.ptr
        dst = <real *>wr.ptr
        if real is float or real is double:
            dacc = 1 if c.product else 0
            for i in range(n):
                dacc = dacc * src[i * ss] if c.product else dacc + src[i * ss]
                dst[i * sr] = <real>dacc
        else:
            iacc = 1 if c.product else 0
            for i in range(n):
                iacc = iacc * <uint64_t><int64_t>src[i * ss] if c.product \
                    else iacc + <uint64_t><int64_t>src[i * ss]
                dst[i * sr] = <real>iacc
        walker_advance(&ws, 1)
        walker_advance(&wr, 1)


cdef range_fn SCAN[7]
SCAN[:] = [<range_fn>scan_range[uint8_t], <range_fn>scan_range[int8_t],
           <range_fn>scan_range[int16_t], <range_fn>scan_range[int32_t],
           <range_fn>scan_range[int64_t], <range_fn>scan_range[float],
           <range_fn>scan_range[double]]


cdef int scan(T7Tensor *r, const T7Tensor *t, int dim, bint product) noexcept nogil:
    if supported(t) != 0 or same_type(r, t) != 0 or check_dim(t, dim) != 0:
        return -1
    if r != t and t7_tensor_resize_as(r, t) != 0:
        return -1
    cdef ScanCtx c
    slices_init(&c.s, dim, t, r, NULL)
    c.product = product
    run_blocks(SCAN[t._dtype], &c, c.s.count, c.s.length if c.s.length > 0 else 1)
    return 0


cdef public int t7_cumsum(T7Tensor *r, const T7Tensor *t, int dim) noexcept nogil:
    return scan(r, t, dim, False)

cdef public int t7_cumprod(T7Tensor *r, const T7Tensor *t, int dim) noexcept nogil:
    return scan(r, t, dim, True)


# ---- cross products ----------------------------------------------------------------------------

cdef void cross_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef Slices *s = <Slices *>vctx
    cdef Walker wa, wb, wr
    walker_init(&wa, &s.outer[0], start)
    walker_init(&wb, &s.outer[1], start)
    walker_init(&wr, &s.outer[2], start)
    cdef int64_t pos, sa = s.step[0], sb = s.step[1], sr = s.step[2]
    cdef real *a
    cdef real *b
    cdef real *r
    cdef real a0, a1, a2, b0, b1, b2
    for pos in range(start, end):
        a = <real *>wa.ptr
        b = <real *>wb.ptr
        r = <real *>wr.ptr
        # all read before any is written: the result may be one of the operands
        a0, a1, a2 = a[0], a[sa], a[2 * sa]
        b0, b1, b2 = b[0], b[sb], b[2 * sb]
        r[0] = a1 * b2 - a2 * b1
        r[sr] = a2 * b0 - a0 * b2
        r[2 * sr] = a0 * b1 - a1 * b0
        walker_advance(&wa, 1)
        walker_advance(&wb, 1)
        walker_advance(&wr, 1)


cdef range_fn CROSS[7]
CROSS[:] = [<range_fn>cross_range[uint8_t], <range_fn>cross_range[int8_t],
            <range_fn>cross_range[int16_t], <range_fn>cross_range[int32_t],
            <range_fn>cross_range[int64_t], <range_fn>cross_range[float],
            <range_fn>cross_range[double]]


cdef public int t7_cross(T7Tensor *r, const T7Tensor *a, const T7Tensor *b, int dim) noexcept nogil:
    if supported(a) != 0 or same_type(r, a) != 0 or same_type(a, b) != 0:
        return -1
    cdef char da[256]
    cdef char db[256]
    if a._ndim != b._ndim:
        return t7_fail("inconsistent tensor dimension %dD, %dD", a._ndim, b._ndim)
    cdef int d
    for d in range(a._ndim):
        if a._size[d] != b._size[d]:
            size_description(a, da, 256)
            size_description(b, db, 256)
            return t7_fail("inconsistent tensor sizes %s, %s", da, db)
    if dim < 0:
        for d in range(a._ndim):
            if a._size[d] == 3:
                dim = d
                break
        if dim < 0:
            size_description(a, da, 256)
            return t7_fail("no dimension of size 3 in a: %s", da)
    if dim >= a._ndim:
        return t7_fail("dimension %d out of range", dim + 1)
    if a._size[dim] != 3:
        return t7_fail("dimension %d does not have size 3", dim + 1)
    if r != a and r != b and t7_tensor_resize_as(r, a) != 0:
        return -1
    cdef Slices s
    slices_init(&s, dim, a, b, r)
    run_blocks(CROSS[a._dtype], &s, s.count, 3)
    return 0


# ---- renormalisation ---------------------------------------------------------------------------

cdef void select_view(T7Tensor *view, const T7Tensor *t, int dim, int64_t i) noexcept nogil:
    """A borrowed view of t:select(dim, i) (0-based)."""
    drop_dim(view, t, dim)
    view._offset = t._offset + i * t._stride[dim]


cdef public int t7_renorm(T7Tensor *r, const T7Tensor *t, double p, int dim,
                          double maxnorm) noexcept nogil:
    if floating_point_only(t, b"renorm") != 0 or same_type(r, t) != 0 or check_dim(t, dim) != 0:
        return -1
    if not (p > 0):
        return t7_fail("non-positive-norm not supported")
    if t._ndim < 2:
        return t7_fail("need at least 2 dimensions, got %d dimensions", t._ndim)
    if r != t and t7_tensor_resize_as(r, t) != 0:
        return -1
    cdef T7Tensor row, result_row
    cdef double norm
    cdef int64_t i
    for i in range(t._size[dim]):
        select_view(&row, t, dim, i)
        select_view(&result_row, r, dim, i)
        if t7_norm_all(&row, p, &norm) != 0:
            return -1
        if norm > maxnorm:
            # the original's guard against dividing by a zero norm, kept for equal results
            if t7_mul_scalar(&result_row, &row, maxnorm / (norm + 1e-7)) != 0:
                return -1
        elif r != t and t7_tensor_copy(&result_row, &row) != 0:
            return -1
    return 0
