# Pooling: max (with dilation and the position of each maximum), average (with padding,
# ceil mode and count_include_pad), adaptive, fractional and temporal max pooling, and the
# scatter/gather by recorded positions that max pooling's gradient and unpooling need.
#
# Images are walked plane by plane (batch x planes of depth x height x width, a 2-D plane
# having depth 1), planes in parallel. Positions are flat indices within a plane, counted
# from index_base (1 from Lua), as the original's spatial max pooling stored them.

from libc.math cimport ceilf, floorf

cdef extern from "t7_abi.h":
    ctypedef struct T7PoolShape:
        int32_t dims
        int32_t ceil_mode
        int32_t count_include_pad
        int32_t kernel[3]
        int32_t stride[3]
        int32_t pad[3]
        int32_t dilation[3]


cdef struct Planes:
    # how a pooling call sees its input and output
    int dims
    bint batched
    int64_t batch
    int64_t planes
    int64_t count             # batch * planes
    int64_t inp[3]            # depth, height, width
    int64_t out[3]
    int64_t in_size
    int64_t out_size


cdef int planes_of(const T7Tensor *input, int dims, Planes *p) noexcept nogil:
    """Reads batch, planes and spatial sizes off an input of dims spatial dimensions."""
    cdef int d, first = 3 - dims
    p.dims = dims
    if input._ndim == dims + 2:
        p.batched = True
        p.batch = input._size[0]
    elif input._ndim == dims + 1:
        p.batched = False
        p.batch = 1
    elif dims == 1:
        return fail_shape("2D or 3D (batch mode) tensor expected for input, but got: ", input)
    elif dims == 2:
        return fail_shape("3D or 4D (batch mode) tensor expected for input, but got: ", input)
    else:
        return fail_shape("4D or 5D (batch mode) tensor expected for input, but got: ", input)
    cdef int c = 1 if p.batched else 0
    p.planes = input._size[c]
    p.count = p.batch * p.planes
    for d in range(3):
        p.inp[d] = 1 if d < first else input._size[c + 1 + d - first]
        p.out[d] = 1
    p.in_size = p.inp[0] * p.inp[1] * p.inp[2]
    if p.in_size == 0 or p.count == 0:
        return fail_shape("non-empty input expected, but got: ", input)
    return 0


cdef void set_out_size(Planes *p) noexcept nogil:
    p.out_size = p.out[0] * p.out[1] * p.out[2]


cdef int out_shape(const Planes *p, int64_t *size) noexcept nogil:
    """Sizes of the output tensor; returns their count."""
    cdef int n = 0, d
    if p.batched:
        size[0] = p.batch
        n = 1
    size[n] = p.planes
    n += 1
    for d in range(3 - p.dims, 3):
        size[n] = p.out[d]
        n += 1
    return n


cdef int check_like_output(const Planes *p, const T7Tensor *t, const char *name) noexcept nogil:
    cdef int64_t size[5]
    cdef int n = out_shape(p, size), d
    cdef bint ok = t._ndim == n
    cdef char shape[256]
    cdef char wanted[256]
    cdef T7Tensor expected
    for d in range(n):
        ok = ok and t._size[d] == size[d]
    if not ok:
        size_text(t, shape, sizeof(shape))
        expected._ndim = n
        for d in range(n):
            expected._size[d] = size[d]
        size_text(&expected, wanted, sizeof(wanted))
        return t7_fail("%s of size %s expected, but got %s", name, wanted, shape)
    return 0


cdef int64_t pooled_size(int64_t size, int64_t k, int64_t s, int64_t pad, int64_t dil,
                         bint ceil_mode) noexcept nogil:
    """The original's output size: computed in single precision, and shortened by one when
    padding would start the last window outside the input."""
    cdef float span = <float>(size - (dil * (k - 1) + 1) + 2 * pad)
    cdef int64_t n
    if ceil_mode:
        n = <int64_t>ceilf(span / s) + 1
    else:
        n = <int64_t>floorf(span / s) + 1
    if pad > 0 and (n - 1) * s >= size + pad:
        n -= 1
    return n


cdef int window_planes(const T7Tensor *input, const T7PoolShape *s, Planes *p) noexcept nogil:
    cdef int d
    if s.dims < 2 or s.dims > 3:
        return t7_fail("pooling has 2 or 3 spatial dimensions, not %d", s.dims)
    for d in range(3):
        if s.kernel[d] <= 0 or s.stride[d] <= 0 or s.dilation[d] <= 0:
            return t7_fail("kernel size, stride and dilation should be greater than zero, but "
                           "got kernel %dx%dx%d, stride %dx%dx%d, dilation %dx%dx%d",
                           s.kernel[0], s.kernel[1], s.kernel[2], s.stride[0], s.stride[1],
                           s.stride[2], s.dilation[0], s.dilation[1], s.dilation[2])
        if s.pad[d] < 0 or s.pad[d] > s.kernel[d] // 2:
            return t7_fail("pad should be smaller than half of kernel size, but got "
                           "pad %dx%dx%d with kernel %dx%dx%d", s.pad[0], s.pad[1], s.pad[2],
                           s.kernel[0], s.kernel[1], s.kernel[2])
    if planes_of(input, s.dims, p) != 0:
        return -1
    for d in range(3):
        p.out[d] = pooled_size(p.inp[d], s.kernel[d], s.stride[d], s.pad[d], s.dilation[d],
                               s.ceil_mode != 0)
    set_out_size(p)
    if p.out[0] < 1 or p.out[1] < 1 or p.out[2] < 1:
        return t7_fail("Given input size: (%lldx%lldx%lldx%lld). Calculated output size: "
                       "(%lldx%lldx%lldx%lld). Output size is too small", <ll>p.planes,
                       <ll>p.inp[0], <ll>p.inp[1], <ll>p.inp[2], <ll>p.planes, <ll>p.out[0],
                       <ll>p.out[1], <ll>p.out[2])
    return 0


cdef int64_t plane_blocks(const Planes *p, int64_t cost_per_plane) noexcept nogil:
    return blocks_for(p.count, p.count * cost_per_plane)


