# Transfer functions of the nn package that have no tensor-library counterpart (HardTanh,
# the shrinks, SoftPlus, LogSigmoid, ELU, LeakyReLU, Sqrt, Square, Abs, RReLU, PReLU) and
# their gradients. Operands are walked in runs as in pointwise.pxi, so any strides work;
# a result may be its own operand (the modules' in-place modes).

from libc.math cimport log1p, expm1

cdef extern from "t7_abi.h":
    enum:
        T7_TR_HARDTANH
        T7_TR_HARDSHRINK
        T7_TR_SOFTSHRINK
        T7_TR_SOFTPLUS
        T7_TR_LOGSIGMOID
        T7_TR_ELU
        T7_TR_LEAKYRELU
        T7_TR_SQRT
        T7_TR_SQUARE
        T7_TR_ABS
        T7_TR_RRELU_EVAL


cdef inline floating transfer_value(floating x, int fn, double a, double b) noexcept nogil:
    cdef double t
    if fn == T7_TR_HARDTANH:
        return <floating>a if x < a else (<floating>b if x > b else x)
    if fn == T7_TR_HARDSHRINK:
        return x if x > a or x < -a else 0
    if fn == T7_TR_SOFTSHRINK:
        return <floating>(x - a) if x > a else (<floating>(x + a) if x < -a else 0)
    if fn == T7_TR_SOFTPLUS:
        t = x * a
        return x if t > b else <floating>(log1p(exp(t)) / a)
    if fn == T7_TR_LOGSIGMOID:       # -log(1 + e^-x), without overflow either way
        return <floating>(-log1p(exp(-x))) if x >= 0 else <floating>(x - log1p(exp(x)))
    if fn == T7_TR_ELU:
        return x if x > 0 else <floating>(a * expm1(x))
    if fn == T7_TR_LEAKYRELU:
        return x if x > 0 else <floating>(x * a)
    if fn == T7_TR_SQRT:
        return <floating>sqrt(x + a)
    if fn == T7_TR_SQUARE:
        return x * x
    if fn == T7_TR_ABS:
        return x if x >= 0 else -x
    return <floating>(x * a) if x <= 0 else x          # T7_TR_RRELU_EVAL


cdef inline floating transfer_gradient(floating g, floating v, int fn, double a,
                                       double b) noexcept nogil:
    """The gradient at an element, from gradOutput g and v: the input, or the output for
    SoftPlus, ELU and Sqrt (see transfer_uses_output)."""
    cdef double z
    if fn == T7_TR_HARDTANH:
        return 0 if v <= a or v >= b else g
    if fn == T7_TR_HARDSHRINK or fn == T7_TR_SOFTSHRINK:
        return g if v > a or v < -a else 0
    if fn == T7_TR_SOFTPLUS:
        if v * a > b:
            return g
        z = exp(v * a)
        return <floating>(g * (z - 1) / z)
    if fn == T7_TR_LOGSIGMOID:
        return <floating>(g / (1 + exp(v)))
    if fn == T7_TR_ELU:
        return g if v > 0 else <floating>(g * (v + a))
    if fn == T7_TR_LEAKYRELU:
        return g if v > 0 else <floating>(g * a)
    if fn == T7_TR_SQRT:
        return 0 if v == 0 else <floating>(0.5 * g / v)
    if fn == T7_TR_SQUARE:
        return 2 * v * g
    if fn == T7_TR_ABS:
        return g if v >= 0 else -g
    return <floating>(g * a) if v <= 0 else g          # T7_TR_RRELU_EVAL


cdef public int t7_nn_transfer_uses_output(int fn) noexcept nogil:
    return fn == T7_TR_SOFTPLUS or fn == T7_TR_ELU or fn == T7_TR_SQRT


