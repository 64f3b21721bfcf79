# Views: tensors sharing their storage with another under a new geometry (reshape, permute,
# expand, ...), and indexing (py_index.pxi does the work). Each method first hands itself to
# the autograd when its tensor records (py_grad.pxi).


cdef int parse_shape(tuple args, int64_t numel, int64_t *size, bint infer) except -1:
    """Sizes given as ints or one sequence, with at most one -1 inferred from numel;
    returns the number of dimensions."""
    if len(args) == 1 and not isinstance(args[0], int):
        args = tuple(args[0])
    cdef int n = len(args), d, unknown = -1
    cdef int64_t known = 1
    if n > T7_MAX_DIMS:
        raise ValueError("a tensor has at most %d dimensions, got %d" % (T7_MAX_DIMS, n))
    for d in range(n):
        size[d] = args[d]
        if size[d] == -1 and infer:
            if unknown >= 0:
                raise RuntimeError("only one dimension can be inferred")
            unknown = d
        elif size[d] < 0:
            raise RuntimeError("invalid shape dimension %d" % size[d])
        else:
            known *= size[d]
    if unknown >= 0:
        if known == 0 or numel % known:
            raise RuntimeError("shape '%s' is invalid for input of size %d"
                               % (list(args), numel))
        size[unknown] = numel // known
    elif infer and known != numel:
        raise RuntimeError("shape '%s' is invalid for input of size %d" % (list(args), numel))
    return n


cdef _TensorBase reshaped(_TensorBase t, tuple args, bint copy_if_needed):
    cdef int64_t size[32]
    cdef int ndim = parse_shape(args, nelement(t.ptr), size, True)
    if nelement(t.ptr) == 0:
        return new_tensor(t.ptr._dtype, ndim, size)
    if not contiguous(t.ptr):
        if not copy_if_needed:
            raise RuntimeError("view size is not compatible with input tensor's size and "
                               "stride (it is not contiguous): use .reshape(...) instead")
        t = dense_copy(t)
    return view_of(t, t.ptr._offset, ndim, size, NULL)


cdef _TensorBase dense_copy(_TensorBase t):
    cdef _TensorBase r = new_like(t, t.ptr._dtype)
    if nelement(t.ptr) > 0:
        check(t7_tensor_copy(r.ptr, t.ptr))
    return r


cdef _TensorBase permuted(_TensorBase t, const int *order, int ndim):
    cdef Geometry g, out
    geometry(t, &g)
    cdef int d
    for d in range(ndim):
        out.size[d] = g.size[order[d]]
        out.stride[d] = g.stride[order[d]]
    return view_of(t, t.ptr._offset, ndim, out.size, out.stride)


