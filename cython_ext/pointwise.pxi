# Pointwise kernels. Each family walks its operands in runs (walk.pxi) and picks the
# operation once per run, so the element loops stay tight enough for the compiler to
# vectorise. Results are resized to the first operand's shape, as Torch7 does. The value
# of each operation for one element is an inline function called with a literal operation
# code, which the compiler folds away.

from libc.stdint cimport uint32_t

cdef extern from "t7_abi.h":
    enum:
        T7_FN_RSQRT
        T7_FN_LOG1P
        T7_FN_COS
        T7_FN_ACOS
        T7_FN_COSH
        T7_FN_SIN
        T7_FN_ASIN
        T7_FN_SINH
        T7_FN_TAN
        T7_FN_ATAN
        T7_FN_CEIL
        T7_FN_FLOOR
        T7_FN_ROUND
        T7_FN_TRUNC
        T7_FN_FRAC
        T7_FN_CINV
        T7_OP_FMOD
        T7_OP_REMAINDER
        T7_OP_LSHIFT
        T7_OP_RSHIFT
        T7_OP_BITAND
        T7_OP_BITOR
        T7_OP_BITXOR
        T7_OP_MAX
        T7_OP_MIN
        T7_OP_POW
        T7_OP_ATAN2

cdef extern from "<math.h>" nogil:
    float sqrtf(float)
    float expf(float)
    float logf(float)
    float log1pf(float)
    float cosf(float)
    float acosf(float)
    float coshf(float)
    float sinf(float)
    float asinf(float)
    float sinhf(float)
    float tanf(float)
    float atanf(float)
    float tanhf(float)
    float ceilf(float)
    float floorf(float)
    float roundf(float)
    float truncf(float)
    float fmodf(float, float)
    float atan2f(float, float)
    float powf(float, float)
    double log1p(double)
    double cos(double)
    double acos(double)
    double cosh(double)
    double sin(double)
    double asin(double)
    double sinh(double)
    double tan(double)
    double atan(double)
    double ceil(double)
    double round(double)
    double trunc(double)
    double fmod(double, double)
    double atan2(double, double)

cdef enum ScalarOp:
    OP_ADD_SCALAR = 32, OP_MUL_SCALAR, OP_DIV_SCALAR, OP_CLAMP,
    OP_THRESHOLD,               # r = a > v ? a : v2          (nn.Threshold, ReLU)
    OP_POW_SCALAR, OP_SQUARE, OP_CUBE, OP_INVERSE_SQUARE,
    OP_RPOW,                    # r = v ^ a
    OP_FMOD_SCALAR, OP_REMAINDER_SCALAR, OP_LSHIFT_SCALAR, OP_RSHIFT_SCALAR,
    OP_BITAND_SCALAR, OP_BITOR_SCALAR, OP_BITXOR_SCALAR, OP_MAX_SCALAR, OP_MIN_SCALAR

cdef enum BinaryOp:
    OP_CADD = 64, OP_CMUL, OP_CDIV, OP_ADDCMUL, OP_ADDCDIV,
    OP_SCALED_DIFF,             # r = v * (a - b)             (MSE gradient)
    OP_TANH_BACKWARD,           # r = a * (1 - b^2)           (b: the forward output)
    OP_SIGMOID_BACKWARD,        # r = a * (1 - b) * b
    OP_THRESHOLD_BACKWARD,      # r = b > v ? a : 0           (b: the forward input)
    OP_CPOW, OP_CFMOD, OP_CREMAINDER, OP_CLSHIFT, OP_CRSHIFT, OP_CBITAND, OP_CBITOR,
    OP_CBITXOR, OP_CMAX, OP_CMIN, OP_ATAN2,
    OP_LERP                     # r = a + v * (b - a)

# public operation codes (t7_abi.h) -> the kernels' own, for a number and for a tensor
cdef int SCALAR_OPS[10]
SCALAR_OPS[:] = [OP_FMOD_SCALAR, OP_REMAINDER_SCALAR, OP_LSHIFT_SCALAR, OP_RSHIFT_SCALAR,
                 OP_BITAND_SCALAR, OP_BITOR_SCALAR, OP_BITXOR_SCALAR, OP_MAX_SCALAR,
                 OP_MIN_SCALAR, OP_POW_SCALAR]
