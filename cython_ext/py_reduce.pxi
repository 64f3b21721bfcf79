# Reductions for Python: over all elements (a 0-d tensor, as PyTorch) or along dims, with
# keepdim; integers sum into int64 as PyTorch's do. The kernels are reduce.pxi's.

from collections import namedtuple

ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])

cdef enum Reduction:
    R_SUM, R_PROD, R_MEAN, R_VAR, R_STD, R_NORM, R_MAX, R_MIN, R_ALL, R_ANY

cdef tuple REDUCTION_NAMES = ("sum", "prod", "mean", "var", "std", "norm", "amax", "amin",
                              "all", "any")


cdef _TensorBase drop_dims(_TensorBase r, object dims):
    """r without the (size 1) dimensions `dims`."""
    cdef Geometry g, out
    geometry(r, &g)
    cdef int d, k = 0
    for d in range(g.ndim):
        if d not in dims:
            out.size[k] = g.size[d]
            out.stride[k] = g.stride[d]
            k += 1
    return view_of(r, r.ptr._offset, k, out.size, out.stride)


cdef tuple reduction_dims(object dim, int ndim):
    if isinstance(dim, (tuple, list)):
        dims = tuple(sorted({normalize_dim(d, ndim) for d in dim}))
    else:
        dims = (normalize_dim(dim, ndim),)
    return dims


cdef _TensorBase reduce_one(int op, _TensorBase t, int d, double p, bint biased):
    """op along dimension d, kept with size 1."""
    cdef _TensorBase r = blank(t.ptr._dtype)
    if op == R_SUM or op == R_MEAN:
        check(t7_sum_dim(r.ptr, t.ptr, d))
    elif op == R_PROD:
        check(t7_prod_dim(r.ptr, t.ptr, d))
    elif op == R_VAR or op == R_STD:
        check(t7_var_dim(r.ptr, t.ptr, d, biased, op == R_STD))
    elif op == R_NORM:
        check(t7_norm_dim(r.ptr, t.ptr, p, d))
    elif op == R_MAX or op == R_ALL:
        check(t7_max_dim(r.ptr, NULL, t.ptr, d, 0) if op == R_MAX else
              t7_min_dim(r.ptr, NULL, t.ptr, d, 0))
    else:       # R_MIN, R_ANY
        check(t7_min_dim(r.ptr, NULL, t.ptr, d, 0) if op == R_MIN else
              t7_max_dim(r.ptr, NULL, t.ptr, d, 0))
    return r


cdef object reduce(int op, _TensorBase t, object dim, bint keepdim, double p, bint biased,
                   object dtype):
    cdef int n = py_ndim(t), d, work
    cdef int source = t.ptr._dtype if dtype is None else dtype_code(dtype)
    cdef double value
    cdef int flag
    cdef int64_t count = 1, one = 1
    cdef _TensorBase x, r
    if op == R_MEAN or op == R_VAR or op == R_STD or op == R_NORM:
        if not is_floating(source):
            raise RuntimeError("%s(): could not infer output dtype. Input dtype must be either "
                               "a floating point or complex dtype. Got: %s"
                               % (REDUCTION_NAMES[op], DTYPE_NAMES[source].capitalize()))
    work = compute_type(source)
    if (op == R_SUM or op == R_PROD) and not is_floating(work):
        work = T7_LONG
    if op == R_ALL or op == R_ANY:
        x = binary(B_CMP + T7_CMP_NE, t, 0, False)
    else:
        x = converted(t, work)
    cdef int result_dtype = T7_BYTE if op == R_ALL or op == R_ANY else (
        T7_HALF if source == T7_HALF else work)
    if dim is None:
        if nelement(x.ptr) == 0:
            if op == R_SUM or op == R_ANY:
                value = 0
            elif op == R_PROD or op == R_ALL:
                value = 1
            elif op == R_MEAN or op == R_VAR or op == R_STD:
                value = NAN
            else:
                raise RuntimeError("%s(): cannot reduce a tensor with no elements"
                                   % REDUCTION_NAMES[op])
        elif op == R_SUM and not is_floating(work) or op == R_PROD and not is_floating(work):
            r = reduce_one(op, reshaped(x, (-1,), True), 0, p, biased)
            r._scalar = True
            return reshaped(r, (1,) * n, False) if keepdim and n > 0 else r
        elif op == R_SUM or op == R_MEAN:
            check(t7_sum_all(x.ptr, &value))
            if op == R_MEAN:
                value /= nelement(x.ptr)
        elif op == R_PROD:
            check(t7_prod_all(x.ptr, &value))
        elif op == R_VAR or op == R_STD:
            check(t7_var_all(x.ptr, biased, &value))
            if op == R_STD:
                value = sqrt(value)
        elif op == R_NORM:
            check(t7_norm_all(x.ptr, p, &value))
        elif op == R_MAX:
            check(t7_max_all(x.ptr, &value))
        elif op == R_MIN:
            check(t7_min_all(x.ptr, &value))
        elif op == R_ALL:
            check(t7_logical_all(x.ptr, &flag))
            value = flag
        else:
            check(t7_logical_any(x.ptr, &flag))
            value = flag
        r = number_tensor(value, result_dtype)
        if keepdim and n > 0:
            return reshaped(r, (1,) * n, False)
        return r
    dims = reduction_dims(dim, n)
    if len(dims) > 1 and op not in (R_SUM, R_PROD, R_MEAN, R_MAX, R_MIN, R_ALL, R_ANY):
        raise RuntimeError("%s(): one dimension at a time" % REDUCTION_NAMES[op])
    if nelement(x.ptr) == 0:
        raise RuntimeError("%s(): cannot reduce a tensor with no elements along a dimension"
                           % REDUCTION_NAMES[op])
    r = x
    for d in dims:
        r = reduce_one(op, r, 0 if n == 0 else d, p, biased)
        count *= x.ptr._size[d] if n > 0 else 1
    if op == R_MEAN:
        check(t7_div_scalar(r.ptr, r.ptr, count))
    if not keepdim:
        r = drop_dims(r, dims)
    elif n == 0:
        r._scalar = True
    return converted(r, result_dtype)


