# Arithmetic for Python: operators with numpy's broadcasting and PyTorch's type promotion,
# in-place forms, element-wise functions, matrix products. Everything runs on the kernels the
# Lua side uses (pointwise.pxi, compare.pxi, blas.pxi); Half, which has no arithmetic in the
# core (as in Torch7), is computed in float32 and rounded back.

cdef enum BinaryKind:
    B_ADD, B_SUB, B_MUL, B_DIV, B_FLOORDIV, B_MOD, B_FMOD, B_POW, B_MAXIMUM, B_MINIMUM,
    B_ATAN2, B_CMP     # B_CMP + T7_CMP_*: comparisons



cdef inline int compute_type(int dtype) noexcept:
    return T7_FLOAT if dtype == T7_HALF else dtype


cdef int result_type(int kind, int dtype) noexcept:
    """The dtype of `kind` applied to operands promoted to dtype."""
    if kind >= B_CMP:
        return T7_BYTE
    if (kind == B_DIV or kind == B_ATAN2) and not is_floating(dtype):
        return DEFAULT_FLOAT
    return dtype


cdef int run_tensors(int kind, T7Tensor *r, T7Tensor *a, T7Tensor *b, double alpha) except -1:
    """r = a kind b, all of one shape (b may be a broadcast view); r's type is the compute
    type (Byte for comparisons)."""
    cdef _TensorBase rem
    if kind == B_ADD:
        return check(t7_cadd(r, a, alpha, b))
    if kind == B_SUB:
        return check(t7_cadd(r, a, -alpha, b))
    if kind == B_MUL:
        return check(t7_cmul(r, a, b))
    if kind == B_DIV:
        return check(t7_cdiv(r, a, b))
    if kind == B_MOD:
        return check(t7_tensor_op(r, a, T7_OP_REMAINDER, b))
    if kind == B_FMOD:
        return check(t7_tensor_op(r, a, T7_OP_FMOD, b))
    if kind == B_POW:
        return check(t7_tensor_op(r, a, T7_OP_POW, b))
    if kind == B_MAXIMUM:
        return check(t7_tensor_op(r, a, T7_OP_MAX, b))
    if kind == B_MINIMUM:
        return check(t7_tensor_op(r, a, T7_OP_MIN, b))
    if kind == B_ATAN2:
        return check(t7_tensor_op(r, a, T7_OP_ATAN2, b))
    if kind == B_FLOORDIV:
        if is_floating(a._dtype):
            check(t7_cdiv(r, a, b))
            return check(t7_unary(r, r, T7_FN_FLOOR))
        # integers: a - (a mod b), with the floored remainder, divides exactly
        rem = blank(a._dtype)
        check(t7_tensor_op(rem.ptr, a, T7_OP_REMAINDER, b))
        check(t7_cadd(rem.ptr, a, -1, rem.ptr))
        return check(t7_cdiv(r, rem.ptr, b))
    return check(t7_compare_tensor(r, a, kind - B_CMP, b))


cdef int run_number(int kind, T7Tensor *r, T7Tensor *a, double v, double alpha) except -2:
    """r = a kind v, or -1 where the kind has no kernel taking a number."""
    if kind == B_ADD:
        return check(t7_add_scalar(r, a, v * alpha))
    if kind == B_SUB:
        return check(t7_add_scalar(r, a, -v * alpha))
    if kind == B_MUL:
        return check(t7_mul_scalar(r, a, v))
    if kind == B_DIV and is_floating(a._dtype):
        return check(t7_div_scalar(r, a, v))
    if kind == B_MOD:
        return check(t7_scalar_op(r, a, T7_OP_REMAINDER, v))
    if kind == B_FMOD:
        return check(t7_scalar_op(r, a, T7_OP_FMOD, v))
    if kind == B_POW:
        return check(t7_scalar_op(r, a, T7_OP_POW, v))
    if kind == B_MAXIMUM:
        return check(t7_scalar_op(r, a, T7_OP_MAX, v))
    if kind == B_MINIMUM:
        return check(t7_scalar_op(r, a, T7_OP_MIN, v))
    if kind >= B_CMP:
        return check(t7_compare_scalar(r, a, kind - B_CMP, v))
    return -1


