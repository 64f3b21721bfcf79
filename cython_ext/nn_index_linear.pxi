# Kernels of nn.IndexLinear: a linear layer over sparse (key, value) inputs whose weight is
# inputSize x (outputSize + normalize). A batch is the concatenation of its samples' keys
# and values with the samples' sizes. With normalize = 4 every weight row starts with four
# bookkeeping columns: the largest |value| seen for the key, its inverse, the update scale
# and a per-key offset added to the normalised value; the output weights follow.
# Gradients stay dense per key (one row per key occurrence), as the original kept them.


cdef struct IndexLinearCall:
    const int64_t *keys          # keysSize, the key + offset is the weight row
    int64_t offset
    int64_t n_keys
    const int64_t *sizes         # batch
    int64_t batch
    int64_t out_dim
    int64_t row_stride           # weight row length: out_dim + normalize
    int64_t normalize            # 0 or the count of bookkeeping columns (4)
    int64_t rows                 # weight rows (inputSize)


cdef int index_linear_weight(IndexLinearCall *c, const T7Tensor *weight,
                             const T7Tensor *bias) noexcept nogil:
    """A contiguous Float or Double weight matrix whose rows hold the bias's outputs,
    after 0 or at least 4 bookkeeping columns."""
    memset(c, 0, sizeof(IndexLinearCall))
    if floating_only(weight) != 0 or same_type(weight, bias) != 0:
        return -1
    if weight._ndim != 2 or not contiguous(weight):
        return fail_shape("the weight must be a contiguous matrix, but is of size ", weight)
    if bias._ndim != 1 or not contiguous(bias) or bias._size[0] > weight._size[1]:
        return fail_shape("the bias must be a contiguous vector no longer than a weight row, "
                          "but is of size ", bias)
    c.out_dim = bias._size[0]
    c.row_stride = weight._size[1]
    c.normalize = c.row_stride - c.out_dim
    c.rows = weight._size[0]
    if c.normalize != 0 and c.normalize < 4:
        return t7_fail("a weight of %lld columns for %lld outputs: 0 or at least 4 extra "
                       "columns expected", <ll>c.row_stride, <ll>c.out_dim)
    return 0


cdef int index_linear_keys(IndexLinearCall *c, const T7Tensor *keys,
                           int64_t offset) noexcept nogil:
    """Contiguous 1D LongTensor keys which, plus offset, name weight rows."""
    cdef int64_t i, k
    if keys._dtype != T7_LONG or keys._ndim > 1 or not contiguous(keys):
        return fail_shape("the keys must be a contiguous 1D LongTensor, but are of size ", keys)
    c.keys = <const int64_t *>tensor_data(keys)
    c.offset = offset
    c.n_keys = nelement(keys)
    for i in range(c.n_keys):
        k = c.keys[i] + offset
        if k < 0 or k >= c.rows:
            return t7_fail("key %lld out of range (%lld to %lld)", <ll>c.keys[i],
                           <ll>(-offset), <ll>(c.rows - 1 - offset))
    return 0


cdef int index_linear_call(IndexLinearCall *c, const T7Tensor *keys, int64_t offset,
                           const T7Tensor *values, const T7Tensor *sizes,
                           const T7Tensor *weight, const T7Tensor *bias) noexcept nogil:
    """Checks the inputs and fills c: the weight and keys as above, values of the weight's
    type with one element per key, and a LongTensor of sizes adding up to the keys."""
    cdef int64_t i, total = 0
    if index_linear_weight(c, weight, bias) != 0 or index_linear_keys(c, keys, offset) != 0 \
            or same_type(weight, values) != 0:
        return -1
    if values._ndim > 1 or not contiguous(values) or nelement(values) != c.n_keys:
        return t7_fail("keys and values should have the same number of elements "
                       "(%lld keys, %lld values) and be 1D and contiguous",
                       <ll>c.n_keys, <ll>nelement(values))
    if sizes._dtype != T7_LONG or sizes._ndim != 1 or not contiguous(sizes):
        return fail_shape("the sizes must be a contiguous 1D LongTensor, but are of size ",
                          sizes)
    c.sizes = <const int64_t *>tensor_data(sizes)
    c.batch = sizes._size[0]
    for i in range(c.batch):
        if c.sizes[i] < 0:
            return t7_fail("sample %lld has a negative size (%lld)", <ll>(i + 1),
                           <ll>c.sizes[i])
        total += c.sizes[i]
    if total != c.n_keys:
        return t7_fail("the sizes add up to %lld, but there are %lld keys", <ll>total,
                       <ll>c.n_keys)
    return 0


cdef inline floating key_sign(floating v) noexcept nogil:
    return -1 if v < 0 else (1 if v > 0 else 0)


