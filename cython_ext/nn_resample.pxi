# Padding by reflection or replication, and up-sampling (nearest neighbour and linear with
# aligned corners), for planes of 2 or 3 spatial dimensions. Each output element reads one
# input element (or a few, for linear), so the gradients add the output's back where it
# was read from. Planes run in parallel.

cdef extern from "t7_abi.h":
    enum:
        T7_PAD_REFLECT
        T7_PAD_REPLICATE


cdef inline int64_t padded_source(int64_t j, int64_t n, int64_t before, int mode) noexcept nogil:
    """The input index output index j reads, along a dimension of n elements padded by
    `before` (negative: cropped), as the original computed it."""
    cdef int64_t at
    if j < before:
        at = 2 * before - j if mode == T7_PAD_REFLECT else before
    elif j < n + before:
        at = j
    else:
        at = 2 * (n + before - 1) - j if mode == T7_PAD_REFLECT else n + before - 1
    return at - max2(before, 0) + max2(-before, 0)


cdef struct PadCall:
    const Planes *p
    int mode
    int64_t before[3]
    const void *src
    void *dst
    bint backward


cdef void pad_planes(floating *tag, PadCall *c, int64_t first, int64_t last) noexcept nogil:
    cdef const Planes *p = c.p
    cdef int64_t q, ot, oh, ow, it, ih, iw, i_at, o_at
    cdef const floating *src
    cdef floating *dst
    for q in range(first, last):
        if c.backward:      # src: gradOutput (output-sized), dst: gradInput
            src = <const floating *>c.src + q * p.out_size
            dst = <floating *>c.dst + q * p.in_size
            memset(dst, 0, p.in_size * sizeof(floating))
        else:
            src = <const floating *>c.src + q * p.in_size
            dst = <floating *>c.dst + q * p.out_size
        for ot in range(p.out[0]):
            it = padded_source(ot, p.inp[0], c.before[0], c.mode)
            for oh in range(p.out[1]):
                ih = padded_source(oh, p.inp[1], c.before[1], c.mode)
                for ow in range(p.out[2]):
                    iw = padded_source(ow, p.inp[2], c.before[2], c.mode)
                    i_at = (it * p.inp[1] + ih) * p.inp[2] + iw
                    o_at = (ot * p.out[1] + oh) * p.out[2] + ow
                    if c.backward:
                        dst[i_at] += src[o_at]
                    else:
                        dst[o_at] = src[i_at]


cdef int pad_planes_of(const T7Tensor *input, int dims, int mode, const int64_t *pads,
                       Planes *p) noexcept nogil:
    cdef int d
    if dims != 2 and dims != 3:
        return t7_fail("padding has 2 or 3 spatial dimensions, not %d", dims)
    if mode != T7_PAD_REFLECT and mode != T7_PAD_REPLICATE:
        return t7_fail("unknown padding mode %d", mode)
    if planes_of(input, dims, p) != 0:
        return -1
    for d in range(3):
        p.out[d] = p.inp[d] + pads[2 * d] + pads[2 * d + 1]
        if p.out[d] < 1:
            return t7_fail("input (%lldx%lldx%lld) is too small for the padding: calculated "
                           "output %lldx%lldx%lld", <ll>p.inp[0], <ll>p.inp[1], <ll>p.inp[2],
                           <ll>(p.inp[0] + pads[0] + pads[1]),
                           <ll>(p.inp[1] + pads[2] + pads[3]),
                           <ll>(p.inp[2] + pads[4] + pads[5]))
        if mode == T7_PAD_REFLECT and (pads[2 * d] >= p.inp[d] or pads[2 * d + 1] >= p.inp[d]):
            return t7_fail("padding (%lld, %lld) must be smaller than the input dimension "
                           "(%lld) for reflection", <ll>pads[2 * d], <ll>pads[2 * d + 1],
                           <ll>p.inp[d])
        if pads[2 * d] + p.inp[d] <= 0 or pads[2 * d + 1] + p.inp[d] <= 0:
            return t7_fail("cropping (%lld, %lld) leaves nothing of a dimension of %lld",
                           <ll>pads[2 * d], <ll>pads[2 * d + 1], <ll>p.inp[d])
    set_out_size(p)
    return 0


cdef int run_pad(T7Tensor *dst, const T7Tensor *src, const T7Tensor *input, int dims, int mode,
                 const int64_t *pads, bint backward) noexcept nogil:
    cdef Planes p
    cdef PadCall c
    cdef int64_t size[5]
    cdef T7Tensor *copy
    cdef int d
    if same_floating(input, dst) != 0 or same_type(input, src) != 0:
        return -1
    if pad_planes_of(input, dims, mode, pads, &p) != 0:
        return -1
    if backward:
        if check_like_output(&p, src, "gradOutput") != 0 or resize_like(dst, input) != 0:
            return -1
    elif resize_contiguous(dst, out_shape(&p, size), size) != 0:
        return -1
    cdef const T7Tensor *s = contiguous_or_copy(src, &copy)
    if s == NULL:
        return -1
    c.p = &p
    c.mode = mode
    for d in range(3):
        c.before[d] = pads[2 * d]
    c.src = tensor_data(s)
    c.dst = tensor_data(dst)
    c.backward = backward
    parallel_ranges(by_precision(input._dtype, <range_fn>pad_planes[float],
                                 <range_fn>pad_planes[double]), &c, p.count,
                    plane_blocks(&p, p.out_size))
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_pad(T7Tensor *output, const T7Tensor *input, int dims, int mode,
                          const int64_t *pads) noexcept nogil:
    return run_pad(output, input, input, dims, mode, pads, False)


