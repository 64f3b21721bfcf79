# Normalisation kernels: batch normalisation (statistics per feature plane, over the batch
# and the spatial positions) and local response normalisation across planes
# (SpatialCrossMapLRN). Inputs are contiguous batch x planes x positions; planes run in
# parallel.

cdef struct BatchNormCall:
    int64_t batch
    int64_t planes
    int64_t inner             # positions per plane and sample
    const void *input
    const void *grad_output
    void *output
    void *grad_input
    void *grad_weight
    void *grad_bias
    const void *weight
    const void *bias
    void *running_mean
    void *running_var
    void *save_mean
    void *save_std
    bint train
    double momentum
    double eps
    double scale


cdef void batch_norm_planes(floating *tag, BatchNormCall *c, int64_t first,
                            int64_t last) noexcept nogil:
    cdef int64_t f, n, k, at
    cdef int64_t count = c.batch * c.inner
    cdef const floating *x = <const floating *>c.input
    cdef floating *y = <floating *>c.output
    cdef floating *rm = <floating *>c.running_mean
    cdef floating *rv = <floating *>c.running_var
    cdef floating *sm = <floating *>c.save_mean
    cdef floating *ss = <floating *>c.save_std
    cdef const floating *w = <const floating *>c.weight
    cdef const floating *bias = <const floating *>c.bias
    cdef double total, mean, invstd, wf, bf
    for f in range(first, last):
        if c.train:
            total = 0
            for n in range(c.batch):
                at = (n * c.planes + f) * c.inner
                for k in range(c.inner):
                    total += x[at + k]
            mean = total / count
            total = 0
            for n in range(c.batch):
                at = (n * c.planes + f) * c.inner
                for k in range(c.inner):
                    total += (x[at + k] - mean) * (x[at + k] - mean)
            invstd = 0 if total == 0 and c.eps == 0 else 1 / sqrt(total / count + c.eps)
            sm[f] = <floating>mean
            ss[f] = <floating>invstd
            rm[f] = <floating>(c.momentum * mean + (1 - c.momentum) * rm[f])
            rv[f] = <floating>(c.momentum * total / (count - 1) + (1 - c.momentum) * rv[f])
        else:
            mean = rm[f]
            invstd = 1 / sqrt(rv[f] + c.eps)
        wf = w[f] if w != NULL else 1
        bf = bias[f] if bias != NULL else 0
        for n in range(c.batch):
            at = (n * c.planes + f) * c.inner
            for k in range(c.inner):
                y[at + k] = <floating>((x[at + k] - mean) * invstd * wf + bf)


cdef void batch_norm_backward_planes(floating *tag, BatchNormCall *c, int64_t first,
                                     int64_t last) noexcept nogil:
    cdef int64_t f, n, k, at
    cdef int64_t count = c.batch * c.inner
    cdef const floating *x = <const floating *>c.input
    cdef const floating *go = <const floating *>c.grad_output
    cdef floating *gi = <floating *>c.grad_input
    cdef floating *gw = <floating *>c.grad_weight
    cdef floating *gb = <floating *>c.grad_bias
    cdef const floating *w = <const floating *>c.weight
    cdef const floating *rm = <const floating *>c.running_mean
    cdef const floating *rv = <const floating *>c.running_var
    cdef const floating *sm = <const floating *>c.save_mean
    cdef const floating *ss = <const floating *>c.save_std
    cdef double total, dot, mean, invstd, wf, proj, grad_mean
    for f in range(first, last):
        if c.train:
            mean = sm[f]
            invstd = ss[f]
        else:
            mean = rm[f]
            invstd = 1 / sqrt(rv[f] + c.eps)
        wf = w[f] if w != NULL else 1
        total = 0
        dot = 0
        for n in range(c.batch):
            at = (n * c.planes + f) * c.inner
            for k in range(c.inner):
                total += go[at + k]
                dot += (x[at + k] - mean) * go[at + k]
        if gi != NULL:
            # training: the gradient through the batch statistics too (the gradOutput less
            # its mean and its projection on the normalised input)
            proj = dot * invstd * invstd / count
            grad_mean = total / count
            for n in range(c.batch):
                at = (n * c.planes + f) * c.inner
                for k in range(c.inner):
                    if c.train:
                        gi[at + k] = <floating>((go[at + k] - grad_mean
                                                 - (x[at + k] - mean) * proj) * invstd * wf)
                    else:
                        gi[at + k] = <floating>(go[at + k] * invstd * wf)
        if gw != NULL:
            gw[f] += <floating>(c.scale * dot * invstd)
        if gb != NULL:
            gb[f] += <floating>(c.scale * total)


