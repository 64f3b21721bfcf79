# Torch7's random generator: MT19937 (Matsumoto & Nishimura) with Torch7's seeding, its
# 32-bit uniform draws (one word per draw, not 53 bits) and its cached Box-Muller normals,
# so that torch.manualSeed(s) reproduces the original's numbers bit for bit. The struct
# layout equals THGenerator's on LP64, which torch.getRNGState exposes as bytes.

from libc.math cimport cos, sin, M_PI
from libc.stdio cimport FILE, fopen, fread, fclose
from libc.time cimport time

cdef enum:
    MT_N = 624
    MT_M = 397


cdef inline uint64_t twist(uint64_t u, uint64_t v) noexcept nogil:
    cdef uint64_t mixed = (u & 0x80000000ULL) | (v & 0x7fffffffULL)
    return (mixed >> 1) ^ (0x9908b0dfULL if (v & 1) else 0)


cdef public T7Generator *t7_generator_new() noexcept nogil:
    cdef T7Generator *g = <T7Generator *>calloc(1, sizeof(T7Generator))
    if g == NULL:
        t7_fail("not enough memory for a generator")
        return NULL
    t7_seed(g)
    return g


cdef public void t7_generator_free(T7Generator *g) noexcept nogil:
    free(g)


cdef public int t7_generator_copy(T7Generator *dst, const T7Generator *src) noexcept nogil:
    if not (src.seeded == 1 and 0 < src.left <= MT_N and src.next <= MT_N):
        return t7_fail("Invalid RNG state")
    memcpy(dst, src, sizeof(T7Generator))
    return 0


cdef public void t7_manual_seed(T7Generator *g, uint64_t seed) noexcept nogil:
    memset(g, 0, sizeof(T7Generator))   # also forgets a cached normal
    g.the_initial_seed = seed
    g.state[0] = seed & 0xffffffffULL
    cdef int j
    for j in range(1, MT_N):
        g.state[j] = (1812433253ULL * (g.state[j - 1] ^ (g.state[j - 1] >> 30)) + j) & 0xffffffffULL
    g.left = 1
    g.seeded = 1


cdef public uint64_t t7_seed(T7Generator *g) noexcept nogil:
    cdef uint64_t s = 0
    cdef FILE *f = fopen("/dev/urandom", "rb")
    if f == NULL or fread(&s, sizeof(s), 1, f) != 1:
        s = <uint64_t>time(NULL)
    if f != NULL:
        fclose(f)
    t7_manual_seed(g, s)
    return s


cdef public uint64_t t7_initial_seed(const T7Generator *g) noexcept nogil:
    return g.the_initial_seed


cdef void next_state(T7Generator *g) noexcept nogil:
    cdef uint64_t *p = g.state
    cdef int j
    g.left = MT_N
    g.next = 0
    for j in range(MT_N - MT_M):
        p[j] = p[j + MT_M] ^ twist(p[j], p[j + 1])
    for j in range(MT_N - MT_M, MT_N - 1):
        p[j] = p[j + MT_M - MT_N] ^ twist(p[j], p[j + 1])
    p[MT_N - 1] = p[MT_M - 1] ^ twist(p[MT_N - 1], p[0])


cdef public uint64_t t7_random(T7Generator *g) noexcept nogil:
    g.left -= 1
    if g.left == 0:
        next_state(g)
    cdef uint64_t y = g.state[g.next]
    g.next += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c5680ULL
    y ^= (y << 15) & 0xefc60000ULL
    y ^= y >> 18
    return y


cdef inline double uniform01(T7Generator *g) noexcept nogil:
    return <double>t7_random(g) * (1.0 / 4294967296.0)


cdef public double t7_uniform(T7Generator *g, double a, double b) noexcept nogil:
    return uniform01(g) * (b - a) + a


cdef public double t7_normal(T7Generator *g, double mean, double stdv) noexcept nogil:
    if not g.normal_is_valid:
        g.normal_x = uniform01(g)
        g.normal_y = uniform01(g)
        g.normal_rho = sqrt(-2.0 * log(1.0 - g.normal_y))
        g.normal_is_valid = 1
        return g.normal_rho * cos(2.0 * M_PI * g.normal_x) * stdv + mean
    g.normal_is_valid = 0
    return g.normal_rho * sin(2.0 * M_PI * g.normal_x) * stdv + mean


cdef public int t7_bernoulli(T7Generator *g, double p) noexcept nogil:
    return uniform01(g) <= p


cdef enum Draw:
    DRAW_UNIFORM, DRAW_NORMAL, DRAW_BERNOULLI, DRAW_RANDOM, DRAW_RANGE


cdef inline uint64_t random_modulus(int dtype) noexcept nogil:
    """t:random() keeps draws within what each type holds (0: no reduction)."""
    if dtype == T7_BYTE:
        return 256
    if dtype == T7_CHAR:
        return 128
    if dtype == T7_SHORT:
        return 32768
    if dtype == T7_INT:
        return 2147483648ULL
    if dtype == T7_FLOAT:
        return 16777217ULL
    return 0


