# Indexing with numpy's rules, 0-based. Integers, slices, None and Ellipsis make a view
# (a slice with a negative step makes a copy: the core's strides are never negative).
# Integer arrays, lists and tensors, and boolean masks (numpy bool arrays, uint8 tensors
# as comparisons give) select copies: their positions become offsets into the storage, and
# the core's index_select / index_copy / index_fill do the moving.


cdef struct BasicIndex:
    Geometry out          # geometry of the view the basic items leave
    int64_t offset
    int nreversed
    int reversed[32]      # output dimensions walked backwards (negative steps)


cdef object index_error(int64_t index, int dim, int64_t size):
    return IndexError("index %d is out of bounds for dimension %d with size %d"
                      % (index, dim, size))


cdef bint is_mask(object item):
    if isinstance(item, _TensorBase):
        return (<_TensorBase>item).ptr._dtype == T7_BYTE
    if isinstance(item, list):
        import numpy
        return numpy.asarray(item).dtype == bool
    return getattr(item, "dtype", None) == bool


cdef object index_array(object item):
    """An integer index (array, list or tensor) as a numpy int64 array."""
    import numpy
    if isinstance(item, _TensorBase):
        if is_floating((<_TensorBase>item).ptr._dtype):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        array = numpy.asarray(item)
    else:
        array = numpy.asarray(item)
        if array.size == 0:
            array = array.astype(numpy.int64)
    if array.dtype.kind not in "iu":
        raise IndexError("arrays used as indices must be of integer (or boolean) type")
    return array.astype(numpy.int64)


cdef tuple parse_index(_TensorBase t, object index, BasicIndex *b):
    """Applies the basic items of index to t's geometry (into b); returns the advanced
    items as a tuple of (output dimension, numpy int64 array) with arrays broadcast."""
    import numpy
    items = index if type(index) is tuple else (index,)
    cdef Geometry g
    geometry(t, &g)
    cdef int consumed = 0
    has_ellipsis = False
    for item in items:
        if item is None:
            continue
        if item is Ellipsis:
            if has_ellipsis:
                raise IndexError("an index can only have a single ellipsis ('...')")
            has_ellipsis = True
        elif is_mask(item):
            consumed += numpy.ndim(item)
        else:
            consumed += 1
    if consumed > g.ndim:
        raise IndexError("too many indices for tensor of dimension %d" % g.ndim)
    cdef int d = 0, k = 0, j
    cdef int64_t i, start, stop, step, n
    b.offset = t.ptr._offset
    b.nreversed = 0
    advanced = []
    for item in items:
        if item is None:
            b.out.size[k] = 1
            b.out.stride[k] = 0
            k += 1
        elif item is Ellipsis:
            for j in range(g.ndim - consumed):
                b.out.size[k] = g.size[d]
                b.out.stride[k] = g.stride[d]
                k += 1
                d += 1
        elif isinstance(item, slice):
            start, stop, step = item.indices(g.size[d])
            n = len(range(start, stop, step))
            if step < 0 and n > 0:
                start = start + (n - 1) * step
                step = -step
                b.reversed[b.nreversed] = k
                b.nreversed += 1
            if n > 0:
                b.offset += start * g.stride[d]
            b.out.size[k] = n
            b.out.stride[k] = g.stride[d] * step
            k += 1
            d += 1
        elif is_mask(item):
            mask = numpy.asarray(item).astype(bool)
            for j in range(mask.ndim):
                if mask.shape[j] != g.size[d + j]:
                    raise IndexError("The shape of the mask %s at index %d does not match the "
                                     "shape of the indexed tensor %s at index %d"
                                     % (tuple(mask.shape), j, tuple(t.shape), d + j))
            for positions in mask.nonzero():
                advanced.append((k, positions.astype(numpy.int64)))
                b.out.size[k] = g.size[d]
                b.out.stride[k] = g.stride[d]
                k += 1
                d += 1
        elif isinstance(item, (int, numpy.integer)) or (
                isinstance(item, _TensorBase) and (<_TensorBase>item)._scalar
                and not is_floating((<_TensorBase>item).ptr._dtype)):
            i = int(item)
            if i < -g.size[d] or i >= g.size[d]:
                raise index_error(i, d, g.size[d])
            if i < 0:
                i += g.size[d]
            b.offset += i * g.stride[d]
            d += 1
        elif isinstance(item, (list, tuple, _TensorBase)) or hasattr(item, "__array__"):
            positions = index_array(item)
            if positions.size and (positions.min() < -g.size[d] or positions.max() >= g.size[d]):
                bad = positions[(positions < -g.size[d]) | (positions >= g.size[d])].flat[0]
                raise index_error(bad, d, g.size[d])
            advanced.append((k, numpy.where(positions < 0, positions + g.size[d], positions)))
            b.out.size[k] = g.size[d]
            b.out.stride[k] = g.stride[d]
            k += 1
            d += 1
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and integer "
                             "or boolean arrays or tensors are valid indices (got %s)"
                             % type(item).__name__)
    while d < g.ndim:
        b.out.size[k] = g.size[d]
        b.out.stride[k] = g.stride[d]
        k += 1
        d += 1
    b.out.ndim = k
    if advanced:
        try:
            arrays = numpy.broadcast_arrays(*[a for _, a in advanced])
        except ValueError:
            raise IndexError("shape mismatch: indexing arrays could not be broadcast together "
                             "with shapes %s" % " ".join(str(a.shape) for _, a in advanced))
        advanced = [(pos, arr) for (pos, _), arr in zip(advanced, arrays)]
    return tuple(advanced)