cdef _TensorBase number_tensor(object v, int dtype):
    cdef _TensorBase t = new_tensor(dtype, 0, NULL)
    check(t7_tensor_fill(t.ptr, v))
    return t


cdef object binary(int kind, _TensorBase a, object other, bint reflected, double alpha=1):
    """a kind other (other kind a when reflected), as a new tensor."""
    cdef int dtype, cdt
    cdef _TensorBase x, y, r
    cdef Geometry ga, gb, out
    if is_number(other) or (not isinstance(other, _TensorBase)
                            and isinstance(other, (int, float))):
        dtype = scalar_result_dtype(a.ptr._dtype, other)
        cdt = compute_type(dtype)
        if not reflected or kind == B_ADD or kind == B_MUL:
            x = converted(a, cdt)
            r = new_like(a, compute_type(result_type(kind, cdt)))
            if nelement(a.ptr) == 0:
                return converted(r, result_type(kind, dtype))
            if kind == B_DIV and not is_floating(cdt):
                x = converted(x, r.ptr._dtype)
            if run_number(kind, r.ptr, x.ptr, other, alpha) == 0:
                return converted(r, result_type(kind, dtype))
        y = number_tensor(other, cdt)
        y._scalar = True
    elif isinstance(other, _TensorBase):
        y = <_TensorBase>other
    else:
        try:
            y = as_tensor(other, -1)
        except (TypeError, ValueError):
            return NotImplemented
    dtype = tensor_pair_dtype(a, y)
    cdt = compute_type(dtype)
    if kind == B_DIV or kind == B_ATAN2:
        cdt = compute_type(result_type(kind, cdt))
    x = converted(a, cdt)
    y = converted(y, cdt)
    if not same_shape(x, y):
        geometry(x, &ga)
        geometry(y, &gb)
        if reflected:
            broadcast_geometry(&gb, &ga, &out)
        else:
            broadcast_geometry(&ga, &gb, &out)
        x = broadcast_to(x, &out)
        y = broadcast_to(y, &out)
    r = new_like(x, compute_type(result_type(kind, cdt)))
    if nelement(r.ptr) > 0:
        if reflected:
            run_tensors(kind, r.ptr, y.ptr, x.ptr, alpha)
        else:
            run_tensors(kind, r.ptr, x.ptr, y.ptr, alpha)
    return converted(r, result_type(kind, dtype))


cdef object in_place(int kind, _TensorBase a, object other, double alpha=1):
    """a = a kind other, other broadcast to a's shape; a keeps its dtype."""
    cdef _TensorBase y, work
    cdef Geometry ga
    cdef int dtype = a.ptr._dtype
    if dtype == T7_HALF:
        work = converted(a, T7_FLOAT)
        in_place(kind, work, other, alpha)
        check(t7_tensor_copy(a.ptr, work.ptr))
        return a
    if is_number(other):
        if (isinstance(other, float) or kind == B_DIV) and not is_floating(dtype):
            raise RuntimeError("result type Float can't be cast to the desired output type "
                               "%s" % TYPE_PREFIXES[dtype])
        if nelement(a.ptr) == 0 or run_number(kind, a.ptr, a.ptr, other, alpha) == 0:
            return a
        y = number_tensor(other, dtype)
    elif type(other) is TENSOR_TYPE and (<_TensorBase>other).ptr._dtype == dtype \
            and same_shape(a, <_TensorBase>other):
        y = <_TensorBase>other                     # the common case, straight to the kernel
        if y.ptr != a.ptr and y.ptr._storage == a.ptr._storage:
            y = dense_copy(y)
        run_tensors(kind, a.ptr, a.ptr, y.ptr, alpha)
        return a
    else:
        y = as_tensor(other, -1)
        if (is_floating(y.ptr._dtype) or kind == B_DIV) and not is_floating(dtype):
            raise RuntimeError("result type %s can't be cast to the desired output type %s"
                               % (TYPE_PREFIXES[promote_types(dtype, y.ptr._dtype)]
                                  if is_floating(y.ptr._dtype) else "Float",
                                  TYPE_PREFIXES[dtype]))
        y = converted(y, dtype)
    if y.ptr._storage == a.ptr._storage and y.ptr != a.ptr and y.ptr._storage != NULL:
        y = dense_copy(y)           # overlapping memory: read it all first
    geometry(a, &ga)
    y = broadcast_to(y, &ga)
    if nelement(a.ptr) > 0:
        run_tensors(kind, a.ptr, a.ptr, y.ptr, alpha)
    return a


