# Torch7's random generator: MT19937 (Matsumoto & Nishimura) with Torch7's seeding, its
# 32-bit uniform draws (one word per draw, not 53 bits) and its cached Box-Muller normals,
# so that torch.manualSeed(s) reproduces the original's numbers bit for bit. The struct
# layout equals THGenerator's on LP64, which torch.getRNGState exposes as bytes.

from libc.math cimport cos, sin, tan, M_PI
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


# The other distributions of the original, each one uniform word (the log-normal: one
# normal) per draw, in the original's order of evaluation.

cdef public double t7_exponential(T7Generator *g, double rate) noexcept nogil:
    return -1.0 / rate * log(1 - uniform01(g))


cdef public double t7_cauchy(T7Generator *g, double median, double sigma) noexcept nogil:
    return median + sigma * tan(M_PI * (uniform01(g) - 0.5))


cdef public double t7_log_normal(T7Generator *g, double mean, double stdv) noexcept nogil:
    return exp(t7_normal(g, mean, stdv))


cdef public int t7_geometric(T7Generator *g, double p) noexcept nogil:
    return <int>(log(1 - uniform01(g)) / log(p)) + 1


cdef enum Draw:
    DRAW_UNIFORM, DRAW_NORMAL, DRAW_BERNOULLI, DRAW_RANDOM, DRAW_RANGE, DRAW_EXPONENTIAL,
    DRAW_CAUCHY, DRAW_LOG_NORMAL, DRAW_GEOMETRIC


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
            elif kind == DRAW_EXPONENTIAL:
                p[i * s] = <real>t7_exponential(g, a)
            elif kind == DRAW_CAUCHY:
                p[i * s] = <real>t7_cauchy(g, a, b)
            elif kind == DRAW_LOG_NORMAL:
                p[i * s] = <real>t7_log_normal(g, a, b)
            elif kind == DRAW_GEOMETRIC:
                p[i * s] = <real>t7_geometric(g, a)
            else:
                x = t7_random(g)
                p[i * s] = <real>(x % modulus if modulus else x)
        walker_advance(&w, n)
        left -= n


cdef int draw(T7Tensor *t, T7Generator *g, int kind, double a, double b) noexcept nogil:
    if supported(t) != 0:
        return -1
    cdef int dt = t._dtype
    if dt == T7_FLOAT and kind != DRAW_BERNOULLI and kind != DRAW_GEOMETRIC \
            and kind != DRAW_RANDOM and kind != DRAW_RANGE:
        # the original passes float parameters to a FloatTensor's continuous draws
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


cdef public int t7_tensor_exponential(T7Tensor *t, T7Generator *g, double rate) noexcept nogil:
    return draw(t, g, DRAW_EXPONENTIAL, rate, 0)


cdef public int t7_tensor_cauchy(T7Tensor *t, T7Generator *g, double median,
                                 double sigma) noexcept nogil:
    return draw(t, g, DRAW_CAUCHY, median, sigma)


cdef public int t7_tensor_log_normal(T7Tensor *t, T7Generator *g, double mean,
                                     double stdv) noexcept nogil:
    if not stdv > 0:
        return t7_fail("standard deviation must be strictly positive")
    return draw(t, g, DRAW_LOG_NORMAL, mean, stdv)


cdef public int t7_tensor_geometric(T7Tensor *t, T7Generator *g, double p) noexcept nogil:
    if not (0 < p < 1):
        return t7_fail("must be > 0 and < 1")
    return draw(t, g, DRAW_GEOMETRIC, p, 0)


ctypedef fused prob:
    float
    double


cdef int probabilities_valid(prob *tag, const T7Tensor *p) noexcept nogil:
    cdef Walker w
    walker_init(&w, p, 0)
    cdef int64_t i, n, s, left = nelement(p)
    cdef prob *q
    while left > 0:
        n = min2(left, walker_run(&w))
        q = <prob *>w.ptr
        s = walker_step(&w, sizeof(prob))
        for i in range(n):
            if not (0 <= q[i * s] <= 1):
                return t7_fail("must be >= 0 and <= 1")
        walker_advance(&w, n)
        left -= n
    return 0


