# Declarations shared by every part of the core: the ABI structs, error reporting, heap
# accounting, atomics and the fused element type.

from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint64_t, INT64_MAX
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcpy, memset
from libc.math cimport fabs, sqrt, exp, log, tanh, pow, floor, isnan, INFINITY, NAN
cimport cython

cdef extern from "t7_abi.h":
    enum:
        T7_MAX_DIMS
        T7_BYTE
        T7_CHAR
        T7_SHORT
        T7_INT
        T7_LONG
        T7_FLOAT
        T7_DOUBLE
        T7_HALF
        T7_STORAGE_OWNS_DATA
        T7_STORAGE_RESIZABLE
        T7_FN_ABS
        T7_FN_SQRT
        T7_FN_EXP
        T7_FN_LOG
        T7_FN_TANH
        T7_FN_SIGMOID
        T7_FN_SIGN
        T7_FN_NEG

    ctypedef struct T7Storage:
        int64_t _refcount
        char *_data
        int64_t _size
        int32_t _dtype
        int32_t _flags
        void *_owner
        int64_t _exports

    ctypedef struct T7Tensor:
        int64_t _refcount
        T7Storage *_storage
        int64_t _offset
        int32_t _ndim
        int32_t _dtype
        int64_t _size[32]
        int64_t _stride[32]

    ctypedef struct T7Heap:
        int64_t allocated
        int64_t soft_limit

    ctypedef struct T7Generator:
        uint64_t the_initial_seed
        int32_t left
        int32_t seeded
        uint64_t next
        uint64_t state[624]
        double normal_x
        double normal_y
        double normal_rho
        int32_t normal_is_valid

cdef extern from *:
    """
    #include <stdarg.h>
    #include <stdio.h>

    /* One message per thread: Lua states and Python threads may call in concurrently. */
    static __thread char t7_error_buffer[1024];

    static int t7_fail(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(t7_error_buffer, sizeof t7_error_buffer, fmt, ap);
        va_end(ap);
        return -1;
    }

    static inline int64_t t7_atomic_add(int64_t *p, int64_t v) {
        return __atomic_add_fetch(p, v, __ATOMIC_ACQ_REL);
    }
    """
    char t7_error_buffer[1024]
    int t7_fail(const char *fmt, ...) nogil
    int64_t t7_atomic_add(int64_t *p, int64_t v) nogil

ctypedef fused real:
    uint8_t
    int8_t
    int16_t
    int32_t
    int64_t
    float
    double

ctypedef long long ll   # for printf's %lld

cdef const char *TYPE_NAMES[8]
TYPE_NAMES[:] = [b"Byte", b"Char", b"Short", b"Int", b"Long", b"Float", b"Double", b"Half"]
cdef int ELEMENT_SIZES[8]
ELEMENT_SIZES[:] = [1, 1, 2, 4, 8, 4, 8, 2]

cdef inline bint valid_dtype(int dtype) noexcept nogil:
    return 0 <= dtype <= T7_HALF

cdef inline bint is_floating(int dtype) noexcept nogil:
    return dtype == T7_FLOAT or dtype == T7_DOUBLE or dtype == T7_HALF


cdef public const char *t7_last_error() noexcept nogil:
    return t7_error_buffer

cdef public void t7_set_error(const char *message) noexcept nogil:
    t7_fail("%s", message)

cdef public int t7_element_size(int dtype) noexcept nogil:
    return ELEMENT_SIZES[dtype] if valid_dtype(dtype) else 0


# Heap accounting. Tensor memory is invisible to LuaJIT's collector, which sees only the
# small handles; the Lua side compares `allocated` with `soft_limit` when it makes tensors
# and runs a collection when over (Torch7's setheaptracking). The limit then follows the
# live size, so collections stay proportional to allocation.
cdef enum:
    HEAP_MIN_LIMIT = 268435456   # 256 MiB

cdef T7Heap heap_state
heap_state.allocated = 0
heap_state.soft_limit = HEAP_MIN_LIMIT

cdef inline void heap_add(int64_t nbytes) noexcept nogil:
    t7_atomic_add(&heap_state.allocated, nbytes)

cdef public T7Heap *t7_heap() noexcept nogil:
    return &heap_state

cdef public void t7_heap_collected() noexcept nogil:
    cdef int64_t live = heap_state.allocated
    heap_state.soft_limit = live * 2 if live * 2 > HEAP_MIN_LIMIT else HEAP_MIN_LIMIT


cdef extern from "cblas.h" nogil:
    void scipy_openblas_set_num_threads(int)


include "thread_pool.pxi"

# One pool of threads: ours (thread_pool.pxi). BLAS runs single-threaded, and large products
# are split across the pool by blas.pxi. Two pools (OpenBLAS's threads and ours), each
# spinning while it waits, took the cores from each other: a small MLP step ran 5x slower.
scipy_openblas_set_num_threads(1)


cdef public int t7_set_num_threads(int n) noexcept nogil:
    if n < 1:
        return t7_fail("number of threads must be positive, got %d", n)
    pool_set_threads(n)
    return 0

cdef public int t7_get_num_threads() noexcept nogil:
    return pool_threads()