# element-wise functions: the kernel's code, and whether integers are computed as floats
cdef dict UNARY_CODES = {
    "abs": T7_FN_ABS, "neg": T7_FN_NEG, "sign": T7_FN_SIGN, "sqrt": T7_FN_SQRT,
    "rsqrt": T7_FN_RSQRT, "exp": T7_FN_EXP, "log": T7_FN_LOG, "log1p": T7_FN_LOG1P,
    "tanh": T7_FN_TANH, "sigmoid": T7_FN_SIGMOID, "sin": T7_FN_SIN, "cos": T7_FN_COS,
    "tan": T7_FN_TAN, "asin": T7_FN_ASIN, "acos": T7_FN_ACOS, "atan": T7_FN_ATAN,
    "sinh": T7_FN_SINH, "cosh": T7_FN_COSH, "ceil": T7_FN_CEIL, "floor": T7_FN_FLOOR,
    "round": T7_FN_ROUND, "trunc": T7_FN_TRUNC, "frac": T7_FN_FRAC, "reciprocal": T7_FN_CINV}


cdef object unary(int fn, _TensorBase a, bint inplace):
    cdef int dtype = a.ptr._dtype
    cdef bint integer_ok = fn == T7_FN_ABS or fn == T7_FN_NEG or fn == T7_FN_SIGN or (
        fn == T7_FN_CEIL or fn == T7_FN_FLOOR or fn == T7_FN_ROUND or fn == T7_FN_TRUNC)
    cdef int cdt = compute_type(dtype)
    if not is_floating(cdt) and not integer_ok:
        if inplace:
            raise RuntimeError("result type Float can't be cast to the desired output type "
                               "%s" % TYPE_PREFIXES[dtype])
        cdt = DEFAULT_FLOAT
    if not is_floating(cdt) and fn != T7_FN_ABS and fn != T7_FN_NEG and fn != T7_FN_SIGN:
        return a if inplace else dense_copy(a)    # rounding an integer changes nothing
    cdef _TensorBase x = converted(a, cdt)
    cdef _TensorBase r = x if inplace and x is a else new_like(a, cdt)
    if nelement(a.ptr) > 0:
        check(t7_unary(r.ptr, x.ptr, fn))
    if inplace:
        if r is not a:
            check(t7_tensor_copy(a.ptr, r.ptr))
        return a
    return converted(r, cdt if cdt != dtype and dtype != T7_HALF else dtype)


cdef object clamped(_TensorBase a, object lo, object hi, _TensorBase r):
    """clamp into r (r may be a)."""
    cdef _TensorBase x = a
    if lo is None and hi is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if a.ptr._dtype == T7_HALF:
        x = converted(a, T7_FLOAT)
        clamped(x, lo, hi, x)
        check(t7_tensor_copy(r.ptr, x.ptr))
        return r
    if isinstance(lo, _TensorBase) or isinstance(hi, _TensorBase):
        y = a if lo is None else binary(B_MAXIMUM, a, lo, False)
        y = y if hi is None else binary(B_MINIMUM, y, hi, False)
        return y if r is not a else r.copy_(y)
    if nelement(a.ptr) == 0:
        return r
    if lo is not None and hi is not None:
        check(t7_clamp(r.ptr, x.ptr, lo, hi))
    elif lo is not None:
        check(t7_scalar_op(r.ptr, x.ptr, T7_OP_MAX, lo))
    else:
        check(t7_scalar_op(r.ptr, x.ptr, T7_OP_MIN, hi))
    return r


