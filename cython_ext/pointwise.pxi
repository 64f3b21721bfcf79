# Pointwise kernels. Each family walks its operands in runs (walk.pxi) and picks the
# operation once per run, so the element loops stay tight enough for the compiler to
# vectorise. Results are resized to the first operand's shape, as Torch7 does.

cdef extern from *:
    """
    static inline float t7_sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }
    static inline double t7_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
    """
    float t7_sigmoidf(float x) nogil
    double t7_sigmoid(double x) nogil

cdef extern from "<math.h>" nogil:
    float sqrtf(float)
    float expf(float)
    float logf(float)
    float tanhf(float)
    float powf(float, float)

cdef enum ScalarOp:
    OP_ADD_SCALAR, OP_MUL_SCALAR, OP_DIV_SCALAR, OP_POW_SCALAR, OP_CLAMP,
    OP_THRESHOLD                # r = a > v ? a : v2          (nn.Threshold, ReLU)

cdef enum BinaryOp:
    OP_CADD, OP_CMUL, OP_CDIV, OP_ADDCMUL, OP_ADDCDIV,
    OP_SCALED_DIFF,             # r = v * (a - b)             (MSE gradient)
    OP_TANH_BACKWARD,           # r = a * (1 - b^2)           (b: the forward output)
    OP_SIGMOID_BACKWARD,        # r = a * (1 - b) * b
    OP_THRESHOLD_BACKWARD       # r = b > v ? a : 0           (b: the forward input)


cdef struct PointwiseCtx:
    const T7Tensor *r
    const T7Tensor *a
    const T7Tensor *b
    const T7Tensor *c
    int op
    double v
    double v2
    int divided_by_zero


cdef inline real apply_fn(real x, int fn) noexcept nogil:
    if fn == T7_FN_ABS:
        return x if x >= 0 else -x
    if fn == T7_FN_NEG:
        return -x
    if fn == T7_FN_SIGN:
        return <real>((x > 0) - (x < 0))
    if real is float:
        if fn == T7_FN_SQRT:
            return sqrtf(x)
        if fn == T7_FN_EXP:
            return expf(x)
        if fn == T7_FN_LOG:
            return logf(x)
        if fn == T7_FN_TANH:
            return tanhf(x)
        return t7_sigmoidf(x)
    else:
        if fn == T7_FN_SQRT:
            return <real>sqrt(x)
        if fn == T7_FN_EXP:
            return <real>exp(x)
        if fn == T7_FN_LOG:
            return <real>log(x)
        if fn == T7_FN_TANH:
            return <real>tanh(x)
        return <real>t7_sigmoid(x)


cdef inline real safe_divide(real x, real y, int *divided_by_zero) noexcept nogil:
    """x / y; integer division by zero (a crash in C) is reported instead."""
    if real is float or real is double:
        return x / y
    else:
        if y == 0:
            divided_by_zero[0] = 1
            return 0
        if y == -1:             # the smallest integer over -1 overflows in C: wrap instead
            return <real>(<uint64_t>0 - <uint64_t>x)
        return x // y           # C division (cdivision): truncates toward zero, as Torch7


cdef inline void unary_loops(int fn, real *r, int64_t sr, const real *a, int64_t sa,
                             int64_t n) noexcept nogil:
    cdef int64_t i
    if fn == T7_FN_ABS:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_ABS)
    elif fn == T7_FN_NEG:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_NEG)
    elif fn == T7_FN_SQRT:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_SQRT)
    elif fn == T7_FN_EXP:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_EXP)
    elif fn == T7_FN_LOG:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_LOG)
    elif fn == T7_FN_TANH:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_TANH)
    elif fn == T7_FN_SIGMOID:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_SIGMOID)
    else:
        for i in range(n):
            r[i * sr] = apply_fn(a[i * sa], T7_FN_SIGN)


cdef void unary_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef PointwiseCtx *c = <PointwiseCtx *>vctx
    cdef Walker wr, wa
    walker_init(&wr, c.r, start)
    walker_init(&wa, c.a, start)
    cdef int64_t n, sr, sa, left = end - start
    while left > 0:
        n = min2(left, min2(walker_run(&wr), walker_run(&wa)))
        sr = walker_step(&wr, sizeof(real))
        sa = walker_step(&wa, sizeof(real))
        if sr == 1 and sa == 1:     # literal unit strides: the compiler vectorises
            unary_loops(c.op, <real *>wr.ptr, 1, <real *>wa.ptr, 1, n)
        else:
            unary_loops(c.op, <real *>wr.ptr, sr, <real *>wa.ptr, sa, n)
        walker_advance(&wr, n)
        walker_advance(&wa, n)
        left -= n


