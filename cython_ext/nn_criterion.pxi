# Criterion kernels: elementwise losses between an input and a target (with their
# gradients), and the per-sample margin and spatial negative log-likelihood losses.
# Sums accumulate in double precision; the callers average.

cdef extern from "t7_abi.h":
    enum:
        T7_LOSS_ABS
        T7_LOSS_SMOOTH_L1
        T7_LOSS_SOFT_MARGIN
        T7_LOSS_DIST_KL
        T7_LOSS_BCE
        T7_LOSS_MARGIN
        T7_LOSS_L1
        T7_LOSS_HINGE_EMBEDDING

# BCE adds 1e-12 inside its logarithms, as the original, so that 0 and 1 stay finite.

cdef inline double loss_value(double x, double y, int fn, double param) noexcept nogil:
    cdef double z
    if fn == T7_LOSS_ABS:
        return fabs(x - y)
    if fn == T7_LOSS_SMOOTH_L1:
        z = fabs(x - y)
        return 0.5 * z * z if z < 1 else z - 0.5
    if fn == T7_LOSS_SOFT_MARGIN:
        return log1p(exp(-x * y))
    if fn == T7_LOSS_DIST_KL:
        return y * (log(y) - x) if y > 0 else 0
    if fn == T7_LOSS_BCE:
        return -(log(x + 1e-12) * y + log(1 - x + 1e-12) * (1 - y))
    if fn == T7_LOSS_MARGIN:
        z = param - x * y
        return z if z > 0 else 0
    if fn == T7_LOSS_HINGE_EMBEDDING:     # y = 1: x; y = -1: max(0, margin - x)
        z = param - x
        return (x if y != -1 else 0) + ((z if z > 0 else 0) if y != 1 else 0)
    return fabs(x)                                      # T7_LOSS_L1 (no target)


cdef inline double loss_gradient(double x, double y, int fn, double param) noexcept nogil:
    cdef double z
    if fn == T7_LOSS_ABS:
        return 1 if x - y >= 0 else -1
    if fn == T7_LOSS_SMOOTH_L1:
        z = x - y
        return -1 if z < -1 else (1 if z > 1 else z)
    if fn == T7_LOSS_SOFT_MARGIN:
        z = exp(-x * y)
        return -y * z / (1 + z)
    if fn == T7_LOSS_DIST_KL:
        return -y if y > 0 else 0
    if fn == T7_LOSS_BCE:
        return -(y - x) / ((1 - x + 1e-12) * (x + 1e-12))
    if fn == T7_LOSS_MARGIN:
        return -y if x * y < param else 0
    if fn == T7_LOSS_HINGE_EMBEDDING:
        return 0 if y == -1 and x > param else y
    return 1 if x > 0 else (-1 if x < 0 else 0)        # T7_LOSS_L1: the sign


cdef double pair_loss_sum(floating *tag, const T7Tensor *input, const T7Tensor *target,
                          const T7Tensor *weights, int fn, double param) noexcept nogil:
    cdef Walker wx, wy, ww
    walker_init(&wx, input, 0)
    if target != NULL:
        walker_init(&wy, target, 0)
    if weights != NULL:
        walker_init(&ww, weights, 0)
    cdef int64_t n, i, sx, sy = 0, sw = 0, left = nelement(input)
    cdef const floating *x
    cdef const floating *y = NULL
    cdef const floating *w = NULL
    cdef double total = 0
    while left > 0:
        n = min2(left, walker_run(&wx))
        if target != NULL:
            n = min2(n, walker_run(&wy))
        if weights != NULL:
            n = min2(n, walker_run(&ww))
        x = <const floating *>wx.ptr
        sx = walker_step(&wx, sizeof(floating))
        if target != NULL:
            y = <const floating *>wy.ptr
            sy = walker_step(&wy, sizeof(floating))
        if weights != NULL:
            w = <const floating *>ww.ptr
            sw = walker_step(&ww, sizeof(floating))
        for i in range(n):
            total += loss_value(x[i * sx], y[i * sy] if y != NULL else 0, fn, param) \
                * (w[i * sw] if w != NULL else 1)
        walker_advance(&wx, n)
        if target != NULL:
            walker_advance(&wy, n)
        if weights != NULL:
            walker_advance(&ww, n)
        left -= n
    return total


