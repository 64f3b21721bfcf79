# Construction kernels that need more than a view: concatenation (cat) and the sequences of
# range, linspace and logspace, written in the tensor's row-major order so that they also
# fill non-contiguous views. The sequences use the original's arithmetic: the counter and
# linspace's steps in the element type, range's terms in double (integers: in int64).

from libc.math cimport powf


cdef enum SequenceKind:
    SEQ_RANGE, SEQ_LINSPACE, SEQ_LOGSPACE


cdef void sequence_fill(real *tag, T7Tensor *t, int kind, double a, double b) noexcept nogil:
    cdef int64_t n = nelement(t)
    cdef Walker w
    walker_init(&w, t, 0)
    cdef int64_t j, run, s, left = n
    cdef real counter = 0
    cdef real first = <real>a, span = <real>b - <real>a, denominator = <real>(n - 1)
    cdef int64_t integer_start = <int64_t>a, integer_step = <int64_t>b
    cdef real *p
    while left > 0:
        run = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        if kind == SEQ_RANGE:
            for j in range(run):
                if real is float or real is double:
                    p[j * s] = <real>(a + <double>counter * b)
                else:
                    p[j * s] = <real>(integer_start + <int64_t>counter * integer_step)
                counter += 1
        elif n == 1:
            p[0] = first if kind == SEQ_LINSPACE else <real>pow(10.0, first)
        elif kind == SEQ_LINSPACE:
            for j in range(run):
                p[j * s] = first + counter * span / denominator
                counter += 1
        else:
            for j in range(run):
                if real is float:
                    p[j * s] = powf(10.0, first + counter * span / denominator)
                else:
                    p[j * s] = <real>pow(10.0, first + counter * span / denominator)
                counter += 1
        walker_advance(&w, run)
        left -= run


cdef int sequence(T7Tensor *t, int kind, double a, double b) noexcept nogil:
    if supported(t) != 0:
        return -1
    if kind != SEQ_RANGE and not is_floating(t._dtype):
        return t7_fail("%s is only defined for Float and Double tensors, not %sTensor",
                       "linspace" if kind == SEQ_LINSPACE else "logspace",
                       TYPE_NAMES[t._dtype])
    if nelement(t) == 0:
        return 0
    cdef int dt = t._dtype
    if dt == T7_BYTE:
        sequence_fill(<uint8_t *>NULL, t, kind, a, b)
    elif dt == T7_CHAR:
        sequence_fill(<int8_t *>NULL, t, kind, a, b)
    elif dt == T7_SHORT:
        sequence_fill(<int16_t *>NULL, t, kind, a, b)
    elif dt == T7_INT:
        sequence_fill(<int32_t *>NULL, t, kind, a, b)
    elif dt == T7_LONG:
        sequence_fill(<int64_t *>NULL, t, kind, a, b)
    elif dt == T7_FLOAT:
        sequence_fill(<float *>NULL, t, kind, a, b)
    else:
        sequence_fill(<double *>NULL, t, kind, a, b)
    return 0


cdef public int t7_range_fill(T7Tensor *t, double start, double step) noexcept nogil:
    return sequence(t, SEQ_RANGE, start, step)


cdef public int t7_linspace_fill(T7Tensor *t, double first, double last) noexcept nogil:
    return sequence(t, SEQ_LINSPACE, first, last)


cdef public int t7_logspace_fill(T7Tensor *t, double first, double last) noexcept nogil:
    return sequence(t, SEQ_LOGSPACE, first, last)


cdef inline int64_t size_or_one(const T7Tensor *t, int d) noexcept nogil:
    """The size of dimension d, where a missing trailing dimension counts as 1 (and every
    dimension of a tensor with no dimension as 0)."""
    if d < t._ndim:
        return t._size[d]
    return 1 if t._ndim > 0 else 0


cdef public int t7_cat(T7Tensor *r, T7Tensor **inputs, int n, int dim) noexcept nogil:
    if n <= 0:
        return t7_fail("invalid number of inputs %d", n)
    cdef int i, d, max_dim = dim + 1
    for i in range(n):
        if inputs[i]._dtype != r._dtype:
            return t7_fail("cat: input %d is a %sTensor, the result a %sTensor", i + 1,
                           TYPE_NAMES[inputs[i]._dtype], TYPE_NAMES[r._dtype])
        if inputs[i]._ndim > max_dim:
            max_dim = inputs[i]._ndim
        if inputs[i] == r:
            return t7_fail("cat: the result cannot be one of the inputs")
    # dim -1: the last dimension of the largest input
    cdef int along = dim if dim >= 0 else (max_dim - 1 if max_dim > 0 else 0)
    if dim < -1 or max_dim > T7_MAX_DIMS:
        return t7_fail("invalid dimension %d", dim + 1)
    cdef int64_t size[32]
    cdef int64_t extent, other
    cdef bint all_empty = True
    for d in range(max_dim):
        extent = size_or_one(inputs[0], d)
        for i in range(1, n):
            other = size_or_one(inputs[i], d)
            if d == along:
                extent += other
            elif extent != other and extent != 0 and other != 0:
                return t7_fail("inconsistent tensor sizes: input %d has size %lld in dimension "
                               "%d where input 1 has %lld", i + 1, <ll>other, d + 1, <ll>extent)
            elif extent == 0:
                extent = other
        if extent != 0:
            all_empty = False
        size[d] = extent
    if all_empty:
        return 0
    if t7_tensor_resize(r, max_dim, size, NULL) != 0:
        return -1
    cdef T7Tensor part
    cdef int64_t offset = 0
    for i in range(n):
        if inputs[i]._ndim == 0:
            continue
        extent = size_or_one(inputs[i], along)
        memcpy(&part, r, sizeof(T7Tensor))
        part._offset += offset * r._stride[along]
        part._size[along] = extent
        if t7_tensor_copy(&part, inputs[i]) != 0:
            return -1
        offset += extent
    return 0