cdef class Gathering:
    """Where advanced indices take their elements: a view whose first dimension walks the
    storage element by element (the rest are the dimensions no array indexes), the offsets
    into it, and how the result's dimensions are laid out."""
    cdef _TensorBase source
    cdef _TensorBase offsets       # LongTensor of m offsets
    cdef tuple index_shape         # the broadcast shape of the index arrays
    cdef tuple rest_shape
    cdef int insert_at             # where the index dimensions go in the result


cdef Gathering plan_gather(_TensorBase view, BasicIndex *b, tuple advanced):
    import numpy
    cdef Gathering gt = Gathering.__new__(Gathering)
    positions = [pos for pos, _ in advanced]
    adjacent = positions == list(range(positions[0], positions[0] + len(positions)))
    linear = numpy.zeros(advanced[0][1].shape, dtype=numpy.int64)
    for pos, arr in advanced:
        linear += arr * b.out.stride[<int>pos]
    cdef Geometry w
    cdef int d, k = 1
    cdef set taken = set(positions)
    rest = []
    for d in range(b.out.ndim):
        if d not in taken:
            w.size[k] = b.out.size[d]
            w.stride[k] = b.out.stride[d]
            rest.append(b.out.size[d])
            k += 1
    w.ndim = k
    w.size[0] = int(linear.max()) + 1 if linear.size else 1
    w.stride[0] = 1
    gt.source = view_of(view, b.offset, w.ndim, w.size, w.stride)
    gt.offsets = from_numpy(numpy.ascontiguousarray(linear.reshape(-1)))
    gt.index_shape = tuple(linear.shape)
    gt.rest_shape = tuple(rest)
    gt.insert_at = positions[0] if adjacent else 0
    return gt


cdef tuple result_order(Gathering gt):
    """The permutation taking (index dims, rest dims) to the result's order."""
    cdef int ni = len(gt.index_shape), nr = len(gt.rest_shape), p = gt.insert_at
    if p == 0:
        return None
    # rest dims before the arrays' place come first; p counts output dimensions of the view,
    # of which those before the first array are all rest dims
    order = list(range(ni, ni + p)) + list(range(ni)) + list(range(ni + p, ni + nr))
    return tuple(order)


