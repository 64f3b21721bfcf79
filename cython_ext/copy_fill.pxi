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


# ---- transposed copies -----------------------------------------------------------------------
# When source and destination have the same shape but their unit strides lie along different
# dimensions (a copy from a transposed view), an element-by-element walk reads one of them
# a cache line per element. Copying in square tiles instead keeps a tile's lines of both in
# the cache while they are used.

cdef enum:
    TILE = 16


cdef struct TileCtx:
    T7Tensor dst_outer      # both tensors without the two tiled dimensions
    T7Tensor src_outer
    int64_t rows            # size along the source's unit-stride dimension
    int64_t cols            # size along the destination's unit-stride dimension
    int64_t dst_row_step    # the destination's stride along the rows' dimension
    int64_t src_col_step    # the source's stride along the columns' dimension
    int64_t row_tiles


cdef void tile_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Work items are (outer position, band of TILE rows)."""
    cdef TileCtx *c = <TileCtx *>vctx
    cdef Walker wd, ws
    cdef int64_t item, first, last, c0, c1, a, b
    cdef real *d
    cdef real *s
    cdef real *row
    cdef const real *column
    for item in range(start, end):
        walker_init(&wd, &c.dst_outer, item // c.row_tiles)
        walker_init(&ws, &c.src_outer, item // c.row_tiles)
        d = <real *>wd.ptr
        s = <real *>ws.ptr
        first = (item % c.row_tiles) * TILE
        last = min2(first + TILE, c.rows)
        c0 = 0
        while c0 < c.cols:
            c1 = min2(c0 + TILE, c.cols)
            for a in range(first, last):
                row = d + a * c.dst_row_step
                column = s + a
                for b in range(c0, c1):
                    row[b] = column[b * c.src_col_step]
            c0 = c1


cdef range_fn TILED_COPY[7]
TILED_COPY[:] = [<range_fn>tile_range[uint8_t], <range_fn>tile_range[int8_t],
                 <range_fn>tile_range[int16_t], <range_fn>tile_range[int32_t],
                 <range_fn>tile_range[int64_t], <range_fn>tile_range[float],
                 <range_fn>tile_range[double]]


cdef int unit_stride_dim(const T7Tensor *t) noexcept nogil:
    """The innermost dimension of stride 1 and size above 1, or -1."""
    cdef int d
    for d in range(t._ndim - 1, -1, -1):
        if t._stride[d] == 1 and t._size[d] > 1:
            return d
    return -1


cdef bint copy_tiled(T7Tensor *dst, const T7Tensor *src) noexcept nogil:
    """Copies in tiles if the layouts call for it (same type and shape, unit strides along
    different dimensions, both at least a tile long); returns whether it did."""
    if dst._dtype != src._dtype or dst._ndim != src._ndim or dst._ndim < 2:
        return False
    cdef int d
    for d in range(dst._ndim):
        if dst._size[d] != src._size[d]:
            return False
    cdef int di = unit_stride_dim(dst), dj = unit_stride_dim(src)
    if di < 0 or dj < 0 or di == dj or dst._size[di] < TILE or dst._size[dj] < TILE:
        return False
    cdef TileCtx c
    drop_dim(&c.dst_outer, dst, max(di, dj))
    drop_dim(&c.dst_outer, &c.dst_outer, min(di, dj))
    drop_dim(&c.src_outer, src, max(di, dj))
    drop_dim(&c.src_outer, &c.src_outer, min(di, dj))
    c.rows = dst._size[dj]
    c.cols = dst._size[di]
    c.dst_row_step = dst._stride[dj]
    c.src_col_step = src._stride[di]
    c.row_tiles = (c.rows + TILE - 1) // TILE
    cdef int64_t outer = nelement(dst) // (c.rows * c.cols)
    run_blocks(TILED_COPY[dst._dtype], &c, outer * c.row_tiles, TILE * c.cols)
    return True


cdef public int t7_tensor_copy(T7Tensor *dst, const T7Tensor *src) noexcept nogil:
    if check_counts("tensor", dst, "src", src, NULL, NULL) != 0:
        return -1
    if dst._dtype == T7_HALF or src._dtype == T7_HALF:
        return copy_half(dst, src)     # half.pxi
    if dst == src or copy_tiled(dst, src):
        return 0
    cdef CopyCtx c
    c.dst = dst
    c.src = src
    run_blocks(COPY[dst._dtype], &c, nelement(dst), 1)
    return 0
