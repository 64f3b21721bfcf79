# Python entry points to the nn kernels the Lua nn modules call (torch7_compat.nn.functional
# builds on them): tensors in, new tensors out, indices counted from 0. Each wrapper only
# allocates results and releases the GIL around its kernel; shapes are checked by the kernels.

cdef Tensor _fresh(int dtype):
    cdef T7Tensor *p = t7_tensor_new(dtype)
    if p == NULL:
        check(-1)
    cdef Tensor t = Tensor.__new__(Tensor)
    t.ptr = p
    return t


cdef T7Tensor *_opt(Tensor t) noexcept:
    return t.ptr if t is not None else NULL


cdef int _transposed(T7Tensor **result, const T7Tensor *m) except -1:
    result[0] = t7_tensor_new(m._dtype)
    if result[0] == NULL:
        check(-1)
    if t7_tensor_transpose(result[0], m, 0, 1) != 0:
        t7_tensor_release(result[0])
        check(-1)
    return 0


def nn_linear(Tensor input not None, Tensor weight not None, Tensor bias=None):
    """input (batch x in) @ weight.T (weight: out x in) + bias, as nn.Linear computes it."""
    if input.ptr._ndim != 2 or weight.ptr._ndim != 2:
        raise ValueError("linear: 2-D input and weight expected, got %dD and %dD"
                         % (input.ptr._ndim, weight.ptr._ndim))
    if input.ptr._size[1] != weight.ptr._size[1]:
        raise ValueError("linear: size mismatch, input %s, weight %s"
                         % (input.shape, weight.shape))
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef int64_t size[2]
    size[0] = input.ptr._size[0]
    size[1] = weight.ptr._size[0]
    cdef T7Tensor *wt
    cdef int64_t stride[2]
    cdef T7Tensor *rows
    cdef double beta = 0
    cdef int status = 0
    if bias is not None and (bias.ptr._ndim != 1 or bias.ptr._size[0] != size[1]):
        raise ValueError("linear: the bias must hold %d elements, got shape %s"
                         % (size[1], bias.shape))
    cdef T7Tensor *b = _opt(bias)
    check(t7_tensor_resize(out.ptr, 2, size, NULL))
    _transposed(&wt, weight.ptr)
    with nogil:
        if b != NULL:
            # the bias repeated on every row (a stride-0 view), then the product added
            stride[0] = 0
            stride[1] = b._stride[0]
            rows = t7_tensor_new_view(b._storage, b._offset, 2, size, stride)
            status = rows == NULL or t7_tensor_copy(out.ptr, rows) != 0
            t7_tensor_release(rows)
            beta = 1
        if status == 0:
            status = t7_addmm(out.ptr, beta, out.ptr, 1, input.ptr, wt)
        t7_tensor_release(wt)
    check(-1 if status else 0)
    return out


def nn_linear_backward(Tensor grad_output not None, Tensor input not None,
                       Tensor weight not None, bint need_input, bint need_weight,
                       bint need_bias):
    """(grad_input, grad_weight, grad_bias) of nn_linear; None where not needed."""
    cdef int dtype = input.ptr._dtype
    cdef Tensor gi = None, gw = None, gb = None
    cdef T7Tensor *got
    cdef int64_t size[2]
    cdef int status = 0
    if need_input:
        gi = _fresh(dtype)
        size[0] = grad_output.ptr._size[0]
        size[1] = weight.ptr._size[1]
        check(t7_tensor_resize(gi.ptr, 2, size, NULL))
        with nogil:
            status = t7_addmm(gi.ptr, 0, gi.ptr, 1, grad_output.ptr, weight.ptr)
        check(status)
    if need_weight:
        gw = _fresh(dtype)
        check(t7_tensor_resize_as(gw.ptr, weight.ptr))
        _transposed(&got, grad_output.ptr)
        with nogil:
            status = t7_addmm(gw.ptr, 0, gw.ptr, 1, got, input.ptr)
            t7_tensor_release(got)
        check(status)
    if need_bias:
        gb = _fresh(dtype)
        with nogil:
            status = t7_sum_dim(gb.ptr, grad_output.ptr, 0)
        check(status)
        size[0] = weight.ptr._size[0]
        check(t7_tensor_resize(gb.ptr, 1, size, NULL))
    return gi, gw, gb


def nn_unary(Tensor input not None, int fn):
    """t7_unary's f(input) (T7_FN_* codes: 2 exp, 3 log, 4 tanh, 5 sigmoid ...)."""
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_unary(out.ptr, input.ptr, fn)
    check(status)
    return out