cdef int TENSOR_OPS[11]
TENSOR_OPS[:] = [OP_CFMOD, OP_CREMAINDER, OP_CLSHIFT, OP_CRSHIFT, OP_CBITAND, OP_CBITOR,
                 OP_CBITXOR, OP_CMAX, OP_CMIN, OP_CPOW, OP_ATAN2]
cdef const char *OP_NAMES[11]
OP_NAMES[:] = [b"fmod", b"remainder", b"lshift", b"rshift", b"bitand", b"bitor", b"bitxor",
               b"cmax", b"cmin", b"pow", b"atan2"]


cdef struct PointwiseCtx:
    const T7Tensor *r
    const T7Tensor *a
    const T7Tensor *b
    const T7Tensor *c
    int op
    double v
    double v2
    int divided_by_zero


# ---- the value of one element ------------------------------------------------------------

cdef inline real unary_value(real x, int fn) noexcept nogil:
    if fn == T7_FN_ABS:
        return x if x >= 0 else -x
    if fn == T7_FN_NEG:
        return -x
    if fn == T7_FN_SIGN:
        return <real>((x > 0) - (x < 0))
    if real is float:
        if fn == T7_FN_SQRT: return sqrtf(x)
        if fn == T7_FN_RSQRT: return (<real>1) / sqrtf(x)
        if fn == T7_FN_LOG: return logf(x)
        if fn == T7_FN_LOG1P: return log1pf(x)
        if fn == T7_FN_COS: return cosf(x)
        if fn == T7_FN_ACOS: return acosf(x)
        if fn == T7_FN_COSH: return coshf(x)
        if fn == T7_FN_SIN: return sinf(x)
        if fn == T7_FN_ASIN: return asinf(x)
        if fn == T7_FN_SINH: return sinhf(x)
        if fn == T7_FN_TAN: return tanf(x)
        if fn == T7_FN_ATAN: return atanf(x)
        if fn == T7_FN_CEIL: return ceilf(x)
        if fn == T7_FN_FLOOR: return floorf(x)
        if fn == T7_FN_ROUND: return roundf(x)
        if fn == T7_FN_TRUNC: return truncf(x)
        if fn == T7_FN_FRAC: return x - truncf(x)
        if fn == T7_FN_CINV: return (<real>1) / x
        return x    # exp, sigmoid and tanh of floats: vector_loops.pxi's runs
    elif real is double:
        if fn == T7_FN_SQRT: return sqrt(x)
        if fn == T7_FN_RSQRT: return 1.0 / sqrt(x)
        if fn == T7_FN_EXP: return exp(x)
        if fn == T7_FN_LOG: return log(x)
        if fn == T7_FN_LOG1P: return log1p(x)
        if fn == T7_FN_COS: return cos(x)
        if fn == T7_FN_ACOS: return acos(x)
        if fn == T7_FN_COSH: return cosh(x)
        if fn == T7_FN_SIN: return sin(x)
        if fn == T7_FN_ASIN: return asin(x)
        if fn == T7_FN_SINH: return sinh(x)
        if fn == T7_FN_TAN: return tan(x)
        if fn == T7_FN_ATAN: return atan(x)
        if fn == T7_FN_TANH: return tanh(x)
        if fn == T7_FN_CEIL: return ceil(x)
        if fn == T7_FN_FLOOR: return floor(x)
        if fn == T7_FN_ROUND: return round(x)
        if fn == T7_FN_TRUNC: return trunc(x)
        if fn == T7_FN_FRAC: return x - trunc(x)
        if fn == T7_FN_CINV: return 1.0 / x
        return 1.0 / (1.0 + exp(-x))
    else:
        return x    # integer types take only ABS, NEG and SIGN (checked by t7_unary)


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