# -- max pooling ------------------------------------------------------------------------------

cdef struct PoolCall:
    const Planes *p
    const T7PoolShape *s
    const void *input
    const void *grad_output
    void *output
    void *grad_input
    int64_t *indices
    int64_t index_base


cdef void max_pool_planes(floating *tag, PoolCall *c, int64_t first, int64_t last) noexcept nogil:
    cdef const Planes *p = c.p
    cdef const T7PoolShape *s = c.s
    cdef const floating *x
    cdef floating *y
    cdef int64_t *where
    cdef int64_t q, ot, oh, ow, t0, h0, w0, t1, h1, w1, t, h, w, at, best_at
    cdef floating best, v
    for q in range(first, last):
        x = <const floating *>c.input + q * p.in_size
        y = <floating *>c.output + q * p.out_size
        where = c.indices + q * p.out_size
        for ot in range(p.out[0]):
            t0 = ot * s.stride[0] - s.pad[0]
            t1 = min2(t0 + (s.kernel[0] - 1) * s.dilation[0] + 1, p.inp[0])
            while t0 < 0:
                t0 += s.dilation[0]
            for oh in range(p.out[1]):
                h0 = oh * s.stride[1] - s.pad[1]
                h1 = min2(h0 + (s.kernel[1] - 1) * s.dilation[1] + 1, p.inp[1])
                while h0 < 0:
                    h0 += s.dilation[1]
                for ow in range(p.out[2]):
                    w0 = ow * s.stride[2] - s.pad[2]
                    w1 = min2(w0 + (s.kernel[2] - 1) * s.dilation[2] + 1, p.inp[2])
                    while w0 < 0:
                        w0 += s.dilation[2]
                    best = -INFINITY
                    best_at = (t0 * p.inp[1] + h0) * p.inp[2] + w0
                    t = t0
                    while t < t1:
                        h = h0
                        while h < h1:
                            w = w0
                            while w < w1:
                                at = (t * p.inp[1] + h) * p.inp[2] + w
                                v = x[at]
                                if v > best:
                                    best = v
                                    best_at = at
                                w += s.dilation[2]
                            h += s.dilation[1]
                        t += s.dilation[0]
                    at = (ot * p.out[1] + oh) * p.out[2] + ow
                    y[at] = best
                    where[at] = best_at + c.index_base


ctypedef void (*plane_fn)(void *tag, PoolCall *c, int64_t first, int64_t last) noexcept nogil


cdef void run_planes(plane_fn fn, PoolCall *c, int64_t cost) noexcept nogil:
    parallel_ranges(<range_fn>fn, c, c.p.count, plane_blocks(c.p, cost))


cdef int prepare_indices(T7Tensor *indices, int n, const int64_t *size) noexcept nogil:
    if indices._dtype != T7_LONG:
        return t7_fail("indices must be a LongTensor, got a %sTensor", TYPE_NAMES[indices._dtype])
    return resize_contiguous(indices, n, size)


