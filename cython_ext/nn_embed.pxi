# Kernels of the modules that address weight rows or columns by index: LookupTable's
# gradient and max-norm renormalisation, and SparseLinear over coordinate lists
# (nnz x 3: sample, column, value; sample and column counted from index_base).

cdef int index_list(const T7Tensor *indices, int64_t limit, int64_t index_base,
                    const char *what) noexcept nogil:
    """indices: a contiguous LongTensor whose entries lie in [index_base, limit + base)."""
    cdef int64_t i, n, k
    if indices._dtype != T7_LONG or not contiguous(indices):
        return t7_fail("%s must be a contiguous LongTensor", what)
    n = nelement(indices)
    for i in range(n):
        k = (<const int64_t *>tensor_data(indices))[i]
        if k < index_base or k >= limit + index_base:
            return t7_fail("%s: index %lld out of range (%lld to %lld)", what, <ll>k,
                           <ll>index_base, <ll>(limit + index_base - 1))
    return 0


cdef void lookup_acc(floating *gw, const int64_t *idx, const floating *go,
                     int64_t n, int64_t dim, int32_t *count, int64_t padding,
                     int64_t base, floating scale) noexcept nogil:
    cdef int64_t i, j, k
    cdef floating s
    for i in range(n):
        if idx[i] == padding:
            continue
        k = idx[i] - base
        s = scale / count[k] if count != NULL else scale
        for j in range(dim):
            gw[k * dim + j] += s * go[i * dim + j]


cdef public int t7_nn_lookup_acc_grad(T7Tensor *grad_weight, const T7Tensor *indices,
                                      const T7Tensor *grad_output, T7Tensor *count,
                                      int64_t padding_value, int64_t index_base,
                                      double scale) noexcept nogil:
    """grad_weight[k] += scale * grad_output[i] for each indices[i] = k (but the padding
    value), divided by k's frequency in indices when count (an IntTensor) is given."""
    cdef int64_t rows, dim, n, i, k
    cdef T7Tensor *copy
    cdef int32_t *freq = NULL
    if same_floating(grad_weight, grad_output) != 0:
        return -1
    if grad_weight._ndim != 2 or not contiguous(grad_weight):
        return fail_shape("gradWeight must be a contiguous matrix, but is of size ", grad_weight)
    rows = grad_weight._size[0]
    dim = grad_weight._size[1]
    if index_list(indices, rows, index_base, "input") != 0:
        return -1
    n = nelement(indices)
    if nelement(grad_output) != n * dim:
        return t7_fail("gradOutput has %lld elements, %lld expected (%lld indices x %lld)",
                       <ll>nelement(grad_output), <ll>(n * dim), <ll>n, <ll>dim)
    cdef const int64_t *idx = <const int64_t *>tensor_data(indices)
    if count != NULL:
        if count._dtype != T7_INT:
            return t7_fail("the counts must be an IntTensor")
        if resize_contiguous(count, 1, &rows) != 0:
            return -1
        freq = <int32_t *>tensor_data(count)
        for i in range(n):
            freq[idx[i] - index_base] = 0
        for i in range(n):
            freq[idx[i] - index_base] += 1
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy)
    if go == NULL:
        return -1
    if grad_weight._dtype == T7_FLOAT:
        lookup_acc(<float *>tensor_data(grad_weight), idx, <const float *>tensor_data(go), n,
                   dim, freq, padding_value, index_base, <float>scale)
    else:
        lookup_acc(<double *>tensor_data(grad_weight), idx, <const double *>tensor_data(go), n,
                   dim, freq, padding_value, index_base, scale)
    t7_tensor_release(copy)
    return 0


cdef void renorm_rows(floating *w, const int64_t *idx, int64_t n, int64_t dim, double max_norm,
                      double norm_type, int64_t base, uint8_t *seen) noexcept nogil:
    cdef int64_t i, j, k
    cdef double norm, factor
    for i in range(n):
        k = idx[i] - base
        if seen[k]:
            continue
        seen[k] = 1
        norm = 0
        for j in range(dim):
            norm += pow(fabs(w[k * dim + j]), norm_type)
        norm = pow(norm, 1.0 / norm_type)
        if norm > max_norm:
            factor = max_norm / (norm + 1e-7)
            for j in range(dim):
                w[k * dim + j] = <floating>(w[k * dim + j] * factor)


cdef public int t7_nn_lookup_renorm(T7Tensor *weight, const T7Tensor *indices, double max_norm,
                                    double norm_type, int64_t index_base) noexcept nogil:
    """Scales each row of weight named in indices whose norm exceeds max_norm down to it."""
    if floating_only(weight) != 0:
        return -1
    if weight._ndim != 2 or not contiguous(weight):
        return fail_shape("the weight must be a contiguous matrix, but is of size ", weight)
    if norm_type <= 0:
        return t7_fail("the norm type must be positive, got %g", norm_type)
    if index_list(indices, weight._size[0], index_base, "input") != 0:
        return -1
    cdef uint8_t *seen = <uint8_t *>calloc(weight._size[0], 1)
    if seen == NULL:
        return t7_fail("not enough memory")
    if weight._dtype == T7_FLOAT:
        renorm_rows(<float *>tensor_data(weight), <const int64_t *>tensor_data(indices),
                    nelement(indices), weight._size[1], max_norm, norm_type, index_base, seen)
    else:
        renorm_rows(<double *>tensor_data(weight), <const int64_t *>tensor_data(indices),
                    nelement(indices), weight._size[1], max_norm, norm_type, index_base, seen)
    free(seen)
    return 0