cdef public int t7_nn_pad_backward(T7Tensor *grad_input, const T7Tensor *input,
                                   const T7Tensor *grad_output, int dims, int mode,
                                   const int64_t *pads) noexcept nogil:
    return run_pad(grad_input, grad_output, input, dims, mode, pads, True)


# -- up-sampling ------------------------------------------------------------------------------

cdef struct UpCall:
    const Planes *p
    int64_t scale             # nearest neighbour's factor; 0 for linear
    const void *src
    void *dst
    bint backward


cdef inline void linear_position(int64_t o, int64_t n_out, int64_t n_in, int64_t *i0,
                                 int64_t *step, double *frac) noexcept nogil:
    """Where output o falls between input i0 and i0 + step (corners aligned), in the
    original's single precision."""
    cdef float ratio = <float>(n_in - 1) / (n_out - 1) if n_out > 1 else 0
    cdef float at = ratio * o
    i0[0] = <int64_t>at
    step[0] = 1 if i0[0] < n_in - 1 else 0
    frac[0] = at - i0[0]


cdef void upsample_planes(floating *tag, UpCall *c, int64_t first, int64_t last) noexcept nogil:
    cdef const Planes *p = c.p
    cdef int64_t q, ot, oh, ow, t0, h0, w0, st, sh, sw, o_at, base, a, b, e
    cdef double ft, fh, fw, v, weight
    cdef const floating *src
    cdef floating *dst
    cdef int64_t HW = p.inp[1] * p.inp[2]
    for q in range(first, last):
        if c.backward:
            src = <const floating *>c.src + q * p.out_size
            dst = <floating *>c.dst + q * p.in_size
            memset(dst, 0, p.in_size * sizeof(floating))
        else:
            src = <const floating *>c.src + q * p.in_size
            dst = <floating *>c.dst + q * p.out_size
        for ot in range(p.out[0]):
            if c.scale:
                t0, st, ft = ot // c.scale, 0, 0
            else:
                linear_position(ot, p.out[0], p.inp[0], &t0, &st, &ft)
            for oh in range(p.out[1]):
                if c.scale:
                    h0, sh, fh = oh // c.scale, 0, 0
                else:
                    linear_position(oh, p.out[1], p.inp[1], &h0, &sh, &fh)
                for ow in range(p.out[2]):
                    if c.scale:
                        w0, sw, fw = ow // c.scale, 0, 0
                    else:
                        linear_position(ow, p.out[2], p.inp[2], &w0, &sw, &fw)
                    o_at = (ot * p.out[1] + oh) * p.out[2] + ow
                    base = (t0 * p.inp[1] + h0) * p.inp[2] + w0
                    if c.scale:
                        if c.backward:
                            dst[base] += src[o_at]
                        else:
                            dst[o_at] = src[base]
                        continue
                    # the 8 (or 4, or fewer at the edges) surrounding inputs, weighted
                    v = 0
                    for a in range(2):
                        for b in range(2):
                            for e in range(2):
                                weight = (ft if a else 1 - ft) * (fh if b else 1 - fh) \
                                    * (fw if e else 1 - fw)
                                if c.backward:
                                    dst[base + a * st * HW + b * sh * p.inp[2] + e * sw] += \
                                        <floating>(weight * src[o_at])
                                else:
                                    v += weight * src[base + a * st * HW + b * sh * p.inp[2]
                                                      + e * sw]
                    if not c.backward:
                        dst[o_at] = <floating>v


cdef int run_upsample(T7Tensor *dst, const T7Tensor *src, const T7Tensor *input, int dims,
                      int64_t scale, const int64_t *out_size, bint backward) noexcept nogil:
    """scale > 0: nearest neighbour by that factor; else linear to out_size (3 entries in the
    order of the spatial dimensions, the first ignored in 2-D)."""
    cdef Planes p
    cdef UpCall c
    cdef int64_t size[5]
    cdef T7Tensor *copy
    cdef int d
    if dims != 2 and dims != 3:
        return t7_fail("up-sampling has 2 or 3 spatial dimensions, not %d", dims)
    if same_floating(input, dst) != 0 or same_type(input, src) != 0 \
            or planes_of(input, dims, &p) != 0:
        return -1
    for d in range(3 - dims, 3):
        p.out[d] = p.inp[d] * scale if scale > 0 else out_size[d]
        if p.out[d] < 1:
            return t7_fail("output sizes should be greater than 0, but got %lld", <ll>p.out[d])
    set_out_size(&p)
    if backward:
        if check_like_output(&p, src, "gradOutput") != 0 or resize_like(dst, input) != 0:
            return -1
    elif resize_contiguous(dst, out_shape(&p, size), size) != 0:
        return -1
    cdef const T7Tensor *s = contiguous_or_copy(src, &copy)
    if s == NULL:
        return -1
    c.p = &p
    c.scale = scale if scale > 0 else 0
    c.src = tensor_data(s)
    c.dst = tensor_data(dst)
    c.backward = backward
    parallel_ranges(by_precision(input._dtype, <range_fn>upsample_planes[float],
                                 <range_fn>upsample_planes[double]), &c, p.count,
                    plane_blocks(&p, p.out_size * (1 if scale > 0 else 8)))
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_upsample(T7Tensor *output, const T7Tensor *input, int dims,
                               int64_t scale, const int64_t *out_size) noexcept nogil:
    return run_upsample(output, input, input, dims, scale, out_size, False)


cdef public int t7_nn_upsample_backward(T7Tensor *grad_input, const T7Tensor *input,
                                        const T7Tensor *grad_output, int dims, int64_t scale,
                                        const int64_t *out_size) noexcept nogil:
    return run_upsample(grad_input, grad_output, input, dims, scale, out_size, True)