cdef class _TensorViews(_TensorBase):
    """Views and indexing."""

    def view(self, *shape):
        """A view with another shape (one size may be -1); the tensor must be contiguous."""
        if recording(self):
            return grad_dispatch("view", (self,) + shape, {})
        return reshaped(self, shape, False)

    def reshape(self, *shape):
        """This tensor with another shape: a view when contiguous, else a copy."""
        if recording(self):
            return grad_dispatch("reshape", (self,) + shape, {})
        return reshaped(self, shape, True)

    def view_as(self, other):
        return self.view(other.shape)

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        """Dimensions start_dim to end_dim merged into one."""
        if recording(self):
            return grad_dispatch("flatten", (self, start_dim, end_dim), {})
        cdef int n = py_ndim(self)
        if n == 0:
            return self.reshape(1)
        cdef int s = normalize_dim(start_dim, n), e = normalize_dim(end_dim, n)
        if s > e:
            raise ValueError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = tuple(self.shape)
        return self.reshape(shape[:s] + (-1,) + shape[e + 1:])

    def contiguous(self):
        """self if contiguous, else a contiguous copy."""
        if contiguous(self.ptr):
            return self
        if recording(self):
            return grad_dispatch("contiguous", (self,), {})
        return dense_copy(self)

    def clone(self):
        """A copy in new memory."""
        if recording(self):
            return grad_dispatch("clone", (self,), {})
        return dense_copy(self)

    def permute(self, *dims):
        """A view with the dimensions in the order given."""
        if recording(self):
            return grad_dispatch("permute", (self,) + dims, {})
        if len(dims) == 1 and not isinstance(dims[0], int):
            dims = tuple(dims[0])
        cdef int n = py_ndim(self), d
        cdef int order[32]
        if len(dims) != n:
            raise RuntimeError("permute: the number of dims (%d) does not match the tensor's "
                               "(%d)" % (len(dims), n))
        seen = set()
        for d in range(n):
            order[d] = normalize_dim(dims[d], n)
            if order[d] in seen:
                raise RuntimeError("permute: repeated dim %d" % order[d])
            seen.add(order[d])
        return permuted(self, order, n)

    def transpose(self, dim0, dim1):
        """A view with dimensions dim0 and dim1 swapped."""
        if recording(self):
            return grad_dispatch("transpose", (self, dim0, dim1), {})
        cdef int n = py_ndim(self), d
        cdef int order[32]
        if n == 0:
            return self
        for d in range(n):
            order[d] = d
        cdef int a = normalize_dim(dim0, n), b = normalize_dim(dim1, n)
        order[a], order[b] = b, a
        return permuted(self, order, n)

    swapaxes = transpose

    def t(self):
        """The transpose of a matrix (a vector or scalar is returned as it is)."""
        if py_ndim(self) > 2:
            raise RuntimeError("t() expects a tensor with <= 2 dimensions, but self is %dD"
                               % py_ndim(self))
        if py_ndim(self) < 2:
            return self
        return self.transpose(0, 1)

    @property
    def T(self):
        """The dimensions reversed."""
        return self.permute(tuple(range(py_ndim(self) - 1, -1, -1)))

    @property
    def mT(self):
        return self.transpose(-2, -1)

    def squeeze(self, dim=None):
        """A view without the dimensions of size 1 (or only `dim`, if of size 1)."""
        if recording(self):
            return grad_dispatch("squeeze", (self, dim), {})
        cdef Geometry g, out
        geometry(self, &g)
        cdef int d, k = 0, only = -1
        if dim is not None:
            only = normalize_dim(dim, g.ndim)
            if g.ndim == 0:
                return self.view(())
        for d in range(g.ndim):
            if g.size[d] == 1 and (only < 0 or only == d):
                continue
            out.size[k] = g.size[d]
            out.stride[k] = g.stride[d]
            k += 1
        return view_of(self, self.ptr._offset, k, out.size, out.stride)

    def unsqueeze(self, dim):
        """A view with a dimension of size 1 inserted at `dim`."""
        if recording(self):
            return grad_dispatch("unsqueeze", (self, dim), {})
        cdef Geometry g, out
        geometry(self, &g)
        cdef int at = normalize_dim(dim, g.ndim + 1), d
        for d in range(g.ndim + 1):
            if d < at:
                out.size[d], out.stride[d] = g.size[d], g.stride[d]
            elif d == at:
                out.size[d] = 1
                out.stride[d] = g.stride[d] * g.size[d] if d < g.ndim else 1
            else:
                out.size[d], out.stride[d] = g.size[d - 1], g.stride[d - 1]
        return view_of(self, self.ptr._offset, g.ndim + 1, out.size, out.stride)

    def expand(self, *sizes):
        """A view repeating dimensions of size 1 (stride 0); -1 keeps a size."""
        if recording(self):
            return grad_dispatch("expand", (self,) + sizes, {})
        if len(sizes) == 1 and not isinstance(sizes[0], int):
            sizes = tuple(sizes[0])
        cdef Geometry g, target
        geometry(self, &g)
        cdef int d, shift = len(sizes) - g.ndim
        target.ndim = len(sizes)
        if shift < 0:
            raise RuntimeError("expand: the number of sizes provided (%d) must be greater or "
                               "equal to the number of dimensions in the tensor (%d)"
                               % (len(sizes), g.ndim))
        for d in range(target.ndim):
            target.size[d] = sizes[d]
            if target.size[d] == -1:
                if d < shift:
                    raise RuntimeError("expand: -1 is not allowed in a new leading dimension")
                target.size[d] = g.size[d - shift]
        return broadcast_to(self, &target)

    def expand_as(self, other):
        return self.expand(other.shape)

    def narrow(self, dim, start, length):
        """A view of `length` indices of dimension `dim` from `start`."""
        if recording(self):
            return grad_dispatch("narrow", (self, dim, start, length), {})
        cdef int n = py_ndim(self)
        d = normalize_dim(dim, n)
        index = [slice(None)] * d + [slice(start, start + length)]
        if start < 0 or length < 0 or start + length > self.shape[d]:
            raise IndexError("narrow: start (%d) + length (%d) exceeds dimension size (%d)"
                             % (start, length, self.shape[d]))
        return get_item(self, tuple(index))

    def select(self, dim, index):
        """The slice at `index` of dimension `dim` (a view, one dimension fewer)."""
        if recording(self):
            return grad_dispatch("select", (self, dim, index), {})
        d = normalize_dim(dim, py_ndim(self))
        return get_item(self, (slice(None),) * d + (index,))

    def unbind(self, dim=0):
        """The slices along `dim`, as a tuple of views."""
        d = normalize_dim(dim, py_ndim(self))
        return tuple(self.select(d, i) for i in range(self.shape[d]))

    def __iter__(self):
        if self._scalar:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __getitem__(self, index):
        if recording(self):
            return grad_dispatch("__getitem__", (self, index), {})
        return get_item(self, index)

    def __setitem__(self, index, value):
        if recording2(self, value):
            grad_dispatch("__setitem__", (self, index, value), {})
            return
        set_item(self, index, value)