cdef void pair_loss_grad(floating *tag, T7Tensor *grad_input, const T7Tensor *input,
                         const T7Tensor *target, const T7Tensor *weights, int fn, double param,
                         double scale) noexcept nogil:
    cdef Walker wg, wx, wy, ww
    walker_init(&wg, grad_input, 0)
    walker_init(&wx, input, 0)
    if target != NULL:
        walker_init(&wy, target, 0)
    if weights != NULL:
        walker_init(&ww, weights, 0)
    cdef int64_t n, i, sg, sx, sy = 0, sw = 0, left = nelement(input)
    cdef floating *g
    cdef const floating *x
    cdef const floating *y = NULL
    cdef const floating *w = NULL
    while left > 0:
        n = min2(left, min2(walker_run(&wx), walker_run(&wg)))
        if target != NULL:
            n = min2(n, walker_run(&wy))
        if weights != NULL:
            n = min2(n, walker_run(&ww))
        g = <floating *>wg.ptr
        x = <const floating *>wx.ptr
        sg = walker_step(&wg, sizeof(floating))
        sx = walker_step(&wx, sizeof(floating))
        if target != NULL:
            y = <const floating *>wy.ptr
            sy = walker_step(&wy, sizeof(floating))
        if weights != NULL:
            w = <const floating *>ww.ptr
            sw = walker_step(&ww, sizeof(floating))
        for i in range(n):
            g[i * sg] = <floating>(scale * loss_gradient(x[i * sx], y[i * sy] if y != NULL else 0,
                                                         fn, param)
                                   * (w[i * sw] if w != NULL else 1))
        walker_advance(&wg, n)
        walker_advance(&wx, n)
        if target != NULL:
            walker_advance(&wy, n)
        if weights != NULL:
            walker_advance(&ww, n)
        left -= n


cdef int check_pair(const T7Tensor *input, const T7Tensor *target, const T7Tensor *weights,
                    int fn) noexcept nogil:
    if fn < T7_LOSS_ABS or fn > T7_LOSS_HINGE_EMBEDDING:
        return t7_fail("unknown loss code %d", fn)
    if floating_only(input) != 0:
        return -1
    if fn != T7_LOSS_L1:
        if target == NULL:
            return t7_fail("a target is needed")
        if same_type(input, target) != 0 \
                or same_count(input, target, "input and target") != 0:
            return -1
    if weights != NULL and (same_type(input, weights) != 0
                            or same_count(input, weights, "input and weights") != 0):
        return -1
    return 0


cdef public int t7_nn_pair_loss(const T7Tensor *input, const T7Tensor *target,
                                const T7Tensor *weights, int fn, double param,
                                double *sum) noexcept nogil:
    if check_pair(input, target, weights, fn) != 0:
        return -1
    if fn == T7_LOSS_L1:
        target = NULL
    if input._dtype == T7_FLOAT:
        sum[0] = pair_loss_sum(<float *>NULL, input, target, weights, fn, param)
    else:
        sum[0] = pair_loss_sum(<double *>NULL, input, target, weights, fn, param)
    return 0


cdef public int t7_nn_pair_loss_backward(T7Tensor *grad_input, const T7Tensor *input,
                                         const T7Tensor *target, const T7Tensor *weights,
                                         int fn, double param, double scale) noexcept nogil:
    if check_pair(input, target, weights, fn) != 0 or same_type(input, grad_input) != 0:
        return -1
    if fn == T7_LOSS_L1:
        target = NULL
    if grad_input != input and t7_tensor_resize_as(grad_input, input) != 0:
        return -1
    if input._dtype == T7_FLOAT:
        pair_loss_grad(<float *>NULL, grad_input, input, target, weights, fn, param, scale)
    else:
        pair_loss_grad(<double *>NULL, grad_input, input, target, weights, fn, param, scale)
    return 0


# -- margin losses over classes ---------------------------------------------------------------

cdef struct Frames2:
    int64_t count
    int64_t dim


cdef int class_frames(const T7Tensor *input, Frames2 *f) noexcept nogil:
    f.count = f.dim = 0
    if floating_only(input) != 0:
        return -1
    if input._ndim == 1:
        f.count = 1
        f.dim = input._size[0]
    elif input._ndim == 2:
        f.count = input._size[0]
        f.dim = input._size[1]
    else:
        return fail_shape("vector or matrix expected, but got input of size ", input)
    return 0


cdef int long_targets(const T7Tensor *target, int64_t expected) noexcept nogil:
    if target._dtype != T7_LONG:
        return t7_fail("targets must be a LongTensor, got a %sTensor", TYPE_NAMES[target._dtype])
    if nelement(target) != expected:
        return t7_fail("inconsistent target size: %lld targets expected, got %lld",
                       <ll>expected, <ll>nelement(target))
    return 0