cdef inline int scalar_loops(int op, real *r, int64_t sr, const real *a, int64_t sa,
                             int64_t n, double value, double value2) noexcept nogil:
    """Returns 1 when an integer division by zero was met."""
    cdef int64_t i
    cdef real v = <real>value
    cdef real lo = <real>value, hi = <real>value2
    cdef real x
    cdef int zero = 0
    if op == OP_ADD_SCALAR:
        for i in range(n):
            r[i * sr] = a[i * sa] + v
    elif op == OP_MUL_SCALAR:
        for i in range(n):
            r[i * sr] = a[i * sa] * v
    elif op == OP_DIV_SCALAR:
        for i in range(n):
            r[i * sr] = safe_divide(a[i * sa], v, &zero)
    elif op == OP_POW_SCALAR:
        if real is float:
            for i in range(n):
                r[i * sr] = powf(a[i * sa], <float>value)
        else:
            for i in range(n):
                r[i * sr] = <real>pow(<double>a[i * sa], value)
    elif op == OP_THRESHOLD:
        for i in range(n):
            x = a[i * sa]
            r[i * sr] = x if x > lo else hi
    else:
        for i in range(n):
            x = a[i * sa]
            r[i * sr] = lo if x < lo else (hi if x > hi else x)
    return zero


cdef void scalar_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef PointwiseCtx *c = <PointwiseCtx *>vctx
    cdef Walker wr, wa
    walker_init(&wr, c.r, start)
    walker_init(&wa, c.a, start)
    cdef int64_t n, sr, sa, left = end - start
    cdef int zero = 0
    while left > 0:
        n = min2(left, min2(walker_run(&wr), walker_run(&wa)))
        sr = walker_step(&wr, sizeof(real))
        sa = walker_step(&wa, sizeof(real))
        if sr == 1 and sa == 1:     # literal unit strides: the compiler vectorises
            zero |= scalar_loops(c.op, <real *>wr.ptr, 1, <real *>wa.ptr, 1, n, c.v, c.v2)
        else:
            zero |= scalar_loops(c.op, <real *>wr.ptr, sr, <real *>wa.ptr, sa, n, c.v, c.v2)
        walker_advance(&wr, n)
        walker_advance(&wa, n)
        left -= n
    if zero:
        c.divided_by_zero = 1


cdef inline int binary_loops(int op, real *r, int64_t sr, const real *a, int64_t sa,
                             const real *b, int64_t sb, const real *cc, int64_t sc, int64_t n,
                             double value) noexcept nogil:
    """Returns 1 when an integer division by zero was met."""
    cdef int64_t i
    cdef real v = <real>value
    cdef int zero = 0
    if op == OP_CADD:
        if v == 1:
            for i in range(n):
                r[i * sr] = a[i * sa] + b[i * sb]
        else:
            for i in range(n):
                r[i * sr] = a[i * sa] + v * b[i * sb]
    elif op == OP_CMUL:
        for i in range(n):
            r[i * sr] = a[i * sa] * b[i * sb]
    elif op == OP_CDIV:
        for i in range(n):
            r[i * sr] = safe_divide(a[i * sa], b[i * sb], &zero)
    elif op == OP_ADDCMUL:
        for i in range(n):
            r[i * sr] = a[i * sa] + v * b[i * sb] * cc[i * sc]
    elif op == OP_SCALED_DIFF:
        for i in range(n):
            r[i * sr] = v * (a[i * sa] - b[i * sb])
    elif op == OP_TANH_BACKWARD:
        for i in range(n):
            r[i * sr] = a[i * sa] * (1 - b[i * sb] * b[i * sb])
    elif op == OP_SIGMOID_BACKWARD:
        for i in range(n):
            r[i * sr] = a[i * sa] * (1 - b[i * sb]) * b[i * sb]
    elif op == OP_THRESHOLD_BACKWARD:
        for i in range(n):
            r[i * sr] = a[i * sa] if b[i * sb] > v else 0
    else:
        for i in range(n):
            r[i * sr] = a[i * sa] + v * safe_divide(b[i * sb], cc[i * sc], &zero)
    return zero


cdef void binary_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef PointwiseCtx *c = <PointwiseCtx *>vctx
    cdef Walker wr, wa, wb, wc
    walker_init(&wr, c.r, start)
    walker_init(&wa, c.a, start)
    walker_init(&wb, c.b, start)
    cdef bint ternary = c.op == OP_ADDCMUL or c.op == OP_ADDCDIV
    if ternary:
        walker_init(&wc, c.c, start)
    cdef int64_t n, sr, sa, sb, sc = 1, left = end - start
    cdef real *cc = NULL
    cdef int zero = 0
    while left > 0:
        n = min2(left, min2(walker_run(&wr), min2(walker_run(&wa), walker_run(&wb))))
        if ternary:
            n = min2(n, walker_run(&wc))
            cc = <real *>wc.ptr
            sc = walker_step(&wc, sizeof(real))
        sr = walker_step(&wr, sizeof(real))
        sa = walker_step(&wa, sizeof(real))
        sb = walker_step(&wb, sizeof(real))
        if sr == 1 and sa == 1 and sb == 1 and sc == 1:   # literal unit strides: vectorised
            zero |= binary_loops(c.op, <real *>wr.ptr, 1, <real *>wa.ptr, 1, <real *>wb.ptr, 1,
                                 cc, 1, n, c.v)
        else:
            zero |= binary_loops(c.op, <real *>wr.ptr, sr, <real *>wa.ptr, sa, <real *>wb.ptr,
                                 sb, cc, sc, n, c.v)
        walker_advance(&wr, n)
        walker_advance(&wa, n)
        walker_advance(&wb, n)
        if ternary:
            walker_advance(&wc, n)
        left -= n
    if zero:
        c.divided_by_zero = 1


