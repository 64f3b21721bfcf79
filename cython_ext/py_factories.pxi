# Making tensors from Python: t7.tensor(data), zeros/ones/empty/full, ranges, random draws
# (Torch7's Mersenne Twister, seeded by t7.manual_seed), cat/stack and where.

cdef T7Generator *python_generator = t7_generator_new()

cdef enum RandomFill:
    RANDOM_UNIFORM, RANDOM_NORMAL, RANDOM_INTEGERS, RANDOM_BERNOULLI


def manual_seed(seed):
    """Seeds the generator of t7.rand, randn, randint, ... (Torch7's Mersenne Twister, so
    t7.manual_seed(s) then t7.rand(n) draws what torch.manualSeed(s); torch.rand(n) draws in
    Lua)."""
    t7_manual_seed(python_generator, <uint64_t>seed)


def initial_seed():
    return t7_initial_seed(python_generator)


def seed():
    """Seeds the generator from the clock; returns the seed."""
    return t7_seed(python_generator)


cdef int fill_random(_TensorBase t, int kind, double a, double b) except -1:
    cdef _TensorBase work = t
    if t.ptr._dtype == T7_HALF:
        work = converted(t, T7_FLOAT)
    if nelement(work.ptr) == 0:
        return 0
    if kind == RANDOM_UNIFORM:
        check(t7_tensor_uniform(work.ptr, python_generator, a, b))
    elif kind == RANDOM_NORMAL:
        check(t7_tensor_normal(work.ptr, python_generator, a, b))
    elif kind == RANDOM_BERNOULLI:
        check(t7_tensor_bernoulli(work.ptr, python_generator, a))
    else:
        if b < a:
            raise RuntimeError("random_ expects 'from' to be less than 'to', but got from=%d "
                               ">= to=%d" % (a, b + 1))
        check(t7_tensor_random_range(work.ptr, python_generator, <int64_t>a, <int64_t>b))
    if work is not t:
        check(t7_tensor_copy(t.ptr, work.ptr))
    return 0


cdef _TensorBase tensor_from_data(object data, int dtype):
    """A new tensor holding a copy of data (numbers, nested sequences, numpy arrays,
    tensors); dtype -1: float32 for floats and int64 for integers given as Python values,
    a numpy array's own dtype."""
    import numpy
    if is_number(data):
        return number_tensor(data, number_dtype(data) if dtype < 0 else dtype)
    if isinstance(data, _TensorBase):
        return dense_copy(converted(<_TensorBase>data, dtype)) if dtype >= 0 else \
            dense_copy(<_TensorBase>data)
    given_array = isinstance(data, numpy.ndarray) or isinstance(data, numpy.generic)
    if isinstance(data, (list, tuple)) and any(isinstance(x, _TensorBase) for x in data):
        data = [numpy.asarray(x) for x in data]
    try:
        array = numpy.asarray(data)
    except ValueError as e:
        raise ValueError("t7.tensor: the data is not a regular array (%s)" % e) from None
    if array.dtype == bool:
        array = array.astype(numpy.uint8)
        dtype = T7_BYTE if dtype < 0 else dtype
    if dtype < 0:
        kind = array.dtype.kind
        if kind == "f" and not given_array:
            dtype = DEFAULT_FLOAT
        elif kind in "iu" and not given_array:
            dtype = T7_LONG
        elif array.dtype.name in DTYPE_NAMES:
            dtype = DTYPE_NAMES.index(array.dtype.name)
        elif array.size == 0:
            dtype = DEFAULT_FLOAT
        elif kind == "u" or kind == "i":
            raise TypeError("t7.tensor: unsupported integer type %s" % array.dtype)
        else:
            raise TypeError("t7.tensor: can't convert data of type %s (supported: numbers of "
                            "types %s)" % (array.dtype, ", ".join(DTYPE_NAMES)))
    array = numpy.asarray(array, dtype=DTYPE_NAMES[dtype], order="C")
    cdef int64_t size[32]
    cdef int d, ndim = array.ndim
    if ndim > T7_MAX_DIMS:
        raise ValueError("a tensor has at most %d dimensions" % T7_MAX_DIMS)
    for d in range(ndim):
        size[d] = array.shape[d]
    cdef _TensorBase r = new_tensor(dtype, ndim, size)
    if array.size:
        check(t7_tensor_copy(r.ptr, (<_TensorBase>from_numpy(array)).ptr))
    return r


def tensor(data, dtype=None, *, requires_grad=False):
    """A new tensor holding a copy of data (numbers, nested lists, numpy arrays). Python
    floats give float32 and integers int64; a numpy array keeps its dtype."""
    cdef _TensorBase r = tensor_from_data(data, -1 if dtype is None else dtype_code(dtype))
    if requires_grad:
        r.requires_grad = True
    return r


def as_tensor_py(data, dtype=None):
    """data itself if a tensor of dtype, else t7.tensor(data, dtype)."""
    if isinstance(data, _TensorBase):
        return data if dtype is None else data.to(dtype)
    return tensor(data, dtype)


