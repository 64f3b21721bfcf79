# Convolutions as unfold + matrix product, the way the original's SpatialConvolutionMM
# computes them, for 2 and 3 spatial dimensions (a 2-D image is a 3-D one of depth 1), with
# padding, dilation, groups (depthwise convolution), and the transposed ("full")
# convolution, which is the same pair of operations run the other way round.
#
# Vocabulary: the *image* is the side that unfold reads (the input of a convolution, the
# output of a transposed one); the *grid* is the set of positions the kernel visits (the
# output of a convolution, the input of a transposed one). Unfolding an image gives a
# matrix of (image planes x kernel size) rows and (grid size) columns.
#
# Batches run in parallel, one block of images per thread, each thread with its own
# unfold buffer and single-threaded BLAS; a lone image gets a parallel matrix product
# instead. Gradients of the weights are summed per block, then added together.

cdef extern from "t7_abi.h":
    ctypedef struct T7ConvShape:
        int32_t dims
        int32_t transposed
        int32_t groups
        int64_t input_planes
        int64_t output_planes
        int32_t kernel[3]
        int32_t stride[3]
        int32_t pad[3]
        int32_t dilation[3]
        int32_t adj[3]


cdef struct ConvGeom:
    int dims
    bint transposed
    bint batched
    bint pointwise            # 1x1 kernel, stride 1, no padding: the image is its own unfold
    int64_t batch
    int64_t groups
    int64_t in_planes
    int64_t out_planes
    int64_t img_planes
    int64_t grid_planes
    int64_t img[3]            # depth, height, width of the image
    int64_t grid[3]
    int64_t img_size
    int64_t grid_size
    int64_t k[3]
    int64_t s[3]
    int64_t p[3]
    int64_t dil[3]
    int64_t kernel_size


cdef inline int64_t floor_div(int64_t a, int64_t b) noexcept nogil:
    """a / b rounded down, for b > 0 (C's division truncates negative numbers up)."""
    return a // b if a >= 0 else -((-a + b - 1) // b)


cdef int conv_geometry(const T7ConvShape *s, const T7Tensor *input, ConvGeom *g) noexcept nogil:
    cdef int d, first = 3 - s.dims
    if s.dims != 2 and s.dims != 3:
        return t7_fail("convolutions have 2 or 3 spatial dimensions, not %d", s.dims)
    for d in range(3):
        if s.kernel[d] <= 0 or s.stride[d] <= 0 or s.dilation[d] <= 0 or s.pad[d] < 0:
            return t7_fail("kernel size, stride and dilation should be greater than zero and "
                           "padding not negative, but got kernel %dx%dx%d, stride %dx%dx%d, "
                           "dilation %dx%dx%d, padding %dx%dx%d",
                           s.kernel[0], s.kernel[1], s.kernel[2], s.stride[0], s.stride[1],
                           s.stride[2], s.dilation[0], s.dilation[1], s.dilation[2],
                           s.pad[0], s.pad[1], s.pad[2])
        if s.transposed and (s.adj[d] < 0 or (s.adj[d] >= s.stride[d]
                                              and s.adj[d] >= s.dilation[d])):
            return t7_fail("output padding must be smaller than either stride or dilation, "
                           "but got %d with stride %d and dilation %d", s.adj[d],
                           s.stride[d], s.dilation[d])
    if s.groups < 1 or s.input_planes % s.groups != 0 or s.output_planes % s.groups != 0:
        return t7_fail("%lld input and %lld output planes cannot form %d groups",
                       <ll>s.input_planes, <ll>s.output_planes, s.groups)
    if s.transposed and s.groups != 1:
        return t7_fail("transposed convolutions have no groups")
    g.dims = s.dims
    g.transposed = s.transposed != 0
    g.groups = s.groups
    g.in_planes = s.input_planes
    g.out_planes = s.output_planes
    if input._ndim == s.dims + 2:
        g.batched = True
        g.batch = input._size[0]
    elif input._ndim == s.dims + 1:
        g.batched = False
        g.batch = 1
    else:
        if s.dims == 2:
            return fail_shape("3D or 4D (batch mode) input tensor expected but got: ", input)
        return fail_shape("4D or 5D (batch mode) input tensor expected but got: ", input)
    cdef int channel_dim = 1 if g.batched else 0
    if input._size[channel_dim] != g.in_planes:
        return fail_input_planes(input, channel_dim, g.in_planes)
    cdef int64_t given[3]
    cdef int64_t computed[3]
    cdef int64_t extent
    for d in range(3):
        g.k[d] = s.kernel[d]
        g.s[d] = s.stride[d]
        g.p[d] = s.pad[d]
        g.dil[d] = s.dilation[d]
        given[d] = 1 if d < first else input._size[channel_dim + 1 + d - first]
        extent = g.dil[d] * (g.k[d] - 1) + 1
        if g.transposed:
            computed[d] = (given[d] - 1) * g.s[d] - 2 * g.p[d] + extent + s.adj[d]
        else:
            computed[d] = floor_div(given[d] + 2 * g.p[d] - extent, g.s[d]) + 1
    if computed[0] < 1 or computed[1] < 1 or computed[2] < 1:
        return t7_fail("Given input size: (%lldx%lldx%lldx%lld). Calculated output size: "
                       "(%lldx%lldx%lldx%lld). Output size is too small",
                       <ll>g.in_planes, <ll>given[0], <ll>given[1], <ll>given[2],
                       <ll>g.out_planes, <ll>computed[0], <ll>computed[1], <ll>computed[2])
    for d in range(3):
        g.img[d] = computed[d] if g.transposed else given[d]
        g.grid[d] = given[d] if g.transposed else computed[d]
    g.img_planes = g.out_planes if g.transposed else g.in_planes
    g.grid_planes = g.in_planes if g.transposed else g.out_planes
    g.img_size = g.img[0] * g.img[1] * g.img[2]
    g.grid_size = g.grid[0] * g.grid[1] * g.grid[2]
    g.kernel_size = g.k[0] * g.k[1] * g.k[2]
    g.pointwise = g.kernel_size == 1 and g.s[0] == 1 and g.s[1] == 1 and g.s[2] == 1 \
        and g.p[0] == 0 and g.p[1] == 0 and g.p[2] == 0
    return 0


