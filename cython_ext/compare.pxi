# Comparisons (lt, le, gt, ge, eq, ne) into 0/1 masks, the logical reductions all/any, and
# whole-tensor equality. A mask is a ByteTensor or has the compared tensor's type, as the
# original's two forms (torch.lt(a, b) and a:lt(b, c) writing into a).

cdef extern from "t7_abi.h":
    enum:
        T7_CMP_LT
        T7_CMP_LE
        T7_CMP_GT
        T7_CMP_GE
        T7_CMP_EQ
        T7_CMP_NE


cdef struct CompareCtx:
    const T7Tensor *r
    const T7Tensor *a
    const T7Tensor *b       # NULL: compare with `value`
    int cmp
    double value


cdef inline bint compared(real x, real y, int cmp) noexcept nogil:
    if cmp == T7_CMP_LT: return x < y
    if cmp == T7_CMP_LE: return x <= y
    if cmp == T7_CMP_GT: return x > y
    if cmp == T7_CMP_GE: return x >= y
    if cmp == T7_CMP_EQ: return x == y
    return x != y


cdef inline void compare_run(uint8_t *rb, real *rr, int64_t sr, const real *a, int64_t sa,
                             const real *b, int64_t sb, int64_t n, int cmp) noexcept nogil:
    """r[i] = a[i] cmp b[i] into rb (bytes) or else rr (a's type); sb = 0 compares with the
    one value b[0]."""
    cdef int64_t i
    if rb != NULL:
        if cmp == T7_CMP_LT:
            for i in range(n): rb[i * sr] = compared(a[i * sa], b[i * sb], T7_CMP_LT)
        elif cmp == T7_CMP_LE:
            for i in range(n): rb[i * sr] = compared(a[i * sa], b[i * sb], T7_CMP_LE)
        elif cmp == T7_CMP_GT:
            for i in range(n): rb[i * sr] = compared(a[i * sa], b[i * sb], T7_CMP_GT)
        elif cmp == T7_CMP_GE:
            for i in range(n): rb[i * sr] = compared(a[i * sa], b[i * sb], T7_CMP_GE)
        elif cmp == T7_CMP_EQ:
            for i in range(n): rb[i * sr] = compared(a[i * sa], b[i * sb], T7_CMP_EQ)
        else:
            for i in range(n): rb[i * sr] = compared(a[i * sa], b[i * sb], T7_CMP_NE)
    else:
        for i in range(n): rr[i * sr] = compared(a[i * sa], b[i * sb], cmp)


cdef void compare_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef CompareCtx *c = <CompareCtx *>vctx
    cdef bint to_bytes = c.r._dtype == T7_BYTE
    cdef Walker wr, wa, wb
    walker_init(&wr, c.r, start)
    walker_init(&wa, c.a, start)
    cdef real value = <real>c.value
    cdef const real *pb = &value
    cdef int64_t n, sr, sa, sb = 0, left = end - start
    if c.b != NULL:
        walker_init(&wb, c.b, start)
    while left > 0:
        n = min2(left, min2(walker_run(&wr), walker_run(&wa)))
        if c.b != NULL:
            n = min2(n, walker_run(&wb))
            pb = <real *>wb.ptr
            sb = walker_step(&wb, sizeof(real))
        sr = walker_step(&wr, 1 if to_bytes else sizeof(real))
        sa = walker_step(&wa, sizeof(real))
        if to_bytes and sr == 1 and sa == 1 and sb == 1:
            compare_run(<uint8_t *>wr.ptr, <real *>NULL, 1, <real *>wa.ptr, 1, pb, 1, n, c.cmp)
        elif to_bytes:
            compare_run(<uint8_t *>wr.ptr, <real *>NULL, sr, <real *>wa.ptr, sa, pb, sb, n,
                        c.cmp)
        else:
            compare_run(<uint8_t *>NULL, <real *>wr.ptr, sr, <real *>wa.ptr, sa, pb, sb, n,
                        c.cmp)
        walker_advance(&wr, n)
        walker_advance(&wa, n)
        if c.b != NULL:
            walker_advance(&wb, n)
        left -= n


cdef range_fn COMPARE[7]
COMPARE[:] = [<range_fn>compare_range[uint8_t], <range_fn>compare_range[int8_t],
              <range_fn>compare_range[int16_t], <range_fn>compare_range[int32_t],
              <range_fn>compare_range[int64_t], <range_fn>compare_range[float],
              <range_fn>compare_range[double]]


