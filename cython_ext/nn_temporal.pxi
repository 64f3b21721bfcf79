# TemporalConvolution: a 1-D convolution over frames x features input (or batch x frames x
# features). Consecutive windows of kW frames are consecutive rows of the input seen with a
# row stride of dW frames, so the product runs on the input in place when windows do not
# overlap (dW >= kW), and on an unfolded copy when they do.

cdef struct TemporalCall:
    int64_t batch
    int64_t frames
    int64_t features
    int64_t out_frames
    int64_t out_features
    int64_t kW
    int64_t dW
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


cdef const floating *windows_of(const floating *x, floating *buffer,
                                const TemporalCall *c, int64_t *ld) noexcept nogil:
    """The out_frames x (kW * features) window matrix of one sample, and its row stride."""
    cdef int64_t t, row = c.kW * c.features
    if c.dW >= c.kW:
        ld[0] = c.dW * c.features
        return x
    for t in range(c.out_frames):
        memcpy(buffer + t * row, x + t * c.dW * c.features, row * sizeof(floating))
    ld[0] = row
    return buffer


cdef void temporal_samples(floating *tag, TemporalCall *c, int64_t first, int64_t last,
                           bint parallel_gemm) noexcept nogil:
    """Forward (grad_input NULL) or input gradient of samples first..last-1."""
    cdef int64_t row = c.kW * c.features, n, t, j, o, ld = 0
    cdef floating *buffer = <floating *>malloc(c.out_frames * row * sizeof(floating))
    cdef const floating *win
    cdef const floating *x
    cdef floating *y
    cdef floating *gi
    cdef const floating *w = <const floating *>c.weight
    cdef const floating *b = <const floating *>c.bias
    if buffer == NULL:
        c.failed = 1
        return
    for n in range(first, last):
        if c.grad_input == NULL:
            x = <const floating *>c.input + n * c.frames * c.features
            y = <floating *>c.output + n * c.out_frames * c.out_features
            win = windows_of(x, buffer, c, &ld)
            for t in range(c.out_frames):
                for o in range(c.out_features):
                    y[t * c.out_features + o] = b[o]
            gemm_any(parallel_gemm, False, True, <int>c.out_frames, <int>c.out_features,
                     <int>row, <floating>1, win, <int>ld, w, <int>row, <floating>1, y,
                     <int>c.out_features)
        else:
            gi = <floating *>c.grad_input + n * c.frames * c.features
            gemm_any(parallel_gemm, False, False, <int>c.out_frames, <int>row,
                     <int>c.out_features, <floating>1,
                     <const floating *>c.grad_output + n * c.out_frames * c.out_features,
                     <int>c.out_features, w, <int>row, <floating>0, buffer, <int>row)
            memset(gi, 0, c.frames * c.features * sizeof(floating))
            for t in range(c.out_frames):
                for j in range(row):
                    gi[t * c.dW * c.features + j] += buffer[t * row + j]
    free(buffer)


cdef void temporal_params(floating *tag, TemporalCall *c) noexcept nogil:
    cdef int64_t row = c.kW * c.features, n, t, o, ld = 0
    cdef floating *buffer = <floating *>malloc(c.out_frames * row * sizeof(floating))
    cdef const floating *go
    cdef floating *gb = <floating *>c.grad_bias
    cdef double total
    if buffer == NULL:
        c.failed = 1
        return
    cdef const floating *windows
    for n in range(c.batch):
        go = <const floating *>c.grad_output + n * c.out_frames * c.out_features
        windows = windows_of(<const floating *>c.input + n * c.frames * c.features, buffer, c,
                             &ld)
        gemm_parallel(True, False, <int>c.out_features, <int>row, <int>c.out_frames,
                      <floating>c.scale, go, <int>c.out_features, windows, <int>ld,
                      <floating>1, <floating *>c.grad_weight, <int>row)
        for o in range(c.out_features):
            total = 0
            for t in range(c.out_frames):
                total += go[t * c.out_features + o]
            gb[o] += <floating>(c.scale * total)
    free(buffer)


cdef int temporal_setup(TemporalCall *c, const T7Tensor *input, const T7Tensor *weight,
                        int64_t kW, int64_t dW) noexcept nogil:
    memset(c, 0, sizeof(TemporalCall))
    if same_floating(input, weight) != 0:
        return -1
    if kW < 1 or dW < 1:
        return t7_fail("kernel size and stride should be greater than zero, but got kW: %lld "
                       "dW: %lld", <ll>kW, <ll>dW)
    if input._ndim == 2:
        c.batch = 1
    elif input._ndim == 3:
        c.batch = input._size[0]
    else:
        return fail_shape("2D or 3D (batch mode) tensor expected for input, but got: ", input)
    c.frames = input._size[input._ndim - 2]
    c.features = input._size[input._ndim - 1]
    if weight._ndim != 2 or weight._size[1] != kW * c.features or not contiguous(weight):
        return t7_fail("the weight must be a contiguous outputFrameSize x %lld matrix "
                       "(kW x inputFrameSize): check the input's frame size (%lld)",
                       <ll>(kW * c.features), <ll>c.features)
    if c.frames < kW:
        return t7_fail("input sequence smaller than kernel size. Got: %lld, Expected: %lld",
                       <ll>c.frames, <ll>kW)
    c.kW = kW
    c.dW = dW
    c.out_frames = (c.frames - kW) // dW + 1
    c.out_features = weight._size[0]
    return 0