# -- SparseLinear -----------------------------------------------------------------------------

cdef int coo_check(const T7Tensor *coo, const T7Tensor *weight, int64_t batch,
                   int64_t index_base) noexcept nogil:
    cdef int64_t i, row, col
    if same_floating(weight, coo) != 0:
        return -1
    if coo._ndim != 2 or coo._size[1] != 3 or not contiguous(coo):
        return fail_shape("input must be in coo format, nnz x 3, but got ", coo)
    if weight._ndim != 2 or not contiguous(weight):
        return fail_shape("the weight must be a contiguous matrix, but is of size ", weight)
    for i in range(coo._size[0]):
        row = <int64_t>element_at(coo, i * 3) - index_base
        col = <int64_t>element_at(coo, i * 3 + 1) - index_base
        if row < 0 or row >= batch:
            return t7_fail("sample %lld out of range (1 to %lld)", <ll>(row + index_base),
                           <ll>batch)
        if col < 0 or col >= weight._size[1]:
            return t7_fail("index out of bound: %lld not between %lld and %lld",
                           <ll>(col + index_base), <ll>index_base,
                           <ll>(weight._size[1] - 1 + index_base))
    return 0


cdef inline double element_at(const T7Tensor *t, int64_t i) noexcept nogil:
    """Element i of a contiguous Float or Double tensor."""
    if t._dtype == T7_FLOAT:
        return (<const float *>tensor_data(t))[i]
    return (<const double *>tensor_data(t))[i]


cdef void sparse_forward(floating *out, const floating *coo, int64_t nnz, const floating *w,
                         const floating *bias, int64_t batch, int64_t n_out, int64_t n_in,
                         int64_t base) noexcept nogil:
    cdef int64_t b, i, o, row, col
    cdef floating v
    for b in range(batch):
        for o in range(n_out):
            out[b * n_out + o] = bias[o]
    for i in range(nnz):
        row = <int64_t>coo[3 * i] - base
        col = <int64_t>coo[3 * i + 1] - base
        v = coo[3 * i + 2]
        for o in range(n_out):
            out[row * n_out + o] += w[o * n_in + col] * v


cdef public int t7_nn_sparse_linear(T7Tensor *output, const T7Tensor *coo,
                                    const T7Tensor *weight, const T7Tensor *bias, int64_t batch,
                                    int64_t index_base) noexcept nogil:
    cdef int64_t size[2]
    if coo_check(coo, weight, batch, index_base) != 0 or per_plane(bias, weight,
                                                                   weight._size[0], "bias") != 0:
        return -1
    size[0] = batch
    size[1] = weight._size[0]
    if same_type(weight, output) != 0 or resize_contiguous(output, 2, size) != 0:
        return -1
    if weight._dtype == T7_FLOAT:
        sparse_forward(<float *>tensor_data(output), <const float *>tensor_data(coo),
                       coo._size[0], <const float *>tensor_data(weight),
                       <const float *>tensor_data(bias), batch, size[1], weight._size[1],
                       index_base)
    else:
        sparse_forward(<double *>tensor_data(output), <const double *>tensor_data(coo),
                       coo._size[0], <const double *>tensor_data(weight),
                       <const double *>tensor_data(bias), batch, size[1], weight._size[1],
                       index_base)
    return 0


cdef void sparse_acc(floating *gw, floating *gb, const floating *coo, int64_t nnz,
                     const floating *go, const floating *w, int64_t batch, int64_t n_out,
                     int64_t n_in, int64_t base, double decay, double scale) noexcept nogil:
    cdef int64_t b, i, o, row, col
    cdef floating v
    for i in range(nnz):
        row = <int64_t>coo[3 * i] - base
        col = <int64_t>coo[3 * i + 1] - base
        v = <floating>(scale * coo[3 * i + 2])
        for o in range(n_out):
            gw[o * n_in + col] += v * go[row * n_out + o]
    for b in range(batch):
        for o in range(n_out):
            gb[o] += <floating>(scale * go[b * n_out + o])
    if decay != 0:
        for i in range(n_out * n_in):
            gw[i] += <floating>(decay * w[i])