cdef object extreme_with_index(_TensorBase t, object dim, bint keepdim, bint largest):
    """(values, indices) of the max or min along dim."""
    cdef int n = py_ndim(t)
    cdef int d = normalize_dim(dim, n)
    cdef int work = compute_type(t.ptr._dtype)
    cdef _TensorBase x = converted(t, work)
    cdef _TensorBase values = blank(work), indices = blank(T7_LONG)
    if nelement(x.ptr) == 0:
        raise RuntimeError("%s(): cannot reduce a tensor with no elements"
                           % ("max" if largest else "min"))
    if largest:
        check(t7_max_dim(values.ptr, indices.ptr, x.ptr, 0 if n == 0 else d, 0))
    else:
        check(t7_min_dim(values.ptr, indices.ptr, x.ptr, 0 if n == 0 else d, 0))
    values = converted(values, t.ptr._dtype)
    if n == 0 or not keepdim:
        values = drop_dims(values, (d,)) if n > 0 else number_tensor(values.item(),
                                                                      t.ptr._dtype)
        indices = drop_dims(indices, (d,)) if n > 0 else number_tensor(0, T7_LONG)
    return ValuesIndices(values, indices)


cdef object arg_extreme(_TensorBase t, object dim, bint keepdim, bint largest):
    if dim is None:
        flat = reshaped(t, (-1,), True)
        index = extreme_with_index(flat, 0, False, largest).indices
        if keepdim and py_ndim(t) > 0:
            return index.reshape((1,) * py_ndim(t))
        return index
    return extreme_with_index(t, dim, keepdim, largest).indices