def nn_tanh_backward(Tensor grad_output not None, Tensor output not None):
    cdef Tensor gi = _fresh(output.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_tanh_backward(gi.ptr, grad_output.ptr, output.ptr)
    check(status)
    return gi


def nn_sigmoid_backward(Tensor grad_output not None, Tensor output not None):
    cdef Tensor gi = _fresh(output.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_sigmoid_backward(gi.ptr, grad_output.ptr, output.ptr)
    check(status)
    return gi


def nn_threshold(Tensor input not None, double threshold, double value):
    """input where input > threshold, else value (nn.Threshold; ReLU is (0, 0))."""
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_threshold(out.ptr, input.ptr, threshold, value)
    check(status)
    return out


def nn_threshold_backward(Tensor grad_output not None, Tensor input not None,
                          double threshold):
    cdef Tensor gi = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_threshold_backward(gi.ptr, grad_output.ptr, input.ptr, threshold)
    check(status)
    return gi


def nn_softmax(Tensor input not None, bint take_log):
    """(log-)softmax over dimension 1 of a 4-D tensor (frames x dim x positions x 1 ...),
    dimension 0 of a 1-D or 3-D one, 1 of a 2-D one (nn.SoftMax's layouts)."""
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_softmax(out.ptr, input.ptr, take_log)
    check(status)
    return out


def nn_softmax_backward(Tensor grad_output not None, Tensor output not None, bint take_log):
    cdef Tensor gi = _fresh(output.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_softmax_backward(gi.ptr, grad_output.ptr, output.ptr, take_log)
    check(status)
    return gi


def nn_class_nll(Tensor input not None, Tensor target not None, Tensor weight=None,
                 int64_t ignore_index=-100):
    """(summed loss, total weight) of the negative log-likelihood of 0-based targets."""
    cdef double loss = 0, total = 0
    cdef int status
    cdef T7Tensor *w = _opt(weight)
    with nogil:
        status = t7_nn_class_nll(input.ptr, target.ptr, w, ignore_index, 0,
                                 &loss, &total)
    check(status)
    return loss, total


def nn_class_nll_backward(Tensor input not None, Tensor target not None, Tensor weight,
                          double scale, int64_t ignore_index=-100):
    cdef Tensor gi = _fresh(input.ptr._dtype)
    cdef int status
    cdef T7Tensor *w = _opt(weight)
    with nogil:
        status = t7_nn_class_nll_backward(gi.ptr, input.ptr, target.ptr, w, scale,
                                          ignore_index, 0)
    check(status)
    return gi


def nn_mse(Tensor input not None, Tensor target not None):
    """The sum of squared differences."""
    cdef double total = 0
    cdef int status
    with nogil:
        status = t7_nn_mse(input.ptr, target.ptr, &total)
    check(status)
    return total


def nn_mse_backward(Tensor input not None, Tensor target not None, double scale):
    """scale * (input - target): pass twice the scale of the sum of squares."""
    cdef Tensor gi = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_mse_backward(gi.ptr, input.ptr, target.ptr, scale)
    check(status)
    return gi


cdef void _conv_shape(T7ConvShape *s, Tensor weight, stride, padding, dilation, int groups):
    s.dims = 2
    s.transposed = 0
    s.groups = groups
    s.output_planes = weight.ptr._size[0]
    s.input_planes = weight.ptr._size[1] * groups
    s.kernel[0] = 1
    s.stride[0] = 1
    s.pad[0] = 0
    s.dilation[0] = 1
    s.adj[0] = s.adj[1] = s.adj[2] = 0
    s.kernel[1] = weight.ptr._size[2]
    s.kernel[2] = weight.ptr._size[3]
    s.stride[1], s.stride[2] = stride
    s.pad[1], s.pad[2] = padding
    s.dilation[1], s.dilation[2] = dilation


def nn_conv2d(Tensor input not None, Tensor weight not None, Tensor bias, stride, padding,
              dilation, int groups):
    """The 2-D convolution of nn.SpatialConvolution (weight: out x in/groups x kH x kW);
    stride, padding, dilation: (height, width) pairs."""
    if weight.ptr._ndim != 4:
        raise ValueError("conv2d: a 4-D weight expected, got %dD" % weight.ptr._ndim)
    cdef T7ConvShape shape
    _conv_shape(&shape, weight, stride, padding, dilation, groups)
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef int status
    cdef T7Tensor *b = _opt(bias)
    with nogil:
        status = t7_nn_conv_forward(out.ptr, input.ptr, weight.ptr, b, &shape)
    check(status)
    return out


def nn_conv2d_backward(Tensor grad_output not None, Tensor input not None,
                       Tensor weight not None, stride, padding, dilation, int groups,
                       bint need_input, bint need_weight, bint need_bias):
    """(grad_input, grad_weight, grad_bias) of nn_conv2d; None where not needed."""
    cdef T7ConvShape shape
    _conv_shape(&shape, weight, stride, padding, dilation, groups)
    cdef int dtype = input.ptr._dtype
    cdef Tensor gi = None, gw = None, gb = None
    cdef int status = 0
    cdef T7Tensor *b
    if need_input:
        gi = _fresh(dtype)
        with nogil:
            status = t7_nn_conv_backward_input(gi.ptr, input.ptr, grad_output.ptr, weight.ptr,
                                               &shape)
        check(status)
    if need_weight or need_bias:
        gw = _fresh(dtype)
        check(t7_tensor_resize_as(gw.ptr, weight.ptr))
        check(t7_tensor_fill(gw.ptr, 0))
        if need_bias:
            gb = _fresh(dtype)
            check(t7_tensor_resize(gb.ptr, 1, weight.ptr._size, NULL))
            check(t7_tensor_fill(gb.ptr, 0))
        b = _opt(gb)
        with nogil:
            status = t7_nn_conv_backward_params(gw.ptr, b, input.ptr, grad_output.ptr,
                                                1, &shape)
        check(status)
    return gi, (gw if need_weight else None), gb


cdef void _pool_shape(T7PoolShape *s, kernel, stride, padding, dilation, bint ceil_mode,
                      bint count_include_pad):
    s.dims = 2
    s.ceil_mode = ceil_mode
    s.count_include_pad = count_include_pad
    s.kernel[0] = s.stride[0] = s.dilation[0] = 1
    s.pad[0] = 0
    s.kernel[1], s.kernel[2] = kernel
    s.stride[1], s.stride[2] = stride
    s.pad[1], s.pad[2] = padding
    s.dilation[1], s.dilation[2] = dilation


def nn_max_pool2d(Tensor input not None, kernel, stride, padding, dilation, bint ceil_mode):
    """(output, indices): each maximum's flat position within its plane, from 0."""
    cdef T7PoolShape shape
    _pool_shape(&shape, kernel, stride, padding, dilation, ceil_mode, False)
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef Tensor indices = _fresh(T7_LONG)
    cdef int status
    with nogil:
        status = t7_nn_max_pool(out.ptr, indices.ptr, input.ptr, &shape, 0)
    check(status)
    return out, indices


def nn_max_pool2d_backward(Tensor grad_output not None, Tensor input not None,
                           Tensor indices not None):
    cdef Tensor gi = _fresh(input.ptr._dtype)
    cdef int status
    check(t7_tensor_resize_as(gi.ptr, input.ptr))
    check(t7_tensor_fill(gi.ptr, 0))
    with nogil:
        status = t7_nn_scatter_by_index(gi.ptr, grad_output.ptr, indices.ptr, 2, 0)
    check(status)
    return gi


def nn_avg_pool2d(Tensor input not None, kernel, stride, padding, bint ceil_mode,
                  bint count_include_pad):
    cdef T7PoolShape shape
    _pool_shape(&shape, kernel, stride, padding, (1, 1), ceil_mode, count_include_pad)
    cdef Tensor out = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_avg_pool(out.ptr, input.ptr, &shape)
    check(status)
    return out


def nn_avg_pool2d_backward(Tensor grad_output not None, Tensor input not None, kernel,
                           stride, padding, bint ceil_mode, bint count_include_pad):
    cdef T7PoolShape shape
    _pool_shape(&shape, kernel, stride, padding, (1, 1), ceil_mode, count_include_pad)
    cdef Tensor gi = _fresh(input.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_nn_avg_pool_backward(gi.ptr, input.ptr, grad_output.ptr, &shape)
    check(status)
    return gi


def nn_batch_norm(Tensor input not None, Tensor weight, Tensor bias, Tensor running_mean,
                  Tensor running_var, bint training, double momentum, double eps):
    """(output, save_mean, save_invstd) over a contiguous batch x planes x positions input;
    in training the batch statistics update running_mean/running_var in place."""
    cdef int dtype = input.ptr._dtype
    cdef Tensor out = _fresh(dtype)
    cdef Tensor save_mean = _fresh(dtype)
    cdef Tensor save_std = _fresh(dtype)
    cdef int64_t planes = input.ptr._size[1] if input.ptr._ndim >= 2 else 0
    check(t7_tensor_resize(save_mean.ptr, 1, &planes, NULL))
    check(t7_tensor_resize(save_std.ptr, 1, &planes, NULL))
    cdef int status
    cdef T7Tensor *w = _opt(weight)
    cdef T7Tensor *b = _opt(bias)
    cdef T7Tensor *rm = _opt(running_mean)
    cdef T7Tensor *rv = _opt(running_var)
    with nogil:
        status = t7_nn_batch_norm(out.ptr, input.ptr, w, b, rm, rv, save_mean.ptr,
                                  save_std.ptr, training, momentum, eps)
    check(status)
    return out, save_mean, save_std


def nn_batch_norm_backward(Tensor grad_output not None, Tensor input not None, Tensor weight,
                           Tensor running_mean, Tensor running_var, Tensor save_mean,
                           Tensor save_std, bint training, double eps, bint need_input,
                           bint need_weight, bint need_bias):
    """(grad_input, grad_weight, grad_bias) of nn_batch_norm; None where not needed."""
    cdef int dtype = input.ptr._dtype
    cdef Tensor gi = None, gw = None, gb = None
    cdef int64_t planes = input.ptr._size[1]
    if need_input:
        gi = _fresh(dtype)
        check(t7_tensor_resize_as(gi.ptr, grad_output.ptr))
    if need_weight:
        gw = _fresh(dtype)
        check(t7_tensor_resize(gw.ptr, 1, &planes, NULL))
        check(t7_tensor_fill(gw.ptr, 0))
    if need_bias:
        gb = _fresh(dtype)
        check(t7_tensor_resize(gb.ptr, 1, &planes, NULL))
        check(t7_tensor_fill(gb.ptr, 0))
    cdef int status
    cdef T7Tensor *pointers[8]
    for i, t in enumerate((gi, gw, gb, weight, running_mean, running_var, save_mean, save_std)):
        pointers[i] = _opt(t)
    with nogil:
        status = t7_nn_batch_norm_backward(input.ptr, grad_output.ptr, pointers[0], pointers[1],
                                           pointers[2], pointers[3], pointers[4], pointers[5],
                                           pointers[6], pointers[7], training, 1, eps)
    check(status)
    return gi, gw, gb


def nn_index_select(Tensor source not None, int dim, Tensor index not None):
    """source's slices along dim at the (0-based) positions of a LongTensor index."""
    cdef Tensor out = _fresh(source.ptr._dtype)
    cdef int status
    with nogil:
        status = t7_index_select(out.ptr, source.ptr, dim, index.ptr, 0)
    check(status)
    return out


def nn_embedding_backward(Tensor grad_output not None, Tensor indices not None,
                          int64_t num_weights, int64_t padding_idx):
    """The weight's gradient of a lookup: grad_output's rows summed into the rows named by
    indices (a contiguous 1-D LongTensor, from 0), but for padding_idx (-1: none)."""
    cdef int dtype = grad_output.ptr._dtype
    cdef Tensor gw = _fresh(dtype)
    cdef int64_t size[2]
    size[0] = num_weights
    size[1] = grad_output.ptr._size[grad_output.ptr._ndim - 1]
    check(t7_tensor_resize(gw.ptr, 2, size, NULL))
    check(t7_tensor_fill(gw.ptr, 0))
    cdef int status
    with nogil:
        status = t7_nn_lookup_acc_grad(gw.ptr, indices.ptr, grad_output.ptr, NULL,
                                       padding_idx, 0, 1)
    check(status)
    return gw


def nn_bernoulli_(Tensor t not None, double p):
    """Fills t with draws of 1 (probability p) or 0 from the generator t7.manual_seed seeds
    (Torch7's draws: the same as nn.Dropout's after torch.manualSeed with the same seed)."""
    cdef int status
    with nogil:
        status = t7_tensor_bernoulli(t.ptr, python_generator, p)
    check(status)
    return t


def tensor_as(type cls, Tensor t not None):
    """An object of Tensor subclass `cls` (t7.nn.Parameter) over the same C tensor as t:
    whatever changes one, size and storage included, the other sees."""
    if not issubclass(cls, Tensor):
        raise TypeError("tensor_as: %s is not a Tensor subclass" % cls.__name__)
    cdef Tensor result = Tensor.__new__(cls)
    t7_tensor_retain(t.ptr)
    result.ptr = t.ptr
    result._scalar = t._scalar
    return result
