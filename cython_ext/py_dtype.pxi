# Element types as Python objects (t7.float32, ...), as a PyTorch user names them. A dtype
# compares equal to its name ("float32"), to its aliases and to numpy's type of the same
# name, so code written against numpy dtypes keeps working.

DTYPE_NAMES = ("uint8", "int8", "int16", "int32", "int64", "float32", "float64", "float16")
TYPE_PREFIXES = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half")

cdef class DType:
    """An element type of tensors: t7.float32, t7.int64, ..."""

    cdef readonly int code
    cdef readonly str name

    def __reduce__(self):
        return (dtype_from, (self.name,))

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return ELEMENT_SIZES[self.code]

    @property
    def is_floating_point(self) -> bool:
        return is_floating(self.code)

    @property
    def is_signed(self) -> bool:
        return self.code != T7_BYTE

    @property
    def numpy_dtype(self):
        """numpy's dtype of the same name."""
        import numpy
        return numpy.dtype(self.name)

    @property
    def dtype(self):
        # numpy.dtype(x) reads x.dtype: lets numpy accept a DType wherever it takes a dtype
        return self.numpy_dtype

    @property
    def lua_class(self) -> str:
        """The Torch7 tensor class of this type, e.g. 'torch.FloatTensor'."""
        return "torch.%sTensor" % TYPE_PREFIXES[self.code]

    def __repr__(self):
        return "t7." + self.name

    def __str__(self):
        return "t7." + self.name

    def __hash__(self):
        return hash(self.name)

    def __eq__(self, other):
        if type(other) is DType:
            return (<DType>other).code == self.code
        try:
            return dtype_code(other) == self.code
        except (TypeError, ValueError):
            return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


cdef DType _make_dtype(int code):
    cdef DType d = DType.__new__(DType)
    d.code = code
    d.name = DTYPE_NAMES[code]
    return d


cdef tuple DTYPES = tuple(_make_dtype(code) for code in range(8))
uint8, int8, int16, int32, int64, float32, float64, float16 = DTYPES

# names a user may write, PyTorch's aliases included
cdef dict _DTYPE_BY_NAME = {d.name: d.code for d in DTYPES}
_DTYPE_BY_NAME.update({"byte": T7_BYTE, "char": T7_CHAR, "short": T7_SHORT, "int": T7_INT,
                       "long": T7_LONG, "float": T7_FLOAT, "double": T7_DOUBLE,
                       "half": T7_HALF})


cdef int dtype_code(object d) except -1:
    """The element type named by `d`: a DType, a name ('float32', 'long', 't7.int64',
    'torch.float64'), a numpy dtype or type, or Python's float (float64) and int (int64)."""
    if type(d) is DType:
        return (<DType>d).code
    if isinstance(d, str):
        name = d.split(".", 1)[1] if d.startswith(("t7.", "torch.")) else d
        if name in _DTYPE_BY_NAME:
            return _DTYPE_BY_NAME[name]
        raise ValueError("unknown dtype %r (expected one of %s)"
                         % (d, ", ".join(sorted(_DTYPE_BY_NAME))))
    if d is float:
        return T7_DOUBLE
    if d is int:
        return T7_LONG
    if d is bool:
        raise TypeError("t7 tensors have no bool type: use t7.uint8 (comparisons give uint8)")
    module = type(d).__module__
    if module == "torch":                     # torch.float32 and friends
        return dtype_code(str(d))
    if module.startswith("numpy") or isinstance(d, type):
        import numpy
        try:
            name = numpy.dtype(d).name
        except TypeError:
            raise TypeError("not a dtype: %r" % (d,)) from None
        if name == "bool":
            return dtype_code(bool)
        if name in _DTYPE_BY_NAME:
            return _DTYPE_BY_NAME[name]
        raise TypeError("unsupported dtype %r (supported: %s)" % (name, ", ".join(DTYPE_NAMES)))
    raise TypeError("not a dtype: %r" % (d,))


def dtype_from(d):
    """The DType object for anything dtype_code accepts."""
    return DTYPES[dtype_code(d)]


cdef int promote_types(int a, int b) noexcept:
    """PyTorch's promotion: floats win (the wider one; half with float gives float), then
    the wider integer; uint8 with int8 gives int16."""
    if a == b:
        return a
    cdef bint fa = is_floating(a), fb = is_floating(b)
    if fa and fb:
        return T7_DOUBLE if a == T7_DOUBLE or b == T7_DOUBLE else T7_FLOAT
    if fa:
        return a
    if fb:
        return b
    if (a == T7_BYTE and b == T7_CHAR) or (a == T7_CHAR and b == T7_BYTE):
        return T7_SHORT
    return a if a > b else b


def promote_types_py(a, b):
    """The dtype of a result mixing dtypes a and b (torch.promote_types)."""
    return DTYPES[promote_types(dtype_code(a), dtype_code(b))]