cdef void bernoulli_into(real *tag, prob *ptag, T7Tensor *t, T7Generator *g,
                         const T7Tensor *p) noexcept nogil:
    """t[i] = bernoulli(p[i]), both walked in row-major order."""
    cdef Walker wt, wp
    walker_init(&wt, t, 0)
    walker_init(&wp, p, 0)
    cdef int64_t i, n, st, sp, left = nelement(t)
    cdef real *pt
    cdef prob *pp
    while left > 0:
        n = min2(left, min2(walker_run(&wt), walker_run(&wp)))
        pt = <real *>wt.ptr
        pp = <prob *>wp.ptr
        st = walker_step(&wt, sizeof(real))
        sp = walker_step(&wp, sizeof(prob))
        for i in range(n):
            pt[i * st] = <real>t7_bernoulli(g, <double>pp[i * sp])
        walker_advance(&wt, n)
        walker_advance(&wp, n)
        left -= n


cdef void bernoulli_typed(prob *ptag, T7Tensor *t, T7Generator *g,
                          const T7Tensor *p) noexcept nogil:
    cdef int dt = t._dtype
    if dt == T7_BYTE:
        bernoulli_into(<uint8_t *>NULL, ptag, t, g, p)
    elif dt == T7_CHAR:
        bernoulli_into(<int8_t *>NULL, ptag, t, g, p)
    elif dt == T7_SHORT:
        bernoulli_into(<int16_t *>NULL, ptag, t, g, p)
    elif dt == T7_INT:
        bernoulli_into(<int32_t *>NULL, ptag, t, g, p)
    elif dt == T7_LONG:
        bernoulli_into(<int64_t *>NULL, ptag, t, g, p)
    elif dt == T7_FLOAT:
        bernoulli_into(<float *>NULL, ptag, t, g, p)
    else:
        bernoulli_into(<double *>NULL, ptag, t, g, p)


cdef public int t7_tensor_bernoulli_tensor(T7Tensor *t, T7Generator *g,
                                           const T7Tensor *p) noexcept nogil:
    """t[i] = bernoulli(p[i]) for a Float or Double tensor p of as many elements."""
    if supported(t) != 0 or same_count(t, p, "tensor and probabilities") != 0:
        return -1
    if p._dtype == T7_FLOAT:
        if probabilities_valid(<float *>NULL, p) != 0:
            return -1
        bernoulli_typed(<float *>NULL, t, g, p)
    elif p._dtype == T7_DOUBLE:
        if probabilities_valid(<double *>NULL, p) != 0:
            return -1
        bernoulli_typed(<double *>NULL, t, g, p)
    else:
        return t7_fail("probabilities must be a FloatTensor or a DoubleTensor, not a %sTensor",
                       TYPE_NAMES[p._dtype])
    return 0



cdef inline double element_2d(prob *tag, const T7Tensor *t, int64_t i, int64_t j) noexcept nogil:
    return <double>(<prob *>tensor_data(t))[i * t._stride[0] + j * t._stride[1]]


cdef int multinomial_rows(prob *tag, T7Tensor *r, T7Generator *g, const T7Tensor *dist,
                          int64_t n_sample, bint with_replacement, int64_t base,
                          double *cumulative) noexcept nogil:
    """The original's sampler, row by row: a normalised cumulative distribution, a binary
    search per uniform draw and, without replacement, the drawn mass taken out."""
    cdef int64_t rows = dist._size[0], categories = dist._size[1]
    cdef int64_t *out = <int64_t *>tensor_data(r)
    cdef int64_t i, j, k, left, right, middle, drawn
    cdef double total, u, below, mass
    for i in range(rows):
        total = 0
        for j in range(categories):
            total += element_2d(tag, dist, i, j)
            cumulative[j] = total
        if not total > 0:
            return t7_fail("invalid multinomial distribution (sum of probabilities <= 0)")
        for j in range(categories):
            cumulative[j] /= total
        for j in range(n_sample):
            u = t7_uniform(g, 0, 1)
            cumulative[categories - 1] = 1
            left = 0
            right = categories
            while right - left > 0:
                middle = left + (right - left) // 2
                if cumulative[middle] < u:
                    left = middle + 1
                else:
                    right = middle
            drawn = left
            out[i * r._stride[0] + j * r._stride[1]] = drawn + base
            if not with_replacement:
                below = cumulative[drawn - 1] if drawn > 0 else 0
                mass = cumulative[drawn] - below
                total = 1.0 - mass
                for k in range(categories):
                    if k >= drawn:
                        cumulative[k] -= mass
                    cumulative[k] /= total
    return 0