@cython.wraparound(True)
cdef _TensorBase matrix_product(_TensorBase a, _TensorBase b):
    """numpy's matmul: vectors, matrices, and stacks of matrices broadcast together."""
    cdef int na = py_ndim(a), nb = py_ndim(b)
    cdef int dtype = promote_types(a.ptr._dtype, b.ptr._dtype)
    cdef double result
    cdef int64_t dims[3]
    cdef _TensorBase r
    if na == 0 or nb == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are "
                           "%dD and %dD" % (na, nb))
    if dtype == T7_HALF:
        return converted(matrix_product(converted(a, T7_FLOAT), converted(b, T7_FLOAT)),
                         T7_HALF)
    a = converted(a, dtype)
    b = converted(b, dtype)
    if na == 1 and nb == 1:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError("inconsistent tensor size: the vectors have %d and %d elements"
                               % (a.shape[0], b.shape[0]))
        r = new_tensor(dtype, 0, NULL)
        check(t7_dot(a.ptr, b.ptr, &result))
        check(t7_tensor_fill(r.ptr, result))
        return r
    if na == 2 and nb == 2:
        if a.ptr._size[1] != b.ptr._size[0]:
            raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)"
                               % (a.ptr._size[0], a.ptr._size[1], b.ptr._size[0],
                                  b.ptr._size[1]))
        dims[0], dims[1] = a.ptr._size[0], b.ptr._size[1]
        r = new_tensor(dtype, 2, dims)
        check(t7_addmm(r.ptr, 0, r.ptr, 1, a.ptr, b.ptr))
        return r
    if na == 2 and nb == 1:
        if a.ptr._size[1] != b.ptr._size[0]:
            raise RuntimeError("size mismatch: a %dx%d matrix times a vector of %d"
                               % (a.ptr._size[0], a.ptr._size[1], b.ptr._size[0]))
        r = new_tensor(dtype, 1, a.ptr._size)
        check(t7_addmv(r.ptr, 0, r.ptr, 1, a.ptr, b.ptr))
        return r
    if na == 1 and nb == 2:
        return matrix_product(b.t(), a)
    # stacks: vectors become matrices, batch dimensions broadcast, one baddbmm
    a2 = a.unsqueeze(0) if na == 1 else a
    b2 = b.unsqueeze(1) if nb == 1 else b
    sa, sb = tuple(a2.shape), tuple(b2.shape)
    if sa[-1] != sb[-2]:
        raise RuntimeError("matmul: shapes %s and %s cannot be multiplied (%d != %d)"
                           % (tuple(a.shape), tuple(b.shape), sa[-1], sb[-2]))
    import numpy
    try:
        batch = tuple(numpy.broadcast_shapes(sa[:-2], sb[:-2]))
    except ValueError:
        raise RuntimeError("matmul: the batch dimensions of %s and %s do not broadcast"
                           % (tuple(a.shape), tuple(b.shape))) from None
    n = 1
    for s in batch:
        n *= s
    a3 = a2.expand(batch + sa[-2:]).reshape(n, sa[-2], sa[-1])
    b3 = b2.expand(batch + sb[-2:]).reshape(n, sb[-2], sb[-1])
    dims[0], dims[1], dims[2] = n, sa[-2], sb[-1]
    r = new_tensor(dtype, 3, dims)
    check(t7_baddbmm(r.ptr, 0, r.ptr, 1, (<_TensorBase>a3).ptr, (<_TensorBase>b3).ptr))
    shape = batch + (sa[-2], sb[-1])
    if na == 1:
        shape = shape[:-2] + shape[-1:]
    if nb == 1:
        shape = shape[:-1]
    return reshaped(r, shape, False)


