# Kernels of the nn package (the original's THNN): transfer functions' gradients, softmax,
# and the criterions' sums. Pointwise ones reuse the loops of pointwise.pxi.

cdef public int t7_nn_tanh_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                                    const T7Tensor *output) noexcept nogil:
    return run_pointwise(BINARY, grad_input, grad_output, output, NULL, OP_TANH_BACKWARD, 0, 0)


cdef public int t7_nn_sigmoid_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                                       const T7Tensor *output) noexcept nogil:
    return run_pointwise(BINARY, grad_input, grad_output, output, NULL, OP_SIGMOID_BACKWARD, 0, 0)


cdef public int t7_nn_threshold(T7Tensor *output, const T7Tensor *input, double threshold,
                                double value) noexcept nogil:
    return run_pointwise(SCALAR, output, input, NULL, NULL, OP_THRESHOLD, threshold, value)


cdef public int t7_nn_threshold_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                                         const T7Tensor *input, double threshold) noexcept nogil:
    return run_pointwise(BINARY, grad_input, grad_output, input, NULL, OP_THRESHOLD_BACKWARD,
                         threshold, 0)


cdef public int t7_nn_mse_backward(T7Tensor *grad_input, const T7Tensor *input,
                                   const T7Tensor *target, double scale) noexcept nogil:
    return run_pointwise(BINARY, grad_input, input, target, NULL, OP_SCALED_DIFF, scale, 0)