cdef public int t7_nn_sparse_linear_acc_grad(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                             const T7Tensor *coo, const T7Tensor *grad_output,
                                             const T7Tensor *weight, double weight_decay,
                                             double scale, int64_t index_base) noexcept nogil:
    cdef int64_t batch
    cdef T7Tensor *copy
    if grad_output._ndim != 2 or grad_output._size[1] != weight._size[0]:
        return fail_shape("gradOutput must be batch x outputs, but got ", grad_output)
    batch = grad_output._size[0]
    if coo_check(coo, weight, batch, index_base) != 0 \
            or same_type(weight, grad_output) != 0 or same_type(weight, grad_weight) != 0 \
            or per_plane(grad_bias, weight, weight._size[0], "gradBias") != 0:
        return -1
    if nelement(grad_weight) != nelement(weight) or not contiguous(grad_weight):
        return t7_fail("gradWeight must be contiguous and shaped like the weight")
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy)
    if go == NULL:
        return -1
    if weight._dtype == T7_FLOAT:
        sparse_acc(<float *>tensor_data(grad_weight), <float *>tensor_data(grad_bias),
                   <const float *>tensor_data(coo), coo._size[0], <const float *>tensor_data(go),
                   <const float *>tensor_data(weight), batch, weight._size[0], weight._size[1],
                   index_base, weight_decay, scale)
    else:
        sparse_acc(<double *>tensor_data(grad_weight), <double *>tensor_data(grad_bias),
                   <const double *>tensor_data(coo), coo._size[0],
                   <const double *>tensor_data(go), <const double *>tensor_data(weight), batch,
                   weight._size[0], weight._size[1], index_base, weight_decay, scale)
    t7_tensor_release(copy)
    return 0


cdef void sparse_columns(floating *w, floating *bias, const floating *gw, const floating *gb,
                         const floating *coo, int64_t nnz, int64_t n_out, int64_t n_in,
                         int64_t base, double lr, uint8_t *seen) noexcept nogil:
    """lr != 0: w -= lr * gw on the columns the list names, bias -= lr * gb; lr == 0: those
    columns of w (a gradient) and bias are zeroed."""
    cdef int64_t i, o, col
    for i in range(nnz):
        col = <int64_t>coo[3 * i + 1] - base
        if seen[col]:
            continue
        seen[col] = 1
        for o in range(n_out):
            if lr != 0:
                w[o * n_in + col] -= <floating>(lr * gw[o * n_in + col])
            else:
                w[o * n_in + col] = 0
    for o in range(n_out):
        if lr != 0:
            bias[o] -= <floating>(lr * gb[o])
        else:
            bias[o] = 0


cdef int sparse_columns_call(T7Tensor *weight, T7Tensor *bias, const T7Tensor *grad_weight,
                             const T7Tensor *grad_bias, const T7Tensor *coo, double lr,
                             int64_t index_base) noexcept nogil:
    cdef int64_t batch = INT64_MAX
    if coo_check(coo, weight, batch, index_base) != 0 \
            or per_plane(bias, weight, weight._size[0], "bias") != 0:
        return -1
    if grad_weight != NULL and (same_type(weight, grad_weight) != 0
                                or nelement(grad_weight) != nelement(weight)
                                or not contiguous(grad_weight)
                                or per_plane(grad_bias, weight, weight._size[0],
                                             "gradBias") != 0):
        return t7_fail("gradWeight and gradBias must be contiguous and shaped like the weight "
                       "and the bias")
    cdef uint8_t *seen = <uint8_t *>calloc(weight._size[1], 1)
    if seen == NULL:
        return t7_fail("not enough memory")
    if weight._dtype == T7_FLOAT:
        sparse_columns(<float *>tensor_data(weight), <float *>tensor_data(bias),
                       <const float *>tensor_data(grad_weight) if grad_weight != NULL else NULL,
                       <const float *>tensor_data(grad_bias) if grad_bias != NULL else NULL,
                       <const float *>tensor_data(coo), coo._size[0], weight._size[0],
                       weight._size[1], index_base, lr, seen)
    else:
        sparse_columns(<double *>tensor_data(weight), <double *>tensor_data(bias),
                       <const double *>tensor_data(grad_weight) if grad_weight != NULL else NULL,
                       <const double *>tensor_data(grad_bias) if grad_bias != NULL else NULL,
                       <const double *>tensor_data(coo), coo._size[0], weight._size[0],
                       weight._size[1], index_base, lr, seen)
    free(seen)
    return 0


cdef public int t7_nn_sparse_linear_update(T7Tensor *weight, T7Tensor *bias,
                                           const T7Tensor *grad_weight,
                                           const T7Tensor *grad_bias, const T7Tensor *coo,
                                           double learning_rate,
                                           int64_t index_base) noexcept nogil:
    if learning_rate == 0:
        return 0
    return sparse_columns_call(weight, bias, grad_weight, grad_bias, coo, learning_rate,
                               index_base)


cdef public int t7_nn_sparse_linear_zero_grad(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                              const T7Tensor *coo,
                                              int64_t index_base) noexcept nogil:
    return sparse_columns_call(grad_weight, grad_bias, NULL, NULL, coo, 0, index_base)