cdef class _TensorMath(_TensorViews):
    """Operators and element-wise functions."""

    def __hash__(self):
        return id(self) >> 4

    # ---- binary operators ---------------------------------------------------------------

    def __add__(self, other):
        if recording2(self, other):
            return grad_dispatch("add", (self, other), {})
        return binary(B_ADD, self, other, False)

    def __radd__(self, other):
        if recording2(self, other):
            return grad_dispatch("add", (self, other), {})
        return binary(B_ADD, self, other, True)

    def __sub__(self, other):
        if recording2(self, other):
            return grad_dispatch("sub", (self, other), {})
        return binary(B_SUB, self, other, False)

    def __rsub__(self, other):
        if recording2(self, other):
            return grad_dispatch("rsub", (self, other), {})
        return binary(B_SUB, self, other, True)

    def __mul__(self, other):
        if recording2(self, other):
            return grad_dispatch("mul", (self, other), {})
        return binary(B_MUL, self, other, False)

    def __rmul__(self, other):
        if recording2(self, other):
            return grad_dispatch("mul", (self, other), {})
        return binary(B_MUL, self, other, True)

    def __truediv__(self, other):
        if recording2(self, other):
            return grad_dispatch("div", (self, other), {})
        return binary(B_DIV, self, other, False)

    def __rtruediv__(self, other):
        if recording2(self, other):
            return grad_dispatch("rdiv", (self, other), {})
        return binary(B_DIV, self, other, True)

    def __floordiv__(self, other):
        return binary(B_FLOORDIV, self, other, False)

    def __rfloordiv__(self, other):
        return binary(B_FLOORDIV, self, other, True)

    def __mod__(self, other):
        return binary(B_MOD, self, other, False)

    def __rmod__(self, other):
        return binary(B_MOD, self, other, True)

    def __pow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        if recording2(self, other):
            return grad_dispatch("pow", (self, other), {})
        return binary(B_POW, self, other, False)

    def __rpow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        if recording2(self, other):
            return grad_dispatch("rpow", (self, other), {})
        if is_number(other) and is_floating(self.ptr._dtype) and self.ptr._dtype != T7_HALF:
            r = new_like(self, self.ptr._dtype)
            if nelement(self.ptr) > 0:
                check(t7_rpow((<_TensorBase>r).ptr, other, self.ptr))
            return r
        return binary(B_POW, self, other, True)

    def __matmul__(self, other):
        if recording2(self, other):
            return grad_dispatch("matmul", (self, other), {})
        if not isinstance(other, _TensorBase):
            try:
                other = as_tensor(other, -1)
            except (TypeError, ValueError):
                return NotImplemented
        return matrix_product(self, other)

    def __rmatmul__(self, other):
        return matrix_product(as_tensor(other, -1), self)

    def __neg__(self):
        if recording(self):
            return grad_dispatch("neg", (self,), {})
        return unary(T7_FN_NEG, self, False)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    # ---- comparisons: uint8 tensors of 0 and 1 (Torch7's ByteTensor masks) --------------

    def __eq__(self, other):
        if other is None:
            return False
        return binary(B_CMP + T7_CMP_EQ, self, other, False)

    def __ne__(self, other):
        if other is None:
            return True
        return binary(B_CMP + T7_CMP_NE, self, other, False)

    def __lt__(self, other):
        return binary(B_CMP + T7_CMP_LT, self, other, False)

    def __le__(self, other):
        return binary(B_CMP + T7_CMP_LE, self, other, False)

    def __gt__(self, other):
        return binary(B_CMP + T7_CMP_GT, self, other, False)

    def __ge__(self, other):
        return binary(B_CMP + T7_CMP_GE, self, other, False)

    def eq(self, other):
        return binary(B_CMP + T7_CMP_EQ, self, other, False)

    def ne(self, other):
        return binary(B_CMP + T7_CMP_NE, self, other, False)

    def lt(self, other):
        return binary(B_CMP + T7_CMP_LT, self, other, False)

    def le(self, other):
        return binary(B_CMP + T7_CMP_LE, self, other, False)

    def gt(self, other):
        return binary(B_CMP + T7_CMP_GT, self, other, False)

    def ge(self, other):
        return binary(B_CMP + T7_CMP_GE, self, other, False)

    def equal(self, other):
        """True when other has the same shape and the same values."""
        other = as_tensor(other, -1)
        if tuple(self.shape) != tuple(other.shape):
            return False
        return bool((self == other).all())

    def allclose(self, other, rtol=1e-05, atol=1e-08):
        import numpy
        return bool(numpy.allclose(numpy.asarray(self), numpy.asarray(other), rtol, atol))

    # ---- in-place operators ---------------------------------------------------------------

    def __iadd__(self, other):
        if recording2(self, other):
            return grad_dispatch("add_", (self, other), {})
        return in_place(B_ADD, self, other)

    def __isub__(self, other):
        if recording2(self, other):
            return grad_dispatch("sub_", (self, other), {})
        return in_place(B_SUB, self, other)

    def __imul__(self, other):
        if recording2(self, other):
            return grad_dispatch("mul_", (self, other), {})
        return in_place(B_MUL, self, other)

    def __itruediv__(self, other):
        if recording2(self, other):
            return grad_dispatch("div_", (self, other), {})
        return in_place(B_DIV, self, other)

    def __ifloordiv__(self, other):
        return in_place(B_FLOORDIV, self, other)

    def __imod__(self, other):
        return in_place(B_MOD, self, other)

    def __ipow__(self, other):
        if recording2(self, other):
            return grad_dispatch("pow_", (self, other), {})
        return in_place(B_POW, self, other)

    # ---- the same as methods -------------------------------------------------------------

    def add(self, other, *, alpha=1):
        """self + alpha * other."""
        if recording2(self, other):
            return grad_dispatch("add", (self, other), {"alpha": alpha})
        return binary(B_ADD, self, other, False, alpha)

    def sub(self, other, *, alpha=1):
        """self - alpha * other."""
        if recording2(self, other):
            return grad_dispatch("sub", (self, other), {"alpha": alpha})
        return binary(B_SUB, self, other, False, alpha)

    def rsub(self, other):
        """other - self."""
        if recording2(self, other):
            return grad_dispatch("rsub", (self, other), {})
        return binary(B_SUB, self, other, True)

    def mul(self, other):
        if recording2(self, other):
            return grad_dispatch("mul", (self, other), {})
        return binary(B_MUL, self, other, False)

    def div(self, other, *, rounding_mode=None):
        """self / other (true division; rounding_mode 'floor' or 'trunc' rounds)."""
        if recording2(self, other):
            return grad_dispatch("div", (self, other), {"rounding_mode": rounding_mode})
        if rounding_mode is None:
            return binary(B_DIV, self, other, False)
        if rounding_mode == "floor":
            return binary(B_FLOORDIV, self, other, False)
        if rounding_mode == "trunc":
            return binary(B_DIV, self, other, False).trunc().to(
                promote_types(self.ptr._dtype, as_tensor(other, -1).ptr._dtype))
        raise ValueError("div: rounding_mode must be None, 'floor' or 'trunc', got %r"
                         % (rounding_mode,))

    def rdiv(self, other):
        """other / self."""
        if recording2(self, other):
            return grad_dispatch("rdiv", (self, other), {})
        return binary(B_DIV, self, other, True)

    true_divide = div
    multiply = mul
    subtract = sub

    def floor_divide(self, other):
        return binary(B_FLOORDIV, self, other, False)

    def remainder(self, other):
        return binary(B_MOD, self, other, False)

    def fmod(self, other):
        return binary(B_FMOD, self, other, False)

    def pow(self, exponent):
        if recording2(self, exponent):
            return grad_dispatch("pow", (self, exponent), {})
        return binary(B_POW, self, exponent, False)

    def rpow(self, base):
        """base ** self."""
        return self.__rpow__(base, None)

    def maximum(self, other):
        if recording2(self, other):
            return grad_dispatch("maximum", (self, other), {})
        return binary(B_MAXIMUM, self, other, False)

    def minimum(self, other):
        if recording2(self, other):
            return grad_dispatch("minimum", (self, other), {})
        return binary(B_MINIMUM, self, other, False)

    def atan2(self, other):
        return binary(B_ATAN2, self, other, False)

    def matmul(self, other):
        if recording2(self, other):
            return grad_dispatch("matmul", (self, other), {})
        return matrix_product(self, as_tensor(other, -1))

    def mm(self, other):
        """The product of two matrices."""
        if py_ndim(self) != 2 or py_ndim(as_tensor(other, -1)) != 2:
            raise RuntimeError("mm: both arguments must be matrices (2D)")
        return self.matmul(other)

    def mv(self, vec):
        if py_ndim(self) != 2 or py_ndim(as_tensor(vec, -1)) != 1:
            raise RuntimeError("mv: a matrix and a vector expected")
        return self.matmul(vec)

    def bmm(self, other):
        """Batched products of (b, n, m) and (b, m, p) tensors."""
        if py_ndim(self) != 3 or py_ndim(as_tensor(other, -1)) != 3:
            raise RuntimeError("bmm: both arguments must be 3D")
        if self.shape[0] != other.shape[0]:
            raise RuntimeError("bmm: batch sizes differ (%d and %d)"
                               % (self.shape[0], other.shape[0]))
        return self.matmul(other)

    def dot(self, other):
        """The inner product of two vectors (a 0-d tensor)."""
        if py_ndim(self) != 1 or py_ndim(as_tensor(other, -1)) != 1:
            raise RuntimeError("1D tensors expected, but got %dD and %dD tensors"
                               % (py_ndim(self), py_ndim(as_tensor(other, -1))))
        return self.matmul(other)

    def add_(self, other, *, alpha=1):
        if recording2(self, other):
            return grad_dispatch("add_", (self, other), {"alpha": alpha})
        return in_place(B_ADD, self, other, alpha)

    def sub_(self, other, *, alpha=1):
        if recording2(self, other):
            return grad_dispatch("sub_", (self, other), {"alpha": alpha})
        return in_place(B_SUB, self, other, alpha)

    def mul_(self, other):
        if recording2(self, other):
            return grad_dispatch("mul_", (self, other), {})
        return in_place(B_MUL, self, other)

    def div_(self, other):
        if recording2(self, other):
            return grad_dispatch("div_", (self, other), {})
        return in_place(B_DIV, self, other)

    def pow_(self, exponent):
        if recording2(self, exponent):
            return grad_dispatch("pow_", (self, exponent), {})
        return in_place(B_POW, self, exponent)

    def addcmul_(self, tensor1, tensor2, *, value=1):
        """self += value * tensor1 * tensor2."""
        return in_place(B_ADD, self, binary(B_MUL, as_tensor(tensor1, -1), tensor2, False),
                        value)

    def addcdiv_(self, tensor1, tensor2, *, value=1):
        """self += value * tensor1 / tensor2."""
        return in_place(B_ADD, self, binary(B_DIV, as_tensor(tensor1, -1), tensor2, False),
                        value)

    def lerp_(self, end, weight):
        """self += weight * (end - self)."""
        return in_place(B_ADD, self, binary(B_SUB, as_tensor(end, -1), self, False), weight)

    def zero_(self):
        """Fills with zeros; returns self."""
        if recording(self):
            return grad_dispatch("zero_", (self,), {})
        check(t7_tensor_fill(self.ptr, 0))
        return self

    def fill_(self, value):
        """Fills with value; returns self."""
        if recording(self):
            return grad_dispatch("fill_", (self, value), {})
        check(t7_tensor_fill(self.ptr, float(value)))
        return self

    def copy_(self, src):
        """Copies src's values (broadcast to self's shape, converted to self's dtype)."""
        if recording2(self, src):
            return grad_dispatch("copy_", (self, src), {})
        set_item(self, Ellipsis, src)
        return self

    # ---- element-wise functions -----------------------------------------------------------

    def abs(self):
        if recording(self):
            return grad_dispatch("abs", (self,), {})
        return unary(T7_FN_ABS, self, False)

    absolute = abs

    def neg(self):
        if recording(self):
            return grad_dispatch("neg", (self,), {})
        return unary(T7_FN_NEG, self, False)

    negative = neg

    def exp(self):
        if recording(self):
            return grad_dispatch("exp", (self,), {})
        return unary(T7_FN_EXP, self, False)

    def log(self):
        if recording(self):
            return grad_dispatch("log", (self,), {})
        return unary(T7_FN_LOG, self, False)

    def sqrt(self):
        if recording(self):
            return grad_dispatch("sqrt", (self,), {})
        return unary(T7_FN_SQRT, self, False)

    def rsqrt(self):
        if recording(self):
            return grad_dispatch("rsqrt", (self,), {})
        return unary(T7_FN_RSQRT, self, False)

    def tanh(self):
        if recording(self):
            return grad_dispatch("tanh", (self,), {})
        return unary(T7_FN_TANH, self, False)

    def sigmoid(self):
        if recording(self):
            return grad_dispatch("sigmoid", (self,), {})
        return unary(T7_FN_SIGMOID, self, False)

    def sin(self):
        if recording(self):
            return grad_dispatch("sin", (self,), {})
        return unary(T7_FN_SIN, self, False)

    def cos(self):
        if recording(self):
            return grad_dispatch("cos", (self,), {})
        return unary(T7_FN_COS, self, False)

    def log1p(self):
        if recording(self):
            return grad_dispatch("log1p", (self,), {})
        return unary(T7_FN_LOG1P, self, False)

    def reciprocal(self):
        if recording(self):
            return grad_dispatch("reciprocal", (self,), {})
        return unary(T7_FN_CINV, self, False)

    def tan(self):
        return unary(T7_FN_TAN, self, False)

    def asin(self):
        return unary(T7_FN_ASIN, self, False)

    def acos(self):
        return unary(T7_FN_ACOS, self, False)

    def atan(self):
        return unary(T7_FN_ATAN, self, False)

    def sinh(self):
        return unary(T7_FN_SINH, self, False)

    def cosh(self):
        return unary(T7_FN_COSH, self, False)

    def sign(self):
        return unary(T7_FN_SIGN, self, False)

    def ceil(self):
        return unary(T7_FN_CEIL, self, False)

    def floor(self):
        return unary(T7_FN_FLOOR, self, False)

    def round(self):
        return unary(T7_FN_ROUND, self, False)

    def trunc(self):
        return unary(T7_FN_TRUNC, self, False)

    def frac(self):
        return unary(T7_FN_FRAC, self, False)

    def square(self):
        if recording(self):
            return grad_dispatch("square", (self,), {})
        return binary(B_MUL, self, self, False)

    def relu(self):
        """max(self, 0)."""
        if recording(self):
            return grad_dispatch("relu", (self,), {})
        return clamped(self, 0, None, new_like(self, self.ptr._dtype))

    def clamp(self, min=None, max=None):
        """Values below min raised to min, above max lowered to max."""
        if recording(self):
            return grad_dispatch("clamp", (self, min, max), {})
        return clamped(self, min, max, new_like(self, self.ptr._dtype))

    clip = clamp

    def clamp_(self, min=None, max=None):
        if recording(self):
            return grad_dispatch("clamp_", (self, min, max), {})
        return clamped(self, min, max, self)

    def relu_(self):
        if recording(self):
            return grad_dispatch("relu_", (self,), {})
        return clamped(self, 0, None, self)

    def unary_(self, name):
        """The element-wise function `name` (exp, log, sqrt, tanh, ...) in place."""
        if recording(self):
            return grad_dispatch(name + "_", (self,), {})
        return unary(UNARY_CODES[name], self, True)

    def abs_(self):
        return self.unary_("abs")

    def neg_(self):
        return self.unary_("neg")

    def exp_(self):
        return self.unary_("exp")

    def log_(self):
        return self.unary_("log")

    def sqrt_(self):
        return self.unary_("sqrt")

    def tanh_(self):
        return self.unary_("tanh")

    def sigmoid_(self):
        return self.unary_("sigmoid")

    def masked_fill(self, mask, value):
        """A copy with value where mask (broadcast to self's shape) is non-zero."""
        if recording2(self, value):
            return grad_dispatch("masked_fill", (self, mask, value), {})
        return self.clone().masked_fill_(mask, value)

    def masked_fill_(self, mask, value):
        if recording2(self, value):
            return grad_dispatch("masked_fill_", (self, mask, value), {})
        cdef Geometry g
        cdef _TensorBase m = as_tensor(mask, -1)
        if m.ptr._dtype != T7_BYTE:
            raise RuntimeError("masked_fill: the mask must be a uint8 tensor or a bool array, "
                               "got %s" % DTYPE_NAMES[m.ptr._dtype])
        geometry(self, &g)
        m = broadcast_to(m, &g)
        if nelement(self.ptr) > 0:
            check(t7_masked_fill(self.ptr, m.ptr, float(value)))
        return self

    def lerp(self, end, weight):
        return binary(B_ADD, self, binary(B_SUB, as_tensor(end, -1), self, False), False, weight)
