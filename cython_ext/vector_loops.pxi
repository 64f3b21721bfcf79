# The hottest contiguous loops, written in C and compiled twice: for the baseline x86-64 and
# for AVX2 (picked at load time by the dynamic linker), where the toolchain supports it.
# numpy's loops run AVX2 code.
#
# None of them multiplies and adds in one expression: the AVX2 clone would fuse those into
# one rounding, and results must not depend on the machine or the layout.
#
# exp of floats: libm's expf is a function call per element, which no loop around it can
# vectorise. Here e^x = 2^n * e^r with |r| <= ln2/2 and e^r by its Taylor polynomial to
# degree 7, all in float arithmetic (eight lanes of AVX2; double would give four). Results
# differ from libm's expf by at most one ulp (checked over every float, with and without
# fused multiply-adds). Only the tensor kernels use it: the random generator keeps libm's
# functions, on which its bit-exact draws depend.
#
# tanh of floats (libm's tanhf costs 50-70 ns here, the LSTM's hottest function): an odd
# polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) above, where nothing cancels. The
# polynomial's coefficients are a least-squares fit of (tanh(a) - a) / a^3 in a^2 on
# [0, 0.625]; results stay within 2 ulp of the exact tanh (checked with numpy, float32
# arithmetic emulated, over millions of points of each branch).

