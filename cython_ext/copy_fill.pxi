# fill and copy. copy converts between any two element types (C conversions, as Torch7),
# walking each side in its own row-major order: only element counts must agree.

ctypedef fused real2:
    uint8_t
    int8_t
    int16_t
    int32_t
    int64_t
    float
    double


cdef struct FillCtx:
    const T7Tensor *t
    double value


cdef inline void fill_loop(real *p, int64_t s, int64_t n, real value) noexcept nogil:
    cdef int64_t i
    for i in range(n):
        p[i * s] = value


cdef void fill_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef FillCtx *c = <FillCtx *>vctx
    cdef real value = <real>c.value
    cdef Walker w
    walker_init(&w, c.t, start)
    cdef int64_t n, s, left = end - start
    while left > 0:
        n = min2(left, walker_run(&w))
        s = walker_step(&w, sizeof(real))
        if s == 1:      # a literal unit stride lets the compiler vectorise the loop
            fill_loop(<real *>w.ptr, 1, n, value)
        else:
            fill_loop(<real *>w.ptr, s, n, value)
        walker_advance(&w, n)
        left -= n


cdef range_fn FILL[7]
FILL[:] = [<range_fn>fill_range[uint8_t], <range_fn>fill_range[int8_t],
           <range_fn>fill_range[int16_t], <range_fn>fill_range[int32_t],
           <range_fn>fill_range[int64_t], <range_fn>fill_range[float],
           <range_fn>fill_range[double]]


cdef public int t7_tensor_fill(T7Tensor *t, double value) noexcept nogil:
    if t._dtype == T7_HALF:
        return fill_half(t, value)     # half.pxi
    cdef FillCtx c
    c.t = t
    c.value = value
    run_blocks(FILL[t._dtype], &c, nelement(t), 1)
    return 0


cdef struct CopyCtx:
    const T7Tensor *dst
    const T7Tensor *src


cdef inline void convert_loop(real *d, int64_t sd, const real2 *s, int64_t ss,
                              int64_t n) noexcept nogil:
    cdef int64_t i
    for i in range(n):
        d[i * sd] = <real>s[i * ss]


cdef void copy_pair(real *dtag, real2 *stag, CopyCtx *c, int64_t start, int64_t end) noexcept nogil:
    cdef Walker wd, ws
    walker_init(&wd, c.dst, start)
    walker_init(&ws, c.src, start)
    cdef int64_t n, sd, ss, left = end - start
    cdef real *d
    cdef real2 *s
    while left > 0:
        n = min2(left, min2(walker_run(&wd), walker_run(&ws)))
        d = <real *>wd.ptr
        s = <real2 *>ws.ptr
        sd = walker_step(&wd, sizeof(real))
        ss = walker_step(&ws, sizeof(real2))
        if sd == 1 and ss == 1:     # literal unit strides: the compiler vectorises
            convert_loop(d, 1, s, 1, n)
        else:
            convert_loop(d, sd, s, ss, n)
        walker_advance(&wd, n)
        walker_advance(&ws, n)
        left -= n


cdef void copy_range(real *dtag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef CopyCtx *c = <CopyCtx *>vctx
    cdef int st = c.src._dtype
    if st == T7_BYTE:
        copy_pair(dtag, <uint8_t *>NULL, c, start, end)
    elif st == T7_CHAR:
        copy_pair(dtag, <int8_t *>NULL, c, start, end)
    elif st == T7_SHORT:
        copy_pair(dtag, <int16_t *>NULL, c, start, end)
    elif st == T7_INT:
        copy_pair(dtag, <int32_t *>NULL, c, start, end)
    elif st == T7_LONG:
        copy_pair(dtag, <int64_t *>NULL, c, start, end)
    elif st == T7_FLOAT:
        copy_pair(dtag, <float *>NULL, c, start, end)
    else:
        copy_pair(dtag, <double *>NULL, c, start, end)


cdef range_fn COPY[7]
COPY[:] = [<range_fn>copy_range[uint8_t], <range_fn>copy_range[int8_t],
           <range_fn>copy_range[int16_t], <range_fn>copy_range[int32_t],
           <range_fn>copy_range[int64_t], <range_fn>copy_range[float],
           <range_fn>copy_range[double]]


cdef public int t7_tensor_copy(T7Tensor *dst, const T7Tensor *src) noexcept nogil:
    if same_count(dst, src, "destination and source") != 0:
        return -1
    if dst._dtype == T7_HALF or src._dtype == T7_HALF:
        return copy_half(dst, src)     # half.pxi
    if dst == src:
        return 0
    cdef CopyCtx c
    c.dst = dst
    c.src = src
    run_blocks(COPY[dst._dtype], &c, nelement(dst), 1)
    return 0