cdef int batch_norm_layout(const T7Tensor *input, const T7Tensor *running_mean,
                           BatchNormCall *c) noexcept nogil:
    cdef int d
    if floating_only(input) != 0:
        return -1
    if input._ndim < 2:
        return fail_shape("a batch (at least 2 dimensions) expected, but got input of size ",
                          input)
    if not contiguous(input):
        return t7_fail("the input must be contiguous")
    c.batch = input._size[0]
    c.planes = input._size[1]
    c.inner = 1
    for d in range(2, input._ndim):
        c.inner *= input._size[d]
    if nelement(running_mean) != c.planes:
        return t7_fail("got %lld-feature tensor, expected %lld", <ll>c.planes,
                       <ll>nelement(running_mean))
    return 0


cdef int per_plane(const T7Tensor *t, const T7Tensor *like, int64_t planes,
                   const char *name) noexcept nogil:
    """A statistics or parameter vector: one contiguous value per plane."""
    if t == NULL:
        return 0
    if same_type(like, t) != 0:
        return -1
    if nelement(t) != planes or not contiguous(t):
        return t7_fail("%s must be a contiguous tensor of %lld elements", name, <ll>planes)
    return 0


cdef void run_planes_bn(void (*fn)(void *, BatchNormCall *, int64_t, int64_t) noexcept nogil,
                        BatchNormCall *c) noexcept nogil:
    parallel_ranges(<range_fn>fn, c, c.planes,
                    blocks_for(c.planes, c.planes * c.batch * c.inner * 4))


cdef public int t7_nn_batch_norm(T7Tensor *output, const T7Tensor *input,
                                 const T7Tensor *weight, const T7Tensor *bias,
                                 T7Tensor *running_mean, T7Tensor *running_var,
                                 T7Tensor *save_mean, T7Tensor *save_std, int train,
                                 double momentum, double eps) noexcept nogil:
    cdef BatchNormCall c
    memset(&c, 0, sizeof(c))
    if batch_norm_layout(input, running_mean, &c) != 0:
        return -1
    if per_plane(weight, input, c.planes, "weight") != 0 \
            or per_plane(bias, input, c.planes, "bias") != 0 \
            or per_plane(running_mean, input, c.planes, "running_mean") != 0 \
            or per_plane(running_var, input, c.planes, "running_var") != 0 \
            or per_plane(save_mean, input, c.planes, "save_mean") != 0 \
            or per_plane(save_std, input, c.planes, "save_std") != 0 \
            or resize_like(output, input) != 0:
        return -1
    if train and c.batch * c.inner < 2:
        return t7_fail("batch statistics need more than one value per plane")
    c.input = tensor_data(input)
    c.output = tensor_data(output)
    c.weight = tensor_data(weight) if weight != NULL else NULL
    c.bias = tensor_data(bias) if bias != NULL else NULL
    c.running_mean = tensor_data(running_mean)
    c.running_var = tensor_data(running_var)
    c.save_mean = tensor_data(save_mean)
    c.save_std = tensor_data(save_std)
    c.train = train != 0
    c.momentum = momentum
    c.eps = eps
    if input._dtype == T7_FLOAT:
        run_planes_bn(<void (*)(void *, BatchNormCall *, int64_t, int64_t) noexcept nogil>
                      batch_norm_planes[float], &c)
    else:
        run_planes_bn(<void (*)(void *, BatchNormCall *, int64_t, int64_t) noexcept nogil>
                      batch_norm_planes[double], &c)
    return 0


