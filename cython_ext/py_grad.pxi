# The autograd's hook into every differentiable Tensor operation (torch7_compat.autograd
# fills it). Grad mode is one flag per thread, as PyTorch's, cheap enough to test in every
# operator; the dispatcher is None until the autograd registers itself.

cdef extern from *:
    """
    static __thread int t7_py_grad_disabled = 0;
    static inline int t7_py_grad_enabled(void) { return !t7_py_grad_disabled; }
    static inline void t7_py_set_grad_enabled(int on) { t7_py_grad_disabled = !on; }
    """
    bint t7_py_grad_enabled() noexcept nogil
    void t7_py_set_grad_enabled(bint on) noexcept nogil

cdef object grad_dispatch = None


def is_grad_enabled():
    """Whether operations on tensors that require grad are recorded (in this thread)."""
    return t7_py_grad_enabled()


def set_grad_enabled(bint flag):
    """Turns recording on or off for this thread; returns the previous setting."""
    cdef bint previous = t7_py_grad_enabled()
    t7_py_set_grad_enabled(flag)
    return previous


def set_grad_dispatch(fn):
    """Registers fn(name, args, kwargs), called instead of an operation whose tensor
    arguments require grad while grad mode is on (None: no autograd)."""
    global grad_dispatch
    if fn is not None and not callable(fn):
        raise TypeError("the grad dispatcher must be callable or None")
    grad_dispatch = fn


def get_grad_dispatch():
    return grad_dispatch