cdef public int t7_nn_max_pool(T7Tensor *output, T7Tensor *indices, const T7Tensor *input,
                               const T7PoolShape *shape, int64_t index_base) noexcept nogil:
    cdef Planes p
    cdef PoolCall c
    cdef int64_t size[5]
    cdef T7Tensor *copy
    if same_floating(input, output) != 0 or window_planes(input, shape, &p) != 0:
        return -1
    cdef int n = out_shape(&p, size)
    if resize_contiguous(output, n, size) != 0 or prepare_indices(indices, n, size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    memset(&c, 0, sizeof(c))
    c.p = &p
    c.s = shape
    c.input = tensor_data(x)
    c.output = tensor_data(output)
    c.indices = <int64_t *>tensor_data(indices)
    c.index_base = index_base
    cdef int64_t cost = p.out_size * shape.kernel[0] * shape.kernel[1] * shape.kernel[2]
    if input._dtype == T7_FLOAT:
        run_planes(<plane_fn>max_pool_planes[float], &c, cost)
    else:
        run_planes(<plane_fn>max_pool_planes[double], &c, cost)
    t7_tensor_release(copy)
    return 0


# -- scatter and gather by recorded positions ---------------------------------------------------

cdef struct IndexCall:
    int64_t planes
    int64_t dst_size          # elements per plane
    int64_t src_size
    const void *src
    void *dst
    const int64_t *indices
    int64_t index_base
    bint gather
    int bad


cdef void index_planes(floating *tag, IndexCall *c, int64_t first, int64_t last) noexcept nogil:
    cdef int64_t q, j, at
    cdef const floating *src
    cdef floating *dst
    cdef const int64_t *where
    cdef int64_t n = c.src_size if not c.gather else c.dst_size
    cdef int64_t limit = c.dst_size if not c.gather else c.src_size
    for q in range(first, last):
        src = <const floating *>c.src + q * c.src_size
        dst = <floating *>c.dst + q * c.dst_size
        where = c.indices + q * n
        for j in range(n):
            at = where[j] - c.index_base
            if at < 0 or at >= limit:
                c.bad = 1
                continue
            if c.gather:
                dst[j] = src[at]
            else:
                dst[at] += src[j]


cdef int plane_elements(const T7Tensor *t, int dims, int64_t *planes,
                        int64_t *size) noexcept nogil:
    cdef int d
    if t._ndim < dims + 1:
        return fail_shape("a tensor of planes expected, but got: ", t)
    size[0] = 1
    for d in range(t._ndim - dims, t._ndim):
        size[0] *= t._size[d]
    planes[0] = nelement(t) // size[0] if size[0] > 0 else 0
    return 0


cdef int run_index(T7Tensor *dst, const T7Tensor *src, const T7Tensor *indices, int dims,
                   int64_t index_base, bint gather) noexcept nogil:
    cdef IndexCall c
    cdef int64_t dst_planes = 0, src_planes = 0, idx_planes = 0, idx_size = 0
    cdef T7Tensor *copy_src
    cdef T7Tensor *copy_idx
    if same_floating(dst, src) != 0:
        return -1
    if indices._dtype != T7_LONG:
        return t7_fail("indices must be a LongTensor, got a %sTensor", TYPE_NAMES[indices._dtype])
    if not contiguous(dst):
        return t7_fail("the result tensor must be contiguous")
    if plane_elements(dst, dims, &dst_planes, &c.dst_size) != 0 \
            or plane_elements(src, dims, &src_planes, &c.src_size) != 0 \
            or plane_elements(indices, dims, &idx_planes, &idx_size) != 0:
        return -1
    if dst_planes != src_planes or idx_planes != src_planes \
            or idx_size != (c.dst_size if gather else c.src_size):
        return t7_fail("indices (%lld planes of %lld), source (%lld planes of %lld) and result "
                       "(%lld planes of %lld) do not match", <ll>idx_planes, <ll>idx_size,
                       <ll>src_planes, <ll>c.src_size, <ll>dst_planes, <ll>c.dst_size)
    cdef const T7Tensor *s = contiguous_or_copy(src, &copy_src)
    if s == NULL:
        return -1
    cdef const T7Tensor *ix = contiguous_or_copy(indices, &copy_idx)
    if ix == NULL:
        t7_tensor_release(copy_src)
        return -1
    c.planes = src_planes
    c.src = tensor_data(s)
    c.dst = tensor_data(dst)
    c.indices = <const int64_t *>tensor_data(ix)
    c.index_base = index_base
    c.gather = gather
    c.bad = 0
    parallel_ranges(by_precision(dst._dtype, <range_fn>index_planes[float],
                                 <range_fn>index_planes[double]), &c, c.planes,
                    blocks_for(c.planes, c.planes * idx_size))
    t7_tensor_release(copy_src)
    t7_tensor_release(copy_idx)
    if c.bad:
        return t7_fail("an index lies outside its plane (of %lld elements)",
                       <ll>(c.src_size if gather else c.dst_size))
    return 0


cdef public int t7_nn_scatter_by_index(T7Tensor *dst, const T7Tensor *src,
                                       const T7Tensor *indices, int dims,
                                       int64_t index_base) noexcept nogil:
    return run_index(dst, src, indices, dims, index_base, False)


cdef public int t7_nn_gather_by_index(T7Tensor *dst, const T7Tensor *src,
                                      const T7Tensor *indices, int dims,
                                      int64_t index_base) noexcept nogil:
    return run_index(dst, src, indices, dims, index_base, True)


# -- average pooling ----------------------------------------------------------------------------

cdef inline int64_t window_divisor(const T7PoolShape *s, const Planes *p, int64_t *lo,
                                   int64_t *hi) noexcept nogil:
    """Clips the window [lo, hi) (per dimension, padding included) to the input; returns
    the count to divide by: the padded window's size or the clipped one's."""
    cdef int64_t padded = 1, clipped = 1
    cdef int d
    for d in range(3):
        hi[d] = min2(hi[d], p.inp[d] + s.pad[d])
        padded *= hi[d] - lo[d]
        lo[d] = max2(lo[d], 0)
        hi[d] = min2(hi[d], p.inp[d])
        clipped *= hi[d] - lo[d]
    return padded if s.count_include_pad else clipped


cdef void avg_pool_planes(floating *tag, PoolCall *c, int64_t first, int64_t last) noexcept nogil:
    cdef const Planes *p = c.p
    cdef const T7PoolShape *s = c.s
    cdef int64_t q, ot, oh, ow, t, h, w, divisor
    cdef int64_t lo[3]
    cdef int64_t hi[3]
    cdef floating total
    cdef const floating *x = NULL
    cdef floating *y = NULL
    cdef floating *gi = NULL
    cdef const floating *go = NULL
    cdef bint backward = c.grad_input != NULL
    cdef floating g
    for q in range(first, last):
        if backward:
            gi = <floating *>c.grad_input + q * p.in_size
            go = <const floating *>c.grad_output + q * p.out_size
            memset(gi, 0, p.in_size * sizeof(floating))
        else:
            x = <const floating *>c.input + q * p.in_size
            y = <floating *>c.output + q * p.out_size
        for ot in range(p.out[0]):
            for oh in range(p.out[1]):
                for ow in range(p.out[2]):
                    lo[0] = ot * s.stride[0] - s.pad[0]
                    lo[1] = oh * s.stride[1] - s.pad[1]
                    lo[2] = ow * s.stride[2] - s.pad[2]
                    hi[0] = lo[0] + s.kernel[0]
                    hi[1] = lo[1] + s.kernel[1]
                    hi[2] = lo[2] + s.kernel[2]
                    divisor = window_divisor(s, p, lo, hi)
                    if backward:
                        g = go[(ot * p.out[1] + oh) * p.out[2] + ow] / divisor
                        for t in range(lo[0], hi[0]):
                            for h in range(lo[1], hi[1]):
                                for w in range(lo[2], hi[2]):
                                    gi[(t * p.inp[1] + h) * p.inp[2] + w] += g
                    else:
                        total = 0
                        for t in range(lo[0], hi[0]):
                            for h in range(lo[1], hi[1]):
                                for w in range(lo[2], hi[2]):
                                    total = total + x[(t * p.inp[1] + h) * p.inp[2] + w]
                        y[(ot * p.out[1] + oh) * p.out[2] + ow] = total / divisor


cdef public int t7_nn_avg_pool(T7Tensor *output, const T7Tensor *input,
                               const T7PoolShape *shape) noexcept nogil:
    cdef Planes p
    cdef PoolCall c
    cdef int64_t size[5]
    cdef T7Tensor *copy
    if same_floating(input, output) != 0 or window_planes(input, shape, &p) != 0:
        return -1
    if resize_contiguous(output, out_shape(&p, size), size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    memset(&c, 0, sizeof(c))
    c.p = &p
    c.s = shape
    c.input = tensor_data(x)
    c.output = tensor_data(output)
    cdef int64_t cost = p.out_size * shape.kernel[0] * shape.kernel[1] * shape.kernel[2]
    if input._dtype == T7_FLOAT:
        run_planes(<plane_fn>avg_pool_planes[float], &c, cost)
    else:
        run_planes(<plane_fn>avg_pool_planes[double], &c, cost)
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_avg_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                        const T7Tensor *grad_output,
                                        const T7PoolShape *shape) noexcept nogil:
    cdef Planes p
    cdef PoolCall c
    cdef T7Tensor *copy
    if same_floating(input, grad_input) != 0 or same_type(input, grad_output) != 0 \
            or window_planes(input, shape, &p) != 0 \
            or check_like_output(&p, grad_output, "gradOutput") != 0:
        return -1
    if resize_like(grad_input, input) != 0:
        return -1
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy)
    if go == NULL:
        return -1
    memset(&c, 0, sizeof(c))
    c.p = &p
    c.s = shape
    c.grad_output = tensor_data(go)
    c.grad_input = tensor_data(grad_input)
    cdef int64_t cost = p.out_size * shape.kernel[0] * shape.kernel[1] * shape.kernel[2]
    if input._dtype == T7_FLOAT:
        run_planes(<plane_fn>avg_pool_planes[float], &c, cost)
    else:
        run_planes(<plane_fn>avg_pool_planes[double], &c, cost)
    t7_tensor_release(copy)
    return 0