cdef int run_compare(T7Tensor *r, const T7Tensor *a, int cmp, const T7Tensor *b,
                     double value) noexcept nogil:
    if cmp < T7_CMP_LT or cmp > T7_CMP_NE:
        return t7_fail("unknown comparison code %d", cmp)
    if supported(a) != 0:
        return -1
    if r._dtype != T7_BYTE and r._dtype != a._dtype:
        return t7_fail("the result of a comparison must be a ByteTensor or a %sTensor, got a "
                       "%sTensor", TYPE_NAMES[a._dtype], TYPE_NAMES[r._dtype])
    if b != NULL and (same_type(a, b) != 0 or check_counts("r_", a, "ta", a, "tb", b) != 0):
        return -1
    if r == b and r != a:
        return t7_fail("the result must not be the second operand")
    if r != a and t7_tensor_resize(r, a._ndim, a._size, NULL) != 0:
        return -1
    cdef CompareCtx c
    c.r = r
    c.a = a
    c.b = b
    c.cmp = cmp
    c.value = value
    run_blocks(COMPARE[a._dtype], &c, nelement(a), 1)
    return 0


cdef public int t7_compare_scalar(T7Tensor *r, const T7Tensor *a, int cmp,
                                  double value) noexcept nogil:
    return run_compare(r, a, cmp, NULL, value)

cdef public int t7_compare_tensor(T7Tensor *r, const T7Tensor *a, int cmp,
                                  const T7Tensor *b) noexcept nogil:
    return run_compare(r, a, cmp, b, 0)


# ---- all, any, equal -------------------------------------------------------------------------

cdef bint find_element(real *tag, const T7Tensor *a, const T7Tensor *b,
                       bint nonzero) noexcept nogil:
    """With b == NULL: whether a has an element that is non-zero (nonzero) or zero; with b:
    whether a and b differ somewhere. Stops at the first one found."""
    cdef Walker wa, wb
    walker_init(&wa, a, 0)
    if b != NULL:
        walker_init(&wb, b, 0)
    cdef int64_t n, i, sa, sb = 0, left = nelement(a)
    cdef real *pa
    cdef real *pb
    while left > 0:
        n = min2(left, walker_run(&wa))
        pa = <real *>wa.ptr
        sa = walker_step(&wa, sizeof(real))
        if b != NULL:
            n = min2(n, walker_run(&wb))
            pb = <real *>wb.ptr
            sb = walker_step(&wb, sizeof(real))
            for i in range(n):
                if pa[i * sa] != pb[i * sb]:
                    return True
            walker_advance(&wb, n)
        else:
            for i in range(n):
                if (pa[i * sa] != 0) == nonzero:
                    return True
        walker_advance(&wa, n)
        left -= n
    return False


cdef int find(const T7Tensor *a, const T7Tensor *b, bint nonzero, bint *found) noexcept nogil:
    if supported(a) != 0:
        return -1
    cdef int dt = a._dtype
    if dt == T7_BYTE:
        found[0] = find_element(<uint8_t *>NULL, a, b, nonzero)
    elif dt == T7_CHAR:
        found[0] = find_element(<int8_t *>NULL, a, b, nonzero)
    elif dt == T7_SHORT:
        found[0] = find_element(<int16_t *>NULL, a, b, nonzero)
    elif dt == T7_INT:
        found[0] = find_element(<int32_t *>NULL, a, b, nonzero)
    elif dt == T7_LONG:
        found[0] = find_element(<int64_t *>NULL, a, b, nonzero)
    elif dt == T7_FLOAT:
        found[0] = find_element(<float *>NULL, a, b, nonzero)
    else:
        found[0] = find_element(<double *>NULL, a, b, nonzero)
    return 0


cdef public int t7_logical_all(const T7Tensor *t, int *out) noexcept nogil:
    cdef bint zero_found
    if t._ndim == 0:
        return t7_fail("empty Tensor")
    if find(t, NULL, False, &zero_found) != 0:
        return -1
    out[0] = not zero_found
    return 0


cdef public int t7_logical_any(const T7Tensor *t, int *out) noexcept nogil:
    cdef bint nonzero_found
    if t._ndim == 0:
        return t7_fail("empty Tensor")
    if find(t, NULL, True, &nonzero_found) != 0:
        return -1
    out[0] = nonzero_found
    return 0


cdef public int t7_equal(const T7Tensor *a, const T7Tensor *b, int *out) noexcept nogil:
    if same_type(a, b) != 0:
        return -1
    cdef int d
    out[0] = 0
    if a._ndim != b._ndim:
        return 0
    for d in range(a._ndim):
        if a._size[d] != b._size[d]:
            return 0
    cdef bint differs
    if find(a, b, False, &differs) != 0:
        return -1
    out[0] = not differs
    return 0