cdef public int t7_multinomial(T7Tensor *r, T7Generator *g, const T7Tensor *dist,
                               int64_t n_sample, int with_replacement,
                               int64_t index_base) noexcept nogil:
    """r (a LongTensor) gets n_sample category indices per row of dist (1-D: one row, and
    r a vector), drawn with probabilities proportional to the row's elements."""
    if r._dtype != T7_LONG:
        return t7_fail("torch.LongTensor expected as result of multinomial")
    if dist._dtype != T7_FLOAT and dist._dtype != T7_DOUBLE:
        return t7_fail("multinomial needs a FloatTensor or DoubleTensor of probabilities")
    if dist._ndim != 1 and dist._ndim != 2:
        return t7_fail("prob_dist must be 1 or 2 dim")
    if n_sample <= 0:
        return t7_fail("cannot sample n_sample < 0 samples")
    cdef T7Tensor rows
    memcpy(&rows, dist, sizeof(T7Tensor))
    if dist._ndim == 1:       # one row
        rows._ndim = 2
        rows._size[1] = dist._size[0]
        rows._stride[1] = dist._stride[0]
        rows._size[0] = 1
        rows._stride[0] = 0
    if not with_replacement and n_sample > rows._size[1]:
        return t7_fail("cannot sample n_sample > prob_dist:size(1) samples without replacement")
    cdef int64_t size[2]
    size[0] = rows._size[0]
    size[1] = n_sample
    cdef int status
    if dist._ndim == 1:
        status = t7_tensor_resize(r, 1, &size[1], NULL)
    else:
        status = t7_tensor_resize(r, 2, size, NULL)
    if status != 0:
        return -1
    cdef T7Tensor out
    memcpy(&out, r, sizeof(T7Tensor))
    if dist._ndim == 1:
        out._ndim = 2
        out._size[1] = n_sample
        out._stride[1] = r._stride[0]
        out._size[0] = 1
        out._stride[0] = 0
    cdef double *cumulative = <double *>malloc(rows._size[1] * sizeof(double))
    if cumulative == NULL:
        return t7_fail("not enough memory for multinomial")
    if dist._dtype == T7_FLOAT:
        status = multinomial_rows(<float *>NULL, &out, g, &rows, n_sample, with_replacement,
                                  index_base, cumulative)
    else:
        status = multinomial_rows(<double *>NULL, &out, g, &rows, n_sample, with_replacement,
                                  index_base, cumulative)
    free(cumulative)
    return status


cdef inline double vector_get(const T7Tensor *t, int64_t i) noexcept nogil:
    """Element i of a Float or Double vector, as a double."""
    if t._dtype == T7_FLOAT:
        return (<float *>tensor_data(t))[i * t._stride[0]]
    return (<double *>tensor_data(t))[i * t._stride[0]]


cdef inline void vector_set(T7Tensor *t, int64_t i, double v) noexcept nogil:
    if t._dtype == T7_FLOAT:
        (<float *>tensor_data(t))[i * t._stride[0]] = <float>v
    else:
        (<double *>tensor_data(t))[i * t._stride[0]] = v