cdef inline real c_remainder(real x, real y, int *divided_by_zero) noexcept nogil:
    """C's x % y (the sign of x), for integers; y = -1 would overflow in C for the smallest
    integer, and its remainder is 0 anyway."""
    if y == 0:
        divided_by_zero[0] = 1
        return 0
    if y == -1:
        return 0
    return x % y


cdef inline real modulo_value(real x, real y, bint floored, int *divided_by_zero) noexcept nogil:
    """fmod (the sign of x) or remainder (the sign of y, as Lua's %), each as Torch7 computes
    it: floats by the C library (NaN for a zero divisor), integers by C's %."""
    cdef real m
    if real is float or real is double:
        if not floored:
            return fmodf(x, y) if real is float else fmod(x, y)
        if y == 0:
            return NAN
        return <real>(x - y * floor(<real>(x / y)))
    else:
        m = c_remainder(x, y, divided_by_zero)
        if floored and m != 0 and (m < 0) != (y < 0):
            m = m + y
        return m


cdef inline real shifted(real x, double amount, bint left) noexcept nogil:
    """x shifted by `amount` bits, as Torch7: integers through their unsigned form (so right
    shifts are logical), floats as multiplications by powers of two. Integer shifts by a
    negative amount or by the width or more give 0."""
    cdef int64_t s = <int64_t>amount
    if real is float:
        return x * powf(2, <float>amount) if left else x / powf(2, <float>amount)
    elif real is double:
        return x * pow(2, amount) if left else x / pow(2, amount)
    elif real is uint8_t or real is int8_t:
        if s < 0 or s >= 8:
            return 0
        return <real>((<uint8_t>x) << s) if left else <real>((<uint8_t>x) >> s)
    elif real is int16_t:
        if s < 0 or s >= 16:
            return 0
        return <real>((<uint16_t>x) << s) if left else <real>((<uint16_t>x) >> s)
    elif real is int32_t:
        if s < 0 or s >= 32:
            return 0
        return <real>((<uint32_t>x) << s) if left else <real>((<uint32_t>x) >> s)
    else:
        if s < 0 or s >= 64:
            return 0
        return <real>((<uint64_t>x) << s) if left else <real>((<uint64_t>x) >> s)


cdef inline real bitwise(real x, real y, int which) noexcept nogil:
    """x & y, x | y or x ^ y (which: 0, 1, 2); integers only (checked by the entry points)."""
    if real is float or real is double:
        return x
    else:
        if which == 0:
            return x & y
        if which == 1:
            return x | y
        return x ^ y


cdef inline real power(real x, real y) noexcept nogil:
    """Torch7 raises through the double pow for every type (float's pow included)."""
    return <real>pow(<double>x, <double>y)


cdef inline real scalar_value(real x, int op, real v, real v2, double value,
                              int *zero) noexcept nogil:
    if op == OP_ADD_SCALAR: return x + v
    if op == OP_MUL_SCALAR: return x * v
    if op == OP_DIV_SCALAR: return safe_divide(x, v, zero)
    if op == OP_CLAMP: return v if x < v else (v2 if x > v2 else x)
    if op == OP_THRESHOLD: return x if x > v else v2
    if op == OP_SQUARE: return x * x
    if op == OP_CUBE: return x * x * x
    if op == OP_INVERSE_SQUARE: return 1 / (x * x)
    if op == OP_POW_SCALAR:
        return powf(x, v) if real is float else <real>pow(<double>x, value)
    if op == OP_RPOW: return <real>pow(value, <double>x)
    if op == OP_FMOD_SCALAR: return modulo_value(x, v, False, zero)
    if op == OP_REMAINDER_SCALAR: return modulo_value(x, v, True, zero)
    if op == OP_LSHIFT_SCALAR: return shifted(x, value, True)
    if op == OP_RSHIFT_SCALAR: return shifted(x, value, False)
    if op == OP_BITAND_SCALAR: return bitwise(x, v, 0)
    if op == OP_BITOR_SCALAR: return bitwise(x, v, 1)
    if op == OP_BITXOR_SCALAR: return bitwise(x, v, 2)
    if op == OP_MAX_SCALAR: return x if x > v else v
    return x if x < v else v    # OP_MIN_SCALAR