cdef inline void transfer_loop(int fn, floating *r, int64_t sr, const floating *x, int64_t sx,
                               int64_t n, double a, double b) noexcept nogil:
    cdef int64_t i
    # one loop per function, so that each is a simple loop the compiler can vectorise
    if fn == T7_TR_HARDTANH:
        for i in range(n):
            r[i * sr] = transfer_value(x[i * sx], T7_TR_HARDTANH, a, b)
    elif fn == T7_TR_LEAKYRELU:
        for i in range(n):
            r[i * sr] = transfer_value(x[i * sx], T7_TR_LEAKYRELU, a, b)
    elif fn == T7_TR_SQUARE:
        for i in range(n):
            r[i * sr] = transfer_value(x[i * sx], T7_TR_SQUARE, a, b)
    elif fn == T7_TR_ABS:
        for i in range(n):
            r[i * sr] = transfer_value(x[i * sx], T7_TR_ABS, a, b)
    else:
        for i in range(n):
            r[i * sr] = transfer_value(x[i * sx], fn, a, b)


cdef inline void gradient_loop(int fn, floating *r, int64_t sr, const floating *g, int64_t sg,
                               const floating *v, int64_t sv, int64_t n, double a,
                               double b) noexcept nogil:
    cdef int64_t i
    if fn == T7_TR_HARDTANH:
        for i in range(n):
            r[i * sr] = transfer_gradient(g[i * sg], v[i * sv], T7_TR_HARDTANH, a, b)
    elif fn == T7_TR_LEAKYRELU:
        for i in range(n):
            r[i * sr] = transfer_gradient(g[i * sg], v[i * sv], T7_TR_LEAKYRELU, a, b)
    else:
        for i in range(n):
            r[i * sr] = transfer_gradient(g[i * sg], v[i * sv], fn, a, b)


cdef struct TransferCall:
    const T7Tensor *r
    const T7Tensor *g         # gradOutput (backward only)
    const T7Tensor *v         # input or output
    int fn
    double a
    double b


cdef void transfer_range(floating *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef TransferCall *c = <TransferCall *>vctx
    cdef Walker wr, wg, wv
    cdef bint backward = c.g != NULL
    walker_init(&wr, c.r, start)
    walker_init(&wv, c.v, start)
    if backward:
        walker_init(&wg, c.g, start)
    cdef int64_t n, sr, sg = 1, sv, left = end - start
    while left > 0:
        n = min2(left, min2(walker_run(&wr), walker_run(&wv)))
        if backward:
            n = min2(n, walker_run(&wg))
            sg = walker_step(&wg, sizeof(floating))
        sr = walker_step(&wr, sizeof(floating))
        sv = walker_step(&wv, sizeof(floating))
        if backward:
            if sr == 1 and sg == 1 and sv == 1:   # literal unit strides: vectorised
                gradient_loop(c.fn, <floating *>wr.ptr, 1, <floating *>wg.ptr, 1,
                              <floating *>wv.ptr, 1, n, c.a, c.b)
            else:
                gradient_loop(c.fn, <floating *>wr.ptr, sr, <floating *>wg.ptr, sg,
                              <floating *>wv.ptr, sv, n, c.a, c.b)
            walker_advance(&wg, n)
        elif sr == 1 and sv == 1:
            transfer_loop(c.fn, <floating *>wr.ptr, 1, <floating *>wv.ptr, 1, n, c.a, c.b)
        else:
            transfer_loop(c.fn, <floating *>wr.ptr, sr, <floating *>wv.ptr, sv, n, c.a, c.b)
        walker_advance(&wr, n)
        walker_advance(&wv, n)
        left -= n


cdef int check_transfer_code(int fn) noexcept nogil:
    if fn < T7_TR_HARDTANH or fn > T7_TR_RRELU_EVAL:
        return t7_fail("unknown transfer function code %d", fn)
    return 0


cdef void run_transfer(TransferCall *c) noexcept nogil:
    cdef int64_t n = nelement(c.r)
    if c.r._dtype == T7_FLOAT:
        run_blocks(<range_fn>transfer_range[float], c, n, 4)
    else:
        run_blocks(<range_fn>transfer_range[double], c, n, 4)


cdef public int t7_nn_transfer(T7Tensor *output, const T7Tensor *input, int fn, double a,
                               double b) noexcept nogil:
    cdef TransferCall c
    if check_transfer_code(fn) != 0 or same_floating(input, output) != 0:
        return -1
    if output != input and t7_tensor_resize_as(output, input) != 0:
        return -1
    c.r = output
    c.g = NULL
    c.v = input
    c.fn = fn
    c.a = a
    c.b = b
    run_transfer(&c)
    return 0


cdef public int t7_nn_transfer_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                                        const T7Tensor *value, int fn, double a,
                                        double b) noexcept nogil:
    cdef TransferCall c
    if check_transfer_code(fn) != 0 or same_floating(value, grad_input) != 0 \
            or same_type(value, grad_output) != 0 \
            or same_count(grad_output, value, "gradOutput and the input") != 0:
        return -1
    if grad_input != grad_output and t7_tensor_resize_as(grad_input, value) != 0:
        return -1
    c.r = grad_input
    c.g = grad_output
    c.v = value
    c.fn = fn
    c.a = a
    c.b = b
    run_transfer(&c)
    return 0