cdef tuple size_args(tuple size):
    if len(size) == 1 and not isinstance(size[0], int):
        return tuple(size[0])
    return size


cdef _TensorBase shaped(tuple size, object dtype, int default_dtype):
    cdef int64_t dims[32]
    size = size_args(size)
    cdef int ndim = parse_shape(size, 0, dims, False)
    return new_tensor(default_dtype if dtype is None else dtype_code(dtype), ndim, dims)


cdef object with_grad_flag(_TensorBase t, bint requires_grad):
    if requires_grad:
        t.requires_grad = True
    return t


def empty(*size, dtype=None, requires_grad=False):
    """A tensor of the given shape whose values are whatever its memory held."""
    return with_grad_flag(shaped(size, dtype, DEFAULT_FLOAT), requires_grad)


def zeros(*size, dtype=None, requires_grad=False):
    """A tensor of zeros (float32 by default)."""
    cdef _TensorBase t = shaped(size, dtype, DEFAULT_FLOAT)
    check(t7_tensor_fill(t.ptr, 0))
    return with_grad_flag(t, requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    cdef _TensorBase t = shaped(size, dtype, DEFAULT_FLOAT)
    check(t7_tensor_fill(t.ptr, 1))
    return with_grad_flag(t, requires_grad)


def full(size, fill_value, *, dtype=None, requires_grad=False):
    """A tensor of shape `size` filled with fill_value (whose type gives the default
    dtype)."""
    cdef _TensorBase t = shaped((size,) if isinstance(size, int) else tuple(size), dtype,
                                number_dtype(fill_value))
    check(t7_tensor_fill(t.ptr, fill_value))
    return with_grad_flag(t, requires_grad)


def zeros_like(other, *, dtype=None, requires_grad=False):
    return zeros(other.shape, dtype=other.dtype if dtype is None else dtype,
                 requires_grad=requires_grad)


def ones_like(other, *, dtype=None, requires_grad=False):
    return ones(other.shape, dtype=other.dtype if dtype is None else dtype,
                requires_grad=requires_grad)


def empty_like(other, *, dtype=None, requires_grad=False):
    return empty(other.shape, dtype=other.dtype if dtype is None else dtype,
                 requires_grad=requires_grad)


def full_like(other, fill_value, *, dtype=None, requires_grad=False):
    return full(other.shape, fill_value, dtype=other.dtype if dtype is None else dtype,
                requires_grad=requires_grad)


def rand_like(other, *, dtype=None, requires_grad=False):
    return rand(other.shape, dtype=other.dtype if dtype is None else dtype,
                requires_grad=requires_grad)


def randn_like(other, *, dtype=None, requires_grad=False):
    return randn(other.shape, dtype=other.dtype if dtype is None else dtype,
                 requires_grad=requires_grad)


def arange(start, end=None, step=1, *, dtype=None, requires_grad=False):
    """Values from start (0 if only end is given) up to end, excluded, step apart; int64
    when all are integers, else float32."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    integral = all(isinstance(v, int) for v in (start, end, step))
    import math
    cdef int64_t n = max(0, <int64_t>math.ceil((end - start) / step))
    cdef int code = dtype_code(dtype) if dtype is not None else (
        T7_LONG if integral else DEFAULT_FLOAT)
    cdef _TensorBase t = new_tensor(code, 1, &n)
    if n:
        check(t7_range_fill(t.ptr, start, step))
    return with_grad_flag(t, requires_grad)


def linspace(start, end, steps, *, dtype=None, requires_grad=False):
    """steps values evenly spaced from start to end, both included."""
    cdef int64_t n = steps
    if n < 0:
        raise RuntimeError("linspace: number of steps must be non-negative")
    cdef _TensorBase t = new_tensor(DEFAULT_FLOAT if dtype is None else dtype_code(dtype), 1, &n)
    if n == 1:
        check(t7_tensor_fill(t.ptr, start))
    elif n > 1:
        check(t7_linspace_fill(t.ptr, start, end))
    return with_grad_flag(t, requires_grad)


def eye(n, m=None, *, dtype=None, requires_grad=False):
    """The n x m identity matrix."""
    t = zeros(n, n if m is None else m, dtype=dtype)
    k = min(n, n if m is None else m)
    if k:
        t.view(-1)[::(n if m is None else m) + 1] = 1
    return with_grad_flag(t, requires_grad)


def rand(*size, dtype=None, requires_grad=False):
    """Values drawn uniformly in [0, 1)."""
    cdef _TensorBase t = shaped(size, dtype, DEFAULT_FLOAT)
    fill_random(t, RANDOM_UNIFORM, 0, 1)
    return with_grad_flag(t, requires_grad)


def randn(*size, dtype=None, requires_grad=False):
    """Standard normal draws."""
    cdef _TensorBase t = shaped(size, dtype, DEFAULT_FLOAT)
    fill_random(t, RANDOM_NORMAL, 0, 1)
    return with_grad_flag(t, requires_grad)


def randint(low, high=None, size=None, *, dtype=None):
    """Integers drawn uniformly in [low, high) (int64 by default): randint(high, size) or
    randint(low, high, size)."""
    if size is None:
        low, high, size = 0, low, high
    if size is None:
        raise TypeError("randint() needs a size")
    cdef _TensorBase t = shaped(tuple(size) if not isinstance(size, int) else (size,), dtype,
                                T7_LONG)
    fill_random(t, RANDOM_INTEGERS, low, high - 1)
    return t


def randperm(n, *, dtype=None):
    """A random permutation of 0 .. n-1."""
    cdef _TensorBase t = blank(T7_LONG)
    check(t7_randperm(t.ptr, python_generator, n, 0))
    return t if dtype is None else t.to(dtype)


def cat(tensors, dim=0):
    """The tensors joined along dim (all of one shape but along dim)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat: expected a non-empty sequence of tensors")
    if recording_any(tuple(tensors)):
        return grad_dispatch("cat", (tensors, dim), {})
    items = [as_tensor(t, -1) for t in tensors]
    cdef int dtype = (<_TensorBase>items[0]).ptr._dtype
    for t in items:
        dtype = promote_types(dtype, (<_TensorBase>t).ptr._dtype)
        if py_ndim(t) == 0:
            raise RuntimeError("zero-dimensional tensor cannot be concatenated")
    items = [converted(t, dtype) for t in items if nelement((<_TensorBase>t).ptr) > 0]
    if not items:
        return tensor([], dtype=DTYPES[dtype])
    cdef int n = len(items), i
    cdef int d = normalize_dim(dim, py_ndim(items[0]))
    ref = tuple(items[0].shape)
    for t in items:
        shape = tuple(t.shape)
        if len(shape) != len(ref) or shape[:d] + shape[d + 1:] != ref[:d] + ref[d + 1:]:
            raise RuntimeError("cat: sizes of tensors must match except in dimension %d: "
                               "expected %s, got %s" % (d, ref, shape))
    cdef T7Tensor **inputs = <T7Tensor **>malloc(n * sizeof(T7Tensor *))
    if inputs == NULL:
        raise MemoryError()
    for i in range(n):
        inputs[i] = (<_TensorBase>items[i]).ptr
    cdef _TensorBase r = blank(dtype)
    try:
        check(t7_cat(r.ptr, inputs, n, d))
    finally:
        free(inputs)
    return r


def stack(tensors, dim=0):
    """The tensors (all of one shape) stacked along a new dimension dim."""
    tensors = [as_tensor(t, -1) for t in tensors]
    if not tensors:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    ref = tuple(tensors[0].shape)
    for t in tensors:
        if tuple(t.shape) != ref:
            raise RuntimeError("stack expects each tensor to be equal size, but got %s and %s"
                               % (ref, tuple(t.shape)))
    d = normalize_dim(dim, len(ref) + 1)
    return cat([t.unsqueeze(d) for t in tensors], d)


def where(condition, input=None, other=None):
    """Elements of input where condition is non-zero, of other elsewhere (all three
    broadcast together); with the condition alone, the positions of its non-zeros."""
    cdef _TensorBase c = as_tensor(condition, -1)
    if input is None and other is None:
        return tuple(tensor(p) for p in numpy_nonzero(c))
    if recording_any((input, other)):
        return grad_dispatch("where", (condition, input, other), {})
    cdef _TensorBase x = as_tensor(input, -1) if not is_number(input) else None
    cdef _TensorBase y = as_tensor(other, -1) if not is_number(other) else None
    if x is None and y is None:
        dtype = promote_types(number_dtype(input), number_dtype(other))
    elif x is None:
        dtype = scalar_result_dtype(y.ptr._dtype, input)
    elif y is None:
        dtype = scalar_result_dtype(x.ptr._dtype, other)
    else:
        dtype = tensor_pair_dtype(x, y)
    x = number_tensor(input, dtype) if x is None else converted(x, dtype)
    y = number_tensor(other, dtype) if y is None else converted(y, dtype)
    cdef Geometry gc, gx, gy, g1, out
    geometry(c, &gc)
    geometry(x, &gx)
    geometry(y, &gy)
    broadcast_geometry(&gc, &gx, &g1)
    broadcast_geometry(&g1, &gy, &out)
    cdef _TensorBase r = new_tensor(dtype, out.ndim, out.size)
    if nelement(r.ptr) == 0:
        return r
    check(t7_tensor_copy(r.ptr, broadcast_to(y, &out).ptr))
    cdef _TensorBase mask = dense_copy(broadcast_to(binary(B_CMP + T7_CMP_NE, c, 0, False),
                                                         &out))
    cdef _TensorBase picked = blank(dtype)
    check(t7_masked_select(picked.ptr, broadcast_to(x, &out).ptr, mask.ptr))
    if nelement(picked.ptr) > 0:
        check(t7_masked_copy(r.ptr, mask.ptr, picked.ptr))
    return r


cdef object numpy_nonzero(_TensorBase t):
    import numpy
    return numpy.nonzero(numpy.asarray(t))