cdef inline real binary_value(real x, real y, real z, int op, real v, int *zero) noexcept nogil:
    if op == OP_CADD: return x + v * y
    if op == OP_CMUL: return x * y
    if op == OP_CDIV: return safe_divide(x, y, zero)
    if op == OP_ADDCMUL: return x + v * y * z
    if op == OP_ADDCDIV: return x + v * safe_divide(y, z, zero)
    if op == OP_SCALED_DIFF: return v * (x - y)
    if op == OP_TANH_BACKWARD: return x * (1 - y * y)
    if op == OP_SIGMOID_BACKWARD: return x * (1 - y) * y
    if op == OP_THRESHOLD_BACKWARD: return x if y > v else 0
    if op == OP_CPOW: return power(x, y)
    if op == OP_CFMOD: return modulo_value(x, y, False, zero)
    if op == OP_CREMAINDER: return modulo_value(x, y, True, zero)
    if op == OP_CLSHIFT: return shifted(x, <double>y, True)
    if op == OP_CRSHIFT: return shifted(x, <double>y, False)
    if op == OP_CBITAND: return bitwise(x, y, 0)
    if op == OP_CBITOR: return bitwise(x, y, 1)
    if op == OP_CBITXOR: return bitwise(x, y, 2)
    if op == OP_CMAX: return x if x > y else y
    if op == OP_CMIN: return x if x < y else y
    if op == OP_ATAN2:
        return atan2f(x, y) if real is float else <real>atan2(<double>x, <double>y)
    return x + v * (y - x)      # OP_LERP


# ---- loops over one run ----------------------------------------------------------------------
# Each operation gets a loop of its own with the operation code a literal, so the element
# function folds to straight-line code; the common ones are compiled again with literal unit
# strides, which the compiler vectorises (the walker's strides are run-time values).

cdef inline void unary_run(int fn, real *r, int64_t sr, const real *a, int64_t sa,
                           int64_t n) noexcept nogil:
    cdef int64_t i
    if fn == T7_FN_ABS:
        for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_ABS)
    elif fn == T7_FN_NEG:
        for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_NEG)
    elif fn == T7_FN_SIGN:
        for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_SIGN)
    elif real is float or real is double:
        if fn == T7_FN_SQRT:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_SQRT)
        elif fn == T7_FN_RSQRT:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_RSQRT)
        elif fn == T7_FN_EXP and real is double:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_EXP)
        elif fn == T7_FN_LOG:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_LOG)
        elif fn == T7_FN_LOG1P:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_LOG1P)
        elif fn == T7_FN_COS:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_COS)
        elif fn == T7_FN_ACOS:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_ACOS)
        elif fn == T7_FN_COSH:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_COSH)
        elif fn == T7_FN_SIN:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_SIN)
        elif fn == T7_FN_ASIN:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_ASIN)
        elif fn == T7_FN_SINH:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_SINH)
        elif fn == T7_FN_TAN:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_TAN)
        elif fn == T7_FN_ATAN:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_ATAN)
        elif fn == T7_FN_TANH:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_TANH)
        elif fn == T7_FN_CEIL:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_CEIL)
        elif fn == T7_FN_FLOOR:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_FLOOR)
        elif fn == T7_FN_ROUND:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_ROUND)
        elif fn == T7_FN_TRUNC:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_TRUNC)
        elif fn == T7_FN_FRAC:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_FRAC)
        elif fn == T7_FN_CINV:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_CINV)
        elif real is double:
            for i in range(n): r[i * sr] = unary_value(a[i * sa], T7_FN_SIGMOID)


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
        if real is float and (c.op == T7_FN_EXP or c.op == T7_FN_SIGMOID):
            t7_exp_float_run(c.op == T7_FN_SIGMOID, <float *>wr.ptr, sr, <float *>wa.ptr, sa, n)
        elif real is float and c.op == T7_FN_TANH:
            t7_tanh_float_run(<float *>wr.ptr, sr, <float *>wa.ptr, sa, n)
        elif sr == 1 and sa == 1:
            unary_run(c.op, <real *>wr.ptr, 1, <real *>wa.ptr, 1, n)
        else:
            unary_run(c.op, <real *>wr.ptr, sr, <real *>wa.ptr, sa, n)
        walker_advance(&wr, n)
        walker_advance(&wa, n)
        left -= n


