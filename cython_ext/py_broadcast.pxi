# Operands for Python's operators: numpy's broadcasting (as stride-0 views, no copy),
# PyTorch's type promotion and conversion of Python values into tensors.


cdef str shape_str(const Geometry *g):
    if g.ndim == 1:
        return "(%d,)" % g.size[0]
    return "(%s)" % ", ".join(str(g.size[d]) for d in range(g.ndim))


cdef int broadcast_geometry(const Geometry *a, const Geometry *b, Geometry *out) except -1:
    """out's sizes: a's and b's broadcast together (numpy's rule), or a RuntimeError that
    names both shapes."""
    cdef int n = a.ndim if a.ndim > b.ndim else b.ndim
    cdef int d, da, db
    cdef int64_t sa, sb
    out.ndim = n
    for d in range(n):
        da = d - (n - a.ndim)
        db = d - (n - b.ndim)
        sa = a.size[da] if da >= 0 else 1
        sb = b.size[db] if db >= 0 else 1
        if sa == sb or sb == 1:
            out.size[d] = sa
        elif sa == 1:
            out.size[d] = sb
        else:
            raise RuntimeError(
                "operands could not be broadcast together with shapes %s and %s: the size of "
                "tensor a (%d) must match the size of tensor b (%d) at non-singleton "
                "dimension %d" % (shape_str(a), shape_str(b), sa, sb, d))
    return 0


cdef _TensorBase broadcast_to(_TensorBase src, const Geometry *target):
    """A view of src with target's sizes: stride 0 along the dimensions it repeats."""
    cdef Geometry g
    geometry(src, &g)
    cdef int64_t stride[32]
    cdef int d, ds, shift = target.ndim - g.ndim
    if shift < 0:
        raise RuntimeError("the shape %s cannot be broadcast to %s: it has more dimensions"
                           % (shape_str(&g), shape_str(target)))
    for d in range(target.ndim):
        ds = d - shift
        if ds < 0 or (g.size[ds] == 1 and target.size[d] != 1):
            stride[d] = 0
        elif g.size[ds] == target.size[d]:
            stride[d] = g.stride[ds]
        else:
            raise RuntimeError("the shape %s cannot be broadcast to %s: the expanded size "
                               "(%d) must match the existing size (%d) at non-singleton "
                               "dimension %d" % (shape_str(&g), shape_str(target),
                                                 target.size[d], g.size[ds], d))
    return view_of(src, src.ptr._offset, target.ndim, target.size, stride)


cdef bint same_shape(_TensorBase a, _TensorBase b) noexcept:
    if a._scalar != b._scalar or a.ptr._ndim != b.ptr._ndim:
        return False
    cdef int d
    for d in range(a.ptr._ndim):
        if a.ptr._size[d] != b.ptr._size[d]:
            return False
    return True


cdef _TensorBase converted(_TensorBase t, int dtype):
    """t itself if of dtype, else a copy converted to it."""
    if t.ptr._dtype == dtype:
        return t
    cdef _TensorBase r = new_like(t, dtype)
    if nelement(t.ptr) > 0:
        check(t7_tensor_copy(r.ptr, t.ptr))
    return r


cdef inline bint is_number(object x) noexcept:
    return type(x) is float or type(x) is int or type(x) is bool


cdef int number_dtype(object x) except -1:
    """The dtype a Python number standing alone gets: PyTorch's, but uint8 for a bool."""
    if isinstance(x, bool):
        return T7_BYTE
    if isinstance(x, int):
        return T7_LONG
    if isinstance(x, float):
        return DEFAULT_FLOAT
    raise TypeError("unsupported operand type: %s" % type(x).__name__)


cdef int scalar_result_dtype(int tensor_dtype, object x) except -1:
    """A tensor mixed with a Python number keeps its dtype, unless the number is a float
    and the tensor integer (then the default float type)."""
    if isinstance(x, float) and not is_floating(tensor_dtype):
        return DEFAULT_FLOAT
    if not (isinstance(x, int) or isinstance(x, float)):
        raise TypeError("unsupported operand type: %s" % type(x).__name__)
    return tensor_dtype


cdef int tensor_pair_dtype(_TensorBase a, _TensorBase b) noexcept:
    """PyTorch's promotion, where a 0-d tensor of the same kind (floating or integer) as a
    dimensioned one takes that one's dtype, as a number would."""
    cdef int da = a.ptr._dtype, db = b.ptr._dtype
    if a._scalar != b._scalar and is_floating(da) == is_floating(db):
        return db if a._scalar else da
    return promote_types(da, db)


cdef _TensorBase as_tensor(object x, int dtype):
    """x (a Tensor, a number, nested lists, a numpy array) as a tensor of dtype (-1: its
    own, or the default for Python values)."""
    if isinstance(x, _TensorBase):
        return x if dtype < 0 else converted(<_TensorBase>x, dtype)
    return tensor_from_data(x, dtype)


cdef _TensorBase flipped(_TensorBase t, int dim):
    """A copy of t with dimension dim reversed."""
    cdef Geometry g
    geometry(t, &g)
    cdef int64_t n = g.size[dim]
    cdef _TensorBase order = new_tensor(T7_LONG, 1, &n)
    check(t7_range_fill(order.ptr, n - 1, -1))
    cdef _TensorBase r = blank(t.ptr._dtype)
    check(t7_index_select(r.ptr, t.ptr, dim, order.ptr, 0))
    return r