cdef public int t7_nn_batch_norm_backward(const T7Tensor *input, const T7Tensor *grad_output,
                                          T7Tensor *grad_input, T7Tensor *grad_weight,
                                          T7Tensor *grad_bias, const T7Tensor *weight,
                                          const T7Tensor *running_mean,
                                          const T7Tensor *running_var,
                                          const T7Tensor *save_mean, const T7Tensor *save_std,
                                          int train, double scale, double eps) noexcept nogil:
    cdef BatchNormCall c
    memset(&c, 0, sizeof(c))
    if batch_norm_layout(input, running_mean, &c) != 0:
        return -1
    if same_type(input, grad_output) != 0 or not contiguous(grad_output) \
            or grad_output._ndim != input._ndim \
            or nelement(grad_output) != nelement(input):
        return fail_shape("a contiguous gradOutput shaped like the input expected, but got ",
                          grad_output)
    if per_plane(weight, input, c.planes, "weight") != 0 \
            or per_plane(grad_weight, input, c.planes, "gradWeight") != 0 \
            or per_plane(grad_bias, input, c.planes, "gradBias") != 0 \
            or per_plane(running_mean, input, c.planes, "running_mean") != 0 \
            or per_plane(running_var, input, c.planes, "running_var") != 0 \
            or per_plane(save_mean, input, c.planes, "save_mean") != 0 \
            or per_plane(save_std, input, c.planes, "save_std") != 0:
        return -1
    if grad_input != NULL and resize_like(grad_input, input) != 0:
        return -1
    c.input = tensor_data(input)
    c.grad_output = tensor_data(grad_output)
    c.grad_input = tensor_data(grad_input) if grad_input != NULL else NULL
    c.grad_weight = tensor_data(grad_weight) if grad_weight != NULL else NULL
    c.grad_bias = tensor_data(grad_bias) if grad_bias != NULL else NULL
    c.weight = tensor_data(weight) if weight != NULL else NULL
    c.running_mean = <void *>tensor_data(running_mean)
    c.running_var = <void *>tensor_data(running_var)
    c.save_mean = <void *>tensor_data(save_mean)
    c.save_std = <void *>tensor_data(save_std)
    c.train = train != 0
    c.eps = eps
    c.scale = scale
    if input._dtype == T7_FLOAT:
        run_planes_bn(<void (*)(void *, BatchNormCall *, int64_t, int64_t) noexcept nogil>
                      batch_norm_backward_planes[float], &c)
    else:
        run_planes_bn(<void (*)(void *, BatchNormCall *, int64_t, int64_t) noexcept nogil>
                      batch_norm_backward_planes[double], &c)
    return 0


# -- local response normalisation across planes ------------------------------------------------

cdef struct LRNCall:
    int64_t batch
    int64_t planes
    int64_t inner
    int64_t size
    double alpha
    double beta
    double k
    const void *input
    const void *grad_output
    const void *output
    void *scale
    void *result