cdef void index_linear_rows(const IndexLinearCall *c, floating *out, const floating *values,
                            floating *w, const floating *bias, floating *normalized,
                            int train, int64_t first, int64_t last) noexcept nogil:
    """Output rows first..last-1: bias plus, for each (key, value) of the sample, value (or
    its normalised form) times the key's weights."""
    cdef int64_t j, i, k, pos = 0
    cdef floating val, absval
    cdef floating *wrow
    cdef floating *orow
    for j in range(first):
        pos += c.sizes[j]
    for j in range(first, last):
        orow = out + j * c.out_dim
        for k in range(c.out_dim):
            orow[k] = bias[k]
        for i in range(c.sizes[j]):
            wrow = w + (c.keys[pos] + c.offset) * c.row_stride
            val = values[pos]
            if c.normalize:
                absval = val if val >= 0 else -val
                if train:
                    if absval > wrow[0]:
                        wrow[0] = absval
                        wrow[1] = 1 / absval
                    wrow[2] = 1
                if absval > wrow[0]:
                    val = key_sign(val) + wrow[3]
                else:
                    val = val * wrow[1] + wrow[3]
                normalized[pos] = val
                wrow = wrow + c.normalize
            for k in range(c.out_dim):
                orow[k] += wrow[k] * val
            pos += 1


cdef struct IndexLinearJob:
    const IndexLinearCall *c
    void *out
    const void *values
    void *w
    const void *bias
    void *normalized
    int train


cdef void index_linear_block(floating *tag, IndexLinearJob *j, int64_t first,
                             int64_t last) noexcept nogil:
    index_linear_rows(j.c, <floating *>j.out, <const floating *>j.values, <floating *>j.w,
                      <const floating *>j.bias, <floating *>j.normalized, j.train, first, last)


cdef void index_linear_forward(const IndexLinearCall *c, floating *out,
                               const floating *values, floating *w, const floating *bias,
                               floating *normalized, int train) noexcept nogil:
    # Samples write their own output rows; training with normalisation also writes the
    # keys' bookkeeping columns, which samples may share: then one thread.
    cdef int64_t blocks = 1
    if not (c.normalize and train):
        blocks = blocks_for(c.batch, c.n_keys * c.out_dim)
    cdef IndexLinearJob j
    j.c = c
    j.out = out
    j.values = values
    j.w = w
    j.bias = bias
    j.normalized = normalized
    j.train = train
    if floating is float:
        parallel_ranges(<range_fn>index_linear_block[float], &j, c.batch, blocks)
    else:
        parallel_ranges(<range_fn>index_linear_block[double], &j, c.batch, blocks)


cdef public int t7_nn_index_linear(T7Tensor *output, const T7Tensor *keys, int64_t keys_offset,
                                   const T7Tensor *values, const T7Tensor *sizes,
                                   T7Tensor *weight, const T7Tensor *bias,
                                   T7Tensor *normalized_values, int train) noexcept nogil:
    """output (batch x outputs) = bias + the samples' value-weighted key rows; with the
    normalising columns, the values are first normalised into normalized_values (and, when
    training, the keys' largest magnitudes updated)."""
    cdef IndexLinearCall c
    cdef int64_t size[2]
    if index_linear_call(&c, keys, keys_offset, values, sizes, weight, bias) != 0:
        return -1
    if same_type(weight, output) != 0 or same_type(weight, normalized_values) != 0:
        return -1
    size[0] = c.batch
    size[1] = c.out_dim
    if resize_contiguous(output, 2, size) != 0:
        return -1
    if c.normalize and resize_contiguous(normalized_values, 1, &c.n_keys) != 0:
        return -1
    if weight._dtype == T7_FLOAT:
        index_linear_forward(&c, <float *>tensor_data(output), <const float *>tensor_data(values),
                             <float *>tensor_data(weight), <const float *>tensor_data(bias),
                             <float *>tensor_data(normalized_values) if c.normalize else NULL,
                             train)
    else:
        index_linear_forward(&c, <double *>tensor_data(output),
                             <const double *>tensor_data(values),
                             <double *>tensor_data(weight), <const double *>tensor_data(bias),
                             <double *>tensor_data(normalized_values) if c.normalize else NULL,
                             train)
    return 0