# -- RReLU in training: a random slope per non-positive element -----------------------------

cdef void rrelu_draws(floating *tag, T7Tensor *output, T7Tensor *noise, const T7Tensor *input,
                      double lower, double upper, T7Generator *gen) noexcept nogil:
    """In the tensor's logical order, one uniform draw per element <= 0, as the original."""
    cdef Walker wo, wn, wi
    walker_init(&wo, output, 0)
    walker_init(&wn, noise, 0)
    walker_init(&wi, input, 0)
    cdef int64_t n, i, so, sn, si, left = nelement(input)
    cdef floating *o
    cdef floating *z
    cdef const floating *x
    cdef floating r
    while left > 0:
        n = min2(left, min2(walker_run(&wo), min2(walker_run(&wn), walker_run(&wi))))
        o = <floating *>wo.ptr
        z = <floating *>wn.ptr
        x = <const floating *>wi.ptr
        so = walker_step(&wo, sizeof(floating))
        sn = walker_step(&wn, sizeof(floating))
        si = walker_step(&wi, sizeof(floating))
        for i in range(n):
            if x[i * si] <= 0:
                r = <floating>t7_uniform(gen, lower, upper)
                o[i * so] = x[i * si] * r
                z[i * sn] = r
            else:
                o[i * so] = x[i * si]
                z[i * sn] = 1
        walker_advance(&wo, n)
        walker_advance(&wn, n)
        walker_advance(&wi, n)
        left -= n


cdef public int t7_nn_rrelu_train(T7Tensor *output, T7Tensor *noise, const T7Tensor *input,
                                  double lower, double upper, T7Generator *gen) noexcept nogil:
    if same_floating(input, output) != 0 or same_type(input, noise) != 0:
        return -1
    if gen == NULL:
        return t7_fail("a random generator is needed")
    if noise == input or noise == output:
        return t7_fail("the noise tensor must be distinct from input and output")
    if t7_tensor_resize_as(noise, input) != 0:
        return -1
    if output != input and t7_tensor_resize_as(output, input) != 0:
        return -1
    if input._dtype == T7_FLOAT:
        rrelu_draws(<float *>NULL, output, noise, input, lower, upper, gen)
    else:
        rrelu_draws(<double *>NULL, output, noise, input, lower, upper, gen)
    return 0


# -- PReLU: a learnt slope per plane (dimension 2 of a batch, or one shared slope) ----------

cdef int prelu_layout(const T7Tensor *input, const T7Tensor *weight, int64_t planes,
                      int64_t *batch, int64_t *inner) noexcept nogil:
    cdef int d
    cdef char shape[256]
    batch[0] = 1
    inner[0] = 1
    if planes == 0:
        if nelement(weight) < 1:
            return t7_fail("the shared weight is missing")
        inner[0] = nelement(input)       # one slope for every element
        return 0
    if nelement(weight) != planes:
        return t7_fail("%lld weights expected (one per plane), got %lld", <ll>planes,
                       <ll>nelement(weight))
    if input._ndim == 0 or input._size[1 if input._ndim > 1 else 0] != planes:
        size_text(input, shape, sizeof(shape))
        return t7_fail("Wrong number of input planes. Expected %lld but got input of size %s",
                       <ll>planes, shape)
    if input._ndim > 1:
        batch[0] = input._size[0]
        for d in range(2, input._ndim):
            inner[0] *= input._size[d]
    return 0