cdef int fail_input_planes(const T7Tensor *input, int dim, int64_t planes) noexcept nogil:
    cdef char shape[256]
    size_text(input, shape, sizeof(shape))
    return t7_fail("expected %lld input planes in dimension %d, but got input of size %s",
                   <ll>planes, dim + 1, shape)


cdef int output_shape(const ConvGeom *g, bint output_side, int64_t *size) noexcept nogil:
    """The sizes of the convolution's output (or input) tensor; returns their count."""
    cdef int n = 0, d
    if g.batched:
        size[0] = g.batch
        n = 1
    size[n] = g.out_planes if output_side else g.in_planes
    n += 1
    cdef const int64_t *spatial = &g.img[0]
    if output_side != g.transposed:
        spatial = &g.grid[0]
    for d in range(3 - g.dims, 3):
        size[n] = spatial[d]
        n += 1
    return n


cdef int check_grad_output(const ConvGeom *g, const T7Tensor *grad_output) noexcept nogil:
    cdef int64_t size[5]
    cdef int n = output_shape(g, True, size), d
    cdef char shape[256]
    cdef bint ok = grad_output._ndim == n
    for d in range(n):
        ok = ok and grad_output._size[d] == size[d]
    if not ok:
        size_text(grad_output, shape, sizeof(shape))
        return t7_fail("gradOutput of size %s does not match the output of the convolution "
                       "(%lld planes of %lldx%lldx%lld)", shape,
                       <ll>g.out_planes, <ll>(g.grid[0] if not g.transposed else g.img[0]),
                       <ll>(g.grid[1] if not g.transposed else g.img[1]),
                       <ll>(g.grid[2] if not g.transposed else g.img[2]))
    return 0