cdef void index_linear_acc(const IndexLinearCall *c, floating *gw, floating *gb,
                           const floating *values, const floating *go,
                           floating scale) noexcept nogil:
    """One gradient row per key occurrence: scale * value * gradOutput of its sample,
    preceded, with normalisation, by scale * gradOutput (the offset column's gradient)."""
    cdef int64_t j, i, k, pos = 0
    cdef int64_t width = c.out_dim * (2 if c.normalize else 1)
    cdef floating val
    cdef floating *grow
    cdef const floating *gorow
    for j in range(c.batch):
        gorow = go + j * c.out_dim
        for k in range(c.out_dim):
            gb[k] += scale * gorow[k]
        for i in range(c.sizes[j]):
            grow = gw + pos * width
            val = values[pos] * scale
            if c.normalize:
                for k in range(c.out_dim):
                    grow[k] = gorow[k] * scale
                grow = grow + c.out_dim
            for k in range(c.out_dim):
                grow[k] = val * gorow[k]
            pos += 1


cdef int index_linear_grad_output(const IndexLinearCall *c, const T7Tensor *grad_output,
                                  const T7Tensor *weight) noexcept nogil:
    cdef char shape[256]
    if same_type(weight, grad_output) != 0:
        return -1
    if nelement(grad_output) != c.batch * c.out_dim or not contiguous(grad_output):
        size_text(grad_output, shape, sizeof(shape))
        return t7_fail("gradOutput must be contiguous, of %lld x %lld elements, but is of "
                       "size %s", <ll>c.batch, <ll>c.out_dim, shape)
    return 0


cdef public int t7_nn_index_linear_acc_grad(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                            const T7Tensor *keys, int64_t keys_offset,
                                            const T7Tensor *values, const T7Tensor *sizes,
                                            const T7Tensor *grad_output,
                                            const T7Tensor *weight, const T7Tensor *bias,
                                            double scale) noexcept nogil:
    """grad_weight becomes keysSize x outputs (x 2 with normalisation), one row per key;
    grad_bias accumulates scale * the summed gradOutput."""
    cdef IndexLinearCall c
    cdef int64_t size[2]
    if index_linear_call(&c, keys, keys_offset, values, sizes, weight, bias) != 0 \
            or index_linear_grad_output(&c, grad_output, weight) != 0 \
            or same_type(weight, grad_weight) != 0 or same_type(weight, grad_bias) != 0:
        return -1
    if nelement(grad_bias) != c.out_dim or not contiguous(grad_bias):
        return t7_fail("gradBias must be a contiguous tensor of %lld elements", <ll>c.out_dim)
    size[0] = c.n_keys
    size[1] = c.out_dim * (2 if c.normalize else 1)
    if resize_contiguous(grad_weight, 2, size) != 0:
        return -1
    if weight._dtype == T7_FLOAT:
        index_linear_acc(&c, <float *>tensor_data(grad_weight), <float *>tensor_data(grad_bias),
                         <const float *>tensor_data(values),
                         <const float *>tensor_data(grad_output), <float>scale)
    else:
        index_linear_acc(&c, <double *>tensor_data(grad_weight),
                         <double *>tensor_data(grad_bias), <const double *>tensor_data(values),
                         <const double *>tensor_data(grad_output), scale)
    return 0


cdef void index_linear_step(const IndexLinearCall *c, floating *w, floating *bias,
                            const floating *gw, const floating *gb, floating decay,
                            floating lr) noexcept nogil:
    """The update from dense per-key gradients, key after key (keys may repeat). With
    normalisation the key's scale column scales its rate and decay, and the offset column
    moves by the gradient times the key's weights (taken before their own update)."""
    cdef int64_t j, k
    cdef int64_t width = c.out_dim * (2 if c.normalize else 1)
    cdef floating rate, wd
    cdef floating *wrow
    cdef const floating *grow
    for k in range(c.out_dim):
        bias[k] -= lr * gb[k]
    for j in range(c.n_keys):
        wrow = w + (c.keys[j] + c.offset) * c.row_stride
        grow = gw + j * width
        rate = lr
        wd = decay
        if c.normalize:
            wrow = wrow + c.normalize - 2
            rate = lr * wrow[0]
            wd = decay * wrow[0]
            if c.out_dim == 1:
                # the original's single-output form: decay enters with the opposite sign
                wrow[1] -= wrow[2] * grow[0] * rate
                wrow[2] -= grow[1] * rate - decay * wrow[0] * wrow[2]
                continue
            for k in range(c.out_dim):
                wrow[1] -= grow[k] * wrow[k + 2] * rate
            wrow = wrow + 2
            grow = grow + c.out_dim
        if decay != 0:
            for k in range(c.out_dim):
                wrow[k] -= wrow[k] * wd
        for k in range(c.out_dim):
            wrow[k] -= grow[k] * rate