# -- adaptive pooling ---------------------------------------------------------------------------

cdef inline void adaptive_window(int64_t i, int64_t n_out, int64_t n_in, bint max_rule,
                                 int64_t *lo, int64_t *hi) noexcept nogil:
    """The original's windows, in single precision: max pooling scales i / n_out, average
    pooling i * n_in (the two rounded differently there)."""
    if max_rule:
        lo[0] = <int64_t>floorf(<float>i / n_out * n_in)
        hi[0] = <int64_t>ceilf(<float>(i + 1) / n_out * n_in)
    else:
        lo[0] = <int64_t>floorf(<float>(i * n_in) / n_out)
        hi[0] = <int64_t>ceilf(<float>((i + 1) * n_in) / n_out)


cdef void adaptive_planes(floating *tag, PoolCall *c, int64_t first, int64_t last) noexcept nogil:
    cdef const Planes *p = c.p
    cdef bint is_max = c.indices != NULL
    cdef bint backward = c.grad_input != NULL
    cdef int64_t q, oh, ow, h, w, h0, h1, w0, w1, at, best_at
    cdef floating total, best, v, g
    cdef const floating *x = NULL
    cdef floating *y = NULL
    cdef floating *gi = NULL
    cdef const floating *go = NULL
    cdef int64_t H = p.inp[1], W = p.inp[2]
    for q in range(first, last):
        if backward:
            gi = <floating *>c.grad_input + q * p.in_size
            go = <const floating *>c.grad_output + q * p.out_size
            memset(gi, 0, p.in_size * sizeof(floating))
        else:
            x = <const floating *>c.input + q * p.in_size
            y = <floating *>c.output + q * p.out_size
        for oh in range(p.out[1]):
            adaptive_window(oh, p.out[1], H, is_max, &h0, &h1)
            for ow in range(p.out[2]):
                adaptive_window(ow, p.out[2], W, is_max, &w0, &w1)
                at = oh * p.out[2] + ow
                if backward:
                    g = go[at] / ((h1 - h0) * (w1 - w0))
                    for h in range(h0, h1):
                        for w in range(w0, w1):
                            gi[h * W + w] += g
                elif is_max:
                    best = -INFINITY
                    best_at = h0 * W + w0
                    for h in range(h0, h1):
                        for w in range(w0, w1):
                            v = x[h * W + w]
                            if v > best:
                                best = v
                                best_at = h * W + w
                    y[at] = best
                    c.indices[q * p.out_size + at] = best_at + c.index_base
                else:
                    total = 0
                    for h in range(h0, h1):
                        for w in range(w0, w1):
                            total = total + x[h * W + w]
                    y[at] = total / ((h1 - h0) * (w1 - w0))


cdef int adaptive_planes_of(const T7Tensor *input, int64_t out_h, int64_t out_w,
                            Planes *p) noexcept nogil:
    if out_h < 1 or out_w < 1:
        return t7_fail("output size must be positive, got %lldx%lld", <ll>out_h, <ll>out_w)
    if planes_of(input, 2, p) != 0:
        return -1
    p.out[1] = out_h
    p.out[2] = out_w
    set_out_size(p)
    return 0


cdef public int t7_nn_adaptive_pool(T7Tensor *output, T7Tensor *indices, const T7Tensor *input,
                                    int64_t out_h, int64_t out_w,
                                    int64_t index_base) noexcept nogil:
    cdef Planes p
    cdef PoolCall c
    cdef int64_t size[5]
    cdef T7Tensor *copy
    if same_floating(input, output) != 0 or adaptive_planes_of(input, out_h, out_w, &p) != 0:
        return -1
    cdef int n = out_shape(&p, size)
    if resize_contiguous(output, n, size) != 0:
        return -1
    if indices != NULL and prepare_indices(indices, n, size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    memset(&c, 0, sizeof(c))
    c.p = &p
    c.input = tensor_data(x)
    c.output = tensor_data(output)
    c.indices = <int64_t *>tensor_data(indices) if indices != NULL else NULL
    c.index_base = index_base
    cdef int64_t cost = p.in_size + p.out_size
    if input._dtype == T7_FLOAT:
        run_planes(<plane_fn>adaptive_planes[float], &c, cost)
    else:
        run_planes(<plane_fn>adaptive_planes[double], &c, cost)
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_adaptive_avg_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                                 const T7Tensor *grad_output) noexcept nogil:
    cdef Planes p
    cdef PoolCall c
    cdef T7Tensor *copy
    if same_floating(input, grad_input) != 0 or same_type(input, grad_output) != 0:
        return -1
    if grad_output._ndim != input._ndim or input._ndim < 3:
        return fail_shape("gradOutput with as many dimensions as the input expected, but got: ",
                          grad_output)
    if adaptive_planes_of(input, grad_output._size[grad_output._ndim - 2],
                          grad_output._size[grad_output._ndim - 1], &p) != 0 \
            or check_like_output(&p, grad_output, "gradOutput") != 0:
        return -1
    if resize_like(grad_input, input) != 0:
        return -1
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy)
    if go == NULL:
        return -1
    memset(&c, 0, sizeof(c))
    c.p = &p
    c.grad_output = tensor_data(go)
    c.grad_input = tensor_data(grad_input)
    cdef int64_t cost = p.in_size + p.out_size
    if input._dtype == T7_FLOAT:
        run_planes(<plane_fn>adaptive_planes[float], &c, cost)
    else:
        run_planes(<plane_fn>adaptive_planes[double], &c, cost)
    t7_tensor_release(copy)
    return 0