cdef void multi_margin(floating *tag, const floating *x, const int64_t *t, const floating *w,
                       const Frames2 *f, int p, double margin, int64_t base, floating *grad,
                       double g, double *loss) noexcept nogil:
    """loss: the sum of the hinge terms; grad (when not NULL): their gradient times g."""
    cdef int64_t n, d, k
    cdef double total = 0, z, h, target_grad
    for n in range(f.count):
        k = t[n] - base
        target_grad = 0
        for d in range(f.dim):
            if d == k:
                continue
            z = margin - x[n * f.dim + k] + x[n * f.dim + d]
            if z > 0:
                h = z if p == 1 else z * z
                total += h * (w[k] if w != NULL else 1)
                if grad != NULL:
                    h = g if p == 1 else 2 * g * z
                    h *= w[k] if w != NULL else 1
                    target_grad -= h
                    grad[n * f.dim + d] = <floating>h
            elif grad != NULL:
                grad[n * f.dim + d] = 0
        if grad != NULL:
            grad[n * f.dim + k] = <floating>target_grad
    loss[0] = total


cdef int margin_call(T7Tensor *grad_input, const T7Tensor *input, const T7Tensor *target,
                     const T7Tensor *weights, int p, double margin, int size_average,
                     int64_t index_base, double *loss) noexcept nogil:
    cdef Frames2 f
    cdef int64_t n, k
    cdef T7Tensor *copies[3]
    if class_frames(input, &f) != 0 or long_targets(target, f.count) != 0:
        return -1
    if p != 1 and p != 2:
        return t7_fail("only p=1 and p=2 supported")
    if weights != NULL and (same_type(input, weights) != 0 or nelement(weights) != f.dim):
        return t7_fail("the weights must hold one value per class (%lld)", <ll>f.dim)
    for n in range(f.count):
        k = <int64_t>element_as_double(target, n) if target._ndim == 1 else -1
        if target._ndim != 1 or k < index_base or k >= f.dim + index_base:
            return t7_fail("target out of range: %lld (classes %lld to %lld)", <ll>k,
                           <ll>index_base, <ll>(f.dim + index_base - 1))
    if grad_input != NULL and resize_like(grad_input, input) != 0:
        return -1
    copies[0] = copies[1] = copies[2] = NULL
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef const T7Tensor *t = contiguous_or_copy(target, &copies[1])
    cdef const T7Tensor *w = NULL
    if weights != NULL:
        w = contiguous_or_copy(weights, &copies[2])
    cdef int status = 0
    cdef double g = 1.0 / (f.count * f.dim) if size_average else 1.0 / f.dim
    cdef double total = 0
    if x == NULL or t == NULL or (weights != NULL and w == NULL):
        status = -1
    elif input._dtype == T7_FLOAT:
        multi_margin(<float *>NULL, <const float *>tensor_data(x),
                     <const int64_t *>tensor_data(t),
                     <const float *>tensor_data(w) if w != NULL else NULL, &f, p, margin,
                     index_base, <float *>tensor_data(grad_input) if grad_input != NULL else NULL,
                     g, &total)
    else:
        multi_margin(<double *>NULL, <const double *>tensor_data(x),
                     <const int64_t *>tensor_data(t),
                     <const double *>tensor_data(w) if w != NULL else NULL, &f, p, margin,
                     index_base,
                     <double *>tensor_data(grad_input) if grad_input != NULL else NULL,
                     g, &total)
    if loss != NULL:
        loss[0] = total / f.dim / (f.count if size_average else 1)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    t7_tensor_release(copies[2])
    return status


cdef public int t7_nn_multi_margin(const T7Tensor *input, const T7Tensor *target,
                                   const T7Tensor *weights, int p, double margin,
                                   int size_average, int64_t index_base,
                                   double *loss) noexcept nogil:
    return margin_call(NULL, input, target, weights, p, margin, size_average, index_base, loss)


cdef public int t7_nn_multi_margin_backward(T7Tensor *grad_input, const T7Tensor *input,
                                            const T7Tensor *target, const T7Tensor *weights,
                                            int p, double margin, int size_average,
                                            int64_t index_base) noexcept nogil:
    if same_type(input, grad_input) != 0:
        return -1
    return margin_call(grad_input, input, target, weights, p, margin, size_average,
                       index_base, NULL)