cdef inline int scalar_run(int op, real *r, int64_t sr, const real *a, int64_t sa, int64_t n,
                           double value, double value2) noexcept nogil:
    """Returns 1 when an integer division by zero was met."""
    cdef int64_t i
    cdef real v = <real>value, v2 = <real>value2
    cdef int zero = 0
    if op == OP_ADD_SCALAR:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_ADD_SCALAR, v, v2, value, &zero)
    elif op == OP_MUL_SCALAR:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_MUL_SCALAR, v, v2, value, &zero)
    elif op == OP_DIV_SCALAR:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_DIV_SCALAR, v, v2, value, &zero)
    elif op == OP_CLAMP:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_CLAMP, v, v2, value, &zero)
    elif op == OP_THRESHOLD:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_THRESHOLD, v, v2, value, &zero)
    elif op == OP_SQUARE:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_SQUARE, v, v2, value, &zero)
    elif op == OP_MAX_SCALAR:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_MAX_SCALAR, v, v2, value, &zero)
    elif op == OP_MIN_SCALAR:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], OP_MIN_SCALAR, v, v2, value, &zero)
    else:
        for i in range(n): r[i * sr] = scalar_value(a[i * sa], op, v, v2, value, &zero)
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
        if sr == 1 and sa == 1:
            zero |= scalar_run(c.op, <real *>wr.ptr, 1, <real *>wa.ptr, 1, n, c.v, c.v2)
        else:
            zero |= scalar_run(c.op, <real *>wr.ptr, sr, <real *>wa.ptr, sa, n, c.v, c.v2)
        walker_advance(&wr, n)
        walker_advance(&wa, n)
        left -= n
    if zero:
        c.divided_by_zero = 1


cdef inline int binary_run(int op, real *r, int64_t sr, const real *a, int64_t sa,
                           const real *b, int64_t sb, const real *cc, int64_t sc, int64_t n,
                           double value) noexcept nogil:
    """Returns 1 when an integer division by zero was met."""
    cdef int64_t i
    cdef real v = <real>value
    cdef real none = 0
    cdef int zero = 0
    if op == OP_CADD and v == 1:
        for i in range(n): r[i * sr] = a[i * sa] + b[i * sb]
    elif op == OP_CADD:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_CADD, v, &zero)
    elif op == OP_CMUL:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_CMUL, v, &zero)
    elif op == OP_CDIV:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_CDIV, v, &zero)
    elif op == OP_ADDCMUL:
        for i in range(n):
            r[i * sr] = binary_value(a[i * sa], b[i * sb], cc[i * sc], OP_ADDCMUL, v, &zero)
    elif op == OP_ADDCDIV:
        for i in range(n):
            r[i * sr] = binary_value(a[i * sa], b[i * sb], cc[i * sc], OP_ADDCDIV, v, &zero)
    elif op == OP_SCALED_DIFF:
        for i in range(n):
            r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_SCALED_DIFF, v, &zero)
    elif op == OP_TANH_BACKWARD:
        for i in range(n):
            r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_TANH_BACKWARD, v, &zero)
    elif op == OP_SIGMOID_BACKWARD:
        for i in range(n):
            r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_SIGMOID_BACKWARD, v, &zero)
    elif op == OP_THRESHOLD_BACKWARD:
        for i in range(n):
            r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_THRESHOLD_BACKWARD, v, &zero)
    elif op == OP_CMAX:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_CMAX, v, &zero)
    elif op == OP_CMIN:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_CMIN, v, &zero)
    elif op == OP_LERP:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, OP_LERP, v, &zero)
    else:
        for i in range(n): r[i * sr] = binary_value(a[i * sa], b[i * sb], none, op, v, &zero)
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
        if sr == 1 and sa == 1 and sb == 1 and sc == 1:
            if real is float and c.op == OP_CADD and c.v == 1:
                t7_add_float_run(<float *>wr.ptr, <float *>wa.ptr, <float *>wb.ptr, n)
            elif real is double and c.op == OP_CADD and c.v == 1:
                t7_add_double_run(<double *>wr.ptr, <double *>wa.ptr, <double *>wb.ptr, n)
            elif real is float and c.op == OP_CMUL:
                t7_mul_float_run(<float *>wr.ptr, <float *>wa.ptr, <float *>wb.ptr, n)
            elif real is double and c.op == OP_CMUL:
                t7_mul_double_run(<double *>wr.ptr, <double *>wa.ptr, <double *>wb.ptr, n)
            else:
                zero |= binary_run(c.op, <real *>wr.ptr, 1, <real *>wa.ptr, 1, <real *>wb.ptr,
                                   1, cc, 1, n, c.v)
        else:
            zero |= binary_run(c.op, <real *>wr.ptr, sr, <real *>wa.ptr, sa, <real *>wb.ptr, sb,
                               cc, sc, n, c.v)
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


