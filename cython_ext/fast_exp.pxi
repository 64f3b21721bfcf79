# exp of floats in a form the compiler vectorises. libm's expf is a function call per
# element, which no loop around it can vectorise; numpy's exp runs SIMD code. Evaluating in
# double (2^n * e^r, |r| <= ln2/2, e^r by its Taylor polynomial to degree 8) leaves an error
# far below half a float ulp before the final rounding, so results differ from libm's by at
# most one ulp. Only the tensor kernels use it: the random generator keeps libm's functions,
# on which its bit-exact draws depend.
#
# The contiguous loop is compiled twice, for the baseline x86-64 and for AVX2 (picked at
# load time by the dynamic linker), where the toolchain supports it.

cdef extern from *:
    """
    #include <string.h>
    #if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
    #define T7_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
    #else
    #define T7_SIMD_CLONES
    #endif

    static inline float t7_exp_float(float value) {
        double x = value;
        /* Clamped to [-104, 89], beyond which the float result is 0 or inf; by bit masks,
           since a conditional expression here is a branch that stops vectorisation. NaN
           compares false both ways and passes through. */
        const double lo = -104.0, hi = 89.0;
        uint64_t xb, lob, hib;
        memcpy(&xb, &x, 8);
        memcpy(&lob, &lo, 8);
        memcpy(&hib, &hi, 8);
        uint64_t below = -(uint64_t)(x < lo), above = -(uint64_t)(x > hi);
        xb = (xb & ~(below | above)) | (lob & below) | (hib & above);
        memcpy(&x, &xb, 8);
        /* adding 1.5 * 2^52 rounds to an integer, which the low bits of the sum then hold */
        const double shift = 6755399441055744.0;
        double t = x * 1.4426950408889634 + shift;
        double n = t - shift;
        double r = (x - n * 0.6931471805599453) - n * 2.3190468138462996e-17;
        double p = 1.0 + r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24
                   + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320))))))));
        int64_t bits;
        memcpy(&bits, &t, 8);
        bits = (bits + 1023) << 52;
        double scale;
        memcpy(&scale, &bits, 8);
        return (float)(p * scale);
    }

    T7_SIMD_CLONES
    static void t7_exp_float_run(float *r, const float *a, int64_t n) {
        for (int64_t i = 0; i < n; i++)
            r[i] = t7_exp_float(a[i]);
    }

    static inline float t7_sigmoid_float(float x) { return 1.0f / (1.0f + t7_exp_float(-x)); }

    T7_SIMD_CLONES
    static void t7_sigmoid_float_run(float *r, const float *a, int64_t n) {
        for (int64_t i = 0; i < n; i++)
            r[i] = t7_sigmoid_float(a[i]);
    }
    """
    float t7_exp_float(float x) nogil
    void t7_exp_float_run(float *r, const float *a, int64_t n) nogil
    float t7_sigmoid_float(float x) nogil
    void t7_sigmoid_float_run(float *r, const float *a, int64_t n) nogil