cdef void temporal_output_shape(const TemporalCall *c, int64_t *size) noexcept nogil:
    size[0] = c.batch
    size[1] = c.out_frames
    size[2] = c.out_features


cdef void temporal_block(floating *tag, TemporalCall *c, int64_t first,
                         int64_t last) noexcept nogil:
    # blocks run side by side: each one's products stay on its own thread
    temporal_samples(tag, c, first, last, False)


cdef void run_temporal(TemporalCall *c, int dtype) noexcept nogil:
    cdef int64_t blocks = 1 if c.batch < 2 else blocks_for(
        c.batch, c.batch * c.out_frames * c.out_features * c.kW * c.features // 16), b
    if blocks <= 1:
        if dtype == T7_FLOAT:
            temporal_samples(<float *>NULL, c, 0, c.batch, True)
        else:
            temporal_samples(<double *>NULL, c, 0, c.batch, True)
        return
    parallel_ranges(by_precision(dtype, <range_fn>temporal_block[float],
                                 <range_fn>temporal_block[double]), c, c.batch, blocks)


cdef int temporal_done(TemporalCall *c, T7Tensor *copy) noexcept nogil:
    t7_tensor_release(copy)
    if c.failed:
        return t7_fail("not enough memory for the convolution's buffers")
    return 0


cdef public int t7_nn_temporal_conv(T7Tensor *output, const T7Tensor *input,
                                    const T7Tensor *weight, const T7Tensor *bias, int64_t kW,
                                    int64_t dW) noexcept nogil:
    cdef TemporalCall c
    cdef int64_t size[3]
    cdef T7Tensor *copy
    if temporal_setup(&c, input, weight, kW, dW) != 0 or same_type(input, output) != 0 \
            or per_plane(bias, input, c.out_features, "bias") != 0:
        return -1
    temporal_output_shape(&c, size)
    if input._ndim == 2:
        if resize_contiguous(output, 2, size + 1) != 0:
            return -1
    elif resize_contiguous(output, 3, size) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    c.input = tensor_data(x)
    c.weight = tensor_data(weight)
    c.bias = tensor_data(bias)
    c.output = tensor_data(output)
    run_temporal(&c, input._dtype)
    return temporal_done(&c, copy)


cdef int temporal_grad_output(const TemporalCall *c, const T7Tensor *input,
                              const T7Tensor *grad_output) noexcept nogil:
    if same_type(input, grad_output) != 0:
        return -1
    if grad_output._ndim != input._ndim \
            or nelement(grad_output) != c.batch * c.out_frames * c.out_features \
            or grad_output._size[grad_output._ndim - 1] != c.out_features:
        return fail_shape("gradOutput shaped like the output expected, but got ", grad_output)
    return 0


cdef public int t7_nn_temporal_conv_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                                   const T7Tensor *grad_output,
                                                   const T7Tensor *weight, int64_t kW,
                                                   int64_t dW) noexcept nogil:
    cdef TemporalCall c
    cdef T7Tensor *copy
    if temporal_setup(&c, input, weight, kW, dW) != 0 \
            or temporal_grad_output(&c, input, grad_output) != 0 \
            or same_type(input, grad_input) != 0 or resize_like(grad_input, input) != 0:
        return -1
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy)
    if go == NULL:
        return -1
    c.grad_output = tensor_data(go)
    c.weight = tensor_data(weight)
    c.grad_input = tensor_data(grad_input)
    run_temporal(&c, input._dtype)
    return temporal_done(&c, copy)


cdef public int t7_nn_temporal_conv_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                                    const T7Tensor *input,
                                                    const T7Tensor *grad_output, int64_t kW,
                                                    int64_t dW, double scale) noexcept nogil:
    cdef TemporalCall c
    cdef T7Tensor *copies[2]
    if temporal_setup(&c, input, grad_weight, kW, dW) != 0 \
            or temporal_grad_output(&c, input, grad_output) != 0 \
            or per_plane(grad_bias, input, c.out_features, "gradBias") != 0:
        return -1
    copies[0] = copies[1] = NULL
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copies[1])
    if x == NULL or go == NULL:
        t7_tensor_release(copies[0])
        t7_tensor_release(copies[1])
        return -1
    c.input = tensor_data(x)
    c.grad_output = tensor_data(go)
    c.grad_weight = tensor_data(grad_weight)
    c.grad_bias = tensor_data(grad_bias)
    c.scale = scale
    if input._dtype == T7_FLOAT:
        temporal_params(<float *>NULL, &c)
    else:
        temporal_params(<double *>NULL, &c)
    t7_tensor_release(copies[1])
    return temporal_done(&c, copies[0])