# ---- entry points --------------------------------------------------------------------------

cdef int check_operand_counts(int op, const T7Tensor *a, const T7Tensor *b,
                              const T7Tensor *c) noexcept nogil:
    """The original's message on a count mismatch names the operands as its C function did;
    the result (r_) takes a's shape before the check."""
    if op == OP_ADDCMUL or op == OP_ADDCDIV:
        return check_counts("r_", a, "src1", b, "src2", c)
    if op == OP_CMAX or op == OP_CMIN:
        return check_counts("r", a, "t", a, "src", b)
    if op == OP_ATAN2:
        return check_counts("r_", a, "tx", a, "ty", b)
    if op == OP_LERP and nelement(a) != nelement(b):
        return t7_fail("sizes do not match")
    return check_counts("r_", a, "t", a, "src", b)


cdef int prepare(T7Tensor *r, const T7Tensor *a, const T7Tensor *b, const T7Tensor *c,
                 int op) noexcept nogil:
    """Checks types and counts, then resizes r like a."""
    if supported(a) != 0 or same_type(r, a) != 0:
        return -1
    if b != NULL and same_type(a, b) != 0 or c != NULL and same_type(a, c) != 0:
        return -1
    if b != NULL and check_operand_counts(op, a, b, c) != 0:
        return -1
    if r != a and t7_tensor_resize_as(r, a) != 0:
        return -1
    return 0


cdef inline int64_t element_cost(range_fn *family, int op) noexcept nogil:
    """Rough cost of an element in additions, for the split across threads."""
    if family == UNARY:
        return 1 if op == T7_FN_ABS or op == T7_FN_NEG or op == T7_FN_SIGN else 16
    if op == OP_POW_SCALAR or op == OP_RPOW or op == OP_CPOW or op == OP_ATAN2 \
            or op == OP_FMOD_SCALAR or op == OP_CFMOD:
        return 16
    return 1


cdef int run_pointwise(range_fn *family, T7Tensor *r, const T7Tensor *a, const T7Tensor *b,
                       const T7Tensor *c, int op, double v, double v2) noexcept nogil:
    if prepare(r, a, b, c, op) != 0:
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
    run_blocks(family[a._dtype], &ctx, nelement(a), element_cost(family, op))
    if ctx.divided_by_zero:
        return t7_fail("integer division by zero")
    return 0


cdef int integers_only(const T7Tensor *t, const char *prefix, const char *name) noexcept nogil:
    if is_floating(t._dtype):
        return t7_fail("%s%s is only supported for integer type tensors", prefix, name)
    return 0


cdef int floating_point_only(const T7Tensor *t, const char *name) noexcept nogil:
    if not is_floating(t._dtype):
        return t7_fail("%s is only supported for FloatTensor and DoubleTensor, got a %sTensor",
                       name, TYPE_NAMES[t._dtype])
    return 0