# -- fractional max pooling ---------------------------------------------------------------------

cdef struct FractionalCall:
    const Planes *p
    int64_t pool[3]
    const void *input
    const void *samples
    void *output
    int64_t *indices
    int64_t index_base
    int failed


cdef bint fractional_starts(floating sample, int64_t n_in, int64_t n_out, int64_t pool,
                            int64_t *starts) noexcept nogil:
    """The original's pseudo-random window starts for one dimension, in the element type's
    precision; False when a window would leave the input."""
    cdef floating alpha
    cdef int64_t i
    if n_out == 1:
        starts[0] = n_in - pool
        return starts[0] >= 0
    alpha = <floating>(n_in - pool) / <floating>(n_out - 1)
    for i in range(n_out - 1):
        starts[i] = <int64_t>((i + sample) * alpha) - <int64_t>(sample * alpha)
    starts[n_out - 1] = n_in - pool
    for i in range(n_out):
        if starts[i] < 0 or starts[i] + pool > n_in:
            return False
    return True


cdef void fractional_planes(floating *tag, FractionalCall *c, int64_t first,
                            int64_t last) noexcept nogil:
    cdef const Planes *p = c.p
    cdef int dims = p.dims
    cdef int64_t *starts = <int64_t *>malloc((p.out[0] + p.out[1] + p.out[2]) * sizeof(int64_t))
    cdef int64_t *seq[3]
    cdef int64_t *st
    cdef int64_t *sh
    cdef int64_t *sw
    cdef const floating *sample
    cdef const floating *x
    cdef floating *y
    cdef floating best, v
    cdef int64_t q, ot, oh, ow, t, h, w, at, best_at
    cdef int d
    cdef bint ok
    if starts == NULL:
        c.failed = 1
        return
    st = seq[0] = starts
    sh = seq[1] = starts + p.out[0]
    sw = seq[2] = sh + p.out[1]
    st[0] = 0
    for q in range(first, last):
        # a plane's samples go to its spatial dimensions last first, as in the original
        sample = <const floating *>c.samples + q * dims
        ok = True
        for d in range(3 - dims, 3):
            ok = ok and fractional_starts(sample[2 - d], p.inp[d], p.out[d], c.pool[d], seq[d])
        if not ok:
            c.failed = 2
            continue
        x = <const floating *>c.input + q * p.in_size
        y = <floating *>c.output + q * p.out_size
        for ot in range(p.out[0]):
            for oh in range(p.out[1]):
                for ow in range(p.out[2]):
                    best = -INFINITY
                    best_at = (st[ot] * p.inp[1] + sh[oh]) * p.inp[2] + sw[ow]
                    for t in range(st[ot], st[ot] + c.pool[0]):
                        for h in range(sh[oh], sh[oh] + c.pool[1]):
                            for w in range(sw[ow], sw[ow] + c.pool[2]):
                                at = (t * p.inp[1] + h) * p.inp[2] + w
                                v = x[at]
                                if v > best:
                                    best = v
                                    best_at = at
                    at = (ot * p.out[1] + oh) * p.out[2] + ow
                    y[at] = best
                    c.indices[q * p.out_size + at] = best_at + c.index_base
    free(starts)