cdef void multi_label_margin(floating *tag, const floating *x, const int64_t *t,
                             floating *is_target, const Frames2 *f, int64_t base,
                             floating *grad, double g, double *loss) noexcept nogil:
    """Targets of a sample: its first indices up to one below base (the end mark)."""
    cdef int64_t n, d, j, k
    cdef double total = 0, z
    cdef floating *mark
    cdef const floating *row
    cdef floating *grow = NULL
    for n in range(f.count):
        mark = is_target + n * f.dim
        row = x + n * f.dim
        for d in range(f.dim):
            mark[d] = 0
        for j in range(f.dim):
            k = t[n * f.dim + j] - base
            if k < 0:
                break
            mark[k] = 1
        if grad != NULL:
            grow = grad + n * f.dim
            for d in range(f.dim):
                grow[d] = 0
        for j in range(f.dim):
            k = t[n * f.dim + j] - base
            if k < 0:
                break
            for d in range(f.dim):
                if mark[d] == 0:
                    z = 1 - row[k] + row[d]
                    if z > 0:
                        total += z
                        if grad != NULL:
                            grow[k] -= <floating>g
                            grow[d] += <floating>g
    loss[0] = total


cdef int label_margin_call(T7Tensor *grad_input, const T7Tensor *input, const T7Tensor *target,
                           T7Tensor *is_target, int size_average, int64_t index_base,
                           double *loss) noexcept nogil:
    cdef Frames2 f
    cdef int64_t i, k
    cdef T7Tensor *copies[2]
    if class_frames(input, &f) != 0 or same_type(input, is_target) != 0:
        return -1
    if target._dtype != T7_LONG or target._ndim != input._ndim \
            or nelement(target) != f.count * f.dim:
        return fail_shape("inconsistent target size: a LongTensor shaped like the input "
                          "expected, but got ", target)
    copies[0] = copies[1] = NULL
    cdef const T7Tensor *t = contiguous_or_copy(target, &copies[1])
    if t == NULL:
        return -1
    for i in range(f.count * f.dim):
        k = (<const int64_t *>tensor_data(t))[i]
        if k < index_base - 1 or k >= f.dim + index_base:
            t7_tensor_release(copies[1])
            return t7_fail("target out of range: %lld (classes %lld to %lld, %lld ends a list)",
                           <ll>k, <ll>index_base, <ll>(f.dim + index_base - 1),
                           <ll>(index_base - 1))
    if resize_like(is_target, input) != 0 \
            or (grad_input != NULL and resize_like(grad_input, input) != 0):
        t7_tensor_release(copies[1])
        return -1
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef int status = 0
    cdef double g = 1.0 / (f.count * f.dim) if size_average else 1.0 / f.dim
    cdef double total = 0
    if x == NULL:
        status = -1
    elif input._dtype == T7_FLOAT:
        multi_label_margin(<float *>NULL, <const float *>tensor_data(x),
                           <const int64_t *>tensor_data(t), <float *>tensor_data(is_target), &f,
                           index_base,
                           <float *>tensor_data(grad_input) if grad_input != NULL else NULL,
                           g, &total)
    else:
        multi_label_margin(<double *>NULL, <const double *>tensor_data(x),
                           <const int64_t *>tensor_data(t), <double *>tensor_data(is_target),
                           &f, index_base,
                           <double *>tensor_data(grad_input) if grad_input != NULL else NULL,
                           g, &total)
    if loss != NULL:
        loss[0] = total / f.dim / (f.count if size_average else 1)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status


cdef public int t7_nn_multi_label_margin(const T7Tensor *input, const T7Tensor *target,
                                         T7Tensor *is_target, int size_average,
                                         int64_t index_base, double *loss) noexcept nogil:
    return label_margin_call(NULL, input, target, is_target, size_average, index_base, loss)


cdef public int t7_nn_multi_label_margin_backward(T7Tensor *grad_input, const T7Tensor *input,
                                                  const T7Tensor *target, T7Tensor *is_target,
                                                  int size_average,
                                                  int64_t index_base) noexcept nogil:
    if same_type(input, grad_input) != 0:
        return -1
    return label_margin_call(grad_input, input, target, is_target, size_average, index_base,
                             NULL)


# -- spatial class negative log-likelihood ------------------------------------------------------