cdef public int t7_nn_index_linear_update(T7Tensor *weight, T7Tensor *bias,
                                          const T7Tensor *grad_weight,
                                          const T7Tensor *grad_bias, const T7Tensor *keys,
                                          int64_t keys_offset, double weight_decay,
                                          double learning_rate) noexcept nogil:
    """weight -= learning_rate * the dense per-key gradients (rows of grad_weight, one per
    entry of keys), with weight decay on the touched rows; bias -= learning_rate * grad_bias."""
    cdef IndexLinearCall c
    cdef int64_t width
    cdef char shape[256]
    if index_linear_weight(&c, weight, bias) != 0 or index_linear_keys(&c, keys,
                                                                       keys_offset) != 0 \
            or same_type(weight, grad_weight) != 0 or same_type(weight, grad_bias) != 0:
        return -1
    width = c.out_dim * (2 if c.normalize else 1)
    if nelement(grad_weight) != c.n_keys * width or not contiguous(grad_weight):
        size_text(grad_weight, shape, sizeof(shape))
        return t7_fail("gradWeight must be contiguous, of %lld x %lld elements (one row per "
                       "key), but is of size %s", <ll>c.n_keys, <ll>width, shape)
    if nelement(grad_bias) != c.out_dim or not contiguous(grad_bias):
        return t7_fail("gradBias must be a contiguous tensor of %lld elements", <ll>c.out_dim)
    if weight._dtype == T7_FLOAT:
        index_linear_step(&c, <float *>tensor_data(weight), <float *>tensor_data(bias),
                          <const float *>tensor_data(grad_weight),
                          <const float *>tensor_data(grad_bias), <float>weight_decay,
                          <float>learning_rate)
    else:
        index_linear_step(&c, <double *>tensor_data(weight), <double *>tensor_data(bias),
                          <const double *>tensor_data(grad_weight),
                          <const double *>tensor_data(grad_bias), weight_decay, learning_rate)
    return 0


cdef void index_linear_acc_update(const IndexLinearCall *c, floating *w, floating *bias,
                                  const floating *values, const floating *go, floating decay,
                                  floating scale) noexcept nogil:
    """The update straight from gradOutput: bias -= scale * gradOutput, each key's weights
    -= scale * value * gradOutput (after decay). With normalisation the scale column scales
    value and decay, and the offset column moves by the key's weights times the gradient;
    the single-output form then clears the keys' scale columns, as the original did."""
    cdef int64_t j, i, k, pos = 0
    cdef floating val, wd
    cdef floating *wrow
    cdef const floating *gorow
    for j in range(c.batch):
        gorow = go + j * c.out_dim
        for k in range(c.out_dim):
            bias[k] -= scale * gorow[k]
        for i in range(c.sizes[j]):
            wrow = w + (c.keys[pos] + c.offset) * c.row_stride
            val = values[pos] * scale
            wd = decay
            if c.normalize:
                wrow = wrow + c.normalize - 2
                if c.out_dim == 1:
                    # the original's single-output form
                    wrow[1] -= wrow[2] * gorow[0] * scale * wrow[0]
                    wrow[2] -= (gorow[0] * scale * values[pos] - decay * wrow[2]) * wrow[0]
                    pos += 1
                    continue
                val = val * wrow[0]
                wd = wd * wrow[0]
                for k in range(c.out_dim):
                    wrow[1] -= wrow[k + 2] * scale * gorow[k] * wrow[0]
                wrow = wrow + 2
            if decay != 0:
                for k in range(c.out_dim):
                    wrow[k] -= wd * wrow[k]
            for k in range(c.out_dim):
                wrow[k] -= val * gorow[k]
            pos += 1
    if c.normalize and c.out_dim == 1:
        for i in range(c.n_keys):
            w[(c.keys[i] + c.offset) * c.row_stride + c.normalize - 2] = 0


cdef public int t7_nn_index_linear_acc_update(T7Tensor *weight, T7Tensor *bias,
                                              const T7Tensor *keys, int64_t keys_offset,
                                              const T7Tensor *values, const T7Tensor *sizes,
                                              const T7Tensor *grad_output, double weight_decay,
                                              double scale) noexcept nogil:
    cdef IndexLinearCall c
    if index_linear_call(&c, keys, keys_offset, values, sizes, weight, bias) != 0 \
            or index_linear_grad_output(&c, grad_output, weight) != 0:
        return -1
    if weight._dtype == T7_FLOAT:
        index_linear_acc_update(&c, <float *>tensor_data(weight), <float *>tensor_data(bias),
                                <const float *>tensor_data(values),
                                <const float *>tensor_data(grad_output), <float>weight_decay,
                                <float>scale)
    else:
        index_linear_acc_update(&c, <double *>tensor_data(weight), <double *>tensor_data(bias),
                                <const double *>tensor_data(values),
                                <const double *>tensor_data(grad_output), weight_decay, scale)
    return 0