cdef public int t7_nn_fractional_max_pool(T7Tensor *output, T7Tensor *indices,
                                          const T7Tensor *input, const T7Tensor *samples,
                                          int dims, const int64_t *out_size,
                                          const int64_t *pool_size,
                                          int64_t index_base) noexcept nogil:
    """out_size and pool_size in the order of the input's spatial dimensions (3 entries,
    the first ignored in 2-D)."""
    cdef Planes p
    cdef FractionalCall c
    cdef int64_t size[5]
    cdef T7Tensor *copy
    cdef T7Tensor *copy_samples
    cdef int d
    if dims != 2 and dims != 3:
        return t7_fail("fractional pooling has 2 or 3 spatial dimensions, not %d", dims)
    if same_floating(input, output) != 0 or same_type(input, samples) != 0 \
            or planes_of(input, dims, &p) != 0:
        return -1
    memset(&c, 0, sizeof(c))
    for d in range(3 - dims, 3):
        if out_size[d] < 1 or pool_size[d] < 1 or out_size[d] + pool_size[d] - 1 >= p.inp[d]:
            return t7_fail("pool size %lld too large relative to input size %lld for an "
                           "output size of %lld", <ll>pool_size[d], <ll>p.inp[d],
                           <ll>out_size[d])
        p.out[d] = out_size[d]
        c.pool[d] = pool_size[d]
    if dims == 2:
        c.pool[0] = 1
    set_out_size(&p)
    if nelement(samples) != p.count * dims:
        return t7_fail("%lld random samples expected (%d per plane), got %lld",
                       <ll>(p.count * dims), dims, <ll>nelement(samples))
    cdef int n = out_shape(&p, size)
    if resize_contiguous(output, n, size) != 0 or prepare_indices(indices, n, size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    cdef const T7Tensor *sm = contiguous_or_copy(samples, &copy_samples)
    if sm == NULL:
        t7_tensor_release(copy)
        return -1
    c.p = &p
    c.input = tensor_data(x)
    c.samples = tensor_data(sm)
    c.output = tensor_data(output)
    c.indices = <int64_t *>tensor_data(indices)
    c.index_base = index_base
    parallel_ranges(by_precision(input._dtype, <range_fn>fractional_planes[float],
                                 <range_fn>fractional_planes[double]), &c, p.count,
                    plane_blocks(&p, p.out_size * c.pool[0] * c.pool[1] * c.pool[2]))
    t7_tensor_release(copy)
    t7_tensor_release(copy_samples)
    if c.failed == 1:
        return t7_fail("not enough memory for fractional pooling")
    if c.failed == 2:
        return t7_fail("random samples must lie in [0, 1)")
    return 0


# -- temporal max pooling -------------------------------------------------------------------------

cdef int temporal_frames(const T7Tensor *input, int64_t kW, int64_t dW, int64_t *batch,
                         int64_t *frames, int64_t *features, int64_t *out_frames) noexcept nogil:
    if kW <= 0 or dW <= 0:
        return t7_fail("kernel size and stride should be greater than zero, but got kW: %lld "
                       "dW: %lld", <ll>kW, <ll>dW)
    if input._ndim == 2:
        batch[0] = 1
    elif input._ndim == 3:
        batch[0] = input._size[0]
    else:
        return fail_shape("2D or 3D (batch mode) tensor expected for input, but got: ", input)
    frames[0] = input._size[input._ndim - 2]
    features[0] = input._size[input._ndim - 1]
    if frames[0] < kW:
        return t7_fail("input sequence smaller than kernel size. Got: %lld, Expected: %lld",
                       <ll>frames[0], <ll>kW)
    out_frames[0] = (frames[0] - kW) // dW + 1
    return 0


cdef void temporal_max(const floating *x, floating *y, int64_t *where,
                       int64_t count, int64_t frames, int64_t features, int64_t out_frames,
                       int64_t kW, int64_t dW) noexcept nogil:
    """Per frame group and feature: the maximum over kW frames, and its offset in the
    window (from 0, as the original recorded it)."""
    cdef int64_t n, t, f, k
    cdef const floating *window
    cdef floating *out
    cdef int64_t *at
    cdef floating v
    for n in range(count):
        for t in range(out_frames):
            window = x + (n * frames + t * dW) * features
            out = y + (n * out_frames + t) * features
            at = where + (n * out_frames + t) * features
            for f in range(features):
                out[f] = window[f]
                at[f] = 0
            for k in range(1, kW):
                for f in range(features):
                    v = window[k * features + f]
                    if v > out[f]:
                        out[f] = v
                        at[f] = k


cdef public int t7_nn_temporal_max_pool(T7Tensor *output, T7Tensor *indices,
                                        const T7Tensor *input, int64_t kW,
                                        int64_t dW) noexcept nogil:
    cdef int64_t batch, frames, features, out_frames
    cdef int64_t size[3]
    cdef T7Tensor *copy
    if same_floating(input, output) != 0 \
            or temporal_frames(input, kW, dW, &batch, &frames, &features, &out_frames) != 0:
        return -1
    cdef int n = 0
    if input._ndim == 3:
        size[0] = batch
        n = 1
    size[n] = out_frames
    size[n + 1] = features
    if resize_contiguous(output, n + 2, size) != 0 or prepare_indices(indices, n + 2, size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    if input._dtype == T7_FLOAT:
        temporal_max(<const float *>tensor_data(x), <float *>tensor_data(output),
                     <int64_t *>tensor_data(indices), batch, frames, features, out_frames, kW, dW)
    else:
        temporal_max(<const double *>tensor_data(x), <double *>tensor_data(output),
                     <int64_t *>tensor_data(indices), batch, frames, features, out_frames, kW, dW)
    t7_tensor_release(copy)
    return 0


cdef void temporal_max_backward(floating *tag, floating *gi, const floating *go,
                                const int64_t *where, int64_t count, int64_t frames,
                                int64_t features, int64_t out_frames, int64_t kW,
                                int64_t dW) noexcept nogil:
    cdef int64_t n, t, f, k
    memset(gi, 0, count * frames * features * sizeof(floating))
    for n in range(count):
        for t in range(out_frames):
            for f in range(features):
                k = where[(n * out_frames + t) * features + f]
                if 0 <= k < kW:
                    gi[(n * frames + t * dW + k) * features + f] += \
                        go[(n * out_frames + t) * features + f]


cdef public int t7_nn_temporal_max_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                                 const T7Tensor *grad_output,
                                                 const T7Tensor *indices, int64_t kW,
                                                 int64_t dW) noexcept nogil:
    cdef int64_t batch, frames, features, out_frames
    cdef T7Tensor *copy_go
    cdef T7Tensor *copy_idx
    if same_floating(input, grad_input) != 0 or same_type(input, grad_output) != 0 \
            or temporal_frames(input, kW, dW, &batch, &frames, &features, &out_frames) != 0:
        return -1
    if nelement(grad_output) != batch * out_frames * features \
            or nelement(indices) != nelement(grad_output) or indices._dtype != T7_LONG:
        return t7_fail("gradOutput and indices must hold %lld frames of %lld features",
                       <ll>(batch * out_frames), <ll>features)
    if resize_like(grad_input, input) != 0:
        return -1
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy_go)
    if go == NULL:
        return -1
    cdef const T7Tensor *ix = contiguous_or_copy(indices, &copy_idx)
    if ix == NULL:
        t7_tensor_release(copy_go)
        return -1
    if input._dtype == T7_FLOAT:
        temporal_max_backward(<float *>NULL, <float *>tensor_data(grad_input),
                              <const float *>tensor_data(go), <const int64_t *>tensor_data(ix),
                              batch, frames, features, out_frames, kW, dW)
    else:
        temporal_max_backward(<double *>NULL, <double *>tensor_data(grad_input),
                              <const double *>tensor_data(go), <const int64_t *>tensor_data(ix),
                              batch, frames, features, out_frames, kW, dW)
    t7_tensor_release(copy_go)
    t7_tensor_release(copy_idx)
    return 0


# -- sub-sampling: a window sum times a learnt weight per plane, plus a bias -----------------

cdef struct SubCall:
    const Planes *p
    int64_t k[2]              # kernel height, width
    int64_t d[2]              # strides
    const void *input
    const void *grad_output
    const void *weight
    const void *bias
    void *output
    void *grad_input
    void *grad_weight
    void *grad_bias
    double scale