cdef void prelu_apply(floating *tag, floating *r, const floating *x, const floating *g,
                      const floating *w, int64_t planes, int64_t batch, int64_t inner,
                      int mode, floating *gw, floating scale) noexcept nogil:
    """mode 0: r = prelu(x); 1: r = gradient from g; 2: gw += scale * sum(x * g, x <= 0)."""
    cdef int64_t n, p, k, at
    cdef floating slope
    cdef double total
    cdef int64_t count = planes if planes > 0 else 1
    if planes == 0:
        inner = batch * inner
        batch = 1
    for p in range(count):
        slope = w[p]
        total = 0
        for n in range(batch):
            at = (n * count + p) * inner
            if mode == 0:
                for k in range(inner):
                    r[at + k] = x[at + k] if x[at + k] > 0 else slope * x[at + k]
            elif mode == 1:
                for k in range(inner):
                    r[at + k] = g[at + k] if x[at + k] > 0 else slope * g[at + k]
            else:
                for k in range(inner):
                    if x[at + k] <= 0:
                        total += x[at + k] * g[at + k]
        if mode == 2:
            gw[p] += scale * total


cdef int prelu_run(T7Tensor *result, const T7Tensor *input, const T7Tensor *grad_output,
                   const T7Tensor *weight, int64_t planes, int mode,
                   double scale) noexcept nogil:
    cdef int64_t batch, inner
    cdef T7Tensor *copies[3]
    cdef const T7Tensor *x
    cdef const T7Tensor *g = NULL
    cdef const T7Tensor *w
    if same_floating(input, weight) != 0 or same_type(input, result) != 0:
        return -1
    if prelu_layout(input, weight, planes, &batch, &inner) != 0:
        return -1
    if grad_output != NULL and (same_type(input, grad_output) != 0
                                or same_count(input, grad_output, "input and gradOutput") != 0):
        return -1
    if mode == 2:
        if not contiguous(result):
            return t7_fail("gradWeight must be contiguous")
    elif resize_like(result, input) != 0:
        return -1
    copies[0] = copies[1] = copies[2] = NULL
    x = contiguous_or_copy(input, &copies[0])
    w = contiguous_or_copy(weight, &copies[1])
    if grad_output != NULL:
        g = contiguous_or_copy(grad_output, &copies[2])
    cdef int status = 0
    if x == NULL or w == NULL or (grad_output != NULL and g == NULL):
        status = -1
    elif input._dtype == T7_FLOAT:
        prelu_apply(<float *>NULL, <float *>tensor_data(result), <const float *>tensor_data(x),
                    <const float *>tensor_data(g) if g != NULL else NULL,
                    <const float *>tensor_data(w), planes, batch, inner, mode,
                    <float *>tensor_data(result), <float>scale)
    else:
        prelu_apply(<double *>NULL, <double *>tensor_data(result),
                    <const double *>tensor_data(x),
                    <const double *>tensor_data(g) if g != NULL else NULL,
                    <const double *>tensor_data(w), planes, batch, inner, mode,
                    <double *>tensor_data(result), scale)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    t7_tensor_release(copies[2])
    return status


cdef public int t7_nn_prelu(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                            int64_t planes) noexcept nogil:
    return prelu_run(output, input, NULL, weight, planes, 0, 0)


cdef public int t7_nn_prelu_backward(T7Tensor *grad_input, const T7Tensor *input,
                                     const T7Tensor *grad_output, const T7Tensor *weight,
                                     int64_t planes) noexcept nogil:
    return prelu_run(grad_input, input, grad_output, weight, planes, 1, 0)


cdef public int t7_nn_prelu_acc_grad(T7Tensor *grad_weight, const T7Tensor *input,
                                     const T7Tensor *grad_output, int64_t planes,
                                     double scale) noexcept nogil:
    return prelu_run(grad_weight, input, grad_output, grad_weight, planes, 2, scale)