cdef void draw_into(real *tag, const T7Tensor *t, T7Generator *g, int kind, double a,
                    double b) noexcept nogil:
    """Fills t element by element in row-major order: the draw order is the original's."""
    cdef Walker w
    walker_init(&w, t, 0)
    cdef int64_t n, i, s, left = nelement(t)
    cdef uint64_t modulus = random_modulus(t._dtype)
    cdef uint64_t x
    cdef int64_t low = <int64_t>a
    cdef uint64_t span = <uint64_t>(<int64_t>b - low + 1)
    cdef real *p
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <real *>w.ptr
        s = walker_step(&w, sizeof(real))
        for i in range(n):
            if kind == DRAW_UNIFORM:
                p[i * s] = <real>t7_uniform(g, a, b)
            elif kind == DRAW_NORMAL:
                p[i * s] = <real>t7_normal(g, a, b)
            elif kind == DRAW_BERNOULLI:
                p[i * s] = <real>t7_bernoulli(g, a)
            elif kind == DRAW_RANGE:
                p[i * s] = <real>(<int64_t>(t7_random(g) % span) + low)
            else:
                x = t7_random(g)
                p[i * s] = <real>(x % modulus if modulus else x)
        walker_advance(&w, n)
        left -= n


cdef int draw(T7Tensor *t, T7Generator *g, int kind, double a, double b) noexcept nogil:
    if supported(t) != 0:
        return -1
    cdef int dt = t._dtype
    if dt == T7_FLOAT and (kind == DRAW_UNIFORM or kind == DRAW_NORMAL):
        # the original passes float bounds to a FloatTensor's fill
        a = <float>a
        b = <float>b
    if dt == T7_BYTE:
        draw_into(<uint8_t *>NULL, t, g, kind, a, b)
    elif dt == T7_CHAR:
        draw_into(<int8_t *>NULL, t, g, kind, a, b)
    elif dt == T7_SHORT:
        draw_into(<int16_t *>NULL, t, g, kind, a, b)
    elif dt == T7_INT:
        draw_into(<int32_t *>NULL, t, g, kind, a, b)
    elif dt == T7_LONG:
        draw_into(<int64_t *>NULL, t, g, kind, a, b)
    elif dt == T7_FLOAT:
        draw_into(<float *>NULL, t, g, kind, a, b)
    else:
        draw_into(<double *>NULL, t, g, kind, a, b)
    return 0


cdef public int t7_tensor_uniform(T7Tensor *t, T7Generator *g, double a, double b) noexcept nogil:
    return draw(t, g, DRAW_UNIFORM, a, b)


cdef public int t7_tensor_normal(T7Tensor *t, T7Generator *g, double mean,
                                 double stdv) noexcept nogil:
    if not stdv > 0:
        return t7_fail("standard deviation must be strictly positive")
    return draw(t, g, DRAW_NORMAL, mean, stdv)


cdef public int t7_tensor_bernoulli(T7Tensor *t, T7Generator *g, double p) noexcept nogil:
    if not (0 <= p <= 1):
        return t7_fail("must be >= 0 and <= 1")
    return draw(t, g, DRAW_BERNOULLI, p, 0)


cdef public int t7_tensor_random(T7Tensor *t, T7Generator *g) noexcept nogil:
    return draw(t, g, DRAW_RANDOM, 0, 0)


cdef public int t7_tensor_random_range(T7Tensor *t, T7Generator *g, int64_t a,
                                       int64_t b) noexcept nogil:
    if b < a:
        return t7_fail("upper bound must be larger than lower bound")
    return draw(t, g, DRAW_RANGE, <double>a, <double>b)


cdef public int t7_randperm(T7Tensor *r, T7Generator *g, int64_t n,
                            int64_t index_base) noexcept nogil:
    if n <= 0:
        return t7_fail("must be strictly positive")
    cdef int64_t *perm = <int64_t *>malloc(n * sizeof(int64_t))
    if perm == NULL:
        return t7_fail("not enough memory for a permutation of %lld", <ll>n)
    cdef int64_t i, z, tmp
    for i in range(n):
        perm[i] = i
    for i in range(n - 1):
        z = <int64_t>(t7_random(g) % <uint64_t>(n - i))
        tmp = perm[i]
        perm[i] = perm[z + i]
        perm[z + i] = tmp
    cdef T7Tensor src
    memset(&src, 0, sizeof(T7Tensor))
    cdef T7Storage storage
    memset(&storage, 0, sizeof(T7Storage))
    storage._refcount = 1
    storage._data = <char *>perm
    storage._size = n
    storage._dtype = T7_LONG
    src._storage = &storage
    src._dtype = T7_LONG
    src._ndim = 1
    src._size[0] = n
    src._stride[0] = 1
    cdef int status = t7_add_scalar(&src, &src, <double>index_base)
    if status == 0:
        status = t7_tensor_resize(r, 1, &n, NULL)
    if status == 0:
        status = t7_tensor_copy(r, &src)
    free(perm)
    return status