cdef double squared_distance(floating *tag, const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    cdef Walker wa, wb
    walker_init(&wa, a, 0)
    walker_init(&wb, b, 0)
    cdef int64_t n, i, sa, sb, left = nelement(a)
    cdef double acc = 0, d
    cdef floating *pa
    cdef floating *pb
    while left > 0:
        n = min2(left, min2(walker_run(&wa), walker_run(&wb)))
        pa = <floating *>wa.ptr
        pb = <floating *>wb.ptr
        sa = walker_step(&wa, sizeof(floating))
        sb = walker_step(&wb, sizeof(floating))
        for i in range(n):
            d = pa[i * sa] - pb[i * sb]
            acc += d * d
        walker_advance(&wa, n)
        walker_advance(&wb, n)
        left -= n
    return acc


cdef public int t7_nn_mse(const T7Tensor *input, const T7Tensor *target,
                          double *sum_of_squares) noexcept nogil:
    if floating_only(input) != 0 or same_type(input, target) != 0:
        return -1
    if same_count(input, target, "input and target") != 0:
        return -1
    if input._dtype == T7_FLOAT:
        sum_of_squares[0] = squared_distance(<float *>NULL, input, target)
    else:
        sum_of_squares[0] = squared_distance(<double *>NULL, input, target)
    return 0


cdef struct Frames:
    # Softmax runs over `dim` values spaced `stride` apart, for frames x stride groups.
    int64_t frames
    int64_t dim
    int64_t stride


cdef int softmax_frames(const T7Tensor *t, Frames *f) noexcept nogil:
    f.frames = 1
    f.stride = 1
    if t._ndim == 1:
        f.dim = t._size[0]
    elif t._ndim == 2:
        f.frames = t._size[0]
        f.dim = t._size[1]
    elif t._ndim == 3:
        f.dim = t._size[0]
        f.stride = t._size[1] * t._size[2]
    elif t._ndim == 4:
        f.frames = t._size[0]
        f.dim = t._size[1]
        f.stride = t._size[2] * t._size[3]
    else:
        return t7_fail("1D, 2D, 3D or 4D tensor expected, got %dD", t._ndim)
    return 0


cdef struct SoftmaxJob:
    # one call's arrays (contiguous), shared by the threads; a work item is one group of
    # `dim` values spaced `stride` apart
    void *result            # output (forward) or gradInput (backward)
    const void *x           # input (forward) or output (backward)
    const void *grad_output
    const Frames *f
    bint take_log


cdef void softmax_groups(floating *tag, SoftmaxJob *j, int64_t first, int64_t last) noexcept nogil:
    cdef const Frames *f = j.f
    cdef floating *out = <floating *>j.result
    cdef const floating *x = <const floating *>j.x
    cdef int64_t g, k, base
    cdef double best, total
    for g in range(first, last):
        base = (g // f.stride) * f.dim * f.stride + g % f.stride
        best = x[base]
        for k in range(1, f.dim):
            if x[base + k * f.stride] > best:
                best = x[base + k * f.stride]
        total = 0
        if j.take_log:
            for k in range(f.dim):
                total = total + exp(x[base + k * f.stride] - best)
            total = best + log(total)
            for k in range(f.dim):
                out[base + k * f.stride] = <floating>(x[base + k * f.stride] - total)
        else:
            for k in range(f.dim):
                out[base + k * f.stride] = <floating>exp(x[base + k * f.stride] - best)
                total = total + out[base + k * f.stride]
            for k in range(f.dim):
                out[base + k * f.stride] = <floating>(out[base + k * f.stride] / total)


cdef void softmax_backward_groups(floating *tag, SoftmaxJob *j, int64_t first,
                                  int64_t last) noexcept nogil:
    cdef const Frames *f = j.f
    cdef floating *gi = <floating *>j.result
    cdef const floating *out = <const floating *>j.x
    cdef const floating *go = <const floating *>j.grad_output
    cdef int64_t g, k, base, at
    cdef double total
    for g in range(first, last):
        base = (g // f.stride) * f.dim * f.stride + g % f.stride
        total = 0
        for k in range(f.dim):
            at = base + k * f.stride
            total = total + (go[at] if j.take_log else go[at] * out[at])
        for k in range(f.dim):
            at = base + k * f.stride
            if j.take_log:
                gi[at] = <floating>(go[at] - exp(out[at]) * total)
            else:
                gi[at] = <floating>(out[at] * (go[at] - total))


cdef void run_softmax(SoftmaxJob *j, int dtype, bint backward) noexcept nogil:
    cdef int64_t groups = j.f.frames * j.f.stride
    cdef int64_t blocks = parallel_blocks(groups * j.f.dim)
    if backward:
        parallel_ranges(by_precision(dtype, <range_fn>softmax_backward_groups[float],
                                     <range_fn>softmax_backward_groups[double]), j, groups, blocks)
    else:
        parallel_ranges(by_precision(dtype, <range_fn>softmax_groups[float],
                                     <range_fn>softmax_groups[double]), j, groups, blocks)


cdef public int t7_nn_softmax(T7Tensor *output, const T7Tensor *input, int take_log) noexcept nogil:
    cdef Frames f
    if floating_only(input) != 0 or same_type(output, input) != 0 or softmax_frames(input, &f) != 0:
        return -1
    cdef T7Tensor *copy
    cdef const T7Tensor *x = contiguous_or_copy(input, &copy)
    if x == NULL:
        return -1
    if output == input or t7_tensor_resize(output, input._ndim, input._size, NULL) != 0 \
            or not contiguous(output):
        t7_tensor_release(copy)
        return t7_fail("the output must be a contiguous tensor distinct from the input")
    cdef SoftmaxJob j
    j.result = tensor_data(output)
    j.x = tensor_data(x)
    j.f = &f
    j.take_log = take_log
    run_softmax(&j, input._dtype, False)
    t7_tensor_release(copy)
    return 0


cdef public int t7_nn_softmax_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                                       const T7Tensor *output, int take_log) noexcept nogil:
    cdef Frames f
    if floating_only(output) != 0 or same_type(grad_input, output) != 0 \
            or same_type(grad_output, output) != 0 or softmax_frames(output, &f) != 0:
        return -1
    if same_count(grad_output, output, "gradOutput and output") != 0:
        return -1
    cdef T7Tensor *copy_go
    cdef T7Tensor *copy_out
    cdef const T7Tensor *go = contiguous_or_copy(grad_output, &copy_go)
    cdef const T7Tensor *out = contiguous_or_copy(output, &copy_out)
    cdef int status = 0
    cdef SoftmaxJob j
    if go == NULL or out == NULL:
        status = -1
    elif grad_input == grad_output or grad_input == output \
            or t7_tensor_resize(grad_input, output._ndim, output._size, NULL) != 0 \
            or not contiguous(grad_input):
        status = t7_fail("gradInput must be a contiguous tensor distinct from its operands")
    else:
        j.result = tensor_data(grad_input)
        j.x = tensor_data(out)
        j.grad_output = tensor_data(go)
        j.f = &f
        j.take_log = take_log
        run_softmax(&j, output._dtype, True)
    t7_tensor_release(copy_go)
    t7_tensor_release(copy_out)
    return status


cdef struct NLLShape:
    int64_t batch
    int64_t classes


cdef int nll_check(const T7Tensor *input, const T7Tensor *target, const T7Tensor *weights,
                   int64_t ignore_index, int64_t index_base, NLLShape *shape) noexcept nogil:
    if floating_only(input) != 0:
        return -1
    if input._ndim == 1:
        shape.batch = 1
        shape.classes = input._size[0]
    elif input._ndim == 2:
        shape.batch = input._size[0]
        shape.classes = input._size[1]
    else:
        return t7_fail("1D or 2D tensor expected for the input, got %dD", input._ndim)
    if target._ndim != 1 or target._size[0] != shape.batch or supported(target) != 0:
        return t7_fail("the target must hold one class index per sample: %lld expected, got %lld",
                       <ll>shape.batch, <ll>nelement(target))
    if weights != NULL and (same_type(weights, input) != 0 or nelement(weights) != shape.classes):
        return t7_fail("the weights must be a %sTensor of %lld elements (one per class)",
                       TYPE_NAMES[input._dtype], <ll>shape.classes)
    cdef int64_t i
    cdef double t
    for i in range(shape.batch):
        t = element_as_double(target, i)
        if t != ignore_index and not (index_base <= t < index_base + shape.classes):
            return t7_fail("target %g out of bounds: classes are %lld to %lld", t,
                           <ll>index_base, <ll>(index_base + shape.classes - 1))
    return 0


cdef double weight_of(const T7Tensor *weights, int64_t k) noexcept nogil:
    return element_as_double(weights, k) if weights != NULL else 1.0


cdef public int t7_nn_class_nll(const T7Tensor *input, const T7Tensor *target,
                                const T7Tensor *weights, int64_t ignore_index,
                                int64_t index_base, double *loss,
                                double *total_weight) noexcept nogil:
    cdef NLLShape shape
    if nll_check(input, target, weights, ignore_index, index_base, &shape) != 0:
        return -1
    cdef int64_t i, k
    cdef double w, t, x, total = 0, sum_w = 0
    cdef int64_t row_stride = input._stride[0] if input._ndim == 2 else 0
    cdef int64_t col_stride = input._stride[input._ndim - 1]
    cdef char *base = tensor_data(input)
    for i in range(shape.batch):
        t = element_as_double(target, i)
        if t == ignore_index:
            continue
        k = <int64_t>t - index_base
        w = weight_of(weights, k)
        if input._dtype == T7_FLOAT:
            x = (<float *>base)[i * row_stride + k * col_stride]
        else:
            x = (<double *>base)[i * row_stride + k * col_stride]
        total -= w * x
        sum_w += w
    loss[0] = total
    total_weight[0] = sum_w
    return 0


cdef public int t7_nn_class_nll_backward(T7Tensor *grad_input, const T7Tensor *input,
                                         const T7Tensor *target, const T7Tensor *weights,
                                         double scale, int64_t ignore_index,
                                         int64_t index_base) noexcept nogil:
    cdef NLLShape shape
    if nll_check(input, target, weights, ignore_index, index_base, &shape) != 0:
        return -1
    if same_type(grad_input, input) != 0 or t7_tensor_resize_as(grad_input, input) != 0 \
            or t7_tensor_fill(grad_input, 0) != 0:
        return -1
    cdef int64_t i, k
    cdef double t, g
    cdef int64_t row_stride = grad_input._stride[0] if grad_input._ndim == 2 else 0
    cdef int64_t col_stride = grad_input._stride[grad_input._ndim - 1]
    cdef char *base = tensor_data(grad_input)
    for i in range(shape.batch):
        t = element_as_double(target, i)
        if t == ignore_index:
            continue
        k = <int64_t>t - index_base
        g = -weight_of(weights, k) * scale
        if grad_input._dtype == T7_FLOAT:
            (<float *>base)[i * row_stride + k * col_stride] = <float>g
        else:
            (<double *>base)[i * row_stride + k * col_stride] = g
    return 0