cdef range_fn UNARY[7]
UNARY[:] = [<range_fn>unary_range[uint8_t], <range_fn>unary_range[int8_t],
            <range_fn>unary_range[int16_t], <range_fn>unary_range[int32_t],
            <range_fn>unary_range[int64_t], <range_fn>unary_range[float],
            <range_fn>unary_range[double]]
cdef range_fn SCALAR[7]
SCALAR[:] = [<range_fn>scalar_range[uint8_t], <range_fn>scalar_range[int8_t],
             <range_fn>scalar_range[int16_t], <range_fn>scalar_range[int32_t],
             <range_fn>scalar_range[int64_t], <range_fn>scalar_range[float],
             <range_fn>scalar_range[double]]
cdef range_fn BINARY[7]
BINARY[:] = [<range_fn>binary_range[uint8_t], <range_fn>binary_range[int8_t],
             <range_fn>binary_range[int16_t], <range_fn>binary_range[int32_t],
             <range_fn>binary_range[int64_t], <range_fn>binary_range[float],
             <range_fn>binary_range[double]]


cdef int prepare(T7Tensor *r, const T7Tensor *a, const T7Tensor *b,
                 const T7Tensor *c) noexcept nogil:
    """Checks types and counts, then resizes r like a."""
    if supported(a) != 0 or same_type(r, a) != 0:
        return -1
    if b != NULL and (same_type(a, b) != 0 or same_count(a, b, "both operands") != 0):
        return -1
    if c != NULL and (same_type(a, c) != 0 or same_count(a, c, "all operands") != 0):
        return -1
    if r != a and t7_tensor_resize_as(r, a) != 0:
        return -1
    return 0


cdef int run_pointwise(range_fn *family, T7Tensor *r, const T7Tensor *a, const T7Tensor *b,
                       const T7Tensor *c, int op, double v, double v2) noexcept nogil:
    if prepare(r, a, b, c) != 0:
        return -1
    cdef PointwiseCtx ctx
    ctx.r = r
    ctx.a = a
    ctx.b = b
    ctx.c = c
    ctx.op = op
    ctx.v = v
    ctx.v2 = v2
    ctx.divided_by_zero = 0
    cdef int64_t cost = 8 if family == UNARY and op >= T7_FN_SQRT and op <= T7_FN_SIGMOID else 1
    run_blocks(family[a._dtype], &ctx, nelement(a), cost)
    if ctx.divided_by_zero:
        return t7_fail("integer division by zero")
    return 0


cdef public int t7_add_scalar(T7Tensor *r, const T7Tensor *a, double value) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_ADD_SCALAR, value, 0)

cdef public int t7_mul_scalar(T7Tensor *r, const T7Tensor *a, double value) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_MUL_SCALAR, value, 0)

cdef public int t7_div_scalar(T7Tensor *r, const T7Tensor *a, double value) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_DIV_SCALAR, value, 0)

cdef public int t7_pow_scalar(T7Tensor *r, const T7Tensor *a, double exponent) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_POW_SCALAR, exponent, 0)

cdef public int t7_clamp(T7Tensor *r, const T7Tensor *a, double lo, double hi) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_CLAMP, lo, hi)

cdef public int t7_unary(T7Tensor *r, const T7Tensor *a, int fn) noexcept nogil:
    if fn < T7_FN_ABS or fn > T7_FN_NEG:
        return t7_fail("unknown function code %d", fn)
    return run_pointwise(UNARY, r, a, NULL, NULL, fn, 0, 0)

cdef public int t7_cadd(T7Tensor *r, const T7Tensor *a, double value,
                        const T7Tensor *b) noexcept nogil:
    return run_pointwise(BINARY, r, a, b, NULL, OP_CADD, value, 0)

cdef public int t7_cmul(T7Tensor *r, const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    return run_pointwise(BINARY, r, a, b, NULL, OP_CMUL, 0, 0)

cdef public int t7_cdiv(T7Tensor *r, const T7Tensor *a, const T7Tensor *b) noexcept nogil:
    return run_pointwise(BINARY, r, a, b, NULL, OP_CDIV, 0, 0)

cdef public int t7_addcmul(T7Tensor *r, const T7Tensor *a, double value, const T7Tensor *b,
                           const T7Tensor *c) noexcept nogil:
    return run_pointwise(BINARY, r, a, b, c, OP_ADDCMUL, value, 0)

cdef public int t7_addcdiv(T7Tensor *r, const T7Tensor *a, double value, const T7Tensor *b,
                           const T7Tensor *c) noexcept nogil:
    return run_pointwise(BINARY, r, a, b, c, OP_ADDCDIV, value, 0)