cdef int check_weight(const ConvGeom *g, const T7Tensor *weight, const T7Tensor *bias,
                      const T7Tensor *like) noexcept nogil:
    if same_floating(like, weight) != 0:
        return -1
    cdef int64_t expected = g.out_planes * (g.in_planes // g.groups) * g.kernel_size
    if nelement(weight) != expected:
        return t7_fail("the weight has %lld elements, %lld expected (%lld x %lld x %lld)",
                       <ll>nelement(weight), <ll>expected,
                       <ll>(g.in_planes if g.transposed else g.out_planes),
                       <ll>(g.out_planes if g.transposed else g.in_planes // g.groups),
                       <ll>g.kernel_size)
    if bias != NULL:
        if same_type(like, bias) != 0:
            return -1
        if nelement(bias) != g.out_planes:
            return t7_fail("the bias has %lld elements, %lld expected (one per output plane)",
                           <ll>nelement(bias), <ll>g.out_planes)
    return 0


# -- unfold and fold ------------------------------------------------------------------------

cdef inline void unfold_row(floating *dst, const floating *src, int64_t n, int64_t first,
                            int64_t step, int64_t width) noexcept nogil:
    """dst[j] = src[first + j*step] where that lies in [0, width), else 0."""
    cdef int64_t lo = 0 if first >= 0 else (-first + step - 1) // step
    cdef int64_t hi = 0 if width - first <= 0 else (width - first + step - 1) // step
    cdef int64_t j
    if lo > n:
        lo = n
    if hi > n:
        hi = n
    if hi < lo:
        hi = lo
    for j in range(lo):
        dst[j] = 0
    if step == 1:
        memcpy(dst + lo, src + first + lo, (hi - lo) * sizeof(floating))
    else:
        for j in range(lo, hi):
            dst[j] = src[first + j * step]
    for j in range(hi, n):
        dst[j] = 0


cdef inline void fold_row(floating *dst, const floating *src, int64_t n, int64_t first,
                          int64_t step, int64_t width) noexcept nogil:
    """dst[first + j*step] += src[j] where that lies in [0, width)."""
    cdef int64_t lo = 0 if first >= 0 else (-first + step - 1) // step
    cdef int64_t hi = 0 if width - first <= 0 else (width - first + step - 1) // step
    cdef int64_t j
    cdef floating *d = dst + first
    if hi > n:
        hi = n
    if step == 1:
        for j in range(lo, hi):
            d[j] += src[j]
    else:
        for j in range(lo, hi):
            d[j * step] += src[j]


cdef void unfold_image(const floating *img, floating *cols, const ConvGeom *g) noexcept nogil:
    """cols[(c, kt, kh, kw)][(gt, gh, gw)] = img[c][gt*s+kt*dil-p][...] (0 outside)."""
    cdef int64_t c, kt, kh, kw, gt, gh, it, ih
    cdef int64_t T = g.img[0], H = g.img[1], W = g.img[2]
    cdef int64_t gT = g.grid[0], gH = g.grid[1], gW = g.grid[2]
    cdef floating *row = cols
    cdef floating *dst
    for c in range(g.img_planes):
        for kt in range(g.k[0]):
            for kh in range(g.k[1]):
                for kw in range(g.k[2]):
                    for gt in range(gT):
                        it = gt * g.s[0] - g.p[0] + kt * g.dil[0]
                        for gh in range(gH):
                            ih = gh * g.s[1] - g.p[1] + kh * g.dil[1]
                            dst = row + (gt * gH + gh) * gW
                            if it < 0 or it >= T or ih < 0 or ih >= H:
                                memset(dst, 0, gW * sizeof(floating))
                            else:
                                unfold_row(dst, img + ((c * T + it) * H + ih) * W, gW,
                                           kw * g.dil[2] - g.p[2], g.s[2], W)
                    row += g.grid_size


cdef void fold_image(const floating *cols, floating *img, const ConvGeom *g) noexcept nogil:
    """The adjoint of unfold_image: img = 0, then every column entry added back where it
    came from."""
    cdef int64_t c, kt, kh, kw, gt, gh, it, ih
    cdef int64_t T = g.img[0], H = g.img[1], W = g.img[2]
    cdef int64_t gT = g.grid[0], gH = g.grid[1], gW = g.grid[2]
    cdef const floating *row = cols
    memset(img, 0, g.img_planes * g.img_size * sizeof(floating))
    for c in range(g.img_planes):
        for kt in range(g.k[0]):
            for kh in range(g.k[1]):
                for kw in range(g.k[2]):
                    for gt in range(gT):
                        it = gt * g.s[0] - g.p[0] + kt * g.dil[0]
                        if it < 0 or it >= T:
                            continue
                        for gh in range(gH):
                            ih = gh * g.s[1] - g.p[1] + kh * g.dil[1]
                            if ih < 0 or ih >= H:
                                continue
                            fold_row(img + ((c * T + it) * H + ih) * W,
                                     row + (gt * gH + gh) * gW, gW,
                                     kw * g.dil[2] - g.p[2], g.s[2], W)
                    row += g.grid_size


# -- per-image steps --------------------------------------------------------------------------

cdef struct ConvData:
    # raw pointers of one call, shared by the threads
    const ConvGeom *g
    void *partial           # per-block gradient sums of the parameters' backward
    int64_t nw
    int64_t nb
    const void *input
    const void *grad_output
    const void *weight
    const void *bias
    void *output
    void *grad_input
    void *grad_weight
    void *grad_bias
    double scale
    int failed


cdef inline int64_t cols_elements(const ConvGeom *g) noexcept nogil:
    return g.img_planes * g.kernel_size * g.grid_size


cdef void forward_images(floating *tag, ConvData *c, int64_t first, int64_t last,
                         bint parallel_gemm) noexcept nogil:
    cdef const ConvGeom *g = c.g
    cdef const floating *inp = <const floating *>c.input
    cdef const floating *w = <const floating *>c.weight
    cdef const floating *bias = <const floating *>c.bias
    cdef floating *out = <floating *>c.output
    cdef floating *cols = NULL
    cdef const floating *unfolded
    cdef int64_t n, o, j, grp
    cdef int64_t in_g = g.in_planes // g.groups, out_g = g.out_planes // g.groups
    cdef int64_t L = g.grid_size, KK = in_g * g.kernel_size
    cdef floating *out_n
    cdef const floating *in_n
    if not g.pointwise or g.transposed:
        cols = <floating *>malloc(cols_elements(g) * sizeof(floating))
        if cols == NULL:
            c.failed = 1
            return
    for n in range(first, last):
        in_n = inp + n * g.in_planes * (g.img_size if not g.transposed else g.grid_size)
        out_n = out + n * g.out_planes * (g.grid_size if not g.transposed else g.img_size)
        if g.transposed:
            # columns = W^T @ input, folded into the output image
            gemm_any(parallel_gemm, True, False, <int>(g.out_planes * g.kernel_size), <int>L,
                     <int>g.in_planes, <floating>1, w, <int>(g.out_planes * g.kernel_size),
                     in_n, <int>L, <floating>0, cols, <int>L)
            fold_image(cols, out_n, g)
            if bias != NULL:
                for o in range(g.out_planes):
                    for j in range(g.img_size):
                        out_n[o * g.img_size + j] += bias[o]
            continue
        if g.pointwise:
            unfolded = in_n
        else:
            unfold_image(in_n, cols, g)
            unfolded = cols
        if bias != NULL:
            for o in range(g.out_planes):
                for j in range(L):
                    out_n[o * L + j] = bias[o]
        for grp in range(g.groups):
            gemm_any(parallel_gemm, False, False, <int>out_g, <int>L, <int>KK, <floating>1,
                     w + grp * out_g * KK, <int>KK, unfolded + grp * KK * L, <int>L,
                     <floating>(1 if bias != NULL else 0), out_n + grp * out_g * L, <int>L)
    free(cols)


cdef void backward_input_images(floating *tag, ConvData *c, int64_t first, int64_t last,
                                bint parallel_gemm) noexcept nogil:
    cdef const ConvGeom *g = c.g
    cdef const floating *go = <const floating *>c.grad_output
    cdef const floating *w = <const floating *>c.weight
    cdef floating *gi = <floating *>c.grad_input
    cdef floating *cols = NULL
    cdef int64_t n, grp
    cdef int64_t in_g = g.in_planes // g.groups, out_g = g.out_planes // g.groups
    cdef int64_t L = g.grid_size, KK = in_g * g.kernel_size
    cdef floating *gi_n
    cdef const floating *go_n
    if not g.pointwise or g.transposed:
        cols = <floating *>malloc(cols_elements(g) * sizeof(floating))
        if cols == NULL:
            c.failed = 1
            return
    for n in range(first, last):
        if g.transposed:
            go_n = go + n * g.out_planes * g.img_size
            gi_n = gi + n * g.in_planes * L
            unfold_image(go_n, cols, g)
            gemm_any(parallel_gemm, False, False, <int>g.in_planes, <int>L,
                     <int>(g.out_planes * g.kernel_size), <floating>1, w,
                     <int>(g.out_planes * g.kernel_size), cols, <int>L, <floating>0, gi_n,
                     <int>L)
            continue
        go_n = go + n * g.out_planes * L
        gi_n = gi + n * g.in_planes * g.img_size
        for grp in range(g.groups):
            gemm_any(parallel_gemm, True, False, <int>KK, <int>L, <int>out_g, <floating>1,
                     w + grp * out_g * KK, <int>KK, go_n + grp * out_g * L, <int>L,
                     <floating>0, (gi_n if g.pointwise else cols) + grp * KK * L, <int>L)
        if not g.pointwise:
            fold_image(cols, gi_n, g)
    free(cols)


cdef void backward_params_images(floating *tag, ConvData *c, floating *gw, floating *gb,
                                 int64_t first, int64_t last, bint parallel_gemm) noexcept nogil:
    """Adds scale * (this block's gradient) to gw and gb (gb may be NULL)."""
    cdef const ConvGeom *g = c.g
    cdef const floating *inp = <const floating *>c.input
    cdef const floating *go = <const floating *>c.grad_output
    cdef floating scale = <floating>c.scale
    cdef floating *cols = NULL
    cdef const floating *unfolded
    cdef int64_t n, o, j, grp
    cdef int64_t in_g = g.in_planes // g.groups, out_g = g.out_planes // g.groups
    cdef int64_t L = g.grid_size, KK = in_g * g.kernel_size
    cdef int64_t out_size = g.img_size if g.transposed else L
    cdef const floating *in_n
    cdef const floating *go_n
    cdef floating total
    if not g.pointwise or g.transposed:
        cols = <floating *>malloc(cols_elements(g) * sizeof(floating))
        if cols == NULL:
            c.failed = 1
            return
    for n in range(first, last):
        in_n = inp + n * g.in_planes * (L if g.transposed else g.img_size)
        go_n = go + n * g.out_planes * out_size
        if gb != NULL:
            for o in range(g.out_planes):
                total = 0
                for j in range(out_size):
                    total = total + go_n[o * out_size + j]
                gb[o] += scale * total
        if g.transposed:
            unfold_image(go_n, cols, g)
            gemm_any(parallel_gemm, False, True, <int>g.in_planes,
                     <int>(g.out_planes * g.kernel_size), <int>L, scale, in_n, <int>L, cols,
                     <int>L, <floating>1, gw, <int>(g.out_planes * g.kernel_size))
            continue
        if g.pointwise:
            unfolded = in_n
        else:
            unfold_image(in_n, cols, g)
            unfolded = cols
        for grp in range(g.groups):
            gemm_any(parallel_gemm, False, True, <int>out_g, <int>KK, <int>L, scale,
                     go_n + grp * out_g * L, <int>L, unfolded + grp * KK * L, <int>L,
                     <floating>1, gw + grp * out_g * KK, <int>KK)
    free(cols)


cdef inline void gemm_any(bint parallel, bint ta, bint tb, int M, int N, int K, floating alpha,
                          const floating *A, int lda, const floating *B, int ldb,
                          floating beta, floating *C, int ldc) noexcept nogil:
    if parallel:
        gemm_parallel(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
    else:
        gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)


cdef int64_t conv_blocks(const ConvGeom *g) noexcept nogil:
    """Threads for a batch: one block of images each, when there are enough images."""
    cdef int64_t work = g.batch * g.out_planes * (g.in_planes // g.groups) * g.kernel_size \
        * g.grid_size
    if g.batch < 2:
        return 1
    return blocks_for(g.batch, work // 16)


# Batches are cut into blocks of images run side by side (each block's products then stay on
# its own thread); one block runs its products on the whole pool instead.

cdef void forward_block(floating *tag, ConvData *c, int64_t first, int64_t last) noexcept nogil:
    forward_images(tag, c, first, last, False)


cdef void backward_input_block(floating *tag, ConvData *c, int64_t first,
                               int64_t last) noexcept nogil:
    backward_input_images(tag, c, first, last, False)


cdef void run_forward(floating *tag, ConvData *c) noexcept nogil:
    cdef int64_t blocks = conv_blocks(c.g)
    if blocks <= 1:
        forward_images(tag, c, 0, c.g.batch, True)
    elif floating is float:
        parallel_ranges(<range_fn>forward_block[float], c, c.g.batch, blocks)
    else:
        parallel_ranges(<range_fn>forward_block[double], c, c.g.batch, blocks)


cdef void run_backward_input(floating *tag, ConvData *c) noexcept nogil:
    cdef int64_t blocks = conv_blocks(c.g)
    if blocks <= 1:
        backward_input_images(tag, c, 0, c.g.batch, True)
    elif floating is float:
        parallel_ranges(<range_fn>backward_input_block[float], c, c.g.batch, blocks)
    else:
        parallel_ranges(<range_fn>backward_input_block[double], c, c.g.batch, blocks)


cdef void params_block(floating *tag, ConvData *c, int64_t chunk, int64_t chunks) noexcept nogil:
    # block 0 adds into the gradients themselves, the others into their zeroed partial sums
    cdef int64_t first = chunk * c.g.batch // chunks, last = (chunk + 1) * c.g.batch // chunks
    cdef floating *mine
    if chunk == 0:
        backward_params_images(tag, c, <floating *>c.grad_weight, <floating *>c.grad_bias,
                               first, last, False)
        return
    mine = <floating *>c.partial + (chunk - 1) * (c.nw + c.nb)
    backward_params_images(tag, c, mine, (mine + c.nw) if c.grad_bias != NULL else NULL,
                           first, last, False)


cdef void params_chunk_float(void *c, int64_t chunk, int64_t chunks) noexcept nogil:
    params_block(<float *>NULL, <ConvData *>c, chunk, chunks)


cdef void params_chunk_double(void *c, int64_t chunk, int64_t chunks) noexcept nogil:
    params_block(<double *>NULL, <ConvData *>c, chunk, chunks)


cdef void run_backward_params(floating *tag, ConvData *c, int64_t nw, int64_t nb) noexcept nogil:
    cdef int64_t blocks = conv_blocks(c.g), b, i
    cdef floating *gw = <floating *>c.grad_weight
    cdef floating *gb = <floating *>c.grad_bias
    if blocks <= 1:
        backward_params_images(tag, c, gw, gb, 0, c.g.batch, True)
        return
    cdef floating *partial = <floating *>calloc((blocks - 1) * (nw + nb), sizeof(floating))
    if partial == NULL:
        c.failed = 1
        return
    c.partial = partial
    c.nw = nw
    c.nb = nb
    if floating is float:
        parallel_chunks(params_chunk_float, c, blocks)
    else:
        parallel_chunks(params_chunk_double, c, blocks)
    for b in range(blocks - 1):
        for i in range(nw):
            gw[i] += partial[b * (nw + nb) + i]
        if gb != NULL:
            for i in range(nb):
                gb[i] += partial[b * (nw + nb) + nw + i]
    free(partial)


# -- entry points -----------------------------------------------------------------------------

cdef struct Held:
    # inputs made contiguous for one call
    const T7Tensor *input
    const T7Tensor *grad_output
    const T7Tensor *weight
    T7Tensor *copies[3]


cdef void let_go(Held *h) noexcept nogil:
    cdef int i
    for i in range(3):
        t7_tensor_release(h.copies[i])
        h.copies[i] = NULL


cdef int hold(Held *h, const T7Tensor *input, const T7Tensor *grad_output,
              const T7Tensor *weight) noexcept nogil:
    h.copies[0] = h.copies[1] = h.copies[2] = NULL
    h.input = h.grad_output = h.weight = NULL
    if input != NULL:
        h.input = contiguous_or_copy(input, &h.copies[0])
        if h.input == NULL:
            return -1
    if grad_output != NULL:
        h.grad_output = contiguous_or_copy(grad_output, &h.copies[1])
        if h.grad_output == NULL:
            let_go(h)
            return -1
    if weight != NULL:
        h.weight = contiguous_or_copy(weight, &h.copies[2])
        if h.weight == NULL:
            let_go(h)
            return -1
    return 0


cdef void fill_data(ConvData *c, const ConvGeom *g, const Held *h) noexcept nogil:
    memset(c, 0, sizeof(ConvData))
    c.g = g
    if h.input != NULL:
        c.input = tensor_data(h.input)
    if h.grad_output != NULL:
        c.grad_output = tensor_data(h.grad_output)
    if h.weight != NULL:
        c.weight = tensor_data(h.weight)


cdef int finish_conv(Held *h, ConvData *c) noexcept nogil:
    let_go(h)
    if c.failed:
        return t7_fail("not enough memory for the convolution's buffers")
    return 0


cdef public int t7_nn_conv_forward(T7Tensor *output, const T7Tensor *input,
                                   const T7Tensor *weight, const T7Tensor *bias,
                                   const T7ConvShape *shape) noexcept nogil:
    cdef ConvGeom g
    cdef Held h
    cdef ConvData c
    cdef int64_t size[5]
    if same_floating(input, output) != 0 or conv_geometry(shape, input, &g) != 0 \
            or check_weight(&g, weight, bias, input) != 0:
        return -1
    if bias != NULL and not contiguous(bias):
        return t7_fail("the bias must be contiguous")
    if resize_contiguous(output, output_shape(&g, True, size), size) != 0:
        return -1
    if hold(&h, input, NULL, weight) != 0:
        return -1
    fill_data(&c, &g, &h)
    c.bias = tensor_data(bias) if bias != NULL else NULL
    c.output = tensor_data(output)
    if input._dtype == T7_FLOAT:
        run_forward(<float *>NULL, &c)
    else:
        run_forward(<double *>NULL, &c)
    return finish_conv(&h, &c)


cdef public int t7_nn_conv_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                          const T7Tensor *grad_output, const T7Tensor *weight,
                                          const T7ConvShape *shape) noexcept nogil:
    cdef ConvGeom g
    cdef Held h
    cdef ConvData c
    cdef int64_t size[5]
    if same_floating(input, grad_input) != 0 or same_type(input, grad_output) != 0 \
            or conv_geometry(shape, input, &g) != 0 or check_grad_output(&g, grad_output) != 0 \
            or check_weight(&g, weight, NULL, input) != 0:
        return -1
    if resize_contiguous(grad_input, output_shape(&g, False, size), size) != 0:
        return -1
    if hold(&h, NULL, grad_output, weight) != 0:
        return -1
    fill_data(&c, &g, &h)
    c.grad_input = tensor_data(grad_input)
    if input._dtype == T7_FLOAT:
        run_backward_input(<float *>NULL, &c)
    else:
        run_backward_input(<double *>NULL, &c)
    return finish_conv(&h, &c)


cdef public int t7_nn_conv_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                           const T7Tensor *input, const T7Tensor *grad_output,
                                           double scale, const T7ConvShape *shape) noexcept nogil:
    cdef ConvGeom g
    cdef Held h
    cdef ConvData c
    if same_floating(input, grad_output) != 0 or conv_geometry(shape, input, &g) != 0 \
            or check_grad_output(&g, grad_output) != 0 \
            or check_weight(&g, grad_weight, grad_bias, input) != 0:
        return -1
    if not contiguous(grad_weight) or (grad_bias != NULL and not contiguous(grad_bias)):
        return t7_fail("gradWeight and gradBias must be contiguous")
    if hold(&h, input, grad_output, NULL) != 0:
        return -1
    fill_data(&c, &g, &h)
    c.grad_weight = tensor_data(grad_weight)
    c.grad_bias = tensor_data(grad_bias) if grad_bias != NULL else NULL
    c.scale = scale
    if input._dtype == T7_FLOAT:
        run_backward_params(<float *>NULL, &c, nelement(grad_weight),
                            nelement(grad_bias) if grad_bias != NULL else 0)
    else:
        run_backward_params(<double *>NULL, &c, nelement(grad_weight),
                            nelement(grad_bias) if grad_bias != NULL else 0)
    return finish_conv(&h, &c)


# -- locally connected: a separate kernel at each output position -----------------------------
#
# SpatialConvolutionLocal's weight is (positions x output planes x unfold rows) and its bias
# (output planes x positions). Each image is unfolded, then transposed so that a position's
# column is contiguous.

cdef void transpose_into(floating *dst, const floating *src, int64_t rows,
                         int64_t cols) noexcept nogil:
    cdef int64_t i, j
    for i in range(rows):
        for j in range(cols):
            dst[j * rows + i] = src[i * cols + j]


cdef void local_images(floating *tag, ConvData *c, int mode) noexcept nogil:
    """mode 0: output; 1: gradInput; 2: gradients of the weight and the bias."""
    cdef const ConvGeom *g = c.g
    cdef int64_t K = g.in_planes * g.kernel_size, L = g.grid_size, O = g.out_planes
    cdef floating *cols = <floating *>malloc(2 * K * L * sizeof(floating))
    cdef floating *rows
    cdef const floating *w = <const floating *>c.weight
    cdef const floating *bias = <const floating *>c.bias
    cdef floating *gw = <floating *>c.grad_weight
    cdef floating *gb = <floating *>c.grad_bias
    cdef floating scale = <floating>c.scale
    cdef int64_t n, l, o, k
    cdef const floating *x
    cdef const floating *go
    cdef floating *y
    cdef floating total, v
    if cols == NULL:
        c.failed = 1
        return
    rows = cols + K * L
    for n in range(g.batch):
        if mode == 0 or mode == 2:
            x = <const floating *>c.input + n * g.in_planes * g.img_size
            unfold_image(x, cols, g)
            transpose_into(rows, cols, K, L)          # rows: L x K
        if mode == 0:
            y = <floating *>c.output + n * O * L
            for o in range(O):
                for l in range(L):
                    total = bias[o * L + l]
                    for k in range(K):
                        total = total + w[(l * O + o) * K + k] * rows[l * K + k]
                    y[o * L + l] = total
        elif mode == 1:
            go = <const floating *>c.grad_output + n * O * L
            for l in range(L):
                for k in range(K):
                    rows[l * K + k] = 0
                for o in range(O):
                    v = go[o * L + l]
                    for k in range(K):
                        rows[l * K + k] += w[(l * O + o) * K + k] * v
            transpose_into(cols, rows, L, K)
            fold_image(cols, <floating *>c.grad_input + n * g.in_planes * g.img_size, g)
        else:
            go = <const floating *>c.grad_output + n * O * L
            for o in range(O):
                for l in range(L):
                    v = scale * go[o * L + l]
                    gb[o * L + l] += v
                    for k in range(K):
                        gw[(l * O + o) * K + k] += v * rows[l * K + k]
    free(cols)


cdef int local_call(ConvData *c, const ConvGeom *g, int mode, int dtype) noexcept nogil:
    if dtype == T7_FLOAT:
        local_images(<float *>NULL, c, mode)
    else:
        local_images(<double *>NULL, c, mode)
    if c.failed:
        return t7_fail("not enough memory for the convolution's buffers")
    return 0


cdef int local_weights(const ConvGeom *g, const T7Tensor *weight, const T7Tensor *bias,
                       const T7Tensor *like) noexcept nogil:
    cdef int64_t K = g.in_planes * g.kernel_size
    if same_floating(like, weight) != 0 or same_type(like, bias) != 0:
        return -1
    if nelement(weight) != g.grid_size * g.out_planes * K or not contiguous(weight):
        return t7_fail("the weight must be contiguous, of %lld x %lld x %lld elements",
                       <ll>g.grid_size, <ll>g.out_planes, <ll>K)
    if nelement(bias) != g.out_planes * g.grid_size or not contiguous(bias):
        return t7_fail("the bias must be contiguous, of %lld x %lld elements",
                       <ll>g.out_planes, <ll>g.grid_size)
    return 0


cdef public int t7_nn_conv_local_forward(T7Tensor *output, const T7Tensor *input,
                                         const T7Tensor *weight, const T7Tensor *bias,
                                         const T7ConvShape *shape) noexcept nogil:
    cdef ConvGeom g
    cdef Held h
    cdef ConvData c
    cdef int64_t size[5]
    if same_floating(input, output) != 0 or conv_geometry(shape, input, &g) != 0 \
            or local_weights(&g, weight, bias, input) != 0:
        return -1
    if resize_contiguous(output, output_shape(&g, True, size), size) != 0:
        return -1
    if hold(&h, input, NULL, NULL) != 0:
        return -1
    fill_data(&c, &g, &h)
    c.weight = tensor_data(weight)
    c.bias = tensor_data(bias)
    c.output = tensor_data(output)
    cdef int status = local_call(&c, &g, 0, input._dtype)
    let_go(&h)
    return status


cdef public int t7_nn_conv_local_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                                const T7Tensor *grad_output,
                                                const T7Tensor *weight,
                                                const T7ConvShape *shape) noexcept nogil:
    cdef ConvGeom g
    cdef Held h
    cdef ConvData c
    cdef int64_t size[5]
    if same_floating(input, grad_input) != 0 or same_type(input, grad_output) != 0 \
            or conv_geometry(shape, input, &g) != 0 or check_grad_output(&g, grad_output) != 0:
        return -1
    if same_type(input, weight) != 0 \
            or nelement(weight) != g.grid_size * g.out_planes * g.in_planes * g.kernel_size \
            or not contiguous(weight):
        return t7_fail("the weight must be contiguous, of %lld x %lld x %lld elements",
                       <ll>g.grid_size, <ll>g.out_planes, <ll>(g.in_planes * g.kernel_size))
    if resize_contiguous(grad_input, output_shape(&g, False, size), size) != 0:
        return -1
    if hold(&h, NULL, grad_output, NULL) != 0:
        return -1
    fill_data(&c, &g, &h)
    c.weight = tensor_data(weight)
    c.grad_input = tensor_data(grad_input)
    cdef int status = local_call(&c, &g, 1, input._dtype)
    let_go(&h)
    return status


cdef public int t7_nn_conv_local_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                                 const T7Tensor *input,
                                                 const T7Tensor *grad_output, double scale,
                                                 const T7ConvShape *shape) noexcept nogil:
    cdef ConvGeom g
    cdef Held h
    cdef ConvData c
    if same_floating(input, grad_output) != 0 or conv_geometry(shape, input, &g) != 0 \
            or check_grad_output(&g, grad_output) != 0 \
            or local_weights(&g, grad_weight, grad_bias, input) != 0:
        return -1
    if hold(&h, input, grad_output, NULL) != 0:
        return -1
    fill_data(&c, &g, &h)
    c.grad_weight = tensor_data(grad_weight)
    c.grad_bias = tensor_data(grad_bias)
    c.scale = scale
    cdef int status = local_call(&c, &g, 2, input._dtype)
    let_go(&h)
    return status