cdef int spatial_nll_check(const T7Tensor *input, const T7Tensor *target,
                           const T7Tensor *weights, int64_t index_base) noexcept nogil:
    cdef char a[256]
    cdef char b[256]
    cdef int64_t i, k, n
    if floating_only(input) != 0:
        return -1
    if target._ndim != 3 or target._dtype != T7_LONG:
        return fail_shape("only batches of spatial targets supported (3D LongTensors) but got "
                          "targets of size ", target)
    if input._ndim != 4:
        return fail_shape("only batches of spatial inputs supported (4D tensors), but got "
                          "input of size ", input)
    if weights != NULL and (same_type(input, weights) != 0
                            or nelement(weights) != input._size[1]):
        return t7_fail("weight tensor should be defined either for all or no classes")
    if input._size[0] != target._size[0] or input._size[2] != target._size[1] \
            or input._size[3] != target._size[2]:
        size_text(input, a, sizeof(a))
        size_text(target, b, sizeof(b))
        return t7_fail("size mismatch (got input: %s, target: %s)", a, b)
    n = nelement(target)
    for i in range(n):
        k = <int64_t>tensor_element(target, i) - index_base
        if k < 0 or k >= input._size[1]:
            return t7_fail("target %lld out of range: classes are %lld to %lld",
                           <ll>(k + index_base), <ll>index_base,
                           <ll>(input._size[1] - 1 + index_base))
    return 0


cdef double tensor_element(const T7Tensor *t, int64_t i) noexcept nogil:
    """Element i, in logical order, of a LongTensor of any shape."""
    cdef int64_t offset = 0, rest = i
    cdef int d
    for d in range(t._ndim - 1, -1, -1):
        offset += (rest % t._size[d]) * t._stride[d]
        rest = rest // t._size[d]
    return <double>(<const int64_t *>t._storage._data)[t._offset + offset]


cdef void spatial_nll(floating *tag, const floating *x, const T7Tensor *target,
                      const floating *w, int64_t batch, int64_t classes, int64_t plane,
                      int64_t base, floating *grad, double scale, double *loss,
                      double *total_weight) noexcept nogil:
    cdef int64_t n, e, k
    cdef double acc = 0, wsum = 0, wk
    for n in range(batch):
        for e in range(plane):
            k = <int64_t>tensor_element(target, n * plane + e) - base
            wk = w[k] if w != NULL else 1
            if grad != NULL:
                grad[(n * classes + k) * plane + e] = <floating>(-wk * scale)
            else:
                wsum += wk
                acc -= x[(n * classes + k) * plane + e] * wk
    if grad == NULL:
        loss[0] = acc
        total_weight[0] = wsum


cdef int spatial_nll_call(T7Tensor *grad_input, const T7Tensor *input, const T7Tensor *target,
                          const T7Tensor *weights, double scale, int64_t index_base,
                          double *loss, double *total_weight) noexcept nogil:
    cdef T7Tensor *copies[2]
    if spatial_nll_check(input, target, weights, index_base) != 0:
        return -1
    if grad_input != NULL and (resize_like(grad_input, input) != 0
                               or t7_tensor_fill(grad_input, 0) != 0):
        return -1
    copies[0] = copies[1] = NULL
    cdef const T7Tensor *x = contiguous_or_copy(input, &copies[0])
    cdef const T7Tensor *w = NULL
    if weights != NULL:
        w = contiguous_or_copy(weights, &copies[1])
    cdef int64_t plane = input._size[2] * input._size[3]
    cdef int status = 0
    if x == NULL or (weights != NULL and w == NULL):
        status = -1
    elif input._dtype == T7_FLOAT:
        spatial_nll(<float *>NULL, <const float *>tensor_data(x), target,
                    <const float *>tensor_data(w) if w != NULL else NULL, input._size[0],
                    input._size[1], plane, index_base,
                    <float *>tensor_data(grad_input) if grad_input != NULL else NULL, scale,
                    loss, total_weight)
    else:
        spatial_nll(<double *>NULL, <const double *>tensor_data(x), target,
                    <const double *>tensor_data(w) if w != NULL else NULL, input._size[0],
                    input._size[1], plane, index_base,
                    <double *>tensor_data(grad_input) if grad_input != NULL else NULL, scale,
                    loss, total_weight)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status


cdef public int t7_nn_spatial_class_nll(const T7Tensor *input, const T7Tensor *target,
                                        const T7Tensor *weights, int64_t index_base,
                                        double *loss, double *total_weight) noexcept nogil:
    return spatial_nll_call(NULL, input, target, weights, 0, index_base, loss, total_weight)


cdef public int t7_nn_spatial_class_nll_backward(T7Tensor *grad_input, const T7Tensor *input,
                                                 const T7Tensor *target,
                                                 const T7Tensor *weights, double scale,
                                                 int64_t index_base) noexcept nogil:
    if same_type(input, grad_input) != 0:
        return -1
    return spatial_nll_call(grad_input, input, target, weights, scale, index_base, NULL, NULL)
