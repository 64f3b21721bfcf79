# Convolution and cross-correlation of images and volumes: torch.conv2, xcorr2, conv3, xcorr3
# with Torch7's forms (THTensorConv's conv2Dmul/cmul/mv and conv3Dmul/cmul/mv):
#   one input with one kernel; p inputs each with its own kernel (p outputs);
#   p inputs with q x p kernels, output j summing input i with kernel (j, i) over i.
# Every form runs one kernel: the valid cross-correlation of input planes (zero-padded by
# the kernel's size less one for a full result) with contiguous kernels (reversed for a
# convolution), summed into contiguous output rows. Rows are independent work items, so
# large results are split across threads.

cdef struct ConvPlan:
    char *out
    const char *inp
    const char *ker
    int64_t pairs           # (input plane, kernel) pairs summed into each output plane
    bint planewise          # output plane j reads input plane j, else input planes 0..pairs-1
    int64_t od, orows, ocols
    int64_t in_plane, in_depth, in_row      # input strides (elements); columns have stride 1
    int64_t kd, kr, kc


cdef inline void axpy_row(real *out, const real *inp, real w, int64_t n) noexcept nogil:
    cdef int64_t x
    for x in range(n):
        out[x] += w * inp[x]


cdef inline void axpy4_row(real *out, const real *inp, const real *w, int64_t n) noexcept nogil:
    """Four taps at once, added in the order of four axpy_row calls: a quarter of the loads
    and stores of the output row."""
    cdef int64_t x
    cdef real w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3]
    for x in range(n):
        out[x] = out[x] + w0 * inp[x] + w1 * inp[x + 1] + w2 * inp[x + 2] + w3 * inp[x + 3]


