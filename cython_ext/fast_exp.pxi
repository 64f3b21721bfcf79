# exp of floats in a form the compiler vectorises. libm's expf is a function call per
# element, which no loop around it can vectorise; numpy's exp runs SIMD code. Here
# e^x = 2^n * e^r with |r| <= ln2/2 and e^r by its Taylor polynomial to degree 7, all in
# float arithmetic (eight lanes of AVX2; double would give four). Results differ from
# libm's expf by at most one ulp (checked over every float). Only the tensor kernels use
# it: the random generator keeps libm's functions, on which its bit-exact draws depend.
#
# The loops are compiled twice, for the baseline x86-64 and for AVX2 (picked at load time by
# the dynamic linker), where the toolchain supports it.

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
    """
    void t7_exp_float_run(int sigmoid, float *r, int64_t sr, const float *a, int64_t sa,
                          int64_t n) nogil