cdef public int t7_multinomial_alias_setup(const T7Tensor *probs, T7Tensor *alias,
                                           T7Tensor *threshold,
                                           int64_t index_base) noexcept nogil:
    """Walker's alias tables for the distribution probs (summing to 1), as the original
    builds them: alias (a LongTensor) names the outcome that shares each column, threshold
    (the type of probs) the probability of keeping the column's own outcome."""
    if alias._dtype != T7_LONG:
        return t7_fail("torch.LongTensor expected for the alias table")
    if probs._dtype != T7_FLOAT and probs._dtype != T7_DOUBLE:
        return t7_fail("multinomialAliasSetup needs a FloatTensor or DoubleTensor")
    if threshold._dtype != probs._dtype:
        return t7_fail("the probability table must be a %sTensor", TYPE_NAMES[probs._dtype])
    if probs._ndim != 1:
        return t7_fail("multinomialAliasSetup needs a vector of probabilities")
    cdef int64_t n = probs._size[0]
    if t7_tensor_resize(alias, 1, &n, NULL) != 0 or t7_tensor_resize(threshold, 1, &n, NULL) != 0:
        return -1
    cdef int64_t *smaller = <int64_t *>malloc(2 * n * sizeof(int64_t))
    if smaller == NULL:
        return t7_fail("not enough memory for multinomialAliasSetup")
    cdef int64_t *larger = smaller + n
    cdef int64_t *j_data = <int64_t *>tensor_data(alias)
    cdef int64_t js = alias._stride[0]
    cdef int64_t i, small_count = 0, large_count = 0, large, small
    cdef double q_min, q_max, q
    for i in range(n):
        j_data[i * js] = 0
        vector_set(threshold, i, n * vector_get(probs, i))
        if vector_get(threshold, i) < 1.0:   # compared once stored, in the table's type
            smaller[small_count] = i
            small_count += 1
        else:
            larger[large_count] = i
            large_count += 1
    # pair each small column with a large outcome that fills it up to 1
    while small_count > 0 and large_count > 0:
        large = larger[large_count - 1]
        small = smaller[small_count - 1]
        j_data[small * js] = large
        vector_set(threshold, large,
                   vector_get(threshold, large) - (1.0 - vector_get(threshold, small)))
        if vector_get(threshold, large) < 1.0:
            smaller[small_count - 1] = large
            large_count -= 1
        else:
            larger[large_count - 1] = large
            small_count -= 1
    free(smaller)
    q_min = vector_get(threshold, n - 1)
    q_max = q_min
    for i in range(n):
        q = vector_get(threshold, i)
        if q < q_min:
            q_min = q
        elif q > q_max:
            q_max = q
    if not q_min > 0:
        return t7_fail("q_min is less than 0")
    if q_max > 1:
        for i in range(n):
            vector_set(threshold, i, vector_get(threshold, i) / q_max)
    for i in range(n):
        # a column left without a partner (alias 0) keeps its own outcome
        if j_data[i * js] <= 0:
            vector_set(threshold, i, 1.0)
        j_data[i * js] += index_base
    return 0


cdef public int t7_multinomial_alias_draw(T7Tensor *r, T7Generator *g, const T7Tensor *alias,
                                          const T7Tensor *threshold,
                                          int64_t index_base) noexcept nogil:
    """Fills r (a LongTensor) with outcomes drawn from the alias tables: a uniform column,
    then a Bernoulli draw between the column's outcome and its alias."""
    if r._dtype != T7_LONG or alias._dtype != T7_LONG:
        return t7_fail("torch.LongTensor expected for the result and the alias table")
    if threshold._dtype != T7_FLOAT and threshold._dtype != T7_DOUBLE:
        return t7_fail("the probability table must be a FloatTensor or DoubleTensor")
    if alias._ndim != 1 or threshold._ndim != 1 or alias._size[0] != threshold._size[0]:
        return t7_fail("alias and probability tables must be vectors of one size")
    cdef int64_t k = alias._size[0]
    cdef int64_t i, column, outcome
    for i in range(k):
        outcome = long_at(alias, i) - index_base
        if outcome < 0 or outcome >= k:
            return t7_fail("invalid alias table: entry %lld names outcome %lld of %lld",
                           <ll>(i + 1), <ll>(outcome + index_base), <ll>k)
    cdef Walker w
    cdef int64_t n, s, j, left = nelement(r)
    cdef int64_t *p
    if left == 0:
        return 0
    walker_init(&w, r, 0)
    while left > 0:
        n = min2(left, walker_run(&w))
        p = <int64_t *>w.ptr
        s = walker_step(&w, sizeof(int64_t))
        for j in range(n):
            column = <int64_t>t7_uniform(g, 0, <double>k)
            if t7_bernoulli(g, vector_get(threshold, column)):
                p[j * s] = column + index_base
            else:
                p[j * s] = long_at(alias, column)
        walker_advance(&w, n)
        left -= n
    return 0


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