cdef object get_item(_TensorBase t, object index):
    cdef Geometry g
    cdef int64_t i, size0
    if type(index) is int and not t._scalar and t.ptr._ndim > 0:     # the common case
        size0 = t.ptr._size[0]
        i = index
        if i < -size0 or i >= size0:
            raise index_error(i, 0, size0)
        if i < 0:
            i += size0
        return view_of(t, t.ptr._offset + i * t.ptr._stride[0], t.ptr._ndim - 1,
                       t.ptr._size + 1, t.ptr._stride + 1)
    if t._scalar and type(index) is int:
        raise IndexError("invalid index of a 0-dim tensor: use tensor.item() to read its value")
    cdef BasicIndex b
    advanced = parse_index(t, index, &b)
    cdef _TensorBase result = view_of(t, b.offset, b.out.ndim, b.out.size, b.out.stride)
    cdef int d
    if not advanced:
        if nelement(result.ptr) == 0:
            return result
        for d in range(b.nreversed):
            result = flipped(result, b.reversed[d])
        return result
    if nelement(result.ptr) == 0 or advanced[0][1].size == 0:
        return empty_result(t)
    cdef Gathering gt = plan_gather(t, &b, advanced)
    cdef _TensorBase picked = blank(t.ptr._dtype)
    check(t7_index_select(picked.ptr, gt.source.ptr, 0, gt.offsets.ptr, 0))
    picked = reshaped(picked, gt.index_shape + gt.rest_shape, False)
    cdef int ni = len(gt.index_shape)
    rest_positions = [d for d in range(b.out.ndim) if d not in {p for p, _ in advanced}]
    for d in range(b.nreversed):
        picked = flipped(picked, ni + rest_positions.index(b.reversed[d]))
    order = result_order(gt)
    return picked if order is None else picked.permute(order)


cdef _TensorBase empty_result(_TensorBase t):
    """The result of an advanced index selecting nothing (shape (0,) or with a zero)."""
    cdef int64_t zero = 0
    return new_tensor(t.ptr._dtype, 1, &zero)


cdef int set_item(_TensorBase t, object index, object value) except -1:
    cdef BasicIndex b
    cdef int d
    advanced = parse_index(t, index, &b)
    cdef _TensorBase target = view_of(t, b.offset, b.out.ndim, b.out.size, b.out.stride)
    if nelement(target.ptr) == 0:
        return 0
    cdef _TensorBase source
    if not advanced:
        if is_number(value):
            check(t7_tensor_fill(target.ptr, value))
            return 0
        source = as_tensor(value, t.ptr._dtype)
        if source.ptr._storage == t.ptr._storage and source.ptr._storage != NULL:
            source = dense_copy(source)     # overlapping memory: read it all first
        geometry(target, &b.out)
        source = broadcast_to(source, &b.out)
        for d in range(b.nreversed):
            source = flipped(source, b.reversed[d])
        check(t7_tensor_copy(target.ptr, source.ptr))
        return 0
    if advanced[0][1].size == 0:
        return 0
    cdef Gathering gt = plan_gather(t, &b, advanced)
    cdef Geometry shape
    if is_number(value):
        check(t7_index_fill(gt.source.ptr, 0, gt.offsets.ptr, value, 0))
        return 0
    order = result_order(gt)
    result_shape = gt.index_shape + gt.rest_shape
    if order is not None:
        result_shape = tuple(result_shape[o] for o in order)
    shape.ndim = len(result_shape)
    for d in range(shape.ndim):
        shape.size[d] = result_shape[d]
    source = broadcast_to(as_tensor(value, t.ptr._dtype), &shape)
    if order is not None:
        inverse = [0] * len(order)
        for d in range(len(order)):
            inverse[order[d]] = d
        source = source.permute(tuple(inverse))
    cdef int ni = len(gt.index_shape)
    rest_positions = [d for d in range(b.out.ndim) if d not in {p for p, _ in advanced}]
    for d in range(b.nreversed):
        source = flipped(source, ni + rest_positions.index(b.reversed[d]))
    source = dense_copy(source)
    source = reshaped(source, (len(gt.offsets),) + gt.rest_shape, False)
    check(t7_index_copy(gt.source.ptr, 0, gt.offsets.ptr, source.ptr, 0))
    return 0