cdef extern from *:
    """
    #include <string.h>
    #if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
    #define T7_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
    #else
    #define T7_SIMD_CLONES
    #endif

    static inline float t7_exp_float(float x) {
        /* Clamped to [-104, 89], beyond which the result is 0 or inf; by bit masks, since a
           conditional expression here is a branch that stops vectorisation. NaN compares
           false both ways and passes through. */
        const float lo = -104.0f, hi = 89.0f;
        uint32_t xb, lob, hib;
        memcpy(&xb, &x, 4);
        memcpy(&lob, &lo, 4);
        memcpy(&hib, &hi, 4);
        uint32_t below = -(uint32_t)(x < lo), above = -(uint32_t)(x > hi);
        xb = (xb & ~(below | above)) | (lob & below) | (hib & above);
        memcpy(&x, &xb, 4);
        /* adding 1.5 * 2^23 rounds to an integer n, which the low bits of the sum then hold;
           ln 2 in two parts, the first exact in few bits, keeps x - n ln 2 accurate */
        const float shift = 12582912.0f;
        float t = x * 1.44269504088896341f + shift;
        float n = t - shift;
        float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
        float p = 1.0f + r * (1.0f + r * (1.0f / 2 + r * (1.0f / 6 + r * (1.0f / 24
                  + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
        /* 2^n as two factors, each a float's exponent field, so that n in [-150, 128]
           (subnormal and overflowing results) stays within range */
        int32_t bits;
        memcpy(&bits, &t, 4);
        int32_t k = bits - 0x4B400000, k1 = k >> 1, k2 = k - k1;
        int32_t b1 = (k1 + 127) << 23, b2 = (k2 + 127) << 23;
        float s1, s2;
        memcpy(&s1, &b1, 4);
        memcpy(&s2, &b2, 4);
        return p * s1 * s2;
    }

    static inline float t7_tanh_float(float x) {
        uint32_t xb, sign;
        memcpy(&xb, &x, 4);
        sign = xb & 0x80000000u;
        xb ^= sign;
        float a;
        memcpy(&a, &xb, 4);
        float s = a * a;
        float q = 0.0021381888072937727f;
        q = q * s - 0.008171748369932175f;
        q = q * s + 0.02169819362461567f;
        q = q * s - 0.053946249186992645f;
        q = q * s + 0.1333320140838623f;
        q = q * s - 0.3333333134651184f;
        float small = a + (a * s) * q;
        float large = 1.0f - 2.0f / (t7_exp_float(a + a) + 1.0f);
        /* chosen by a mask, not a branch, so that the loop vectorises; NaN takes `large`,
           which is NaN */
        uint32_t use_small = -(uint32_t)(a < 0.625f), sb, lb, rb;
        memcpy(&sb, &small, 4);
        memcpy(&lb, &large, 4);
        rb = ((sb & use_small) | (lb & ~use_small)) | sign;
        float r;
        memcpy(&r, &rb, 4);
        return r;
    }

    T7_SIMD_CLONES
    static void t7_tanh_float_run(float *r, int64_t sr, const float *a, int64_t sa, int64_t n) {
        int64_t i;
        if (sr == 1 && sa == 1)
            for (i = 0; i < n; i++) r[i] = t7_tanh_float(a[i]);
        else
            for (i = 0; i < n; i++) r[i * sr] = t7_tanh_float(a[i * sa]);
    }

    /* r[i * sr] = exp(a[i * sa]), or the sigmoid 1 / (1 + exp(-a)). Strided runs go through
       the same compiled clone as contiguous ones, so that a result never depends on the
       layout (the AVX2 clone fuses multiply-adds, which rounds differently). */
    T7_SIMD_CLONES
    static void t7_exp_float_run(int sigmoid, float *r, int64_t sr, const float *a, int64_t sa,
                                 int64_t n) {
        int64_t i;
        if (sigmoid && sr == 1 && sa == 1)
            for (i = 0; i < n; i++) r[i] = 1.0f / (1.0f + t7_exp_float(-a[i]));
        else if (sigmoid)
            for (i = 0; i < n; i++) r[i * sr] = 1.0f / (1.0f + t7_exp_float(-a[i * sa]));
        else if (sr == 1 && sa == 1)
            for (i = 0; i < n; i++) r[i] = t7_exp_float(a[i]);
        else
            for (i = 0; i < n; i++) r[i * sr] = t7_exp_float(a[i * sa]);
    }

    /* Contiguous r = a + b and r = a * b. Results too large for the caches go to memory by
       non-temporal stores (SSE2, on every x86-64): an ordinary store first reads the line
       it writes, a third of the traffic of these memory-bound loops, and numpy's. Not in
       place (r is a or b): the line was just read into the cache, where an ordinary store
       finds it, and a streaming store would only evict it (a:add(b) took 25% longer). */
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #define T7_STREAM_BYTES (1 << 22)
    #define T7_STREAMED_RUN(T, NAME, OP, VOP, LOAD, STORE, WIDTH)                          \
    static int t7_##NAME##_streamed(T *r, const T *a, const T *b, int64_t n) {          \
        int64_t i = 0;                                                                 \
        if (n * (int64_t)sizeof(T) < T7_STREAM_BYTES || (uintptr_t)r % sizeof(T)        \
                || r == a || r == b)                                                   \
            return 0;                                                                  \
        for (; i < n && (uintptr_t)(r + i) % 16; i++) r[i] = a[i] OP b[i];             \
        for (; i + WIDTH <= n; i += WIDTH) STORE(r + i, VOP(LOAD(a + i), LOAD(b + i)));  \
        for (; i < n; i++) r[i] = a[i] OP b[i];                                        \
        _mm_sfence();                                                                  \
        return 1;                                                                      \
    }
    T7_STREAMED_RUN(float, add_float, +, _mm_add_ps, _mm_loadu_ps, _mm_stream_ps, 4)
    T7_STREAMED_RUN(float, mul_float, *, _mm_mul_ps, _mm_loadu_ps, _mm_stream_ps, 4)
    T7_STREAMED_RUN(double, add_double, +, _mm_add_pd, _mm_loadu_pd, _mm_stream_pd, 2)
    T7_STREAMED_RUN(double, mul_double, *, _mm_mul_pd, _mm_loadu_pd, _mm_stream_pd, 2)
    #else
    #define T7_STREAMED_FALLBACK(T, NAME) \
    static int t7_##NAME##_streamed(T *r, const T *a, const T *b, int64_t n) { return 0; }
    T7_STREAMED_FALLBACK(float, add_float)
    T7_STREAMED_FALLBACK(float, mul_float)
    T7_STREAMED_FALLBACK(double, add_double)
    T7_STREAMED_FALLBACK(double, mul_double)
    #endif

    /* The position of the first maximum (maximum != 0) or minimum of n >= 1 contiguous
       elements, a NaN winning at its first position: what the scalar scan of reduce.pxi's
       `extreme` finds, in two vector passes. The extreme by SSE2 max/min over four
       registers (NaNs noted apart, since max/min drop them), then the first position holding
       it; equal values (+0 and -0 among them) thus give the first, as the scan does. */
    #if defined(__SSE2__)
    #define T7_EXTREME_AT(T, NAME, V, SET1, LOAD, STORE, VMAX, VMIN, UNORD, CMPEQ, MASK, WIDTH) \
    static int64_t t7_extreme_##NAME##_at(const T *p, int64_t n, int maximum) {          \
        int64_t i = 0;                                                                 \
        V m0 = SET1(p[0]), m1 = m0, m2 = m0, m3 = m0, bad = UNORD(m0, m0);             \
        for (; i + 4 * WIDTH <= n; i += 4 * WIDTH) {                                   \
            V a = LOAD(p + i), b = LOAD(p + i + WIDTH);                                \
            V c = LOAD(p + i + 2 * WIDTH), d = LOAD(p + i + 3 * WIDTH);                \
            bad = _mm_or_##MASK(bad, _mm_or_##MASK(UNORD(a, b), UNORD(c, d)));         \
            if (maximum) {                                                             \
                m0 = VMAX(m0, a); m1 = VMAX(m1, b); m2 = VMAX(m2, c); m3 = VMAX(m3, d); \
            } else {                                                                   \
                m0 = VMIN(m0, a); m1 = VMIN(m1, b); m2 = VMIN(m2, c); m3 = VMIN(m3, d); \
            }                                                                          \
        }                                                                              \
        T lanes[4 * WIDTH];                                                            \
        STORE(lanes, m0);                                                              \
        STORE(lanes + WIDTH, m1);                                                      \
        STORE(lanes + 2 * WIDTH, m2);                                                  \
        STORE(lanes + 3 * WIDTH, m3);                                                  \
        T m = lanes[0];                                                                \
        int nan = _mm_movemask_##MASK(bad) != 0;                                       \
        for (int k = 1; k < 4 * WIDTH; k++)                                            \
            if (maximum ? lanes[k] > m : lanes[k] < m) m = lanes[k];                   \
        for (; i < n; i++) {                                                           \
            T x = p[i];                                                                \
            nan |= x != x;                                                             \
            if (maximum ? x > m : x < m) m = x;                                        \
        }                                                                              \
        V target = SET1(m);                                                            \
        for (i = 0; i + WIDTH <= n; i += WIDTH) {                                      \
            V x = LOAD(p + i);                                                         \
            int hits = _mm_movemask_##MASK(nan ? UNORD(x, x) : CMPEQ(x, target));      \
            if (hits) return i + __builtin_ctz(hits);                                  \
        }                                                                              \
        for (; i < n; i++)                                                             \
            if (nan ? p[i] != p[i] : p[i] == m) return i;                              \
        return 0;                                                                      \
    }
    T7_EXTREME_AT(float, float, __m128, _mm_set1_ps, _mm_loadu_ps, _mm_storeu_ps, _mm_max_ps,
                  _mm_min_ps, _mm_cmpunord_ps, _mm_cmpeq_ps, ps, 4)
    T7_EXTREME_AT(double, double, __m128d, _mm_set1_pd, _mm_loadu_pd, _mm_storeu_pd,
                  _mm_max_pd, _mm_min_pd, _mm_cmpunord_pd, _mm_cmpeq_pd, pd, 2)
    #else
    #define T7_EXTREME_AT(T, NAME)                                                        \
    static int64_t t7_extreme_##NAME##_at(const T *p, int64_t n, int maximum) {          \
        int64_t best = 0;                                                              \
        for (int64_t i = 1; i < n && p[best] == p[best]; i++)                          \
            if (maximum ? !(p[i] <= p[best]) : !(p[i] >= p[best])) best = i;           \
        return best;                                                                   \
    }
    T7_EXTREME_AT(float, float)
    T7_EXTREME_AT(double, double)
    #endif

    /* ... and sums accumulated in double by sixteen independent accumulators (a single one
       chains every addition on the one before; sixteen keep four AVX2 additions in flight),
       added pairwise at the end */
    #define T7_VECTOR_LOOPS(T, NAME)                                                      \
    T7_SIMD_CLONES static void t7_add_##NAME##_cached(T *r, const T *a, const T *b,     \
                                                     int64_t n) {                      \
        for (int64_t i = 0; i < n; i++) r[i] = a[i] + b[i];                            \
    }                                                                                  \
    T7_SIMD_CLONES static void t7_mul_##NAME##_cached(T *r, const T *a, const T *b,     \
                                                     int64_t n) {                      \
        for (int64_t i = 0; i < n; i++) r[i] = a[i] * b[i];                            \
    }                                                                                  \
    static void t7_add_##NAME##_run(T *r, const T *a, const T *b, int64_t n) {          \
        if (!t7_add_##NAME##_streamed(r, a, b, n)) t7_add_##NAME##_cached(r, a, b, n);  \
    }                                                                                  \
    static void t7_mul_##NAME##_run(T *r, const T *a, const T *b, int64_t n) {          \
        if (!t7_mul_##NAME##_streamed(r, a, b, n)) t7_mul_##NAME##_cached(r, a, b, n);  \
    }                                                                                  \
    T7_SIMD_CLONES static double t7_sum_##NAME##_run(const T *p, int64_t n) {          \
        double acc[16] = {0}, total = 0;                                               \
        int64_t i = 0;                                                                 \
        for (; i + 16 <= n; i += 16)                                                   \
            for (int k = 0; k < 16; k++) acc[k] += p[i + k];                           \
        for (; i < n; i++) total += p[i];                                              \
        for (int width = 8; width > 0; width /= 2)                                     \
            for (int k = 0; k < width; k++) acc[k] += acc[k + width];                  \
        return total + acc[0];                                                         \
    }
    T7_VECTOR_LOOPS(float, float)
    T7_VECTOR_LOOPS(double, double)
    """
    void t7_exp_float_run(int sigmoid, float *r, int64_t sr, const float *a, int64_t sa,
                          int64_t n) nogil
    void t7_tanh_float_run(float *r, int64_t sr, const float *a, int64_t sa, int64_t n) nogil
    void t7_add_float_run(float *r, const float *a, const float *b, int64_t n) nogil
    void t7_add_double_run(double *r, const double *a, const double *b, int64_t n) nogil
    void t7_mul_float_run(float *r, const float *a, const float *b, int64_t n) nogil
    void t7_mul_double_run(double *r, const double *a, const double *b, int64_t n) nogil
    double t7_sum_float_run(const float *p, int64_t n) nogil
    double t7_sum_double_run(const double *p, int64_t n) nogil
    int64_t t7_extreme_float_at(const float *p, int64_t n, int maximum) nogil
    int64_t t7_extreme_double_at(const double *p, int64_t n, int maximum) nogil