cdef void xcorr_rows(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    """Output rows start..end-1, numbered through (plane, depth, row)."""
    cdef ConvPlan *p = <ConvPlan *>vctx
    cdef int64_t item, j, z, y, i, plane, dz, dy, dx
    cdef int64_t ksize = p.kd * p.kr * p.kc
    cdef real *out_row
    cdef const real *kernel
    cdef const real *krow
    cdef const real *in_row
    for item in range(start, end):
        y = item % p.orows
        z = (item // p.orows) % p.od
        j = item // (p.orows * p.od)
        out_row = <real *>p.out + item * p.ocols
        memset(out_row, 0, p.ocols * sizeof(real))
        for i in range(p.pairs):
            kernel = <const real *>p.ker + (j * p.pairs + i) * ksize
            plane = (j if p.planewise else 0) + i
            for dz in range(p.kd):
                for dy in range(p.kr):
                    in_row = (<const real *>p.inp + plane * p.in_plane + (z + dz) * p.in_depth
                              + (y + dy) * p.in_row)
                    krow = kernel + (dz * p.kr + dy) * p.kc
                    dx = 0
                    while dx + 4 <= p.kc:
                        axpy4_row(out_row, in_row + dx, krow + dx, p.ocols)
                        dx += 4
                    while dx < p.kc:
                        axpy_row(out_row, in_row + dx, krow[dx], p.ocols)
                        dx += 1


cdef range_fn XCORR[7]
XCORR[:] = [<range_fn>xcorr_rows[uint8_t], <range_fn>xcorr_rows[int8_t],
            <range_fn>xcorr_rows[int16_t], <range_fn>xcorr_rows[int32_t],
            <range_fn>xcorr_rows[int64_t], <range_fn>xcorr_rows[float],
            <range_fn>xcorr_rows[double]]


cdef void reverse_blocks(char *data, int64_t blocks, int64_t n, int64_t elsize) noexcept nogil:
    """Reverses each run of n elements: a kernel read backwards in every dimension."""
    cdef char swap[8]
    cdef char *lo
    cdef char *hi
    cdef int64_t b
    for b in range(blocks):
        lo = data + b * n * elsize
        hi = lo + (n - 1) * elsize
        while lo < hi:
            memcpy(swap, lo, elsize)
            memcpy(lo, hi, elsize)
            memcpy(hi, swap, elsize)
            lo += elsize
            hi -= elsize


cdef T7Tensor *padded_input(const T7Tensor *x, int dims, const int64_t *ksize) noexcept nogil:
    """x with (kernel size - 1) zeros on both sides of each of its last `dims` dimensions:
    the valid correlation over it is x's full one. A new reference, or NULL."""
    cdef int64_t size[5]
    cdef T7Tensor *padded = t7_tensor_new(x._dtype)
    cdef T7Tensor inner
    cdef int d, first = x._ndim - dims
    if padded == NULL:
        return NULL
    for d in range(x._ndim):
        size[d] = x._size[d] + (2 * (ksize[d - first] - 1) if d >= first else 0)
    if t7_tensor_resize(padded, x._ndim, size, NULL) != 0:
        t7_tensor_release(padded)
        return NULL
    memcpy(&inner, padded, sizeof(T7Tensor))
    for d in range(first, x._ndim):
        inner._offset += (ksize[d - first] - 1) * inner._stride[d]
        inner._size[d] = x._size[d]
    if t7_tensor_copy(&inner, x) != 0:
        t7_tensor_release(padded)
        return NULL
    return padded


cdef T7Tensor *prepared_kernels(const T7Tensor *k, int64_t count, int64_t ksize,
                                bint convolution) noexcept nogil:
    """The kernels, contiguous; reversed for a convolution. A new reference, or NULL."""
    cdef T7Tensor *c
    if contiguous(k) and not convolution:
        t7_tensor_retain(<T7Tensor *>k)
        return <T7Tensor *>k
    c = contiguous_copy(k)
    if c != NULL and convolution:
        reverse_blocks(tensor_data(c), count, ksize, ELEMENT_SIZES[c._dtype])
    return c


cdef int convolve(const char *name, int dims, T7Tensor *r, const T7Tensor *x,
                  const T7Tensor *k, int full, int convolution) noexcept nogil:
    """torch.conv2/xcorr2 (dims 2) and conv3/xcorr3 (dims 3)."""
    cdef const char *routine
    cdef int64_t in_planes = 1, out_planes = 1, pairs = 1
    cdef bint planewise = False
    if supported(r) != 0 or same_type(r, x) != 0 or same_type(r, k) != 0:
        return -1
    if x._ndim == dims and k._ndim == dims:
        routine = b"conv2Dmul" if dims == 2 else b"conv3Dmul"
    elif x._ndim == dims + 1 and k._ndim == dims + 1:
        routine = b"conv2Dcmul" if dims == 2 else b"conv3Dcmul"
        in_planes = out_planes = x._size[0]
        planewise = True
        if k._size[0] != in_planes:
            return t7_arg_fail(2, name, "invalid number of input/kernel planes")
    elif x._ndim == dims + 1 and k._ndim == dims + 2:
        routine = b"conv2Dmv" if dims == 2 else b"conv3Dmv"
        in_planes = pairs = x._size[0]
        out_planes = k._size[0]
        if k._size[1] != in_planes:
            return t7_arg_fail(2, name, "invalid number of input planes")
    else:
        return t7_fail("torch.%s: input and kernel must be %dD and %dD, %dD and %dD, or %dD "
                       "and %dD tensors, got %dD and %dD", name, dims, dims, dims + 1,
                       dims + 1, dims + 1, dims + 2, x._ndim, k._ndim)
    # spatial sizes (depth, rows, columns), depth 1 for images
    cdef int64_t isz[3]
    cdef int64_t ksz[3]
    cdef int64_t osz[3]
    cdef int d
    isz[0] = ksz[0] = 1
    for d in range(dims):
        isz[3 - dims + d] = x._size[x._ndim - dims + d]
        ksz[3 - dims + d] = k._size[k._ndim - dims + d]
    for d in range(3):
        if not full and isz[d] < ksz[d]:
            return t7_arg_fail(2, name, "%s : Input image is smaller than kernel", routine)
        osz[d] = isz[d] + ksz[d] - 1 if full else isz[d] - ksz[d] + 1
    cdef int64_t rsize[4]
    cdef int rdims = dims
    if x._ndim > dims:
        rsize[0] = out_planes
        rdims += 1
    for d in range(dims):
        rsize[rdims - dims + d] = osz[3 - dims + d]

    cdef T7Tensor *inp
    if full:
        inp = padded_input(x, dims, &ksz[3 - dims])
    elif x._stride[x._ndim - 1] == 1 or x._size[x._ndim - 1] == 1:
        inp = <T7Tensor *>x
        t7_tensor_retain(inp)
    else:
        inp = contiguous_copy(x)
    if inp == NULL:
        return -1
    cdef T7Tensor *ker = prepared_kernels(k, out_planes * pairs, ksz[0] * ksz[1] * ksz[2],
                                          convolution)
    if ker == NULL:
        t7_tensor_release(inp)
        return -1
    # the output: r itself when contiguous and apart from the operands
    cdef T7Tensor *out
    if not shares_storage(r, x, k, NULL):
        if t7_tensor_resize(r, rdims, rsize, NULL) != 0:
            return hand_over(ker, NULL, hand_over(inp, NULL, -1))
    if contiguous(r) and not shares_storage(r, x, k, NULL):
        out = r
        t7_tensor_retain(r)
    else:
        out = t7_tensor_new(r._dtype)
        if out == NULL or t7_tensor_resize(out, rdims, rsize, NULL) != 0:
            return hand_over(out, NULL, hand_over(ker, NULL, hand_over(inp, NULL, -1)))

    cdef ConvPlan plan
    cdef int n = inp._ndim
    plan.out = tensor_data(out)
    plan.inp = tensor_data(inp)
    plan.ker = tensor_data(ker)
    plan.pairs = pairs
    plan.planewise = planewise
    plan.od = osz[0]
    plan.orows = osz[1]
    plan.ocols = osz[2]
    plan.in_row = inp._stride[n - 2]
    plan.in_depth = inp._stride[n - 3] if dims == 3 else 0
    plan.in_plane = inp._stride[0] if n > dims else 0
    plan.kd = ksz[0]
    plan.kr = ksz[1]
    plan.kc = ksz[2]
    cdef int64_t rows = out_planes * osz[0] * osz[1]
    if rows > 0 and osz[2] > 0:
        run_blocks(XCORR[r._dtype], &plan, rows, osz[2] * ksz[0] * ksz[1] * ksz[2] * pairs)
    hand_over(inp, NULL, 0)
    hand_over(ker, NULL, 0)
    return hand_over(out, r, 0)


cdef public int t7_conv2(T7Tensor *r, const T7Tensor *x, const T7Tensor *k, int full,
                         int convolution) noexcept nogil:
    return convolve(b"conv2" if convolution else b"xcorr2", 2, r, x, k, full, convolution)


cdef public int t7_conv3(T7Tensor *r, const T7Tensor *x, const T7Tensor *k, int full,
                         int convolution) noexcept nogil:
    return convolve(b"conv3" if convolution else b"xcorr3", 3, r, x, k, full, convolution)