cdef inline floating window_sum(const floating *x, int64_t W, int64_t h0, int64_t w0,
                                const int64_t *k) noexcept nogil:
    cdef int64_t h, w
    cdef floating total = 0
    for h in range(h0, h0 + k[0]):
        for w in range(w0, w0 + k[1]):
            total = total + x[h * W + w]
    return total


cdef void subsample_planes(floating *tag, SubCall *c, int64_t first, int64_t last) noexcept nogil:
    """Forward (grad_input NULL) or input gradient, plane by plane."""
    cdef const Planes *p = c.p
    cdef const floating *wt = <const floating *>c.weight
    cdef const floating *b = <const floating *>c.bias
    cdef int64_t q, oh, ow, h, w, ch
    cdef int64_t H = p.inp[1], W = p.inp[2], oH = p.out[1], oW = p.out[2]
    cdef const floating *x
    cdef floating *y
    cdef floating *gi
    cdef const floating *go
    cdef floating v
    for q in range(first, last):
        ch = q % p.planes
        if c.grad_input == NULL:
            x = <const floating *>c.input + q * p.in_size
            y = <floating *>c.output + q * p.out_size
            for oh in range(oH):
                for ow in range(oW):
                    y[oh * oW + ow] = wt[ch] * window_sum(x, W, oh * c.d[0], ow * c.d[1], c.k) \
                        + b[ch]
        else:
            gi = <floating *>c.grad_input + q * p.in_size
            go = <const floating *>c.grad_output + q * p.out_size
            memset(gi, 0, p.in_size * sizeof(floating))
            for oh in range(oH):
                for ow in range(oW):
                    v = wt[ch] * go[oh * oW + ow]
                    for h in range(oh * c.d[0], oh * c.d[0] + c.k[0]):
                        for w in range(ow * c.d[1], ow * c.d[1] + c.k[1]):
                            gi[h * W + w] += v


cdef void subsample_params(floating *tag, SubCall *c) noexcept nogil:
    cdef const Planes *p = c.p
    cdef floating *gw = <floating *>c.grad_weight
    cdef floating *gb = <floating *>c.grad_bias
    cdef int64_t q, oh, ow, ch
    cdef const floating *x
    cdef const floating *go
    cdef double sw, sb
    for q in range(p.count):
        ch = q % p.planes
        x = <const floating *>c.input + q * p.in_size
        go = <const floating *>c.grad_output + q * p.out_size
        sw = 0
        sb = 0
        for oh in range(p.out[1]):
            for ow in range(p.out[2]):
                sb += go[oh * p.out[2] + ow]
                sw += go[oh * p.out[2] + ow] \
                    * window_sum(x, p.inp[2], oh * c.d[0], ow * c.d[1], c.k)
        gw[ch] += <floating>(c.scale * sw)
        gb[ch] += <floating>(c.scale * sb)


cdef int subsample_setup(SubCall *c, Planes *p, const T7Tensor *input, const T7Tensor *weight,
                         int64_t kW, int64_t kH, int64_t dW, int64_t dH) noexcept nogil:
    memset(c, 0, sizeof(SubCall))
    if same_floating(input, weight) != 0 or planes_of(input, 2, p) != 0:
        return -1
    if kW < 1 or kH < 1 or dW < 1 or dH < 1:
        return t7_fail("kernel size and stride must be positive")
    if p.inp[1] < kH or p.inp[2] < kW:
        return t7_fail("input image (%lldx%lld) smaller than kernel size (%lldx%lld)",
                       <ll>p.inp[1], <ll>p.inp[2], <ll>kH, <ll>kW)
    if nelement(weight) != p.planes or not contiguous(weight):
        return t7_fail("the weight must be contiguous, one value per plane (%lld)",
                       <ll>p.planes)
    p.out[1] = (p.inp[1] - kH) // dH + 1
    p.out[2] = (p.inp[2] - kW) // dW + 1
    set_out_size(p)
    c.p = p
    c.k[0], c.k[1], c.d[0], c.d[1] = kH, kW, dH, dW
    c.weight = tensor_data(weight)
    return 0


cdef public int t7_nn_subsampling(T7Tensor *output, const T7Tensor *input,
                                  const T7Tensor *weight, const T7Tensor *bias, int64_t kW,
                                  int64_t kH, int64_t dW, int64_t dH) noexcept nogil:
    cdef SubCall c
    cdef Planes p
    cdef int64_t size[5]
    cdef T7Tensor *copy
    if subsample_setup(&c, &p, input, weight, kW, kH, dW, dH) != 0 \
            or per_plane(bias, input, p.planes, "bias") != 0 or same_type(input, output) != 0 \
            or resize_contiguous(output, out_shape(&p, size), size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    c.input = tensor_data(x)
    c.bias = tensor_data(bias)
    c.output = tensor_data(output)
    parallel_ranges(by_precision(input._dtype, <range_fn>subsample_planes[float],
                                 <range_fn>subsample_planes[double]), &c, p.count,
                    plane_blocks(&p, p.out_size * kW * kH))
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_subsampling_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                                 const T7Tensor *grad_output,
                                                 const T7Tensor *weight, int64_t kW,
                                                 int64_t kH, int64_t dW,
                                                 int64_t dH) noexcept nogil:
    cdef SubCall c
    cdef Planes p
    cdef T7Tensor *copy
    if subsample_setup(&c, &p, input, weight, kW, kH, dW, dH) != 0 \
            or same_type(input, grad_output) != 0 \
            or check_like_output(&p, grad_output, "gradOutput") != 0 \
            or resize_like(grad_input, input) != 0:
        return -1
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy)
    if go == NULL:
        return -1
    c.grad_output = tensor_data(go)
    c.grad_input = tensor_data(grad_input)
    parallel_ranges(by_precision(input._dtype, <range_fn>subsample_planes[float],
                                 <range_fn>subsample_planes[double]), &c, p.count,
                    plane_blocks(&p, p.out_size * kW * kH))
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_subsampling_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                                  const T7Tensor *input,
                                                  const T7Tensor *grad_output, int64_t kW,
                                                  int64_t kH, int64_t dW, int64_t dH,
                                                  double scale) noexcept nogil:
    cdef SubCall c
    cdef Planes p
    cdef T7Tensor *copies[2]
    if subsample_setup(&c, &p, input, grad_weight, kW, kH, dW, dH) != 0 \
            or per_plane(grad_bias, input, p.planes, "gradBias") != 0 \
            or same_type(input, grad_output) != 0 \
            or check_like_output(&p, grad_output, "gradOutput") != 0:
        return -1
    copies[0] = copies[1] = NULL
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copies[1])
    cdef int status = 0
    if x == NULL or go == NULL:
        status = -1
    else:
        c.input = tensor_data(x)
        c.grad_output = tensor_data(go)
        c.grad_weight = tensor_data(grad_weight)
        c.grad_bias = tensor_data(grad_bias)
        c.scale = scale
        if input._dtype == T7_FLOAT:
            subsample_params(<float *>NULL, &c)
        else:
            subsample_params(<double *>NULL, &c)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status