cdef public int t7_add_scalar(T7Tensor *r, const T7Tensor *a, double value) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_ADD_SCALAR, value, 0)

cdef public int t7_mul_scalar(T7Tensor *r, const T7Tensor *a, double value) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_MUL_SCALAR, value, 0)

cdef public int t7_div_scalar(T7Tensor *r, const T7Tensor *a, double value) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_DIV_SCALAR, value, 0)

cdef public int t7_clamp(T7Tensor *r, const T7Tensor *a, double lo, double hi) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_CLAMP, lo, hi)


cdef public int t7_pow_scalar(T7Tensor *r, const T7Tensor *a, double exponent) noexcept nogil:
    # Torch7's shortcuts for the common exponents (exact where pow might round differently)
    if is_floating(a._dtype) and supported(a) == 0:
        if exponent == 1:
            if prepare(r, a, NULL, NULL, 0) != 0:
                return -1
            return t7_tensor_copy(r, a)
        if exponent == 0.5:
            return t7_unary(r, a, T7_FN_SQRT)
        if exponent == -0.5:
            return t7_unary(r, a, T7_FN_RSQRT)
        if exponent == -1:
            return t7_unary(r, a, T7_FN_CINV)
        if exponent == 2:
            return run_pointwise(SCALAR, r, a, NULL, NULL, OP_SQUARE, 0, 0)
        if exponent == 3:
            return run_pointwise(SCALAR, r, a, NULL, NULL, OP_CUBE, 0, 0)
        if exponent == -2:
            return run_pointwise(SCALAR, r, a, NULL, NULL, OP_INVERSE_SQUARE, 0, 0)
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_POW_SCALAR, exponent, 0)


cdef public int t7_rpow(T7Tensor *r, double value, const T7Tensor *a) noexcept nogil:
    return run_pointwise(SCALAR, r, a, NULL, NULL, OP_RPOW, value, 0)


cdef public int t7_unary(T7Tensor *r, const T7Tensor *a, int fn) noexcept nogil:
    if fn < T7_FN_ABS or fn > T7_FN_CINV:
        return t7_fail("unknown function code %d", fn)
    if fn != T7_FN_ABS and fn != T7_FN_NEG and fn != T7_FN_SIGN and \
            floating_point_only(a, b"this function") != 0:
        return -1
    return run_pointwise(UNARY, r, a, NULL, NULL, fn, 0, 0)


cdef int check_operation(const T7Tensor *a, int op, bint with_tensor) noexcept nogil:
    if op < T7_OP_FMOD or op > (T7_OP_ATAN2 if with_tensor else T7_OP_POW):
        return t7_fail("unknown operation code %d", op)
    if op >= T7_OP_BITAND and op <= T7_OP_BITXOR:    # with a tensor: cbitand, ...
        return integers_only(a, b"c" if with_tensor else b"", OP_NAMES[op])
    if op == T7_OP_ATAN2:
        return floating_point_only(a, OP_NAMES[op])
    return 0


cdef public int t7_scalar_op(T7Tensor *r, const T7Tensor *a, int op, double value) noexcept nogil:
    if check_operation(a, op, False) != 0:
        return -1
    if op == T7_OP_POW:
        return t7_pow_scalar(r, a, value)
    return run_pointwise(SCALAR, r, a, NULL, NULL, SCALAR_OPS[op], value, 0)


cdef public int t7_tensor_op(T7Tensor *r, const T7Tensor *a, int op,
                             const T7Tensor *b) noexcept nogil:
    if check_operation(a, op, True) != 0:
        return -1
    return run_pointwise(BINARY, r, a, b, NULL, TENSOR_OPS[op], 0, 0)


cdef public int t7_lerp(T7Tensor *r, const T7Tensor *a, const T7Tensor *b,
                        double weight) noexcept nogil:
    return run_pointwise(BINARY, r, a, b, NULL, OP_LERP, weight, 0)

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