cdef inline void lrn_window(int64_t c, int64_t size, int64_t planes, int64_t *lo,
                            int64_t *hi) noexcept nogil:
    """The planes plane c sums over: size of them centred on c, clipped to the input."""
    lo[0] = max2(c - (size - 1) // 2, 0)
    hi[0] = min2(c - (size - 1) // 2 + size, planes)


cdef void lrn_samples(floating *tag, LRNCall *c, int64_t first, int64_t last) noexcept nogil:
    """Forward: scale = k + alpha/size * (window sum of x^2), output = x * scale^-beta.
    Backward: gradInput = g * scale^-beta - 2 alpha beta / size * x * (sum of g * y / scale
    over the planes whose window holds this one)."""
    cdef int64_t n, p, q, j, lo, hi, at
    cdef int64_t S = c.planes * c.inner
    cdef const floating *x
    cdef floating *s
    cdef floating *r
    cdef const floating *g
    cdef const floating *y
    cdef double ratio = c.alpha / c.size
    cdef double coef = 2 * c.alpha * c.beta / c.size
    cdef bint backward = c.grad_output != NULL
    for n in range(first, last):
        x = <const floating *>c.input + n * S
        s = <floating *>c.scale + n * S
        r = <floating *>c.result + n * S
        if not backward:
            for p in range(c.planes):
                lrn_window(p, c.size, c.planes, &lo, &hi)
                for j in range(c.inner):
                    s[p * c.inner + j] = 0
                for q in range(lo, hi):
                    for j in range(c.inner):
                        s[p * c.inner + j] += x[q * c.inner + j] * x[q * c.inner + j]
                for j in range(c.inner):
                    at = p * c.inner + j
                    s[at] = <floating>(c.k + ratio * s[at])
                    r[at] = <floating>(x[at] * pow(s[at], -c.beta))
            continue
        g = <const floating *>c.grad_output + n * S
        y = <const floating *>c.output + n * S
        for p in range(c.planes):
            for j in range(c.inner):
                at = p * c.inner + j
                r[at] = <floating>(g[at] * pow(s[at], -c.beta))
        for q in range(c.planes):
            # plane q's window covers planes lo..hi-1: each of them gets q's term
            lrn_window(q, c.size, c.planes, &lo, &hi)
            for p in range(lo, hi):
                for j in range(c.inner):
                    at = q * c.inner + j
                    r[p * c.inner + j] -= <floating>(coef * x[p * c.inner + j] * g[at] * y[at]
                                                     / s[at])


cdef int lrn_layout(const T7Tensor *input, LRNCall *c) noexcept nogil:
    if floating_only(input) != 0:
        return -1
    if input._ndim == 3:
        c.batch = 1
        c.planes = input._size[0]
        c.inner = input._size[1] * input._size[2]
    elif input._ndim == 4:
        c.batch = input._size[0]
        c.planes = input._size[1]
        c.inner = input._size[2] * input._size[3]
    else:
        return fail_shape("Input must be 3D or 4D, but got input of size ", input)
    if c.size < 1:
        return t7_fail("the window size must be positive, got %lld", <ll>c.size)
    return 0


cdef void run_lrn(LRNCall *c, int dtype) noexcept nogil:
    parallel_ranges(by_precision(dtype, <range_fn>lrn_samples[float],
                                 <range_fn>lrn_samples[double]), c, c.batch,
                    blocks_for(c.batch, c.batch * c.planes * c.inner * c.size * 2))


cdef public int t7_nn_cross_map_lrn(T7Tensor *output, T7Tensor *scale, const T7Tensor *input,
                                    int64_t size, double alpha, double beta,
                                    double k) noexcept nogil:
    cdef LRNCall c
    cdef T7Tensor *copy
    memset(&c, 0, sizeof(c))
    c.size, c.alpha, c.beta, c.k = size, alpha, beta, k
    if lrn_layout(input, &c) != 0 or same_type(input, output) != 0 \
            or same_type(input, scale) != 0:
        return -1
    if resize_like(output, input) != 0 or resize_like(scale, input) != 0:
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    c.input = tensor_data(x)
    c.scale = tensor_data(scale)
    c.result = tensor_data(output)
    run_lrn(&c, input._dtype)
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_cross_map_lrn_backward(T7Tensor *grad_input, const T7Tensor *input,
                                             const T7Tensor *grad_output,
                                             const T7Tensor *output, const T7Tensor *scale,
                                             int64_t size, double alpha, double beta,
                                             double k) noexcept nogil:
    cdef LRNCall c
    cdef T7Tensor *copies[2]
    memset(&c, 0, sizeof(c))
    c.size, c.alpha, c.beta, c.k = size, alpha, beta, k
    if lrn_layout(input, &c) != 0 or same_type(input, grad_input) != 0 \
            or same_type(input, grad_output) != 0:
        return -1
    if nelement(grad_output) != nelement(input) or nelement(output) != nelement(input) \
            or nelement(scale) != nelement(input) or not contiguous(output) \
            or not contiguous(scale):
        return t7_fail("gradOutput, output and scale must match the input (forward first)")
    if resize_like(grad_input, input) != 0:
        return -1
    copies[0] = copies[1] = NULL
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef const T7Tensor *g = contiguous_or_copy(grad_output, &copies[1])
    if x == NULL or g == NULL:
        t7_tensor_release(copies[0])
        t7_tensor_release(copies[1])
        return -1
    c.input = tensor_data(x)
    c.grad_output = tensor_data(g)
    c.output = tensor_data(output)
    c.scale = <void *>tensor_data(scale)
    c.result = tensor_data(grad_input)
    run_lrn(&c, input._dtype)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return 0