# -- LP pooling across features ------------------------------------------------------------------

cdef int feature_layout(const T7Tensor *t, int batch_mode, int64_t *outer, int64_t *features,
                        int64_t *inner) noexcept nogil:
    """Reads [batch] x features x [positions...]: up to 4 dimensions with a batch, 3
    without."""
    cdef int d, first = 1 if batch_mode else 0
    if (batch_mode and (t._ndim < 2 or t._ndim > 4)) \
            or (not batch_mode and (t._ndim < 1 or t._ndim > 3)):
        return fail_shape("input must be 2-4 dimensions for batch mode, 1-3 otherwise, but got "
                          "input of size ", t)
    outer[0] = t._size[0] if batch_mode else 1
    features[0] = t._size[first]
    inner[0] = 1
    for d in range(first + 1, t._ndim):
        inner[0] *= t._size[d]
    return 0


cdef void feature_lp(floating *tag, const floating *x, floating *y, const floating *go,
                     floating *gi, int64_t outer, int64_t F, int64_t Fo, int64_t inner,
                     int64_t width, int64_t stride, double power) noexcept nogil:
    """Forward (gi NULL): y = (sum of x^p over width features)^(1/p); else the gradient
    gi += go * (x / y)^(p - 1)."""
    cdef int64_t b, f, j, i
    cdef double v
    cdef floating out
    for b in range(outer):
        for f in range(Fo):
            for i in range(inner):
                if gi == NULL:
                    v = 0
                    for j in range(width):
                        v += pow(x[(b * F + f * stride + j) * inner + i], power)
                    y[(b * Fo + f) * inner + i] = <floating>pow(v, 1 / power)
                    continue
                out = y[(b * Fo + f) * inner + i]
                if out == 0:
                    continue
                for j in range(width):
                    gi[(b * F + f * stride + j) * inner + i] += <floating>(
                        go[(b * Fo + f) * inner + i]
                        * pow(x[(b * F + f * stride + j) * inner + i] / out, power - 1))


cdef int feature_lp_call(T7Tensor *output, T7Tensor *grad_input, const T7Tensor *grad_output,
                         const T7Tensor *input, double power, int64_t width, int64_t stride,
                         int batch_mode) noexcept nogil:
    cdef int64_t outer = 0, F = 0, inner = 0, Fo
    cdef int64_t size[4]
    cdef int d
    cdef T7Tensor *copies[2]
    if same_floating(input, output) != 0 \
            or feature_layout(input, batch_mode, &outer, &F, &inner) != 0:
        return -1
    if width < 2 or width > 16 or stride < 1 or stride > 4:
        return t7_fail("width must be between 2 - 16 and stride between 1 - 4, got %lld and "
                       "%lld", <ll>width, <ll>stride)
    if F < width:
        return t7_fail("input: feature dimension (%lld) must be >= width (%lld)", <ll>F,
                       <ll>width)
    Fo = (F - width) // stride + 1
    for d in range(input._ndim):
        size[d] = input._size[d]
    size[1 if batch_mode else 0] = Fo
    copies[0] = copies[1] = NULL
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef const T7Tensor *go = NULL
    cdef int status = 0
    if grad_input == NULL:
        if resize_contiguous(output, input._ndim, size) != 0:
            status = -1
    else:
        if same_type(input, grad_output) != 0 or same_type(input, grad_input) != 0 \
                or nelement(grad_output) != outer * Fo * inner \
                or nelement(output) != outer * Fo * inner or not contiguous(output):
            status = t7_fail("gradOutput and output must match the pooled size (forward "
                             "first)")
        elif resize_like(grad_input, input) != 0 or t7_tensor_fill(grad_input, 0) != 0:
            status = -1
        else:
            go = contiguous_or_copy(grad_output, &copies[1])
            if go == NULL:
                status = -1
    if x == NULL:
        status = -1
    if status == 0 and input._dtype == T7_FLOAT:
        feature_lp(<float *>NULL, <const float *>tensor_data(x), <float *>tensor_data(output),
                   <const float *>tensor_data(go) if go != NULL else NULL,
                   <float *>tensor_data(grad_input) if grad_input != NULL else NULL, outer, F, Fo,
                   inner, width, stride, power)
    elif status == 0:
        feature_lp(<double *>NULL, <const double *>tensor_data(x),
                   <double *>tensor_data(output),
                   <const double *>tensor_data(go) if go != NULL else NULL,
                   <double *>tensor_data(grad_input) if grad_input != NULL else NULL, outer, F,
                   Fo, inner, width, stride, power)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status


cdef public int t7_nn_feature_lp_pool(T7Tensor *output, const T7Tensor *input, double power,
                                      int64_t width, int64_t stride,
                                      int batch_mode) noexcept nogil:
    return feature_lp_call(output, NULL, NULL, input, power, width, stride, batch_mode)


cdef public int t7_nn_feature_lp_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                               const T7Tensor *grad_output,
                                               const T7Tensor *output, double power,
                                               int64_t width, int64_t stride,
                                               int batch_mode) noexcept nogil:
    return feature_lp_call(<T7Tensor *>output, grad_input, grad_output, input, power, width,
                           stride, batch_mode)