cdef class _TensorReduce(_TensorMath):
    """Reductions: over every element without dim (a 0-d tensor), else along dim."""

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        if recording(self):
            return grad_dispatch("sum", (self, dim, keepdim), {"dtype": dtype})
        return reduce(R_SUM, self, dim, keepdim, 2, False, dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        if recording(self):
            return grad_dispatch("mean", (self, dim, keepdim), {"dtype": dtype})
        return reduce(R_MEAN, self, dim, keepdim, 2, False, dtype)

    def prod(self, dim=None, keepdim=False, *, dtype=None):
        if recording(self):
            return grad_dispatch("prod", (self, dim, keepdim), {"dtype": dtype})
        return reduce(R_PROD, self, dim, keepdim, 2, False, dtype)

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        """The variance, dividing by n - 1 (unbiased, or correction=1) or n."""
        if recording(self):
            return grad_dispatch("var", (self, dim, unbiased, keepdim),
                                 {"correction": correction})
        biased = not unbiased if correction is None else correction == 0
        if correction is not None and correction not in (0, 1):
            raise ValueError("var: correction must be 0 or 1")
        return reduce(R_VAR, self, dim, keepdim, 2, biased, None)

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        """The standard deviation (see var)."""
        if recording(self):
            return grad_dispatch("std", (self, dim, unbiased, keepdim),
                                 {"correction": correction})
        biased = not unbiased if correction is None else correction == 0
        if correction is not None and correction not in (0, 1):
            raise ValueError("std: correction must be 0 or 1")
        return reduce(R_STD, self, dim, keepdim, 2, biased, None)

    def norm(self, p=2, dim=None, keepdim=False):
        """The p-norm (of all elements, or along dim)."""
        if recording(self):
            return grad_dispatch("norm", (self, p, dim, keepdim), {})
        if p == "fro":
            p = 2
        return reduce(R_NORM, self, dim, keepdim, p, False, None)

    def max(self, dim=None, keepdim=False):
        """The largest element (0-d), or (values, indices) along dim; with a tensor, the
        element-wise maximum."""
        if recording(self):
            return grad_dispatch("max", (self, dim, keepdim), {})
        if isinstance(dim, _TensorBase):
            return self.maximum(dim)
        if dim is None:
            return reduce(R_MAX, self, None, False, 2, False, None)
        return extreme_with_index(self, dim, keepdim, True)

    def min(self, dim=None, keepdim=False):
        """The smallest element (0-d), or (values, indices) along dim."""
        if recording(self):
            return grad_dispatch("min", (self, dim, keepdim), {})
        if isinstance(dim, _TensorBase):
            return self.minimum(dim)
        if dim is None:
            return reduce(R_MIN, self, None, False, 2, False, None)
        return extreme_with_index(self, dim, keepdim, False)

    def amax(self, dim=None, keepdim=False):
        if recording(self):
            return grad_dispatch("amax", (self, dim, keepdim), {})
        return reduce(R_MAX, self, dim, keepdim, 2, False, None)

    def amin(self, dim=None, keepdim=False):
        if recording(self):
            return grad_dispatch("amin", (self, dim, keepdim), {})
        return reduce(R_MIN, self, dim, keepdim, 2, False, None)

    def argmax(self, dim=None, keepdim=False):
        """The 0-based position of the largest element (in the flattened tensor without
        dim)."""
        return arg_extreme(self, dim, keepdim, True)

    def argmin(self, dim=None, keepdim=False):
        return arg_extreme(self, dim, keepdim, False)

    def all(self, dim=None, keepdim=False):
        """Whether every element is non-zero (a uint8 tensor of 0 or 1)."""
        return reduce(R_ALL, self, dim, keepdim, 2, False, None)

    def any(self, dim=None, keepdim=False):
        """Whether some element is non-zero (a uint8 tensor of 0 or 1)."""
        return reduce(R_ANY, self, dim, keepdim, 2, False, None)

    def cumsum(self, dim):
        if recording(self):
            return grad_dispatch("cumsum", (self, dim), {})
        cdef _TensorBase x = converted(self, compute_type(self.ptr._dtype)
                                       if is_floating(self.ptr._dtype) else T7_LONG)
        cdef _TensorBase r = blank(x.ptr._dtype)
        check(t7_cumsum(r.ptr, x.ptr, normalize_dim(dim, py_ndim(self))))
        r._scalar = self._scalar
        return converted(r, self.ptr._dtype if self.ptr._dtype == T7_HALF else x.ptr._dtype)

    def cumprod(self, dim):
        cdef _TensorBase x = converted(self, compute_type(self.ptr._dtype)
                                       if is_floating(self.ptr._dtype) else T7_LONG)
        cdef _TensorBase r = blank(x.ptr._dtype)
        check(t7_cumprod(r.ptr, x.ptr, normalize_dim(dim, py_ndim(self))))
        r._scalar = self._scalar
        return converted(r, self.ptr._dtype if self.ptr._dtype == T7_HALF else x.ptr._dtype)

    def softmax(self, dim):
        """exp(x) / sum(exp(x)) along dim (computed from x - max for range)."""
        if recording(self):
            return grad_dispatch("softmax", (self, dim), {})
        shifted = binary(B_SUB, self, reduce(R_MAX, self, dim, True, 2, False, None), False)
        exps = unary(T7_FN_EXP, shifted, True)
        return in_place(B_DIV, exps, reduce(R_SUM, exps, dim, True, 2, False, None))

    def log_softmax(self, dim):
        """x - log(sum(exp(x))) along dim."""
        if recording(self):
            return grad_dispatch("log_softmax", (self, dim), {})
        shifted = binary(B_SUB, self, reduce(R_MAX, self, dim, True, 2, False, None), False)
        sums = reduce(R_SUM, unary(T7_FN_EXP, shifted, False), dim, True, 2, False, None)
        return in_place(B_SUB, shifted, unary(T7_FN_LOG, sums, True))

    def logsumexp(self, dim, keepdim=False):
        """log(sum(exp(x))) along dim, without overflow."""
        if recording(self):
            return grad_dispatch("logsumexp", (self, dim, keepdim), {})
        top = reduce(R_MAX, self, dim, True, 2, False, None)
        sums = reduce(R_SUM, unary(T7_FN_EXP, binary(B_SUB, self, top, False), True), dim,
                      True, 2, False, None)
        r = in_place(B_ADD, unary(T7_FN_LOG, sums, True), top)
        return r if keepdim else r.squeeze(dim)
